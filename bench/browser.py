"""A small HTTP/1.1 browser for figure 7 (the go-live surge): one cookie jar, one address.

Two hundred attorneys are simulated in the bench's one asyncio process, on the same two
cores as the server. With httpx, the client was a large part of what the figure
measured: building an httpx client costs ~25 ms of CPU (a TLS context each, unused on
plain HTTP: 5 s for 200, while the first attorneys' clocks already ran), and each request
~2.5 ms more, so in the login-page burst the bench's event loop, not the server, held
most requests for most of their time (the "login GET" p99 of 16 s was mostly that).

This client does what a browser does on these pages and nothing more: it connects, sends
the request with its cookies (and a form body), reads the whole answer (the server closes
each connection, gunicorn.conf.py's keepalive = 0), keeps the cookies it is given, and
hands back the status, headers and text. A request's time is taken from the moment it
starts connecting to the moment the last byte of the answer is read; the time a
simulated attorney waits for the bench's own event loop before its request starts is not
the server's and is not counted.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Answer:
    status_code: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    text: str
    seconds: float  # from connecting to the last byte read


@dataclass
class Browser:
    base: str  # http://host:port
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 180

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post(self, path: str, data: dict[str, str], referer: str) -> Answer:
        return await self.request("POST", path, data=data, referer=referer)

    async def request(
        self, method: str, path: str, data: dict[str, str] | None = None, referer: str = ""
    ) -> Answer:
        url = urlsplit(self.base)
        host, port = url.hostname or "127.0.0.1", url.port or 80
        body = urlencode(data).encode() if data is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {url.netloc}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if referer:
            lines.append(f"Referer: {referer}")
        if data is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        started = time.perf_counter()
        async with asyncio.timeout(self.timeout):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(raw)
                answer = await reader.read()  # to the end: the server closes
            finally:
                writer.close()
        seconds = time.perf_counter() - started
        return self._parse(answer, seconds)

    def _parse(self, answer: bytes, seconds: float) -> Answer:
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise ConnectionError(f"not an HTTP answer: {status_line[:80]!r}")
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            headers[name] = value
            if name == "set-cookie":
                self._keep(value)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = _unchunk(body)
        return Answer(int(parts[1]), headers, body.decode("utf-8", "replace"), seconds)

    def _keep(self, set_cookie: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(set_cookie)
        for name, morsel in jar.items():
            # Django deletes a cookie by sending it empty with Max-Age=0 (and a past date).
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


def _unchunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)
