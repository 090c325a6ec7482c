"""Rendering: only our static files are fetched, the process pool renders, the print view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.documents.conftest import account_of, issue, latest_document, pdf_pages_text
from workstation.documents.rendering import (
    STATIC_ROOT,
    html_to_pdf,
    render_pdf,
    static_only_fetcher,
)
from workstation.documents.signing import SigningMaterial


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/a.css",
     (STATIC_ROOT / ".." / "pyproject.toml").as_uri(), "ftp://example.com/x"],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(ValueError):
        static_only_fetcher().fetch(url)


def test_fetcher_reads_static_files_and_data_uris():
    response = static_only_fetcher().fetch((STATIC_ROOT / "documents" / "print.css").as_uri())
    assert b"@page" in response.read()
    assert static_only_fetcher().fetch("data:text/plain,hello").read() == b"hello"


def test_outside_resources_are_left_out_of_the_pdf(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body::after { content: 'LEAKED-SECRET'; }")
    html = (f'<link rel="stylesheet" href="{secret.as_uri()}"><p>Visible text</p>'
            '<img src="http://127.0.0.1:9/pixel.png">')
    text = pdf_pages_text(html_to_pdf(html))[0]
    assert "Visible text" in text and "LEAKED-SECRET" not in text


def test_process_pool_renders_and_signs(signing_dir):
    material = SigningMaterial(str(signing_dir / "documents_signing_key.pem"),
                               str(signing_dir / "documents_signing_cert.pem"))
    pdf = render_pdf("<p>Rendered in a worker process 你好</p>", material, reason="test",
                     location="test", pool="process", workers=1, timeout=120)
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf
    assert "Rendered in a worker process" in pdf_pages_text(pdf)[0]


def test_print_view_shows_the_issued_document_for_the_printer(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    issue(client, customer.id, type="balance_certificate", language="zh", account_id=account_id)
    document = latest_document(app)
    response = client.get(f"/documents/{document.id}/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert document.number in page and "存款余额证明" in page and "12,345.67 CNY" in page
    assert "/static/documents/print.css" in page and "/static/documents/print.js" in page
    assert "style=" not in page and "<script>" not in page
    assert customer.id_number not in page
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_auditor_reads_but_does_not_print(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    issue(client, customer.id, type="balance_certificate", language="en", account_id=account_id)
    client.post("/auth/logout")
    document = latest_document(app)
    sign_in(world.staff["auditor"])
    assert client.get(f"/documents/{document.id}/print").status_code == 403
    assert client.get(f"/customers/{customer.id}/documents").status_code == 302  # reason first


KILLED_SERVER = """{patch}
import os
if __name__ == "__main__":
    from workstation.documents.rendering import render_pool
    print(render_pool("process", 1).submit(os.getpid).result(120), flush=True)
    os.kill(os.getpid(), 9)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; nobody is left to collect its status


@pytest.mark.parametrize("patch", ["", "from gevent import monkey; monkey.patch_all()"],
                         ids=["threads", "gevent"])
def test_render_worker_ends_with_a_killed_server(tmp_path, patch):
    """A server killed without clean-up (SIGKILL) leaves no render worker behind holding its
    memory: the worker ends by itself, also in a gevent server."""
    server = tmp_path / "server.py"
    server.write_text(KILLED_SERVER.format(patch=patch))
    root = Path(__file__).parents[2]
    output = tmp_path / "worker-pid"
    with output.open("w") as stdout:  # a file, not a pipe: a worker left behind would hold it
        subprocess.run([sys.executable, str(server)], stdout=stdout, stderr=subprocess.DEVNULL,
                       timeout=240, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    worker = int(output.read_text().split()[0])
    deadline = time.monotonic() + 30
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(worker)


def test_rendering_does_not_stall_a_gevent_event_loop():
    probe = Path(__file__).with_name("loop_probe.py")
    result = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True,
                            timeout=240, cwd=Path(__file__).parents[2], check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    # The loop kept ticking while the worker process rendered a multi-page document.
    assert figures["render_s"] > 0.2
    assert figures["max_gap_s"] < figures["render_s"] / 2
    assert figures["ticks"] > 10
