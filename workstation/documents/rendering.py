"""HTML to signed PDF/A-3b, off the request's event loop, with a fetcher confined to static/."""

from __future__ import annotations

import _thread
import atexit
import mimetypes
import multiprocessing
import os
import threading
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from urllib.parse import unquote, urlparse

from workstation.documents.signing import SigningMaterial, sign_pdf
from workstation.errors import Conflict

STATIC_ROOT = Path(__file__).resolve().parent.parent.parent / "static"
PDF_VARIANT = "pdf/a-3b"

_pools: dict[tuple[str, int], Executor] = {}
_pools_lock = threading.Lock()
_local = threading.local()


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Reads data: URIs and files under static/; refuses every other address."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
                raise ValueError(f"refused to fetch {url!r}: only our static files are read")
            path = Path(unquote(parsed.path)).resolve()
            if not path.is_relative_to(STATIC_ROOT) or not path.is_file():
                raise ValueError(f"refused to fetch {url!r}: not one of our static files")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher


def static_only_fetcher():
    """A WeasyPrint URL fetcher that reads only data: URIs and files under static/."""
    return _url_fetcher_class()(allowed_protocols=("data", "file"), fail_on_errors=False)


def _font_config():
    # Reusing one font configuration per thread saves the CJK font set-up on each render.
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """Render print HTML to PDF/A-3b bytes (static/ is the base for relative addresses)."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=static_only_fetcher()
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT, font_config=_font_config())


def produce_pdf(html: str, material: SigningMaterial | None, reason: str, location: str) -> bytes:
    """Render and, given signing material, sign: the job a pool worker runs."""
    pdf = html_to_pdf(html)
    return sign_pdf(pdf, material, reason, location) if material else pdf


def _start_worker() -> None:
    """A render worker's start: bound to the life of the process that started it, then
    WeasyPrint imported (the import alone takes about half a second)."""
    _exit_with_parent()
    import weasyprint  # noqa: F401


def _exit_with_parent() -> None:
    """End this worker when the process that started it ends. A server that is killed
    (SIGKILL, or SIGTERM without clean-up) cannot stop its workers, and a worker holds the
    other end of its own job queue, so it would wait for work forever, its memory held. An
    operating-system thread waits for the end of the pipe from the parent (at EOF the
    parent is gone), also where gevent has patched threads into greenlets (a worker of a
    gevent server may be), which would never run while the worker waits for a job."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        try:
            while os.read(parent.sentinel, 4096):
                pass
        finally:
            os._exit(0)

    _native_start_new_thread()(watch, ())


def _native_start_new_thread():
    try:
        from gevent.monkey import get_original
    except ImportError:  # no gevent: nothing is patched
        return _thread.start_new_thread
    return get_original("_thread", "start_new_thread")


def render_pool(kind: str = "process", workers: int = 2) -> Executor:
    """The shared pool that renders documents (created on first use, one per kind)."""
    key = (kind, workers)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            if kind == "thread":
                pool = ThreadPoolExecutor(workers, thread_name_prefix="documents-render")
            elif kind == "process":
                context = multiprocessing.get_context("spawn")
                pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
            else:
                raise ValueError(f"unknown render pool kind {kind!r}")
            _pools[key] = pool
        return pool


class RenderFailed(Conflict):
    """The PDF could not be produced (worker lost or too slow); nothing was issued."""


def render_pdf(html: str, material: SigningMaterial | None, *, reason: str, location: str,
               pool: str = "process", workers: int = 2, timeout: float = 120) -> bytes:
    """Render (and sign) in the pool and wait for the bytes; the caller's loop keeps running."""
    executor = render_pool(pool, workers)
    try:
        return executor.submit(produce_pdf, html, material, reason, location).result(timeout)
    except BrokenExecutor:
        with _pools_lock:
            _pools.pop((pool, workers), None)
        raise RenderFailed("The document renderer stopped; please issue it again.") from None
    except FutureTimeout:
        raise RenderFailed("Rendering the document took too long; please try again.") from None


@atexit.register
def _shutdown_pools() -> None:
    for pool in list(_pools.values()):
        pool.shutdown(wait=False, cancel_futures=True)
