"""Who may read and write, and the headers every response carries.

Tokens travel as ``Authorization: Bearer <token>`` (API clients), a ``token`` form field (the
app's own forms) or the ``sitroom_token`` cookie the login page sets (HttpOnly, SameSite=Strict, so
no other site can make a browser send it). Compared in constant time.

No token sent → 401; a wrong one → 403; writes with no token configured → 403 (disabled).
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware

from sitroom.present.web.settings import Settings

COOKIE = "sitroom_token"


def presented_token(request: Request, form_token: str | None = None) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    if form_token:
        return form_token
    return request.cookies.get(COOKIE) or None


def token_ok(settings: Settings, token: str | None) -> bool:
    return bool(settings.token and token and hmac.compare_digest(settings.token.encode(), token.encode()))


def check_write(request: Request, form_token: str | None = None) -> None:
    settings: Settings = request.app.state.settings
    token = presented_token(request, form_token)
    if not settings.token:
        raise HTTPException(403, "writes are disabled: start the server with SITROOM_TOKEN set")
    if token is None:
        raise HTTPException(401, "this needs the token (Authorization: Bearer …)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_ok(settings, token):
        raise HTTPException(403, "wrong token")


def check_read(request: Request) -> None:
    settings: Settings = request.app.state.settings
    if not settings.private:
        return
    token = presented_token(request)
    if token is None:
        raise HTTPException(401, "this corpus is private: log in or send the token",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_ok(settings, token):
        raise HTTPException(403, "wrong token")


def content_security_policy(settings: Settings) -> str:
    img = "'self' data:" + (f" {settings.tile_origin}" if settings.tile_origin else "")
    return ("default-src 'self'; script-src 'self'; style-src 'self'; " f"img-src {img}; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")


class SecurityHeaders(BaseHTTPMiddleware):
    """CSP without inline script or style, no sniffing, no framing, no referrer leaks; bodies over the limit refused.

    The body limit is checked on the declared length before anything is parsed, so an oversized
    upload is refused before the form parser spools it to disk.
    """

    def __init__(self, app, settings: Settings) -> None:  # noqa: ANN001
        super().__init__(app)
        self.csp = content_security_policy(settings)
        self.max_body = settings.max_upload + 64 * 1024  # the file plus the form's other fields

    async def dispatch(self, request: Request, call_next):  # noqa: ANN201
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            response = JSONResponse({"detail": f"request body over the {self.max_body // 1024} kB limit"},
                                    status_code=413)
        else:
            response = await call_next(request)
        h = response.headers
        h.setdefault("Content-Security-Policy", self.csp)
        h["X-Content-Type-Options"] = "nosniff"
        h["X-Frame-Options"] = "DENY"
        h["Referrer-Policy"] = "no-referrer"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            h.setdefault("Cache-Control", "no-store")
        return response


class _BodyTooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing lets it through to the app's error pages."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the {limit // 1024} kB limit")


class BodyLimit:
    """Counts the request body as it streams in and answers 413 past `max_body` bytes.

    `SecurityHeaders` refuses a body whose declared Content-Length is over the limit; a chunked
    request declares none, and without this counter the JSON or form parser would read all of it
    into memory (or spool it to disk) first.
    """

    def __init__(self, app, max_body: int) -> None:  # noqa: ANN001
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive():  # noqa: ANN202
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge(self.max_body)
            return message

        async def tracked_send(message) -> None:  # noqa: ANN001
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _BodyTooLarge:
            if started:
                raise
            response = JSONResponse({"detail": f"request body over the {self.max_body // 1024} kB limit"},
                                    status_code=413)
            await response(scope, receive, send)
