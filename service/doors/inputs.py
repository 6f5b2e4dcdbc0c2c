"""Turn the bytes a caller sent into page text, or say clearly why not.

Pages must be UTF-8 unless the caller names another charset: undecodable bytes are
refused (400) rather than guessed at, so nothing is silently corrupted. Binary files
sent as a page (PDF, images, archives) are refused as an unsupported type (415).
"""

from __future__ import annotations

import codecs

from ..errors import BadInput, UnsupportedType

# Leading bytes of files that are not pages.
_MAGIC = {
    b"%PDF-": "a PDF file",
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "gzip-compressed data (send it with Content-Encoding: gzip)",
    b"PK\x03\x04": "a ZIP archive",
    b"RIFF": "a RIFF media file",
    b"\x7fELF": "an executable",
    b"BZh": "bzip2-compressed data",
    b"\xfd7zXZ\x00": "xz-compressed data",
    b"\x28\xb5\x2f\xfd": "zstd-compressed data",
}
# Share of control characters above which a body is binary, not text; judged only on
# bodies long enough for a share to mean something.
MAX_CONTROL_SHARE = 0.1
MIN_SNIFF_BYTES = 512


def sniff_binary(data: bytes) -> str | None:
    """What kind of binary file `data` is, or None when it may be text."""
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            return name
    head = data[:4096]
    if len(head) >= MIN_SNIFF_BYTES:
        controls = sum(1 for b in head if b < 9 or 13 < b < 32)
        if controls / len(head) > MAX_CONTROL_SHARE:
            return "binary data"
    return None


def decode_page(data: bytes, charset: str | None = None) -> str:
    """The page as text; raises BadInput or UnsupportedType."""
    kind = sniff_binary(data)
    if kind:
        raise UnsupportedType(f"the body is {kind}, not a page's text or HTML")
    encoding = (charset or "utf-8").strip().strip('"').lower()
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise BadInput(f"unknown charset {charset!r}") from None
    if encoding in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1]
        raise BadInput(
            f"the body is not valid {encoding}: byte {exc.start} ({bad!r}) cannot be decoded;"
            " send UTF-8 or name the charset"
        ) from None
