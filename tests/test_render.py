"""Rendering an analysis for people: the dated timeline of events in every format (terminal, md, html).

The article is invented; its second sentence reports an earlier event than its first, so the
timeline's date order differs from the text order.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from sitroom.present.render import render, render_terminal

PUB = dt.date(2023, 3, 9)  # a Thursday
TEXT = ("Police arrested six activists in Elbasan on Monday. Rebels had attacked the airport on Friday. "
        "Hundreds of teachers rallied in Tirana on Tuesday.")


@pytest.fixture(scope="module")
def analysis(analyzer):
    a = analyzer.analyze(TEXT, published=PUB)
    assert [e.type for e in a.events] == ["COERCE", "ASSAULT", "PROTEST"]  # text order
    return a


def test_html_shows_the_dated_timeline_in_date_order(analysis):
    page = render(analysis, "html")
    assert "<h2>Timeline</h2>" in page
    table = page.split("<h2>Timeline</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr id='(E\d+)'><td>([^<]*)</td><td>([^<]*)</td>", table)
    assert [(when, typ.split("/")[0]) for _, when, typ in rows] == [
        ("2023-03-03", "ASSAULT"), ("2023-03-06", "COERCE"), ("2023-03-07", "PROTEST")]


def test_html_timeline_marks_an_implied_target(analysis):
    page = render(analysis, "html")
    row = next(r for r in page.split("<tr ") if "PROTEST" in r)
    assert "→ Albania (government, implied)" in row


def test_html_timeline_escapes_article_text(analysis):
    ev = analysis.events[0].model_copy(update={"text": "<script>alert(1)</script> arrested"})
    page = render(analysis.model_copy(update={"events": [ev]}), "html")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; arrested" in page


def test_html_without_events_has_no_timeline(analyzer):
    page = render(analyzer.analyze("The weather was mild and the harbour was quiet.", published=PUB), "html")
    assert "<h2>Timeline</h2>" not in page


def test_markdown_timeline_in_date_order(analysis):
    md = render(analysis, "md")
    section = md.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    dates = re.findall(r"^\| (\d{4}-\d{2}-\d{2}) \|", section, flags=re.M)
    assert dates == ["2023-03-03", "2023-03-06", "2023-03-07"]


def test_terminal_timeline_in_date_order(analysis):
    console = Console(record=True, width=160)
    render_terminal(analysis, console)
    out = console.export_text()
    section = out.split("Timeline (PLOVER events)", 1)[1]
    assert section.index("2023-03-03") < section.index("2023-03-06") < section.index("2023-03-07")


def test_cli_analyze_format_html_has_the_timeline(tmp_path):
    from sitroom.present.cli import app

    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(app, ["analyze", str(article), "--format", "html", "--published", "2023-03-09"])
    assert res.exit_code == 0, res.output
    assert "<h2>Timeline</h2>" in res.stdout and "2023-03-03" in res.stdout
