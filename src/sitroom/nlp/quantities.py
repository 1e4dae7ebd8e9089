"""Quantities: placeholder component (filled by its own issue)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.nlp.extensions import register_extensions


@Language.factory("sitroom_quantities")
def make_component(nlp: Language, name: str) -> Component:
    register_extensions()
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc._.quantities = []
        return doc
