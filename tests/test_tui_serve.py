"""The app served with textual-serve, driven from headless Chromium over the DevTools protocol."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve", reason="--serve needs textual-serve (pip install textual-serve)")
aiohttp = pytest.importorskip("aiohttp", reason="the DevTools client uses aiohttp (a textual-serve dependency)")

from cxzy_docs.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800"]

# about 10 s: under the 20 s that would make it a slow test
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


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
    server = subprocess.Popen([sys.executable, "-m", "tui.serve", str(db), str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
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

    async def key(self, key: str, code: str, keycode: int) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                            windowsVirtualKeyCode=keycode, nativeVirtualKeyCode=keycode)

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
            assert r.status == 403 and "主机名" in await r.text()  # DNS rebinding: a foreign name for 127.0.0.1
        for query, headers in (("", own), ("?token=wrong", own), (f"?token={token}", {"Origin": "http://evil.example"}),
                               (f"?token={token}", {})):
            with pytest.raises(aiohttp.WSServerHandshakeError) as exc:
                async with http.ws_connect(f"{base}/ws{query}", headers=headers):
                    pass
            assert exc.value.status == 403, (query, headers)
        async with http.ws_connect(f"{base}/ws?token={token}&width=80&height=24", headers=own) as ws:
            await ws.send_str(json.dumps(["stdin", ""]))
            assert not ws.closed
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as page:  # a browser: the page with the token, then the socket by cookie
        async with page.get(url) as r:
            assert r.status == 200 and "cxzy_serve_token" in r.headers.get("Set-Cookie", "")
            assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Strict" in r.headers["Set-Cookie"]
        async with page.ws_connect(f"{base}/ws?width=80&height=24", headers=own) as ws:
            assert not ws.closed


@needs_chromium
def test_served_app_opens_a_book_from_the_browser(tmp_path: Path) -> None:
    gold = sorted((ROOT / "tests" / "data" / "forms-dev").glob("*.gold.json"))[:3]
    records = [{k: v for k, v in json.loads(p.read_text(encoding="utf-8")).items() if k != "_meta"} for p in gold]
    db = tmp_path / "served.db"
    store = Store(db)
    first = store.add_records(records)[0]

    port = _free_port()
    server, url = _start_server(db, port)
    debug_port = _free_port()
    chrome = subprocess.Popen([str(CHROMIUM), *CHROME_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                               f"--remote-debugging-port={debug_port}", "about:blank"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_http(url, 30)
        _wait_http(f"http://127.0.0.1:{debug_port}/json/version", 30)
        asyncio.run(_drive(debug_port, url, tmp_path, db, first))
    finally:
        _stop(chrome)
        _stop(server)


async def _drive(debug_port: int, url: str, tmp_path: Path, db: Path, book_id: int) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{debug_port}/json/list") as r:
            page = next(t for t in await r.json() if t["type"] == "page")
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            dt = DevTools(ws)
            await dt.call("Page.enable")
            await dt.call("Page.navigate", url=url)

            async def canvases() -> int:
                got = await dt.call("Runtime.evaluate", expression="document.querySelectorAll('canvas').length")
                return int(got["result"]["value"])

            end = time.monotonic() + 30
            while await canvases() == 0:  # xterm.js draws the terminal into canvases
                assert time.monotonic() < end, "the page never showed the terminal"
                await asyncio.sleep(0.2)
            await asyncio.sleep(3)  # the app process starts and draws the books list
            list_png = await dt.screenshot(tmp_path / "served-books.png")
            await dt.call("Runtime.evaluate", expression="document.querySelector('.xterm-helper-textarea').focus()")

            await dt.key("Enter", "Enter", 13)  # open the book under the cursor
            await asyncio.sleep(2)
            book_png = await dt.screenshot(tmp_path / "served-book.png")
            assert book_png.startswith(b"\x89PNG") and book_png != list_png

            await dt.text("c")  # 标记已核对, with a note typed in the page
            await asyncio.sleep(1)
            await dt.text("浏览器中核对")
            await dt.key("Enter", "Enter", 13)
            store = Store(db)
            await _until(lambda: store.book(book_id).checked, 60, "the book to be marked checked")
            assert store.book(book_id).check_note == "浏览器中核对"
            await dt.screenshot(tmp_path / "served-checked.png")


def test_a_database_password_is_not_on_the_app_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.serve import app_command

    monkeypatch.delenv("CXZY_DB", raising=False)
    command = app_command("postgresql+psycopg://office:hunter2@127.0.0.1/cxzy")
    assert "hunter2" not in command and "--db" not in command
    assert os.environ["CXZY_DB"].endswith("@127.0.0.1/cxzy")
