"""The typed rule model: one outlet's rule file, validated and compiled once.

`compile_ruleset` turns a validated rule file (a mapping, see `rules/schema.json`) into
frozen dataclasses whose patterns are compiled RE2 expressions, each named after the place
in the file it came from (``moscow_times:text.lines[3].pattern``) so every stripped piece of
a result can say which rule fired. The engine reads only these objects, never the raw file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import re2

from .patterns import OPTIONS, Pattern, PatternSet

FIXTURES_DIR = "fixtures"


class RuleError(Exception):
    """A rule file that cannot be used; says which file, which key and why."""

    def __init__(self, path: Path | str, key: str, reason: str) -> None:
        super().__init__(f"{path}: {key}: {reason}")
        self.path, self.key, self.reason = str(path), key, reason


@dataclass(frozen=True)
class Signal:
    pattern: Pattern  # compiled multi-line: searched once over the whole page
    weight: int


@dataclass(frozen=True)
class Detect:
    min_score: int
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class LineRule:
    kind: str
    pattern: Pattern
    # The lines printed right above it with no blank line between (a teaser card's label and
    # headline above its "Read more") go with it.
    glued: bool = False
    # It heads a list: the lines printed right under it with no blank line between go with it.
    heads_list: bool = False


@dataclass(frozen=True)
class TitleRule:
    min_words: int
    max_words: int
    # False: the outlet's headlines never end with a full stop, so a line that does, right
    # above the byline, is the standfirst and the headline is the line above it.
    full_stop: bool = True
    # True: headlines are in title case, so a line in title case is one even when it is as
    # long as a paragraph and ends with a question or exclamation mark.
    title_case: bool = False


@dataclass(frozen=True)
class AuthorRule:
    kind: str
    pattern: Pattern
    after: Pattern | None  # the line just above must match


@dataclass(frozen=True)
class CaptionRule:
    scope: str  # head, body or any
    pattern: Pattern
    max_words: int | None
    after: Pattern | None = None  # the line just above must match
    before: Pattern | None = None  # the line just below must match
    after_headline: bool = False  # the line just above is the headline (or its repeat)
    adjoins: bool = False  # printed right under the line above, with no blank line between
    # The caption's text and its credit may stand on two lines with no blank line between:
    # the pattern is also tried on the line joined with the next one.
    two_lines: bool = False


@dataclass(frozen=True)
class CardRule:
    kind: str
    headline_max_words: int


@dataclass(frozen=True)
class FeedRule:
    """Runs of one-line teasers printed with no blank line between them, above the headline
    (or on a page without one)."""

    kind: str
    min_lines: int


@dataclass(frozen=True)
class SubheadRule:
    """Subheadings that may open the article right under the head (the lead photo's caption,
    the byline): headline-shaped lines of at most `max_words` words before the first
    paragraph are the body's, not page furniture."""

    max_words: int


@dataclass(frozen=True)
class RepeatRule:
    """A line the article prints again: a pull quote, or a standfirst repeating a paragraph.
    Of two lines of at least `min_words` words where one holds the other (case, quotes and
    punctuation aside), the shorter goes with this kind; of two equal ones, the first."""

    kind: str
    min_words: int


@dataclass(frozen=True)
class EndRule:
    pattern: Pattern
    glued: bool  # the lines printed right above it, with no blank line between, end with it
    kind: str | None  # the marker line's own kind (None: the tail's kind)


@dataclass(frozen=True)
class SectionRule:
    kind: str
    starts: Pattern
    ends: Pattern | None  # None: the section runs to the end of the page


