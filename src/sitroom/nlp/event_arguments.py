"""Argument rules the event coder applies on top of the parse: what is not an actor, and what is implied.

* A time expression is never an event's target: "rallied in Almaty on Tuesday" has a prepositional
  object "Tuesday" that is a date, not a recipient.
* "X-led", "X-backed" (and the like) say who leads or sponsors the group they modify; the group is
  the one acting. "The Saudi-led coalition bombed the port" is an act of the coalition (Saudi Arabia
  leads it), "Iran-backed rebels attacked a tanker" one of the rebels (Iran backs them, it did not
  attack). A leader takes part in what the group does, so it is a co-actor; a backer is not.
* A protest or riot whose sentence names no target is aimed at the government of the country where
  it happens (ACLED's and PLOVER's practice for domestic unrest): the place's country, else the
  protesters' country, else the one country the sentence names. The target is marked implied. A rally
  of supporters or in support of someone ("government supporters rallied") gets no implied target.
* Compound actors and targets are dyads (PETRARCH2, ICEWS and GDELT practice): "A and B sent forces to
  C" is A→C and B→C, "A sent forces to B and C" is A→B and A→C. A conjoined place where forces stand
  ("stationed near Ukraine and Belarus") is not a second recipient; reciprocal events ("A and B met",
  "protesters and police clashed") keep one actor and the other as recipient; "each other" is both ways.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sitroom.model import ActorRef, Entity, Place
from sitroom.nlp import places
from sitroom.nlp.extensions import actor_at

#: participles of "X-<participle> group": the relation of X to the group
SPONSOR_PARTICIPLES = {
    "led": "leader", "headed": "leader", "commanded": "leader", "dominated": "leader", "run": "leader",
    "controlled": "leader",
    "backed": "backer", "supported": "backer", "sponsored": "backer", "funded": "backer", "financed": "backer",
    "armed": "backer", "trained": "backer", "aligned": "backer", "allied": "backer", "affiliated": "backer",
    "linked": "backer", "inspired": "backer", "brokered": "backer", "installed": "backer", "appointed": "backer",
}
_ONE_TOKEN = re.compile(r"^(?P<who>.+?)-(?P<rel>" + "|".join(SPONSOR_PARTICIPLES) + r")$", re.IGNORECASE)
#: prepositions that say where an event happens, not to whom: a conjunct under them is not a second target
PLACE_PREPS = {"near", "along", "in", "inside", "outside", "around", "across", "throughout", "off", "beside",
               "within", "by"}
#: ... and, for forces that move or stand, also where they stand ("stationed on/at the border")
STANDING_PREPS = PLACE_PREPS | {"on", "at"}
#: verbs of mutual action: a compound subject with no object acts on itself ("A and B clashed")
RECIPROCAL_VERBS = {"clash", "fight", "skirmish", "battle", "spar", "scuffle", "exchange", "trade", "wrestle",
                    "negotiate", "talk", "meet", "confer", "reconcile", "cooperate", "collaborate", "ally"}
#: nouns for a state's diplomatic premises: a protest there is aimed at that state
MISSION_NOUNS = {"embassy", "consulate", "mission", "legation", "high commission"}


@dataclass(frozen=True)
class Sponsor:
    """An "X-led"/"X-backed" modifier of a noun: where its words end, who X is, and how X relates."""

    end_char: int  # the noun's own words start after this offset
    start_char: int  # where X starts
    leader: Token | None  # X as its own token ("Saudi" in "Saudi - led"); None when one token ("U.S.-led")
    relation: str  # "leader" or "backer"


def sponsor_modifier(noun: Token) -> Sponsor | None:
    """The "X-led"/"X-backed" pre-modifier of `noun`, as the parser splits it or as one token."""
    for c in noun.children:
        if c.i >= noun.i or c.dep_ not in ("amod", "compound", "nmod", "npadvmod"):
            continue
        m = _ONE_TOKEN.match(c.text)
        if m:
            return Sponsor(c.idx + len(c.text), c.idx, None, SPONSOR_PARTICIPLES[m.group("rel").lower()])
        rel = SPONSOR_PARTICIPLES.get(c.lower_)
        if rel is None or c.tag_ not in ("VBN", "JJ", "VBD"):
            continue
        hyphen = c.i > 0 and c.doc[c.i - 1].text in ("-", "–")
        who = next((g for g in c.children if g.i < c.i and g.dep_ in ("npadvmod", "compound", "nmod", "amod",
                                                                         "nsubj", "poss")), None)
        if who is None or not hyphen:
            continue
        return Sponsor(c.idx + len(c.text), who.left_edge.idx, who, rel)
    return None


def conjuncts(tok: Token | None) -> list[Token]:
    """The other nouns coordinated with `tok` ("Russia and Belarus", "Mali, Niger and Chad"), in text order."""
    if tok is None:
        return []
    return sorted((c for c in tok.conjuncts if c.pos_ in ("NOUN", "PROPN") and c.i != tok.i), key=lambda t: t.i)


def modifier_conjuncts(tok: Token | None) -> list[Token]:
    """Owners coordinated inside one noun phrase: "Russian" in "U.S. and Russian officials"."""
    if tok is None:
        return []
    out = []
    for c in tok.children:
        if c.dep_ in ("amod", "nmod", "compound", "poss") and c.i < tok.i:
            out += [cc for cc in c.children if cc.dep_ == "conj"]
    return out


def splits_target(target: Token, head: Token, event_type: str) -> bool:
    """Is a target coordinated with others ("to Mali and Niger") one recipient each, or a place where the
    event happens ("stationed near Ukraine and Belarus": where the forces stand, not two recipients)?"""
    preps = PLACE_PREPS if event_type != "MOBILIZE" else STANDING_PREPS
    cur = target
    for _ in range(8):
        if cur.i == head.i or cur.head.i == cur.i:
            return True
        if cur.dep_ == "prep" and cur.lower_ in preps:
            return False
        cur = cur.head
    return True


def reciprocal_object(verb: Token) -> bool:
    """"accused each other", "clashed with one another": a compound actor acting on itself."""
    doc = verb.doc
    objs = [c for c in verb.children if c.dep_ in ("dobj", "obj", "dative")]
    objs += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for o in objs:
        words = [t.lower_ for t in doc[max(o.i - 1, 0):o.i + 2]]
        for a, b in zip(words, words[1:], strict=False):
            if (a, b) in (("each", "other"), ("one", "another")):
                return True
    return False


def is_time(doc: Doc, tok: Token) -> bool:
    """`tok` is part of a date or time ("on Tuesday", "in the last day"), so it is no one's target."""
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    return any(t.start <= tok.idx < t.end for t in doc._.times or [])


