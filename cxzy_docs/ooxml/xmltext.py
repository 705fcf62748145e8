"""Making arbitrary text safe to place in XML 1.0 character data."""

from __future__ import annotations

import re

# Everything XML 1.0 forbids: C0 controls but tab/LF/CR, lone surrogates, U+FFFE and U+FFFF.
# Characters outside the BMP (𠮷, U+20BB7) are legal and kept.
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold removed."""
    return _ILLEGAL.sub("", text)