@dataclass(frozen=True)
class TextRules:
    lines: tuple[LineRule, ...] = ()
    title: TitleRule | None = None
    bylines: tuple[Pattern, ...] = ()
    dates: tuple[Pattern, ...] = ()
    authors: tuple[AuthorRule, ...] = ()
    captions: tuple[CaptionRule, ...] = ()
    cards: CardRule | None = None
    feeds: FeedRule | None = None
    prefixes: tuple[LineRule, ...] = ()  # labels glued to the start of a line, split off
    subheads: SubheadRule | None = None
    repeats: RepeatRule | None = None
    end: tuple[EndRule, ...] = ()
    sections: tuple[SectionRule, ...] = ()
    tail_kind: str = "boilerplate"

    @cached_property
    def placed_captions(self) -> TextRules:
        """These rules with only the caption rules that read a caption by where it stands (a
        condition on its neighbours)."""
        placed = (r for r in self.captions if r.after or r.before or r.after_headline or r.adjoins)
        return replace(self, captions=tuple(placed))

    @cached_property
    def line_set(self) -> PatternSet:
        """The `lines` patterns, searched together."""
        return PatternSet(r.pattern for r in self.lines)

    @cached_property
    def anchor_set(self) -> PatternSet:
        """What heads an article, searched together: bylines and date lines."""
        return PatternSet((*self.bylines, *self.dates))

    @cached_property
    def section_set(self) -> PatternSet:
        """What opens a section, searched together."""
        return PatternSet(s.starts for s in self.sections)

    @cached_property
    def end_set(self) -> PatternSet:
        """What ends the article, searched together."""
        return PatternSet(e.pattern for e in self.end)

    @cached_property
    def recognised_set(self) -> PatternSet:
        """Every pattern that recognises a line on its own (see split_recognised_lines)."""
        return PatternSet((*(r.pattern for r in self.lines), *self.bylines, *self.dates,
                           *(r.pattern for r in self.authors), *(r.pattern for r in self.end)))


@dataclass(frozen=True)
class StripRule:
    selector: str
    kind: str


@dataclass(frozen=True)
class HtmlRules:
    article: tuple[str, ...] = ()
    title: tuple[str, ...] = ()  # the headline element, first match wins
    # The byline's author names; when given, they alone give the authors (not the page's
    # metadata, which may name the publisher when the article has no byline).
    authors: tuple[str, ...] = ()
    strip: tuple[StripRule, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """One outlet's rules, compiled."""

    id: str
    name: str
    version: str
    domains: tuple[str, ...]
    timezone: str | None
    path: Path
    sha256: str
    fixtures: Path
    detect: Detect | None
    text: TextRules
    html: HtmlRules

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "domains": list(self.domains),
            "timezone": self.timezone,
            "sha256": self.sha256,
            "file": self.path.name,
        }

    def patterns(self) -> Iterator[Pattern]:
        """Every pattern of the file, in file order (for `rules check`)."""
        text = self.text
        if self.detect:
            yield from (s.pattern for s in self.detect.signals)
        yield from (r.pattern for r in text.lines)
        yield from text.bylines
        yield from text.dates
        for author in text.authors:
            yield author.pattern
            if author.after:
                yield author.after
        for caption in text.captions:
            yield from (p for p in (caption.pattern, caption.after, caption.before) if p)
        yield from (r.pattern for r in text.prefixes)
        yield from (e.pattern for e in text.end)
        for section in text.sections:
            yield section.starts
            if section.ends:
                yield section.ends

    def selectors(self) -> Iterator[tuple[str, str]]:
        """(key, selector) of every CSS selector of the file."""
        for key in ("article", "title", "authors"):
            for i, selector in enumerate(getattr(self.html, key)):
                yield f"html.{key}[{i}]", selector
        for i, item in enumerate(self.html.strip):
            yield f"html.strip[{i}]", item.selector


def compile_ruleset(path: Path, data: dict[str, Any], sha256: str) -> RuleSet:
    """The compiled rule set of a validated rule file; RuleError for a bad pattern."""
    compiler = _Compiler(path, data["id"])
    text = data.get("text") or {}
    html = data.get("html") or {}
    fixtures = path.parent / (data.get("fixtures") or f"{FIXTURES_DIR}/{data['id']}")
    return RuleSet(
        id=data["id"],
        name=data["name"],
        version=str(data["version"]),
        domains=tuple(data.get("domains") or ()),
        timezone=data.get("timezone"),
        path=path,
        sha256=sha256,
        fixtures=fixtures,
        detect=_detect(compiler, data.get("detect")),
        text=_text_rules(compiler, text),
        html=HtmlRules(
            article=tuple(html.get("article", ())),
            title=tuple(html.get("title", ())),
            authors=tuple(html.get("authors", ())),
            strip=tuple(StripRule(i["selector"], i["kind"]) for i in html.get("strip", ())),
        ),
    )


