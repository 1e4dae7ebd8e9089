"""Render an `Analysis` for people: the terminal (Rich), Markdown, HTML, plain body text, JSON.

All renderers read the same model; none re-extracts anything. HTML escapes every piece of
article text (it is untrusted input).
"""

from __future__ import annotations

import html
from collections import defaultdict

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from sitroom.model import Analysis, Entity, Quote

EXTENSIONS = {"json": "json", "md": "md", "html": "html", "text": "txt"}


def render(analysis: Analysis, fmt: str) -> str:
    if fmt == "json":
        return analysis.model_dump_json(indent=1)
    if fmt == "text":
        return analysis.article.body_text + "\n"
    if fmt == "md":
        return to_markdown(analysis)
    if fmt == "html":
        return to_html(analysis)
    raise ValueError(f"unknown format {fmt!r}")


# --------------------------------------------------------------------------- shared views

def _role_text(entity: Entity) -> str:
    return "; ".join(dict.fromkeys(r.text for r in entity.roles))


def quotes_by_speaker(analysis: Analysis) -> dict[str, list[Quote]]:
    """Quotes grouped under the speaker's canonical name, in order of first appearance."""
    groups: dict[str, list[Quote]] = defaultdict(list)
    for q in analysis.quotes:
        name = "(unattributed)"
        if q.speaker is not None:
            ent = analysis.entity(q.speaker.actor_id)
            name = ent.name if ent else q.speaker.name
        groups[name].append(q)
    return dict(groups)


def quote_words(q: Quote) -> str:
    """The quoted words: the fragments of a quote split by its attribution joined with an ellipsis."""
    return " … ".join(f.text for f in q.fragments) if q.fragments else q.text


def timeline(analysis: Analysis) -> list:
    """Events ordered by their resolved date (earliest possible day; undated last), then by position."""
    from sitroom.present.eventrows import timeline as ordered

    return ordered(analysis)


def _headline(analysis: Analysis) -> str:
    a = analysis.article
    return a.headline.text if a.headline else "(no headline)"


# --------------------------------------------------------------------------- terminal

def render_terminal(analysis: Analysis, console: Console) -> None:
    a = analysis.article
    sub = [x for x in (a.section.text if a.section else None,
                       f"published {a.published} ({a.published_source})" if a.published else None,
                       a.outlet) if x]
    console.print(Panel(f"[bold]{_headline(analysis)}[/bold]\n" + (a.dek.text if a.dek else ""),
                        subtitle=" · ".join(sub) or None))
    if a.furniture:
        console.print(f"[dim]furniture set aside: {len(a.furniture)} item(s) — "
                      + ", ".join(f"{f.kind}: {f.text[:40]!r}" for f in a.furniture) + "[/dim]")
    people = [e for e in analysis.entities if e.mentions]
    if people:
        t = Table(title="Actors", show_lines=False)
        t.add_column("actor")
        t.add_column("type")
        t.add_column("roles / aliases")
        t.add_column("mentions", justify="right")
        for e in sorted(people, key=lambda e: -e.salience or -len(e.mentions))[:30]:
            extra = _role_text(e)
            if e.aliases:
                extra = (extra + " | " if extra else "") + "aka " + ", ".join(e.aliases)
            t.add_row(e.name, e.type, extra, str(len(e.mentions)))
        console.print(t)
    groups = quotes_by_speaker(analysis)
    if groups:
        console.rule("Who said what")
        for speaker, quotes in groups.items():
            console.print(f"[bold cyan]{speaker}[/bold cyan]")
            for q in quotes:
                mark = "“”" if q.kind == "direct" else "~"
                to = f" [dim](to {q.addressee.name})[/dim]" if q.addressee else ""
                how = f" [dim]({q.medium})[/dim]" if q.medium else ""
                console.print(f"  {mark[0]}{quote_words(q)}{mark[-1]}{to}{how}", highlight=False)
    if analysis.events:
        from rich.markup import escape

        from sitroom.present.eventrows import timeline_rows

        console.rule("Timeline (PLOVER events)")
        for r in timeline_rows(analysis):
            where = f" @ {r['where']}" if r["where"] else ""
            text = str(r["text"])
            what = text if len(text) <= 100 else text[:97] + "…"
            console.print(f"  [bold]{escape(str(r['when']))}[/bold]  [cyan]{r['type']}[/cyan] "
                          f"{escape(str(r['who']) + where)} [dim]({r['status']})[/dim]\n"
                          f"      [dim]“{escape(what)}”[/dim]", highlight=False)
    if analysis.claims:
        console.rule("Assessments and forecasts")
        for c in analysis.claims:
            lk = c.likelihood
            band = (lk.band or lk.kind) if lk else "—"
            holder = c.holder.name if c.holder else "the article"
            console.print(f"  [{ 'magenta' if c.forecast else 'white'}]{holder}[/] ({band}): {c.text}",
                          highlight=False)
    if analysis.quantities or analysis.times:
        console.rule("Numbers and dates")
        for n in analysis.quantities:
            console.print(f"  {n.text!r} → {n.value or n.value_low}{'+' if n.value is None else ''} "
                          f"{n.unit or ''}", highlight=False)
        for tx in analysis.times:
            console.print(f"  {tx.text!r} → {tx.value}", highlight=False)


