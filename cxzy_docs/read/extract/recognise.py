"""Which form a grid holds (member or organization book), told by the labels found in it."""

from __future__ import annotations

from cxzy_docs.errors import UnknownFormError
from cxzy_docs.forms import FORMS, FormSpec
from cxzy_docs.read.extract.items import Text
from cxzy_docs.read.extract.labels import Labels, apart_enough, labels_for
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.textnorm import label_key


def evidence(labels: Labels, texts: list[Text], loose: bool = False) -> set[str]:
    """The label keys of ``labels``'s form present in the texts: in a cell or line of their own, at
    its start, or (``loose``: box labels) anywhere in the running text where they stand apart."""
    found: set[str] = set()
    known = labels.evidence
    for tx in texts:
        key = tx.key
        if key in known:
            found.add(key)
            continue
        if tx.first_key in known:
            found.add(tx.first_key)
        folded = tx.folded
        at = labels.box_at_start(folded)
        if at:
            found.add(label_key(at[1]["label"]))
        m = labels.field_re.match(folded)
        if m:
            found.add(label_key(m["label"]))
        if "签" in folded:
            for m in labels.sign_re.finditer(folded):
                if m["role"]:
                    found.add(label_key(m["role"]) + "签字")
        if key and "写实簿" in key and len(key) <= 30:
            found.update(k for k in known if k.endswith("写实簿") and k in key)
    if loose:
        joined = "\n".join(tx.folded for tx in texts)
        for m in labels.box_any_re.finditer(joined):
            key = label_key(m["label"])
            if apart_enough(key, joined, m.end("label"), m.start()):
                found.add(key)
    return found & known


def recognise_texts(source: str, texts: list[Text], s: ReadSettings) -> FormSpec:
    """The form the texts are, or :class:`UnknownFormError` naming ``source`` and what was found."""
    found = {kind: evidence(labels_for(kind), texts) for kind in FORMS}
    if max(len(found[k] & labels_for(k).structural) for k in FORMS) < s.min_form_labels:
        found = {
            kind: evidence(labels_for(kind), texts, loose=True) for kind in FORMS
        }  # labels run into text
    member, org = found["member"], found["organization"]
    own = {
        "member": member - labels_for("organization").evidence,
        "organization": org - labels_for("member").evidence,
    }
    best = max(FORMS, key=lambda k: (len(own[k]), len(found[k])))
    other = "organization" if best == "member" else "member"
    structural = found[best] & labels_for(best).structural
    if len(structural) < s.min_form_labels:
        seen = "、".join(sorted(structural)) or "无"
        raise UnknownFormError(
            f"不是写实簿：只找到 {len(structural)} 个写实簿栏目标签（{seen}），"
            f"至少需要 {s.min_form_labels} 个，如“公开承诺事项”“承诺兑现情况”“领导点评”",
            file=source,
        )
    if len(own[best]) == len(own[other]):
        raise UnknownFormError(
            "不是写实簿：找到了写实簿的栏目，但分不清是党员写实簿还是党组织写实簿"
            f"（找到：{'、'.join(sorted(found[best]))}）",
            file=source,
        )
    return FORMS[best]
