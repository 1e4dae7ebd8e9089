"""The library entry point: raw input in, `Analysis` out.

`Analyzer` holds one loaded spaCy pipeline and runs the stages in order —
parse the page, build a `Doc` whose offsets are the input's, run the sitroom components,
collect their results into the pydantic `Analysis`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from sitroom import __version__
from sitroom.ingest import limits
from sitroom.ingest.reader import RawDocument, from_bytes
from sitroom.model import Analysis, Provenance, Source
from sitroom.nlp.pipeline import DEFAULT_MODEL, shared_pipeline
from sitroom.page import ParsedPage, parse_page

# A Doc longer than this is refused by spaCy's parser memory budget; sitroom's input cap is lower.
_MAX_DOC_CHARS = 2_000_000


def mask_non_article(text: str, page: ParsedPage) -> str:
    """Blank out furniture, keeping every character's offset (newlines stay, to keep sentences apart).

    The model then never reads a photo credit as part of a sentence, yet offsets in the `Doc`
    are still offsets into the input.
    """
    if not page.article.furniture:
        return text
    chars = list(text)
    for item in page.article.furniture:
        for i in range(item.start, min(item.end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


class Analyzer:
    """Analyse articles with one loaded pipeline (load it once, analyse many)."""

    def __init__(self, model: str = DEFAULT_MODEL, nlp: Language | None = None) -> None:
        self.model = model
        self.nlp = nlp or shared_pipeline(model)

    # -- one document ------------------------------------------------------------------
    def _prepare(self, raw: RawDocument, published: dt.date | None) -> tuple[ParsedPage, Doc, dict]:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        limits.check_raw(raw)  # over-long plain text is refused before the page parser spends time on it
        page = parse_page(raw, published=published)
        limits.check_text(page.text, raw.path or raw.url or "input")
        timings["parse_page"] = time.perf_counter() - t0
        doc = self.nlp.make_doc(mask_non_article(page.text, page)[:_MAX_DOC_CHARS])
        doc._.article = page.article
        doc._.published = page.article.published
        return page, doc, timings

    def _finish(self, raw: RawDocument, page: ParsedPage, doc: Doc, timings: dict) -> Analysis:
        warnings = list(page.warnings) + list(doc._.sitroom_warnings or [])
        if not page.article.body:
            warnings.append("no article body found")
        return Analysis(
            text=page.text,
            source=Source(kind=raw.kind, path=raw.path, url=raw.url, sha256=raw.sha256, length=len(raw.text)),
            article=page.article,
            entities=doc._.actors or [],
            quotes=doc._.quotes or [],
            marked_phrases=doc._.marked_phrases or [],
            events=doc._.events or [],
            claims=doc._.claims or [],
            quantities=doc._.quantities or [],
            times=doc._.times or [],
            warnings=warnings,
            provenance=Provenance(sitroom_version=__version__, model=self.model, timings=timings,
                                  created=dt.datetime.now(dt.UTC)),
        )

    def analyze_raw(self, raw: RawDocument, published: dt.date | None = None) -> Analysis:
        """One article, within the per-article time limit (`limits.time_budget`; raises `ArticleTimeout`)."""
        with limits.time_budget(what=raw.path or raw.url or "input"):
            page, doc, timings = self._prepare(raw, published)
            t0 = time.perf_counter()
            doc = self.nlp(doc)
            timings["nlp"] = time.perf_counter() - t0
            return self._finish(raw, page, doc, timings)

    def analyze(self, text_or_html: str, published: dt.date | None = None) -> Analysis:
        raw = from_bytes(text_or_html.encode("utf-8"), "text")
        return self.analyze_raw(raw, published)

    # -- many documents ----------------------------------------------------------------
    def analyze_many(self, raws: Iterable[RawDocument], published: dt.date | None = None,
                     batch_size: int = 16) -> Iterator[Analysis]:
        """Stream analyses in input order; spaCy batches the parsing."""
        prepared = (self._prepare(raw, published) + (raw,) for raw in raws)

        def docs_with_context() -> Iterator[tuple[Doc, tuple]]:
            for page, doc, timings, raw in prepared:
                yield doc, (page, timings, raw)

        for doc, (page, timings, raw) in self.nlp.pipe(docs_with_context(), as_tuples=True,
                                                       batch_size=batch_size):
            yield self._finish(raw, page, doc, timings)


def analyze(text_or_html: str, published: dt.date | str | None = None, model: str = DEFAULT_MODEL) -> Analysis:
    """Analyse one article given as plain text or HTML."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return Analyzer(model).analyze(text_or_html, published)
