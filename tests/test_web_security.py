"""The web app against an attacker: XSS in every shown field, SQL injection in every parameter,
path traversal, writes without or with a wrong token, oversized (also chunked) bodies, headers.

The store holds invented articles whose every displayed field carries a payload tagged with the
field's name; an HTML parser then looks for what a successful injection would leave behind — an
inline ``<script>``, an ``on…=`` attribute, a ``javascript:`` URL, the payload's ``<img src=x>`` —
on every page. The tests also check the payload text *is* on the page (escaped), so a field that
silently stopped being shown does not pass for a safe one.
"""

from __future__ import annotations

import datetime as dt
import inspect
from html.parser import HTMLParser

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sitroom.model import Furniture, Likelihood, TextSpan
from sitroom.present.web import Settings, create_app
from tests.corpus_builder import ArticleBuilder

TOKEN = "s3cret-token-for-tests"
HTML = {"accept": "text/html"}


def payload(field: str) -> str:
    """A payload that breaks out of text, double- and single-quoted attributes, and script blocks."""
    return f"\"'><img src=x onerror=alert('{field}')></script><script>alert('{field}')</script>{field}"


FIELDS = ["headline", "byline", "body", "actor", "role", "quote", "cue", "eventtype", "claim", "outlet", "org",
          "furniture", "phrase"]


