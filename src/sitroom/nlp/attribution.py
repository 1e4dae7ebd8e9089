"""Attribution candidates read off the dependency parse, and the model that scores them.

An attribution has three parts: a *cue* (said, told, believes, according to, his claim that), a
*source* (who says it) and *content* (what is said). The parse gives all three: the source is the
cue's subject (or the agent of a passive, the object of "according to", the possessor of a noun
cue), the content its clausal complement, its object, or — for a parenthetical or trailing cue
("…, experts say") — the clause the cue hangs on.

Every verb with a subject and a complement, every "according to" and every statement noun
becomes a `Candidate`; a linear model (weights in `data/attribution_model.json`, trained on the
PolNeAR training split by `sitroom train-attribution`) tells which of them are attributions. Most
verbs with an object are not ("Russia sent troops"); which are depends on the verb, the pattern
and the source, and that is what the model weighs. Without a model file, the lexicon class alone
decides (speech and belief verbs with a clausal complement are attributions).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from sitroom.nlp.extensions import doc_text
from sitroom.nlp.lexicon import is_cue_noun, is_medium_noun, verb_class

PERSONAL_PRONOUNS = frozenset("i me we us you he him she her they them it".split())
REL_PRONOUNS = frozenset("who whom that which".split())
#: heads whose "of" phrase is part of the mention ("one of his advisers", "some of the donors")
PARTITIVE_HEADS = frozenset("one some many most all several none few both each half majority members".split())
_OBJ_DEPS = frozenset(("dobj", "xcomp", "oprd", "dative", "attr", "acomp", "pcomp"))
_CONTENT_PREPS = frozenset(("about", "on", "of", "for", "over", "against", "as", "that", "into", "with", "to", "at"))
_SUBJ_DEPS = frozenset(("nsubj", "csubj"))
_MENTION_LEFT = frozenset(("det", "amod", "compound", "nummod", "poss", "nmod", "quantmod", "case"))
_EDGE_JUNK = " \t\n,;:—–-\"“”„‟«»‘’‚‛'‹›`"
_VERB_POS = frozenset(("VERB", "AUX"))
_TELL_LIKE = frozenset(("tell", "inform", "assure", "remind", "warn", "ask", "urge", "brief", "notify", "advise"))


@dataclass(slots=True)
class Candidate:
    """One possible attribution: cue token, source token (local mention head), content fragments."""

    cue: int
    cue_span: tuple[int, int]
    pattern: str
    source: int | None
    content: list[tuple[int, int]]
    lemma: str
    addressee: int | None = None
    medium: tuple[int, int] | None = None
    features: list[str] = field(default_factory=list)
    score: float = 0.0
    inherited: bool = False  # the source is the subject of another verb ("…, adding that")

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    @property
    def length(self) -> int:
        return sum(b - a for a, b in self.content)


# --------------------------------------------------------------------------- spans

def _frag(doc: Doc, i: int, j: int) -> tuple[int, int] | None:
    """Character span of tokens i..j inclusive, trimmed of edge punctuation and quote marks."""
    if j < i:
        return None
    a, b = doc[i].idx, doc[j].idx + len(doc[j].text)
    text = doc_text(doc)
    while a < b and text[a] in _EDGE_JUNK:
        a += 1
    while b > a and text[b - 1] in _EDGE_JUNK:
        b -= 1
    if not any(ch.isalnum() for ch in text[a:b]):
        return None
    return (a, b)


def _minus(doc: Doc, lo: int, hi: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fragments of tokens lo..hi inclusive with the token ranges `holes` cut out."""
    out, cur = [], lo
    for a, b in sorted(holes):
        if b < cur or a > hi:
            continue
        f = _frag(doc, cur, a - 1)
        if f:
            out.append(f)
        cur = max(cur, b + 1)
    f = _frag(doc, cur, hi)
    if f:
        out.append(f)
    return out


def entity_bounds(tok: Token) -> tuple[int, int] | None:
    """Token range [i, j) of the named entity `tok` is in, if any."""
    if tok.ent_iob_ == "O" or not tok.ent_type_:
        return None
    doc = tok.doc
    i = tok.i
    while i > 0 and doc[i].ent_iob_ == "I":
        i -= 1
    j = tok.i + 1
    while j < len(doc) and doc[j].ent_iob_ == "I":
        j += 1
    return i, j


