"""Quoth's HTTP API (FastAPI): REST lookups, SPARQL endpoint, linked data, web pages."""

from kb import __version__

__all__ = ["__version__"]
