"""Key rotation: encrypt every stored card and ID number again with the newest key."""

from __future__ import annotations

from sqlalchemy import Text, select, type_coerce, update

from workstation.crypto import EncryptedString, cipher
from workstation.extensions import db

BATCH = 500


def _encrypted_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedString):
                yield table, column


def reencrypt_all() -> dict[str, int]:
    """Re-encrypt each encrypted column with the first configured key; commits per batch."""
    counts: dict[str, int] = {}
    for table, column in _encrypted_columns():
        key = next(iter(table.primary_key.columns))
        raw = type_coerce(column, Text)
        last = None
        done = 0
        while True:
            query = select(key, raw).where(column.isnot(None)).order_by(key).limit(BATCH)
            if last is not None:
                query = query.where(key > last)
            rows = db.session.execute(query).all()
            if not rows:
                break
            for row_id, token in rows:
                db.session.execute(
                    update(table)
                    .where(key == row_id)
                    .values({column.name: type_coerce(cipher.rotate(token), Text)})
                )
            db.session.commit()
            done += len(rows)
            last = rows[-1][0]
        counts[f"{table.name}.{column.name}"] = done
    return counts
