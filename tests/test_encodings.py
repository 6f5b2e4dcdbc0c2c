"""Pages as crawlers hold them: bytes in their own encoding, decoded as a browser would.

The decoder's rules one by one (labels, the WHATWG prescan, the order of BOM, charset and
declarations, plain text, binary files, declarations that lie), then the doors: every
page of the trafilatura-eval corpus posted over real HTTP as its raw bytes must give what
the same page, decoded beforehand, gives; XHTML and UTF-16/32 over HTTP; the CLI and the
batch runner. The whole corpus runs with CLEANER_FULL_CORPUS=1 (the default run takes
the non-UTF-8 pages, the pages that exercise a rule, and a sample of the rest).
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import BUS_STORY, ROOT, SEEDS

from service import clean
from service.doors import batch, cli
from service.engine.decoding import LABELS, decode_html, decode_text, detect
from service.engine.encoding_declarations import encoding_for_label, prescan
from service.errors import BadInput, CleanError, UnsupportedType

CORPUS = ROOT.parent / "shared" / "bench" / "trafilatura-eval" / "html"
# The bus story with a paragraph of German and a few signs beyond Latin-1 (all in cp1252).
STORY = "\n\n".join([
    *BUS_STORY[:4],
    "Der Stadtrat hat für die nördlichen Vororte drei Buslinien beschlossen; "
    "Anwohner begrüßen die Änderung, Grüße aus Köln, café, “quoted”, naïve — über alles.",
    *BUS_STORY[4:],
])
SEED = (SEEDS / "001_cabdf59f935a869e.txt").read_text(encoding="utf-8")


def assert_same_result(got: dict, want: dict) -> None:
    """`got` (from bytes) is `want` (from text, or UTF-8 bytes) but for the decoding's
    warnings, which come first, and `input.encoding`."""
    extra = len(got["warnings"]) - len(want["warnings"])
    assert extra >= 0 and got["warnings"][extra:] == want["warnings"]
    assert all("U+FFFD" in w or "detected" in w for w in got["warnings"][:extra])

    def rest(result: dict) -> dict:
        given = {k: v for k, v in result["input"].items() if k != "encoding"}
        return {**result, "warnings": [], "input": given}

    assert rest(got) == rest(want)


def html_page(body: str = STORY, head: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"<html><head>{head}<title>Buses</title></head><body>{paragraphs}</body></html>"


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "encoding"),
    [
        ("ISO-8859-1", "windows-1252"), (" latin1\t", "windows-1252"), ("ascii", "windows-1252"),
        ("US-ASCII", "windows-1252"), ("utf8", "utf-8"), ("gb2312", "gbk"),
        ("x-sjis", "shift_jis"), ("ks_c_5601-1987", "euc-kr"), ("tis-620", "windows-874"),
        ("iso-8859-9", "windows-1254"), ("utf-16", "utf-16le"), ("iso-2022-kr", "replacement"),
        ("latin-1", None), ("klingon", None), ("", None),
    ],
)
def test_labels_are_read_as_browsers_read_them(label, encoding):
    assert encoding_for_label(label) == encoding


@pytest.mark.parametrize("encoding", sorted(set(LABELS.values()) - {"replacement"}))
def test_every_encoding_a_label_names_decodes(encoding):
    text = decode_html(bytes(range(32, 128)), encoding).text
    assert text.startswith(" !\"#") or encoding.startswith("utf-16")


def test_single_byte_encodings_follow_the_standards_indexes():
    # windows-1252's five unassigned bytes are C1 controls, not errors.
    assert decode_html(b"\x80\x81\x8d\x8f\x90\x9d\x9f", "latin1").text == "€\x81\x8d\x8f\x90\x9dŸ"
    assert decode_html(b"\xae\xbe", "koi8-u").text == "ўЎ"  # KOI8-RU, as browsers
    assert decode_html(b"\xca", "windows-1255").text == "\u05ba"
    assert decode_html(b"a\x80\xff", "x-user-defined").text == "a\uf780\uf7ff"


# --- the prescan: one test per rule ----------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [b'<meta charset="koi8-r">', b"<meta charset='koi8-r'>", b"<meta charset=koi8-r>",
     b'<META CHARSET="KOI8-R">', b"<meta\ncharset=koi8-r>", b'<meta name=x charset=" koi8-r ">',
     b'<meta/charset="koi8-r">'],
)
def test_meta_charset(meta):
    assert prescan(b"<!DOCTYPE html><html><head>" + meta) == "koi8-r"


@pytest.mark.parametrize(
    "meta",
    [b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
     b'<meta content="text/html; charset=koi8-r" http-equiv="content-type">',
     b"<meta http-equiv=content-type content='text/html;charset=\"koi8-r\"'>",
     b'<meta http-equiv="Content-Type" content="charsetx; charset = koi8-r; foo">'],
)
def test_meta_http_equiv_content_type(meta):
    assert prescan(meta) == "koi8-r"


@pytest.mark.parametrize(
    "meta",
    [b'<meta content="text/html; charset=koi8-r">',  # no pragma: content alone says nothing
     b'<meta http-equiv="refresh" content="text/html; charset=koi8-r">',
     b'<meta http-equiv="Content-Type" content="text/html; charset=\'koi8-r">',  # unmatched
     b'<meta http-equiv="Content-Type" content="text/html; charset">',
     b"<metacharset=koi8-r>",  # not a meta element
     b"<meta charset=koi8-r/>"],  # an unquoted value runs to a space or ">": "koi8-r/"
)
def test_meta_that_declares_nothing(meta):
    assert prescan(meta) is None


def test_a_charset_attribute_beats_a_content_attribute():
    meta = b'<meta content="text/html; charset=koi8-r" http-equiv=content-type charset=latin2>'
    assert prescan(meta) == "iso-8859-2"


def test_only_an_attributes_first_occurrence_counts():
    assert prescan(b'<meta charset="koi8-r" charset="latin2">') == "koi8-r"


def test_comments_are_skipped():
    assert prescan(b'<!-- <meta charset="koi8-r"> --><meta charset="latin2">') == "iso-8859-2"
    # "-->" may share the dashes of "<!--": "<!-->" is a whole comment.
    assert prescan(b'<!--><meta charset="koi8-r">') == "koi8-r"
    assert prescan(b'<!-- unclosed <meta charset="koi8-r">') is None


def test_other_tags_attributes_are_skipped_whole():
    page = b"<a title='<meta charset=\"koi8-r\">'></a><meta charset=\"latin2\">"
    assert prescan(page) == "iso-8859-2"
    assert prescan(b'</p class="<meta charset=koi8-r>"><meta charset=latin2>') == "iso-8859-2"


def test_markup_declarations_end_at_the_next_gt():
    assert prescan(b'<?xml version="1.0"?><!DOCTYPE html><meta charset=koi8-r>') == "koi8-r"
    assert prescan(b'<!x <meta charset="koi8-r">') is None  # the meta is inside "<!x ...>"


def test_an_unknown_label_is_passed_over_for_the_next_meta():
    assert prescan(b'<meta charset="klingon"><meta charset="koi8-r">') == "koi8-r"


@pytest.mark.parametrize(
    ("label", "encoding"),
    [("utf-16", "utf-8"), ("UTF-16BE", "utf-8"), ("x-user-defined", "windows-1252")],
)
def test_meta_labels_the_prescan_replaces(label, encoding):
    assert prescan(f'<meta charset="{label}">'.encode()) == encoding


def test_the_prescan_reads_the_first_1024_bytes():
    late = b"<!--" + b"x" * 1100 + b'--><meta charset="koi8-r">'
    assert prescan(late) is None
    straddling = b" " * 1010 + b'<meta charset="koi8-r">'
    assert prescan(straddling) is None


@pytest.mark.parametrize(
    "page",
    [b'<meta http-equiv=content-type content="' + b"charset" * 600_000 + b'">',
     b" " * 2000 + b'<meta http-equiv=content-type content="' + b"charset=" * 500_000,
     b"<!-- " * 800_000, b"x" * 2000 + b"<script " * 500_000, b'<a x="' * 700_000,
     b"<meta charset=klingon>" * 100_000],
    ids=["content of charsets", "late content of charset=", "unclosed comments",
         "unclosed scripts", "unclosed quotes", "many metas"],
)
def test_hostile_declarations_are_read_in_linear_time(page):
    started = time.monotonic()
    assert decode_html(page).encoding == "utf-8"
    assert time.monotonic() - started < 3


# --- which declaration wins (decode_html) ----------------------------------------------------


def test_a_meta_further_on_is_honoured_as_a_parser_would():
    page = b"<!--" + b"x" * 1100 + b'--><meta charset="koi8-r"><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>'
    decoded = decode_html(page)
    assert (decoded.encoding, decoded.declared_by) == ("koi8-r", "the page's <meta>")
    assert "Привет" in decoded.text


def test_past_the_prescan_script_text_declares_nothing():
    page = (b"<p>" + b"x" * 1100 + b"</p><script>document.write('<meta charset=\"koi8-r\">')"
            b"</script><meta charset=latin2>")
    assert decode_html(page).encoding == "iso-8859-2"


def test_a_bom_beats_the_charset_and_the_meta():
    page = codecs.BOM_UTF8 + html_page(head='<meta charset="koi8-r">').encode()
    decoded = decode_html(page, "koi8-r")
    assert (decoded.encoding, decoded.declared_by) == ("utf-8", "the byte order mark")
    assert "Grüße" in decoded.text and not decoded.text.startswith("\ufeff")
    assert "overrides charset 'koi8-r'" in decoded.warnings[0]


def test_the_charset_given_beats_the_meta():
    page = html_page(head='<meta charset="koi8-r">').encode("cp1252")
    decoded = decode_html(page, "windows-1252")
    assert (decoded.encoding, decoded.declared_by) == ("windows-1252", "the charset given")
    assert "Grüße" in decoded.text


def test_an_unknown_charset_is_ignored_as_browsers_do():
    decoded = decode_html(html_page(head="<meta charset=latin1>").encode("cp1252"), "klingon")
    assert decoded.encoding == "windows-1252" and "Grüße" in decoded.text
    assert decoded.warnings == ("charset 'klingon' is not an encoding browsers know; ignored",)


def test_a_charset_only_python_knows_is_honoured():
    decoded = decode_html(html_page().encode("utf-32-be"), "utf-32")
    assert decoded.encoding == "utf-32-be" and "Grüße" in decoded.text


def test_the_meta_beats_an_xml_declaration_which_beats_detection():
    xml = '<?xml version="1.0" encoding="ISO-8859-2"?>'
    declared = (xml + html_page(head="<meta charset=koi8-r>")).encode()
    assert decode_html(declared).encoding == "koi8-r"
    decoded = decode_html((xml + html_page()).encode("iso8859-2", "replace"))
    assert (decoded.encoding, decoded.declared_by) == ("iso-8859-2", "the page's XML declaration")


def test_undeclared_utf8_is_utf8_without_a_warning():
    decoded = decode_html(html_page().encode())
    assert (decoded.encoding, decoded.declared_by, decoded.warnings) == ("utf-8", None, ())


def test_undeclared_legacy_bytes_are_detected_and_said_so():
    decoded = decode_html(html_page().encode("cp1252"))
    assert decoded.encoding == "windows-1252"
    assert "Grüße aus Köln, café, “quoted”, naïve" in decoded.text
    assert decoded.warnings == (
        "encoding windows-1252 detected (no BOM, charset or meta declaration)",
    )


@pytest.mark.parametrize(("text", "encoding"), [
    ("Привет, как дела? Всё хорошо, спасибо. " * 20, "windows-1251"),
    ("東京都は火曜日に新しいバス路線を発表しました。" * 20, "shift_jis"),
])
def test_the_detector_finds_other_scripts(text, encoding):
    assert detect(html_page(text).encode(encoding)) == encoding


def test_an_encoding_browsers_refuse_is_a_clear_400():
    with pytest.raises(BadInput, match="refuse to decode.*send charset=utf-8"):
        decode_html(html_page(head='<meta charset="iso-2022-kr">').encode())


# --- declarations that lie -------------------------------------------------------------------


def test_a_few_invalid_bytes_read_as_a_browser_shows_them():
    page = html_page(head="<meta charset=utf-8>").encode() + b"<p>caf\xe9 \xff</p>"
    decoded = decode_html(page)
    assert decoded.text.endswith("<p>caf\ufffd \ufffd</p>") and "Grüße" in decoded.text
    assert decoded.warnings == (
        "2 byte sequences invalid in utf-8, which the page's <meta> names, read as U+FFFD, "
        "as a browser shows them",
    )


def test_a_declaration_most_of_the_text_contradicts_is_a_clear_400():
    page = html_page(head="<meta charset=utf-8>").encode("cp1252")
    with pytest.raises(BadInput) as refused:
        decode_html(page)
    assert "not utf-8 as the page's <meta> says" in refused.value.detail
    assert "read as windows-1252" in refused.value.detail
    assert "a charset given overrides the page's own declaration" in refused.value.detail
    assert "Grüße" in decode_html(page, "windows-1252").text  # which is the fix


def test_valid_utf8_under_a_legacy_declaration_is_decoded_as_declared_with_a_hint():
    decoded = decode_html(html_page(head="<meta charset=iso-8859-1>").encode())
    assert decoded.encoding == "windows-1252" and "GrÃ¼ÃŸe" in decoded.text
    assert "valid UTF-8 but the page's <meta> says windows-1252" in decoded.warnings[0]


# --- plain text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
     (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
     (codecs.BOM_UTF32_BE, "utf-32-be")],
)
@pytest.mark.parametrize("charset", [None, "windows-1252"])
def test_text_honours_a_bom_over_any_charset(bom, codec, charset):
    decoded = decode_text(bom + STORY.encode(codec), charset)
    assert decoded.text == STORY and decoded.declared_by == "the byte order mark"


CYRILLIC = "Привіт, як справи? Ґанок і їжак. " * 20
LATIN = "Grüße aus Köln, café, naïve, señor. " * 20


@pytest.mark.parametrize(
    ("charset", "codec", "text"),
    [("utf-16", "utf-16-le", STORY), ("utf-16", "utf-16-be", STORY),
     ("UTF-16BE", "utf-16-be", STORY), ("utf-32", "utf-32-le", STORY),
     ("utf-32", "utf-32-be", STORY), ("utf-32le", "utf-32-le", STORY),
     ("windows-1252", "cp1252", STORY), ("koi8-u", "koi8-u", CYRILLIC),
     ("cp850", "cp850", LATIN)],
)
def test_text_honours_the_charset_given(charset, codec, text):
    decoded = decode_text(text.encode(codec), charset)
    assert decoded.text == text and decoded.declared_by == "the charset given"


def test_text_reads_latin1_as_windows_1252_as_browsers_do():
    assert decode_text(b"\x93quoted\x94 caf\xe9", "iso-8859-1").text == "“quoted” café"


def test_text_without_bom_or_charset_must_be_utf8():
    with pytest.raises(BadInput) as refused:
        decode_text(STORY.encode("cp1252"))
    detail = refused.value.detail
    assert detail.startswith("the bytes are not valid UTF-8: byte ")
    assert "send UTF-8 or name the charset (the bytes read as windows-1252)" in detail


def test_text_in_a_charset_it_is_not_in_is_refused():
    with pytest.raises(BadInput, match="not utf-16le as the charset given says"):
        decode_text(b"odd", "utf-16le")
    with pytest.raises(BadInput, match="not shift_jis as the charset given says"):
        decode_text(b"\x82\xa0\x82 ok", "shift_jis")


@pytest.mark.parametrize("charset", ["klingon", "base64", "rot13", "undefined"])
def test_text_with_an_unknown_charset_is_refused(charset):
    with pytest.raises(BadInput, match="unknown charset"):
        decode_text(b"hello", charset)


# --- binary files ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"%PDF-1.7\n\x00\x01", b"\x89PNG\r\n\x1a\n\x00", b"PK\x03\x04"])
@pytest.mark.parametrize("charset", [None, "utf-16"])
def test_binary_files_are_refused_whatever_their_charset(data, charset):
    for decoder in (decode_text, decode_html):
        with pytest.raises(UnsupportedType):
            decoder(data + bytes(range(256)) * 4, charset)


@pytest.mark.parametrize(("prefix", "charset"), [(b"", None), (b"", "utf-8"),
                                               (b"<meta charset=utf-8>", None),
                                               (codecs.BOM_UTF8, None)])
def test_control_bytes_are_binary_data_whatever_declares_an_encoding(prefix, charset):
    for decoder in (decode_text, decode_html):
        with pytest.raises(UnsupportedType, match="binary data"):
            decoder(prefix + bytes(range(32)) * 40, charset)


def test_every_codec_python_knows_gives_a_result_or_a_problem():
    import encodings
    import pkgutil

    names = set(encodings.aliases.aliases.values())
    names |= {module.name for module in pkgutil.iter_modules(encodings.__path__)}
    for name in sorted(names):
        for data in (b"<p>caf\xc3\xa9 \xe9 \x82\xff</p>" * 20, "Grüße".encode("utf-16")):
            for decoder in (decode_text, decode_html):
                try:
                    decoder(data, name)
                except CleanError:
                    pass


@pytest.mark.parametrize(("codec", "charset"), [
    ("utf-16", None), ("utf-32", None), ("utf-16-le", "utf-16"), ("utf-32-be", "utf-32"),
])
def test_utf16_and_utf32_with_a_bom_or_charset_are_not_binary(codec, charset):
    assert decode_text(STORY.encode(codec), charset).text == STORY
    assert "Grüße" in decode_html(html_page().encode(codec), charset).text


def test_utf16_without_bom_or_charset_is_refused_with_the_fix():
    with pytest.raises(UnsupportedType, match="looks like UTF-16.*name its charset"):
        decode_text(STORY.encode("utf-16-le"))


# --- clean() given bytes ---------------------------------------------------------------------


def test_clean_decodes_bytes_and_says_how():
    page = html_page(head="<meta charset=iso-8859-1>")
    result = clean(html=page.encode("cp1252"))
    assert_same_result(result, clean(html=page))
    assert result["input"]["encoding"] == "windows-1252"
    assert "encoding" not in clean(html=page)["input"]
    detected = clean(html=html_page().encode("cp1252"))
    assert detected["warnings"][0].startswith("encoding windows-1252 detected")
    text = clean(text=SEED.encode("utf-16-be"), charset="utf-16")
    assert text["paragraphs"] == clean(text=SEED)["paragraphs"]
    assert text["input"]["encoding"] == "utf-16be"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"text": "a str", "charset": "utf-8"}, "charset is for a page given as bytes"),
     ({"html": b"   "}, "the page is empty"),
     ({"text": b"abc", "charset": 5}, "charset must be a string")],
)
def test_clean_refuses_what_it_cannot_decode(kwargs, message):
    with pytest.raises(CleanError, match=message):
        clean(**kwargs)


# --- over real HTTP --------------------------------------------------------------------------


def post(base: str, body: bytes, content_type: str, path: str = "/v1/clean"):
    request = urllib.request.Request(
        base + path, data=body, headers={"Content-Type": content_type}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# The pages that are not UTF-8, and pages that exercise a rule, with the encoding they are
# in (read off each page; Python's own codecs then decode them for the reference).
CORPUS_ENCODINGS = {
    "0128": "cp1252",  # <meta http-equiv> only, iso-8859-1: windows-1252
    "0302": "cp1252",  # <meta charset=windows-1252>
    "0007": "cp1252",  # <meta http-equiv> only, past the first 1024 bytes
    "0081": "cp1252",  # its <meta> 58 kB in, after 15 kB of script
    "0511": "gb18030",  # gb2312 (GBK) declared past the first 1024 bytes
    "0220": "utf-8",  # UTF-8 by <meta http-equiv>, with three Latin-1 bytes
    "0497": "utf-8",  # UTF-8 by <meta charset>, with one stray byte
    "0597": "utf-8",  # four stray bytes
    "0440": "utf-8-sig",  # a BOM
    "0428": "utf-8",  # an XML declaration
    "0390": "utf-8",  # no declaration at all
    **dict.fromkeys(["0311", "0374", "0393", "0416", "0567", "0569", "0616", "0711",
                     "0760", "0865", "0880", "0890", "0906"], "cp1252"),
}


def corpus_pages() -> list[str]:
    if not CORPUS.is_dir():
        return []
    names = sorted(p.name[:4] for p in CORPUS.glob("*.html.gz"))
    if os.environ.get("CLEANER_FULL_CORPUS"):
        return names
    return sorted(set(CORPUS_ENCODINGS) | set(names[::25]))


def reference_text(raw: bytes, name: str) -> str:
    """The page decoded beforehand, by Python's codecs and the encoding read off the page."""
    return raw.decode(CORPUS_ENCODINGS.get(name, "utf-8-sig"), "replace")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/bench/trafilatura-eval is missing")
