"""Quantities: values, bounds of hedged and vague numbers, units and what is counted (invented sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.nlp.quantities import parse_number

PUB = dt.date(2023, 3, 9)


def quantity(analyzer, text: str):
    analysis = analyzer.analyze(text, published=PUB)
    for q in analysis.quantities:
        assert analysis.text[q.start:q.end] == q.text
    assert analysis.quantities, "no quantity found"
    return analysis.quantities[0]


def test_dozens_is_at_least_24(analyzer):
    q = quantity(analyzer, "The clashes left dozens of civilian deaths.")
    assert (q.value, q.value_low, q.unit, q.counts) == (None, 24, "deaths", "civilian deaths")


def test_hundreds_of_thousands_is_at_least_200000(analyzer):
    q = quantity(analyzer, "The country has massed hundreds of thousands of troops on the frontier.")
    assert (q.value_low, q.unit, q.text) == (200_000, "troops", "hundreds of thousands of troops")


def test_around_is_approximate(analyzer):
    q = quantity(analyzer, "The mission numbers around 1,800 soldiers.")
    assert (q.value, q.approx, q.unit) == (1800, True, "troops")


def test_at_least_is_a_lower_bound(analyzer):
    q = quantity(analyzer, "At least 37 people were killed in the floods.")
    assert (q.value, q.value_low, q.unit) == (None, 37, "people")


def test_up_to_is_an_upper_bound(analyzer):
    q = quantity(analyzer, "Up to 300 migrants were on board.")
    assert (q.value, q.value_high) == (None, 300)


def test_nearly_is_approximate_with_an_upper_bound(analyzer):
    q = quantity(analyzer, "The agency delivered nearly 4,000 tons of wheat.")
    assert (q.value, q.value_high, q.approx, q.unit, q.counts) == (4000, 4000, True, "t", "wheat")


def test_several_hundred_is_a_range(analyzer):
    q = quantity(analyzer, "Several hundred students marched to the square.")
    assert (q.value_low, q.value_high) == (300, 900)


def test_money_with_currency_symbol(analyzer):
    q = quantity(analyzer, "The bank approved a $2.5 billion loan.")
    assert (q.value, q.unit) == (2_500_000_000, "USD")


def test_percentage(analyzer):
    q = quantity(analyzer, "Turnout fell by 12 percent.")
    assert (q.value, q.unit) == (12, "%")


def test_size_of_a_unit_is_personnel(analyzer):
    q = quantity(analyzer, "A 600-strong battalion arrived on Monday.")
    assert (q.value, q.unit, q.counts) == (600, "personnel", "battalion")


def test_people_in_a_deployment_are_personnel(analyzer):
    q = quantity(analyzer, "The deployment now stands at about 900 people.")
    assert (q.value, q.approx, q.unit) == (900, True, "personnel")


def test_number_words(analyzer):
    q = quantity(analyzer, "Four hundred prisoners were freed.")
    assert (q.value, q.unit) == (400, "prisoners")


def test_year_is_not_a_quantity(analyzer):
    analysis = analyzer.analyze("The accord of 1994 still holds.", published=PUB)
    assert analysis.quantities == []


@pytest.mark.parametrize("text, value", [
    ("2,500", 2500), ("5.1 million", 5_100_000), ("a dozen", 12), ("one third", 1 / 3), ("Five hundred", 500),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)
