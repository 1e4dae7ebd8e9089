"""Who said what: direct quotes, reported speech and stated beliefs, with resolved speakers.

The component puts three readings of the body together:

1. **quote marks** (`quote_marks`): every quoted span, paired by paragraph whatever the glyphs;
2. **the parse** (`attribution`): cue + source + content candidates, scored by the attribution
   model — this finds reported speech ("Lee told The Daily Beast that …", "according to Reuters",
   "…, Edmonds added") and attributes most direct quotes, whose content is the cue's complement;
3. **quotation layout**, for quotes the parse leaves unattributed: the second half of
   ``“A,” Lee said. “B.”``, a quote introduced by a colon, a follow-on paragraph that continues the
   previous speaker's quote with no attribution of its own.

Quoted phrases that nobody is said to have said — scare quotes, titles — become
`doc._.marked_phrases`, not quotes. Speakers are resolved by `speakers.SpeakerResolver`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from sitroom.model import ActorRef, MarkedPhrase, Quote, TextSpan
from sitroom.nlp.attribution import (
    NOT_SOURCES,
    REL_PRONOUNS,
    Candidate,
    QuoteIndex,
    adjacent_source,
    candidates,
    doc_text,
    score,
    subject_of,
    threshold,
)
from sitroom.nlp.extensions import actor_at, body_ranges, body_sentences, register_extensions
from sitroom.nlp.lexicon import verb_class
from sitroom.nlp.quote_marks import QuotedSpan, find_quoted
from sitroom.nlp.speakers import SpeakerResolver

#: a quoted phrase of fewer words is never a quote by itself (a scare quote)
MIN_QUOTE_WORDS = 2
#: an unattributed quoted passage at least this long is reported as a quote without speaker
MIN_ORPHAN_WORDS = 8


@Language.factory("sitroom_quotes")
def make_component(nlp: Language, name: str) -> QuoteExtractor:
    register_extensions()
    return QuoteExtractor()


class QuoteExtractor:
    """The `sitroom_quotes` component: fills `doc._.quotes` and `doc._.marked_phrases`."""

    def __init__(self, model: dict | None = None) -> None:
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        quotes, marked = extract(doc, self.model)
        doc._.quotes = quotes
        doc._.marked_phrases = marked
        return doc


@dataclass(slots=True)
class _Attr:
    fragments: list[tuple[int, int]]
    kind: str
    source: int | None  # token index of the local mention's head
    cue: tuple[int, int] | None
    cue_tok: int | None
    lemma: str = ""
    addressee: int | None = None
    medium: tuple[int, int] | None = None
    units: set[int] = field(default_factory=set)
    score: float = 1.0
    ref: ActorRef | None = None
    copy_of: _Attr | None = None  # a follow-on quote: same speaker as this one
    label: tuple[int, int] | None = None  # a transcript's speaker label ("WALLACE:")

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


# --------------------------------------------------------------------------- helpers

def _paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Body paragraphs as (start, end), each line of a body range its own paragraph."""
    out = []
    text = doc_text(doc)
    for lo, hi in body_ranges(doc):
        pos = lo
        for line in text[lo:hi].split("\n"):
            if line.strip():
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
    return out


def _body_sents(doc: Doc, paras: list[tuple[int, int]]) -> list:
    """Sentences overlapping the body (the parser may run a sentence over a paragraph break, so a
    sentence starting in the headline can end in the body)."""
    if doc._.article is None or not doc._.article.body:
        return list(body_sentences(doc))
    starts = [a for a, _ in paras]
    out = []
    for sent in doc.sents:
        k = bisect_right(starts, sent.end_char - 1) - 1
        if k >= 0 and paras[k][1] > sent.start_char and sent.text.strip():
            out.append(sent)
    return out


