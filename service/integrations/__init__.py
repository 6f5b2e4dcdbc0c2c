"""Adapters that plug the cleaner into crawling and data tools (Scrapy, Dask).

Each module imports its tool lazily, so the service runs without any of them installed.
"""
