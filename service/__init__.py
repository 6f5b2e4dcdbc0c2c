"""News-page cleaner: a raw news page in, the article and what was stripped from it out.

    from service import clean
    result = clean(text=page_text)           # or clean(html=page_html, url=...)

Importing the package is light: ``clean`` loads the engine on first use, so the HTTP
client (:mod:`service.client`) and the integrations that talk to a remote service import
with urllib3 alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CleanError

if TYPE_CHECKING:
    from .engine.pipeline import clean

__all__ = ["clean", "CleanError"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "clean":
        from .engine.pipeline import clean

        return clean
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
