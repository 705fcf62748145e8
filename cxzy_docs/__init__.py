"""cxzy-docs: record books (写实簿) of the 创先争优 campaign as data: generate, read, check, report.

The front door is :mod:`cxzy_docs.api`; its functions are also here (``cxzy_docs.parse``,
``cxzy_docs.validate`` …), loaded on first use so that importing the package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from cxzy_docs.errors import CxzyError

__version__ = "0.1.0"
__all__ = ["CxzyError", "__version__", "api"]


def __getattr__(name: str) -> Any:
    if name == "api":
        return importlib.import_module("cxzy_docs.api")
    api = importlib.import_module("cxzy_docs.api")
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'cxzy_docs' has no attribute {name!r}")
