"""Entry point: `python wsgi.py` serves the app with Socket.IO; `flask --app wsgi ...` runs tools."""

import os

from workstation import create_app
from workstation.extensions import socketio

app = create_app()

if __name__ == "__main__":
    socketio.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        allow_unsafe_werkzeug=True,
    )
