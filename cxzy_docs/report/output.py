"""Writing a report file: the folder made and checked first, the file written atomically."""

from __future__ import annotations

from pathlib import Path

from cxzy_docs.fileio import prepare_out_dir, write_atomic


def write_output(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (its folder created if needed); a clear RenderError otherwise."""
    target = Path(path)
    prepare_out_dir(target.parent if str(target.parent) else ".")
    write_atomic(target, data)
    return target
