"""The document that flows through the cleaning stages, and the typed values they pass on.

A `Page` holds the input exactly as received (`source`; for HTML, the text it rendered to)
and its non-blank blocks, each with character offsets into `source`. Stages never edit
text: they only mark blocks, either kept as body or stripped with a kind and the rule that
fired. The result, including the `stripped` report and its offsets, is read off those marks
at the end, so nothing is lost silently. What the stages learn about the article (title,
authors, date, captions) goes into the page's `Metadata`, with the signal that gave it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BODY = "body"


@dataclass(slots=True, eq=False)
class DomHints:
    """What the DOM says about a block rendered from HTML (text blocks share `NO_DOM`).
    Never changed once made (not frozen: one is made per block, and frozen ones cost more)."""

    in_article: bool = False  # inside the outlet's article element
    strip_kind: str | None = None  # inside an element an outlet rule strips, as this kind
    chrome: bool = False  # inside nav, header or footer
    caption: bool = False  # inside a figure caption
    credit: str | None = None  # the part of a caption its markup calls the credit
    heading: int = 0  # inside h1..h6
    tags: tuple[str, ...] = ()  # the innermost 7 enclosing tags
    attrs: tuple[str, ...] = ()  # the innermost 6 non-empty class and id values
    ids: tuple[int, ...] = ()  # the innermost 24 enclosing elements (parser node ids)
    landmarks: int = 0  # render.LANDMARKS bits of all enclosing elements
    link_density: float = 0.0  # share of the text inside links
    hidden: bool = False  # inside an element a browser does not show (walk.is_hidden)


NO_DOM = DomHints()


@dataclass(slots=True)
class Block:
    """A paragraph-sized piece of the page: one input line, or several rejoined ones."""

    text: str  # white space folded; hyphenated line ends already joined
    spans: list[tuple[int, int]]  # [start, end) of each source line it was made from
    gap: int = 0  # blank lines before it in the input (a paragraph boundary when > 0)
    kind: str | None = None  # None while undecided, BODY when kept, else the strip kind
    rule: str | None = None  # the rule that decided
    dom: DomHints = NO_DOM
    # Stripped only for where it stands (before the headline, after the article, outside
    # the article element), not because a rule recognised it.
    region: bool = False

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def decided(self) -> bool:
        return self.kind is not None

    @property
    def kept(self) -> bool:
        return self.kind == BODY

    @property
    def words(self) -> int:
        return len(self.text.split())

    def keep(self, rule: str) -> None:
        self.kind, self.rule, self.region = BODY, rule, False

    def strip(self, kind: str, rule: str) -> None:
        self.kind, self.rule = kind, rule


@dataclass(slots=True)
class Caption:
    """A photo caption lifted out of the body; `text` is None when only a credit shows."""

    text: str | None
    credit: str | None
    at: int | None = None  # where its first line starts in the page (captions are in page order)

    def as_dict(self) -> dict[str, str | None]:
        return {"text": self.text, "credit": self.credit}


@dataclass
class Metadata:
    """What the page says about its article, and which signal gave each value."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    byline: str | None = None
    date: str | None = None
    captions: list[Caption] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # field name -> signal
    # Fields an outlet's rules answer for, even left empty: the metadata stage leaves them.
    settled: set[str] = field(default_factory=set)

    def set(self, name: str, value: object, source: str) -> bool:
        """Set a field that is not set yet; True if it was set."""
        if getattr(self, name) or not value:
            return False
        setattr(self, name, value)
        self.sources[name] = source
        return True

    def add_authors(self, names: list[str], source: str) -> None:
        """Add author names in page order, once each."""
        added = False
        for name in names:
            name = " ".join(name.split()).strip(" ,;")
            if name and name not in self.authors:
                self.authors.append(name)
                added = True
        if added:
            self.sources.setdefault("authors", source)


@dataclass
class Page:
    """The input and its blocks, plus what the stages learnt about it."""

    source: str
    blocks: list[Block]
    is_html: bool = False
    wrapped: bool = False  # hard-wrapped print text was detected and rejoined
    meta: Metadata = field(default_factory=Metadata)
    notes: list[str] = field(default_factory=list)  # warnings for the caller
    # Why the outlet's rules gave way to generic extraction for the body, if they did:
    # "article_not_found" or "rules_kept_too_little".
    fallback: str | None = None

    def undecided(self) -> list[Block]:
        return [b for b in self.blocks if b.kind is None]