def _words(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


def _is_object_noun_phrase(doc: Doc, c: Candidate, frag: tuple[int, int]) -> bool:
    """The content is a bare noun phrase, the direct object of the cue verb (no clause inside)."""
    span = doc.char_span(*frag, alignment_mode="expand")
    if span is None or c.cue is None:
        return False
    root = span.root
    return (root.dep_ == "dobj" and root.head.i == c.cue and root.pos_ in ("NOUN", "PROPN")
            and not any(t.pos_ in ("VERB", "AUX") for t in span))


#: suffixes of deverbal nouns that name an event (resignation, deployment, candidacy, departure)
_EVENT_NOUN = re.compile(r"(tion|sion|ment|ance|ence|acy|ure)$")


def _object_is_no_content(doc: Doc, c: Candidate, frag: tuple[int, int]) -> bool:
    """A bare noun-phrase object that is not what someone said or thinks: the object of a verb outside
    the cue lexicon ("Obama appointed Lynch" is an act), or an event nominal announced by a speech verb
    ("announced the cabinet's resignation" reports the event). Verbs of saying, thinking and judging
    keep a nominal content ("denied any improper role", "questioned his credentials", "backed Cruz")."""
    if not _is_object_noun_phrase(doc, c, frag):
        return False
    cls = verb_class(c.lemma)
    if cls is None:
        return True
    span = doc.char_span(*frag, alignment_mode="expand")
    if span is not None and _answers_an_earlier_act(span):
        return True
    return cls == "speech" and span is not None and bool(_EVENT_NOUN.search(span.root.lemma_.lower()))


#: acts one party puts to another; "rejected the request" answers one, it reports nobody's words
_ACT_NOUNS = {"request", "demand", "offer", "proposal", "plan", "invitation", "appeal", "ultimatum", "bid",
              "overture", "deal"}


def _answers_an_earlier_act(span: Span) -> bool:
    """A bare definite act noun ("the request", "that offer"): an anaphor for an earlier event."""
    root = span.root
    words = [t for t in span if not t.is_punct]
    return (root.lemma_.lower() in _ACT_NOUNS and len(words) == 2
            and words[0].lower_ in ("the", "this", "that", "these", "those"))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Sorted union of spans; spans separated only by spaces, punctuation or marks are joined."""
    out: list[list[int]] = []
    for a, b in sorted(spans):
        gap = text[out[-1][1]:a] if out else ""
        if out and (a <= out[-1][1] or (not any(ch.isalnum() for ch in gap) and "\n" not in gap)):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _inside(pos: int, frags: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in frags)


class _Layout:
    """Paragraph and sentence lookups by character offset."""

    def __init__(self, doc: Doc, paras: list[tuple[int, int]], sents: list) -> None:
        self.paras = paras
        self.para_starts = [a for a, _ in paras]
        self.sents = sents
        self.sent_starts = [s.start_char for s in sents]

    def para(self, pos: int) -> int:
        return bisect_right(self.para_starts, pos) - 1

    def sent(self, pos: int) -> int:
        return bisect_right(self.sent_starts, pos) - 1


# --------------------------------------------------------------------------- extraction

def extract(doc: Doc, model: dict | None = None) -> tuple[list[Quote], list[MarkedPhrase]]:
    """Quotes and marked phrases of the body of `doc`."""
    text = doc_text(doc)
    paras = _paragraphs(doc)
    spans = find_quoted(text, paras)
    top = [q for q in spans if q.depth == 0]
    qindex = QuoteIndex([(q.start, q.end) for q in top])
    sents = _body_sents(doc, paras)
    layout = _Layout(doc, paras, sents)
    cands, bare = candidates(doc, sents, qindex, paras if doc._.article is not None else None)
    score(cands, model)
    cut = threshold(model)
    units: dict[int, list[QuotedSpan]] = {}
    for q in top:
        units.setdefault(q.unit, []).append(q)
    attrs = [a for a in (_from_candidate(doc, c, top, units, layout) for c in cands if c.score >= cut) if a]
    lines = _transcript(doc, top, layout)
    attrs = [a for a in attrs if not any(a.cue is not None and _inside(a.cue[0], t.fragments) for t in lines)]
    attrs = _resolve_nesting(doc, attrs) + lines
    cues = sorted(cands + bare, key=lambda c: c.cue)
    attrs += _quote_only(doc, attrs, units, cues, layout, qindex)
    attrs.sort(key=lambda a: a.start)
    quotes = _build(doc, attrs)
    marked = _marked(doc, top, attrs)
    return quotes, marked


def _from_candidate(doc: Doc, c: Candidate, top: list[QuotedSpan], units: dict[int, list[QuotedSpan]],
                    layout: _Layout | None = None) -> _Attr | None:
    """An attribution from a parse candidate, its content joined with the quotes it overlaps."""
    text = doc_text(doc)
    frags = list(c.content)
    if layout is not None:  # a sentence the parser ran over a paragraph break: keep the cue's paragraph
        p = layout.para(c.cue_span[0])
        if 0 <= p < len(layout.paras):
            lo, hi = layout.paras[p]
            frags = [(max(a, lo), min(b, hi)) for a, b in frags if min(b, hi) > max(a, lo)]
            if not frags:
                return None
    clen = sum(b - a for a, b in frags)
    hit = [q for q in top if any(_overlap((q.start, q.end), f) for f in frags)]
    if not hit and len(frags) == 1 and _object_is_no_content(doc, c, frags[0]):
        return None  # "announced the cabinet's resignation", "appointed Lynch": an event, not a proposition
    multi = [q for q in hit if _words(text[q.start:q.end]) >= MIN_QUOTE_WORDS]
    kind = "direct" if hit else "indirect"  # quoted, whole or in part
    unit_ids: set[int] = set()
    if multi:
        unit_ids = {q.unit for q in multi}
        quoted = [(q.start, q.end) for q in multi]
        cue_after = c.cue_span[0] >= frags[-1][1] or c.pattern == "according"
        inside = sum(_overlap(q, f) for q in quoted for f in frags)
        if cue_after and inside < 0.5 * clen and _quote_depth(doc, frags, quoted) > 2:
            # a partial quote deep inside the reporter's sentence (“… observing the deployment for any
            # attempts that might “lay the predicate …,” Price said"): only the quoted words are the
            # source's; one that makes the clause's predication ("The strategy is a “very welcome
            # tack,” he said") quotes a claim the whole clause reports
            frags = _merge(quoted, text)
        else:
            frags = _merge(frags + quoted, text)
        # a quotation continued over paragraphs comes along whole
        extra = [(q.start, q.end) for u in unit_ids for q in units.get(u, []) if q not in multi]
        if extra:
            frags = sorted(frags + [(a, b) for a, b in extra if not any(_overlap((a, b), f) for f in frags)])
    return _Attr(fragments=frags, kind=kind, source=c.source, cue=c.cue_span, cue_tok=c.cue, lemma=c.lemma,
                 addressee=c.addressee, medium=c.medium, units=unit_ids, score=c.score)


def _quote_depth(doc: Doc, frags: list[tuple[int, int]], quoted: list[tuple[int, int]]) -> int:
    """How many dependency steps the shallowest quoted part lies below the root of the content."""
    best = 99
    for a, b in frags:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        for qa, qb in quoted:
            if not (a <= qa < b):
                continue
            q = doc.char_span(qa, qb, alignment_mode="expand")
            if q is None or not len(q):
                continue
            tok, depth = q.root, 0
            while tok is not root and tok.head is not tok and depth < 99 and span.start <= tok.i < span.end:
                tok, depth = tok.head, depth + 1
            best = min(best, depth)
    return best


def _ancestors(doc: Doc, i: int) -> set[int]:
    return {t.i for t in doc[i].ancestors}


def _resolve_nesting(doc: Doc, attrs: list[_Attr]) -> list[_Attr]:
    """Drop attributions reported inside another one's content (the outer one is the claim made),
    then, of two with much the same content, the less likely."""
    keep = []
    for b in attrs:
        drop = False
        for a in attrs:
            if a is b:
                continue
            b_in_a = b.cue is not None and _inside(b.cue[0], a.fragments)
            if not b_in_a:
                continue
            a_in_b = a.cue is not None and _inside(a.cue[0], b.fragments)
            if not a_in_b:
                drop = True
                break
            # each inside the other: "X escalated …, according to Reuters" — the cue hanging on the
            # other's clause frames it
            if a.cue_tok is not None and b.cue_tok is not None:
                if a.cue_tok in _ancestors(doc, b.cue_tok):
                    continue
                if b.cue_tok in _ancestors(doc, a.cue_tok):
                    drop = True
                    break
            if (a.score, -a.start) > (b.score, -b.start):
                drop = True
                break
        if not drop:
            keep.append(b)
    out = []
    for b in keep:
        size_b = sum(y - x for x, y in b.fragments)
        if not any(a is not b and (a.score, -a.start) > (b.score, -b.start)
                   and sum(_overlap(x, y) for x in a.fragments for y in b.fragments)
                   >= 0.5 * (min(size_b, sum(y - x for x, y in a.fragments)) or 1) for a in keep):
            out.append(b)
    return out


_SPEAKER_LABEL = re.compile(r"\s*[“\"”]?\s*([A-Z][A-Z.'’\- ]{1,40}[A-Z.]):\s+(?=\S)")


def _transcript(doc: Doc, top: list[QuotedSpan], layout: _Layout) -> list[_Attr]:
    """Transcript paragraphs, ``WALLACE: Let's start with …``: the capitalised label is the speaker."""
    text = doc_text(doc)
    out = []
    for lo, hi in layout.paras:
        m = _SPEAKER_LABEL.match(text, lo, hi)
        if m is None or not any(ch.isalpha() for ch in m.group(1)):
            continue
        a, b = m.end(), hi
        while b > a and (text[b - 1].isspace() or text[b - 1] in "\"”“"):
            b -= 1
        if b <= a:
            continue
        label = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if label is None or not len(label):
            continue
        out.append(_Attr(fragments=[(a, b)], kind="direct", source=label.root.i, cue=None, cue_tok=None,
                         score=0.9, label=(m.start(1), m.end(1))))
    return out


def _quote_only(doc: Doc, attrs: list[_Attr], units: dict[int, list[QuotedSpan]], cues: list[Candidate],
                layout: _Layout, qindex: QuoteIndex) -> list[_Attr]:
    """Attribute the quoted passages the parse left alone, by how quotations are laid out."""
    text = doc_text(doc)
    out: list[_Attr] = []
    taken = [f for a in attrs for f in a.fragments]
    items: list[tuple[int, list[QuotedSpan]]] = []
    for unit_id in sorted(units, key=lambda u: units[u][0].start):
        if any(unit_id in a.units for a in attrs):
            continue
        # paragraphs of a quotation already attributed (transcript lines) leave the others to
        # place one by one
        qs = [q for q in units[unit_id] if not any(_overlap((q.start, q.end), f) for f in taken)]
        if len(qs) == len(units[unit_id]):
            items.append((unit_id, qs))
        else:
            items += [(unit_id, [q]) for q in qs]
    for unit_id, qs in items:
        first = qs[0]
        words = sum(_words(text[q.start:q.end]) for q in qs)
        frags = [(q.start, q.end) for q in qs]
        if words < MIN_QUOTE_WORDS + 1 or (len(qs) == 1 and _is_title(text[first.start:first.end])):
            # a short quoted phrase is a scare quote or a title (reported as a marked phrase) unless it
            # stands as an utterance of its own, with its speaker beside it (“Absolutely not,” he said)
            cue = _utterance_cue(doc, first, qs[-1], cues, layout, qindex) if len(qs) == 1 else None
            if cue is not None:
                out.append(_Attr(fragments=frags, kind="direct", source=cue.source, cue=cue.cue_span,
                                 cue_tok=cue.cue, lemma=cue.lemma, addressee=cue.addressee, medium=cue.medium,
                                 units={unit_id}, score=0.8))
            continue
        pi = layout.para(first.outer_start)
        if pi < 0:
            continue
        p_lo, p_hi = layout.paras[pi]
        prior = [a for a in attrs + out if a.kind == "direct" and a.end <= first.outer_start]
        prev = max(prior, key=lambda a: a.end, default=None)
        # 1. "“A,” Lee said. “B.”": the second part continues the quote just before it
        if (prev is not None and prev.cue is not None and layout.para(prev.end - 1) == pi
                and prev.start < prev.cue[0] < first.outer_start
                and not any(prev.cue[0] < a < first.outer_start for a, _ in prev.fragments)
                and layout.sent(first.outer_start) - layout.sent(prev.cue[0]) <= 1):
            prev.fragments = sorted(prev.fragments + frags)
            prev.units.add(unit_id)
            continue
        # 2. a cue beside the quote in its paragraph ("he said.", "said Edmonds", "Lee added:")
        cue = _nearby_cue(doc, first, qs[-1], cues, layout, (p_lo, p_hi))
        if cue is not None:
            out.append(_Attr(fragments=frags, kind="direct", source=cue.source, cue=cue.cue_span, cue_tok=cue.cue,
                             lemma=cue.lemma, addressee=cue.addressee, medium=cue.medium, units={unit_id},
                             score=0.9))
            continue
        # 2a. a verb with its subject right before ", “" introduces the quote, whatever the verb and
        # however the parser read it ("Hillary shot back, “I suppose …”")
        cue = _verb_before_quote(doc, first, layout, qindex)
        if cue is not None:
            out.append(_Attr(fragments=frags, kind="direct", source=cue.source, cue=cue.cue_span, cue_tok=cue.cue,
                             lemma=cue.lemma, units={unit_id}, score=0.8))
            continue
        # 2b. a dash signature after the quote: “…” ― Pamela Padilla, 34
        src = _dash_signature(doc, qs[-1], (p_lo, p_hi))
        if src is not None:
            out.append(_Attr(fragments=frags, kind="direct", source=src, cue=None, cue_tok=None, units={unit_id},
                             score=0.8))
            continue
        # 2c. a quotation opening the sentence after an attributed one in the same paragraph
        # ("Kerry said 100,000 would be accepted. “That adds up to …”"): the speaker goes on
        last = max((a for a in attrs + out if a.end <= first.outer_start and a.source is not None
                    and a.cue is not None), key=lambda a: a.end, default=None)
        if (last is not None and layout.para(last.end - 1) == pi and _opens_sentence(text, layout, first)
                and layout.sent(first.outer_start) - layout.sent(max(last.end, last.cue[1]) - 1) == 1):
            out.append(_Attr(fragments=frags, kind="direct", source=last.source, cue=None, cue_tok=None,
                             lemma=last.lemma, units={unit_id}, score=0.7, copy_of=last))
            continue
        # 2d. … or after a sentence whose subject speaks without saying what ("Howard continued his
        # remarks. “Eight years ago …”", "Adelson said during the interview in Macau. “It's …”")
        cue = _cue_in_previous_sentence(first, cues, layout, (p_lo, p_hi), text)
        if cue is not None:
            out.append(_Attr(fragments=frags, kind="direct", source=cue.source, cue=cue.cue_span, cue_tok=cue.cue,
                             lemma=cue.lemma, addressee=cue.addressee, medium=cue.medium, units={unit_id},
                             score=0.7))
            continue
        # 2e. a name before a colon introduces it ("Bush: “The mission is …”", "More from Jones: “…”")
        src = _colon_label(doc, first, (p_lo, p_hi))
        if src is not None:
            out.append(_Attr(fragments=frags, kind="direct", source=src, cue=None, cue_tok=None, units={unit_id},
                             score=0.7))
            continue
        # 3. introduced by a colon closing the previous paragraph ("Caddell continued:")
        if first.outer_start == _first_char(text, p_lo, p_hi) and pi > 0:
            q_lo, q_hi = layout.paras[pi - 1]
            prev_text = text[q_lo:q_hi].rstrip()
            if prev_text.endswith(":"):
                # a speech cue in that paragraph, or any verb with a subject in its last sentence
                # ("Trump issued the following statement:")
                last_s = layout.sents[layout.sent(q_lo + len(prev_text) - 1)].start_char
                cue = next((c for c in reversed(cues) if q_lo <= c.cue_span[0] < q_hi and c.source is not None
                            and (verb_class(c.lemma) in ("speech", "belief")
                                 or (c.cue_span[0] >= last_s and c.pattern != "according"
                                     and _names_someone(doc[c.source])))), None)
                if cue is not None:
                    out.append(_Attr(fragments=frags, kind="direct", source=cue.source, cue=cue.cue_span,
                                     cue_tok=cue.cue, lemma=cue.lemma, units={unit_id}, score=0.8))
                    continue
            # 4. a follow-on paragraph: the previous paragraph's speaker goes on talking
            # (or reported: "Lee said the talks had failed.\n“We tried everything.”")
            before = next((a for a in (prev, last) if a is not None and a.source is not None
                           and layout.para(a.end - 1) == pi - 1 and not _has_other_attribution(text[a.end:q_hi])),
                          None)
            if before is not None:
                out.append(_Attr(fragments=frags, kind="direct", source=before.source, cue=None, cue_tok=None,
                                 lemma=before.lemma, units={unit_id}, score=0.7, copy_of=before))
                continue
        if words >= MIN_ORPHAN_WORDS and _ends_sentence(text, qs[-1]):
            out.append(_Attr(fragments=frags, kind="direct", source=None, cue=None, cue_tok=None, units={unit_id},
                             score=0.3))
    return out


_DASH_RE = re.compile(r"\s*(?:―|—|–|--|-)\s*")


def _names_someone(tok) -> bool:
    """A person, an organisation or a pronoun for one: who could have said something."""
    return (tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.pos_ == "PROPN"
            or (tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "they", "we", "i")))


