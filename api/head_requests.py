"""HEAD on every GET route (RFC 9110 §9.3.2): the GET's status and headers, without a body.

FastAPI registers GET routes for GET only, so HEAD was a 405 everywhere. This pure ASGI
middleware answers a HEAD request by running the GET route and dropping the body it sends;
``Content-Length`` stays the GET's, as HEAD requires.
"""

from __future__ import annotations

from typing import Any


class HeadAsGet:
    """Serve HEAD requests with the matching GET route, body dropped."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        body_sent = False

        async def send_without_body(message: Any) -> None:
            nonlocal body_sent
            if message["type"] == "http.response.body":
                if body_sent:  # the rest of a streamed body
                    return
                body_sent = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