def mention_bounds(tok: Token) -> tuple[int, int]:
    """Token range [i, j) of the local mention headed by `tok` ("a senior official", "Rob Lee")."""
    i, j = _mention_bounds(tok)
    doc = tok.doc
    while i < j - 1 and (not any(ch.isalnum() for ch in doc[i].text) or "\n" in doc[i:j].text):
        i += 1
    while j - 1 > i and not any(ch.isalnum() for ch in doc[j - 1].text):
        j -= 1
    return i, j


def _mention_bounds(tok: Token) -> tuple[int, int]:
    ent = entity_bounds(tok)
    if ent and tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return ent
    if tok.pos_ == "PRON" or tok.lower_ in REL_PRONOUNS:
        return tok.i, tok.i + 1
    for child in tok.rights:  # "the CSTO's secretary general, Stanislav Zas"
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            ent = entity_bounds(child)
            if ent:
                return ent
    if ent:
        return ent
    lo = tok.i
    lefts = [c for c in tok.lefts if c.dep_ in _MENTION_LEFT]
    if tok.tag_ in ("NNS", "NNPS") and any(c.lower_ in ("a", "an") for c in lefts):
        lefts = []  # "a move experts tell …": the article belongs to another noun (a bad parse)
    for child in lefts:
        lo = min(lo, child.left_edge.i)
    hi = tok.i + 1
    if tok.lower_ in PARTITIVE_HEADS:
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                hi = child.right_edge.i + 1
    while lo < tok.i and (not any(ch.isalnum() for ch in tok.doc[lo].text) or "\n" in tok.doc[lo:tok.i].text):
        lo += 1
    return lo, hi


# --------------------------------------------------------------------------- sources

def _subject(verb: Token, quotes: QuoteIndex | None = None, depth: int = 0) -> tuple[Token | None, str]:
    """The source of `verb` and how it was found (active, agent, inherited, relative, passive).

    A subject inside quote marks loses to one outside them: in ``“Full panic mode,” said Wimes``
    the parser may read both "mode" and "Wimes" as subjects of "said".
    """
    subjects = [c for c in verb.children if c.dep_ in _SUBJ_DEPS]
    if len(subjects) > 1:
        # "The port reopened on Monday, officials said": the parser may take both noun phrases for
        # subjects; the source is the one nearest the verb and outside quote marks
        subjects.sort(key=lambda c: (quotes is not None and quotes.inside(c.idx), abs(verb.i - c.i)))
    for child in subjects:
        if child.lower_ in REL_PRONOUNS and verb.dep_ == "relcl":
            return child, "relative"
        return child, "active"
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj, "agent"
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return None, "passive"
    if depth < 3 and verb.head is not verb:
        if verb.dep_ == "xcomp":
            # "a reporter can be heard asking", "she was urged to say": a passive's subject is also
            # its complement's
            passive = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
            if passive is not None and not any(c.dep_ == "agent" for c in verb.head.children):
                return passive, "inherited"
        if verb.dep_ == "relcl":
            return verb.head, "relative_head"
        donor = _subject_donor(verb)
        if donor is not None:
            src, how = _subject(donor, quotes, depth + 1)
            return src, "inherited" if src is not None else how
    return None, "none"


def _subject_donor(verb: Token) -> Token | None:
    """The verb whose subject a subjectless `verb` shares: the first conjunct ("said and added"), the
    clause a participle or control complement hangs on ("…, saying", "wants to say"), the main verb
    of a prepositional participle ("ended by saying")."""
    head = verb.head
    if verb.dep_ == "conj" and head.pos_ in _VERB_POS:
        return head
    if verb.dep_ in ("advcl", "xcomp", "acl") and (verb.tag_ == "VBG" or verb.dep_ == "xcomp"):
        if verb.dep_ == "advcl" and head.dep_ == "ccomp" and verb_class(head.head.lemma_) in ("speech", "belief") \
                and verb.i > 0 and verb.doc[verb.i - 1].text == "," and verb.i > head.head.i:
            # "Trump said a wall would keep them out, saying it is …": the parser hangs the closing
            # participle on the nearest verb, inside the content; it belongs to the speaker
            return head.head
        return head
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep" and head.head.pos_ in _VERB_POS:
        return head.head
    return None


def subject_of(verb: Token, quotes: QuoteIndex | None = None) -> Token | None:
    """The source token of `verb` as the candidates read it (subject, agent, inherited subject)."""
    return _subject(verb, quotes)[0]


