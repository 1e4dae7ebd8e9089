"""Times: find every time expression in the article body and normalise it (`doc._.times`).

Candidates come from spaCy's DATE/TIME entities and from patterns for what the statistical model
misses or cuts short ("in the coming days", "for months now", "over the next few months"). A
preposition that governs the expression is kept in the span ("On Wednesday", "in the last day")
because it changes the meaning: "for months" is a duration, "in the last day" an interval. Each
span is normalised by `sitroom.nlp.timenorm` against `doc._.published`, with the tense of its
clause deciding the direction of a bare weekday or month.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from sitroom.model import TimeExpr
from sitroom.nlp import clause, timenorm
from sitroom.nlp.extensions import body_sentences, clip_to_line, register_extensions
from sitroom.nlp.timenorm import MOD, MON, NUM, UNIT, WD

#: prepositions kept in a time span (they decide point, interval or duration)
TIME_PREPS = {"on", "in", "at", "for", "over", "during", "within", "since", "by", "until", "till",
              "from", "after", "before", "through", "throughout", "between", "around", "about"}

_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_PATTERNS = [
    rf"\b(?:(?:early|late|earlier|later)\s+(?:on\s+)?)?(?:(?:last|next|this|past|coming)\s+)?{WD}{_PART}\b",
    r"\b(?:(?:earlier|later|early|late)\s+)?(?:this|last|next|past)\s+(?:week|weekend|month|year|spring|summer|autumn|fall|winter)\b",
    r"\b(?:over|at|during)\s+the\s+weekend\b",
    rf"\b(?:today|tonight|yesterday|tomorrow){_PART}\b",
    rf"\b(?:the\s+)?(?:last|past|previous|coming|next|following|upcoming)\s+(?:{NUM}\s+)?{UNIT}\b",
    r"\brecent\s+(?:days|weeks|months|years)\b",
    rf"\b(?:{MOD}\s+)?{NUM}\s+{UNIT}\s+(?:ago|earlier|later|from now)\b",
    rf"\b(?:for|within)\s+(?:{MOD}\s+)?(?:{NUM}\s+)?{UNIT}(?:\s+now)?\b",
    rf"\b{MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MON}(?:,?\s+\d{{4}})?\b",
    rf"\b(?:(?:early|mid|late)[\s-]+){MON}(?:,?\s+\d{{4}})?\b",
    r"\bthe\s+(?:1[5-9]|20)\d0'?s\b",
    rf"\b(?:once|twice)\s+(?:every|a)\s+(?:{NUM}\s+)?{UNIT}\b",
]
_REGEX = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
_SKIP_ENT = re.compile(r"^(?:the\s+)?(?:first|second|third|last|next|one|\d+)$", re.IGNORECASE)


@Language.factory("sitroom_times")
def make_time_finder(nlp: Language, name: str) -> TimeFinder:
    register_extensions()
    timenorm.warm_up()
    return TimeFinder()


class TimeFinder:
    """Fill `doc._.times` with normalised `TimeExpr`s, in text order."""

    def __call__(self, doc: Doc) -> Doc:
        pub = doc._.published
        found: list[TimeExpr] = []
        ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
        text = doc.text  # spaCy rebuilds Doc.text on every access: read it once
        for sent in body_sentences(doc):
            sent_ents = [e for e in ents if sent.start_char <= e.start_char < sent.end_char]
            for start, end in _merge(_candidates(sent, sent_ents)):
                start, end = clip_to_line(text, start, end)
                span = doc.char_span(start, end, alignment_mode="contract")
                if span is None or not span.text.strip():
                    continue
                span = doc.char_span(span.start_char, span.end_char, alignment_mode="expand")
                if span is None:
                    continue
                span, prep = _with_preposition(doc, span)
                core = span.text if prep is None else span.text[len(prep):].strip()
                core = re.sub(r"^(?:for|within|over|during)\s+", "", core, flags=re.I) if prep else core
                lead = re.match(r"(for|within|over|during)\s", span.text, re.I)
                norm = timenorm.normalize(core, prep or (lead.group(1) if lead else None), _tense(span), pub)
                if prep and prep.lower() == "since" and norm.earliest and pub:
                    norm.type, norm.value, norm.latest = "INTERVAL", f"{norm.value}/{pub.isoformat()}", pub
                found.append(TimeExpr(id=f"T{len(found) + 1}", start=span.start_char, end=span.end_char,
                                      text=span.text, type=norm.type, value=norm.value, earliest=norm.earliest,
                                      latest=norm.latest, vague=norm.vague, direction=norm.direction,
                                      anchor=norm.anchor))
        doc._.times = found
        return doc


def _candidates(sent: Span, ents: list[Span]) -> list[tuple[int, int]]:
    out = []
    for ent in ents:
        if not _SKIP_ENT.match(ent.text.strip()):
            text = ent.text
            start = ent.start_char
            if text.lower().endswith("'s") or text.endswith("’s"):
                text = text[:-2]
            out.append((start, start + len(text.rstrip())))
    base = sent.start_char
    for m in _REGEX.finditer(sent.text):
        if m.group(0).strip():
            out.append((base + m.start(), base + m.end()))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _with_preposition(doc: Doc, span: Span) -> tuple[Span, str | None]:
    """Extend `span` leftwards over a preposition that governs it; return the preposition."""
    first = span[0]
    if first.lower_ in TIME_PREPS and first.pos_ == "ADP":
        return span, first.text
    if span.start == 0:
        return span, None
    prev = doc[span.start - 1]
    if prev.lower_ in TIME_PREPS and prev.pos_ in ("ADP", "SCONJ") and span.root.head == prev:
        return doc[prev.i:span.end], prev.text
    return span, None


def _tense(span: Span) -> str:
    """The tense of the clause the expression sits in, with its own words taking precedence."""
    low = span.text.lower()
    if re.search(r"\b(?:next|coming|upcoming|following|tomorrow)\b", low):
        return "future"
    verb = clause.governing_verb(span.root)
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return "past"
    t = clause.tense(verb)
    if t == "present" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return "future"
    return t
