"""Property-based tests: for *any* input, parsing never raises and every offset points at its text.

Hypothesis generates inputs two ways: arbitrary Unicode (control characters, surrogate-free
astral planes, combining marks, every quote glyph), and page-shaped text assembled from the line
shapes real pages have (headlines, bylines, date lines, menus, prose with quotations, blank lines,
CRLF). The properties are the project's contract — "offsets are sacred": ``text[start:end] ==
item.text`` for every span, the analysed text *is* the plain-text input, and bad input is an
`InputError`, never a traceback.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sitroom.ingest.reader import InputError
from sitroom.nlp.quote_marks import DOUBLE, SINGLE, find_quoted
from sitroom.page.text import parse_text

# --------------------------------------------------------------------------- strategies

QUOTE_GLYPHS = "".join(sorted(DOUBLE | SINGLE)) + "`"
WORDS = ["the", "minister", "said", "Ana", "Kovač", "O'Neill", "Russia’s", "don't", "'90s", "rebels", "1,200",
         "on", "Tuesday", "March", "3", "2024", "per", "cent", "according", "to", "officials", "told", "reporters",
         "will", "likely", "by", "2030", "Mr.", "U.S.", "troops", "—", "–", "...", "(AP)", "said:", "Rahmon"]
LINE_SHAPES = [
    "Skip to content", "Menu", "Share", "Advertisement", "Subscribe now", "Sign in", "Home", "World", "Photo: Reuters",
    "By Lena Marsh and Tomás Ortega", "Published March 3, 2023 10:15 a.m. ET", "Updated 2 hours ago",
    "IMG_2023-03-02_harbour.jpg", "Read more: Ferry strike enters second week", "© 2024 The Example Courier",
    "Sign up for our newsletter", "Comments (12)", "Related", "Most read",
]
PROSE = [
    'The council voted on Tuesday to close the bridge, officials said.',
    '"We cannot take the risk," said Graham Whitlow, the head of highways.',
    '“It is over,” she told reporters. “We move on.”',
    "‘Nobody warned us,’ a driver said on Monday morning in the town centre.",
    "The minister said the plan would cost 3.4 billion euros over five years.",
    "According to the ministry, 1,200 troops were deployed near the border on March 3.",
    "«Nous ne reculerons pas», a déclaré le ministre, selon l'agence.",
    '"The talks will continue,',
    'he added, "but not this week."',
    "Analysts expect prices to rise by about 5 per cent next year.",
]

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
quote_heavy = st.lists(st.sampled_from(list(QUOTE_GLYPHS) + list("ab cd\n.,;:!?-—()") + ["''", "``", "\r\n", "word"]),
                       max_size=200).map("".join)
separators = st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", "\n\n\n", " \n", "\u2028", "\t\n"])


@st.composite
def page_text(draw: st.DrawFn) -> str:
    """A page-shaped text: lines drawn from furniture shapes, prose and random words, with odd separators."""
    parts = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.integers(0, 9))
        if kind <= 2:
            line = draw(st.sampled_from(LINE_SHAPES))
        elif kind <= 6:
            line = " ".join(draw(st.lists(st.sampled_from(PROSE), min_size=1, max_size=4)))
        elif kind == 7:
            line = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)))
        elif kind == 8:
            line = draw(quote_heavy)
        else:
            line = draw(any_text)
        parts.append(line)
        parts.append(draw(separators))
    return "".join(parts)


texts = st.one_of(any_text, page_text(), quote_heavy)


# --------------------------------------------------------------------------- helpers

def spans_of(obj: object, path: str = "") -> list[tuple[str, object]]:
    """Every (path, object) under a pydantic model that carries `start`/`end` offsets."""
    out: list[tuple[str, object]] = []
    if isinstance(obj, BaseModel):
        if getattr(obj, "start", None) is not None or getattr(obj, "end", None) is not None:
            out.append((path, obj))
        for name in type(obj).model_fields:
            out.extend(spans_of(getattr(obj, name), f"{path}.{name}"))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            out.extend(spans_of(v, f"{path}[{i}]"))
    return out


def assert_offsets(text: str, root: BaseModel) -> None:
    for path, item in spans_of(root):
        start, end = item.start, item.end
        assert start is not None and end is not None, f"{path}: one-sided offsets {start}/{end}"
        assert 0 <= start <= end <= len(text), f"{path}: {start}:{end} outside a text of {len(text)}"
        claimed = getattr(item, "text", None)
        if isinstance(claimed, str):
            assert text[start:end] == claimed, f"{path}: {claimed!r} is not text[{start}:{end}] = {text[start:end]!r}"


# --------------------------------------------------------------------------- the plain-text page parser

@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_page_parser_offsets(text: str) -> None:
    page = parse_text(text)
    assert page.text == text  # the analysed text is the exact input
    assert_offsets(text, page.article)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_page_parser_accounts_for_every_character(text: str) -> None:
    """Every visible character is in the header, the body or a furniture item; nothing is silently lost."""
    page = parse_text(text)
    a = page.article
    covered = bytearray(len(text))
    spans = [s for s in (a.section, a.headline, a.kicker, a.dek, a.byline, a.dateline) if s is not None]
    for s in spans + list(a.body) + list(a.furniture):
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    lost = [i for i, ch in enumerate(text) if not covered[i] and not ch.isspace()]
    assert not lost, f"characters outside every part: {text[lost[0]:lost[0] + 30]!r} at {lost[0]}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_body_and_furniture_do_not_overlap(text: str) -> None:
    a = parse_text(text).article
    parts = sorted([(p.start, p.end, "body") for p in a.body] + [(f.start, f.end, f.kind) for f in a.furniture])
    for (s1, e1, k1), (s2, e2, k2) in zip(parts, parts[1:], strict=False):
        assert e1 <= s2, f"{k1} {s1}:{e1} overlaps {k2} {s2}:{e2}"


# --------------------------------------------------------------------------- quote-mark pairing

@settings(max_examples=1500, deadline=None)
@given(st.one_of(quote_heavy, any_text, page_text()))
def test_quote_pairing(text: str) -> None:
    spans = find_quoted(text)
    lines = [(0, 0)]
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    for q in spans:
        assert 0 <= q.start < q.end <= len(text)
        assert q.outer_start <= q.start and q.end <= q.outer_end <= len(text)
        inner = text[q.start:q.end]
        assert inner == inner.strip(), "content is trimmed"
        assert "\n" not in inner, "a span stays inside one paragraph"
        for at in (q.open_at, q.close_at):
            if at is not None:
                assert text[at] in QUOTE_GLYPHS or text[at:at + 2] in ("''", "``") or text[at - 1:at + 1] == "''"
        if q.open_at is not None:
            assert q.open_at < q.start
        if q.close_at is not None:
            assert q.close_at >= q.end
    assert spans == sorted(spans, key=lambda s: (s.start, -s.end))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=6), quote_heavy)
def test_quote_pairing_with_given_paragraphs(ranges: list[tuple[int, int]], text: str) -> None:
    """Caller-given paragraph ranges (body paragraphs), even odd ones, never break the pairing."""
    paras = sorted({(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in ranges})
    for q in find_quoted(text, paras):
        assert 0 <= q.start < q.end <= len(text)
        assert any(lo <= q.start and q.end <= hi for lo, hi in paras)


# --------------------------------------------------------------------------- the whole analysis

@pytest.fixture(scope="module")
def light_analyzer(analyzer):
    return analyzer


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.one_of(page_text(), any_text))
def test_analysis_offsets(light_analyzer, text: str) -> None:
    """Every fact of a full analysis — actors, mentions, roles, quotes, cues, events, times,
    quantities, claims, the page model — points at the characters it names."""
    try:
        analysis = light_analyzer.analyze(text)
    except InputError:
        return  # empty, binary-looking or otherwise refused: a clear error, which is allowed
    if not text.startswith("\ufeff"):
        assert analysis.text == text
    assert_offsets(analysis.text, analysis)