@pytest.mark.parametrize("name", corpus_pages())
def test_corpus_page_as_raw_bytes_gets_what_it_gets_decoded(server, name):
    raw = gzip.decompress((CORPUS / f"{name}.html.gz").read_bytes())
    status, got = post(server, raw, "text/html")
    assert status == 200, got
    status, want = post(server, json.dumps({"html": reference_text(raw, name)}).encode(),
                        "application/json")
    assert status == 200, want
    assert_same_result(got, want)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/bench/trafilatura-eval is missing")
def test_corpus_page_with_no_declaration_is_detected(server):
    raw = gzip.decompress((CORPUS / "0880.html.gz").read_bytes())
    bare = re.sub(rb"<meta[^>]*charset[^>]*>", b"", raw, flags=re.I)
    status, got = post(server, bare, "text/html")
    assert status == 200 and got["input"]["encoding"] == "windows-1252"
    assert got["warnings"][0] == (
        "encoding windows-1252 detected (no BOM, charset or meta declaration)"
    )
    _, want = post(server, json.dumps({"html": bare.decode("cp1252")}).encode(), "application/json")
    assert_same_result(got, want)


XHTML = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Buses</title></head><body>'
    + "".join(f"<p>{p}</p>" for p in STORY.split("\n\n")) + "<br/></body></html>"
)


