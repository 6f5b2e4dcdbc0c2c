"""Build service/models/data/word_frequencies.npz: the words whose wordfreq frequencies
the metadata stage's name readers, and print repair's hyphen joins, compare with their
thresholds (see service/models/frequencies.py for what is kept and why).

Run it after changing wordfreq's version, `frequencies.LANGUAGES` or a threshold in
names.py, authors.py or hyphenation.py; the output is committed, and
tests/test_word_frequencies.py checks that it is what this script builds:

    python scripts/build_word_frequencies.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.engine.hyphenation import HYPHEN_LANGUAGE, MIN_JOINED_ZIPF  # noqa: E402
from service.engine.metadata.authors import HANDLE_ZIPF  # noqa: E402
from service.engine.metadata.names import (  # noqa: E402
    COMMON_GIVEN_NAME_ZIPF,
    COMMON_WORD_ZIPF,
    GIVEN_NAME_LANGUAGES,
    GIVEN_NAME_ZIPF,
    RARE_WORD_ZIPF,
)
from service.models.frequencies import (  # noqa: E402
    ABSENT,
    LANGUAGES,
    TABLE_FILE,
    word_key,
)

# The lowest threshold a word's highest value (`names.word_zipf`) is compared with.
EXACT_FROM = min(HANDLE_ZIPF, RARE_WORD_ZIPF, COMMON_WORD_ZIPF, COMMON_GIVEN_NAME_ZIPF)


def exact_from() -> np.ndarray:
    """The value from which each language's words are kept: `EXACT_FROM`, and in the
    language of hyphen joins, the lowest value a joined word is compared with."""
    floors = [EXACT_FROM] * len(LANGUAGES)
    column = LANGUAGES.index(HYPHEN_LANGUAGE)
    floors[column] = min(EXACT_FROM, MIN_JOINED_ZIPF)
    return np.array(floors)


def zipf_bucket(zipf: float) -> int:
    """wordfreq's bucket (rounded centibels below 1) of a Zipf value: Zipf 9 is bucket 0."""
    return round((9 - zipf) * 100)


def all_buckets() -> tuple[list[str], np.ndarray]:
    """Every word of wordfreq's lists for `LANGUAGES`, and its bucket in each (`ABSENT`
    where a list lacks it)."""
    import wordfreq

    rows: dict[str, int] = {}
    columns = []
    for language in LANGUAGES:
        pack = wordfreq.get_frequency_list(language)
        words = itertools.chain.from_iterable(pack)
        at = np.fromiter((rows.setdefault(word, len(rows)) for word in words), dtype=np.int64)
        if len(np.unique(at)) != len(at):  # pragma: no cover - wordfreq's lists have none
            raise RuntimeError(f"a word twice in wordfreq's {language!r} list")
        columns.append((at, np.repeat(np.arange(len(pack)), [len(bucket) for bucket in pack])))
    buckets = np.full((len(rows), len(LANGUAGES)), ABSENT, dtype=np.uint16)
    for column, (at, bucket) in enumerate(columns):
        buckets[at, column] = bucket
    return list(rows), buckets


def build() -> dict[str, np.ndarray]:
    """The table's arrays: `keys` (sorted), `buckets` by key, `languages`, `exact_from`
    (per language)."""
    words, buckets = all_buckets()
    across = (buckets <= zipf_bucket(GIVEN_NAME_ZIPF)).sum(axis=1) >= GIVEN_NAME_LANGUAGES
    floors = exact_from()
    common = buckets <= np.array([zipf_bucket(z) for z in floors.tolist()])
    buckets = np.where(across[:, None] | common, buckets, ABSENT).astype(np.uint16)
    kept = np.flatnonzero((buckets != ABSENT).any(axis=1))
    keys = np.array([word_key(words[i]) for i in kept], dtype=np.uint64)
    if len(np.unique(keys)) != len(keys):  # pragma: no cover - 1.7 million words, 64 bits
        raise RuntimeError("two words share a key: use a longer digest")
    order = np.argsort(keys, kind="stable")
    return {"languages": np.array(LANGUAGES), "exact_from": floors,
            "keys": keys[order], "buckets": buckets[kept][order]}


def main() -> None:
    table = build()
    TABLE_FILE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(TABLE_FILE, **table)
    print(f"{len(table['keys'])} words, {TABLE_FILE.stat().st_size / 1e6:.1f} MB -> {TABLE_FILE}")


if __name__ == "__main__":
    main()
