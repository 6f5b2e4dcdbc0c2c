"""Find which outlet's rules apply to a page: by the url's domain, else by fingerprints."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import urlsplit

import re2

from ..rules import RuleSet

# Only the head and tail of a long page are read for fingerprints: templates live there.
FINGERPRINT_WINDOW = 20_000


def domain_of(url: str | None) -> str | None:
    """The host name of a url (scheme optional), lower-cased, without 'www.'."""
    if not url:
        return None
    candidate = url.strip()
    if "://" not in candidate:
        candidate = "//" + candidate
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("", "http", "https") or not host or "." not in host:
        return None  # a hint of another scheme (javascript:, data:, file:) names no site
    return host.removeprefix("www.")


def by_domain(url: str | None, rulesets: Iterable[RuleSet]) -> RuleSet | None:
    host = domain_of(url)
    if not host:
        return None
    for rs in rulesets:
        if any(host == d or host.endswith("." + d) for d in rs.domains):
            return rs
    return None


def fingerprint_score(page: str, rs: RuleSet, candidates: Collection[int] | None = None) -> int:
    """Sum of the weights of the rule set's signals found on the page (each counts once).

    `page` is the page's lines joined by newlines; signals are compiled multi-line, so one
    search per signal reads the whole page. `candidates`, when given, are the indices of
    the only signals that can be found (see `_SignalSet`): the others are not searched."""
    weights = [s.get("weight", 1) for s in (rs.data.get("detect") or {}).get("signals", [])]
    return sum(
        weight
        for i, (weight, pattern) in enumerate(
            zip(weights, rs.compiled("detect.signals"), strict=True)
        )
        if (candidates is None or i in candidates) and pattern.search(page)
    )


def by_fingerprint(lines: list[str], rulesets: Iterable[RuleSet]) -> RuleSet | None:
    """The rule set whose fingerprints score highest, if it reaches its own threshold."""
    page = "\n".join(_window(lines))
    rulesets = list(rulesets)
    found = _signal_set(rulesets).found(page)
    best, best_score = None, 0
    for n, rs in enumerate(rulesets):
        detect = rs.data.get("detect")
        if not detect:
            continue
        score = fingerprint_score(page, rs, None if found is None else found[n])
        if score >= detect["min_score"] and score > best_score:
            best, best_score = rs, score
    return best


class _SignalSet:
    """All rule sets' signals as one RE2 set, which finds every signal present on a page in
    one pass over it instead of one search per signal (about twenty over a page of tens of
    kilobytes, the bulk of detection). Only the signals it reports are then searched one by
    one, so the score and the hits recorded for `rules check` are exactly as before; an RE2
    set has no false negatives, and once compiled its matching does not fail (the DFA of a
    set never gives up for lack of memory, it rebuilds its cache and goes on)."""

    def __init__(self, rulesets: list[RuleSet]) -> None:
        self.rulesets = rulesets  # held so that the ids in the cache key stay theirs
        self.where: list[tuple[int, int]] = []  # set index -> (rule set, signal index)
        self.set: re2.Set | None = None
        patterns = [
            (n, i, p)
            for n, rs in enumerate(rulesets)
            for i, p in enumerate(rs.compiled("detect.signals"))
            if p.regex is not None
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
        found: list[set[int]] = [set() for _ in self.rulesets]
        for index in self.set.Match(page.encode("utf-8")) or ():
            n, i = self.where[index]
            found[n].add(i)
        return found


_SIGNAL_SETS: dict[tuple[int, ...], _SignalSet] = {}


def _signal_set(rulesets: list[RuleSet]) -> _SignalSet:
    """The signal set of these rule sets, compiled once per set of loaded rules."""
    key = tuple(map(id, rulesets))
    signals = _SIGNAL_SETS.get(key)
    if signals is None:
        if len(_SIGNAL_SETS) >= 8:  # rules were reloaded: drop the sets of the old ones
            _SIGNAL_SETS.clear()
        signals = _SIGNAL_SETS[key] = _SignalSet(rulesets)
    return signals


def detect_outlet(
    lines: list[str], url: str | None, rulesets: dict[str, RuleSet]
) -> RuleSet | None:
    """A url decides by its domain (a page of another site gets no outlet's rules); without
    a url the content's fingerprints do."""
    if domain_of(url):
        return by_domain(url, rulesets.values())
    return by_fingerprint(lines, rulesets.values())


def _window(lines: list[str]) -> list[str]:
    if sum(map(len, lines)) <= FINGERPRINT_WINDOW:
        return lines  # a page shorter than the head window is read whole, as below
    total, head = 0, []
    for line in lines:
        total += len(line)
        head.append(line)
        if total > FINGERPRINT_WINDOW:
            break
    if len(head) == len(lines):
        return lines
    tail, total = [], 0
    for line in reversed(lines):
        total += len(line)
        tail.append(line)
        if total > FINGERPRINT_WINDOW:
            break
    return head + tail[::-1]


def canonical_url(tree: Any) -> str:
    """The url an HTML page declares for itself (canonical link or og:url), or ''."""
    node = tree.css_first('link[rel="canonical"]') or tree.css_first('meta[property="og:url"]')
    if node is None:
        return ""
    return node.attributes.get("href") or node.attributes.get("content") or ""
