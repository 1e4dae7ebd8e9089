"""What a clause says about its own truth: tense, modality, negation, conditions.

Times need the tense of the clause a date sits in ("On Wednesday, X announced" looks back),
events need it to tell what happened from what is planned, threatened, hypothetical or denied.
Both read the dependency parse through these helpers, so the two stay consistent.
"""

from __future__ import annotations

from spacy.tokens import Token

FUTURE_AUX = {"will", "shall", "'ll", "wo", "ll"}
HYPOTHETICAL_AUX = {"could", "might", "may", "would", "should", "ought", "can"}
OBLIGATION_AUX = {"must", "should", "ought"}
#: verbs whose "to"-complement lies in the future of the verb ("plans to meet", "is due to visit")
FUTURE_HEADS = {"plan", "schedule", "expect", "intend", "set", "due", "hope", "aim", "prepare", "want",
                "seek", "vow", "promise", "pledge", "threaten", "agree", "offer", "going", "likely", "able",
                "ready", "willing", "prepared", "determined", "expected", "scheduled", "poised", "bound"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
CONDITION_MARKERS = {"if", "unless", "until", "before", "lest", "whether", "once"}
PURPOSE_MARKERS = {"so", "in order"}


def governing_verb(tok: Token) -> Token:
    """The verb (or predicate adjective) whose clause contains `tok`: climb heads to the first one."""
    cur = tok
    for _ in range(40):
        if cur.pos_ in ("VERB", "AUX") or (cur.pos_ == "ADJ" and any(c.dep_ == "cop" for c in cur.children)):
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def auxiliaries(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def has_future_aux(verb: Token) -> bool:
    return any(a.lower_ in FUTURE_AUX for a in auxiliaries(verb))


def modal(verb: Token) -> str | None:
    """The modal auxiliary of the clause (lower case), if any."""
    for a in auxiliaries(verb):
        if a.tag_ == "MD":
            return a.lower_.replace("'ll", "will").replace("wo", "will") if a.lower_ in ("'ll", "wo") else a.lower_
    return None


def is_negated(tok: Token) -> bool:
    """`tok` (a verb, adjective or event noun) carries a negation ("did not attack", "no talks")."""
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in ("never", "no")):
            return True
    return False


def tense(verb: Token) -> str:
    """"future", "perfect", "past" or "present" for the clause headed by `verb`."""
    auxes = auxiliaries(verb)
    lowers = {a.lower_ for a in auxes}
    if lowers & FUTURE_AUX:
        return "future"
    if "would" in lowers and verb.dep_ == "ccomp" and verb.head.tag_ == "VBD":
        return "future"  # future in the past: "said the talks would resume on November 26"
    if verb.dep_ == "xcomp" and any(a.lower_ == "to" for a in auxes) and (
            verb.head.lemma_.lower() in FUTURE_HEADS or verb.head.lower_ in FUTURE_HEADS):
        return "future"
    if verb.lower_ == "going" and any(c.dep_ == "xcomp" for c in verb.children):
        return "future"
    if any(a.lemma_ == "have" and a.tag_ in ("VBZ", "VBP") for a in auxes) and verb.tag_ in ("VBN", "VBG"):
        return "perfect"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and not auxes:
        return "past"
    if verb.tag_ in ("VB", "VBG", "VBN") and verb.dep_ in ("xcomp", "ccomp", "conj", "advcl") and verb.head.i != verb.i:
        return tense(verb.head) if verb.head.pos_ in ("VERB", "AUX") else "present"
    return "present"


def is_progressive(verb: Token) -> bool:
    return verb.tag_ == "VBG" and any(a.lemma_ == "be" for a in auxiliaries(verb))


def subordinator(verb: Token) -> str | None:
    """The word introducing an adverbial clause ("if", "unless", "after", "to") in lower case."""
    for c in verb.children:
        if c.dep_ == "mark":
            return c.lower_
        if c.dep_ == "aux" and c.lower_ == "to" and verb.dep_ == "advcl":
            return "to"
    return None