def hostile_store(path):  # noqa: ANN001, ANN201
    from sitroom.store import Store

    p = {f: payload(f"xss{f}") for f in FIELDS}
    b = ArticleBuilder(
        p["headline"],
        [f"{p['actor']}, {p['role']}, said on Monday that the harbour would reopen. {p['body']}",
         f"\u201c{p['quote']} We will reopen,\u201d {p['cue']} {p['actor']} in a statement.",
         f"{p['org']} protested in the port on Tuesday.",
         f"{p['claim']} The harbour will very likely reopen by March, officials said."],
        outlet=p["outlet"], published=dt.date(2024, 11, 20), url="javascript:alert('xssurl')",
        furniture=[("byline", "By " + p["byline"]), ("caption", p["furniture"])])
    b.article.byline = b.ts("By " + p["byline"], after=0)
    b.article.furniture = [Furniture(**b.ts(p["furniture"], after=0).model_dump(), kind="caption",
                                     reason=p["furniture"])]
    b.actor("A1", p["actor"], "PERSON", [p["actor"]], roles=[p["role"]], salience=0.9)
    b.actor("A2", p["org"], "ORG", [p["org"]], salience=0.5)
    b.quote(f"{p['quote']} We will reopen,", "A1", cue=p["cue"])
    monday = b.time("on Monday", "2024-11-18")
    b.event(f"{p['org']} protested in the port on Tuesday.", "protested", "PROTEST", actor="A2", time=monday)
    b.event(f"{p['actor']}, {p['role']}, said on Monday that the harbour would reopen.", "said",
            p["eventtype"], actor="A1")
    c = b.claim(f"{p['claim']} The harbour will very likely reopen by March", "A1", forecast=True,
                phrase="very likely", band="very likely", low=0.8, high=0.95)
    s, e = b.span("very likely")
    c.likelihood = Likelihood(phrase=p["phrase"], start=s, end=e, band="very likely", low=0.8, high=0.95)
    analysis = b.build("hostile/xss.txt")
    analysis.article.dek = TextSpan(start=analysis.article.headline.start, end=analysis.article.headline.end,
                                    text=analysis.article.headline.text)
    store = Store(str(path))
    store.add(analysis, source="hostile/<script>alert('xsssource')</script>.txt")
    store.record_failure("<img src=x onerror=alert('xssfailure')>.txt", payload("xssreason"), "read")
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = hostile_store(tmp_path_factory.mktemp("websec") / "hostile.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store, Settings(token=TOKEN)))


@pytest.fixture(scope="module")
def ids(client):
    art = client.get("/api/articles").json()[0]["id"]
    actors = [a["id"] for a in client.get("/api/actors", params={"limit": 100}).json()]
    claims = [c["id"] for c in client.get("/api/claims").json()]
    return {"article": art, "actors": actors, "claims": claims}


# --------------------------------------------------------------------------- the injection detector

class _Injections(HTMLParser):
    """What a successful HTML/JS injection leaves in a page."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        for k, v in a.items():
            if k.startswith("on"):
                self.found.append(f"<{tag} {k}=…> event-handler attribute")
            if k in self.URL_ATTRS and v.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"<{tag} {k}={v[:40]!r}> script URL")
        if tag == "img" and a.get("src") == "x":
            self.found.append("<img src=x> from a payload")
        if tag == "script":
            if "src" not in a and a.get("type", "") not in ("application/json", "application/ld+json"):
                self._script = ""
                self.found.append("inline <script>")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def injections(page: str) -> list[str]:
    parser = _Injections()
    parser.feed(page)
    parser.close()
    return parser.found


def test_the_detector_detects():
    for bad in ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '<a href=" javascript:alert(1)">x</a>',
                "<svg onload=alert(1)>", "<iframe src='data:text/html,<script>alert(1)</script>'>"):
        assert injections(f"<p>{bad}</p>"), bad
    assert not injections("<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x&gt;</p>"
                          '<script src="/static/app.js"></script><a href="/x">ok</a>')


# --------------------------------------------------------------------------- XSS

def pages(ids: dict) -> list[str]:
    a = ids["article"]
    out = ["/", "/search?q=harbour", "/search?q=xssbody", f"/articles/{a}", f"/articles/{a}?hl=0-40", "/actors",
           "/quotes", "/forecasts", "/scorecard", "/brief", "/brief?topic=harbour", "/network?kind=events",
           "/network?kind=quotes", "/network?kind=cooccurrence", "/map", "/analyse", "/login"]
    return out + [f"/actors/{i}" for i in ids["actors"]]


def test_no_injection_on_any_page(client, ids):
    problems = []
    for path in pages(ids):
        r = client.get(path, headers=HTML)
        assert r.status_code == 200, f"{path}: {r.status_code}"
        problems += [f"{path}: {f}" for f in injections(r.text)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("field, path", [
    ("xssheadline", "/articles/{a}"), ("xssbody", "/articles/{a}"), ("xssactor", "/articles/{a}"),
    ("xssquote", "/quotes"), ("xssactor", "/quotes"), ("xssclaim", "/forecasts"), ("xssorg", "/actors"),
    ("xssheadline", "/search?q=harbour"), ("xssoutlet", "/search?q=harbour"), ("xssbyline", "/articles/{a}"),
    ("xssfurniture", "/articles/{a}"), ("xssrole", "/actors/{actor}"), ("xssheadline", "/brief"),
    ("xsscue", "/quotes"), ("xsseventtype", "/map"), ("xsseventtype", "/"), ("xssphrase", "/forecasts"),
])
def test_payload_fields_are_shown_as_text(client, ids, field, path):
    """The payloads are on the page — escaped — so the test above really exercised them."""
    page = client.get(path.format(a=ids["article"], actor=ids["actors"][0]), headers=HTML).text
    assert field in page, f"{field} not shown on {path}"
    assert f"alert(&#39;{field}&#39;)" in page or f"alert(&#x27;{field}&#x27;)" in page or \
        f"alert('{field}')" not in page


def test_unsafe_article_url_is_not_a_link(client, ids):
    page = client.get(f"/articles/{ids['article']}", headers=HTML).text
    assert 'href="javascript:' not in page.lower()


REFLECTED = {  # every parameter a page echoes back, with a payload
    "/search": ["q", "actor", "outlet", "event_type", "date_from", "date_to", "page"],
    "/actors": ["q", "type", "page"],
    "/quotes": ["speaker", "q", "date_from", "date_to", "page"],
    "/forecasts": ["holder", "status"],
    "/brief": ["topic", "actor", "since", "until"],
    "/network": ["kind", "min_weight"],
    "/map": ["event_type", "actor", "date_from", "date_to"],
    "/login": ["next"],
}


@pytest.mark.parametrize("path", sorted(REFLECTED))
def test_reflected_parameters_are_escaped(client, path):
    problems = []
    for name in REFLECTED[path]:
        r = client.get(path, params={name: payload(f"xssparam{name}")}, headers=HTML)
        assert r.status_code < 500, f"{path}?{name}: {r.status_code}"
        problems += [f"{path}?{name}: {f}" for f in injections(r.text)]
    r = client.get(f"/articles/1?hl={payload('xsshl')}", headers=HTML)
    problems += [f"hl: {f}" for f in injections(r.text)]
    assert not problems, "\n".join(problems)


def test_error_pages_escape_what_they_echo(client):
    for path in ("/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/no/such/<script>alert(1)</script>",
                 "/search?date_from=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"):
        r = client.get(path, headers=HTML)
        assert r.status_code < 500
        assert not injections(r.text), path


def test_brief_downloads_escape(client):
    html = client.get("/brief/download?format=html&topic=harbour")
    assert html.status_code == 200 and not injections(html.text)
    assert "default-src 'none'" in html.headers["content-security-policy"]
    md = client.get("/brief/download?format=md&topic=harbour")
    assert md.headers["content-type"].startswith("text/markdown") and "attachment" in md.headers["content-disposition"]


def test_json_api_is_never_html(client, ids):
    for path in ("/api/search?q=harbour", f"/api/articles/{ids['article']}", f"/api/articles/{ids['article']}/analysis",
                 "/api/actors", "/api/quotes", "/api/claims", "/api/brief", "/api/network", "/api/map"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("application/json"), path
        assert r.headers["x-content-type-options"] == "nosniff"


@pytest.fixture(scope="module")
def analyse_client(store, analyzer):
    return TestClient(create_app(store, Settings(token=TOKEN), analyzer=analyzer))


def test_uploaded_text_and_file_name_are_escaped(analyse_client):
    text = (f"Harbour reopens after strike\n\n{payload('xssupload')} The port authority said on Monday that "
            f"the harbour would reopen. \u201c{payload('xssuploadquote')} We are ready,\u201d said Ana Brel.\n")
    files = {"file": (f"{payload('xssfilename')}.txt", text.encode(), "text/plain")}
    r = analyse_client.post("/analyse", files=files, headers=HTML)
    assert r.status_code == 200 and "xssupload" in r.text
    assert not injections(r.text)
    r = analyse_client.post("/analyse", data={"text": text, "published": payload("xssdate")}, headers=HTML)
    assert r.status_code == 422 and not injections(r.text)  # over the field's length: refused, echoed escaped
    r = analyse_client.post("/analyse", data={"text": text, "published": "<b>x</b>"}, headers=HTML)
    assert r.status_code == 200 and not injections(r.text) and "<b>x</b>" not in r.text


# --------------------------------------------------------------------------- SQL injection

SQLI = ["' OR '1'='1", "1; DROP TABLE articles; --", "\") OR 1=1 --", "%' UNION SELECT sqlite_version() --",
        "'; DELETE FROM quotes; --", "\"", "*", "NEAR(a b", "a AND", "OR", "^x", "text:harbour", "a\" OR \"b",
        "harbour) OR (1=1", "\\'", "\x00", "🙂' OR 1=1 --", "x" * 600]
LEAKS = ("operationalerror", "sqlite3", "psycopg", "syntax error", "traceback", "sqlalchemy")


def all_routes() -> list[APIRoute]:
    """Every route of the app's routers (newer FastAPI wraps included routers in app.routes)."""
    from sitroom.present.web import api, pages

    return [r for router in (api.router, pages.router, pages.public) for r in router.routes if isinstance(r, APIRoute)]


def _routes() -> list[tuple[str, list[str]]]:
    out = []
    for r in all_routes():
        if "GET" in r.methods and "{" not in r.path:
            names = [p.alias for p in r.dependant.query_params]
            if not names:  # page handlers take plain function arguments
                names = [n for n, prm in inspect.signature(r.endpoint).parameters.items()
                         if n not in ("request", "store") and prm.kind is prm.POSITIONAL_OR_KEYWORD]
            if names:
                out.append((r.path, names))
    return out


def test_sql_injection_in_every_parameter(client, store):
    before = store.stats()
    routes = _routes()
    assert len(routes) >= 15
    problems = []
    for path, names in routes:
        for name in names:
            for value in SQLI:
                r = client.get(path, params={name: value}, headers=HTML if not path.startswith("/api") else {})
                body = r.text.lower()
                if r.status_code >= 500 or any(leak in body for leak in LEAKS):
                    problems.append(f"{path}?{name}={value[:30]!r}: {r.status_code} {r.text[:120]!r}")
    assert not problems, "\n".join(problems[:30])
    assert store.stats() == before
    assert store.check() == []


def test_sql_injection_in_path_parameters(client):
    for path in ("/articles/{}", "/actors/{}", "/api/articles/{}", "/api/actors/{}", "/api/articles/{}/analysis"):
        for value in ("1 OR 1=1", "1;DROP TABLE articles", "-1", "99999999999999999999999", "0x1"):
            r = client.get(path.format(value), headers=HTML)
            assert r.status_code in (404, 422), f"{path.format(value)}: {r.status_code}"


# --------------------------------------------------------------------------- path traversal

TRAVERSAL = ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
             "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/%252e%252e/%252e%252e/etc/passwd",
             "/static/....//....//etc/passwd", "/static/..\\..\\settings.py", "/static//etc/passwd",
             "/static/%2fetc%2fpasswd", "/static/../app.py", "/static/%2e%2e/app.py", "/assets/../app.py",
             "/brief/download?format=../../../../etc/passwd", "/static/.%00./etc/passwd"]


