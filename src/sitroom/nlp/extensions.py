"""The `Doc` extensions sitroom's components read and write.

Each extraction stage is a spaCy component that reads what earlier stages left on the `Doc` and
adds its own list of model objects (see `sitroom.model`). Offsets in those objects are character
offsets into `doc.text`, which sitroom builds so that they are also offsets into the input.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

from sitroom.model import Article

#: extension name -> default; every list holds `sitroom.model` objects.
DOC_EXTENSIONS: dict[str, object] = {
    "article": None,  # sitroom.model.Article, set before the pipeline runs
    "actors": None,  # list[Entity]
    "actor_index": None,  # dict[(start, end)] -> actor id, for every mention
    "quotes": None,  # list[Quote]
    "marked_phrases": None,  # list[MarkedPhrase]
    "times": None,  # list[TimeExpr]
    "quantities": None,  # list[Quantity]
    "events": None,  # list[Event]
    "claims": None,  # list[Claim]
    "published": None,  # datetime.date | None, the anchor for relative dates
    "sitroom_warnings": None,  # list[str]
}


def register_extensions() -> None:
    """Register sitroom's `Doc` extensions once (idempotent, safe to call from every factory)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc: spaCy joins every token again each time the property is read."""
    text = doc.user_data.get("sitroom_text")
    if text is None:
        text = doc.text
        doc.user_data["sitroom_text"] = text
    return text


def body_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the article body; the whole doc when no article was parsed."""
    article: Article | None = doc._.article
    if article is None or not article.body:
        return [(0, len(doc_text(doc)))]
    return [(p.start, p.end) for p in article.body]


def clip_to_line(text: str, start: int, end: int) -> tuple[int, int]:
    """`start:end` without surrounding spaces, cut at the first line break: the tagger joins an
    entity across lines (a heading, blanked furniture), which no fact should span."""
    piece = text[start:end]
    start, end = start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())
    newline = text.find("\n", start, end)
    return start, (newline if newline >= 0 else end)


def in_body(doc: Doc, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in body_ranges(doc))


def body_sentences(doc: Doc) -> Iterator[Span]:
    """Sentences that lie in a body paragraph (headline, dek and furniture are skipped)."""
    ranges = body_ranges(doc)
    for sent in doc.sents:
        text = sent.text
        stripped = text.lstrip()
        if not stripped:
            continue
        first = sent.start_char + len(text) - len(stripped)  # a sentence may open on the paragraph break
        if any(s <= first < e for s, e in ranges):
            yield sent


def warn(doc: Doc, message: str) -> None:
    if doc._.sitroom_warnings is None:
        doc._.sitroom_warnings = []
    doc._.sitroom_warnings.append(message)


register_extensions()


def actor_at(doc: Doc, start: int, end: int):  # -> Entity | None
    """The actor with a mention overlapping [start, end) — the longest overlap wins.

    This is how quotes, events and claims point at actors: they find a local mention (a name,
    "he", "the ministry") and ask which actor it belongs to. The actors component fills
    `doc._.actor_index` with every mention it resolved.
    """
    index = doc._.actor_index or {}
    best, best_overlap = None, 0
    for (s, e), actor_id in index.items():
        overlap = min(e, end) - max(s, start)
        if overlap > best_overlap:
            best, best_overlap = actor_id, overlap
    if best is None:
        return None
    return next((a for a in doc._.actors or [] if a.id == best), None)


def actor_ref(doc: Doc, start: int, end: int):  # -> ActorRef | None
    """An `ActorRef` for the local mention [start, end): canonical name, actor id, mention offsets."""
    from sitroom.model import ActorRef

    actor = actor_at(doc, start, end)
    text = doc.text[start:end]
    if actor is None:
        return ActorRef(name=text, start=start, end=end, text=text)
    role = actor.roles[0].text if actor.roles else None
    return ActorRef(name=actor.name, actor_id=actor.id, start=start, end=end, text=text, role=role)