def _verb_before_quote(doc: Doc, first: QuotedSpan, layout: _Layout, qindex: QuoteIndex) -> Candidate | None:
    """``SUBJECT VERB (back|out|…), “…`` or ``…:``: the verb just before the comma or colon that opens
    the quote, with its subject (or the name written right before it), as a bare cue."""
    text = doc_text(doc)
    k = layout.sent(first.outer_start)
    if k < 0:
        return None
    lo = max(layout.sents[k].start_char, layout.paras[layout.para(first.outer_start)][0])
    lead = text[lo:first.outer_start].rstrip()
    punct = lead.endswith((",", ":"))
    span = doc.char_span(lo, lo + len(lead) - (1 if punct else 0), alignment_mode="contract")
    if span is None or not len(span):
        return None
    toks = [t for t in span if not t.is_space]
    while toks and toks[-1].pos_ in ("ADV", "ADP", "PART") and toks[-1].dep_ in ("advmod", "prt", "neg"):
        toks.pop()  # "shot back", "went on", "then asked"
    if not toks or toks[-1].pos_ != "VERB" or qindex.inside(toks[-1].idx):
        return None
    verb = toks[-1]
    if not punct and verb_class(verb.lemma_) != "speech":
        return None  # without a comma or colon only a verb of saying runs into the quote ("yelled “Out!”")
    src = subject_of(verb, qindex)
    if src is None and verb.dep_ == "acl" and verb.head.i < verb.i and not punct:
        src = verb.head  # "a man yelled “…”", read as a man [who] yelled
    if src is None or qindex.inside(src.idx) or src.i > verb.i or src.ent_type_ in NOT_SOURCES:
        src = adjacent_source(verb, qindex)
    if src is None:
        return None
    return Candidate(cue=verb.i, cue_span=(verb.idx, verb.idx + len(verb.text)), pattern="bare", source=src.i,
                     content=[], lemma=verb.lemma_.lower())


