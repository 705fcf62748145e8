"""The app served with textual-serve, driven from headless Chromium over the DevTools protocol."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve", reason="--serve needs textual-serve (pip install textual-serve)")
aiohttp = pytest.importorskip(
    "aiohttp", reason="the DevTools client uses aiohttp (a textual-serve dependency)"
)

from cxzy_docs.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
]
# An office network with no internet: no name resolves but localhost, and everything not on this machine
# goes to a proxy that does not exist (loopback addresses bypass proxies).
OFFLINE_FLAGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]

# What the app sends to the page, kept as text in window.__seen: the test waits for what it needs to see
# (the terminal is drawn into canvases, and the app starts slowly on a busy machine).
WATCH_SOCKET = """
(() => {
  const decoder = new TextDecoder();
  const Original = window.WebSocket;
  window.__seen = "";
  window.WebSocket = function (...args) {
    const ws = new Original(...args);
    ws.addEventListener("message", (event) => {
      window.__seen += typeof event.data === "string" ? event.data : decoder.decode(event.data, {stream: true});
    });
    return ws;
  };
  window.WebSocket.prototype = Original.prototype;
})();
"""

# about 10 s: under the 20 s that would make it a slow test
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, seconds: float) -> None:
    end = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def _start_server(db: Path, port: int) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m tui.serve``; its first line is the address with the access token."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CXZY_SERVE_TOKEN", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "tui.serve", str(db), str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline().decode("utf-8")
    assert line.startswith("写实簿核对界面：http://127.0.0.1:") and "?token=" in line, line
    return server, line.split("：", 1)[1].strip()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End a process group this test started (the server and the app processes it spawned)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class DevTools:
    """Just enough of the Chrome DevTools protocol: call a method, wait for its answer."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict[str, Any]] = []  # what the browser reported meanwhile (Network.*)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        mid = self.next_id
        await self.ws.send_json({"id": mid, "method": method, "params": params})
        while True:
            msg = await self.ws.receive_json(timeout=30)
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    async def key(self, key: str, code: str, keycode: int, text: str = "") -> None:
        """A key pressed and released; ``text`` what it types (Enter: a carriage return)."""
        await self.call(
            "Input.dispatchKeyEvent",
            type="keyDown" if text else "rawKeyDown",
            key=key,
            code=code,
            windowsVirtualKeyCode=keycode,
            nativeVirtualKeyCode=keycode,
            text=text,
            unmodifiedText=text,
        )
        await self.call(
            "Input.dispatchKeyEvent",
            type="keyUp",
            key=key,
            code=code,
            windowsVirtualKeyCode=keycode,
            nativeVirtualKeyCode=keycode,
        )

    async def text(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode((await self.call("Page.captureScreenshot", format="png"))["data"])
        path.write_bytes(data)
        return data


async def _until(check: Any, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def test_only_the_token_holder_on_this_page_gets_the_app(tmp_path: Path) -> None:
    """A real server and a real WebSocket client: no token, a wrong one, a foreign Origin or Host are
    refused with 403; the token (in the query, or the cookie the page set) and the page's own Origin pass."""
    db = tmp_path / "served.db"
    Store(db).add_records([])
    port = _free_port()
    server, url = _start_server(db, port)
    try:
        _wait_http(url, 30)
        asyncio.run(_probe(url, port))
    finally:
        _stop(server)


async def _probe(url: str, port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    token = url.split("?token=", 1)[1]
    own = {"Origin": base}
    async with aiohttp.ClientSession() as http:
        for path in ("/", "/?token=wrong"):
            async with http.get(base + path) as r:
                assert r.status == 403, (path, r.status)
                assert "访问令牌" in await r.text()
        async with http.get(url, headers={"Host": f"evil.example:{port}"}) as r:
            assert (
                r.status == 403 and "主机名" in await r.text()
            )  # DNS rebinding: a foreign name for 127.0.0.1
        for query, headers in (
            ("", own),
            ("?token=wrong", own),
            (f"?token={token}", {"Origin": "http://evil.example"}),
            (f"?token={token}", {}),
        ):
            with pytest.raises(aiohttp.WSServerHandshakeError) as exc:
                async with http.ws_connect(f"{base}/ws{query}", headers=headers):
                    pass
            assert exc.value.status == 403, (query, headers)
        async with http.ws_connect(f"{base}/ws?token={token}&width=80&height=24", headers=own) as ws:
            await ws.send_str(json.dumps(["stdin", ""]))
            assert not ws.closed
    async with aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as page:  # a browser: the page with the token, then the socket by cookie
        async with page.get(url) as r:
            assert r.status == 200 and "cxzy_serve_token" in r.headers.get("Set-Cookie", "")
            assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Strict" in r.headers["Set-Cookie"]
        async with page.ws_connect(f"{base}/ws?width=80&height=24", headers=own) as ws:
            assert not ws.closed


@needs_chromium
def test_served_app_opens_a_book_from_the_browser(tmp_path: Path) -> None:
    gold = sorted((ROOT / "tests" / "data" / "forms-dev").glob("*.gold.json"))[:3]
    records = [
        {k: v for k, v in json.loads(p.read_text(encoding="utf-8")).items() if k != "_meta"} for p in gold
    ]
    db = tmp_path / "served.db"
    store = Store(db)
    first = store.add_records(records)[0]

    port = _free_port()
    server, url = _start_server(db, port)
    debug_port = _free_port()
    chrome = subprocess.Popen(
        [
            str(CHROMIUM),
            *CHROME_FLAGS,
            *OFFLINE_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--remote-debugging-port={debug_port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_http(url, 30)
        _wait_http(f"http://127.0.0.1:{debug_port}/json/version", 30)
        asyncio.run(_drive(debug_port, url, tmp_path, db, first))
    finally:
        _stop(chrome)
        _stop(server)
    assert server.stdout is not None
    banner = server.stdout.read().decode("utf-8")  # what textual-serve printed while it ran
    assert banner.startswith("写实簿核对界面已启动：http://127.0.0.1:"), banner
    words = re.findall(r"(?<![\w/.:?=-])[A-Za-z]{2,}(?![\w/.:?=-])", banner.split("\n", 1)[1])
    assert set(words) <= {"Ctrl"}, banner  # a key's name; nothing else in English


async def _drive(debug_port: int, url: str, tmp_path: Path, db: Path, book_id: int) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{debug_port}/json/list") as r:
            page = next(t for t in await r.json() if t["type"] == "page")
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            dt = DevTools(ws)
            await dt.call("Page.enable")
            await dt.call("Network.enable")
            await dt.call("Page.addScriptToEvaluateOnNewDocument", source=WATCH_SOCKET)
            await dt.call("Page.navigate", url=url)

            async def seen(since: int = 0) -> str:
                got = await dt.call("Runtime.evaluate", expression=f"window.__seen.slice({since})")
                return str(got["result"].get("value", ""))

            async def until_drawn(text: str, since: int, what: str) -> int:
                """Wait until the app has sent ``text`` to the page (after the first ``since`` characters)."""
                end = time.monotonic() + 60
                while text not in await seen(since):
                    assert time.monotonic() < end, f"the page never showed {what}"
                    await asyncio.sleep(0.3)
                await asyncio.sleep(0.5)  # the rest of the frame
                return len(await seen())

            mark = await until_drawn("校验完成", 0, "the books list, loaded and checked")
            list_png = await dt.screenshot(tmp_path / "served-books.png")
            await _offline_page(dt, url)
            await dt.call(
                "Runtime.evaluate", expression="document.querySelector('.xterm-helper-textarea').focus()"
            )

            await dt.key("Enter", "Enter", 13, "\r")  # open the book under the cursor
            mark = await until_drawn("领导点评", mark, "the book")
            book_png = await dt.screenshot(tmp_path / "served-book.png")
            assert book_png.startswith(b"\x89PNG") and book_png != list_png

            await dt.text("c")  # 标记已核对, with a note typed in the page
            await until_drawn("标记为已核对", mark, "the dialog to mark the book checked")
            await dt.text("浏览器中核对")
            await dt.key("Enter", "Enter", 13, "\r")
            store = Store(db)
            await _until(lambda: store.book(book_id).checked, 60, "the book to be marked checked")
            assert store.book(book_id).check_note == "浏览器中核对"
            await dt.screenshot(tmp_path / "served-checked.png")


async def _offline_page(dt: DevTools, url: str) -> None:
    """The page fetched nothing from outside this machine and has everything it needs: its font, its
    script, Chinese words (the browser can reach nothing else: OFFLINE_FLAGS)."""
    requested = [
        e["params"]["request"]["url"] for e in dt.events if e["method"] == "Network.requestWillBeSent"
    ]
    assert requested and requested[0].startswith(url.split("?", 1)[0])
    outside = [
        u
        for u in requested
        if urllib.parse.urlsplit(u).hostname not in ("127.0.0.1", "localhost")
        and not u.startswith(("data:", "blob:"))
    ]
    assert outside == [], outside
    failed = [e["params"] for e in dt.events if e["method"] == "Network.loadingFailed"]
    assert failed == [], failed
    checks = (
        "document.title",
        "document.documentElement.lang",
        "document.fonts.check(\"16px 'Roboto Mono'\")",
        "[...document.fonts].filter(f => f.family.includes('Roboto Mono') && f.status === 'loaded').length",
        "document.querySelector('#start').textContent",
        "document.querySelector('.closed-dialog').innerText",
    )
    got = [(await dt.call("Runtime.evaluate", expression=e))["result"].get("value") for e in checks]
    assert got[:4] == ["写实簿核对", "zh-CN", True, 1], got
    assert got[4] == "开始" and "会话已结束" in got[5] and "重新开始" in got[5], got
    probe = await dt.call(
        "Runtime.evaluate",
        awaitPromise=True,
        expression=(
            "fetch('https://fonts.googleapis.com/css?family=Roboto%20Mono').then(() => 'reached', () => 'blocked')"
        ),
    )
    assert probe["result"]["value"] == "blocked"  # the browser really has no internet


def test_a_database_password_is_not_on_the_app_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.serve import app_command

    monkeypatch.delenv("CXZY_DB", raising=False)
    command = app_command("postgresql+psycopg://office:hunter2@127.0.0.1/cxzy")
    assert "hunter2" not in command and "--db" not in command
    assert os.environ["CXZY_DB"].endswith("@127.0.0.1/cxzy")
