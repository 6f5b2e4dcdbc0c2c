"""Stage 0: the bytes a crawler holds, turned into the page's text, or a clear refusal.

Every door hands `clean()` the bytes it received and this module decodes them once, so a
page reads the same whichever way it came in.

HTML (`text/html`, `application/xhtml+xml`) is decoded the way the HTML standard has a
browser do it, so the text is what a browser shows:

1. a byte order mark: UTF-8, UTF-16, and UTF-32 (which browsers lack; its BOM would
   otherwise read as UTF-16 followed by a NUL);
2. the charset the caller names (HTTP: the Content-Type's); a label no browser knows is
   ignored, as browsers do, unless Python knows it (`utf-32`: the caller said so);
3. the page's own `<meta charset>` or `<meta http-equiv=content-type>` in its first 1024
   bytes: the WHATWG "prescan a byte stream to determine its encoding";
4. an XML declaration's `encoding` (XHTML; HTML parsers ignore it, XML parsers read it);
5. a `<meta>` declaration further on: a browser that meets one while parsing re-decodes
   the page with it ("change the encoding");
6. nothing declared: UTF-8 when the bytes are valid UTF-8, else a detector
   (charset-normalizer, held to the encodings browsers detect), noted in `warnings`.

Labels are read as browsers read them (WHATWG Encoding Standard): `iso-8859-1`, `latin1`
and `ascii` mean windows-1252, `gb2312` means GBK, a `<meta>` naming UTF-16 means UTF-8.
Bytes invalid in a declared encoding read as U+FFFD, as a browser shows them, with a
warning; when they are most of the page's non-ASCII text the declaration is wrong and the
result would be garbage, so the page is refused (400) with the charset to send instead.

Plain text takes a BOM, else the caller's charset (any encoding Python knows), else UTF-8;
bytes that do not fit are refused (400), never guessed at. Binary files (PDF, images,
archives) are refused as an unsupported type (415) in both cases.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import cache

from ..errors import BadInput, UnsupportedType
from .encoding_declarations import LABELS, encoding_for_label, prescan, xml_declaration

# --- codecs ----------------------------------------------------------------------------------

# Python's codec for each encoding whose name does not lead to it (GBK and gb2312 pages
# decode with gb18030, Shift_JIS with Windows-31J, EUC-KR with UHC, as browsers do).
_CODECS = {
    "ibm866": "cp866", "macintosh": "mac-roman", "x-mac-cyrillic": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8", "gbk": "gb18030", "big5": "big5hkscs",
    "iso-2022-jp": "iso2022-jp", "shift_jis": "cp932", "euc-kr": "cp949",
    "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
}
# Where the standard's index differs from Python's table, beyond the C1 bytes (below).
_INDEX_FIXES = {("koi8-u", 0xAE): "\u045e", ("koi8-u", 0xBE): "\u040e",
                ("windows-1255", 0xCA): "\u05ba"}
_WIDE = {"utf-16le", "utf-16be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"}
_BOMS = (  # UTF-32's before UTF-16's: FF FE 00 00 starts both
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)


def _python_encoding(label: str) -> str | None:
    """A text encoding Python knows by `label` that no browser does (utf-32, cp437)."""
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, "ignore")  # LookupError for codecs of no text (base64, rot13)
    except (LookupError, ValueError):
        return None
    return LABELS.get(name, name)


def _codec(encoding: str) -> str:
    if encoding in _CODECS:
        return _CODECS[encoding]
    if encoding.startswith("windows-"):
        return "cp" + encoding.removeprefix("windows-")
    if encoding.startswith("iso-8859-"):
        return "iso8859-" + encoding.removeprefix("iso-8859-")
    return encoding


def _single_byte(encoding: str) -> bool:
    return encoding.startswith(("windows-", "iso-8859-", "koi8-")) or encoding in (
        "ibm866", "macintosh", "x-mac-cyrillic", "x-user-defined")


@cache
def _byte_table(encoding: str) -> str:
    """The 256 characters of a single-byte encoding as the standard's index has them."""
    if encoding == "x-user-defined":
        return "".join(chr(b if b < 0x80 else 0xF700 + b) for b in range(256))
    chars = []
    for byte in range(256):
        try:
            char = bytes([byte]).decode(_codec(encoding))
        except UnicodeDecodeError:
            # The standard gives the C1 bytes a Windows code page leaves unassigned their
            # C1 code points; other unassigned bytes are errors (U+FFFE: undefined here).
            char = chr(byte) if 0x80 <= byte <= 0x9F else "\ufffe"
        chars.append(_INDEX_FIXES.get((encoding, byte), char))
    return "".join(chars)


def _decode(data: bytes, encoding: str, errors: str = "strict") -> str:
    if _single_byte(encoding):
        return codecs.charmap_decode(data, errors, _byte_table(encoding))[0]
    return data.decode(_codec(encoding), errors)