def _noun_source(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


# --------------------------------------------------------------------------- candidates

class QuoteIndex:
    """Which character positions lie inside quoted text (built once per doc)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.spans = merged

    def inside(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and self.spans[k][0] <= pos < self.spans[k][1]

    def quoted_chars(self, a: int, b: int) -> int:
        total = 0
        k = max(0, bisect_right(self.starts, a) - 1)
        while k < len(self.spans) and self.spans[k][0] < b:
            s, e = self.spans[k]
            total += max(0, min(b, e) - max(a, s))
            k += 1
        return total


def _medium_and_addressee(verb: Token) -> tuple[tuple[int, int] | None, Token | None]:
    """ "in a statement", "in an interview with Kommersant", "on Fox News"; and who was addressed."""
    medium = addressee = None
    for child in verb.children:
        if child.dep_ != "prep" or child.lower_ not in ("in", "on", "during", "at"):
            continue
        pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        if is_medium_noun(pobj.lemma_) or (child.lower_ == "on" and pobj.ent_type_ in ("ORG", "WORK_OF_ART")):
            lo = pobj.i
            for c in pobj.lefts:
                if c.dep_ in ("compound", "nmod") or (c.dep_ == "amod" and c.lower_ in ("press", "televised")):
                    lo = min(lo, c.left_edge.i)
            medium = (pobj.doc[lo].idx, pobj.right_edge.idx + len(pobj.right_edge.text))
            for c in pobj.children:  # an interview with Kommersant
                if c.dep_ == "prep" and c.lower_ == "with":
                    addressee = next((x for x in c.children if x.dep_ == "pobj"), addressee)
    return medium, addressee


def _layout_source(verb: Token, quotes: QuoteIndex) -> Token | None:
    """The source by layout when the parse has none: ``“…,” Flynn, a top surrogate, said`` or
    ``“…,” said Flynn`` — the name right after the closing mark, or right after the verb."""
    doc = verb.doc
    sent = verb.sent
    k = verb.i - 1
    while k >= sent.start and not quotes.inside(doc[k].idx) and doc[k].text not in ("”", '"', "“", "''"):
        k -= 1
    if k >= sent.start and k < verb.i - 1:  # a closing mark before the verb: take what follows it
        tok = doc[k + 1]
        if tok.is_punct and k + 2 < verb.i:
            tok = doc[k + 2]
        if tok.pos_ in ("PROPN", "PRON", "NOUN", "DET", "ADJ"):
            while tok.dep_ in ("compound", "amod", "det", "poss", "case") and tok.head.i < verb.i:
                tok = tok.head
            return tok
    if verb.i + 1 < sent.end and verb.tag_ in ("VBD", "VBZ", "VBP") and verb.lemma_ not in _TELL_LIKE and (
            doc[verb.i + 1].pos_ == "PROPN" or doc[verb.i + 1].ent_type_ in ("PERSON", "ORG")):
        # "…,” said Flynn — but never "asking Trump", "told Reuters", "described Trump as": there the
        # name is the addressee or the object
        tok = doc[verb.i + 1]
        while tok.dep_ == "compound" and tok.head.i > tok.i:
            tok = tok.head
        return tok
    if k == verb.i - 1 and verb.i + 1 < sent.end:
        # “…,” said Skelly, …: a capitalised word alone in the speaker's slot is a name the tagger missed
        nxt = doc[verb.i + 1]
        if nxt.is_title and nxt.pos_ in ("ADV", "ADJ", "NOUN", "VERB") and nxt.ent_type_ not in NOT_SOURCES \
                and (verb.i + 2 >= sent.end or doc[verb.i + 2].text in (",", ".", ";")):
            return nxt
    if k == verb.i - 1 and verb.i + 1 < sent.end and doc[verb.i + 1].pos_ in ("DET", "ADJ", "NOUN", "NUM"):
        # “…,” tweeted a German user from Hanover: the noun phrase right after the verb
        tok = doc[verb.i + 1]
        while tok.dep_ in ("det", "amod", "compound", "nummod", "poss") and tok.head.i > tok.i \
                and tok.head.i - verb.i <= 5:
            tok = tok.head
        if tok.pos_ in ("NOUN", "PROPN") and not quotes.inside(tok.idx):
            return tok
    return None


#: entity types that never say anything ("Saturday at the convention Warren said": a misparse)
NOT_SOURCES = frozenset(("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"))
_SKIP_BEFORE_VERB = frozenset(("ADV", "AUX", "PART"))


def adjacent_source(verb: Token, quotes: QuoteIndex) -> Token | None:
    """The mention written right before `verb` when the parse gives it none or a wrong one
    (``her adviser, Jake Sullivan, said``; ``Sen. Elizabeth Warren (D-MA) said``): adverbs, auxiliaries,
    commas and a parenthesis may stand between; any other word, a verb or a quote mark stops the search."""
    doc = verb.doc
    k = verb.i - 1
    lo = verb.sent.start
    while k >= lo:
        tok = doc[k]
        if tok.text == ")":  # skip a parenthesis "(D-MA)"
            j = k - 1
            while j >= lo and doc[j].text != "(" and k - j < 8:
                j -= 1
            if j < lo or doc[j].text != "(":
                return None
            k = j - 1
            continue
        if tok.text in (",", "—", "–") or tok.pos_ in _SKIP_BEFORE_VERB or tok.is_space:
            k -= 1
            continue
        break
    if k < lo:
        return None
    tok = doc[k]
    if quotes.inside(tok.idx) or tok.ent_type_ in NOT_SOURCES:
        return None
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.pos_ == "PROPN" or (
            tok.pos_ == "PRON" and tok.lower_ in PERSONAL_PRONOUNS):
        return tok
    return None


def _own_cue_clause(tok: Token, verb: Token) -> tuple[int, int] | None:
    """Token range of a clause inside another cue's content that is an attribution of its own: a
    participle after a comma (``…, saying …``, ``…, calling him “…”``) or a non-restrictive relative
    clause with its own speaker (``…, which he called “a disgrace”``). It is reported separately, so
    it is cut out."""
    if tok is verb or tok.pos_ != "VERB" or verb_class(tok.lemma_) not in ("speech", "belief"):
        return None
    doc = tok.doc
    lo = tok.left_edge.i
    if tok.dep_ == "relcl" and doc[lo].lower_ in ("which", "whom", "who", "that") and lo > 0 \
            and doc[lo - 1].text == "," and any(c.dep_ in _SUBJ_DEPS and c.i != lo for c in tok.children):
        return lo - 1, tok.right_edge.i  # ", which he called “a disgrace”": the relative clause's own report
    if lo < tok.i and doc[lo].dep_ not in ("advmod", "cc", "punct"):
        return None  # the clause has its own subject before the cue: "he told her that …"
    before = doc[lo - 1] if lo > 0 else None
    if tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj", "acl") and before is not None and (
            before.text in (",", "—", "–", ";") or doc[lo].text in (",", "—", "–")):
        return (lo - 1 if before.text in (",", "—", "–", ";") else lo), tok.right_edge.i
    return None


def _cut_nested(doc: Doc, verb: Token, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`content` without the clauses that attribute something of their own (`_own_cue_clause`)."""
    out = []
    for a, b in content:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or len(span) < 3:
            out.append((a, b))
            continue
        holes = [h for t in span[1:] if (h := _own_cue_clause(t, verb)) is not None and h[0] > span.start]
        if not holes:
            out.append((a, b))
            continue
        for f in _minus(doc, span.start, span.end - 1, holes):
            out.append((max(a, f[0]), min(b, f[1])))
    return [(a, b) for a, b in out if b > a]


def _verb_candidate(doc: Doc, verb: Token, sent: Span, quotes: QuoteIndex) -> Candidate | None:
    src, how = _subject(verb, quotes)
    if (src is None or quotes.inside(src.idx)) and not quotes.inside(verb.idx) and verb_class(verb.lemma_) == "speech":
        alt = _layout_source(verb, quotes)
        if alt is not None:
            src, how = alt, "layout"
    if (src is None and how in ("none", "passive") and verb_class(verb.lemma_) == "speech") or (
            src is not None and src.ent_type_ in NOT_SOURCES):
        alt = adjacent_source(verb, quotes)
        if alt is not None and alt is not src:
            src, how = alt, "adjacent"
    if src is None:
        return None
    lo_s, hi_s = sent.start, sent.end - 1
    # a complement — or a quotation the parser took for a second subject or an object
    ccomps = [c for c in verb.children if c.dep_ == "ccomp" or (
        c is not src and c.i < verb.i and c.dep_ in ("nsubj", "dobj", "npadvmod", "advcl", "parataxis")
        and not quotes.inside(verb.idx)
        and (quotes.inside(c.idx) or (c.dep_ == "nsubj" and c.right_edge.i + 1 < verb.i
                                      and doc[c.right_edge.i + 1].text in (",", "—", "–"))))]
    content: list[tuple[int, int]] = []
    pattern = ""
    addressee = None
    # "…, experts say; Russian nationalists have long claimed …": a clause after a semicolon is not
    # what the cue reports
    ccomps = [c for c in ccomps if c.i < verb.i or not any(t.text == ";" for t in doc[verb.i:c.left_edge.i])]
    if any(c.i < verb.i for c in ccomps) and any(c.i > verb.i for c in ccomps):
        # "a move experts tell The Daily Beast is the first …": unquoted text before the cue is
        # not its content when a complement follows it
        ccomps = [c for c in ccomps if c.i > verb.i or quotes.inside(c.idx)]
    if ccomps:
        # the source never belongs to the content (a bad parse can hang it inside the clause)
        hole = [(src.left_edge.i, src.right_edge.i)] if src.left_edge.i > lo_s or src.i > verb.i else []
        for c in ccomps:
            lo, hi = max(lo_s, c.left_edge.i), min(hi_s, c.right_edge.i)
            if hole and lo <= hole[0][0] <= hi:
                content += _minus(doc, lo, hi, [(hole[0][0], hi)] if hole[0][0] > lo else hole)
            else:
                f = _frag(doc, lo, hi)
                if f:
                    content.append(f)
        before = all(c.i < verb.i for c in ccomps)
        after = all(c.i > verb.i for c in ccomps)
        pattern = "ccomp_before" if before else "ccomp_after" if after else "ccomp_both"
        first_after = min((c.left_edge.i for c in ccomps if c.i > verb.i), default=len(doc))
        addressee = next((c for c in verb.children
                          if c.dep_ in ("dobj", "dative") and verb.i < c.i < first_after), None)
    elif verb.dep_ == "parataxis" or (verb.dep_ in ("ccomp", "advcl") and verb.head.pos_ in _VERB_POS
                                        and verb.left_edge.i > lo_s and doc[verb.left_edge.i - 1].text == ","
                                        and verb.right_edge.i < hi_s and doc[verb.right_edge.i + 1].text == ","
                                        and verb_class(verb.lemma_) == "speech"):
        head = verb.head
        lo = max(lo_s, head.left_edge.i)
        hi = min(hi_s, head.right_edge.i)
        content = _minus(doc, lo, hi, [(verb.left_edge.i, verb.right_edge.i)])
        pattern = "parenthetical"
    elif how == "agent" and any(c.dep_ == "nsubjpass" for c in verb.children):
        # "The nominee has been endorsed by dozens of papers": the passive subject is the content
        subj = next(c for c in verb.children if c.dep_ == "nsubjpass")
        f = _frag(doc, max(lo_s, subj.left_edge.i), subj.right_edge.i)
        if f:
            content = [f]
        pattern = "passive"
    else:
        objs = [c for c in verb.children if c.i > verb.i and (
            c.dep_ in _OBJ_DEPS or (c.dep_ == "prep" and c.lower_ in _CONTENT_PREPS and not _is_when(c))
            or (c.dep_ == "advcl" and c.tag_ == "VBG"))]
        if verb.lemma_ in _TELL_LIKE:  # "urged them to …", "asking Trump": the object is the addressee
            addressee = next((c for c in objs if c.dep_ in ("dobj", "dative")), None)
            objs = [c for c in objs if c.dep_ not in ("dobj", "dative") or c.pos_ not in ("PRON", "PROPN")]
        if objs:
            lo = min(c.left_edge.i for c in objs)
            hi = min(hi_s, max(c.right_edge.i for c in objs))
            # cut out a medium or time phrase inside the range ("said in a statement that")
            f = _frag(doc, lo, hi)
            if f:
                content = [f]
            pattern = "obj_" + objs[0].dep_
    if not content:
        if verb_class(verb.lemma_) in ("speech", "belief") or _right_after_quote(verb, src, quotes):
            # "he said." / "Caddell continued:" / "“…?” Hannity pressed." (any verb in that slot)
            return Candidate(cue=verb.i, cue_span=(verb.idx, verb.idx + len(verb.text)), pattern="bare",
                             source=src.i, content=[], lemma=verb.lemma_.lower(), inherited=how == "inherited")
        return None
    content = _cut_nested(doc, verb, content)
    if not content:
        return None
    if how == "active" and src.i > verb.i:
        how = "inverted"
    medium, addr2 = _medium_and_addressee(verb)
    cue_hi = verb.i + 1
    for c in verb.rights:  # phrasal cues: pointed out, went on
        if c.dep_ == "prt" and c.i == cue_hi:
            cue_hi += 1
    cand = Candidate(cue=verb.i, cue_span=(verb.idx, doc[cue_hi - 1].idx + len(doc[cue_hi - 1].text)),
                     pattern=pattern, source=src.i, content=content, lemma=verb.lemma_.lower(),
                     addressee=(addressee or addr2).i if (addressee or addr2) is not None else None,
                     medium=medium, inherited=how == "inherited")
    cand.features.append("how=" + how)
    return cand


_CLOSING_MARKS = frozenset(("”", '"', "''", "»", "’"))


def _right_after_quote(verb: Token, src: Token, quotes: QuoteIndex) -> bool:
    """A finite verb and its subject standing right after a quotation that ends with , ? or !
    ("“Would it be negotiable?” Hannity pressed", "“…!” the crowd roared"): whatever the verb, that
    slot attributes the quotation."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or (src.i > verb.i and src.i - verb.i > 4):
        return False
    doc = verb.doc
    k = min(src.left_edge.i, verb.i) - 1
    return (k >= 1 and doc[k].text in _CLOSING_MARKS and doc[k - 1].text in (",", "?", "!")
            and quotes.inside(doc[k - 1].idx))


def _is_when(prep: Token) -> bool:
    """A time phrase ("spoke on Monday", "said at noon"), not what was said."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _adjective_candidate(doc: Doc, adj: Token, sent: Span, quotes: QuoteIndex) -> Candidate | None:
    """ "Many Democrats are afraid that …", "Clinton aides were coy about …": the copula's subject holds
    the stance, the adjective's complement is its content."""
    comp = [c for c in adj.children if c.i > adj.i and (c.dep_ in ("ccomp", "xcomp")
                                                       or (c.dep_ == "prep" and c.lower_ in _CONTENT_PREPS))]
    if not comp:
        return None
    src, how = _subject(adj.head, quotes)
    if src is None:
        return None
    f = _frag(doc, comp[0].left_edge.i, min(sent.end - 1, comp[-1].right_edge.i))
    if not f:
        return None
    cand = Candidate(cue=adj.i, cue_span=(adj.idx, adj.idx + len(adj.text)), pattern="adj_" + comp[0].dep_,
                     source=src.i, content=[f], lemma=adj.lemma_.lower(), inherited=how == "inherited")
    cand.features.append("how=" + how)
    return cand


def _according_candidate(doc: Doc, tok: Token, sent: Span) -> Candidate | None:
    to = doc[tok.i + 1]
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:  # a parse that hangs the source elsewhere: the noun phrase after "to"
        k = to.i + 1
        while k < sent.end and doc[k].pos_ in ("DET", "ADJ", "PROPN", "NOUN", "PRON", "NUM", "PART"):
            k += 1
        src = doc[k - 1] if k - 1 > to.i else None
    if src is None:
        return None
    # what "according to" vouches for is the sentence it stands in (minus itself), whatever
    # clause the parser hung it on
    lo, hi = sent.start, sent.end - 1
    hole = (min(tok.left_edge.i, tok.i), max(tok.right_edge.i, src.right_edge.i if src is not None else tok.i))
    content = _minus(doc, lo, hi, [hole])
    if not content:
        return None
    return _vouched_for(tok, (tok.idx, to.idx + len(to.text)), src, content)


def _vouched_for(cue: Token, cue_span: tuple[int, int], src: Token, content: list[tuple[int, int]]) -> Candidate:
    """A candidate of the "according to" kind: `src` vouches for `content`, whatever the verb."""
    cand = Candidate(cue=cue.i, cue_span=cue_span, pattern="according", source=src.i, content=content,
                     lemma="according to")
    cand.features.append("how=according")
    return cand


#: documents that report findings: "In a Quinnipiac poll released Tuesday, Clinton leads …" says what the
#: poll found, as "according to the poll" would
FINDING_NOUNS = frozenset(("poll", "survey", "study", "report", "analysis", "census", "audit", "review"))


def _first_word(sent: Span) -> int:
    i = sent.start
    while i < sent.end - 1 and (sent.doc[i].is_space or sent.doc[i].is_punct):
        i += 1
    return i


def _finding_candidate(doc: Doc, tok: Token, sent: Span) -> Candidate | None:
    """``In <a poll/survey/study …>, <clause>``: the clause is what the document found."""
    src = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if src is None or src.lemma_.lower() not in FINDING_NOUNS:
        return None
    end = tok.right_edge.i
    if end + 1 >= sent.end or doc[end + 1].text != ",":
        return None  # only a fronted phrase set off by a comma frames the whole sentence
    content = _minus(doc, sent.start, sent.end - 1, [(tok.i, end + 1)])
    if not content:
        return None
    return _vouched_for(tok, (tok.idx, tok.idx + len(tok.text)), src, content)


def _noun_candidate(doc: Doc, noun: Token, sent: Span) -> Candidate | None:
    comp = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i]
    comp = [c for c in comp if c.dep_ != "relcl" or any(x.dep_ == "mark" for x in c.children)]
    if not comp:
        return None
    src = _noun_source(noun)
    how = "poss"
    if src is None and noun.dep_ in ("dobj", "attr") and noun.head.pos_ in _VERB_POS:
        src, how = _subject(noun.head, None)  # "Trump made the proposal to ban …"
        how = "verb_subject" if src is not None else how
    if src is None:
        return None
    c = comp[0]
    f = _frag(doc, c.left_edge.i, min(sent.end - 1, c.right_edge.i))
    if not f:
        return None
    cand = Candidate(cue=noun.i, cue_span=(noun.idx, noun.idx + len(noun.text)), pattern="noun", source=src.i,
                     content=[f], lemma=noun.lemma_.lower())
    cand.features.append("how=" + how)
    return cand


