"""Claims: every assessment or forecast in the body — who expects what, how sure, by when.

A claim starts from an *estimative cue* in a body sentence, never from a plain statement of fact:

- a word of estimative probability ("likely", "almost certainly", "a good chance"),
- a modal of possibility ("may", "might", "could") or an unhedged future ("will", "won't",
  "is going to" — only when someone other than the article holds it),
- a verb of belief with a clause ("U.S. intelligence believes …"; "I don't think … would" is read,
  as English speakers read it, as "probably not"),
- volition or capability ("more than willing to", "able to") — labelled, never a probability,
- a comparative ("less likely", "the risk … reduces") — a direction, never a number.

The words, their ICD 203 bands, ranges and sources are in ``data/estimative.tsv``
(`sitroom.nlp.estimative`). Everything else is read off the dependency parse: the clause the cue
governs is the proposition; ``if``/``unless``/``depending on`` clauses are its conditions; a negation
above the cue flips the band, a negation inside the proposition sets the polarity; a quote
around the cue, a belief verb's subject or a reporting verb above it gives the holder (no holder:
the article itself); a future modal, a future horizon or a predictive verb makes it a forecast.

The holder's *confidence* in their sourcing ("we assess with high confidence") is kept apart from
likelihood, as ICD 203 asks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitroom.model import ActorRef, Claim, Likelihood, Quote, TextSpan, TimeExpr
from sitroom.nlp.estimative import Entry, lexicon, negate
from sitroom.nlp.extensions import actor_at, body_ranges, body_sentences, doc_text, register_extensions
from sitroom.nlp.horizons import find_horizons

# --------------------------------------------------------------------------- word classes
# Grammatical classes, not content: they hold for any news text.

#: Verbs that attribute speech or a view to their subject.
REPORTING = frozenset({
    "say", "tell", "add", "argue", "warn", "note", "write", "suggest", "explain", "insist", "claim",
    "caution", "conclude", "contend", "acknowledge", "state", "stress", "emphasize", "emphasise",
    "observe", "predict", "believe", "think", "assess", "estimate", "report", "announce", "reckon",
    "posit", "speculate", "agree", "remark", "reply", "respond", "continue", "forecast",
    "expect", "judge", "suspect", "fear", "testify", "tweet", "post", "point",
})
#: Reporting verbs that also take abstract subjects ("the data suggest"): their subject must look like a source.
WEAK_REPORTING = frozenset({"suggest", "point", "continue", "respond", "post", "agree", "show", "indicate"})
#: Pronouns that never name a source.
NON_SOURCES = frozenset({"it", "this", "that", "which", "what", "who", "whom", "there", "these", "those"})
#: Verbs whose negation cancels what follows ("that doesn't mean the risk falls").
IMPLICATION = frozenset({"mean", "suggest", "imply", "indicate", "signal", "follow", "show", "prove"})
#: Verbs describing a state: a modal on them assesses the present, not the future.
STATIVE = frozenset({
    "be", "have", "want", "know", "seem", "appear", "mean", "signal", "indicate", "suggest", "reflect",
    "represent", "show", "need", "own", "belong", "exist", "contain", "consist", "like", "prefer",
    "understand", "believe", "think", "matter", "depend", "lack", "deserve", "resemble", "amount",
    "explain", "constitute", "involve", "include", "'s", "’s",
})
PREDICTIVE = frozenset({"expect", "anticipate", "predict", "forecast"})
FUTURE_AUX = frozenset({"will", "'ll", "wo", "shall", "sha"})
PERCEPTION = frozenset({"see", "hear", "feel", "smell", "taste", "watch", "sleep", "breathe"})
FACTIVE_NOUNS = frozenset({"fact", "reality", "truth"})
FIRST_PERSON = frozenset({"i", "we"})
CONDITION_STARTS = ("if ", "unless ", "provided ", "providing ", "assuming ", "as long as ", "so long as ",
                    "in case ", "in the event ", "only if ", "depending on ", "should ")
#: Words that open a sentence to link it to the previous one; not part of any proposition.
DISCOURSE = frozenset({"and", "but", "so", "yet", "or", "instead", "rather", "however", "meanwhile", "also",
                       "moreover", "indeed", "still", "nonetheless", "nevertheless", "then", "thus", "hence"})
#: Sentence openers that continue the speech of the previous, attributed sentence.
CONTINUES_PREVIOUS = frozenset({"instead", "rather"})
#: A sentence opening with these continues into the next sentence's attribution ("X. And Y, she said.").
CONTINUES_INTO_NEXT = frozenset({"and"})
_CONFIDENCE = re.compile(r"\b(high|moderate|medium|low)[- ]confidence\b", re.IGNORECASE)

#: Which cue wins when several govern the same clause (lower first).
PRIORITY = {"comparative": 0, "probability": 1, "not_belief": 2, "possibility": 3, "modal": 4, "will": 5,
            "volition": 6, "capability": 6, "belief": 7}


def norm(token: Token) -> str:
    return token.lower_.replace("’", "'").replace("‘", "'")


# --------------------------------------------------------------------------- cues

@dataclass
class Cue:
    """An estimative cue found in a sentence, and the clause it governs."""

    entry: Entry
    family: str  # phrase | modal | belief | not_belief | volition | capability | change
    pieces: list[Token]  # the words of the phrase as written
    head: Token  # head of the proposition
    subject: Token | None = None  # a belief verb's subject: a holder
    flipped: bool = False  # a negation scopes over the cue
    consumed: set[int] = field(default_factory=set)  # negation tokens used up by the cue
    parenthetical: bool = False  # "…, I think, …": the proposition is the whole clause
    absorbed: list[Cue] = field(default_factory=list)

    @property
    def rank(self) -> int:
        if self.family == "modal":
            return PRIORITY["will" if self.entry.phrase in ("will", "going to") else "modal"]
        if self.family in ("belief", "not_belief", "volition", "capability"):
            return PRIORITY[self.family]
        return PRIORITY.get(self.entry.kind, 3)

    @property
    def is_will(self) -> bool:
        return self.family == "modal" and self.entry.phrase in ("will", "going to")

    @property
    def start(self) -> int:
        return min(t.idx for t in self.pieces)


def _neg_children(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "neg"]


def _aux(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("aux", "auxpass")]


def _is_verbal(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def clause_head(tok: Token) -> Token:
    """The verb heading the clause `tok` is in (climbing through phrases)."""
    cur = tok
    while not _is_verbal(cur) and cur.dep_ != "ROOT" and cur.head != cur:
        cur = cur.head
    return cur


def _expletive_subject(verb: Token) -> bool:
    return any(c.dep_ in ("expl", "nsubj") and c.lower_ in ("it", "there") for c in verb.children)


def _complement(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "acl", "csubj") and _is_verbal(c)), None)


def _in_condition(tok: Token) -> bool:
    """Whether `tok` lies inside an if/unless clause (a condition is not itself a claim)."""
    for anc in [tok, *tok.ancestors]:
        if anc.dep_ == "advcl" and _starts_condition(anc):
            return True
    return False


def _starts_condition(clause: Token) -> bool:
    doc = clause.doc
    left = clause.left_edge
    text = doc_text(doc)[left.idx: left.idx + 40].lower().replace("’", "'") + " "
    return text.startswith(CONDITION_STARTS) and not text.startswith("should have")


class CueFinder:
    """Finds the estimative cues of one sentence."""

    def __init__(self, nlp: Language) -> None:
        lex = lexicon()
        self.phrases: dict[tuple[str, ...], Entry] = {}
        for entry in lex.phrases().values():
            key = tuple(t.lower_.replace("’", "'") for t in nlp.make_doc(entry.phrase))
            self.phrases[key] = entry
        self.max_len = max(len(k) for k in self.phrases)
        self.first_words = {k[0] for k in self.phrases}
        self.modals = lex.by_match("modal")
        self.belief = lex.by_match("belief")
        self.not_belief = lex.by_match("not_belief")
        self.volition = lex.by_match("volition")
        self.capability = lex.by_match("capability")
        self.risk_nouns = lex.words("risk_noun")
        self.change_up = lex.by_match("change_up")
        self.change_down = lex.by_match("change_down")

    # -- one sentence ------------------------------------------------------------------
    def find(self, sent: Span) -> list[Cue]:
        cues: list[Cue] = []
        taken: set[int] = set()
        norms = [norm(t) for t in sent]  # once per sentence: the phrase lookup runs at every token
        i = sent.start
        while i < sent.end:
            cue, length = self._phrase_at(sent, i, norms)
            if cue is not None:
                cues.append(cue)
                taken.update(range(i, i + length))
                i += length
                continue
            i += 1
        for tok in sent:
            if tok.i in taken:
                continue
            for finder in (self._modal, self._belief, self._volition, self._change):
                cue = finder(tok)
                if cue is not None:
                    cues.append(cue)
                    break
        return cues

    # -- words of estimative probability ------------------------------------------------
    def _phrase_at(self, sent: Span, i: int, norms: list[str]) -> tuple[Cue | None, int]:
        doc = sent.doc
        j = i - sent.start
        if norms[j] not in self.first_words:
            return None, 1
        for length in range(min(self.max_len, sent.end - i), 0, -1):
            entry = self.phrases.get(tuple(norms[j: j + length]))
            if entry is None:
                continue
            pieces = list(doc[i: i + length])
            cue = self._phrase_cue(entry, pieces)
            return cue, length
        return None, 1

    def _phrase_cue(self, entry: Entry, pieces: list[Token]) -> Cue | None:
        inside = {t.i for t in pieces}
        anchor = next((t for t in pieces if t.head.i not in inside or t.head == t), pieces[0])
        doc = anchor.doc
        prev = doc[pieces[0].i - 1] if pieces[0].i > 0 else None
        word = entry.phrase
        # attributive uses ("a likely winner", "possible sanctions") state no proposition
        if anchor.dep_ in ("amod", "compound", "nmod") and anchor.head.pos_ in ("NOUN", "PROPN"):
            return None
        if word in ("possible", "impossible") and prev is not None and norm(prev) in ("as", "if", "where",
                                                                                      "whenever", "wherever"):
            return None
        if word == "certain" and not (anchor.dep_ == "acomp" and _complement(anchor) is not None):
            return None
        if word == "remote" and not (anchor.dep_ == "acomp" and any(
                c.dep_ == "nsubj" and c.lemma_.lower() in self.risk_nouns for c in anchor.head.children)):
            return None
        if word in ("no doubt",) and anchor.head.lemma_ in ("cast", "raise", "leave"):
            return None
        if anchor.dep_ == "amod" and anchor.head.pos_ == "PRON":
            return None  # "everything possible"
        after = doc[pieces[-1].i + 1] if pieces[-1].i + 1 < len(doc) else None
        if prev is not None and after is not None and norm(prev) == "as" and norm(after) == "as":
            return None  # "as improbable as it may seem": a comparison, not an estimate
        if anchor.pos_ == "ADV" and len(pieces) == 1 and anchor.head.pos_ in ("NUM", "NOUN", "PROPN", "DET", "PRON"):
            return None  # "perhaps tens of thousands": an approximation
        head = self._phrase_head(anchor)
        if head is None:
            return None
        cue = Cue(entry=entry, family="phrase", pieces=pieces, head=head)
        # a negation on the copula of a predicative cue scopes over it: "is not likely"
        scope = anchor.head if anchor.dep_ in ("acomp", "attr", "oprd") else None
        if anchor.pos_ == "ADV" or anchor.dep_ == "advmod":
            scope = anchor.head
            negs = [n for n in _neg_children(scope) if n.i < anchor.i]
        else:
            negs = _neg_children(scope) if scope is not None else []
        if negs:
            cue.flipped = True
            cue.consumed.update(n.i for n in negs)
            cue.pieces = sorted([*negs, *pieces], key=lambda t: t.i)
        return cue

    def _phrase_head(self, anchor: Token) -> Token | None:
        comp = _complement(anchor)
        if anchor.dep_ in ("acomp", "attr", "oprd"):
            verb = anchor.head
            if comp is not None and comp.dep_ == "xcomp" and not _expletive_subject(verb):
                return verb  # "Russia is likely to invade": the whole clause
            if comp is not None:
                return comp  # "it is possible that …"
            if _expletive_subject(verb):
                other = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "csubj", "advcl")
                              and _is_verbal(c) and c.i > anchor.i), None)
                if other is not None:
                    return other  # "it's less likely you'd see …"
            return verb
        if comp is not None and anchor.pos_ in ("NOUN", "PROPN"):
            return comp  # "a good chance that …", "no doubt that …"
        head = clause_head(anchor)
        return head if _is_verbal(head) or head.dep_ == "ROOT" else None

    # -- modals ---------------------------------------------------------------------------
    def _modal(self, tok: Token) -> Cue | None:
        word = norm(tok)
        if tok.tag_ == "MD" and tok.dep_ in ("aux", "auxpass"):
            key = {"'ll": "will", "wo": "will"}.get(word, word)
            entry = self.modals.get(key)
            if entry is None:
                return None
            head = tok.head
        elif word == "going" and tok.i + 2 < len(tok.doc) and norm(tok.doc[tok.i + 1]) == "to" and any(
                a.lemma_ == "be" for a in _aux(tok)):
            verb = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
            entry = self.modals.get("going to")
            if verb is None or entry is None:
                return None
            head = tok  # "prices are going to rise": the clause of "going", with its subject
        else:
            return None
        if head.dep_ in ("relcl", "acl", "advcl", "csubj", "amod", "pcomp") or _in_condition(head):
            return None
        if tok.tag_ == "MD" and any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i > tok.i for c in head.children):
            return None  # "will she run?", "could the talks fail": subject after the modal asks a question
        if word == "going" and any(a.tag_ == "VBD" for a in _aux(tok)):
            return None  # "was going to": a past plan, narrated
        if head.dep_ != "ROOT" and head.left_edge.tag_ in ("WDT", "WP", "WP$", "WRB") and head.left_edge.i < tok.i:
            return None  # "what effect it might have": an embedded question
        if word in ("could", "might") and any(a.lemma_ == "have" for a in _aux(head)) and head.tag_ == "VBN":
            return None  # "no one could have envisioned": a counterfactual past, not an estimate
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and norm(nxt) in ("as", "well") and tok.i + 2 < len(tok.doc) and \
                norm(tok.doc[tok.i + 2]) in ("well", "as"):
            return None  # "may as well": an idiom, not a possibility
        negs = _neg_children(head) + _neg_children(tok)
        if key_could(entry) and (negs or head.lemma_ in PERCEPTION):
            return None  # "could not confirm", "could see smoke": ability, not possibility
        pieces = [tok] if word != "going" else [tok, tok.doc[tok.i + 1]]
        pieces += [n for n in negs if n.i == pieces[-1].i + 1]  # "won't", "may not"
        return Cue(entry=entry, family="modal", pieces=pieces, head=head)

    # -- belief verbs -------------------------------------------------------------------------
    def _belief(self, tok: Token) -> Cue | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB" or (lemma not in self.belief and lemma not in self.not_belief):
            return None
        if tok.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lemma_ == "have" for a in _aux(tok)):
            return None  # a past belief is narrated, not held
        if tok.dep_ in ("relcl", "acl", "amod", "advcl") or _in_condition(tok):
            return None
        negs = _neg_children(tok)
        passive = any(a.dep_ == "auxpass" for a in _aux(tok))
        comp = next((c for c in tok.children if c.dep_ in ("ccomp", "xcomp") and _is_verbal(c)), None)
        parenthetical = False
        if comp is not None and passive:
            head = tok  # "the talks are expected to fail": the whole clause
        elif comp is not None:
            head = comp
        elif tok.dep_ == "csubj":
            head = tok.head  # "what intelligence believes is a preparation …"
        elif tok.dep_ == "parataxis" and any(c.dep_ == "nsubj" for c in tok.children):
            lo, hi = _paragraph_bounds(tok.doc, tok)
            head, parenthetical = tok.head, True  # "…, I think, …": the clause around it
            while head.dep_ not in ("ROOT", "ccomp", "conj") and head.head != head and lo <= head.head.idx < hi:
                head = head.head
        else:
            return None
        if lemma == "know":
            mark = next((c for c in head.children if c.dep_ == "mark"), None) if head != tok else None
            if not negs or comp is None or (mark is not None and mark.lower_ != "that"):
                return None
            if head.left_edge.tag_ in ("WDT", "WP", "WP$", "WRB") or head.left_edge.lower_ in ("if", "whether"):
                return None  # "I don't know what their intentions are": ignorance, not doubt
        subject = next((c for c in tok.children if c.dep_ == "nsubj" and c.tag_ not in ("WP", "WDT")), None)
        if subject is not None and subject.lower_ == "you":
            return None  # "you'd think …": generic, nobody's view
        if subject is not None and subject.lower_ in ("it", "there", "that", "which", "who"):
            subject = None
        pieces = sorted([*(a for a in _aux(tok) if negs), *negs, tok], key=lambda t: t.i)
        if lemma == "doubt" and tok.pos_ == "VERB":
            entry = self.not_belief["doubt"]
            cue = Cue(entry=negate(entry) if negs else entry, family="not_belief", pieces=pieces, head=head,
                      subject=subject, flipped=bool(negs))
        elif negs:
            entry = self.not_belief.get(lemma)
            if entry is None or any(norm(a) in ("can", "ca", "could") for a in _aux(tok)):
                return None  # "I can't believe …" voices outrage, not a probability
            cue = Cue(entry=entry, family="not_belief", pieces=pieces, head=head, subject=subject, flipped=True)
        else:
            entry = self.belief.get(lemma)
            if entry is None:
                return None
            cue = Cue(entry=entry, family="belief", pieces=pieces, head=head, subject=subject,
                      parenthetical=parenthetical)
        cue.consumed.update(n.i for n in negs)
        return cue

    # -- volition and capability -------------------------------------------------------------
    def _volition(self, tok: Token) -> Cue | None:
        word, lemma = norm(tok), tok.lemma_.lower()
        doc = tok.doc
        entry: Entry | None = None
        family = ""
        if word == "position" and tok.i >= 2 and norm(doc[tok.i - 2]) == "in" and norm(doc[tok.i - 1]) in ("a", "the"):
            if not any(c.dep_ in ("acl", "xcomp", "relcl") for c in tok.children):
                return None
            entry, family, pieces = self.capability["in a position"], "capability", list(doc[tok.i - 2: tok.i + 1])
            head = clause_head(tok)
        else:
            if word in self.volition:
                entry, family = self.volition[word], "volition"
            elif lemma == "intend" and tok.pos_ == "VERB" and not any(a.dep_ == "auxpass" for a in _aux(tok)):
                entry, family = self.volition["intend"], "volition"
            elif word in self.capability:
                entry, family = self.capability[word], "capability"
            if entry is None:
                return None
            to_clause = any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in tok.children)
            of_on = any(c.dep_ == "prep" and c.lower_ in ("of", "on") for c in tok.children)
            if not (to_clause or (of_on and word in ("capable", "incapable", "intent"))):
                return None
            if tok.pos_ == "VERB" and lemma != "intend":
                return None  # "troops prepared the ground": a verb, not willingness
            pieces = [tok]
            if tok.i >= 2 and norm(doc[tok.i - 2]) == "more" and norm(doc[tok.i - 1]) == "than" and word == "willing":
                entry, pieces = self.volition["more than willing"], list(doc[tok.i - 2: tok.i + 1])
            head = tok.head if tok.dep_ in ("acomp", "attr", "oprd") else clause_head(tok)
        if head.dep_ in ("acl", "relcl", "ccomp") and head.head.lemma_.lower() in FACTIVE_NOUNS:
            return None  # "the fact that X is able to": presupposed, not assessed
        if _in_condition(head):
            return None
        if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN")):
            return None  # "a team ready to …": describes a noun, asserts nothing
        if tok.tag_ == "VBD" or head.tag_ == "VBD" or any(a.tag_ == "VBD" for a in _aux(head)):
            return None  # "was able to", "intended to": a past disposition is narrated, not assessed
        if head.dep_ != "ROOT" and head.left_edge.tag_ in ("WDT", "WP", "WP$", "WRB"):
            return None  # "what we're not able to do": a free relative names a thing, it assesses nothing
        return Cue(entry=entry, family=family, pieces=pieces, head=head)

    # -- comparatives of risk --------------------------------------------------------------
    def _change(self, tok: Token) -> Cue | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB" or (lemma not in self.change_up and lemma not in self.change_down):
            return None
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        intransitive = obj is None or obj.pos_ not in ("NOUN", "PROPN")
        risky = (obj is not None and obj.lemma_.lower() in self.risk_nouns) or (
            subj is not None and subj.lemma_.lower() in self.risk_nouns and intransitive)
        if not risky or _in_condition(tok) or tok.dep_ in ("relcl", "acl", "amod"):
            return None
        entry = self.change_up.get(lemma) or self.change_down[lemma]
        pieces = [tok]
        negs = _neg_children(tok)
        if not negs and tok.dep_ == "ccomp" and tok.head.lemma_.lower() in IMPLICATION:
            negs = _neg_children(tok.head)
            if negs:
                pieces = [*negs, tok.head, tok]
        cue = Cue(entry=entry, family="change", pieces=sorted(pieces, key=lambda t: t.i), head=tok)
        if negs:
            cue.flipped = True
            cue.consumed.update(n.i for n in negs)
        return cue


def key_could(entry: Entry) -> bool:
    return entry.phrase == "could"


# --------------------------------------------------------------------------- spans

def _trim(tokens: list[Token]) -> list[Token]:
    """Drop punctuation, quote marks and linking words at the edges of a token run."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space or tokens[0].dep_ in ("cc", "mark")
                      or norm(tokens[0]) in DISCOURSE):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def _run(keep: set[int], around: Token) -> list[Token]:
    doc = around.doc
    lo = hi = around.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    return list(doc[lo: hi + 1])