def _byte_order(data: bytes, encoding: str) -> str:
    """UTF-16 or UTF-32 named without a byte order: the order the zero bytes show (ASCII
    characters have theirs high), little-endian when they say nothing."""
    width = 4 if "32" in encoding else 2
    head = data[:4096]
    big = head[0::width].count(0) > head[width - 1 :: width].count(0)
    if width == 2:
        return "utf-16be" if big else "utf-16le"
    return "utf-32-be" if big else "utf-32-le"


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte order mark at the start of `data` names, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


# --- binary files ----------------------------------------------------------------------------

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
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
_CONTROL_CHARS = dict.fromkeys(_CONTROL_BYTES)


def _refuse_magic(data: bytes) -> None:
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedType(f"the body is {name}, not a page's text or HTML")


def _refuse_binary(data: bytes, encoding: str | None) -> None:
    """Refuse a body that is mostly control characters. UTF-16 and UTF-32 are judged by
    their characters: half or more of their bytes are zero in any Latin text."""
    head = data[:4096]
    if len(head) < MIN_SNIFF_BYTES:
        return
    if encoding in _WIDE:
        chars = _decode(head, encoding, "replace")
        controls = len(chars) - len(chars.translate(_CONTROL_CHARS))
        share = controls / max(len(chars), 1)
    else:
        share = (len(head) - len(head.translate(None, _CONTROL_BYTES))) / len(head)
    if share <= MAX_CONTROL_SHARE:
        return
    if encoding not in _WIDE and _looks_like_utf16(head):
        raise UnsupportedType(
            "the body looks like UTF-16 text without a byte order mark: name its charset "
            "(utf-16le or utf-16be)"
        )
    raise UnsupportedType("the body is binary data, not a page's text or HTML")


def _looks_like_utf16(head: bytes) -> bool:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) > len(head) / 4 and min(even, odd) < len(head) / 40


# --- detection -------------------------------------------------------------------------------

# The legacy encodings browsers' detectors choose among (Firefox's chardetng: no Mac or DOS
# code pages but IBM866). Ties go to UTF-8, then windows-1252, the Web's most used.
DETECTABLE = (
    "utf-8", "windows-1252", "windows-1250", "windows-1251", "windows-1253", "windows-1254",
    "windows-1255", "windows-1256", "windows-1257", "windows-1258", "windows-874",
    "iso-8859-2", "iso-8859-4", "iso-8859-5", "iso-8859-6", "iso-8859-7", "iso-8859-8",
    "iso-8859-13", "koi8-u", "ibm866", "gbk", "big5", "euc-jp", "iso-2022-jp", "shift_jis",
    "euc-kr",
)
_BY_CODEC = {codecs.lookup(_codec(name)).name: name for name in reversed(DETECTABLE)}
DETECT_BYTES = 1 << 20  # the detector samples; a megabyte is plenty and bounds its time


def detect(data: bytes) -> str | None:
    """The encoding charset-normalizer finds likeliest for `data` among DETECTABLE."""
    import charset_normalizer  # only pages that declare nothing pay for the import

    try:
        matches = list(
            charset_normalizer.from_bytes(data[:DETECT_BYTES], cp_isolation=list(_BY_CODEC))
        )
    except Exception:  # noqa: BLE001 - a heuristic that fails has detected nothing
        return None
    if not matches:
        return None
    best = (matches[0].chaos, matches[0].coherence)
    tied = [  # encodings scored alike, or giving the same text
        _BY_CODEC.get(codecs.lookup(name).name)
        for match in matches
        if (match.chaos, match.coherence) == best
        for name in (match.encoding, *match.could_be_from_charset)
    ]
    tied = [name for name in tied if name]
    for preferred in ("utf-8", "windows-1252"):
        if preferred in tied:
            return preferred
    return tied[0] if tied else None


# --- decoding --------------------------------------------------------------------------------

# Bytes invalid in a declared encoding are a browser's U+FFFD, unless they are at least
# this many and outnumber the non-ASCII characters that decoded: then the declaration is
# wrong, the text would be garbage, and the page is refused with what to send instead.
GARBLED_MIN_INVALID = 8


@dataclass(frozen=True)
class Decoded:
    """A page's text and how it was read from its bytes."""

    text: str
    encoding: str  # the WHATWG name where the standard has one (windows-1252), else Python's
    declared_by: str | None  # what named the encoding; None when assumed or detected
    warnings: tuple[str, ...] = ()


def decode_html(data: bytes, charset: str | None = None) -> Decoded:
    """An HTML page's text, its encoding found as a browser finds it (module docstring)."""
    notes: list[str] = []
    bom = sniff_bom(data)
    if bom:
        _note_overridden(charset, bom[0], data, notes)
        encoding, declared_by, data = bom[0], "the byte order mark", data[bom[1] :]
    else:
        _refuse_magic(data)
        encoding, declared_by = _html_declaration(data, charset, notes)
    _refuse_binary(data, encoding)
    if encoding is None:
        if _is_utf8(data):
            return Decoded(data.decode("utf-8"), "utf-8", None, tuple(notes))
        encoding = detect(data) or "windows-1252"
        notes.append(f"encoding {encoding} detected (no BOM, charset or meta declaration)")
    return _read(data, encoding, declared_by, notes, html=True)