def candidates(doc: Doc, sents: list[Span], quotes: QuoteIndex,
               allowed: list[tuple[int, int]] | None = None) -> tuple[list[Candidate], list[Candidate]]:
    """Every attribution candidate in `sents`, with its features (unscored); and the bare speech cues
    with a source but no complement ("he said.", "Lee continued:"), which direct quotes may attach to."""
    out: list[Candidate] = []
    bare: list[Candidate] = []
    ranges = sorted(allowed) if allowed is not None else None
    starts = [a for a, _ in ranges] if ranges is not None else []
    for sent in sents:
        for tok in sent:
            if ranges is not None:
                k = bisect_right(starts, tok.idx) - 1
                if k < 0 or tok.idx >= ranges[k][1]:
                    continue  # a cue outside the body (a sentence the parser ran over a headline)
            pos = tok.pos_
            cand = None
            if tok.lower_ == "according":
                if tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
                    cand = _according_candidate(doc, tok, sent)
            elif tok.lower_ == "in" and tok.i == _first_word(sent) and tok.dep_ == "prep":
                cand = _finding_candidate(doc, tok, sent)
            elif pos == "ADJ" and tok.dep_ == "acomp" and tok.head.pos_ in _VERB_POS:
                cand = _adjective_candidate(doc, tok, sent, quotes)
            elif pos in _VERB_POS and tok.text[:1].isalpha():
                if pos == "AUX" and not any(c.dep_ == "ccomp" for c in tok.children):
                    continue
                cand = _verb_candidate(doc, tok, sent, quotes)
            if cand is None:
                continue
            if not cand.content:
                bare.append(cand)
                continue
            _features(doc, cand, quotes)
            out.append(cand)
    return out, bare