def _dash_signature(doc: Doc, q: QuotedSpan, para: tuple[int, int]) -> int | None:
    """The token heading a name signed after a quote with a dash (``“…” — Jane Roe, 34``), in the same
    paragraph or alone on the next line (fact-check layout: the quote, then ``- Bernie Sanders.``)."""
    text = doc_text(doc)
    m = _DASH_RE.match(text, q.outer_end, para[1])
    if not text[q.outer_end:para[1]].strip():
        nxt = text.find("\n", para[1])
        while 0 <= nxt < len(text) and text[nxt].isspace():
            nxt += 1
        m = _DASH_RE.match(text, nxt) if 0 <= nxt < len(text) and text[nxt] in "―—–-" else None
        if m is None:
            return None
        line_end = text.find("\n", m.end())
        para = (para[0], line_end if line_end >= 0 else len(text))
        if len(text[m.end():para[1]].split()) > 8:
            return None  # a paragraph of its own, not a signature
    if m is None or m.end() >= para[1] or m.end() == q.outer_end:
        return None
    span = doc.char_span(m.end(), min(para[1], m.end() + 1), alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span[0]
    if tok.pos_ != "PROPN" and not tok.ent_type_:
        return None
    while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and tok.head.pos_ == "PROPN":
        tok = tok.head
    return tok.i


def _is_title(phrase: str) -> bool:
    """ "Fox and Friends", "The Tragedy of Lyndon Johnson": short, mostly capitalised, no sentence end."""
    words = [w for w in phrase.split() if w[:1].isalpha()]
    if not 2 <= len(words) <= 8 or phrase.rstrip(".,").count(".") or phrase.rstrip()[-1:] in "!?":
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words) and words[0][0].isupper()