def decode_text(data: bytes, charset: str | None = None) -> Decoded:
    """Plain text: a BOM, else `charset` (any encoding Python knows), else UTF-8."""
    notes: list[str] = []
    bom = sniff_bom(data)
    if bom:
        _note_overridden(charset, bom[0], data, notes)
        encoding, declared_by, data = bom[0], "the byte order mark", data[bom[1] :]
    elif charset:
        _refuse_magic(data)
        encoding, declared_by = charset_encoding(charset, data), "the charset given"
        if encoding is None:
            raise BadInput(f"unknown charset {charset!r}")
    else:
        _refuse_magic(data)
        encoding, declared_by = "utf-8", None
    _refuse_binary(data, encoding)
    return _read(data, encoding, declared_by, notes, html=False)


def decode(data: bytes, *, html: bool, charset: str | None = None) -> Decoded:
    """`decode_html` or `decode_text`."""
    return decode_html(data, charset) if html else decode_text(data, charset)


def stream_codec(head: bytes, charset: str | None) -> str | None:
    """The Python codec to read a whole file with when its lines do not end in b"\\n"
    (UTF-16, UTF-32: by the BOM in `head`, its first bytes, or `charset`), else None."""
    bom = sniff_bom(head)
    encoding = bom[0] if bom else charset_encoding(charset, head) if charset else None
    return _codec(encoding) if encoding in _WIDE else None


def _html_declaration(
    data: bytes, charset: str | None, notes: list[str]
) -> tuple[str | None, str | None]:
    if charset:
        encoding = charset_encoding(charset, data)
        if encoding:
            return encoding, "the charset given"
        notes.append(f"charset {charset!r} is not an encoding browsers know; ignored")
    if encoding := prescan(data):
        return encoding, "the page's <meta>"
    if encoding := xml_declaration(data):
        return encoding, "the page's XML declaration"
    if encoding := prescan(data, limit=None):
        return encoding, "the page's <meta>"
    return None, None


def charset_encoding(label: str, data: bytes = b"") -> str | None:
    """The encoding a caller's charset names: a browser's reading of the label, else
    Python's; bare UTF-16 or UTF-32 takes the byte order the bytes show."""
    label = label.strip().strip("\"'")
    try:
        if codecs.lookup(label).name in ("utf-16", "utf-32"):
            return _byte_order(data, codecs.lookup(label).name)
    except LookupError:
        pass
    return encoding_for_label(label) or _python_encoding(label)


def _note_overridden(charset: str | None, encoding: str, data: bytes, notes: list[str]) -> None:
    if charset and charset_encoding(charset, data) not in (encoding, None):
        notes.append(f"the body starts with a {encoding} byte order mark, which overrides "
                     f"charset {charset!r}")


def _read(
    data: bytes, encoding: str, declared_by: str | None, notes: list[str], *, html: bool
) -> Decoded:
    """Decode with an encoding chosen; refuse, or replace and say so, what does not fit."""
    if encoding == "replacement":
        raise BadInput(
            f"{declared_by} names an encoding browsers refuse to decode (ISO-2022-KR, "
            "ISO-2022-CN or HZ-GB-2312); convert the page to UTF-8 and send charset=utf-8"
        )
    try:
        text = _decode(data, encoding)
    except UnicodeError as error:
        text = _replaced(data, encoding, error, declared_by, html=html)
        invalid = text.count("\ufffd") - _decode(data, encoding, "ignore").count("\ufffd")
        named = f"which {declared_by} names" if declared_by else "as detected"
        notes.append(f"{invalid} byte sequence{'s' if invalid != 1 else ''} invalid in "
                     f"{encoding}, {named}, read as U+FFFD, as a browser shows them")
    if declared_by and encoding != "utf-8" and not data.isascii() and _is_utf8(data):
        notes.append(f"the bytes are valid UTF-8 but {declared_by} says {encoding}, which was "
                     "used; if the text shows 'Ã©' and the like, send charset=utf-8")
    return Decoded(text, encoding, declared_by, tuple(notes))


def _replaced(
    data: bytes, encoding: str, error: UnicodeError, declared_by: str | None, *, html: bool
) -> str:
    """The text with U+FFFD for what does not decode; BadInput where that is refused."""
    try:
        text = _decode(data, encoding, "replace") if html else ""
    except UnicodeError:  # a codec that cannot replace (punycode): refused like text
        text, html = "", False
    invalid = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if html and (declared_by is None or invalid < GARBLED_MIN_INVALID or 2 * invalid <= non_ascii):
        return text
    start = getattr(error, "start", 0)
    where = f"byte {start} ({data[start : start + 1]!r})"
    guess = detect(data)
    hint = f" (the bytes read as {guess})" if guess and guess != encoding else ""
    if declared_by is None:
        raise BadInput(f"the bytes are not valid UTF-8: {where} cannot be decoded; send UTF-8 "
                       f"or name the charset{hint}")
    what = f"{invalid} of the {non_ascii} non-ASCII characters" if html else where
    override = "; a charset given overrides the page's own declaration" if html else ""
    raise BadInput(f"the bytes are not {encoding} as {declared_by} says: {what} "
                   f"cannot be decoded; name the right charset{hint}{override}")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