# --------------------------------------------------------------------------- features

def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def source_kind(tok: Token) -> str:
    if tok.lower_ in REL_PRONOUNS and tok.dep_ in _SUBJ_DEPS:
        return "rel"
    if tok.pos_ == "PRON":
        return "pron_" + tok.lower_
    if tok.ent_type_:
        return "ent_" + tok.ent_type_
    if tok.pos_ == "PROPN":
        return "propn"
    return "noun"


def _features(doc: Doc, cand: Candidate, quotes: QuoteIndex) -> None:
    f = cand.features
    cue = doc[cand.cue]
    lemma = cand.lemma
    cls = "according" if cand.pattern == "according" else (
        ("n_" + ("lex" if is_cue_noun(cue.lemma_) else "other")) if cand.pattern == "noun"
        else (verb_class(lemma) or "none"))
    pat = cand.pattern
    src = doc[cand.source] if cand.source is not None else None
    sk = source_kind(src) if src is not None else "none"
    ntok = sum(1 for t in doc[doc[cand.cue].sent.start:doc[cand.cue].sent.end]
               if cand.start <= t.idx < cand.end)
    qfrac = quotes.quoted_chars(cand.start, cand.end) / max(1, cand.end - cand.start)
    qb = "0" if qfrac == 0 else "lo" if qfrac < 0.5 else "hi"
    neg = any(c.dep_ == "neg" for c in cue.children)
    f += ["bias", "lemma=" + lemma, "cls=" + cls, "pat=" + pat, "lemma_pat=" + lemma + "|" + pat,
          "cls_pat=" + cls + "|" + pat, "dep=" + cue.dep_, "cls_dep=" + cls + "|" + cue.dep_,
          "tag=" + cue.tag_, "cls_tag=" + cls + "|" + cue.tag_,
          "src=" + sk, "cls_src=" + cls + "|" + sk, "len=" + _bucket(ntok, (1, 3, 7, 15, 30)),
          "cls_len=" + cls + "|" + _bucket(ntok, (1, 3, 7, 15, 30)), "q=" + qb, "cls_q=" + cls + "|" + qb,
          "pat_q=" + pat + "|" + qb, "lemma_q=" + lemma + "|" + qb]
    f += ["lemma_src=" + lemma + "|" + sk, "lemma_dep=" + lemma + "|" + cue.dep_,
          "pat_src=" + pat + "|" + sk, "pat_len=" + pat + "|" + _bucket(ntok, (1, 3, 7, 15, 30))]
    if neg:
        f.append("neg")
    auxes = [c.lower_ for c in cue.children if c.dep_ in ("aux", "auxpass")]
    if any(a in ("has", "have", "had") for a in auxes):
        f += ["perfect", "cls_perfect=" + cls]
    if any(a in ("will", "would", "could", "might", "may", "should", "can", "must") for a in auxes):
        f += ["modal", "cls_modal=" + cls]
    if any(c.dep_ == "advmod" and c.lower_ in ("long", "often", "always", "repeatedly", "frequently")
           for c in cue.children):
        f.append("habitual")
    if src is not None and src.pos_ == "NOUN" and not src.ent_type_:
        f += ["srclemma=" + src.lemma_.lower(), "srcnum=" + src.tag_]
    if quotes.inside(cue.idx):
        f += ["cue_in_quote", "cls_cue_in_quote=" + cls]
    if src is not None and quotes.inside(src.idx):
        f.append("src_in_quote")
    if cand.addressee is not None:
        f.append("addressee")
    if cand.medium is not None:
        f.append("medium")
    first = doc[cand.cue].doc.char_span(cand.content[0][0], cand.content[0][1], alignment_mode="expand")
    if first is not None and len(first):
        head = first[0]
        f += ["c0=" + head.lower_ if head.lower_ in ("that", "if", "whether", "to", "how", "what", "why") else "c0=x"]
        root = first.root
        f += ["croot=" + root.pos_, "cls_croot=" + cls + "|" + root.pos_]
        if root.pos_ == "PRON" or (len(first) == 1 and first[0].pos_ == "PRON"):
            f.append("content_pron")
    if len(cand.content) > 1:
        f.append("split")
    if src is not None and src.pos_ == "PRON" and src.lower_ == "it":
        f.append("src_it")


# --------------------------------------------------------------------------- the model

@lru_cache(maxsize=1)
def load_model() -> dict | None:
    """The trained weights (`data/attribution_model.json`), or None when the file is absent."""
    try:
        text = resources.files("sitroom").joinpath("data/attribution_model.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return json.loads(text)


_FALLBACK = {"cls=speech": 2.0, "cls=belief": 1.0, "cls=according": 3.0, "pat=ccomp_after": 0.5,
             "pat=ccomp_before": 1.0, "pat=parenthetical": 0.5, "bias": -2.0, "cue_in_quote": -1.5}


def score(cands: list[Candidate], model: dict | None = None) -> None:
    """Set `cand.score` to the model's probability that the candidate is an attribution."""
    model = model if model is not None else load_model()
    weights = model["weights"] if model else _FALLBACK
    for c in cands:
        z = sum(weights.get(x, 0.0) for x in c.features)
        c.score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def threshold(model: dict | None = None) -> float:
    model = model if model is not None else load_model()
    return float(model.get("threshold", 0.5)) if model else 0.5
