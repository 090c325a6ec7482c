"""Cloud Outlet Workstation: the staff side of screen-to-screen banking."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from workstation.config import DEFAULTS, settings_from_environment
from workstation.crypto import cipher
from workstation.extensions import csrf, db, limiter, login_manager, migrate, socketio

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, security, commands."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure(app, config or {})
    register_extensions(app)
    register_blueprints(app)
    register_web_layer(app)
    from workstation.cli import register_commands

    register_commands(app)
    return app


def configure(app: Flask, overrides: dict) -> None:
    """Defaults, then the environment, then explicit overrides (tests)."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(DEFAULTS)
    app.config.update(settings_from_environment(app.instance_path))
    app.config.update(overrides)
    if app.config.get("TRUSTED_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["TRUSTED_PROXIES"]))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        # Take the write lock when a transaction starts (BEGIN IMMEDIATE), so two
        # read-then-write transactions queue instead of failing with "database is locked".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def register_extensions(app: Flask) -> None:
    """Bind the extension objects to this app."""
    from workstation.core import LocalCoreBanking

    cipher.configure(app.config["DATA_ENCRYPTION_KEYS"], app.config.get("DATA_LOOKUP_KEY"))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "workstation" / "migrations"))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    socketio.init_app(
        app,
        message_queue=app.config.get("REDIS_URL"),
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS", []),
        manage_session=False,
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
        # One client's events are handled in the order they were sent (co-browse keystrokes,
        # task acks); handlers never wait on the client, so nothing blocks on this.
        async_handlers=False,
    )
    app.extensions["core_banking"] = app.config.get("CORE_BANKING") or LocalCoreBanking()
    import workstation.models  # noqa: F401  (every table on the metadata)


def register_blueprints(app: Flask) -> None:
    """Mount the foundation's pages, then let each business area register itself."""
    from workstation.admin.routes import bp as admin_bp
    from workstation.audit.routes import bp as audit_bp
    from workstation.auth.routes import bp as auth_bp
    from workstation.customers.routes import bp as customers_bp
    from workstation.health import bp as health_bp
    from workstation.home.routes import bp as home_bp

    for blueprint in (auth_bp, home_bp, customers_bp, admin_bp, audit_bp, health_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(health_bp)
    register_areas(app)


def register_areas(app: Flask) -> None:
    """Each area mounts its views, socket handlers, profile links and background jobs."""
    from appointments import init_app as init_appointments
    from workstation.cards import init_cards
    from workstation.customer_auth import register_customer_channel
    from workstation.documents import init_app as init_documents
    from workstation.live import init_live
    from workstation.onboarding import init_onboarding

    for init_area in (
        init_appointments,
        init_onboarding,
        register_customer_channel,
        init_live,
        init_cards,
        init_documents,
    ):
        init_area(app)


def register_web_layer(app: Flask) -> None:
    """Security hooks, error pages, template filters and globals."""
    from workstation.errors import register_error_handlers
    from workstation.localtime import register_time_filters
    from workstation.masking import register_filters
    from workstation.models import Role
    from workstation.security import register_security

    register_security(app)
    register_error_handlers(app)
    register_filters(app)
    register_time_filters(app)
    app.jinja_env.globals.update(Role=Role, bank_name=app.config["BANK_NAME"])