@pytest.mark.parametrize("charset", ["", "; charset=iso-8859-1"])
def test_xhtml_over_http(server, charset):
    status, got = post(server, XHTML.encode("cp1252"), "application/xhtml+xml" + charset)
    assert status == 200, got
    assert got["input"]["encoding"] == "windows-1252"
    _, want = post(server, json.dumps({"html": XHTML}).encode(), "application/json")
    assert_same_result(got, want)
    assert any("Grüße" in p for p in got["paragraphs"])


@pytest.mark.parametrize(
    ("codec", "content_type"),
    [("utf-16", "text/plain; charset=utf-16"), ("utf-16-le", "text/plain; charset=utf-16"),
     ("utf-16-be", "text/plain; charset=UTF-16BE"), ("utf-32", "text/plain; charset=utf-32"),
     ("utf-32-be", "text/plain; charset=utf-32"), ("utf-16", "text/plain"),
     ("utf-32", "text/plain")],
)
def test_utf16_and_utf32_text_over_http(server, codec, content_type):
    status, got = post(server, SEED.encode(codec), content_type)
    assert status == 200, got
    _, want = post(server, SEED.encode(), "text/plain")
    assert_same_result(got, want)
    assert got["outlet"] == "kyiv_independent"


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_html_over_http(server, codec):
    status, got = post(server, html_page().encode(codec), "text/html")
    assert status == 200, got
    _, want = post(server, html_page().encode(), "text/html")
    assert_same_result(got, want)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (SEED.encode("cp1252", "replace"), "text/plain; charset=utf-8", 400,
         "not utf-8 as the charset given says"),
        (SEED.encode("cp1252", "replace"), "text/plain", 400, "send UTF-8 or name the charset"),
        (html_page().encode("cp1252"), "text/html; charset=utf-8", 400,
         "read as windows-1252"),
        (html_page(head='<meta charset="hz-gb-2312">').encode(), "text/html", 400,
         "refuse to decode"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "text/plain; charset=utf-16", 415, "PDF"),
        (STORY.encode("utf-16-le"), "text/plain", 415, "looks like UTF-16"),
        (b"hello", "text/html; charset=klingon", 200, ""),
        (b"<p>hello</p>", "application/xml", 415, "application/xhtml+xml"),
    ],
)
def test_lies_and_binaries_over_http_are_clear_problems(server, body, content_type, status, says):
    got, payload = post(server, body, content_type)
    assert got == status
    if status != 200:
        assert payload["status"] == status and says in payload["detail"]
        assert "Traceback" not in payload["detail"]