def _detect(compiler: _Compiler, detect: dict[str, Any] | None) -> Detect | None:
    if not detect:
        return None
    signals = tuple(
        Signal(compiler(f"detect.signals[{i}].pattern", s["pattern"], multiline=True),
               s.get("weight", 1))
        for i, s in enumerate(detect.get("signals", ()))
    )
    return Detect(detect["min_score"], signals)


def _text_rules(c: _Compiler, text: dict[str, Any]) -> TextRules:
    title = text.get("title")
    cards, feeds = text.get("cards"), text.get("feeds")
    subheads, repeats = text.get("subheads"), text.get("repeats")
    return TextRules(
        lines=tuple(LineRule(item["kind"], c(f"text.lines[{i}].pattern", item["pattern"]),
                             bool(item.get("glued")), bool(item.get("heads_list")))
                    for i, item in enumerate(text.get("lines", ()))),
        title=TitleRule(title.get("min_words", 1), title["max_words"],
                        title.get("full_stop", True), title.get("title_case", False))
        if title and "max_words" in title else None,
        bylines=tuple(c(f"text.bylines[{i}].pattern", item["pattern"])
                      for i, item in enumerate(text.get("bylines", ()))),
        dates=tuple(c(f"text.dates[{i}].pattern", item["pattern"])
                    for i, item in enumerate(text.get("dates", ()))),
        authors=tuple(
            AuthorRule(item.get("kind", "author_bio"), c(f"text.authors[{i}].pattern",
                       item["pattern"]), c.optional(f"text.authors[{i}].after", item.get("after")))
            for i, item in enumerate(text.get("authors", ()))
        ),
        captions=tuple(_caption_rule(c, i, item)
                       for i, item in enumerate(text.get("captions", ()))),
        cards=CardRule(cards.get("kind", "related"), cards.get("headline_max_words", 20))
        if cards else None,
        feeds=FeedRule(feeds.get("kind", "feed"), feeds.get("min_lines", 3)) if feeds else None,
        prefixes=tuple(LineRule(item["kind"], c(f"text.prefixes[{i}].pattern", item["pattern"]))
                       for i, item in enumerate(text.get("prefixes", ()))),
        subheads=SubheadRule(subheads["max_words"]) if subheads else None,
        repeats=RepeatRule(repeats.get("kind", "pull_quote"), repeats.get("min_words", 4))
        if repeats else None,
        end=tuple(_end_rule(c, i, item) for i, item in enumerate(text.get("end", ()))),
        sections=tuple(
            SectionRule(item["kind"], c(f"text.sections[{i}].starts", item["starts"]),
                        c.optional(f"text.sections[{i}].ends", item.get("ends")))
            for i, item in enumerate(text.get("sections", ()))
        ),
        tail_kind=text.get("tail_kind", "boilerplate"),
    )


def _caption_rule(c: _Compiler, i: int, item: dict[str, Any]) -> CaptionRule:
    return CaptionRule(
        item.get("scope", "any"), c(f"text.captions[{i}].pattern", item["pattern"]),
        item.get("max_words"), c.optional(f"text.captions[{i}].after", item.get("after")),
        c.optional(f"text.captions[{i}].before", item.get("before")),
        bool(item.get("after_headline")), bool(item.get("adjoins")), bool(item.get("two_lines")),
    )


def _end_rule(c: _Compiler, i: int, item: str | dict[str, Any]) -> EndRule:
    if isinstance(item, str):
        return EndRule(c(f"text.end[{i}]", item), False, None)
    return EndRule(c(f"text.end[{i}].pattern", item["pattern"]), bool(item.get("glued")),
                   item.get("kind"))


class _Compiler:
    """Compiles a file's patterns on RE2, naming each after its place in the file."""

    def __init__(self, path: Path, outlet: str) -> None:
        self.path, self.outlet = path, outlet

    def __call__(self, key: str, source: str, multiline: bool = False) -> Pattern:
        try:
            regex = re2.compile(("(?m)" if multiline else "") + source, OPTIONS)
        except re2.error as exc:
            message = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
            raise RuleError(self.path, key, f"pattern does not compile on RE2: {message}") from None
        return Pattern(source, f"{self.outlet}:{key}", regex)

    def optional(self, key: str, source: str | None) -> Pattern | None:
        return self(key, source) if source else None
