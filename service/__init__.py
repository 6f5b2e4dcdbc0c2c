"""News-page cleaner: a raw news page in, the article and what was stripped from it out.

    from service import clean
    result = clean(text=page_text)           # or clean(html=page_html, url=...)
"""

from .errors import CleanError
from .pipeline import clean

__all__ = ["clean", "CleanError"]
__version__ = "0.1.0"
