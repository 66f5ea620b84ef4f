"""bench/browser.py, the surge's simulated browser: it keeps and drops cookies as a
browser does and reads a whole answer, against a real (tiny) HTTP server."""

from __future__ import annotations

import asyncio

from bench.browser import Browser

ANSWERS = {
    "/set": (
        b"HTTP/1.1 302 Found\r\nLocation: /next/\r\n"
        b"Set-Cookie: sessionid=abc; expires=Thu, 01 Jan 2099 00:00:00 GMT; HttpOnly; "
        b"Max-Age=1209600; Path=/; SameSite=Lax\r\n"
        b"Set-Cookie: csrftoken=tok; Path=/\r\nContent-Length: 0\r\n\r\n"
    ),
    "/drop": (
        b'HTTP/1.1 200 OK\r\nSet-Cookie: sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; '
        b"Max-Age=0; Path=/\r\nContent-Length: 2\r\n\r\nok"
    ),
    "/chunked": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    ),
}


async def serve_and_browse(paths: list[str]) -> tuple[list, list[bytes], Browser]:
    received: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            ),
            0,
        )
        received.append(head + await reader.readexactly(length))
        writer.write(ANSWERS[head.split(b" ")[1].decode()])
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    browser = Browser(f"http://127.0.0.1:{port}", headers={"X-Forwarded-For": "10.0.0.1"})
    answers = []
    async with server:
        for path in paths:
            if path == "/set":
                answers.append(await browser.post(path, {"a": "1 2"}, referer="http://x/set"))
            else:
                answers.append(await browser.get(path))
    return answers, received, browser


def test_the_browser_keeps_the_cookies_it_is_given_and_sends_them_back():
    answers, received, browser = asyncio.run(serve_and_browse(["/set", "/chunked"]))

    assert answers[0].status_code == 302
    assert answers[0].headers["location"] == "/next/"
    assert browser.cookies == {"sessionid": "abc", "csrftoken": "tok"}
    assert b"Content-Type: application/x-www-form-urlencoded" in received[0]
    assert received[0].endswith(b"\r\n\r\na=1+2")
    assert b"Referer: http://x/set" in received[0]
    assert b"Cookie: sessionid=abc; csrftoken=tok" in received[1]
    assert b"X-Forwarded-For: 10.0.0.1" in received[1]


def test_a_cookie_the_server_deletes_is_no_longer_sent():
    _, received, browser = asyncio.run(serve_and_browse(["/set", "/drop", "/chunked"]))

    assert browser.cookies == {"csrftoken": "tok"}
    assert b"sessionid" not in received[2]


def test_a_chunked_answer_is_read_whole():
    answers, _, _ = asyncio.run(serve_and_browse(["/chunked"]))

    assert answers[0].text == "hello world"
