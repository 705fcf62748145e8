"""Field paths in the words of the form: ``periods.Q3.review.sign.date`` -> 第三季度领导点评 党支部书记签字日期.

Messages, findings lists, the TUI and exports name a field the way a person finds it on the paper
form; the path itself stays in JSON output for programs.
"""

from __future__ import annotations

from functools import cache

from cxzy_docs.forms import FORMS, PERIOD_NAMES
from cxzy_docs.recordshape import field_labels
from cxzy_docs.textnorm import label_key


def field_label(kind: str | None, path: str) -> str:
    """The field in the words of the form: ``periods.Q3.review.sign.date`` -> 第三季度领导点评 党支部书记签字日期."""
    form = FORMS.get(kind or "")
    self_role = form.self_role if form else "本人"
    reviewer = form.reviewer_role if form else "书记"
    parts = path.split(".")
    labels = field_labels(kind if kind in FORMS else "member")  # forms.py's words
    if path == "year":
        return "年度"
    if parts[0] == "subject":
        return labels.get(path) or _header_labels(kind).get(path, "表头")
    if parts[0] == "commitment":
        if parts[1] == "text":
            return "公开承诺事项"
        role = self_role if parts[1] == "self_sign" else reviewer
        return f"承诺写实 {role}签字{'日期' if parts[-1] == 'date' else ''}"
    if parts[0] == "periods" and len(parts) >= 3:
        period = PERIOD_NAMES.get(parts[1], parts[1])
        if parts[2] == "fulfilment":
            base, role = f"{period}承诺兑现情况", self_role
        else:
            base, role = f"{period}领导点评", reviewer
        if len(parts) == 3 or parts[3] == "text":
            return base
        return f"{base} {role}签字{'日期' if parts[-1] == 'date' else ''}"
    if parts[0] == "annual":
        if len(parts) == 1:
            return "年度写实"
        if parts[1] == "summary":
            return "年度总结"
        if parts[1] == "evaluation":
            return (
                f"党员群众评议情况“{labels.get(path, parts[-1])}”" if len(parts) > 2 else "党员群众评议情况"
            )
        if parts[1] == "grade":
            return "评议结果"
        return f"年度写实 {reviewer}签字{'日期' if parts[-1] == 'date' else ''}"
    return path


@cache
def _header_labels(kind: str | None) -> dict[str, str]:
    """The header's and cover's labels of a form by field path (``subject.gender`` -> 性别)."""
    form = FORMS.get(kind or "")
    if form is None:
        return {}
    fields = [*form.cover_fields, *form.header_fields()]
    return {f.path: label_key(f.label) for f in reversed(fields)}