# --------------------------------------------------------------------------- markdown

def to_markdown(analysis: Analysis) -> str:
    a = analysis.article
    out = [f"# {_headline(analysis)}", ""]
    if a.dek:
        out += [f"*{a.dek.text}*", ""]
    meta = [f"**{k}:** {v}" for k, v in (("Section", a.section.text if a.section else None),
                                         ("Published", a.published), ("Outlet", a.outlet),
                                         ("URL", a.url)) if v]
    out += ["  \n".join(meta), ""] if meta else []
    if analysis.entities:
        out += ["## Actors", "", "| actor | type | roles | aliases |", "|---|---|---|---|"]
        for e in analysis.entities:
            out.append(f"| {e.name} | {e.type} | {_role_text(e)} | {', '.join(e.aliases)} |")
        out.append("")
    groups = quotes_by_speaker(analysis)
    if groups:
        out += ["## Who said what", ""]
        for speaker, quotes in groups.items():
            out.append(f"### {speaker}")
            out += [f"- {'“' + quote_words(q) + '”' if q.kind == 'direct' else quote_words(q)} "
                    f"<sub>[{q.start}–{q.end}]</sub>" for q in quotes]
            out.append("")
    if analysis.events:
        from sitroom.present.eventrows import timeline_rows

        out += ["## Timeline", "", "| when | type | who → whom | where | status | text |", "|---|---|---|---|---|---|"]
        for r in timeline_rows(analysis):
            cells = [str(r[k]).replace("|", "\\|").replace("\n", " ")
                     for k in ("when", "type", "who", "where", "status", "text")]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    if analysis.claims:
        out += ["## Assessments and forecasts", ""]
        for c in analysis.claims:
            band = (c.likelihood.band or c.likelihood.kind) if c.likelihood else ""
            out.append(f"- **{c.holder.name if c.holder else 'article'}** ({band}"
                       f"{', forecast' if c.forecast else ''}): {c.text}")
        out.append("")
    out += ["## Body", ""] + [p.text + "\n" for p in a.body]
    return "\n".join(out)


# --------------------------------------------------------------------------- html

def to_html(analysis: Analysis) -> str:
    e = html.escape
    a = analysis.article
    parts = ["<!doctype html><html><head><meta charset='utf-8'>",
             f"<title>{e(_headline(analysis))}</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             "q{background:#eef} .furn{color:#999}</style></head><body>",
             f"<h1>{e(_headline(analysis))}</h1>"]
    if a.dek:
        parts.append(f"<p><em>{e(a.dek.text)}</em></p>")
    if analysis.entities:
        parts.append("<h2>Actors</h2><table><tr><th>actor</th><th>type</th><th>roles</th></tr>")
        parts += [f"<tr><td>{e(x.name)}</td><td>{e(x.type)}</td><td>{e(_role_text(x))}</td></tr>"
                  for x in analysis.entities]
        parts.append("</table>")
    groups = quotes_by_speaker(analysis)
    if groups:
        parts.append("<h2>Who said what</h2>")
        for speaker, quotes in groups.items():
            parts.append(f"<h3>{e(speaker)}</h3><ul>")
            parts += [f"<li><q>{e(quote_words(q))}</q></li>" for q in quotes]
            parts.append("</ul>")
    if analysis.events:
        from sitroom.present.eventrows import timeline_rows

        parts.append("<h2>Timeline</h2><table class='timeline'><tr><th>when</th><th>event</th><th>who → whom</th>"
                     "<th>where</th><th>status</th><th>text</th></tr>")
        parts += [f"<tr id='{e(str(r['id']))}'><td>{e(str(r['when']))}</td><td>{e(str(r['type']))}</td>"
                  f"<td>{e(str(r['who']))}</td><td>{e(str(r['where']))}</td><td>{e(str(r['status']))}</td>"
                  f"<td>{e(str(r['text']))}</td></tr>" for r in timeline_rows(analysis)]
        parts.append("</table>")
    parts.append("<h2>Body</h2>")
    parts += [f"<p>{e(p.text)}</p>" for p in a.body]
    if a.furniture:
        parts.append("<h2>Furniture</h2><ul class='furn'>")
        parts += [f"<li>{e(f.kind)}: {e(f.text)}</li>" for f in a.furniture]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