# --- the CLI and the batch runner ------------------------------------------------------------


def run_main(main, argv: list[str], capsysbinary, monkeypatch, stdin: bytes = b"") -> tuple:
    """A door's `main(argv)` run in this process: (exit status, stdout bytes, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(stdin))))
    status = main(argv)
    out, err = capsysbinary.readouterr()
    return status, out, err.decode()


def test_cli_clean_html_decodes_as_a_browser_would(tmp_path: Path, capsysbinary, monkeypatch):
    page = tmp_path / "page.html"
    page.write_bytes(html_page(head="<meta charset=iso-8859-1>").encode("cp1252"))
    status, out, err = run_main(cli.main, ["clean", "--html", str(page)], capsysbinary,
                                monkeypatch)
    assert status == 0, err
    result = json.loads(out)
    assert result["input"]["encoding"] == "windows-1252"
    assert any("Grüße" in p for p in result["paragraphs"])


def test_cli_charset_names_the_files_encoding(capsysbinary, monkeypatch):
    argv = ["clean", "--charset", "utf-16", "-"]
    status, out, err = run_main(cli.main, argv, capsysbinary, monkeypatch,
                                SEED.encode("utf-16-be"))
    assert status == 0, err
    assert json.loads(out)["paragraphs"] == clean(text=SEED)["paragraphs"]
    status, out, err = run_main(cli.main, ["clean", "-"], capsysbinary, monkeypatch,
                                SEED.encode("cp1252"))
    assert (status, out) == (2, b"")
    assert err.startswith("error: the bytes are not valid UTF-8") and "name the charset" in err


@pytest.mark.parametrize(
    ("codec", "options"),
    [("utf-8-sig", []), ("utf-16", []), ("utf-32", []), ("cp1252", ["--charset", "latin1"]),
     ("utf-16-be", ["--charset", "utf-16"])],
)
def test_clean_batch_reads_files_in_their_encoding(
    tmp_path: Path, capsysbinary, monkeypatch, codec, options
):
    lines = [json.dumps({"id": "a", "text": SEED}, ensure_ascii=False),
             json.dumps({"id": "b", "html": html_page()}, ensure_ascii=False)]
    source = tmp_path / "pages.jsonl"
    source.write_bytes(("\r\n".join(lines) + "\r\n").encode(codec))
    argv = [str(source), "--workers", "1", *options]
    status, out, err = run_main(batch.main, argv, capsysbinary, monkeypatch)
    assert status == 0, err
    answers = [json.loads(line) for line in out.decode().splitlines()]
    assert [(a["id"], a["status"]) for a in answers] == [("a", 200), ("b", 200)]
    assert answers[0]["result"]["paragraphs"] == clean(text=SEED)["paragraphs"]
    assert any("Grüße" in p for p in answers[1]["result"]["paragraphs"])


def test_clean_batch_refuses_an_unknown_charset_and_names_bad_lines(
    tmp_path: Path, capsysbinary, monkeypatch
):
    source = tmp_path / "pages.jsonl"
    source.write_bytes(b'{"text": "caf\xe9 au lait, a page of text"}\n')
    status, _, err = run_main(batch.main, [str(source), "--charset", "klingon"], capsysbinary,
                              monkeypatch)
    assert (status, err) == (2, "error: unknown charset 'klingon'\n")
    status, out, _ = run_main(batch.main, [str(source), "--workers", "1"], capsysbinary,
                              monkeypatch)
    problem = json.loads(out)["problem"]
    assert problem["detail"].startswith("the line cannot be read: the bytes are not valid UTF-8")


def test_clean_batch_stops_clearly_on_a_broken_utf16_file(tmp_path: Path, capsysbinary,
                                                          monkeypatch):
    source = tmp_path / "pages.jsonl"
    line = '{"text": "a page"}\n'.encode("utf-16-le")
    source.write_bytes(codecs.BOM_UTF16_LE + line + b"\x00\xd8")
    status, _, err = run_main(batch.main, [str(source), "--workers", "1"], capsysbinary,
                              monkeypatch)
    assert status == 5 and "not valid utf-16-le text" in err
