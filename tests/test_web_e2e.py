"""End to end in a real browser: Playwright driving Debian's Chromium against `sitroom serve`'s app.

The server runs in a thread on 127.0.0.1 at a free port over a store of invented articles. No
browser is downloaded: the test uses /usr/bin/chromium (`apt-get install chromium`, done by
.ci/run) and skips where it is missing — except in CI, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = "e2e-token"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, analyzer):
    import uvicorn

    from sitroom.present.web import Settings, create_app
    from tests.corpus_builder import build_store

    store = build_store(tmp_path_factory.mktemp("e2e") / "corpus.db")
    app = create_app(store, Settings(token=TOKEN), analyzer=analyzer)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors and any dialog (alert) it meets."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))

    def on_dialog(d):  # noqa: ANN001
        pg.problems.append(f"dialog: {d.message}")
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def test_search_article_actor_brief(page, server):
    page.goto(server + "/")
    page.fill("form.bigsearch input[name=q]", "troops")
    page.click("form.bigsearch button")
    page.wait_for_url("**/search?q=troops")
    assert "2 articles" in page.inner_text("#result-count")
    page.click("a.hit >> nth=0")
    page.wait_for_url("**/articles/*")
    assert page.locator("#article-text").is_visible()
    # facts highlighted in place: a quote coloured by speaker, an event trigger, a mention linking to its actor
    assert page.locator("#article-text .q").count() > 0
    assert page.locator("#article-text .ev").count() == 1
    # the layer toggles work (script loaded under the CSP)
    page.uncheck("input[data-toggle=q]")
    assert "hide-q" in page.get_attribute("#article-text", "class")
    page.click("#article-text a.m:text-is('Morland') >> nth=0")
    page.wait_for_url("**/actors/*")
    assert page.inner_text("h1.actor-name").startswith("Morland")
    assert "MOBILIZE" in page.inner_text("main")
    page.click("text=brief on Morland")
    page.wait_for_url("**/brief?actor=Morland")
    body = page.inner_text("main")
    for section in ("Key actors", "Timeline of events", "What the named sources say", "Assessments and forecasts",
                    "Contradictions", "Map of event locations"):
        assert section in body
    assert "around 2,500 troops" in body and "3,000 troops" in body
    # the interactive map: Leaflet drew its markers from the vendored script
    page.wait_for_selector("#brief-map[data-ready]", timeout=10_000)
    assert page.locator("#brief-map path.leaflet-interactive").count() >= 1
    # a source link leads back to the highlighted span
    page.click("#contradictions a.src >> nth=0")
    page.wait_for_url("**/articles/*?hl=*")
    assert page.locator("#article-text .hl").count() >= 1
    assert page.problems == []


def test_upload_form_analyses_and_stores(page, server, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Harbour reopens in Valmora\n\nThe harbour of Port Valmora reopened on Thursday, the port "
                     "authority said.\n\n\u201cShips are moving again,\u201d said harbour master Ines Kalder.\n",
                     encoding="utf-8")
    page.goto(server + "/analyse")
    page.set_input_files("input[name=file]", str(story))
    page.click("#analyse-form button[type=submit]")
    page.wait_for_selector("#article-text")
    assert "Analysis of story.txt" in page.inner_text("main")
    assert "not stored" in page.inner_text("main")
    page.goto(server + "/analyse")
    page.set_input_files("input[name=file]", str(story))
    page.check("input[name=store]")
    page.fill("input[name=token]", TOKEN)
    page.click("#analyse-form button[type=submit]")
    page.wait_for_selector(".stored")
    assert "stored: added" in page.inner_text("main")
    page.click("main .article-head a[href^='/articles/']")
    assert page.inner_text("h1.headline") == "Harbour reopens in Valmora"
    assert page.problems == []


def test_xss_article_renders_as_text(page, server):
    page.goto(server + "/search?q=harbour+talks")
    page.click("a.hit >> nth=0")
    page.wait_for_selector("#article-text")
    headline = page.inner_text("h1.headline")
    assert headline == "<script>alert('headline')</script> Harbour <b>talks</b> resume"
    assert "document.body.innerHTML='pwned'" in page.inner_text("#article-text")
    assert page.locator("#article-text img, #article-text script, #article-text b, #article-text i").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    # hover titles carry the payload as text too
    assert page.evaluate("document.body.innerHTML.indexOf('pwned') > -1")  # present, as text only
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    for path in ("/quotes", "/brief", "/actors"):
        page.goto(server + path)
        assert page.locator("img[src=x], script:not([src])").count() == 0
    assert not [p for p in page.problems if p.startswith("dialog")], page.problems
    assert page.problems == []


def test_resolve_a_forecast_in_the_ledger(page, server):
    page.goto(server + "/forecasts?holder=Reyes")
    row = page.locator("table.ledger tbody tr").first
    row.locator("details.resolve summary").click()
    row.locator("select[name=outcome]").select_option("no")
    row.locator("input[name=note]").fill("no collision by December")
    row.locator("input[name=token]").fill(TOKEN)
    row.locator("button[type=submit]").click()
    page.wait_for_url("**/forecasts?done=*")
    assert "Resolution recorded" in page.inner_text("main")
    assert page.locator(".outcome-no").count() >= 1
    assert "no collision by December" in page.inner_text("table.ledger")
    page.goto(server + "/scorecard")
    assert "Tomas Reyes" in page.inner_text("main")
    assert page.problems == []
