"""Find which outlet's rules apply to a page: by the url's domain, else by fingerprints."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..rules import RuleBook, RuleSet, SignalSet

# Only the head and tail of a long page are read for fingerprints: templates live there.
FINGERPRINT_WINDOW = 20_000


def domain_of(url: str | None) -> str | None:
    """The host name of a url (scheme optional), lower-cased, without 'www.' or the root's
    trailing dot ('example.com.' is example.com)."""
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
    host = (host or "").rstrip(".")
    if parts.scheme not in ("", "http", "https") or "." not in host:
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
    the only signals that can be found (see `SignalSet`): the others are not searched."""
    if rs.detect is None:
        return 0
    return sum(
        signal.weight
        for i, signal in enumerate(rs.detect.signals)
        if (candidates is None or i in candidates) and signal.pattern.search(page)
    )


def by_fingerprint(lines: list[str], rules: Mapping[str, RuleSet]) -> RuleSet | None:
    """The rule set whose fingerprints score highest, if it reaches its own threshold."""
    page = "\n".join(_window(lines))
    rulesets = list(rules.values())
    signals = rules.signals if isinstance(rules, RuleBook) else SignalSet(rulesets)
    found = signals.found(page)
    best, best_score = None, 0
    for n, rs in enumerate(rulesets):
        if rs.detect is None:
            continue
        score = fingerprint_score(page, rs, None if found is None else found[n])
        if score >= rs.detect.min_score and score > best_score:
            best, best_score = rs, score
    return best


def detect_outlet(
    lines: list[str], url: str | None, rules: Mapping[str, RuleSet]
) -> RuleSet | None:
    """A url decides by its domain (a page of another site gets no outlet's rules); without
    a url the content's fingerprints do."""
    if domain_of(url):
        return by_domain(url, rules.values())
    return by_fingerprint(lines, rules)


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
