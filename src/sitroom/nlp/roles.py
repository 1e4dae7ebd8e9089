"""Roles: the titles and affiliations an article gives a person.

News introduces people in three fixed shapes, and an analyst needs all of them:

* a pre-modifying title — ``Kazakhstan President Kassym-Jomart Tokayev``;
* an appositive after the name — ``Rob Lee, Russia military analyst and Ph.D candidate at King's
  College London, told …`` (two roles, split at the ``and`` that joins two job nouns);
* an appositive before the name — ``The CSTO's secretary general, Stanislav Zas, said …``.

All three are read from the surface (punctuation, part of speech and the role lexicon), which a
small parser gets right far more often than the attachment of a long appositive.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitroom.nlp.actor_lexicons import Lexicons

_STOP_PUNCT = {",", ";", ":", "(", ")", "[", "]", "—", "–", "\"", "“", "”", "‘", "!", "?", "|"}
_RELATIVE = {"who", "which", "that", "whose", "where", "when", "whom"}
_DETS = {"a", "an", "the", "his", "her", "its", "their", "our", "my", "your"}
_MAX_ROLE_TOKENS = 25


@dataclass
class RoleSpan:
    start: int  # character offsets
    end: int
    text: str
    label: str | None = None  # "secretary general of the CSTO" for "The CSTO's secretary general"
    sector: str | None = None


def _boundary(tok: Token) -> bool:
    if tok.is_space or "\n" in tok.text or tok.text in _STOP_PUNCT:
        return True
    if tok.text == ".":  # a full stop, unless a word follows at once ("Ph.D")
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        return bool(tok.whitespace_) or nxt is None or not nxt.text[:1].isalnum()
    return False


def _role_token(tok: Token, lex: Lexicons) -> bool:
    return lex.is_title_or_role(tok.lower_) and tok.pos_ in ("NOUN", "PROPN", "ADJ", "X")


def _sector(toks: list[Token], lex: Lexicons) -> str | None:
    for n, t in enumerate(reversed(toks)):  # the head noun comes last in English noun phrases
        r = lex.role_word(t.lower_)
        before = toks[len(toks) - n - 2] if n + 1 < len(toks) else None
        if t.lower_ == "general" and before is not None and (lex.is_title_or_role(before.lower_) or before.text == "-"):
            continue  # "secretary general", "attorney general": not an army rank
        if r and r.kind != "modifier" and r.sector:
            return r.sector
    return None


def _make(doc: Doc, a: int, b: int, lex: Lexicons) -> RoleSpan | None:
    """A role over tokens [a, b), trimmed of determiners and stray punctuation."""
    while a < b and (doc[a].lower_ in _DETS or doc[a].is_punct or doc[a].lower_ in ("and", "or")):
        a += 1
    while b > a and doc[b - 1].is_punct and (doc[b - 1].text != ")" or _boundary(doc[b - 1])):
        b -= 1
    if a >= b:
        return None
    toks = list(doc[a:b])
    if not any(_role_token(t, lex) for t in toks):
        return None
    span = doc[a:b]
    label = None
    poss = next((t for t in toks if t.text in ("’s", "'s") and t.i > a), None)
    if (poss is not None and poss.i + 1 < b and not any(t.pos_ == "ADP" for t in doc[a:poss.i])
            and any(_role_token(t, lex) for t in doc[poss.i + 1:b])):
        # "CSTO's secretary general" -> "secretary general of the CSTO"
        det = doc[a - 1].lower_ + " " if a > 0 and doc[a - 1].lower_ == "the" else ""
        owner = doc[a:poss.i].text
        rest = doc[poss.i + 1:b].text
        label = f"{rest} of {det}{owner}"
    return RoleSpan(span.start_char, span.end_char, span.text, label, _sector(toks, lex))


def premodifier_role(doc: Doc, start: int, lex: Lexicons) -> RoleSpan | None:
    """The title run right before the name at token `start` ("U.S. State Department Spokesperson")."""
    i = start - 1
    if i < 0 or _boundary(doc[i]):
        return None
    if not lex.is_title_or_role(doc[i].lower_):
        # "Secretary of State Antony Blinken": a title word, then of/for and a capitalised complement
        k = i
        while k >= 0 and i - k < 3 and doc[k].is_title and not lex.role_word(doc[k].lower_):
            k -= 1
        if not (k < i and k >= 1 and doc[k].lower_ in ("of", "for") and lex.is_title_or_role(doc[k - 1].lower_)
                and doc[k - 1].is_title):
            return None
        start_title = k - 1
        j = start_title
        while j - 1 >= 0 and start_title - j < 6 and not doc[j].is_sent_start and not _boundary(doc[j - 1]) \
                and (doc[j - 1].is_title or doc[j - 1].is_upper or lex.role_word(doc[j - 1].lower_)) \
                and doc[j - 1].pos_ not in ("VERB", "AUX", "DET", "ADP"):
            j -= 1
        return _make(doc, j, i + 1, lex)
    j = i
    while j - 1 >= 0 and i - j < 10 and not doc[j].is_sent_start:
        t = doc[j - 1]
        low = t.lower_
        if _boundary(t):
            break
        if t.text in ("’s", "'s") or low in ("of", "for"):
            # "Russia's President", "Secretary of State": only between two parts of a title
            left = doc[j - 2] if j - 2 >= 0 else None
            ok = left is not None and (left.pos_ == "PROPN" if low not in ("of", "for")
                                       else left.is_title or lex.role_word(left.lower_) is not None)
            if not ok:
                break
        elif t.text == "-":
            if t.whitespace_ or j - 2 < 0 or doc[j - 2].whitespace_:
                break  # a dash, not the hyphen of "then-President"
        elif t.pos_ in ("DET", "PRON", "ADP", "SCONJ", "CCONJ", "PART", "ADV", "NUM", "PUNCT", "VERB", "AUX",
                        "INTJ", "SYM") and lex.role_word(low) is None:
            break
        j -= 1
    return _make(doc, j, i + 1, lex)


def appositive_after(doc: Doc, end: int, lex: Lexicons, person_tokens: set[int]) -> list[RoleSpan]:
    """Roles in ``NAME, <role>[ and <role>],`` — the name ends before token `end`."""
    if end >= len(doc) or doc[end].text != ",":
        return []
    first = k = end + 1
    while k < len(doc) and k - first < _MAX_ROLE_TOKENS:
        t = doc[k]
        if _boundary(t) or t.lower_ in _RELATIVE:
            break
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") and not lex.role_word(t.lower_):
            if not (k > first and doc[k - 1].text == "-"):  # "Virginia-based"
                return []  # a clause, not an appositive
        k += 1
    if k >= len(doc) or k == first:
        return []
    if doc[k].text not in (",", ".", ";", ")", "—", "–", ":") and not doc[k].is_space:
        return []
    if doc[first].pos_ in ("PRON", "VERB", "ADP", "CCONJ", "SCONJ", "ADV") or doc[k - 1].i in person_tokens:
        return []  # "Lee, and Kofman" / "Lee, President Biden, and …" (a list of people)
    roles: list[RoleSpan] = []
    a = first
    for m in range(first, k):
        if doc[m].lower_ == "and" and m > a:
            left, right = doc[a:m], doc[m + 1:k]
            if any(_role_token(t, lex) for t in left) and any(_role_token(t, lex) for t in right):
                r = _make(doc, a, m, lex)
                if r:
                    roles.append(r)
                a = m + 1
    r = _make(doc, a, k, lex)
    if r:
        roles.append(r)
    return roles


def appositive_before(doc: Doc, start: int, end: int, lex: Lexicons) -> RoleSpan | None:
    """The role in ``<role>, NAME, said …`` — the name is tokens [start, end)."""
    if start - 1 < 1 or doc[start - 1].text != ",":
        return None
    if end < len(doc) and doc[end].text not in (",", ".", ";", ")") and not doc[end].is_space:
        return None
    b = start - 1
    a = b
    while a - 1 >= 0 and b - a < 12:
        t = doc[a - 1]
        if _boundary(t) or (t.pos_ in ("VERB", "AUX") and not lex.role_word(t.lower_)):
            break
        a -= 1
        if t.is_sent_start:
            break
    if a >= b or not _role_token(doc[b - 1], lex):
        return None  # the phrase must end in its job noun: "the CSTO's secretary general"
    if doc[a].pos_ in ("ADP", "SCONJ", "ADV", "CCONJ", "VERB"):
        return None  # a fronted adverbial: "In a statement, …"
    return _make(doc, a, b, lex)
