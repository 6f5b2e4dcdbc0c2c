"""A Scrapy item pipeline that cleans each scraped page and stores the result on the item.

    # settings.py
    ITEM_PIPELINES = {"service.integrations.scrapy.CleanerPipeline": 300}
    CLEANER_URL = "http://cleaner:8080"   # optional: without it, pages are cleaned in-process
    CLEANER_TOKEN = "..."                 # optional bearer token for CLEANER_URL
    CLEANER_FIELD = "article"             # where the result goes (the default)

An item carries `html` (or `text`) and `url`; `html` may be the response's bytes
(`response.body`), decoded as a browser would (engine/decoding.py). After the pipeline,
`item["article"]` holds
the contract's result. A page that cannot be cleaned keeps its item: `item["article"]`
is None and `item["article_problem"]` holds the problem (an Item class must declare
both fields). Calls to the service run in a thread, so they never stall the crawl.
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import BadInput, CleanError

logger = logging.getLogger(__name__)
INSTALL_HINT = "the Scrapy integration needs Scrapy: pip install 'scrapy>=2.11,<3'"


def _require_scrapy() -> None:
    try:
        import itemadapter  # noqa: F401
        import scrapy  # noqa: F401
    except ImportError:
        raise ImportError(INSTALL_HINT) from None


class CleanerPipeline:
    """Clean `item["html"]` (or `item["text"]`) with `url=item["url"]` into `item[field]`."""

    def __init__(
        self,
        cleaner_url: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
        field: str = "article",
    ) -> None:
        _require_scrapy()
        self.cleaner_url = cleaner_url or None
        self.token = token
        self.timeout = timeout
        self.field = field
        self._client: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        settings = crawler.settings
        return cls(
            cleaner_url=settings.get("CLEANER_URL"),
            token=settings.get("CLEANER_TOKEN"),
            timeout=settings.getfloat("CLEANER_TIMEOUT", 30.0),
            field=settings.get("CLEANER_FIELD", "article"),
        )

    # `spider` is optional: Scrapy 2.11 passes it, Scrapy 2.14+ warns when it is required.
    def open_spider(self, spider: Any = None) -> None:
        if self.cleaner_url:
            from ..client import Client

            self._client = Client(self.cleaner_url, timeout=self.timeout, token=self.token)

    def close_spider(self, spider: Any = None) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        page = _page_of(adapter)
        if self._client is not None:
            from scrapy.utils.defer import maybe_deferred_to_future
            from twisted.internet.threads import deferToThread

            outcome = await maybe_deferred_to_future(deferToThread(self._remote, page))
        else:
            outcome = _local(page)
        self._store(adapter, *outcome)
        return item

    def _remote(self, page: dict[str, Any]) -> tuple[dict | None, dict | None]:
        from ..client import ClientError, ProblemError

        if "problem" in page:
            return None, page["problem"]
        try:
            return self._client.clean(**_as_text(page)), None
        except CleanError as exc:
            return None, exc.problem()
        except ProblemError as exc:
            return None, exc.problem
        except ClientError as exc:
            return None, _problem(503, "Service unavailable", str(exc))

    def _store(self, adapter: Any, result: dict | None, problem: dict | None) -> None:
        try:
            adapter[self.field] = result
            if problem is not None:
                adapter[f"{self.field}_problem"] = problem
        except KeyError:
            from scrapy.exceptions import DropItem

            raise DropItem(
                f"the item class has no field {self.field!r} (or {self.field + '_problem'!r}):"
                " declare them to receive the cleaned article"
            ) from None
        if problem is not None:
            logger.warning("could not clean %s: %s", adapter.get("url"), problem.get("detail"))


def _page_of(adapter: Any) -> dict[str, Any]:
    """clean()'s arguments from the item, or {"problem": ...} when it has no page."""
    url = adapter.get("url")
    hints = {"url": url} if isinstance(url, str) and url else {}
    for key in ("html", "text"):
        value = adapter.get(key)
        if isinstance(value, str | bytes) and value.strip():
            return {key: value, **hints}  # bytes: clean() decodes them
    return {"problem": BadInput("the item has no html or text").problem()}


def _as_text(page: dict[str, Any]) -> dict[str, Any]:
    """The page with bytes decoded here, as clean() would, for a service that takes JSON."""
    from ..engine.decoding import decode

    key = "html" if "html" in page else "text"
    if not isinstance(page[key], bytes):
        return page
    return {**page, key: decode(page[key], html=key == "html").text}


def _local(page: dict[str, Any]) -> tuple[dict | None, dict | None]:
    from ..engine.pipeline import clean

    if "problem" in page:
        return None, page["problem"]
    try:
        return clean(**page), None
    except CleanError as exc:
        return None, exc.problem()
    except Exception:  # noqa: BLE001 - a bug on one page must not cost the crawl its item
        logger.exception("internal error while cleaning %s", page.get("url"))
        return None, _problem(500, "Internal error", "the page could not be cleaned")


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail}