def _span(tokens: list[Token]) -> TextSpan | None:
    if not tokens:
        return None
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return TextSpan(start=start, end=end, text=doc_text(doc)[start:end])


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.children)


def _condition_span(clause: Token) -> TextSpan | None:
    keep = {t.i for t in clause.subtree}
    for c in clause.children:
        if c.dep_ == "conj" and _is_verbal(c) and _has_subject(c):
            keep -= {t.i for t in c.subtree}
            keep -= {s.i for s in clause.children if s.dep_ in ("cc", "punct") and s.i < c.i and s.i > clause.i}
    first = clause.left_edge
    return _span(_trim_end(_run(keep, first)))


def _trim_end(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def proposition(cue: Cue, other_heads: set[int]) -> tuple[TextSpan | None, list[TextSpan], set[int]]:
    """The proposition's span, its conditions, and the token indices of the whole governed clause."""
    head = cue.head
    clause = {t.i for t in head.subtree}
    keep = set(clause)
    conditions: list[TextSpan] = []
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")), None)
    doc = head.doc
    for c in head.children:
        sub = {t.i for t in c.subtree}
        if c.dep_ == "advcl" or (c.lower_ == "depending" and c.dep_ in ("prep", "advcl", "acl", "xcomp")):
            if _starts_condition(c):
                span = _condition_span(c)
                if span is not None:
                    conditions.append(span)
            keep -= sub
        elif c.dep_ == "parataxis" and not cue.parenthetical:
            keep -= sub
        elif c.dep_ == "conj" and _is_verbal(c) and (_has_subject(c) or c.i in other_heads):
            keep -= sub
            keep -= {s.i for s in head.children if s.dep_ in ("cc", "punct") and head.i < s.i < c.i}
        elif c.dep_ == "prep" and c.lower_ == "according":
            keep -= sub
        elif (subject is not None and c.i < subject.i and c.dep_ not in ("aux", "auxpass", "neg")
              and max(sub) + 1 < len(doc) and doc[max(sub) + 1].text in (",", "—", "–")):
            keep -= sub  # a framing phrase before the subject: "No matter what happens, …"
    # a belief verb inside the clause (csubj "what X believes is …") is the holder's frame, not content
    for piece in cue.pieces:
        if cue.family in ("belief", "not_belief") and piece.i in clause and piece != head and not cue.parenthetical:
            anc = piece
            while anc.head != head and anc.head != anc:
                anc = anc.head
            if anc != head:
                keep -= {t.i for t in anc.subtree}
    # never across a paragraph break (the parser sometimes runs a sentence on over one)
    lo, hi = _paragraph_bounds(doc, cue.pieces[0])
    if not lo <= head.idx < hi:
        return None, [], clause
    keep = {i for i in keep if lo <= doc[i].idx < hi}
    tokens = _trim(_run(keep, head))
    return _span(tokens), conditions, clause


def _paragraph_bounds(doc: Doc, tok: Token) -> tuple[int, int]:
    for s, e in body_ranges(doc):
        if s <= tok.idx < e:
            break
    else:
        s, e = 0, len(doc_text(doc))
    text = doc_text(doc)
    para_start = text.rfind("\n\n", s, tok.idx)
    para_end = text.find("\n\n", tok.idx, e)
    return (para_start + 2 if para_start >= 0 else s), (para_end if para_end >= 0 else e)


# --------------------------------------------------------------------------- holders

def _subject_span(tok: Token) -> tuple[int, int]:
    text = doc_text(tok.doc)
    if tok.ent_iob_ != "O":
        for ent in tok.doc.ents:
            # an entity across a line break is the tagger reaching over blanked furniture: not a name
            if ent.start <= tok.i < ent.end and "\n" not in text[ent.start_char:ent.end_char]:
                return ent.start_char, ent.end_char
    mods = ("compound", "amod", "poss", "nmod", "det")
    # a modifier across a line break is the parser reaching over blanked furniture ("the\nSkip to
    # content\n‘Nobody"), not part of the subject: the span would cross the masked lines
    left = min([tok.i, *(c.i for c in tok.children
                         if c.dep_ in mods and c.i < tok.i and "\n" not in text[c.idx:tok.idx])])
    first = tok.doc[left]
    return first.idx, tok.idx + len(tok)


def _person_like(tok: Token) -> bool:
    if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    return tok.pos_ == "NOUN" and (
        tok.tag_ == "NNS" or any(c.dep_ == "compound" for c in tok.children) or _has_actor(tok))


def _source_subject(verb: Token) -> Token | None:
    """The subject of a reporting verb, when it can be a source (a report or a person, not "it")."""
    subj = next((s for s in verb.children if s.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in NON_SOURCES or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    if not subj.text[:1].isalpha():
        return None  # a clitic or symbol the parser took for a subject
    if verb.lemma_.lower() in WEAK_REPORTING and not _person_like(subj):
        return None
    return subj


def _has_actor(tok: Token) -> bool:
    index = tok.doc._.actor_index or {}
    return any(s <= tok.idx < e for (s, e) in index)


def _ref(doc: Doc, tok: Token) -> ActorRef:
    """An ActorRef for the subject at `tok`: the actor's canonical name when the actors component knows it."""
    start, end = _subject_span(tok)
    text = doc_text(doc)[start:end]
    # the actor must own the head noun: "U.S. intelligence" is not the actor "U.S."
    actor = actor_at(doc, tok.idx, tok.idx + len(tok))
    if actor is None:
        return ActorRef(name=text, start=start, end=end, text=text)
    role = actor.roles[0].text if actor.roles else None
    return ActorRef(name=actor.name, actor_id=actor.id, start=start, end=end, text=text, role=role)


def quote_at(doc: Doc, pos: int) -> Quote | None:
    for q in doc._.quotes or []:
        spans = q.fragments or [q]
        if any(s.start <= pos < s.end for s in spans) or q.start <= pos < q.end:
            return q
    return None


def _according_to(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            to = next((t for t in c.children if t.lower_ == "to"), None)
            if to is not None:
                return next((t for t in to.children if t.dep_ == "pobj"), None)
    return None


def reporting_holder(head: Token) -> Token | None:
    """The subject of the reporting verb above (or beside) the clause, or the X of "according to X"."""
    cur = head
    while True:
        for c in cur.children:
            if c.dep_ == "parataxis" and c.lemma_.lower() in REPORTING:
                subj = _source_subject(c)
                if subj is not None:
                    return subj
        src = _according_to(cur)
        if src is not None:
            return src
        if cur != head and cur.lemma_.lower() in REPORTING and cur.pos_ == "VERB":
            subj = _source_subject(cur)
            if subj is not None:
                return subj
        if cur.head == cur:
            return None
        cur = cur.head


@dataclass
class Attribution:
    ref: ActorRef | None
    quote_id: str | None = None


def sentence_attribution(doc: Doc, sent: Span) -> Attribution | None:
    """Who a whole sentence is attributed to: a quote over its main verb, or its reporting verb."""
    root = sent.root
    q = quote_at(doc, root.idx)
    if q is not None and q.speaker is not None:
        return Attribution(q.speaker, q.id)
    subj = reporting_holder(root) if root.lemma_.lower() not in REPORTING else None
    if subj is None and root.lemma_.lower() in REPORTING:
        subj = _source_subject(root)
    if subj is not None and subj.lower_ not in FIRST_PERSON:
        return Attribution(_ref(doc, subj))
    return None


# --------------------------------------------------------------------------- the component

@Language.factory("sitroom_claims")
def make_component(nlp: Language, name: str) -> Component:
    register_extensions()
    return Component(nlp)


@dataclass
class _Draft:
    cue: Cue
    sent: Span
    span: TextSpan
    conditions: list[TextSpan]
    clause: set[int]
    group: list[Cue]
    holder: ActorRef | None = None
    quote_id: str | None = None
    horizon: TimeExpr | None = None


class Component:
    def __init__(self, nlp: Language) -> None:
        self.finder = CueFinder(nlp)

    def __call__(self, doc: Doc) -> Doc:
        cached = "sitroom_text" in doc.user_data
        doc._.claims = extract(doc, self.finder)
        if not cached:
            doc.user_data.pop("sitroom_text", None)
        return doc


def _group(cues: list[Cue]) -> list[list[Cue]]:
    """One group per proposition: cues on the same clause merge; belief verbs lend their subject."""
    beliefs = [c for c in cues if c.family in ("belief", "not_belief")]
    others = [c for c in cues if c.family not in ("belief", "not_belief")]
    dropped: set[int] = set()
    for b in beliefs:
        scope = {t.i for t in b.head.subtree}
        nested = [c for c in others if c.head.i in scope and id(c) not in dropped]
        for c in nested:
            if c.subject is None:
                c.subject = b.subject
        if b.family == "not_belief":
            for c in nested:
                if c.family == "modal" and _xcomp_chain(c.head, b.head):
                    b.absorbed.append(c)
                    dropped.add(id(c))
        elif nested:
            dropped.add(id(b))
    live = [c for c in cues if id(c) not in dropped]
    groups: dict[int, list[Cue]] = {}
    for c in live:
        groups.setdefault(c.head.i, []).append(c)
    return [sorted(g, key=lambda c: (c.rank, c.start)) for g in groups.values()]


def _xcomp_chain(tok: Token, top: Token) -> bool:
    """Whether `tok` is `top` or hangs below it through xcomp links only ("going to be")."""
    cur = tok
    while cur != top:
        if cur.dep_ != "xcomp" or cur.head == cur:
            return False
        cur = cur.head
    return True


def _phrase(doc: Doc, tokens: list[Token]) -> tuple[str, int, int]:
    tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    runs: list[list[Token]] = []
    for t in tokens:
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    texts = [doc_text(doc)[r[0].idx: r[-1].idx + len(r[-1])] for r in runs]
    return " … ".join(texts), tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _likelihood(doc: Doc, primary: Cue, group: list[Cue]) -> Likelihood:
    entry = primary.entry
    pieces = list(primary.pieces)
    if primary.family == "not_belief":
        modal = [a for a in _aux(primary.head) if a.tag_ == "MD"]
        pieces += modal + [p for c in primary.absorbed for p in c.pieces]
    if primary.flipped and primary.family not in ("not_belief",):
        entry = negate(entry)
    phrase, start, end = _phrase(doc, pieces)
    kind = entry.kind if entry.kind in ("probability", "possibility", "comparative", "volition", "capability",
                                        "belief") else "probability"
    return Likelihood(phrase=phrase, start=start, end=end, kind=kind, band=entry.band, low=entry.low,
                      high=entry.high, direction=entry.direction, source=entry.source or None,
                      negated=primary.flipped)  # type: ignore[arg-type]


def _forecast(primary: Cue, group: list[Cue], horizon: TimeExpr | None) -> bool:
    if horizon is not None and horizon.direction in ("future", "present"):
        return True
    group = [*group, *(a for c in group for a in c.absorbed)]
    if any(c.is_will for c in group) or any(norm(a) in FUTURE_AUX for a in _aux(primary.head)):
        return True
    if any(c.family in ("belief", "not_belief") and c.pieces[-1].lemma_.lower() in PREDICTIVE for c in group):
        return True
    if primary.family == "change":
        return True  # a risk is about what may happen
    if primary.family in ("volition", "capability"):
        return False
    verb = primary.head
    if verb.lemma_ in ("be",) or norm(verb) in ("'s", "is"):
        inner = next((c for c in verb.children if c.dep_ == "xcomp" and _is_verbal(c)), None)
        if inner is not None:
            verb = inner
    aux = _aux(verb)
    if any(a.lemma_ == "have" for a in aux) and verb.tag_ == "VBN":
        return False  # "may have run into": about the past
    passive = any(a.dep_ == "auxpass" for a in aux)
    modal = any(a.tag_ == "MD" for a in aux)
    infinitive = verb.tag_ == "VB" and any(a.lower_ == "to" for a in aux)
    if modal or infinitive:
        return passive or verb.lemma_.lower() not in STATIVE
    return False


def _horizons(doc: Doc, sent: Span) -> list[TimeExpr]:
    """Future or present-forward time expressions in the sentence (the times component's first)."""
    pub: dt.date | None = doc._.published
    times = [t for t in doc._.times or [] if sent.start_char <= t.start and t.end <= sent.end_char]

    def forward(t: TimeExpr) -> bool:
        if t.direction in ("future", "present"):
            return True
        if t.value == "FUTURE_REF":
            return True
        return t.direction is None and pub is not None and t.earliest is not None and t.earliest > pub

    out: list[TimeExpr] = [t for t in times if forward(t)]
    for n, h in enumerate(find_horizons(sent.text, sent.start_char, pub)):
        if any(t.start < h.end and h.start < t.end for t in times):
            for t in times:
                if t.start < h.end and h.start < t.end and t.direction != "past":
                    # reuse the times component's expression, filling in what it leaves open
                    # (which way it points, the window's bounds) from the horizon reading
                    fill = {k: v for k, v in (("direction", h.direction), ("earliest", h.earliest),
                                              ("latest", h.latest)) if getattr(t, k) is None and v is not None}
                    filled = t.model_copy(update=fill) if fill else t
                    out = [x for x in out if x is not t] + [filled]
            continue
        out.append(h.as_time(f"H{sent.start_char}-{n}", pub))
    return sorted(out, key=lambda t: t.start)


def _paragraph_of(ranges: list[tuple[int, int]], pos: int) -> int:
    return next((i for i, (s, e) in enumerate(ranges) if s <= pos < e), -1)


def _first_word(sent: Span) -> str:
    tok = next((t for t in sent if not t.is_punct and not t.is_space), None)
    return norm(tok) if tok is not None else ""


def extract(doc: Doc, finder: CueFinder) -> list[Claim]:
    """All claims of the body, in text order, with ids C1, C2 …"""
    sentences = list(body_sentences(doc))
    ranges = body_ranges(doc)
    drafts: list[_Draft] = []
    for si, sent in enumerate(sentences):
        if sent.text.rstrip().rstrip("”\"'’ ").endswith("?"):
            continue  # a question asks, it does not assess
        cues = [c for c in finder.find(sent) if not _asks(doc, c.start)]
        if not cues:
            continue
        groups = _group(cues)
        heads = {g[0].head.i for g in groups}
        sent_drafts: list[_Draft] = []
        for group in groups:
            primary = group[0]
            span, conditions, clause = proposition(primary, heads - {primary.head.i})
            if span is None:
                continue
            sent_drafts.append(_Draft(primary, sent, span, conditions, clause, group))
        # a cue inside another claim's proposition or condition is part of that claim
        kept = []
        for d in sent_drafts:
            inner = any(o is not d and o.span.start <= d.cue.start < o.span.end and not (
                d.span.start <= o.cue.start < d.span.end) for o in sent_drafts)
            in_cond = any(c.start <= d.cue.start < c.end for o in sent_drafts for c in o.conditions)
            if not inner and not in_cond:
                kept.append(d)
        for d in kept:
            _attribute(doc, d, sentences, si, ranges)
        _assign_horizons(doc, sent, kept)
        drafts.extend(kept)
    claims: list[Claim] = []
    for d in sorted(drafts, key=lambda d: (d.span.start, d.cue.start)):
        primary = d.cue
        if primary.is_will and (d.holder is None or _first_person_subject(primary.head)):
            continue  # an unhedged "will" is a forecast only when someone holds it, and not a plan
        claims.append(_claim(doc, d, len(claims) + 1))
    return claims


_CLAUSE_END = re.compile(r"[.?!]")


def _asks(doc: Doc, pos: int) -> bool:
    """Whether the first sentence-final mark after `pos` (in its paragraph) is a question mark."""
    text = doc_text(doc)
    end = text.find("\n\n", pos)
    m = _CLAUSE_END.search(text, pos, end if end >= 0 else len(text))
    return m is not None and m.group(0) == "?"


def _first_person_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in FIRST_PERSON for c in verb.children)


def _attribute(doc: Doc, d: _Draft, sentences: list[Span], si: int, ranges: list[tuple[int, int]]) -> None:
    primary = d.cue
    q = quote_at(doc, primary.start)
    subject = next((c.subject for c in d.group if c.subject is not None), None)
    if q is not None:
        d.quote_id = q.id
    # "X thinks p" holds p for X — also inside someone else's quote; "I think" is the speaker's
    if subject is not None and subject.lower_ not in FIRST_PERSON:
        d.holder = _ref(doc, subject)
        return
    if q is not None and q.speaker is not None:
        d.holder = q.speaker
        return
    belief_verbs = [c.pieces[-1] for c in d.group if c.family in ("belief", "not_belief")]
    start = belief_verbs[0] if belief_verbs else primary.head
    src = reporting_holder(start)
    if src is not None and src.lower_ not in FIRST_PERSON:
        d.holder = _ref(doc, src)
        return
    if q is not None:  # an unattributed quote: someone speaks, not the article
        if subject is not None:
            d.holder = _ref(doc, subject)
        return
    # the speech runs on across a sentence break ("X. And Y, she said." / "She said X. Instead, Y.")
    sent = d.sent
    para = _paragraph_of(ranges, sent.start_char)
    if si + 1 < len(sentences) and _first_word(sentences[si + 1]) in CONTINUES_INTO_NEXT and \
            _paragraph_of(ranges, sentences[si + 1].start_char) == para:
        att = sentence_attribution(doc, sentences[si + 1])
        if att is not None:
            d.holder, d.quote_id = att.ref, att.quote_id
            return
    if si > 0 and _first_word(sent) in CONTINUES_PREVIOUS and \
            _paragraph_of(ranges, sentences[si - 1].start_char) == para:
        att = sentence_attribution(doc, sentences[si - 1])
        if att is not None:
            d.holder, d.quote_id = att.ref, att.quote_id
            return
    if subject is not None:
        d.holder = _ref(doc, subject)  # an unresolved "I"/"we": someone speaks, not the article


def _assign_horizons(doc: Doc, sent: Span, drafts: list[_Draft]) -> None:
    if not drafts:
        return
    horizons = _horizons(doc, sent)
    for h in horizons:
        owners = [d for d in drafts if d.span.start <= h.start < d.span.end]
        if not owners:
            owners = [d for d in drafts if any(doc[i].idx <= h.start < doc[i].idx + len(doc[i]) for i in d.clause)]
        if not owners and len(drafts) == 1:
            owners = drafts
        for d in owners:
            if d.horizon is None:
                d.horizon = h


def _claim(doc: Doc, d: _Draft, n: int) -> Claim:
    primary = d.cue
    likelihood = _likelihood(doc, primary, d.group)
    consumed = set().union(*(c.consumed for c in d.group))
    head = primary.head
    negative = any(t.i not in consumed for t in _neg_children(head))
    if primary.family == "modal" and any(p.dep_ == "neg" for p in primary.pieces):
        negative = True
    m = _CONFIDENCE.search(d.sent.text)
    events = [e.id for e in doc._.events or [] if d.span.start <= e.trigger.start < d.span.end]
    horizon = d.horizon
    if horizon is not None and not horizon.id.startswith("T"):
        horizon = horizon.model_copy(update={"id": f"C{n}.h"})
    return Claim(
        id=f"C{n}", start=d.span.start, end=d.span.end, text=d.span.text, holder=d.holder,
        polarity="negative" if negative else "positive", forecast=_forecast(primary, d.group, d.horizon),
        horizon=horizon, conditions=d.conditions, likelihood=likelihood,
        confidence=f"{m.group(1).lower()} confidence" if m else None, quote_id=d.quote_id, event_ids=events,
    )
