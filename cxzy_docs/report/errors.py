"""Errors of the report commands (Chinese messages, naming the template or database concerned)."""

from __future__ import annotations

from cxzy_docs.errors import CxzyError


class ReportError(CxzyError):
    """A report cannot be made: no records for the year, no such organization, no grades recorded."""


class TemplateError(ReportError):
    """A report template could not be read or rendered; names the template file and line."""
