"""The loaded rule sets together: what detection reads in one pass over a page."""

from __future__ import annotations

import re2

from .model import RuleSet


class SignalSet:
    """All rule sets' detection signals as one RE2 set, which finds every signal present on
    a page in one pass over it instead of one search per signal (about twenty over a page
    of tens of kilobytes, the bulk of detection). Only the signals it reports are then
    searched one by one, so the score and the hits recorded for `rules check` are exactly
    those of searching them all; an RE2 set has no false negatives."""

    def __init__(self, rulesets: list[RuleSet]) -> None:
        self.count = len(rulesets)
        self.where: list[tuple[int, int]] = []  # set index -> (rule set, signal index)
        self.set: re2.Set | None = None
        patterns = [
            (n, i, signal.pattern)
            for n, rs in enumerate(rulesets) if rs.detect
            for i, signal in enumerate(rs.detect.signals)
        ]
        if not patterns:
            return
        try:
            signals = re2.Set.SearchSet(patterns[0][2].regex.options)
            for n, i, p in patterns:
                signals.Add(p.regex.pattern)
                self.where.append((n, i))
            signals.Compile()
        except re2.error:
            return  # every signal is searched on its own, as without the set
        self.set = signals

    def found(self, page: str) -> list[set[int]] | None:
        """Per rule set, the indices of the signals present on `page` (None: search all)."""
        if self.set is None:
            return None
        found: list[set[int]] = [set() for _ in range(self.count)]
        for index in self.set.Match(page.encode("utf-8")) or ():
            n, i = self.where[index]
            found[n].add(i)
        return found


class RuleBook(dict[str, RuleSet]):
    """The loaded rule sets by id, with their signals compiled into one set once."""

    def __init__(self, rulesets: dict[str, RuleSet]) -> None:
        super().__init__(rulesets)
        self.signals = SignalSet(list(self.values()))
