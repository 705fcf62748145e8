"""Whom a review speaks of: a member's review about the branch, or a branch's review about one person."""

# Precision first: a review is flagged only when its opening names the other kind of subject and
# nothing in the whole text names the book's own kind. A member's review may well mention the
# branch ("参加支部组织的活动"), and a branch's review may praise its secretary; neither is flagged.
# On the labelled sets (792 correctly filed reviews) this raises no warning; swapped into the
# other kind of book, 401 of 586 member reviews and 111 of 206 branch reviews are caught.

from __future__ import annotations

import re
from functools import lru_cache

from cxzy_docs.check.cues import HAN
from cxzy_docs.check.hanzi import fold

_H = f"[{HAN}]"
# The opening of a review about one person: "该同志", "他", "王明同志", "老李", "刘大夫".
_PERSON_START = re.compile(
    rf"[^,;:。!?]{{0,6}}?(?:该同志|该党员|[他她](?![们人])|{_H}{{1,3}}(?<![委部支组村区所站院局厂校司心])同志(?!们)|老{_H}(?:同志)?|小{_H}(?:同志)?|"
    rf"{_H}{{1,2}}(?:大姐|大哥|师傅|大娘|大爷|大夫|老师))"
)
# The opening of a review about an organization: "该支部", "上半年村党支部", "班子".
_ORG_START = re.compile(
    r"[^,;:。!?]{0,6}?(?:该支部|该党支部|该总支|该党总支|该党组织|这个支部|村党支部|村支部|党支部|支部|总支|班子|"
    r"该村|该社区)(?!书记|副书记|主任|委员|组织委员|宣传委员|纪检委员|的|党员|成员)"
)
# Anything naming the organization, its bodies or its members as a group.
_ORG_WORDS = re.compile(
    r"支部|总支|班子|两委|党员们|全体党员|党组织|支委|村委|三会一课|主题党日|党员大会|党小组"
)
# Anything naming one person as the subject.
_PERSON_WORDS = re.compile(rf"该同志|该党员|[他她](?![们人])|本人|同志(?!们)|老{_H}|小{_H}")


@lru_cache(maxsize=65536)
def wrong_subject(kind: str | None, text: str | None) -> str | None:
    """The phrase showing that a review of a ``kind`` book speaks of the other kind of subject, or None."""
    if not text or kind not in ("member", "organization"):
        return None
    folded = fold(text)
    at = len(folded) - len(folded.lstrip())  # folding keeps positions: spans are the original's
    if kind == "member":
        m = _ORG_START.match(folded, at)
        if m and not _PERSON_WORDS.search(folded):
            return text[m.start() : m.end()]
        return None
    m = _PERSON_START.match(folded, at)
    if m and not _ORG_WORDS.search(folded):
        return text[m.start() : m.end()]
    return None
