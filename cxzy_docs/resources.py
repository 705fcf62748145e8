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
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 1),  # AR PL UMing CN (a 明体/宋体 face)
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
            return path, int(idx or 0)
        raise DependencyMissing(f"环境变量 CXZY_FONT 指向的字体文件不存在：{path}")
    for path, idx in _FONT_CANDIDATES:
        if Path(path).is_file():
            return path, idx
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh-cn:fontformat=TrueType"],
                             capture_output=True, text=True, check=False).stdout.strip()
        if out.endswith((".ttf", ".ttc")) and Path(out).is_file():
            return out, 0
    raise DependencyMissing(
        "找不到可嵌入 PDF 的中文 TrueType 字体。请安装：apt-get install fonts-arphic-uming fonts-wqy-zenhei，"
        "或设置环境变量 CXZY_FONT=字体文件路径"
    )
