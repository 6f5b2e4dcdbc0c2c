"""What a page says its encoding is, read the way browsers read it.

The WHATWG Encoding Standard's labels (`latin1` is windows-1252, `gb2312` is GBK), HTML's
"prescan a byte stream to determine its encoding" (the `<meta charset>` or `<meta
http-equiv=content-type>` in a page's first 1024 bytes), and an XML declaration's
`encoding`. `decoding` decides which of them applies; this module only reads them.
Written from the standards' text (encoding.spec.whatwg.org, html.spec.whatwg.org).
"""

from __future__ import annotations

import re

# The Encoding Standard's labels, by encoding (encoding.spec.whatwg.org, "Names and labels").
_LABELS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "ibm866": "866 cp866 csibm866 ibm866",
    "iso-8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 "
    "iso_8859-2:1987 l2 latin2",
    "iso-8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 "
    "iso_8859-3:1988 l3 latin3",
    "iso-8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 "
    "iso_8859-4:1988 l4 latin4",
    "iso-8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 "
    "iso_8859-5 iso_8859-5:1988",
    "iso-8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 "
    "iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 "
    "iso_8859-6:1987",
    "iso-8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 "
    "iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso-8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 "
    "iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual",
    "iso-8859-8-i": "csiso88598i iso-8859-8-i logical",
    "iso-8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso-8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso-8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso-8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso-8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "macintosh": "csmacintosh mac macintosh x-mac-roman",
    "windows-874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "windows-1250": "cp1250 windows-1250 x-cp1250",
    "windows-1251": "cp1251 windows-1251 x-cp1251",
    "windows-1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 "
    "iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii "
    "windows-1252 x-cp1252",
    "windows-1253": "cp1253 windows-1253 x-cp1253",
    "windows-1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
    "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254",
    "windows-1255": "cp1255 windows-1255 x-cp1255",
    "windows-1256": "cp1256 windows-1256 x-cp1256",
    "windows-1257": "cp1257 windows-1257 x-cp1257",
    "windows-1258": "cp1258 windows-1258 x-cp1258",
    "x-mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gbk": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk",
    "gb18030": "gb18030",
    "big5": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc-jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso-2022-jp": "csiso2022jp iso-2022-jp",
    "shift_jis": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "euc-kr": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 "
    "ksc5601 ksc_5601 windows-949",
    "replacement": "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement",
    "utf-16be": "unicodefffe utf-16be",
    "utf-16le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
    "x-user-defined": "x-user-defined",
}
LABELS = {label: name for name, labels in _LABELS.items() for label in labels.split()}

def encoding_for_label(label: str | bytes) -> str | None:
    """The WHATWG "get an encoding": the encoding a browser reads `label` as, or None."""
    if isinstance(label, bytes):
        label = label.decode("latin-1")
    return LABELS.get(label.strip("\t\n\f\r ").lower())



# --- the prescan (WHATWG HTML, "prescan a byte stream to determine its encoding") ----------

PRESCAN_BYTES = 1024
_WS = rb"\t\n\f\r "
# One attribute as "get an attribute" reads it: spaces and slashes skipped, a name (which
# may start with "="), then optionally "=" and a value, quoted or up to a space or ">".
_ATTRIBUTE = (
    rb"[\t\n\f\r /]*+(?P<name>[^\t\n\f\r />][^\t\n\f\r />=]*+)"
    rb"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+"
    rb"(?>\"(?P<dq>[^\"]*+)(?:\"|\Z)|'(?P<sq>[^']*+)(?:'|\Z)|(?P<bare>[^\t\n\f\r >]*+)))?+"
)
_ATTRIBUTES = rb"(?:" + re.sub(rb"\(\?P<\w+>", b"(?:", _ATTRIBUTE) + rb")*+[\t\n\f\r /]*+"
_TOKENS = (
    rb"<!--(?:-?>|.*?-->|.*\Z)"  # a comment; its "-->" may share the opening's dashes
    rb"|<meta(?=[\t\n\f\r /])(?P<meta>" + _ATTRIBUTES + rb")>"
    rb"|</?[a-z][^\t\n\f\r >]*+" + _ATTRIBUTES  # any other tag: its attributes skipped
    + rb"|<[!/?][^>]*+>?"  # <!doctype>, </3>, <?xml ...?>: up to the next ">"
)
_PRESCAN = re.compile(_TOKENS, re.I | re.S)
# Past the first 1024 bytes the parser, not the prescan, meets the <meta>: it reads the
# text of script, style and the like as text, so a "<meta" in a script is no declaration.
_PARSE = re.compile(
    rb"<(?P<raw>script|style|textarea|title|xmp|iframe|noembed|noframes)(?=[\t\n\f\r />])"
    rb"(?:.*?</(?P=raw)|.*\Z)|" + _TOKENS,
    re.I | re.S,
)
_ATTRIBUTE_RE = re.compile(_ATTRIBUTE, re.S)


