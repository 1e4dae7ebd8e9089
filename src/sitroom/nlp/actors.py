"""Actors: turn spaCy's entity mentions into one entry per real-world actor.

FIRST VERSION (issue 2): groups spaCy entities by their text. Issue 4 replaces it with type
correction, name joining, acronyms, metonymy, roles and a gazetteer.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.model import Entity, Mention
from sitroom.nlp.extensions import in_body, register_extensions

_SCORED_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}


@Language.factory("sitroom_actors")
def make_actor_resolver(nlp: Language, name: str) -> ActorResolver:
    register_extensions()
    return ActorResolver()


class ActorResolver:
    def __call__(self, doc: Doc) -> Doc:
        by_key: dict[tuple[str, str], Entity] = {}
        index: dict[tuple[int, int], str] = {}
        for ent in doc.ents:
            if ent.label_ not in _SCORED_TYPES or not in_body(doc, ent.start_char, ent.end_char):
                continue
            key = (ent.label_, ent.text.lower())
            actor = by_key.get(key)
            if actor is None:
                actor = Entity(id=f"A{len(by_key) + 1}", name=ent.text, type=ent.label_)
                by_key[key] = actor
            actor.mentions.append(Mention(start=ent.start_char, end=ent.end_char, text=ent.text))
            index[(ent.start_char, ent.end_char)] = actor.id
        doc._.actors = list(by_key.values())
        doc._.actor_index = index
        return doc
