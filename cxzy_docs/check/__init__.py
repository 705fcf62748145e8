"""The validator: one small module per family of rules, each yielding findings."""

from cxzy_docs.check.elements import (
    ELEMENT_NAMES,
    ELEMENTS,
    ElementResult,
    Evidence,
    ReviewElements,
    analyse_review,
    analyse_rules,
)
from cxzy_docs.check.findings import RULES, SEVERITIES, Finding, Rule, has_errors
from cxzy_docs.check.report import findings_json, format_findings_text, write_findings_xlsx
from cxzy_docs.check.validate import validate

__all__ = [
    "ELEMENTS",
    "ELEMENT_NAMES",
    "RULES",
    "SEVERITIES",
    "ElementResult",
    "Evidence",
    "Finding",
    "ReviewElements",
    "Rule",
    "analyse_review",
    "analyse_rules",
    "findings_json",
    "format_findings_text",
    "has_errors",
    "validate",
    "write_findings_xlsx",
]
