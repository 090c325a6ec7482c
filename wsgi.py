"""Entry point: `python wsgi.py` serves the app with Socket.IO; `flask --app wsgi ...` runs tools."""

import gc
import os
import sys

from workstation import create_app
from workstation.extensions import socketio

app = create_app()
# What is loaded by now (modules, templates, mappers) lives as long as the process: leave it
# out of the collector's full scans, which otherwise stall every connection of a worker for
# up to ~100-160 ms (measured with 400 pushes on one gevent worker).
gc.freeze()
if "gevent" in sys.modules:  # a gevent worker (scale-out)
    import gevent

    # Greenlets need not keep a copy of the stack that spawned them (a debugging aid): with
    # 5,000 devices on a worker those copies were a fifth of the objects a full collection
    # walks (807,000 -> 637,000; the pause 446 -> 396 ms).
    gevent.config.track_greenlet_tree = False


def serve() -> None:
    """Serve HTTP and Socket.IO on HOST:PORT (127.0.0.1:5000 by default)."""
    socketio.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        allow_unsafe_werkzeug=True,
    )


if __name__ == "__main__":
    serve()
