"""The HTML pages: search, article, actors, quotes, forecasts, scorecard, brief, network, map, analyse.

Pages read query parameters leniently (a bad date is reported on the page, not a 422), render
server-side with autoescaped Jinja2 templates, and link every fact back to its article span
(``/articles/{id}?hl={start}-{end}#s{start}``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from sitroom.present import charts, queries
from sitroom.present.brief import (
    Limits,
    Links,
    PdfUnavailable,
    assemble,
    brief_charts,
    render_html,
    render_markdown,
    render_pdf,
)
from sitroom.present.brief.render import ICD203
from sitroom.present.scorecard import store_scorecard
from sitroom.present.web.api import event_points, run_analysis
from sitroom.present.web.highlight import highlight
from sitroom.present.web.security import COOKIE, check_read, check_write, token_ok
from sitroom.store import Store

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_read)])
public = APIRouter(include_in_schema=False)
PAGE = 20
MARKS = ("\x02", "\x03")  # snippet match markers: never in article text after escaping, turned into <mark>
BRIEF_CSS = Path(__file__).resolve().parents[1] / "brief" / "templates" / "brief.css"


# --------------------------------------------------------------------------- helpers

def _store(request: Request) -> Store:
    return request.app.state.store


def render(request: Request, template: str, /, status_code: int = 200, **ctx) -> HTMLResponse:  # noqa: ANN003
    settings = request.app.state.settings
    ctx.setdefault("writes_enabled", bool(settings.token))
    ctx.setdefault("logged_in", token_ok(settings, request.cookies.get(COOKIE)))
    return request.app.state.templates.TemplateResponse(request, template, ctx, status_code=status_code)


def _date(value: str | None, name: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{name}: {value!r} is not a date (YYYY-MM-DD); ignored")
        return None


def _int(value: str | None, default: int, lo: int = 1, hi: int = 100_000) -> int:
    try:
        return min(hi, max(lo, int(value))) if value else default
    except ValueError:
        return default


def _span(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        a, b = (int(x) for x in value.split("-", 1))
    except ValueError:
        return None
    return (a, b) if 0 <= a < b else None


def _snippet(text: str | None) -> Markup:
    esc = Markup.escape(text or "")
    return Markup(str(esc).replace(MARKS[0], "<mark>").replace(MARKS[1], "</mark>"))


def span_link(article_id: int, start: int, end: int) -> str:
    return f"/articles/{article_id}?hl={start}-{end}#s{start}"


def _safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (an article's URL is untrusted input)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def speaker_class(key: object) -> str:
    """A stable colour class (q0 … q9) for a speaker across pages."""
    return f"q{sum(str(key).encode()) % 10}"


# --------------------------------------------------------------------------- login (always open)

def _next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") else "/"


@public.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", next=_next(next))


@public.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=500)] = "",
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    settings = request.app.state.settings
    if not token_ok(settings, token):
        return render(request, "login.html", status_code=403, next=_next(next), error="wrong token")
    resp = RedirectResponse(_next(next), status_code=303)
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                    max_age=12 * 3600)
    return resp


@public.post("/logout")
def logout() -> Response:
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


@public.get("/assets/brief.css")
def brief_css() -> Response:
    return Response(BRIEF_CSS.read_text(encoding="utf-8"), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=3600"})


# --------------------------------------------------------------------------- home and search

@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    store = _store(request)
    return render(request, "index.html", stats=store.stats(), latest=store.articles(limit=12),
                  top_actors=store.actors(limit=16), event_types=queries.event_types(store)[:20])


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str | None = None, date_from: str | None = None, date_to: str | None = None,
           outlet: str | None = None, actor: str | None = None, event_type: str | None = None,
           page: str | None = None) -> HTMLResponse:
    store = _store(request)
    errors: list[str] = []
    d0, d1 = _date(date_from, "from", errors), _date(date_to, "to", errors)
    n = _int(page, 1, 1, 10_000)
    q = (q or "").strip()[:500]
    res = store.search(q or None, date_from=d0, date_to=d1, outlet=outlet or None, actor=(actor or "").strip() or None,
                       event_type=event_type or None, limit=PAGE, offset=(n - 1) * PAGE, marks=MARKS)
    params = {k: v for k, v in dict(q=q, date_from=date_from, date_to=date_to, outlet=outlet, actor=actor,
                                    event_type=event_type).items() if v}
    brief_query = {k: v for k, v in dict(topic=q, actor=actor, since=date_from, until=date_to).items() if v}
    hits = [(h, _snippet(h.snippet)) for h in res.hits]
    return render(request, "search.html", q=q, params=params, brief_query=brief_query, results=res, hits=hits,
                  page=n, pages=max(1, math.ceil(res.total / PAGE)), errors=errors, outlets=queries.outlets(store),
                  event_types=queries.event_types(store))


# --------------------------------------------------------------------------- article

@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: int, hl: str | None = None) -> HTMLResponse:
    store = _store(request)
    detail = store.article(article_id)
    analysis = store.analysis(article_id) if detail else None
    if detail is None or analysis is None:
        raise HTTPException(404, f"no article {article_id}")
    local = queries.corpus_actor_ids(store, [article_id])
    hrefs = {lid: f"/actors/{cid}" for (_, lid), cid in local.items()}
    claim_ids = queries.claim_ids(store, [article_id])
    return render(request, "article.html", detail=detail, a=analysis, hl=_span(hl),
                  text=highlight(analysis, hrefs, _span(hl)), actor_href=hrefs, article_id=article_id,
                  claim_ids={lid: cid for (_, lid), cid in claim_ids.items()}, url=_safe_url(detail.url),
                  span_link=lambda s, e: span_link(article_id, s, e))


# --------------------------------------------------------------------------- actors

@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, q: str | None = None, type: str | None = None, page: str | None = None) -> HTMLResponse:
    store = _store(request)
    n = _int(page, 1, 1, 10_000)
    rows = store.actors((q or "").strip()[:200] or None, type=type or None, limit=50, offset=(n - 1) * 50)
    return render(request, "actors.html", rows=rows, q=q or "", type=type or "", page=n)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(request: Request, actor_id: int) -> HTMLResponse:
    store = _store(request)
    found = store.actor(actor_id, limit=100)
    if found is None:
        raise HTTPException(404, f"no actor {actor_id}")
    as_actor = [e for e in found.events if e.actor_actor_id == actor_id]
    as_target = [e for e in found.events if e.target_actor_id == actor_id]
    at_place = [e for e in found.events if e.location_actor_id == actor_id and e not in as_actor and e not in as_target]
    marks = [charts.Mark(date=e.date, lane=e.type, href=span_link(e.article_id, e.start, e.end),
                         label=f"{e.date} {e.type}: {e.actor_name or '?'} → {e.target_name or '?'} — {e.text}",
                         hollow=e.status in ("planned", "threatened", "hypothetical"))
             for e in found.events if e.date]
    return render(request, "actor.html", actor=found, as_actor=as_actor, as_target=as_target, at_place=at_place,
                  timeline=Markup(charts.timeline_svg(marks, title=f"Events involving {found.name}")),
                  span_link=span_link, colour=speaker_class(actor_id))


# --------------------------------------------------------------------------- quotes

@router.get("/quotes", response_class=HTMLResponse)
def quotes(request: Request, speaker: str | None = None, q: str | None = None, date_from: str | None = None,
           date_to: str | None = None, page: str | None = None) -> HTMLResponse:
    store = _store(request)
    errors: list[str] = []
    n = _int(page, 1, 1, 10_000)
    rows = store.quotes(speaker=(speaker or "").strip()[:200] or None, query=(q or "").strip()[:200] or None,
                        date_from=_date(date_from, "from", errors), date_to=_date(date_to, "to", errors), limit=50,
                        offset=(n - 1) * 50)
    return render(request, "quotes.html", rows=rows, speaker=speaker or "", q=q or "", date_from=date_from or "",
                  date_to=date_to or "", page=n, errors=errors, span_link=span_link, colour=speaker_class)


# --------------------------------------------------------------------------- forecasts

@router.get("/forecasts", response_class=HTMLResponse)
def forecasts(request: Request, holder: str | None = None, status: str | None = None,
              page: str | None = None, done: str | None = None) -> HTMLResponse:
    store = _store(request)
    n = _int(page, 1, 1, 10_000)
    resolved = {"open": False, "resolved": True}.get(status or "")
    rows = store.claims(holder=(holder or "").strip()[:200] or None, forecast=True, resolved=resolved, limit=50,
                        offset=(n - 1) * 50)
    return render(request, "forecasts.html", rows=rows, holder=holder or "", status=status or "", page=n,
                  span_link=span_link, today=dt.date.today().isoformat(), done=_int(done, 0, 0, 10**9))


@router.post("/forecasts/{claim_id}/resolve")
def resolve(request: Request, claim_id: int, outcome: Annotated[str, Form(max_length=10)],
            resolved_on: Annotated[str, Form(max_length=20)] = "", note: Annotated[str, Form(max_length=2000)] = "",
            token: Annotated[str, Form(max_length=500)] = "") -> Response:
    check_write(request, token or None)
    if outcome not in ("yes", "no", "partial"):
        raise HTTPException(400, "outcome must be yes, no or partial")
    errors: list[str] = []
    day = _date(resolved_on, "resolved on", errors)
    if errors:
        raise HTTPException(400, errors[0])
    try:
        _store(request).add_resolution(claim_id, outcome, day, note.strip() or None)
    except KeyError:
        raise HTTPException(404, f"no claim {claim_id}") from None
    return RedirectResponse(f"/forecasts?done={claim_id}#claim-{claim_id}", status_code=303)


@router.get("/scorecard", response_class=HTMLResponse)
def get_scorecard(request: Request) -> HTMLResponse:
    return render(request, "scorecard.html", card=store_scorecard(_store(request)), icd203=ICD203)


# --------------------------------------------------------------------------- brief

def _brief(request: Request, topic: str | None, actor: str | None, since: str | None, until: str | None,
           errors: list[str]):  # noqa: ANN202
    return assemble(_store(request), topic=(topic or "").strip()[:500] or None,
                    actor=(actor or "").strip()[:200] or None, since=_date(since, "since", errors),
                    until=_date(until, "until", errors),
                    limits=Limits(articles=300), now=request.app.state.now())


@router.get("/brief", response_class=HTMLResponse)
def brief_page(request: Request, topic: str | None = None, actor: str | None = None, since: str | None = None,
               until: str | None = None) -> HTMLResponse:
    errors: list[str] = []
    b = _brief(request, topic, actor, since, until, errors)
    links = Links(base_url="")
    settings = request.app.state.settings
    points = [{"name": p.name, "lat": p.latitude, "lon": p.longitude, "count": p.count, "types": p.types,
               "href": links.ref(p.refs[0]) if p.refs else None} for p in b.places]
    params = {k: v for k, v in dict(topic=topic, actor=actor, since=since, until=until).items() if v}
    return render(request, "brief.html", brief=b, links=links, svgs=brief_charts(b, links), icd203=ICD203,
                  errors=errors, params=params, points_json=json.dumps(points),
                  tiles=settings.tiles, tiles_attribution=settings.tiles_attribution)


@router.get("/brief/download")
def brief_download(request: Request, format: str = "md", topic: str | None = None, actor: str | None = None,
                   since: str | None = None, until: str | None = None) -> Response:
    errors: list[str] = []
    b = _brief(request, topic, actor, since, until, errors)
    links = Links(base_url=str(request.base_url).rstrip("/"))
    name = f"sitroom-brief-{dt.date.today().isoformat()}"
    if format == "pdf":
        try:
            data = render_pdf(b, links)
        except PdfUnavailable as exc:
            raise HTTPException(503, str(exc)) from None
        return Response(data, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    if format == "html":
        return Response(render_html(b, links), media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.html"',
                                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                                            "img-src data:; frame-ancestors 'none'"})
    if format == "md":
        return Response(render_markdown(b, links), media_type="text/markdown; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.md"'})
    raise HTTPException(400, "format must be md, html or pdf")


# --------------------------------------------------------------------------- network and map

@router.get("/network", response_class=HTMLResponse)
def network(request: Request, kind: str = "events", min_weight: str | None = None) -> HTMLResponse:
    if kind not in ("events", "quotes", "cooccurrence"):
        kind = "events"
    net = _store(request).network(kind, min_weight=_int(min_weight, 1, 1, 1000), limit=80)
    names = {n.id: n.name for n in net.nodes}
    degree: dict[int, int] = {}
    for e in net.edges:
        degree[e.source] = degree.get(e.source, 0) + e.weight
        degree[e.target] = degree.get(e.target, 0) + e.weight
    keep = set(sorted(degree, key=lambda i: -degree[i])[:40])
    nodes = [charts.Node(key=str(n.id), label=n.name, href=f"/actors/{n.id}", weight=degree.get(n.id, 1))
             for n in net.nodes if n.id in keep]
    rel = {"events": "acts_on", "quotes": "speaks_to", "cooccurrence": "named_with"}[kind]
    edges = [charts.Edge(source=str(e.source), target=str(e.target), kind=rel, weight=e.weight,
                         label=f"{names.get(e.source)} → {names.get(e.target)}: "
                               f"{', '.join(e.types) or kind} ({e.weight})")
             for e in net.edges if e.source in keep and e.target in keep]
    svg = charts.network_svg(nodes, edges, width=900, height=560, title=f"Actor network ({kind})")
    return render(request, "network.html", kind=kind, svg=Markup(svg), edges=net.edges, names=names,
                  min_weight=_int(min_weight, 1, 1, 1000))


@router.get("/map", response_class=HTMLResponse)
def events_map(request: Request, event_type: str | None = None, actor: str | None = None,
               date_from: str | None = None, date_to: str | None = None) -> HTMLResponse:
    store = _store(request)
    errors: list[str] = []
    d0, d1 = _date(date_from, "from", errors), _date(date_to, "to", errors)
    pts = event_points(store, actor=(actor or "").strip()[:200] or None, event_type=event_type or None,
                       date_from=d0, date_to=d1)
    points = [{"name": p.name, "lat": p.latitude, "lon": p.longitude, "count": p.count, "types": p.types,
               "href": span_link(p.events[0].article_id, p.events[0].start, p.events[0].end) if p.events else None}
              for p in pts]
    settings = request.app.state.settings
    fallback = charts.map_svg([charts.Point(lat=p.latitude, lon=p.longitude, count=p.count,
                                            label=f"{p.name} — {p.count} event(s)") for p in pts])
    return render(request, "map.html", points=pts, points_json=json.dumps(points), tiles=settings.tiles,
                  tiles_attribution=settings.tiles_attribution, errors=errors, event_type=event_type or "",
                  actor=actor or "", date_from=date_from or "", date_to=date_to or "",
                  event_types=queries.event_types(store), fallback=Markup(fallback), span_link=span_link)


# --------------------------------------------------------------------------- analyse

@router.get("/analyse", response_class=HTMLResponse)
def analyse_form(request: Request) -> HTMLResponse:
    return render(request, "analyse.html")


@router.post("/analyse", response_class=HTMLResponse)
async def analyse(request: Request, text: Annotated[str, Form(max_length=1_000_000)] = "",
                  file: Annotated[UploadFile | None, File()] = None,
                  published: Annotated[str, Form(max_length=20)] = "",
                  store: Annotated[str, Form(max_length=10)] = "",
                  token: Annotated[str, Form(max_length=500)] = "") -> HTMLResponse:
    settings = request.app.state.settings
    errors: list[str] = []
    day = _date(published, "published", errors)
    want_store = store.lower() in ("1", "on", "yes", "true")
    if want_store:
        check_write(request, token or None)
    name = "pasted text"
    data = text.encode("utf-8")
    if file is not None and file.filename:
        data = await file.read(settings.max_upload + 1)
        name = Path(file.filename).name[:200] or "upload"
        if len(data) > settings.max_upload:
            return render(request, "analyse.html", status_code=413,
                          errors=[f"{name}: over the {settings.max_upload // 2**20} MB upload limit"])
    if not data.strip():
        return render(request, "analyse.html", status_code=400, errors=["paste a text or choose a file"])
    from starlette.concurrency import run_in_threadpool

    try:
        analysis = await run_in_threadpool(run_analysis, request, data, name, day)
    except HTTPException as exc:
        return render(request, "analyse.html", status_code=exc.status_code, errors=[str(exc.detail)], text=text)
    stored = None
    if want_store:
        stored = await run_in_threadpool(request.app.state.store.add, analysis, source=f"upload:{name}")
    return render(request, "analysed.html", a=analysis, text=highlight(analysis), stored=stored, name=name,
                  errors=errors, span_link=None, actor_href={}, claim_ids={})

