"""Document settings: defaults, overridable from the environment or the app config."""

from __future__ import annotations

import json
import os

DEFAULT_SETTINGS = {
    # Signing material (PEM). Without it, demo mode makes a self-signed pair under instance/.
    "SIGNING_KEY_PATH": None,
    "SIGNING_CERT_PATH": None,
    "SIGNING_KEY_PASSPHRASE": None,
    # Where the verify link in the QR code points; the request's host when unset.
    "PUBLIC_BASE_URL": None,
    # "process" renders in a pool of worker processes, "thread" in a thread pool.
    "DOCUMENTS_RENDER_POOL": "process",
    "DOCUMENTS_RENDER_WORKERS": 2,
    "DOCUMENTS_RENDER_TIMEOUT": 120,
    "DOCUMENTS_LANGUAGES": ("en", "es", "zh"),
    "DOCUMENTS_CERTIFICATE_VALIDITY_DAYS": 30,
    "DOCUMENTS_CERTIFICATE_MAX_VALIDITY_DAYS": 366,
    "DOCUMENTS_STATEMENT_MAX_DAYS": 731,
    # Seconds between rounds that end certificates past their validity and release their
    # holds (0: only `flask documents expire` does it).
    "DOCUMENTS_EXPIRY_INTERVAL": 300,
    # Amounts above the n-th threshold need n supervisor approvals before issue.
    "DOCUMENTS_APPROVAL_TIERS": {
        "CNY": ["500000.00", "5000000.00"],
        "USD": ["70000.00", "700000.00"],
        "EUR": ["65000.00", "650000.00"],
        "HKD": ["550000.00", "5500000.00"],
        "*": ["70000.00", "700000.00"],
    },
    # Chargeable services that a fee invoice can list.
    "DOCUMENTS_FEES": {
        "certificate": {
            "amount": "20.00",
            "label": {"en": "Deposit certificate fee", "es": "Comisión por certificado de depósito",
                      "zh": "存款证明手续费"},
        },
        "statement": {
            "amount": "10.00",
            "label": {"en": "Printed statement fee", "es": "Comisión por extracto impreso",
                      "zh": "对账单打印费"},
        },
        "card_replacement": {
            "amount": "15.00",
            "label": {"en": "Card replacement", "es": "Reposición de tarjeta", "zh": "换卡工本费"},
        },
        "urgent_delivery": {
            "amount": "30.00",
            "label": {"en": "Urgent card delivery", "es": "Envío urgente de tarjeta",
                      "zh": "加急寄送费"},
        },
    },
    "DOCUMENTS_FEE_CURRENCY": "CNY",
    # Tax lines applied to an invoice's net total, in order.
    "DOCUMENTS_TAX_LINES": [
        {"rate": "0.06", "label": {"en": "VAT 6%", "es": "IVA 6%", "zh": "增值税 6%"}},
    ],
}

_ENV_JSON = (
    "DOCUMENTS_APPROVAL_TIERS", "DOCUMENTS_FEES", "DOCUMENTS_TAX_LINES",
)
_ENV_PLAIN = (
    "SIGNING_KEY_PATH", "SIGNING_CERT_PATH", "SIGNING_KEY_PASSPHRASE", "PUBLIC_BASE_URL",
    "DOCUMENTS_RENDER_POOL", "DOCUMENTS_FEE_CURRENCY",
)
_ENV_INT = (
    "DOCUMENTS_RENDER_WORKERS", "DOCUMENTS_CERTIFICATE_VALIDITY_DAYS",
    "DOCUMENTS_CERTIFICATE_MAX_VALIDITY_DAYS", "DOCUMENTS_STATEMENT_MAX_DAYS",
    "DOCUMENTS_EXPIRY_INTERVAL",
)


def settings_from_environment(env: dict | None = None) -> dict:
    """The document settings given in the environment (JSON for the structured ones)."""
    env = os.environ if env is None else env
    found: dict = {}
    for name in _ENV_PLAIN:
        if env.get(name):
            found[name] = env[name]
    for name in _ENV_INT:
        if env.get(name):
            found[name] = int(env[name])
    for name in _ENV_JSON:
        if env.get(name):
            found[name] = json.loads(env[name])
    return found


def apply_settings(config: dict) -> None:
    """Fill in document settings the app config does not already hold."""
    for name, value in {**DEFAULT_SETTINGS, **settings_from_environment()}.items():
        config.setdefault(name, value)
