"""Quantities: every count and amount in the article body, with bounds and what it counts.

Reporters hedge numbers ("around 2,500", "at least 156", "dozens of", "hundreds of thousands");
an analyst needs the hedge as bounds, not a guess: "dozens" is at least 24, "more than 100" has a
lower bound only. Candidates are spaCy's CARDINAL/QUANTITY/MONEY/PERCENT entities and the vague
number words of `data/vague_quantities.tsv`; the counted noun is found in the parse ("2,500
people", "dozens of civilian deaths") and normalised to a unit with `data/quantity_units.tsv`.
Events link their quantities later (`Quantity.event_id`, set by the events component).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitroom.model import Quantity
from sitroom.nlp.extensions import body_sentences, clip_to_line, register_extensions

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
    "half": 0.5,
}
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
             "fifths": 5, "tenth": 10, "tenths": 10}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "m": 1_000_000, "mn": 1_000_000, "k": 1_000}
#: hedges before a number -> (bound it sets, approximate?)
HEDGES: dict[str, tuple[str | None, bool]] = {
    "more than": ("low", False), "over": ("low", False), "above": ("low", False), "at least": ("low", False),
    "upwards of": ("low", False), "in excess of": ("low", False), "no fewer than": ("low", False),
    "no less than": ("low", False), "just over": ("low", True), "well over": ("low", False),
    "up to": ("high", False), "fewer than": ("high", False), "less than": ("high", False),
    "under": ("high", False), "no more than": ("high", False), "as many as": ("high", False),
    "at most": ("high", False), "nearly": ("high", True), "almost": ("high", True),
    "close to": ("high", True), "just under": ("high", True), "around": (None, True), "about": (None, True),
    "approximately": (None, True), "roughly": (None, True), "some": (None, True), "an estimated": (None, True),
    "estimated": (None, True), "circa": (None, True), "an approximate": (None, True), "approx.": (None, True),
}
_HEDGE_RE = re.compile(r"(?:^|\s)(" + "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
                       + r")\s*$", re.IGNORECASE)
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR"}
VAGUE_PLURALS = {"hundreds", "thousands", "millions", "dozens", "scores", "tens"}
PERSONNEL_HOLDERS = {"deployment", "force", "contingent", "mission", "unit", "troop", "battalion", "brigade"}
PEOPLE_WORDS = {"people", "person", "man", "men", "personnel", "member", "strong"}


@dataclass(frozen=True)
class QuantityLexicon:
    vague: tuple[tuple[str, float, float | None], ...]  # longest phrases first
    multipliers: dict[str, tuple[float, float | None]]
    units: dict[str, str]


@lru_cache(maxsize=1)
def lexicon() -> QuantityLexicon:
    vague, mult = [], {}
    for row in _rows("vague_quantities.tsv"):
        phrase, low, high = row[0], float(row[1]), (float(row[2]) if len(row) > 2 and row[2] else None)
        if phrase.startswith("*"):
            mult[phrase[1:]] = (low, high)
        else:
            vague.append((phrase, low, high))
    vague.sort(key=lambda r: -len(r[0]))
    units = {row[0]: row[1] for row in _rows("quantity_units.tsv")}
    return QuantityLexicon(tuple(vague), mult, units)


def _rows(name: str) -> list[list[str]]:
    text = resources.files("sitroom.data").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


_VAGUE_RE = re.compile(
    r"\b(?:(?:several|a few|a couple of|some|many)\s+(?:hundred|thousand|million|billion)s?|"
    r"(?:hundreds|tens)\s+of\s+(?:thousands|millions)|hundreds|thousands|millions|dozens|scores|a dozen|"
    r"a handful)\b(?=\s+of\b|\s+\w)", re.IGNORECASE)


@Language.factory("sitroom_quantities")
def make_quantity_reader(nlp: Language, name: str) -> QuantityReader:
    register_extensions()
    lexicon()
    return QuantityReader()


class QuantityReader:
    """Fill `doc._.quantities`, in text order."""

    def __call__(self, doc: Doc) -> Doc:
        time_spans = [(t.start, t.end) for t in (doc._.times or [])]
        text = doc.text  # spaCy rebuilds Doc.text on every access: read it once
        out: list[Quantity] = []
        ents = [e for e in doc.ents if e.label_ in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")]
        for sent in body_sentences(doc):
            sent_ents = [e for e in ents if sent.start_char <= e.start_char < sent.end_char]
            for start, end, label in _candidates(sent, sent_ents):
                if any(s <= start and end <= e for s, e in time_spans):
                    continue
                start, end = clip_to_line(text, start, end)
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None:
                    continue
                while span.start > sent.start and doc[span.start - 1].like_num and doc[span.start - 1].is_alpha:
                    span = doc[span.start - 1:span.end]
                q = read_quantity(doc, span, label, f"N{len(out) + 1}", text)
                if q is not None and not any(q.start < o.end and o.start < q.end for o in out):
                    out.append(q)
        out.sort(key=lambda q: q.start)
        for i, q in enumerate(out, 1):
            q.id = f"N{i}"
        doc._.quantities = out
        return doc


def _candidates(sent: Span, ents: list[Span]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in _VAGUE_RE.finditer(sent.text):
        found.append((sent.start_char + m.start(), sent.start_char + m.end(), "VAGUE"))
    for ent in ents:
        if any(s <= ent.start_char < e or ent.start_char <= s < ent.end_char for s, e, _ in found):
            continue
        found.append((ent.start_char, ent.end_char, ent.label_))
    for tok in sent:  # digits the entity recogniser missed ("about 900 people")
        if tok.tag_ == "CD" and tok.text[:1].isdigit() and not tok.ent_type_ and not any(
                s <= tok.idx < e for s, e, _ in found):
            found.append((tok.idx, tok.idx + len(tok.text), "CARDINAL"))
    return sorted(found)


# --------------------------------------------------------------------------- reading one quantity

def parse_number(text: str) -> float | None:
    """`2,500` -> 2500, `5.1 million` -> 5100000, `Five hundred` -> 500, `a dozen` -> 12."""
    t = text.lower().replace(",", "").replace("-", " ")
    t = re.sub(r"[$€£¥₽₹]", " ", t)
    words = re.findall(r"\d+(?:\.\d+)?|[a-z]+", t)
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            current += float(w)
            seen = True
        elif w in SMALL:
            current += SMALL[w] if w not in ("a", "an") or not seen else 0
            seen = seen or w not in ("a", "an")
            if w in ("a", "an"):
                current = current or 1
        elif w in SCALES:
            scale = SCALES[w]
            current = (current or 1) * scale if scale != 12 or current else 12
            if scale >= 1000:
                total, current = total + current, 0.0
            seen = True
        elif w in FRACTIONS and seen:
            current = current / FRACTIONS[w]
        elif w in ("and", "of"):
            continue
        elif seen:
            break
    return total + current if seen else None


def _counted_noun(span: Span) -> Token | None:
    """The noun the number counts: its head ("2,500 people") or the object of "of" ("dozens of deaths")."""
    last = span[-1]
    if last.pos_ in ("NOUN", "PROPN") and last.ent_type_ not in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY") \
            and last.lower_ not in SCALES and last.lower_ not in VAGUE_PLURALS:
        return last
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj":
                return _through_of(child)
    root = span.root
    if root.dep_ in ("nummod", "quantmod", "amod", "compound") and root.head.pos_ in ("NOUN", "PROPN") \
            and root.head.i >= span.end - 1:
        return root.head
    for tok in span:
        if tok.dep_ == "nummod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i >= span.end:
            return tok.head
    return None


def _through_of(tok: Token) -> Token:
    """`hundreds of thousands of troops`: follow vague number words to the real noun."""
    for _ in range(4):
        if tok.lower_ in ("hundreds", "thousands", "millions", "dozens", "tens", "scores") or tok.lemma_ in SCALES:
            nxt = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in nxt.children if c.dep_ == "pobj"), None) if nxt is not None else None
            if obj is None:
                return tok
            tok = obj
        else:
            return tok
    return tok


def _size_word(span: Span) -> Token | None:
    """The "strong"/"member" of "800-strong", "10,000-member": the number sizes a unit of people."""
    doc = span.doc
    i = span.end
    if span[-1].lower_ in ("strong", "member", "man") and span[-1].i > span.start:
        return span[-1]
    if i + 1 < len(doc) and doc[i].text == "-" and doc[i + 1].lower_ in ("strong", "member", "man", "men"):
        return doc[i + 1]
    return None


def _noun_phrase(noun: Token, floor: int) -> tuple[int, int, str]:
    """The counted noun with its adjectives and compounds ("civilian deaths"), not before `floor`."""
    start = noun.i
    for child in sorted(noun.lefts, key=lambda t: -t.i):
        if child.i < floor:
            break
        if child.dep_ in ("amod", "compound", "nmod") and child.i == start - 1:
            start = child.i
        elif child.i == start - 1 and child.dep_ in ("nummod", "quantmod", "det", "predet", "punct"):
            break
        else:
            break
    doc = noun.doc
    return doc[start].idx, noun.idx + len(noun.text), doc[start:noun.i + 1].text


def _unit_for(noun: Token | None, span: Span, label: str) -> str | None:
    units = lexicon().units
    text = span.text.lower()
    for sym, code in CURRENCY_SYMBOLS.items():
        if sym in text:
            return code
    if label == "PERCENT" or "%" in text or "percent" in text or "per cent" in text:
        return "%"
    for tok in reversed(span):
        if tok.lemma_.lower() in units and label in ("MONEY", "QUANTITY"):
            return units[tok.lemma_.lower()]
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    if lemma in units:
        return units[lemma]
    if noun.lower_ in units:
        return units[noun.lower_]
    return noun.lower_


def _is_personnel(noun: Token | None) -> bool:
    """A head count of people that is the size of a deployment or force ("a deployment of 2,500 people")."""
    if noun is None or noun.lemma_.lower() not in PEOPLE_WORDS:
        return False
    cur = noun
    for _ in range(6):
        if cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.lemma_.lower() in PERSONNEL_HOLDERS:
            return True
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            subj = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            return subj is not None and subj.lemma_.lower() in PERSONNEL_HOLDERS
    return False


def read_quantity(doc: Doc, span: Span, label: str, qid: str, doc_text: str | None = None) -> Quantity | None:
    """Read the number in `span` with its hedge and counted noun into a `Quantity`."""
    lex = lexicon()
    doc_text = doc.text if doc_text is None else doc_text
    text = span.text
    low = high = value = None
    approx = False
    vague = next(((p, lo, hi) for p, lo, hi in lex.vague if text.lower().startswith(p)), None)
    mult = re.match(r"(several|a few|a couple of|some|many)\s+(hundred|thousand|million|billion)s?\b", text, re.I)
    if mult:
        lo_m, hi_m = lex.multipliers.get(mult.group(1).lower(), (1, None))
        scale = SCALES[mult.group(2).lower()]
        low, high = lo_m * scale, (hi_m * scale if hi_m is not None else None)
    elif vague is not None and parse_number(text.replace(vague[0], "")) is None:
        low, high = vague[1], vague[2]
        if low == high:
            value, low, high = low, None, None
    else:
        value = parse_number(text)
        if value is None:
            return None
    # a hedge just before the number, or at the start of the entity ("at least 156")
    start = span.start_char
    inner = re.match(r"(" + "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True)) + r")\s+",
                     text, re.IGNORECASE)
    before = doc_text[max(0, start - 40):start]
    hm = _HEDGE_RE.search(before)
    hedge = inner.group(1).lower() if inner else (hm.group(1).lower() if hm else None)
    if hedge is not None and value is not None:
        bound, approx = HEDGES[hedge]
        if not inner:
            start = start - len(before) + hm.start(1)
        if bound == "low":
            low, value = value, (value if approx else None)
        elif bound == "high":
            high = value
            value = value if approx else None
    between = re.search(r"between\s+([\d.,]+)\s+and\s*$", before, re.I)
    if between and value is not None:
        low_v = parse_number(between.group(1))
        if low_v is not None:
            low, high, value = low_v, value, None
            start = start - len(before) + between.start()
    noun = _counted_noun(span) if label != "PERCENT" else None
    if noun is not None and "\n" in doc_text[min(span.end_char, noun.idx):max(span.start_char, noun.idx)]:
        noun = None  # the parser joined lines (a heading, blanked furniture): the number counts nothing here
    end = span.end_char
    counts = None
    size_word = _size_word(span)
    if size_word is not None:  # "an 800-strong contingent", "a 10,000-member force"
        noun = size_word.head if size_word.head.pos_ in ("NOUN", "PROPN") else None
        if noun is not None and "\n" in doc_text[span.end_char:noun.idx]:
            noun = None
        if noun is not None:
            end = noun.idx + len(noun.text)
            counts = noun.text
        return Quantity(id=qid, start=start, end=end, text=doc_text[start:end], value=value, value_low=low,
                        value_high=high, approx=approx, unit="personnel", counts=counts)
    if noun is not None:
        np_start, np_end, counts = _noun_phrase(noun, span.end if noun.i >= span.end else span.start)
        end = max(end, np_end)
        if noun.i < span.end:
            counts = noun.text
    unit = _unit_for(noun, span, label)
    if _is_personnel(noun):
        unit = "personnel"
    if label == "MONEY" and counts is not None and unit and unit.isupper():
        counts = None
    if label == "CARDINAL" and noun is None and value is not None and 1000 < value < 2100 and value == int(value):
        return None  # a bare year-like number with nothing counted: leave it to times
    return Quantity(id=qid, start=start, end=end, text=doc_text[start:end], value=value, value_low=low,
                    value_high=high, approx=approx, unit=unit, counts=counts)