def country_entity(doc: Doc, code: str) -> Entity | None:
    """The article's actor for the state with ISO code `code`, if the article names it."""
    for a in doc._.actors or []:
        if a.type == "GPE" and a.geo is not None and a.geo.country_code == code and a.geo.feature == "country":
            return a
    return None


def _country_of(entity: Entity | None) -> str | None:
    if entity is None:
        return None
    if entity.country:
        return entity.country
    if entity.type in ("GPE", "NORP") and entity.geo is not None:
        return entity.geo.country_code
    return None


def _mission_state(doc: Doc, place_words: list[Token]) -> tuple[str, int, int] | None:
    """"outside the Russian embassy": the country whose embassy or consulate the protest stands at."""
    for tok in place_words:
        if tok.lemma_.lower() not in MISSION_NOUNS:
            continue
        for c in tok.children:
            if c.i < tok.i and c.dep_ in ("amod", "compound", "poss", "nmod"):
                code = _country_of(actor_at(doc, c.idx, c.idx + len(c.text)))
                if code:
                    return code, c.idx, c.idx + len(c.text)
    return None


#: words of a rally for someone, not against them ("government supporters rallied", "in support of")
SUPPORT_WORDS = {"support", "supporter", "loyalist", "backer", "solidarity", "celebrate", "celebration", "honour",
                 "honor", "tribute", "mourn", "mourner", "vigil"}


def supportive(head: Token, actor: Token | None) -> bool:
    """A rally of supporters or in support of someone: no one is its implied target."""
    words = [t for t in head.subtree if not t.is_punct] + (list(actor.subtree) if actor is not None else [])
    return any(t.lemma_.lower() in SUPPORT_WORDS or t.lower_ in SUPPORT_WORDS or t.lower_.startswith("pro-")
               or (t.lower_ == "pro" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text == "-") for t in words)


def implied_government(doc: Doc, sent: Span, location: Place | None, actor: ActorRef | None,
                       place_words: list[Token]) -> ActorRef | None:
    """The government a protest with no stated target is aimed at, as an implied `ActorRef`.

    `place_words` are the objects of the protest's locative phrases ("outside the Russian embassy");
    a protest at a state's embassy or consulate is aimed at that state, wherever it stands.
    """
    found = _mission_state(doc, place_words)
    if found is None and location is not None and location.geo is not None and location.geo.country_code:
        found = (location.geo.country_code, location.start, location.end)
    if found is None and actor is not None and actor.country:
        span = (actor.start, actor.end)
        if actor.start is not None and actor.end is not None:
            for tok in doc.char_span(actor.start, actor.end, alignment_mode="expand") or []:
                if _country_of(actor_at(doc, tok.idx, tok.idx + len(tok.text))) == actor.country:
                    span = (tok.idx, tok.idx + len(tok.text))
                    break
        found = (actor.country, *span)
    if found is None:
        codes: dict[str, tuple[int, int]] = {}
        for tok in sent:
            ent = actor_at(doc, tok.idx, tok.idx + len(tok.text))
            code = _country_of(ent) if ent is not None and ent.type in ("GPE", "NORP") else None
            if code and code not in codes:
                codes[code] = (tok.idx, tok.idx + len(tok.text))
        if len(codes) == 1:
            code, span = next(iter(codes.items()))
            found = (code, *span)
    if found is None:
        return None
    code, start, end = found
    state = country_entity(doc, code)
    name = state.name if state is not None else places.country_name(code)
    if not name:
        return None
    text = doc.text[start:end] if start is not None and end is not None else None
    return ActorRef(name=name, actor_id=state.id if state is not None else None, start=start, end=end, text=text,
                    sector="government", country=code)