def _utterance_cue(doc: Doc, first: QuotedSpan, last: QuotedSpan, cues: list[Candidate],
                   layout: _Layout, qindex: QuoteIndex) -> Candidate | None:
    """The cue of a short quote that is an utterance, not a phrase: it opens its sentence, ends with
    , ! ? or . inside the marks and a verb with its subject follows the closing mark (“Out!” the crowd
    yelled; “Absolutely not,” he said) — or a speech verb introduces it with a comma or colon and it
    closes the sentence (shouting, “She wins, we lose!”)."""
    text = doc_text(doc)
    if last.close_at is None or text[last.end - 1:last.end] not in (",", "!", "?", ".", "…"):
        return None
    k = layout.sent(first.outer_start)
    if k < 0:
        return None
    sent = layout.sents[k]
    # the cue may stand in the "next sentence" when the splitter cut after “…?”
    after = [c for c in cues if c.source is not None and 0 <= c.cue_span[0] - last.outer_end <= 25
             and not any(ch in ".!?\n" for ch in text[last.outer_end:c.cue_span[0]])]
    if _opens_sentence(text, layout, first) and after:
        c = after[0]
        src = doc[c.source]
        # the subject and the verb come right after the mark, in either order ("he said", "said Lee")
        if abs(src.idx - c.cue_span[0]) <= 30 and _words(text[last.outer_end:min(c.cue_span[0], src.idx)]) <= 1:
            return c
    tail = text[last.outer_end:sent.end_char].strip()
    lead = text[sent.start_char:first.outer_start].rstrip()
    if tail and any(ch.isalnum() for ch in tail):
        return None
    if not lead.endswith((",", ":")):
        # a verb of saying running straight into the utterance ("a man yelled “Stay there!”")
        return _verb_before_quote(doc, first, layout, qindex)
    before = [c for c in cues if c.source is not None and c.cue_span[1] <= first.outer_start
              and _words(text[c.cue_span[1]:first.outer_start]) <= 1 and verb_class(c.lemma) in ("speech", "belief")]
    return before[-1] if before else None