@pytest.mark.parametrize("path", TRAVERSAL)
def test_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404, 405, 422), f"{path}: {r.status_code}"
    assert "root:" not in r.text and "def create_app" not in r.text and "import " not in r.text


def test_static_files_still_served(client):
    names = [p for p in ("sitroom.js", "sitroom.css") if client.get(f"/static/{p}").status_code == 200]
    assert names, "no static script served at all"


# --------------------------------------------------------------------------- writes need the token

def _writes(claim_id: int) -> list[tuple[str, str, dict]]:
    return [
        ("POST", f"/api/claims/{claim_id}/resolutions", {"json": {"outcome": "yes", "resolved_on": "2024-12-01"}}),
        ("POST", "/api/analyse", {"json": {"text": "The mayor said on Monday the port reopens.", "store": True}}),
        ("POST", f"/forecasts/{claim_id}/resolve", {"data": {"outcome": "yes"}}),
        ("POST", "/analyse", {"data": {"text": "The mayor said on Monday the port reopens.", "store": "1"}}),
    ]


def test_every_write_route_is_covered():
    writes = {r.path for r in all_routes() if r.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    assert writes - {"/login", "/logout"} == {"/api/claims/{claim_id}/resolutions", "/api/analyse",
                                             "/forecasts/{claim_id}/resolve", "/analyse"}


def test_writes_without_or_with_a_wrong_token(client, store, ids):
    before = store.stats()
    for method, path, kw in _writes(ids["claims"][0]):
        r = client.request(method, path, **kw)
        assert r.status_code == 401, f"{path} without a token: {r.status_code}"
        for bad in ("wrong", TOKEN + "x", TOKEN[:-1], "", TOKEN.upper(), "Bearer " + TOKEN):
            headers = {"Authorization": f"Bearer {bad}"} if bad.strip() else {}
            r = client.request(method, path, headers=headers, **kw)
            assert r.status_code in (401, 403), f"{path} with {bad!r}: {r.status_code}"
        c = TestClient(client.app, cookies={"sitroom_token": "wrong"})
        assert c.request(method, path, **kw).status_code == 403, f"{path} with a wrong cookie"
        form = dict(kw.get("data", {}), token="wrong") if "data" in kw else None
        if form:
            assert client.request(method, path, data=form).status_code == 403
    assert store.stats() == before
    assert store.resolutions() == []


def test_writes_disabled_when_no_token_is_configured(store, ids):
    c = TestClient(create_app(store, Settings(token=None)))
    for method, path, kw in _writes(ids["claims"][0]):
        r = c.request(method, path, headers={"Authorization": "Bearer anything"}, **kw)
        assert r.status_code == 403, f"{path}: {r.status_code}"


def test_the_right_token_writes(client, store, ids):
    r = client.post(f"/api/claims/{ids['claims'][0]}/resolutions", json={"outcome": "no", "note": payload("xssnote")},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201
    page = client.get("/forecasts", headers=HTML).text
    assert "xssnote" in page and not injections(page)
    client.delete  # noqa: B018 - resolutions are removed below so other tests see the same store
    store.delete_resolution(r.json()["id"])


# --------------------------------------------------------------------------- request size

def test_oversized_bodies_are_refused(store):
    c = TestClient(create_app(store, Settings(token=TOKEN, max_upload=10_000)))
    limit = 10_000 + 64 * 1024
    r = c.post("/api/analyse", content=b'{"text": "' + b"a" * (limit + 10) + b'"}',
               headers={"content-type": "application/json"})
    assert r.status_code == 413

    def chunks():  # a chunked body declares no length: it must be counted as it arrives
        yield b'{"text": "'
        for _ in range(200):
            yield b"a" * 10_000
        yield b'"}'

    r = c.post("/api/analyse", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text[:200]
    boundary = "sitroomboundary"

    def form_chunks():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\n").encode()
        for _ in range(200):
            yield b"word " * 2000
        yield f"\r\n--{boundary}--\r\n".encode()

    r = c.post("/analyse", content=form_chunks(), headers={"content-type": f"multipart/form-data; boundary={boundary}",
                                                           **HTML})
    assert r.status_code == 413, r.text[:200]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert c.get("/search", params={"q": "x" * 20_000}, headers=HTML).status_code < 500
    assert c.get("/api/search", params={"q": "x" * 20_000}).status_code == 422


# --------------------------------------------------------------------------- headers

def test_security_headers_everywhere(client, ids):
    paths = pages(ids) + ["/api/stats", "/api/search?q=x", "/static/sitroom.js", "/nope", "/articles/999",
                          "/brief/download?format=md"]
    for path in paths:
        r = client.get(path, headers=HTML, follow_redirects=False)
        h = r.headers
        csp = h.get("content-security-policy", "")
        script_src = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
        assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, path
        assert "frame-ancestors 'none'" in csp, path
        assert h.get("x-content-type-options") == "nosniff", path
        assert h.get("x-frame-options") == "DENY", path
        if r.headers.get("content-type", "").startswith("text/html") and r.status_code == 200:
            assert not injections(r.text), path  # no inline script the CSP would have to allow
