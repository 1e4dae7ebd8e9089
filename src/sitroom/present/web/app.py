"""The FastAPI application: `create_app(store)` wires the store, settings, templates and routes.

Server-rendered pages (Jinja2, autoescaped) for people, a JSON API under ``/api`` for programs
(OpenAPI schema at ``/api/openapi.json``). The browser gets only same-origin, vendored scripts
(`static/`): the app works with no network at all.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader

from sitroom import __version__
from sitroom.model import Analysis
from sitroom.present.brief.render import md_escape, pct
from sitroom.present.eventrows import timeline_rows
from sitroom.present.web.security import BodyLimit, SecurityHeaders
from sitroom.present.web.settings import Settings
from sitroom.store import Store

WEB_DIR = Path(__file__).resolve().parent


class AnalyzerHolder:
    """Loads the spaCy pipeline on first use (the app starts fast) and runs one analysis at a time."""

    def __init__(self, model: str, analyzer=None) -> None:  # noqa: ANN001
        self.model = model
        self._analyzer = analyzer
        self._lock = threading.Lock()

    def analyze(self, raw, published: dt.date | None) -> Analysis:  # noqa: ANN001
        with self._lock:
            if self._analyzer is None:
                from sitroom.analysis import Analyzer

                self._analyzer = Analyzer(self.model)
            return self._analyzer.analyze_raw(raw, published=published)


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    t.env.loader = ChoiceLoader([FileSystemLoader(str(WEB_DIR / "templates")),
                                 PackageLoader("sitroom.present.brief", "templates")])
    t.env.filters["pct"] = pct
    t.env.filters["md"] = md_escape
    t.env.filters["timeline_rows"] = timeline_rows  # an analysis's events in date order, dates in words
    t.env.globals["version"] = __version__
    return t


def create_app(store: Store, settings: Settings | None = None, *, analyzer=None,  # noqa: ANN001
               now: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """The web app over `store`. `analyzer` (an `Analyzer`) is loaded lazily when not given."""
    settings = settings or Settings()
    app = FastAPI(title="sitroom", version=__version__,
                  description="The situation room: a sourced situation picture over a corpus of news articles. "
                              "Reads are open unless the server runs private; writes need the token "
                              "(Authorization: Bearer …).",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.settings = settings
    app.state.analyzer = AnalyzerHolder(settings.model, analyzer)
    app.state.templates = templates()
    app.state.now = now or (lambda: dt.datetime.now(dt.UTC))
    app.add_middleware(BodyLimit, max_body=settings.max_upload + 64 * 1024)  # inner: counts chunked bodies too
    app.add_middleware(SecurityHeaders, settings=settings)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    from sitroom.present.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.public)
    app.include_router(pages.router)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):  # noqa: ANN202
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401 and request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return app.state.templates.TemplateResponse(request, "error.html", {"status": exc.status_code,
                                                                           "detail": exc.detail},
                                                    status_code=exc.status_code)

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, exc: OverflowError):  # noqa: ANN202
        # an id past SQLite's 64-bit integers (/articles/99999999999999999999) names nothing: 404, not a 500
        return await http_error(request, HTTPException(404, "no such item (the number is out of range)"))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):  # noqa: ANN202
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": errors}, status_code=422)
        detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in errors)
        return app.state.templates.TemplateResponse(request, "error.html", {"status": 422, "detail": detail},
                                                    status_code=422)

    return app
