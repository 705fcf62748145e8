"""Finding what ships beside the code: templates (in a checkout or an installed copy) and fonts."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from cxzy_docs.errors import DependencyMissing

_PKG = Path(__file__).resolve().parent


@cache
def templates_dir() -> Path:
    """The ``templates/`` folder: inside the installed package, else at the top of the checkout."""
    for candidate in (_PKG / "templates", _PKG.parent / "templates"):
        if (candidate / "docx").is_dir():
            return candidate
    raise DependencyMissing("找不到 templates 文件夹：安装不完整，请重新执行 pip install")


# TrueType CJK fonts with Latin digits that reportlab can embed (Noto CJK is CFF: refused).
# Song (宋体-like) faces first: the government form is set in 宋体.
_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN (a 明体/宋体 face; 1 is UMing HK)
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # WenQuanYi Zen Hei
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)


@cache
def cjk_font() -> tuple[str, int]:
    """(path, subfont index) of a TrueType CJK font for PDF output.

    ``CXZY_FONT`` (a path, optionally ``path#index``) overrides the search.
    """
    import os

    env = os.environ.get("CXZY_FONT")
    if env:
        path, _, idx = env.partition("#")
        if Path(path).is_file():
            return path, int(idx) if idx.isdigit() else 0
        raise DependencyMissing(f"环境变量 CXZY_FONT 指向的字体文件不存在：{path}")
    for cand_path, cand_idx in _FONT_CANDIDATES:
        if Path(cand_path).is_file():
            return cand_path, cand_idx
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh-cn:fontformat=TrueType"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if out.endswith((".ttf", ".ttc")) and Path(out).is_file():
            return out, 0
    raise DependencyMissing(
        "找不到可嵌入 PDF 的中文 TrueType 字体。请安装：apt-get install fonts-arphic-uming fonts-wqy-zenhei，"
        "或设置环境变量 CXZY_FONT=字体文件路径"
    )


# Further TrueType faces for characters the main font lacks (rare names, CJK Extension B such as
# 𠮷 U+20BB7, symbols): tried in this order, each only when needed. fonts-hanazono covers Ext. B.
_FALLBACK_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0),
    ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)


@cache
def cjk_fallback_fonts() -> tuple[tuple[str, int], ...]:
    """(path, subfont index) of installed TrueType faces to try, in order, for missing characters."""
    main = cjk_font()
    return tuple(c for c in _FALLBACK_CANDIDATES if c != main and Path(c[0]).is_file())


@cache
def truetype_fonts_with_char(codepoint: int) -> tuple[tuple[str, int], ...]:
    """Installed TrueType faces (not CFF/OpenType-PS, which PDF embedding refuses) that have a character."""
    if not shutil.which("fc-list"):
        return ()
    out = subprocess.run(
        ["fc-list", f":charset={codepoint:x}:fontformat=TrueType", "file", "index"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found: list[tuple[str, int]] = []
    for line in sorted(out.splitlines()):
        path, _, rest = line.partition(":")
        idx = rest.partition("index=")[2].strip()
        if path.endswith((".ttf", ".ttc")) and Path(path).is_file():
            found.append((path, int(idx) if idx.isdigit() else 0))
    return tuple(found)
