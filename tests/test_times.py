"""Time expressions normalised against the publication date: one rule per test (invented sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.nlp.timenorm import normalize, resolve_weekday

PUB = dt.date(2023, 3, 9)  # a Thursday


def times(analyzer, text: str, published: dt.date | None = PUB):
    analysis = analyzer.analyze(text, published=published)
    for t in analysis.times:
        assert analysis.text[t.start:t.end] == t.text
    return analysis.times


def only(analyzer, text: str, published: dt.date | None = PUB):
    found = times(analyzer, text, published)
    assert len(found) == 1, [t.text for t in found]
    return found[0]


def test_past_weekday_in_past_tense(analyzer):
    t = only(analyzer, "On Tuesday, the minister announced her resignation.")
    assert (t.text, t.value) == ("On Tuesday", "2023-03-07")


def test_publication_weekday_in_past_tense_is_the_same_day(analyzer):
    assert only(analyzer, "The spokesman said in a briefing Thursday that talks had stalled.").value == "2023-03-09"


def test_future_tense_picks_the_coming_weekday(analyzer):
    assert only(analyzer, "The delegations will meet on Monday in Oslo.").value == "2023-03-13"


def test_last_day_is_an_interval(analyzer):
    t = only(analyzer, "Troops have crossed the river in the last day.")
    assert (t.type, t.value) == ("INTERVAL", "2023-03-08/2023-03-09")


def test_coming_days_is_a_vague_future_interval(analyzer):
    t = only(analyzer, "The envoys are expected to meet in the coming days.")
    assert (t.value, t.vague, t.direction, t.earliest) == ("2023-03-09/PXD", True, "future", PUB)


def test_next_few_months_is_a_vague_future_interval(analyzer):
    t = only(analyzer, "Prices may keep rising over the next few months.")
    assert (t.value, t.vague, t.direction) == ("2023-03-09/PXM", True, "future")


def test_recent_days_is_a_vague_past_interval(analyzer):
    t = only(analyzer, "Clashes have spread in recent days.")
    assert (t.value, t.direction, t.latest) == ("PXD/2023-03-09", "past", PUB)


def test_for_months_is_a_duration(analyzer):
    t = only(analyzer, "For months, the army has been massing troops.")
    assert (t.type, t.value) == ("DURATION", "PXM")


def test_counted_duration(analyzer):
    assert only(analyzer, "The strike lasted for three weeks.").value == "P3W"


def test_ago(analyzer):
    assert only(analyzer, "The treaty was signed two weeks ago.").value == "2023-02-23"


def test_yesterday(analyzer):
    assert only(analyzer, "Rebels attacked the convoy yesterday.").value == "2023-03-08"


def test_last_month(analyzer):
    t = only(analyzer, "The ceasefire collapsed last month.")
    assert (t.value, t.earliest, t.latest) == ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28))


def test_this_week_is_an_iso_week(analyzer):
    assert only(analyzer, "Talks resumed this week.").value == "2023-W10"


def test_month_day_without_year_looks_back_in_past_tense(analyzer):
    assert only(analyzer, "The border was closed on November 3.").value == "2022-11-03"


def test_month_day_without_year_looks_ahead_in_future_tense(analyzer):
    assert only(analyzer, "Elections will be held on November 3.").value == "2023-11-03"


def test_full_date(analyzer):
    assert only(analyzer, "The accord was signed on 14 January 2021.").value == "2021-01-14"


def test_decade(analyzer):
    assert only(analyzer, "The dispute dates back to the 1970s.").value == "197"


def test_since_makes_an_interval_to_publication(analyzer):
    t = only(analyzer, "The town has been under siege since January.")
    assert (t.type, t.value) == ("INTERVAL", "2023-01/2023-03-09")


def test_no_publication_date_leaves_weekday_unresolved(analyzer):
    assert only(analyzer, "On Tuesday, the minister resigned.", published=None).value == "XXXX-WXX-2"


def test_time_expressions_in_text_order_with_ids(analyzer):
    found = times(analyzer, "Talks began on Monday and ended yesterday.")
    assert [t.id for t in found] == ["T1", "T2"] and found[0].start < found[1].start


@pytest.mark.parametrize("weekday, tense, expected", [
    (2, "past", dt.date(2023, 3, 8)),  # Wednesday before a Thursday
    (3, "past", dt.date(2023, 3, 9)),  # the same Thursday
    (0, "future", dt.date(2023, 3, 13)),  # the next Monday
])
def test_resolve_weekday(weekday, tense, expected):
    assert resolve_weekday(weekday, PUB, tense) == expected


def test_clock_time(analyzer):
    n = normalize("2 p.m.", None, "past", PUB)
    assert (n.type, n.value) == ("TIME", "T14:00")


def test_set(analyzer):
    n = normalize("once every three days", None, "present", PUB)
    assert (n.type, n.value) == ("SET", "P3D")


def test_would_after_a_past_speech_verb_looks_forward(analyzer):
    t = only(analyzer, "Officials said the talks would resume on March 20.")
    assert (t.value, t.direction) == ("2023-03-20", "future")
