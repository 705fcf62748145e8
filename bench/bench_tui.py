"""Time to the first screen and to apply a filter in the TUI on a store of 10,000 books.

    python bench/bench_tui.py [--books 10000] [--db FILE]

Targets: first screen (the books list showing rows) within 1.5 s; a filter applied within 100 ms.
The store is built once (from model.empty_record + set_field with varied Chinese texts) and kept
in --db if given.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.cells import cell_len

from cxzy_docs.model import empty_record, set_field
from cxzy_docs.store import Store

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰春生东升建民志斌德明玉洁"
PLACES = ["红旗", "靖宇", "前进", "胜利", "东方红", "新华", "永安", "太平", "长青", "光明"]
UNITS = ["村第一党支部", "村第二党支部", "镇卫生院党支部", "镇中心小学党支部", "镇农业综合服务中心党支部"]
DEEDS = [
    "组织党员学习{n}次",
    "走访困难户{n}户",
    "调解矛盾纠纷{n}起",
    "帮助群众解决实际困难{n}件",
    "开展义诊{n}次，服务群众{m}人次",
    "带头参加义务劳动{n}次",
]
FAULTS = ["理论学习不够深入", "台账记录不够规范", "联系群众还不够经常", "创新意识不强"]
DIRECTIONS = ["下季度要把理论学习抓实", "今后要规范台账记录，每月自查", "希望多走访群众，掌握社情民意"]


def _review(rng: random.Random) -> str:
    deed = rng.choice(DEEDS).format(n=rng.randint(2, 12), m=rng.randint(50, 900))
    parts = [f"该同志本季度{deed}，工作认真负责。"]
    if rng.random() < 0.8:
        parts.append(f"不足是{rng.choice(FAULTS)}。")
    if rng.random() < 0.8:
        parts.append(f"{rng.choice(DIRECTIONS)}。")
    return "".join(parts)


def make_book(rng: random.Random, i: int) -> dict:
    rec = empty_record("member", rng.choice([2010, 2011, 2012]))
    org = rng.choice(PLACES) + rng.choice(UNITS)
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    values = {
        "subject.name": name,
        "subject.organization": org,
        "subject.gender": rng.choice("男女"),
        "subject.ethnicity": "汉族",
        "subject.birth": f"19{rng.randint(50, 95)}-0{rng.randint(1, 9)}",
        "subject.position": "村民",
        "commitment.text": f"{i}号承诺：" + "带头学习，服务群众，" * 8,
    }
    for q in ("Q1", "Q2", "Q3", "Q4"):
        values[f"periods.{q}.fulfilment.text"] = rng.choice(DEEDS).format(n=3, m=120) + "。" * 3
        values[f"periods.{q}.review.text"] = _review(rng)
        values[f"periods.{q}.review.sign.name"] = "高志斌"
    for path, value in values.items():
        set_field(rec, path, value)
    return rec


def build_store(path: Path, books: int) -> Store:
    store = Store(path)
    have = store.counts()["books"]
    if have < books:
        rng = random.Random(2010)
        records = [make_book(rng, i) for i in range(books)][have:]
        for start in range(0, len(records), 2000):
            store.add_records(records[start : start + 2000])
    return store


async def measure(store: Store, check: bool = False) -> dict[str, float]:
    from tui.app import CxzyApp
    from tui.screens import BooksScreen

    app = CxzyApp(store, check=False)  # validation runs in the background; not part of these timings
    t0 = time.perf_counter()
    out: dict[str, float] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        while not (isinstance(app.screen, BooksScreen) and app.screen.table.rows):
            await asyncio.sleep(0.005)
        out["first screen, rows showing (s)"] = time.perf_counter() - t0
        while not app.loaded:
            await asyncio.sleep(0.005)
        await pilot.pause()
        out["all books listed (s)"] = time.perf_counter() - t0
        screen = app.screen
        assert isinstance(screen, BooksScreen)
        from textual.widgets import Input

        box = screen.query_one("#filter", Input)
        for text in ("王伟", "调解矛盾纠纷", "红旗 2011", ""):
            screen.filter.text = text
            t = time.perf_counter()
            screen.refresh_rows()  # what typing in the filter box runs: select, sort, count
            out[f"filter {text or '(cleared)'}: computed (ms)"] = (time.perf_counter() - t) * 1000
        for label, text in (
            ("filter by name: on screen (ms)", "王伟"),
            ("filter by text: on screen (ms)", "调解矛盾纠纷"),
            ("filter, two words: on screen (ms)", "红旗 2011"),
            ("clear filter: on screen (ms)", ""),
        ):
            t = time.perf_counter()
            box.value = text
            await pilot.pause()
            out[label] = (time.perf_counter() - t) * 1000
            out[label.replace("on screen (ms)", "books shown")] = len(screen.table.rows)
        t = time.perf_counter()
        await pilot.press("s")
        await pilot.pause()
        out["sort by a column (ms)"] = (time.perf_counter() - t) * 1000
        if check:
            t0 = time.perf_counter()
            app.check_all()
            presses = []
            for _ in range(20):  # the list stays usable while the validator works in its thread
                await asyncio.sleep(0.25)
                moved = asyncio.Event()
                t = time.perf_counter()
                app.call_later(lambda ev=moved: (screen.table.action_cursor(1), ev.set()))
                await moved.wait()
                presses.append(time.perf_counter() - t)
            out["cursor move while validating, worst (ms)"] = max(presses) * 1000
            out["cursor move while validating, median (ms)"] = sorted(presses)[len(presses) // 2] * 1000
            await app.workers.wait_for_complete()
            out["validate every book, background (s)"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--db", help="keep the generated store here (built once)")
    parser.add_argument("--check", action="store_true", help="also time validating every book")
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "bench-tui.db"
    t = time.perf_counter()
    store = build_store(path, args.books)
    print(f"store: {store.counts()['books']} books in {path} (ready in {time.perf_counter() - t:.1f} s)")
    for label, value in asyncio.run(measure(store, args.check)).items():
        pad = " " * max(1, 40 - cell_len(label))
        print(f"{label}{pad}{int(value):8d}" if "shown" in label else f"{label}{pad}{value:8.2f}")


if __name__ == "__main__":
    main()
