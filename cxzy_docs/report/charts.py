"""The summary's charts as PNG bytes, drawn with matplotlib in a TrueType CJK font (no tofu boxes)."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from cxzy_docs.errors import DependencyMissing
from cxzy_docs.report.figures import VOTE_KEYS, VOTE_NAMES, Figures, PeriodCoverage

DPI = 150
SIZE_IN = (6.0, 3.2)
COLORS = ("#c0392b", "#e6a23c", "#7f8c8d", "#34495e")  # 党建红 first


@cache
def _font_name() -> str:
    """Register :func:`cxzy_docs.resources.cjk_font` with matplotlib; its family name.

    matplotlib reads the first face of a ``.ttc`` collection; every collection the resources
    module lists carries the simplified-Chinese face first.
    """
    import logging

    from matplotlib import font_manager

    from cxzy_docs.resources import cjk_font

    # AR PL UMing is a Light face: matplotlib warns on every text that it has no "normal" weight
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    path, _index = cjk_font()
    font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise DependencyMissing("生成图表需要 matplotlib：pip install matplotlib") from None
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _render(draw: Any) -> bytes:
    plt = _pyplot()
    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": [_font_name(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "cxzy",
        "font.size": 10,
    }
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=SIZE_IN, dpi=DPI)
        try:
            draw(ax)
            ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
        finally:
            plt.close(fig)
    return buf.getvalue()


def votes_chart(f: Figures) -> bytes:
    """Votes by grade (满意 / 比较满意 / 一般 / 不满意), member books and organization books side by side."""
    series = [("党员写实簿", f.votes_members, COLORS[0]), ("党组织写实簿", f.votes_organizations, COLORS[3])]
    series = [s for s in series if s[1].total] or series[:1]

    def draw(ax: Any) -> None:
        width = 0.8 / len(series)
        for i, (label, tally, color) in enumerate(series):
            xs = [k + (i - (len(series) - 1) / 2) * width for k in range(len(VOTE_KEYS))]
            counts = [tally.count(k) for k in VOTE_KEYS]
            bars = ax.bar(xs, counts, width * 0.92, label=label, color=color)
            ax.bar_label(
                bars,
                labels=[
                    f"{c}票\n{tally.share(k) * 100:.1f}%" if tally.total else "0"
                    for c, k in zip(counts, VOTE_KEYS, strict=True)
                ],
                fontsize=7,
                padding=2,
            )
        ax.set_xticks(range(len(VOTE_KEYS)), [VOTE_NAMES[k] for k in VOTE_KEYS])
        ax.set_ylabel("票数")
        ax.set_title(f"{f.year}年度党员群众评议票数（按评价等次）", fontsize=11)
        ax.margins(y=0.25)
        ax.legend(frameon=False, fontsize=8)

    return _render(draw)


def coverage_chart(f: Figures) -> bytes:
    """Review coverage by period (reviews written / books) and the share complete in the three elements."""
    periods: list[PeriodCoverage] = [c for c in f.coverage if c.expected] or list(f.coverage)

    def draw(ax: Any) -> None:
        xs = range(len(periods))
        done = [c.share * 100 for c in periods]
        complete = [c.complete / c.expected * 100 if c.expected else 0.0 for c in periods]
        b1 = ax.bar([x - 0.2 for x in xs], done, 0.38, label="已点评", color=COLORS[0])
        b2 = ax.bar([x + 0.2 for x in xs], complete, 0.38, label="三要素齐全", color=COLORS[1])
        ax.bar_label(b1, labels=[f"{c.done}/{c.expected}" for c in periods], fontsize=7, padding=2)
        ax.bar_label(b2, labels=[f"{c.complete}" for c in periods], fontsize=7, padding=2)
        ax.set_xticks(list(xs), [f"{c.name}\n{'党员' if c.kind == 'member' else '党组织'}" for c in periods])
        ax.set_ylim(0, 118)
        ax.set_yticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        ax.set_ylabel("占应点评数")
        ax.set_title(f"{f.year}年度各期领导点评覆盖情况", fontsize=11)
        ax.legend(frameon=False, fontsize=8, loc="upper right", ncols=2)

    return _render(draw)


CHARTS = {"votes": votes_chart, "coverage": coverage_chart}
