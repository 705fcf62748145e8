"""Serving the app to a browser with textual-serve, to its owner only.

textual-serve runs one app process per browser tab, driven by keys sent over a WebSocket: whoever
can open that socket reads the store and edits books. So the server

- listens on 127.0.0.1 unless told otherwise;
- makes a random token at start and prints the address with it (``http://127.0.0.1:8000/?token=…``),
  as notebook servers do; the page and the WebSocket need it (the page, once opened with it, sets a
  cookie the WebSocket sends; a non-browser client may put ``token=`` in the socket's query);
- checks the ``Host`` (a loopback name or the host it listens on: no DNS rebinding) and, on the
  WebSocket, the ``Origin`` (the page's own origin only: another site open in the owner's browser
  cannot drive the app). Anything else gets 403.

The page is our own copy of textual-serve's (``tui/web/app_index.html``): its font comes from this
server, not from fonts.googleapis.com, so it works on an office network with no internet, and its
words are Chinese.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any

from cxzy_docs.api import DB_ENV, to_url

LOCAL_HOST = "127.0.0.1"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the tui package
TOKEN_ENV = "CXZY_SERVE_TOKEN"  # a token to use instead of a random one (tests, scripts)
COOKIE = "cxzy_serve_token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
TEMPLATES = Path(__file__).resolve().parent / "web"  # the page, with nothing fetched from outside


def app_command(
    db: str | Path | None, paths: list[str] | tuple[str, ...] = (), as_of: dt.date | None = None
) -> str:
    """The shell command textual-serve runs for each browser: this Python, ``-m tui``, the store."""
    url = to_url(db)
    if url.startswith("sqlite:///"):  # a relative path must not depend on where the server runs
        url = "sqlite:///" + str(Path(url[len("sqlite:///") :]).resolve())
    store = ["--db", url]
    if _has_password(
        url
    ):  # not on a command line every local user can read (ps): the app gets it from $CXZY_DB
        os.environ[DB_ENV] = url
        store = []
    args = [
        sys.executable,
        "-m",
        "tui",
        *store,
        *(["--as-of", as_of.isoformat()] if as_of else []),
        *[str(Path(p).resolve()) for p in paths],
    ]
    return shlex.join(args)


def _has_password(url: str) -> bool:
    try:
        import sqlalchemy as sa

        return bool(sa.engine.make_url(url).password)
    except Exception:
        return "@" in url


def new_token() -> str:
    return os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)


def allowed_hosts(host: str, port: int) -> set[str]:
    """``Host`` header values the server answers: loopback names, and the host it listens on."""
    names = {*LOOPBACK_NAMES, host if ":" not in host or host.startswith("[") else f"[{host}]"}
    return {f"{n}:{port}" for n in names} | ({*names} if port == 80 else set())


class Guard:
    """The checks of every request: Host always; the token on the page and the socket; Origin on the socket."""

    def __init__(self, token: str, host: str, port: int) -> None:
        self.token = token
        self.hosts = allowed_hosts(host, port)

    def _token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(str(given), self.token)

    def refusal(self, path: str, headers: Any, query: Any, cookies: Any) -> str | None:
        """Why a request is refused (Chinese), or None to let it through."""
        if headers.get("Host", "").lower() not in self.hosts:
            return "拒绝访问：主机名不符（只接受本机地址）"
        if path.startswith("/static/"):
            return None  # the page's scripts and styles: nothing of the store
        if not (self._token_ok(query.get("token")) or self._token_ok(cookies.get(COOKIE))):
            return "拒绝访问：缺少或错误的访问令牌（请使用启动时显示的完整地址）"
        if path.startswith("/ws"):
            origin = headers.get("Origin")
            if origin is None or origin.lower().split("://", 1)[-1] not in self.hosts:
                return "拒绝访问：WebSocket 来源（Origin）不是本页面"
        return None


def make_server(
    db: str | Path | None,
    *,
    host: str = LOCAL_HOST,
    port: int = 8000,
    token: str | None = None,
    as_of: dt.date | None = None,
) -> Any:
    """A textual-serve Server that only its owner can use (see the module's docstring)."""
    from aiohttp import web
    from textual_serve.server import Server

    guard = Guard(token or new_token(), host, port)

    @web.middleware
    async def check(request: web.Request, handler: Any) -> web.StreamResponse:
        why = guard.refusal(request.path, request.headers, request.query, request.cookies)
        if why is not None:
            return web.Response(status=403, text=why, content_type="text/plain", charset="utf-8")
        response: web.StreamResponse = await handler(request)
        if request.path == "/" and request.query.get("token") and isinstance(response, web.Response):
            response.set_cookie(COOKIE, guard.token, httponly=True, samesite="Strict", path="/")
        return response

    class OwnerOnlyServer(Server):
        owner_url = ""  # the address with the token, printed at start

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(check)
            return app

        def initialize_logging(self) -> None:  # textual-serve logs in English at INFO: errors only
            import logging

            logging.basicConfig(level="ERROR", format="%(message)s")

        async def on_startup(
            self, app: web.Application
        ) -> None:  # textual-serve's English banner, in Chinese
            self.console.print(
                f"写实簿核对界面已启动：{url}\n（只有持有此地址中令牌的人可以使用；按 Ctrl+C 停止）",
                highlight=False,
                soft_wrap=True,
            )

    # the app process must find the tui package even when it is not installed
    path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(PACKAGE_ROOT) + (os.pathsep + path if path else "")
    server = OwnerOnlyServer(
        app_command(db, as_of=as_of), host=host, port=port, title="写实簿核对", templates_path=TEMPLATES
    )
    url = f"{server.public_url}/?token={guard.token}"
    server.owner_url = url
    return server


def serve(
    db: str | Path | None, *, host: str = LOCAL_HOST, port: int = 8000, as_of: dt.date | None = None
) -> None:
    """Serve the app on http://host:port/?token=… until Ctrl+C (only this machine can reach 127.0.0.1)."""
    server = make_server(db, host=host, port=port, as_of=as_of)
    print(f"写实簿核对界面：{server.owner_url}", flush=True)  # before the server starts: scripts read it
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"注意：正在监听 {host}，其他电脑也能连到此端口（仍需上面地址中的令牌）；请只在可信网络中这样做",
            flush=True,
        )
    server.serve()


if __name__ == "__main__":  # python -m tui.serve DB PORT: what the browser test starts
    serve(sys.argv[1], port=int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