_LABEL_ENTS = frozenset(("PERSON", "ORG", "NORP"))


def _colon_label(doc: Doc, first: QuotedSpan, para: tuple[int, int]) -> int | None:
    """The person or organisation named last before a colon that opens the quote, with no verb
    between them (``Bush: “…”``, ``Here's Clinton in December 1992: “…”``, ``- Pew Research: “…”``)."""
    text = doc_text(doc)
    head = text[para[0]:first.outer_start].rstrip()
    if not head.endswith(":"):
        return None
    colon = para[0] + len(head) - 1
    span = doc.char_span(para[0], colon, alignment_mode="contract")
    if span is None or not len(span):
        return None
    for tok in reversed(span):
        if tok.text in (".", "!", "?", "—", "–", "-", '"', "“", "”"):
            return None
        if tok.pos_ in ("VERB", "AUX") and tok.lower_ not in ("'s", "’s"):  # "Here's Clinton …" passes
            return None
        if tok.ent_type_ in _LABEL_ENTS and tok.ent_iob_ in ("B", "I"):
            while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and tok.head.ent_type_ == tok.ent_type_:
                tok = tok.head
            return tok.i
    return None


def _cue_in_previous_sentence(first: QuotedSpan, cues: list[Candidate], layout: _Layout, para: tuple[int, int],
                              text: str) -> Candidate | None:
    """The last speech cue with a source in the sentence before a quote that opens its sentence."""
    k = layout.sent(first.outer_start)
    if k < 1 or not _opens_sentence(text, layout, first):
        return None
    prv = layout.sents[k - 1]
    if prv.start_char < para[0]:
        return None
    found = [c for c in cues if prv.start_char <= c.cue_span[0] < prv.end_char and c.source is not None
             and verb_class(c.lemma) in ("speech", "belief") and c.pattern != "according"
             and not first.outer_start <= c.cue_span[0] < first.outer_end]
    return found[-1] if found else None


