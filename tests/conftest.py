"""Fixtures: a migrated test database (SQLite, or PostgreSQL via TEST_DATABASE_URL), the app,
a client that carries the CSRF token, and builders for staff and customers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask.testing import FlaskClient

from tests import helpers
from workstation import create_app
from workstation.extensions import db

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh database for this test run, upgraded with the migrations."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url, drop = helpers.private_postgres_database(base)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        drop = None
    app = create_app(helpers.test_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if drop:
        drop()


@pytest.fixture(scope="session")
def data_key() -> str:
    return Fernet.generate_key().decode()


class CsrfClient(FlaskClient):
    """A test client that adds the session's CSRF token to form posts, like a browser page."""

    def open(self, *args, csrf: bool = True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        data = kwargs.get("data")
        if csrf and method in {"POST", "PUT", "PATCH", "DELETE"}:
            if isinstance(data, dict) and "csrf_token" not in data:
                kwargs["data"] = {**data, "csrf_token": helpers.csrf_token_for(self)}
            elif data is None and "json" not in kwargs:
                kwargs["data"] = {"csrf_token": helpers.csrf_token_for(self)}
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, data_key):
    """The app on the shared test database; every table is emptied after the test."""
    app = create_app(helpers.test_config(database_url, data_key))
    app.test_client_class = CsrfClient
    yield app
    with app.app_context():
        helpers.empty_database()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """A small bank: two branches, one staff member per role, a few customers."""
    with app.app_context():
        return helpers.build_world()


@pytest.fixture
def sign_in(client):
    """Sign the test client in as a staff member, second factor included."""

    def _sign_in(staff):
        return helpers.sign_in(client, staff)

    return _sign_in


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
