"""Build service/data/stopwords.json: the most frequent words of many languages (wordfreq).

The text classifier uses the share of such function words in a block as a language-neutral
"is this prose?" signal. Run once; the output is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import wordfreq

LANGUAGES = [
    "en", "es", "pt", "fr", "de", "it", "nl", "ru", "pl", "sv", "tr", "id", "ro", "da",
    "nb", "cs", "hu", "uk", "el", "vi", "ar", "he", "hi", "fi", "ca",
]
TOP_N = 60
OUT = Path(__file__).resolve().parent.parent / "service" / "data" / "stopwords.json"


def main() -> None:
    words: set[str] = set()
    for lang in LANGUAGES:
        words.update(w for w in wordfreq.top_n_list(lang, TOP_N) if w.isalpha())
    OUT.write_text(json.dumps(sorted(words), ensure_ascii=False, indent=0) + "\n")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
