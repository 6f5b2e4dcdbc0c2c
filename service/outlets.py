"""Find which outlet's rules apply to a page: by the url's domain, else by fingerprints."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from .rules import RuleSet

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


def fingerprint_score(page: str, rs: RuleSet) -> int:
    """Sum of the weights of the rule set's signals found on the page (each counts once).

    `page` is the page's lines joined by newlines; signals are compiled multi-line, so one
    search per signal reads the whole page."""
    weights = [s.get("weight", 1) for s in (rs.data.get("detect") or {}).get("signals", [])]
    return sum(
        weight
        for weight, pattern in zip(weights, rs.compiled("detect.signals"), strict=True)
        if pattern.search(page)
    )


def by_fingerprint(lines: list[str], rulesets: Iterable[RuleSet]) -> RuleSet | None:
    """The rule set whose fingerprints score highest, if it reaches its own threshold."""
    page = "\n".join(_window(lines))
    best, best_score = None, 0
    for rs in rulesets:
        detect = rs.data.get("detect")
        if not detect:
            continue
        score = fingerprint_score(page, rs)
        if score >= detect["min_score"] and score > best_score:
            best, best_score = rs, score
    return best


def detect_outlet(
    lines: list[str], url: str | None, rulesets: dict[str, RuleSet]
) -> RuleSet | None:
    """A url decides by its domain (a page of another site gets no outlet's rules); without
    a url the content's fingerprints do."""
    if domain_of(url):
        return by_domain(url, rulesets.values())
    return by_fingerprint(lines, rulesets.values())


def _window(lines: list[str]) -> list[str]:
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
