"""Security headers: ``X-Content-Type-Options: nosniff`` on every response, and a
``Content-Security-Policy`` on the HTML pages (scripts, styles, images and forms from this
server only; no frames, plugins or inline script).

``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), both served from the ``fastapi-offline`` package,
not a CDN, start with an inline script, so their policy allows inline scripts and styles, still
from this server only. ReDoc's bundle shows a footer logo from ``cdn.redoc.ly``; the policy's
``img-src 'self'`` stops the browser from requesting it (the image is left out).
"""

from __future__ import annotations

from typing import Any

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'")
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeaders:
    """Pure ASGI middleware adding the headers above (existing ones are left as they are)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope.get("path", "").startswith(DOCS_PATHS)

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if ctype.startswith(b"text/html") and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", (DOCS_CSP if docs else PAGE_CSP).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