def _opens_sentence(text: str, layout: _Layout, q: QuotedSpan) -> bool:
    """Nothing but spaces and marks stands between the start of the quote's sentence (or paragraph,
    when the parser ran a sentence over a paragraph break) and the quote."""
    k = layout.sent(q.outer_start)
    p = layout.para(q.outer_start)
    if k < 0:
        return False
    lo = max(layout.sents[k].start_char, layout.paras[p][0] if p >= 0 else 0)
    return not any(ch.isalnum() for ch in text[lo:q.outer_start])


def _first_char(text: str, lo: int, hi: int) -> int:
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo


def _ends_sentence(text: str, q: QuotedSpan) -> bool:
    return q.end > q.start and text[q.end - 1] in ".!?,…"


def _has_other_attribution(tail: str) -> bool:
    """Text after a quote in its paragraph that attributes something else."""
    return _words(tail) > 12


def _nearby_cue(doc: Doc, first: QuotedSpan, last: QuotedSpan, cues: list[Candidate], layout: _Layout,
                para: tuple[int, int]) -> Candidate | None:
    """The speech cue in the quote's own sentences, or in the short sentence just after/before it."""
    text = doc_text(doc)
    lo_s = layout.sent(first.outer_start)
    hi_s = layout.sent(max(first.outer_start, last.outer_end - 1))
    window = []
    if lo_s >= 0:
        window.append((layout.sents[lo_s].start_char, layout.sents[max(lo_s, hi_s)].end_char))
        if hi_s + 1 < len(layout.sents):
            nxt = layout.sents[hi_s + 1]
            if nxt.start_char < para[1] and len(nxt) <= 14:
                window.append((nxt.start_char, nxt.end_char))
        if lo_s - 1 >= 0:
            prv = layout.sents[lo_s - 1]
            if prv.start_char >= para[0] and prv.text.rstrip().endswith(":"):
                window.append((prv.start_char, prv.end_char))
    colon = text[para[0]:first.outer_start].rstrip().endswith(":")
    best, best_d = None, None
    for c in cues:
        pos = c.cue_span[0]
        if c.source is None or not any(a <= pos < b for a, b in window):
            continue
        if first.outer_start <= pos < last.outer_end or not (para[0] <= pos < para[1]):
            continue
        # "… put it bluntly: “…”": before a colon any verb with a subject introduces the quote
        if verb_class(c.lemma) not in ("speech", "belief") and c.pattern != "bare" and not (
                colon and pos < first.outer_start):
            continue
        src = doc[c.source]
        if first.start <= src.idx < last.end:
            continue
        d = pos - last.outer_end if pos >= last.outer_end else (first.outer_start - pos) + 40
        if best_d is None or d < best_d:
            best, best_d = c, d
    return best


