"""Domain errors raised by services, and the pages, fragments and JSON they turn into."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A request the business rules refuse; the message is shown to the user."""

    status_code = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or type(self).__name__


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class ValidationFailed(DomainError):
    status_code = 422


def wants_json() -> bool:
    """Whether the client reads JSON (the API, or a client that asks for it)."""
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(status: int, title: str, message: str):
    """One shape for every error: JSON problem, htmx fragment or full page."""
    if wants_json():
        body = {"type": "about:blank", "title": title, "status": status, "detail": message}
        response = jsonify(body)
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    template = "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
    return render_template(template, status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Map domain errors, CSRF failures and HTTP errors to clear responses."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        return error_response(error.status_code, "Request refused", error.message)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return error_response(
            400,
            "Security token missing or expired",
            "The form was sent without a valid security token, so nothing was changed. "
            "Reload the page and try again.",
        )

    @app.errorhandler(OperationalError)
    def _database_busy(error: OperationalError):
        # A deadlock, lock time-out or lost connection: the transaction was rolled back whole.
        from workstation.extensions import db

        db.session.rollback()
        app.logger.warning("database refused the transaction: %s", type(error.orig).__name__)
        return error_response(
            503,
            "Busy, please try again",
            "The bank's systems were busy and nothing was saved. Try again in a moment.",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return error_response(error.code or 500, error.name, error.description or "")

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, "Something went wrong", "The error was logged.")
