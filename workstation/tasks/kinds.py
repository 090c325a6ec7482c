"""Task kinds: what each payload must hold and what a valid answer to it looks like."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from workstation.errors import ValidationFailed
from workstation.masking import mask_tail
from workstation.types import is_digits

UPLOAD_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n",
                "application/pdf": b"%PDF-"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIGNATURE_BYTES = 300 * 1024
DECISIONS = ("accept", "decline")


# A run of 12+ digits (spaces and hyphens between them allowed), unless it follows two capitals
# and a hyphen: the bank's own references (DC-2026-00000001) are not card or account numbers.
_LONG_NUMBER = re.compile(r"(?<![A-Z]{2}-)\d[\d \-]{10,}\d")


def hide_long_numbers(text: str) -> str:
    """Card and account numbers (12+ digits) shown by their last four only; dates and the
    bank's document references stay."""

    def _mask(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return mask_tail(digits[-4:]) if len(digits) >= 12 else match.group(0)

    return _LONG_NUMBER.sub(_mask, text)


class WrongAnswer(ValidationFailed):
    """The answer does not fit the task's kind."""


@dataclass(frozen=True)
class FileIn:
    filename: str
    content_type: str
    content: bytes


@dataclass
class Checked:
    """An answer that passed its kind's checks: what is kept, what only the handler sees."""

    stored: dict = field(default_factory=dict)
    private: dict = field(default_factory=dict)
    file: FileIn | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    default_title: str
    expires_in: timedelta
    check_payload: Callable[[dict], dict]
    check_answer: Callable[[dict, dict], Checked]
    headline_field: str  # the payload's main line on the device, repeated to staff
    can_decline: bool = True
    needs_handler: bool = False

    def headline(self, payload: dict) -> str:
        """The main line the device shows for a (checked) payload of this kind."""
        return str(payload.get(self.headline_field, ""))


def _text(payload: dict, name: str, limit: int, *, required: bool = True, scrub=True) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationFailed(f"Task payload needs '{name}' as text.")
    if len(value) > limit:
        raise ValidationFailed(f"Task payload '{name}' is longer than {limit} characters.")
    return hide_long_numbers(value.strip()) if scrub else value.strip()


def _int(payload: dict, name: str, default: int, low: int, high: int) -> int:
    value = payload.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed(f"'{name}' must be a whole number from {low} to {high}.")
    return value


def _confirm_payload(p: dict) -> dict:
    details = p.get("details", [])
    if not isinstance(details, list) or len(details) > 20:
        raise ValidationFailed("'details' must be a list of at most 20 {label, value} rows.")
    rows = []
    for row in details:
        if not isinstance(row, dict):
            raise ValidationFailed("Each detail row needs 'label' and 'value'.")
        rows.append({"label": _text(row, "label", 80), "value": _text(row, "value", 200)})
    return {"summary": _text(p, "summary", 500), "details": rows}


PIN = "pin"


def _secret_payload(p: dict) -> dict:
    kind = p.get("secret_type", PIN)
    if kind not in (PIN, "password"):
        raise ValidationFailed("'secret_type' must be 'pin' or 'password'.")
    checked = {"secret_type": kind, "label": _text(p, "label", 120)}
    if kind == PIN:
        checked["length"] = _int(p, "length", 6, 4, 8)
    else:
        checked["min_length"] = _int(p, "min_length", 12, 8, 64)
    return checked


def _sign_payload(p: dict) -> dict:
    return {"document_title": _text(p, "document_title", 200),
            "document_text": _text(p, "document_text", 20000)}


def _upload_payload(p: dict) -> dict:
    accept = p.get("accept", list(UPLOAD_TYPES))
    if not isinstance(accept, list) or not accept or not set(accept) <= set(UPLOAD_TYPES):
        raise ValidationFailed(f"'accept' must list types among {sorted(UPLOAD_TYPES)}.")
    return {"document": _text(p, "document", 120), "accept": sorted(set(accept)),
            "max_bytes": _int(p, "max_bytes", DEFAULT_UPLOAD_BYTES, 1024, MAX_UPLOAD_BYTES)}


def _code_payload(p: dict) -> dict:
    return {"prompt": _text(p, "prompt", 300), "length": _int(p, "length", 6, 4, 8)}


def _rating_payload(p: dict) -> dict:
    return {"question": _text(p, "question", 300)}


def _notice_payload(p: dict) -> dict:
    return {"message": _text(p, "message", 2000)}


def _download_payload(p: dict) -> dict:
    url = _text(p, "url", 500, scrub=False)
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        raise ValidationFailed("'url' must be a path on this site (starting with one '/').")
    return {"document_title": _text(p, "document_title", 200), "url": url}


def _decision_only(_payload: dict, data: dict) -> Checked:
    if data:
        raise WrongAnswer("This task takes no data, only a decision.")
    return Checked()


def _secret_answer(payload: dict, data: dict) -> Checked:
    secret, repeat = data.get("secret"), data.get("repeat")
    if not isinstance(secret, str) or not isinstance(repeat, str):
        raise WrongAnswer("Type the new secret twice.")
    if secret != repeat:
        raise WrongAnswer("The two entries are not the same.")
    if payload["secret_type"] == PIN:
        if len(secret) != payload["length"] or not is_digits(secret):
            raise WrongAnswer(f"The PIN must be exactly {payload['length']} digits.")
        steps = {int(b) - int(a) for a, b in zip(secret, secret[1:], strict=False)}
        if len(set(secret)) == 1 or steps in ({1}, {-1}):
            raise WrongAnswer("Choose a PIN that is not a repeated or running sequence.")
    elif not payload["min_length"] <= len(secret) <= 128:
        raise WrongAnswer(f"The password needs at least {payload['min_length']} characters.")
    return Checked(stored={"secret_set": True}, private={"secret": secret})


def decode_data_url(value: object, content_type: str, limit: int) -> bytes:
    """The bytes of a base64 data URL of one type, within a size limit."""
    prefix = f"data:{content_type};base64,"
    if not isinstance(value, str) or not value.startswith(prefix):
        raise WrongAnswer(f"Send the image as a {content_type} data URL.")
    if len(value) > limit * 4 // 3 + len(prefix) + 4:
        raise WrongAnswer("The image is too large.")
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WrongAnswer("The image data is not valid base64.") from exc


def _sign_answer(_payload: dict, data: dict) -> Checked:
    method = data.get("method")
    if method == "typed":
        name = data.get("name")
        if not isinstance(name, str) or not 2 <= len(name.strip()) <= 120:
            raise WrongAnswer("Type your full name to sign.")
        return Checked(stored={"method": "typed", "name": name.strip()})
    if method == "drawn":
        image = decode_data_url(data.get("image"), "image/png", MAX_SIGNATURE_BYTES)
        if not image.startswith(UPLOAD_TYPES["image/png"]) or len(image) < 100:
            raise WrongAnswer("The drawn signature is not a PNG image.")
        return Checked(stored={"method": "drawn"},
                       file=FileIn("signature.png", "image/png", image))
    raise WrongAnswer("Sign by drawing ('drawn') or by typing your name ('typed').")


def check_upload(payload: dict, upload: FileIn) -> Checked:
    """An uploaded file: declared and actual type allowed, size within the task's limit."""
    if not upload.content:
        raise WrongAnswer("The file is empty.")
    if len(upload.content) > payload["max_bytes"]:
        raise WrongAnswer(f"The file is larger than {payload['max_bytes'] // 1024} KB.")
    sniffed = next((t for t, magic in UPLOAD_TYPES.items() if upload.content.startswith(magic)),
                   None)
    if sniffed is None or sniffed not in payload["accept"]:
        raise WrongAnswer("This type of file is not accepted here: send "
                          + ", ".join(payload["accept"]) + ".")
    if upload.content_type and upload.content_type != sniffed:
        raise WrongAnswer("The file's content does not match its declared type.")
    name = re.sub(r"[^\w.\- ]", "_", upload.filename or "upload")[-120:] or "upload"
    return Checked(stored={"filename": name, "content_type": sniffed,
                           "size": len(upload.content)},
                   file=FileIn(name, sniffed, upload.content))


def _upload_answer(payload: dict, data: dict) -> Checked:
    content_type = data.get("content_type")
    if content_type not in UPLOAD_TYPES:
        raise WrongAnswer("Unknown file type.")
    content = decode_data_url(data.get("content"), content_type, payload["max_bytes"])
    filename = data.get("filename") if isinstance(data.get("filename"), str) else "upload"
    return check_upload(payload, FileIn(filename, content_type, content))


def _code_answer(payload: dict, data: dict) -> Checked:
    code = data.get("code")
    if not is_digits(code) or len(code) != payload["length"]:
        raise WrongAnswer(f"Enter the {payload['length']}-digit code.")
    return Checked(stored={"code_entered": True}, private={"code": code})


def _rating_answer(_payload: dict, data: dict) -> Checked:
    score, comment = data.get("score"), data.get("comment", "")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise WrongAnswer("Choose from 1 to 5 stars.")
    if not isinstance(comment, str) or len(comment) > 500:
        raise WrongAnswer("The comment must be text of at most 500 characters.")
    return Checked(stored={"score": score, "comment": comment.strip()})


def _kind(name, label, title, minutes, payload, answer, headline, **extra) -> Kind:
    return Kind(name, label, title, timedelta(minutes=minutes), payload, answer, headline,
                **extra)


KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("confirm", "Confirmation", "Please confirm", 10, _confirm_payload, _decision_only,
          "summary"),
    _kind("set_secret", "New PIN or password", "Set your new PIN", 10, _secret_payload,
          _secret_answer, "label", needs_handler=True),
    _kind("sign", "Signature", "Please sign", 30, _sign_payload, _sign_answer,
          "document_title"),
    _kind("upload", "Document upload", "Please send a document", 30, _upload_payload,
          _upload_answer, "document"),
    _kind("code", "One-time code", "Enter the code", 10, _code_payload, _code_answer, "prompt"),
    _kind("rating", "Rating", "How did we do?", 60 * 24, _rating_payload, _rating_answer,
          "question"),
    _kind("notice", "Message", "A message from your bank", 60 * 24 * 7, _notice_payload,
          _decision_only, "message", can_decline=False),
    _kind("download", "Document", "A document for you", 60 * 24 * 7, _download_payload,
          _decision_only, "document_title", can_decline=False),
)}


def kind_of(name: str) -> Kind:
    """The kind by name; ValidationFailed for an unknown one."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise ValidationFailed(f"Unknown task kind: choose one of {', '.join(KINDS)}.") from None
