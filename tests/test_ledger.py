"""The forecast ledger: listing forecasts from analysis files, resolving them, scoring holders."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from sitroom.ledger import (
    ARTICLE_HOLDER,
    JsonBook,
    LedgerError,
    analyses_from_paths,
    brier,
    entries_from_analyses,
    filter_entries,
    plot_calibration,
    scorecard,
)
from sitroom.model import ActorRef, Analysis, Article, Claim, Likelihood, Provenance, TimeExpr
from sitroom.present.cli import app

runner = CliRunner()


def _claim(text: str, body: str, n: int, *, holder: str | None, low: float | None, high: float | None,
           band: str | None = None, kind: str = "probability", forecast: bool = True,
           direction: str | None = None) -> Claim:
    start = body.index(text)
    return Claim(
        id=f"C{n}", start=start, end=start + len(text), text=text, forecast=forecast,
        holder=ActorRef(name=holder) if holder else None,
        likelihood=Likelihood(phrase="x", kind=kind, band=band, low=low, high=high, direction=direction),
        horizon=TimeExpr(id="T1", start=start, end=start + 1, text=body[start], value="2024-03-02/2024-06-01",
                         latest=dt.date(2024, 6, 1)) if n == 1 else None,
    )


def _analysis(body: str, claims: list[Claim]) -> Analysis:
    return Analysis(text=body, article=Article(published=dt.date(2024, 3, 1)), claims=claims,
                    provenance=Provenance(sitroom_version="test", model="none"))


BODY_A = ("The mayor said the dam will likely hold. The port may reopen in May. Prices are less likely to fall. "
          "The river is probably high today.")
BODY_B = "An engineer said the bridge will almost certainly close. The article thinks talks could fail."


@pytest.fixture()
def folder(tmp_path):
    a = _analysis(BODY_A, [
        _claim("the dam will likely hold", BODY_A, 1, holder="Mayor Ruiz", low=0.55, high=0.8, band="likely"),
        _claim("The port may reopen in May", BODY_A, 2, holder="Mayor Ruiz", low=0.4, high=0.6, kind="possibility"),
        _claim("Prices are less likely to fall", BODY_A, 3, holder="Mayor Ruiz", low=None, high=None,
               kind="comparative", direction="less"),
        _claim("The river is probably high today", BODY_A, 4, holder=None, low=0.55, high=0.8, band="likely",
               forecast=False),
    ])
    b = _analysis(BODY_B, [
        _claim("the bridge will almost certainly close", BODY_B, 1, holder="Ana Pires", low=0.95, high=0.99,
               band="almost certain"),
        _claim("talks could fail", BODY_B, 2, holder=None, low=0.3, high=0.5, kind="possibility"),
    ])
    d = tmp_path / "out"
    d.mkdir()
    (d / "city-dam.json").write_text(a.model_dump_json(), encoding="utf-8")
    (d / "bridge.json").write_text(b.model_dump_json(), encoding="utf-8")
    (d / "notes.json").write_text('{"not": "an analysis"}', encoding="utf-8")
    return d


def test_brier_uses_the_two_outcome_convention():
    assert brier(1.0, 1.0) == 0 and brier(0.0, 1.0) == 2 and brier(0.5, 0.0) == 0.5
    assert brier(0.7, 1.0) == pytest.approx(0.18)
    assert brier(0.5, 0.5) == 0  # partial


def test_entries_from_analysis_files(folder):
    warnings: list[str] = []
    entries = entries_from_analyses(analyses_from_paths([folder], warnings))
    assert warnings and "notes.json" in warnings[0]
    ids = [e.id for e in entries]
    assert ids == ["bridge/C1", "bridge/C2", "city-dam/C1", "city-dam/C2", "city-dam/C3"]  # C4 is not a forecast
    first = next(e for e in entries if e.id == "city-dam/C1")
    assert first.probability == 0.675 and first.horizon_latest == dt.date(2024, 6, 1)
    assert next(e for e in entries if e.id == "bridge/C2").holder == ARTICLE_HOLDER
    assert not next(e for e in entries if e.id == "city-dam/C3").scorable
    everything = entries_from_analyses(analyses_from_paths([folder]), forecasts_only=False)
    assert len(everything) == 6
    with pytest.raises(LedgerError):
        list(analyses_from_paths([folder / "missing"]))


def test_resolutions_and_scorecard(folder, tmp_path):
    entries = entries_from_analyses(analyses_from_paths([folder]))
    book = JsonBook(tmp_path / "ledger.json")
    assert book.all() == {}
    book.record("city-dam/C1", "yes", dt.date(2024, 6, 1), "held")
    book.record("city-dam/C2", "no", dt.date(2024, 5, 31), None)
    book.record("city-dam/C3", "yes", dt.date(2024, 5, 31), None)
    book.record("bridge/C1", "partial", dt.date(2024, 4, 1), None)
    book.record("bridge/C1", "no", dt.date(2024, 4, 2), "re-resolved")  # the latest wins
    res = book.all()
    assert res["bridge/C1"].outcome == "no" and res["bridge/C1"].note == "re-resolved"
    assert [e.id for e in filter_entries(entries, res, state="open")] == ["bridge/C2"]
    assert [e.id for e in filter_entries(entries, res, holder="ruiz", state="resolved")] == [
        "city-dam/C1", "city-dam/C2", "city-dam/C3"]
    scores = {s.holder: s for s in scorecard(entries, res)}
    ruiz = scores["Mayor Ruiz"]
    assert (ruiz.forecasts, ruiz.resolved, ruiz.scored) == (3, 3, 2)
    assert ruiz.brier == pytest.approx((brier(0.675, 1) + brier(0.5, 0)) / 2, abs=1e-4)
    assert [e.id for e, _ in ruiz.unscored] == ["city-dam/C3"]
    likely = next(b for b in ruiz.buckets if b.band == "likely")
    assert (likely.n, likely.mean_p, likely.observed) == (1, 0.675, 1.0)
    assert scores["Ana Pires"].brier == pytest.approx(brier(0.97, 0))
    assert scores["(all holders)"].scored == 3
    assert scores[ARTICLE_HOLDER].resolved == 0 and scores[ARTICLE_HOLDER].brier is None
    for suffix in ("png", "svg"):
        path = plot_calibration(list(scores.values()), tmp_path / f"cal.{suffix}")
        assert path.stat().st_size > 1000
    with pytest.raises(LedgerError):
        plot_calibration([], tmp_path / "cal.pdf")


def test_renumbered_claims_are_flagged(folder, tmp_path):
    from sitroom.ledger import mismatches

    entries = entries_from_analyses(analyses_from_paths([folder]))
    book = JsonBook(tmp_path / "l.json")
    book.record("city-dam/C1", "yes", None, None, "the dam will likely hold")
    book.record("city-dam/C2", "yes", None, None, "something else entirely")
    assert [m.split()[0] for m in mismatches(entries, book.all())] == ["city-dam/C2"]


def test_a_broken_ledger_file_is_a_clear_error(tmp_path):
    p = tmp_path / "ledger.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(LedgerError, match="not a sitroom ledger"):
        JsonBook(p).all()


def test_cli_round_trip(folder, tmp_path):
    ledger = tmp_path / "l.json"
    common = ["--from", str(folder), "--ledger", str(ledger)]
    res = runner.invoke(app, ["forecasts", *common, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["id"] for r in rows] == ["bridge/C1", "bridge/C2", "city-dam/C1", "city-dam/C2", "city-dam/C3"]
    res = runner.invoke(app, ["resolve", "city-dam/C1", "--outcome", "yes", "--date", "2024-06-01",
                              "--note", "the dam held", *common])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["resolve", "city-dam/C9", "--outcome", "yes", "--date", "2024-06-01", *common])
    assert res.exit_code == 2 and "no forecast" in res.output
    res = runner.invoke(app, ["resolve", "city-dam/C1", "--outcome", "maybe", "--date", "2024-06-01", *common])
    assert res.exit_code == 2
    res = runner.invoke(app, ["resolve", "city-dam/C1", "--outcome", "no", "--date", "June", *common])
    assert res.exit_code == 2
    res = runner.invoke(app, ["forecasts", *common, "--resolved", "--format", "json"])
    assert [r["id"] for r in json.loads(res.stdout)] == ["city-dam/C1"]
    assert json.loads(ledger.read_text(encoding="utf-8"))["resolutions"]["city-dam/C1"]["text"] == \
        "the dam will likely hold"
    assert json.loads(res.stdout)[0]["resolution"]["note"] == "the dam held"
    res = runner.invoke(app, ["forecasts", *common, "--open", "--holder", "pires"])
    assert res.exit_code == 0 and "bridge/C1" in res.stdout and "city-dam" not in res.stdout
    plot = tmp_path / "cal.svg"
    res = runner.invoke(app, ["scorecard", *common, "--plot", str(plot), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert "Good Judgment Open" in data["explanation"]
    ruiz = next(h for h in data["holders"] if h["holder"] == "Mayor Ruiz")
    assert ruiz["scored"] == 1 and ruiz["brier"] == pytest.approx(brier(0.675, 1), abs=1e-4)
    assert plot.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    res = runner.invoke(app, ["scorecard", *common])
    assert res.exit_code == 0 and "Brier" in res.stdout


def test_cli_needs_a_source(tmp_path):
    res = runner.invoke(app, ["forecasts"])
    assert res.exit_code == 2 and "--from" in res.output
    res = runner.invoke(app, ["forecasts", "--from", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "no such file" in res.output


def test_cli_over_the_corpus_store(folder, tmp_path):
    from sitroom.store import Store

    db = tmp_path / "corpus.db"
    with Store(str(db)) as store:
        for aid, analysis in analyses_from_paths([folder]):
            store.add(analysis, source=f"{aid}.txt")
        ids = {f"{r.article_id}/{r.local_id}" for r in store.claims(forecast=True)}
    res = runner.invoke(app, ["forecasts", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert {r["id"] for r in json.loads(res.stdout)} == ids
    target = sorted(ids)[0]
    res = runner.invoke(app, ["resolve", target, "--outcome", "no", "--date", "2024-05-01", "--db", str(db)])
    assert res.exit_code == 0, res.output
    with Store(str(db)) as store:
        assert [r.outcome for r in store.resolutions()] == ["no"]  # kept in the store's own table
    res = runner.invoke(app, ["forecasts", "--db", str(db), "--resolved", "--format", "json"])
    assert [r["id"] for r in json.loads(res.stdout)] == [target]
    res = runner.invoke(app, ["scorecard", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0 and sum(h["resolved"] for h in json.loads(res.stdout)["holders"][:-1]) == 1