# --------------------------------------------------------------------------- output

def _build(doc: Doc, attrs: list[_Attr]) -> list[Quote]:
    resolver = SpeakerResolver(doc)
    text = doc_text(doc)
    quotes: list[Quote] = []
    for a in attrs:
        ref = None
        if a.copy_of is not None and a.copy_of.ref is not None:
            ref = a.copy_of.ref
        elif a.label is not None:
            name = text[a.label[0]:a.label[1]]
            actor = actor_at(doc, *a.label)
            ref = ActorRef(name=actor.name if actor else name, actor_id=actor.id if actor else None,
                           start=a.label[0], end=a.label[1], text=name)
        elif a.source is not None:
            head = doc[a.source]
            antecedent = None
            if head.lower_ in REL_PRONOUNS and a.cue_tok is not None and doc[a.cue_tok].dep_ == "relcl":
                antecedent = doc[a.cue_tok].head
            ref = resolver.resolve(head, antecedent)
            resolver.note_speaker(head, ref)
        a.ref = ref
        addressee = resolver.resolve(doc[a.addressee]) if a.addressee is not None else None
        for frags in _pieces(text, [(s, e) for s, e in a.fragments if e > s]):
            start, end = frags[0][0], frags[-1][1]
            quotes.append(Quote(
                id=f"Q{len(quotes) + 1}", kind=a.kind, start=start, end=end, text=text[start:end],
                fragments=[TextSpan(start=s, end=e, text=text[s:e]) for s, e in frags] if len(frags) > 1 else [],
                speaker=ref,
                cue=TextSpan(start=a.cue[0], end=a.cue[1], text=text[a.cue[0]:a.cue[1]]) if a.cue else None,
                addressee=addressee,
                medium=text[a.medium[0]:a.medium[1]] if a.medium else None,
                belief=verb_class(a.lemma) == "belief",
                confidence=round(a.score, 3),
            ))
    return quotes


def _pieces(text: str, frags: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group fragments into quotes: a quote split by its cue ("A, he said, B") stays one quote with
    fragments; parts further apart (``“A,” said X, a lawyer who …. “B.”``) become quotes of their own."""
    groups: list[list[tuple[int, int]]] = []
    for f in sorted(frags):
        if groups and _words(text[groups[-1][-1][1]:f[0]]) <= 4 and "\n" not in text[groups[-1][-1][1]:f[0]]:
            groups[-1].append(f)
        else:
            groups.append([f])
    return groups


def _marked(doc: Doc, top: list[QuotedSpan], attrs: list[_Attr]) -> list[MarkedPhrase]:
    """Quoted phrases that are not (the whole of) a direct quote: scare quotes and titles."""
    text = doc_text(doc)
    direct = [f for a in attrs if a.kind == "direct" for f in a.fragments]
    out = []
    for q in top:
        phrase = text[q.start:q.end]
        n = _words(phrase)
        covered = any(_overlap((q.start, q.end), f) for f in direct)
        if covered and (n >= MIN_QUOTE_WORDS or (q.start, q.end) in direct) and not _is_title(phrase):
            continue  # a quotation, or a short one standing as an utterance (“Absolutely,” he said)
        if not covered and n > 6 and not _is_title(phrase):
            continue
        out.append(MarkedPhrase(start=q.start, end=q.end, text=phrase,
                                kind="title" if _is_title(phrase) else "scare_quote"))
    return out
