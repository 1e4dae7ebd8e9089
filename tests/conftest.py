"""Shared fixtures: one loaded pipeline per test session, and the paths of the shared gold data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test where it is absent (a user's fresh clone)."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (shared gold data is only beside the repo in CI)")
    return p


@pytest.fixture(scope="session")
def analyzer():
    from sitroom.analysis import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def reference(analyzer):
    """The reference article's text, gold annotation and sitroom's analysis of it."""
    import json

    txt = shared_path("gold", "kazakhstan-two-fronts.txt")
    gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    from sitroom.ingest import read_path

    return txt.read_text(encoding="utf-8"), gold, analyzer.analyze_raw(read_path(txt))
