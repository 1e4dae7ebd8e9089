"""sitroom: news articles in, a sourced situation picture out."""

__version__ = "0.1.0"


def analyze(text_or_html, published=None, model=None):  # noqa: ANN001, ANN201 (re-exported below)
    """Analyse one article (plain text or HTML); see `sitroom.analysis.analyze`."""
    from sitroom.analysis import analyze as _analyze

    return _analyze(text_or_html, published, **({"model": model} if model else {}))


__all__ = ["__version__", "analyze"]
