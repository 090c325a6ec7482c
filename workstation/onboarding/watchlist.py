"""The watch-list an administrator imports from a CSV file (name, ID number, list)."""

from __future__ import annotations

import csv
import hashlib
import io

from sqlalchemy import delete, func, select

from workstation import audit
from workstation.crypto import cipher
from workstation.errors import ValidationFailed
from workstation.extensions import db
from workstation.onboarding.models import WatchlistEntry, WatchlistImport
from workstation.onboarding.rules import name_key

MAX_FILE_BYTES = 20 * 1024 * 1024
NAME_COLUMNS = ("name", "full_name")
ID_COLUMNS = ("id_number", "id", "id_no")


def normalise_id(raw: str) -> str:
    """An ID number as stored for matching (upper case, no spaces)."""
    return (raw or "").strip().upper().replace(" ", "")


def id_digest(raw: str) -> str:
    """The keyed digest under which a list keeps an ID number (never the number itself)."""
    number = normalise_id(raw)
    return cipher.lookup_digest(number) if number else ""


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def parse_watchlist(content: bytes) -> list[tuple[str, str, str]]:
    """Rows (name key, ID digest, list name) of a CSV file; ValidationFailed on a bad file."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed("The watch-list file is larger than 20 MB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed("The watch-list file must be UTF-8 text (CSV).") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    name_at = _column(header or [], NAME_COLUMNS)
    id_at = _column(header or [], ID_COLUMNS)
    list_at = _column(header or [], ("list", "list_name", "source"))
    if name_at is None or id_at is None:
        raise ValidationFailed("The first line must name the columns: name,id_number[,list].")
    rows = []
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(name_at, id_at):
            raise ValidationFailed(f"Line {line_no} has too few columns.")
        key = name_key(row[name_at])
        if not key:
            raise ValidationFailed(f"Line {line_no} has no name.")
        source = row[list_at].strip()[:64] if list_at is not None and len(row) > list_at else ""
        rows.append((key, id_digest(row[id_at]), source))
    if not rows:
        raise ValidationFailed("The watch-list file holds no entries.")
    return rows


def import_watchlist(actor: audit.Actor, filename: str, content: bytes) -> WatchlistImport:
    """Replace the watch-list with a file's entries (all or nothing) and audit it."""
    rows = parse_watchlist(content)
    batch = WatchlistImport(
        filename=(filename or "watchlist.csv")[:200],
        sha256=hashlib.sha256(content).hexdigest(), entries=len(rows),
        imported_by_id=actor.staff_id, imported_by=actor.username,
    )
    db.session.add(batch)
    db.session.execute(delete(WatchlistEntry))
    db.session.flush()
    db.session.execute(
        WatchlistEntry.__table__.insert(),
        [{"import_id": batch.id, "name_key": k, "id_digest": d, "list_name": s}
         for k, d, s in rows],
    )
    audit.record(actor, "onboarding.watchlist_imported", object_type="watchlist_import",
                 object_id=batch.id, detail={"entries": len(rows), "sha256": batch.sha256})
    db.session.commit()
    return batch


def watchlist_summary() -> dict:
    """The current list size and the import history, newest first."""
    return {
        "entries": db.session.scalar(select(func.count(WatchlistEntry.id))),
        "imports": db.session.scalars(
            select(WatchlistImport).order_by(WatchlistImport.id.desc()).limit(20)).all(),
    }
