"""What the reading-order walk has collected so far (shared by the signature and text-box passes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cxzy_docs.read.extract.kinds import Box, Part, Problems, Sign
from cxzy_docs.read.extract.labels import Labels
from cxzy_docs.read.settings import ReadSettings


@dataclass
class State:
    labels: Labels
    settings: ReadSettings
    texts: dict[str, list[Part]] = field(default_factory=dict)
    signs: dict[str, Sign] = field(default_factory=dict)
    box: Box | None = None  # where text goes now
    context: Box | None = None  # which box the next signature signs off
    period: str | None = None
    pending: Sign | None = None
    started: set[str] = field(default_factory=set)  # box paths whose label was seen
    problems: Problems = field(default_factory=list)
    continuing: bool = False  # inside a marked attached page (附页)
