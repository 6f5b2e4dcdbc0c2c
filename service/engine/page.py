"""The document that flows through the cleaning stages.

A `Page` holds the input exactly as received (`source`) and its non-blank blocks, each with
character offsets into `source`. Stages never edit text: they only mark blocks, either
kept as body or stripped with a kind and the rule that fired. The result, including the
`stripped` report and its offsets, is read off those marks at the end, so nothing is lost
silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BODY = "body"


@dataclass
class Block:
    """A paragraph-sized piece of the page: one input line, or several rejoined ones."""

    text: str  # white space folded; hyphenated line ends already joined
    spans: list[tuple[int, int]]  # [start, end) of each source line it was made from
    gap: int = 0  # blank lines before it in the input (a paragraph boundary when > 0)
    kind: str | None = None  # None while undecided, BODY when kept, else the strip kind
    rule: str | None = None  # the rule that decided
    hints: dict[str, Any] = field(default_factory=dict)  # e.g. from the HTML renderer

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
        self.kind, self.rule = BODY, rule

    def strip(self, kind: str, rule: str) -> None:
        self.kind, self.rule = kind, rule


@dataclass
class Page:
    """The input and its blocks, plus what the stages learnt about it."""

    source: str
    blocks: list[Block]
    is_html: bool = False
    wrapped: bool = False  # hard-wrapped print text was detected and rejoined
    meta: dict[str, Any] = field(default_factory=dict)  # title, authors, byline, date, ...
    captions: list[dict[str, str | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings for the caller

    def undecided(self) -> list[Block]:
        return [b for b in self.blocks if b.kind is None]
