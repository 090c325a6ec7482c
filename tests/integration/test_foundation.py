"""App-wide behaviour: migrations match the models, health, headers, demo data, role homes."""

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from workstation import create_app
from workstation.extensions import db
from workstation.models import Card, Customer, Staff


def test_migrated_database_matches_the_models(app):
    """The test database was built by the migrations alone; no difference may remain."""
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_health_answers_json_with_database_state(client):
    body = client.get("/healthz").json
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["message_queue"] == "in-process"


def test_health_reports_an_unreachable_database(tmp_path):
    broken = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"}
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"]["status"] == "unavailable"


def test_security_headers_and_strict_csp(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)  # no inline script anywhere
    assert response.headers["X-Request-ID"]


def test_session_cookie_is_http_only_and_same_site(client, world):
    response = client.post("/auth/login", data={"username": "agent1", "password": "Test-Passw0rd!"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    from workstation.config import settings_from_environment

    first = settings_from_environment(str(tmp_path))["SECRET_KEY"]
    second = settings_from_environment(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Not Found" in response.get_data(as_text=True)


def test_api_errors_are_json_problems(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_seed_demo_is_idempotent_and_makes_valid_cards(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "200 customers (200 new)" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "200 customers (0 new)" in second.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already has data" in skipped.output
    from stdnum import luhn

    with app.app_context():
        assert db.session.scalar(select(func.count(Customer.id))) == 200
        usernames = set(db.session.scalars(select(Staff.username)))
        assert {"agent1", "manager1", "supervisor1", "admin1", "auditor1"} <= usernames
        pans = [card.pan for card in db.session.scalars(select(Card).limit(50))]
        assert pans and all(luhn.is_valid(p) for p in pans)
    code = runner.invoke(args=["totp-code", "agent1"])
    assert re.fullmatch(r"\d{6}\n", code.output)


@pytest.mark.parametrize(
    "role,marker",
    [
        ("agent", "Customers you opened recently"),
        ("manager", "My portfolio"),
        ("supervisor", "Records opened outside own work"),
        ("admin", "customers without an account manager"),
        ("auditor", "Verify the hash chain"),
    ],
)
def test_each_role_has_a_working_home(client, world, sign_in, role, marker):
    page = sign_in(world.staff[role])
    assert page.status_code == 200
    assert marker in page.get_data(as_text=True)


def test_supervisor_sees_out_of_portfolio_access(app, world):
    from tests.helpers import sign_in

    agent = app.test_client()
    sign_in(agent, world.staff["agent"])
    agent.post(
        f"/customers/{world.customers[0].id}/reason",
        data={"reason_code": "complaint", "reason_text": "Complaint 77 about fees"},
    )
    supervisor = app.test_client()
    body = sign_in(supervisor, world.staff["supervisor"]).get_data(as_text=True)
    assert "Complaint 77 about fees" in body and "agent1" in body


def test_two_apps_on_different_databases_coexist(tmp_path):
    """A second app on another database works side by side (no global app state)."""
    url = f"sqlite:///{tmp_path}/other.db"
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with other.app_context():
        assert str(db.engine.url) == url
    create_engine(url).dispose()


def test_a_database_that_refuses_the_transaction_gives_a_503_not_a_500(
    app, client, world, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from tests.helpers import sign_in
    from workstation.customers import service

    def deadlocked(*args, **kwargs):
        raise OperationalError("UPDATE ...", {}, Exception("deadlock detected"))

    sign_in(client, world.staff["agent"])
    monkeypatch.setattr(service, "search_customers", deadlocked)
    response = client.get("/customers/search?q=Wang")
    assert response.status_code == 503
    assert "nothing was saved" in response.get_data(as_text=True)


def test_an_oversized_request_is_refused_with_413(client):
    response = client.post("/auth/login", data={"username": "x" * (21 * 1024 * 1024)})
    assert response.status_code == 413


def test_rotating_the_encryption_key_keeps_numbers_and_duplicate_checks(
    app, world, runner, database_url
):
    from cryptography.fernet import Fernet
    from sqlalchemy import text

    from tests.helpers import test_config
    from workstation.customers.registry import NewCustomer, register_customer
    from workstation.errors import Conflict

    old_key = app.config["DATA_ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    rotated = create_app({**test_config(database_url, f"{new_key},{old_key}")})
    customer = world.customers[0]
    result = rotated.test_cli_runner().invoke(args=["rotate-keys"])
    assert "cards.pan:" in result.output and "customers.id_number:" in result.output
    only_new = create_app({**test_config(database_url, new_key)})
    with only_new.app_context():
        stored = db.session.get(Customer, customer.id)
        assert stored.id_number == customer.id_number  # readable with the new key alone
        raw = db.session.execute(
            text("SELECT id_number FROM customers WHERE id = :id"), {"id": customer.id}
        ).scalar_one()
        assert customer.id_number not in raw
        with pytest.raises(Conflict):  # the duplicate check still recognises the number
            register_customer(
                NewCustomer("C777777", "Same Person", "+86 138 0013 8009",
                            stored.birth_date, customer.id_number)
            )
        db.session.rollback()
    from workstation.crypto import cipher

    cipher.configure(old_key, app.config["DATA_LOOKUP_KEY"])  # leave the shared cipher as found


def test_the_migrations_have_one_head(app):
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_the_audit_log_finds_a_customer_number_typed_in_small_letters(app, world, client,
                                                                     sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    client.get(f"/customers/{wang.id}")
    client.post("/auth/logout")
    sign_in(world.staff["auditor"])
    upper = client.get(f"/audit/?customer_no={wang.customer_no}").get_data(as_text=True)
    lower = client.get(f"/audit/?customer_no={wang.customer_no.lower()}%20").get_data(
        as_text=True)
    assert "customer.view" in upper and "customer.view" in lower
