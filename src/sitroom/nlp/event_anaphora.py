"""What an event argument refers back to: "the request", "her government".

Event arguments are often anaphors the actors component does not resolve, because they are not
names: "Morland rejected the request" (whose request?) or "her government had asked the UN" (which
government?). A reader resolves them from the article, by rules reporters write by:

* A definite event noun as the object of a response ("rejected the request", "accepted the offer",
  "welcomed the proposal") refers to the most recent event of the kind it names: the request is the
  last REQUEST the article reported, and the one answered is whoever made it — the responder's target.
* A possessive pronoun before a word for a state ("her government", "his country", "our ministry")
  stands for the state of the person the pronoun points at, when that person's role names a country
  ("Estavian Foreign Minister Clara Duvall said her government ..." → Estavia's government). The
  pronoun points at the person whose words the clause reports ("X said her ..."), else, inside a
  quote, at its speaker ("my"/"our" in direct speech, "his"/"her" in indirect speech), else at the
  last person named in the sentence or the one before.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from sitroom.model import ActorRef, Entity, Event
from sitroom.nlp import places
from sitroom.nlp.extensions import actor_at

#: definite event nouns and the PLOVER types of the events they can refer back to
EVENT_ANAPHORS: dict[str, tuple[str, ...]] = {
    "request": ("REQUEST",), "demand": ("REQUEST",), "appeal": ("REQUEST",), "call": ("REQUEST",),
    "plea": ("REQUEST",), "petition": ("REQUEST",), "suggestion": ("REQUEST",), "ask": ("REQUEST",),
    "proposal": ("REQUEST", "AGREE"), "proposition": ("REQUEST", "AGREE"), "plan": ("REQUEST", "AGREE"),
    "initiative": ("REQUEST", "AGREE"), "invitation": ("AGREE", "REQUEST"),
    "offer": ("AGREE",), "overture": ("AGREE",), "pledge": ("AGREE",), "promise": ("AGREE",),
    "threat": ("THREATEN",), "ultimatum": ("THREATEN",), "warning": ("THREATEN",),
    "accusation": ("ACCUSE",), "allegation": ("ACCUSE",), "charge": ("ACCUSE",), "claim": ("ACCUSE",),
    "criticism": ("ACCUSE",), "complaint": ("ACCUSE",),
}
#: responses whose object is someone else's act: the one who acted is the target
RESPONSE_TYPES = {"REJECT", "AGREE", "CONCEDE", "SUPPORT", "ACCUSE"}
DEFINITE = {"the", "this", "that", "these", "those", "such"}
#: words for a state or its government that a possessive pronoun can own ("her government")
STATE_WORDS = {"government", "country", "nation", "state", "administration", "ministry", "cabinet", "authorities",
               "authority", "regime", "leadership", "army", "military", "forces", "force", "troops", "navy",
               "police", "parliament", "people"}
#: words that say the state's people or forces, not its government, when owned ("her army")
STATE_SECTORS = {"army": "military", "military": "military", "forces": "military", "force": "military",
                 "troops": "military", "navy": "military", "police": "police", "parliament": "legislature",
                 "people": "civilians"}
POSSESSIVE = {"his", "her", "their", "my", "our", "its"}
FIRST_PERSON = {"my", "our"}


def event_anaphor(noun: Token | None) -> tuple[str, ...] | None:
    """The event types a definite event noun can refer back to ("the request"), if it is one.

    A noun that says whose act it is ("Estavia's request", "the request from Estavia", "the Russian
    proposal") is not an anaphor: the text names the author.
    """
    if noun is None or noun.pos_ != "NOUN":
        return None
    types = EVENT_ANAPHORS.get(noun.lemma_.lower())
    if types is None:
        return None
    if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.children):
        return None
    for c in noun.children:
        if c.dep_ == "poss":
            return None
        if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i and c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"):
            return None
        if c.dep_ == "prep" and c.lower_ in ("by", "from") and any(g.dep_ == "pobj" for g in c.children):
            return None
    return types


def antecedent_author(prior: Sequence[Event], types: tuple[str, ...], actor: ActorRef | None) -> ActorRef | None:
    """The actor of the most recent earlier event of one of `types`; None when there is none, or when it
    is `actor` itself (a party answering its own request is not its own target)."""
    for ev in reversed(prior):
        if ev.type not in types or ev.actor is None or ev.actor_implied:
            continue
        if actor is not None and _same(ev.actor, actor):
            return None
        return ev.actor
    return None


def _same(a: ActorRef, b: ActorRef) -> bool:
    if a.actor_id and b.actor_id:
        return a.actor_id == b.actor_id
    return a.name.lower() == b.name.lower()


# --------------------------------------------------------------------------- "her government"

def owned_state(doc: Doc, noun: Token) -> ActorRef | None:
    """"her government" → the state of the person "her" points at, as an `ActorRef` on the words
    "her government"; None when the noun is not owned by a pronoun or the person has no country."""
    word = noun.lower_ if noun.lower_ in STATE_WORDS else noun.lemma_.lower()
    if noun.pos_ != "NOUN" or word not in STATE_WORDS:
        return None
    pron = next((c for c in noun.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE), None)
    if pron is None:
        return None
    person = _person_for(doc, pron)
    if person is None:
        return None
    state, code = _state_of(doc, person)
    if state is None and code is None:
        return None
    name = state.name if state is not None and state.type != "NORP" else (places.country_name(code) or
                                                                           (state.name if state else None))
    if not name:
        return None
    start = pron.idx
    end = noun.idx + len(noun.text)
    sector = STATE_SECTORS.get(word, "government")
    return ActorRef(name=name, actor_id=state.id if state is not None else None, start=start, end=end,
                    text=doc.text[start:end], sector=sector, country=code)


def _person_at(doc: Doc, tok: Token) -> Entity | None:
    actor = actor_at(doc, tok.idx, tok.idx + len(tok.text))
    return actor if actor is not None and actor.type == "PERSON" else None


def _person_for(doc: Doc, pron: Token) -> Entity | None:
    """The person a possessive pronoun points at (see the module docstring for the order of the rules)."""
    if pron.lower_ == "its":
        return None
    if pron.lower_ not in FIRST_PERSON:
        # "X said her government ...": the subject of the verb of saying over the pronoun's clause
        cur = pron
        for _ in range(12):
            if cur.head.i == cur.i:
                break
            if cur.dep_ in ("ccomp", "parataxis") or (cur.dep_ == "conj" and cur.head.pos_ == "VERB"):
                subj = next((c for c in cur.head.children if c.dep_ == "nsubj"), None)
                if subj is not None:
                    person = _person_at(doc, subj)
                    if person is not None:
                        return person
            cur = cur.head
    for q in doc._.quotes or []:
        frags = q.fragments or [q]
        if not any(f.start <= pron.idx < f.end for f in frags):
            continue
        if (q.kind == "direct") != (pron.lower_ in FIRST_PERSON):
            return None  # "her" in direct speech is someone else; "my" in indirect speech is the reporter's
        if q.speaker is not None and q.speaker.actor_id:
            actor = next((a for a in doc._.actors or [] if a.id == q.speaker.actor_id), None)
            if actor is not None and actor.type == "PERSON":
                return actor
        return None
    if pron.lower_ in FIRST_PERSON:
        return None
    # the last person named before the pronoun, in its sentence or the one before
    sent = pron.sent
    first = sent.start
    if first > 0:
        first = doc[first - 1].sent.start
    for tok in reversed(doc[first:pron.i]):
        person = _person_at(doc, tok)
        if person is not None:
            return person
    return None


def _state_of(doc: Doc, person: Entity) -> tuple[Entity | None, str | None]:
    """The state a person serves, from the words of their roles ("Estavian Foreign Minister"), else the
    person's own country; the article's actor for it (a state or its demonym) and its ISO code."""
    for role in person.roles:
        span = doc.char_span(role.start, role.end, alignment_mode="expand")
        for tok in span or []:
            actor = actor_at(doc, tok.idx, tok.idx + len(tok.text))
            if actor is not None and actor.type in ("GPE", "NORP"):
                code = actor.country or (actor.geo.country_code if actor.geo is not None else None)
                if actor.type == "NORP" and code:
                    state = _country_actor(doc, code)
                    return state or actor, code
                return actor, code
    if person.country:
        return _country_actor(doc, person.country), person.country
    return None, None


def _country_actor(doc: Doc, code: str) -> Entity | None:
    for a in doc._.actors or []:
        if a.type == "GPE" and a.geo is not None and a.geo.country_code == code and a.geo.feature == "country":
            return a
    return None