def prescan(data: bytes, limit: int | None = PRESCAN_BYTES) -> str | None:
    """The encoding the first `limit` bytes of an HTML page declare, or None.

    `limit=None` scans the whole page as its parser would meet <meta> elements."""
    tokens = _PRESCAN.finditer(data[:limit]) if limit else _PARSE.finditer(data)
    for token in tokens:
        if token["meta"] is not None:
            encoding = _meta_encoding(token["meta"])
            if encoding:
                return encoding
    return None


def _meta_encoding(attributes: bytes) -> str | None:
    """What one <meta> element declares, by the prescan's rules (None when nothing)."""
    seen: set[bytes] = set()
    got_pragma, need_pragma, charset = False, None, None
    for attribute in _ATTRIBUTE_RE.finditer(attributes):
        name = attribute["name"].lower()
        if name in seen:  # only an attribute's first occurrence counts
            continue
        seen.add(name)
        value = (attribute["dq"] or attribute["sq"] or attribute["bare"] or b"").lower()
        if name == b"http-equiv":
            got_pragma = got_pragma or value == b"content-type"
        elif name == b"content":
            found = _charset_in_content(value)
            if found and charset is None:
                charset, need_pragma = found, True
        elif name == b"charset":
            charset, need_pragma = encoding_for_label(value), False
    if need_pragma is None or (need_pragma and not got_pragma) or charset is None:
        return None
    if charset in ("utf-16le", "utf-16be"):
        return "utf-8"  # bytes a prescan could read are not UTF-16
    return "windows-1252" if charset == "x-user-defined" else charset


# The first "charset" followed by "=" (the algorithm's loop, in one search: occurrences of
# "charset" cannot overlap), then its value: quoted, or up to a space or ";".
_CONTENT_CHARSET = re.compile(rb"charset[\t\n\f\r ]*+=[\t\n\f\r ]*+(.?)")


def _charset_in_content(value: bytes) -> str | None:
    """"Extract a character encoding from a meta element": `charset=` in a content value."""
    found = _CONTENT_CHARSET.search(value)
    if not found or not found[1]:
        return None
    start = found.start(1)
    if found[1] in (b'"', b"'"):
        end = value.find(found[1], start + 1)
        return encoding_for_label(value[start + 1 : end]) if end > 0 else None
    return encoding_for_label(re.match(rb"[^\t\n\f\r ;]*", value[start : start + 64])[0])


_XML_DECLARATION = re.compile(
    rb"<\?xml[\t\n\r ]+version[\t\n\r ]*=[\t\n\r ]*([\"'])[^\"']*\1[\t\n\r ]+"
    rb"encoding[\t\n\r ]*=[\t\n\r ]*([\"'])([A-Za-z][\w.:-]*)\2"
)


def xml_declaration(data: bytes) -> str | None:
    """The encoding an XML declaration at the very start names (UTF-16 there means UTF-8:
    the declaration was readable as ASCII)."""
    match = _XML_DECLARATION.match(data)
    encoding = encoding_for_label(match[3]) if match else None
    return "utf-8" if encoding in ("utf-16le", "utf-16be") else encoding
