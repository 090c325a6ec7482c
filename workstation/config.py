"""Settings read from the environment in one place."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet


def _instance_secret(instance_path: str, name: str, make: callable) -> str:
    """Read a secret kept under instance/, creating it (mode 0600) on first use."""
    path = Path(instance_path) / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// addresses."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def socketio_async_mode() -> str:
    """threading for the embedded server; gevent where the process was monkey-patched
    (gunicorn's gevent worker); SOCKETIO_ASYNC_MODE overrides both."""
    explicit = os.environ.get("SOCKETIO_ASYNC_MODE")
    if explicit:
        return explicit
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def settings_from_environment(instance_path: str) -> dict:
    """Build the app configuration from environment variables and instance/ secrets."""
    env = os.environ
    database_url = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'workstation.db'}"
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SECRET_KEY": env.get("SECRET_KEY")
        or _instance_secret(instance_path, "secret_key", lambda: secrets.token_hex(32)),
        "DATA_ENCRYPTION_KEYS": env.get("DATA_ENCRYPTION_KEYS")
        or _instance_secret(
            instance_path, "data_encryption_key", lambda: Fernet.generate_key().decode()
        ),
        "DATA_LOOKUP_KEY": env.get("DATA_LOOKUP_KEY")
        or _instance_secret(instance_path, "data_lookup_key", lambda: secrets.token_hex(32)),
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0") or 0),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "SOCKETIO_ASYNC_MODE": socketio_async_mode(),
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "0") == "1",
        "DEMO_MODE": env.get("DEMO_MODE", "1") == "1",
        "BANK_NAME": env.get("BANK_NAME", "Cloud Outlet Bank"),
        "DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "Asia/Shanghai"),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "cow_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "SESSION_IDLE_TIMEOUT": timedelta(minutes=15),
    "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=12),
    "WTF_CSRF_TIME_LIMIT": None,
    "WTF_CSRF_SSL_STRICT": False,
    "LOCKOUT_THRESHOLD": 5,
    "LOCKOUT_DURATION": timedelta(minutes=15),
    "ACCESS_REASON_LIFETIME": timedelta(minutes=30),
    "SIGN_IN_RATE_LIMIT": "20 per minute",
    "SEARCH_RESULT_LIMIT": 25,
    "PASSWORD_MIN_LENGTH": 12,
    # The largest request or socket message: a 10 MB document photo sent base64-encoded.
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
}
