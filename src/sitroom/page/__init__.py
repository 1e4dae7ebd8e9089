"""Parse: turn a `RawDocument` into the text sitroom analyses and its `Article` (page model)."""

from sitroom.page.parse import ParsedPage, parse_page

__all__ = ["ParsedPage", "parse_page"]
