"""cxzy-docs: record books (写实簿) of the 创先争优 campaign as data: generate, read, check, report."""

from cxzy_docs.errors import CxzyError

__version__ = "0.1.0"
__all__ = ["CxzyError", "__version__"]
