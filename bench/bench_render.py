"""Document rendering: certificate and 10-page statement, unsigned and signed, against bare
WeasyPrint on the same HTML in the same run.

"bare" is `weasyprint.HTML(string=html, base_url=static/).write_pdf()` with WeasyPrint's defaults
(a fresh font configuration, no PDF/A, the default URL fetcher). "ours" is what issuing does:
the Jinja print template, the QR code, PDF/A-3b, the static-only URL fetcher, a reused font
configuration, and, for "signed", a PAdES signature; "via pool" adds the hop to a worker process.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.figures import Figure, median, percentile, timings_ms

REPEAT = 25
STATEMENT_REPEAT = 6


def _app():
    from cryptography.fernet import Fernet

    from workstation import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench", "TESTING": True,
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    })


def _branch():
    return {"bank": "Cloud Outlet Bank", "name": "Beijing Xidan", "address": "Xidan street 1",
            "code": "BJ01", "timezone": "Asia/Shanghai"}


def _holder():
    return {"name": "Wang Fang", "id_masked": "•••• 0016", "id_type": "resident_id",
            "customer_no": "C900001"}


def certificate_source(language: str):
    """A certificate as issuing builds it (content as stored on the document)."""
    from decimal import Decimal

    from workstation.documents.printing import PrintSource
    from workstation.documents.words import amount_in_words
    from workstation.types import utcnow

    content = {
        "kind": "balance", "holder": _holder(),
        "account": {"masked": "•••• 7736", "product": "Current account", "account_class": "I",
                    "currency": "CNY"},
        "branch": _branch(), "as_of": "2026-11-28", "amount": "12345.67", "currency": "CNY",
        "amount_words": amount_in_words(Decimal("12345.67"), "CNY", language),
        "valid_until": "2026-12-28",
    }
    return PrintSource("balance_certificate", language, "BC-2026-00000001",
                       "N7QQVSJHFK03QNCP", utcnow(), content, "https://bank.example")


def statement_source(rows: int = 390):
    """A statement long enough for ten A4 pages."""
    from workstation.documents.printing import PrintSource
    from workstation.types import utcnow

    lines = [{"date": f"2026-{1 + i // 45:02d}-{1 + i % 28:02d}",
              "description": f"Payment {i:04d} card purchase", "channel": "mobile",
              "debit": "37.25" if i % 3 else "", "credit": "" if i % 3 else "250.00",
              "balance": f"{10000 + i * 3:.2f}"} for i in range(rows)]
    content = {
        "holder": _holder(), "branch": _branch(),
        "account": {"masked": "•••• 7736", "product": "Current account", "account_class": "I",
                    "currency": "CNY"},
        "start": "2026-01-01", "end": "2026-10-31", "opening": "10000.00",
        "closing": "11407.00", "debits": "11175.00", "credits": "12582.00", "currency": "CNY",
        "rows": lines,
    }
    return PrintSource("statement", "en", "ST-2026-00000002", "MB57463S20VQDMRD", utcnow(),
                       content, "https://bank.example")


def _measure(label, html_of, repeat, material, pages_of) -> list[Figure]:
    import weasyprint

    from workstation.documents import rendering

    html = html_of()
    base = rendering.STATIC_ROOT.as_uri() + "/"
    bare = timings_ms(lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(), repeat)
    ours = timings_ms(lambda: rendering.html_to_pdf(html_of()), repeat)
    signed = timings_ms(lambda: rendering.produce_pdf(html_of(), material, "bench", "bench"),
                        repeat)
    pooled = timings_ms(lambda: rendering.render_pdf(
        html_of(), material, reason="bench", location="bench", pool="process", workers=1),
        repeat)
    pages = pages_of(rendering.html_to_pdf(html))
    note = f"{pages} page(s), median of {repeat}"
    bare_median = median(bare)
    return [
        Figure(f"render.{label}.bare_weasyprint", bare_median, "ms", note=note),
        Figure(f"render.{label}.unsigned", median(ours), "ms", bare_median,
               "bare WeasyPrint", note),
        Figure(f"render.{label}.signed", median(signed), "ms", bare_median, "bare WeasyPrint",
               f"{note}; p95 {percentile(signed, 95):.1f} ms"),
        Figure(f"render.{label}.signed_via_process_pool", median(pooled), "ms", bare_median,
               "bare WeasyPrint", note),
    ]


def run() -> list[Figure]:
    import io

    from pypdf import PdfReader

    from workstation.documents.printing import render_print_html
    from workstation.documents.signing import create_demo_material

    def pages_of(pdf: bytes) -> int:
        return len(PdfReader(io.BytesIO(pdf)).pages)

    app = _app()
    material = create_demo_material(Path(tempfile.mkdtemp()), "Bench Bank")
    figures: list[Figure] = []
    with app.app_context():
        for language in ("en", "zh"):
            source = certificate_source(language)
            figures += _measure(f"certificate_{language}",
                                lambda s=source: render_print_html(s, for_screen=False),
                                REPEAT, material, pages_of)
        statement = statement_source()
        figures += _measure("statement_10_pages",
                            lambda: render_print_html(statement, for_screen=False),
                            STATEMENT_REPEAT, material, pages_of)
    return figures
