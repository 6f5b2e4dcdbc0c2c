"""Compiled patterns of the rule files: one RE2 expression named after its place in its file,
and sets of them searched in one pass."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import re2

# Names of the patterns that matched, while `record_hits()` is active (for `rules check`).
_HITS: ContextVar[set[str] | None] = ContextVar("rule_hits", default=None)
OPTIONS = re2.Options()
OPTIONS.log_errors = False
# A set's DFA holds every pattern at once: room enough that it never runs out of memory on
# a page's line (RE2 then reports no match instead of failing loudly).
_SET_OPTIONS = re2.Options()
_SET_OPTIONS.log_errors = False
_SET_OPTIONS.max_mem = 64 << 20


@dataclass(frozen=True)
class Pattern:
    """A compiled RE2 pattern and where it came from (for the report and `rules explain`)."""

    source: str
    name: str  # e.g. "kyiv_independent:text.lines[3].pattern"
    regex: Any

    def search(self, text: str) -> Any:
        match = self.regex.search(text)
        if match is not None:
            hits = _HITS.get()
            if hits is not None:
                hits.add(self.name)
        return match


class PatternSet:
    """Patterns searched together: one pass of RE2's Set says which of them match a text, so
    a loop over rules searches only those, in the rules' own order (the same matches, and
    the same hits for `rules check`, as searching every pattern)."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.patterns = tuple(patterns)
        self._set = re2.Set.SearchSet(_SET_OPTIONS)
        for pattern in self.patterns:
            self._set.Add(pattern.regex.pattern)
        self._set.Compile()

    def matching(self, text: str) -> list[Pattern]:
        """The patterns that match `text`, in their order."""
        found = self._set.Match(text) if self.patterns else None
        if not found:
            return []
        return [self.patterns[i] for i in sorted(found)]

    def search_any(self, text: str) -> bool:
        """Whether any pattern matches: the first that does is searched (and counts as hit)."""
        return any(p.search(text) for p in self.matching(text))


@contextmanager
def record_hits() -> Iterator[set[str]]:
    """Collect the names of the patterns that match inside the block (see `rules check`)."""
    hits: set[str] = set()
    token = _HITS.set(hits)
    try:
        yield hits
    finally:
        _HITS.reset(token)
