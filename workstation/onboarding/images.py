"""Checking uploaded ID photos and selfies: JPEG or PNG by their bytes, size-limited."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image

from workstation.errors import ValidationFailed

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    content_type: str
    width: int
    height: int
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def sniff_type(content: bytes) -> str | None:
    """The image type from the file's first bytes (never from its name or header)."""
    if content.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if content.startswith(PNG_MAGIC):
        return "image/png"
    return None


def check_image(content: bytes, max_bytes: int, min_side: int) -> CheckedImage:
    """A JPEG or PNG photo within the size limit that decodes; ValidationFailed otherwise."""
    if not content:
        raise ValidationFailed("The file is empty. Take the photo again.")
    if len(content) > max_bytes:
        raise ValidationFailed(
            f"The photo is too large ({len(content) // 1024} KB); "
            f"the limit is {max_bytes // 1024} KB."
        )
    content_type = sniff_type(content)
    if content_type is None:
        raise ValidationFailed("Only JPEG or PNG photos are accepted.")
    width, height = _decode(content, content_type)
    if min(width, height) < min_side:
        raise ValidationFailed(
            f"The photo is too small ({width}×{height}); it must be at least "
            f"{min_side} pixels on each side."
        )
    return CheckedImage(content, content_type, width, height, hashlib.sha256(content).hexdigest())


def _decode(content: bytes, content_type: str) -> tuple[int, int]:
    expected = "JPEG" if content_type == "image/jpeg" else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != expected:
                    raise ValidationFailed("Only JPEG or PNG photos are accepted.")
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationFailed("The photo has too many pixels.")
                size = image.size
                image.load()  # decodes every byte: a truncated or corrupt file fails here
    except ValidationFailed:
        raise
    except Exception as exc:  # Pillow raises many kinds for damaged files
        raise ValidationFailed("The file is not a readable image. Take the photo again.") from exc
    return size
