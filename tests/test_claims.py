"""Claims: constructed sentences for each estimative family, negation, comparatives, conditions, horizons.

The sentences are invented for these tests. The pipeline here is the statistical model plus the claims
component only, so holders come from the sentence itself or from quotes the test sets on the Doc.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sitroom.model import ActorRef, Claim, Quote, TimeExpr
from sitroom.nlp.estimative import ICD203_BANDS, band_of, lexicon, midpoint, negate

PUB = dt.date(2024, 3, 1)


@pytest.fixture(scope="module")
def nlp():
    import spacy

    from sitroom.nlp import claims  # noqa: F401  (factory)
    from sitroom.nlp.extensions import register_extensions
    from sitroom.nlp.pipeline import DEFAULT_MODEL

    register_extensions()
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("sitroom_claims")
    return nlp


def run(nlp, text: str, quotes: list[Quote] | None = None, published: dt.date | None = PUB,
        times: list[TimeExpr] | None = None) -> list[Claim]:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.quotes = quotes or []
    doc._.times = times or []
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    for c in doc._.claims:
        assert text[c.start:c.end] == c.text
        if c.likelihood.start is not None:
            assert c.likelihood.start < c.likelihood.end
        for cond in c.conditions:
            assert text[cond.start:cond.end] == cond.text
        if c.horizon is not None:
            assert text[c.horizon.start:c.horizon.end] == c.horizon.text
    return doc._.claims


def one(nlp, text: str, **kw) -> Claim:
    claims = run(nlp, text, **kw)
    assert len(claims) == 1, [(c.text, c.likelihood.phrase) for c in claims]
    return claims[0]


# --------------------------------------------------------------------------- the table

def test_table_rows_are_well_formed():
    bands = {name: (lo, hi) for name, lo, hi in ICD203_BANDS}
    rows = lexicon().entries
    assert len(rows) > 80
    for e in rows:
        assert e.kind in {"probability", "possibility", "comparative", "volition", "capability", "belief"}, e
        assert e.source, e
        if e.low is not None or e.high is not None:
            assert e.low is not None and e.high is not None and 0 <= e.low <= e.high <= 1, e
        if e.band is not None:
            assert e.band in bands, e
        if e.source.startswith("ICD203") and e.band is not None and e.kind == "probability":
            assert (e.low, e.high) == bands[e.band], e
        if e.kind in ("volition", "capability", "belief", "comparative"):
            assert e.low is None and e.band is None, e
        if e.kind == "comparative" and e.match in ("phrase", "change_up", "change_down"):
            assert e.direction in ("more", "less"), e


def test_negation_mirrors_bands():
    likely = lexicon().phrases()["likely"]
    not_likely = negate(likely)
    assert (not_likely.band, not_likely.low, not_likely.high) == ("unlikely", 0.2, 0.45)
    assert negate(lexicon().phrases()["very unlikely"]).band == "very likely"
    assert negate(lexicon().phrases()["roughly even chance"]).band == "roughly even chance"
    certain = negate(lexicon().phrases()["almost certain"])
    assert certain.band is None and certain.high == 0.95
    assert negate(lexicon().phrases()["less likely"]).direction == "same"
    assert band_of(0.7) == "likely" and band_of(0.97) == "almost certain" and band_of(0.02) == "almost no chance"
    assert midpoint(0.55, 0.8) == 0.675 and midpoint(None, 0.8) is None


# --------------------------------------------------------------------------- estimative families

@pytest.mark.parametrize("text, band", [
    ("Officials said the ceasefire will very likely hold through the weekend.", "very likely"),
    ("Analysts said it is almost certain that the port will reopen.", "almost certain"),
    ("The central bank said inflation will probably ease.", "likely"),
    ("Diplomats said the minister is unlikely to resign.", "unlikely"),
    ("Economists said a recession is highly unlikely.", "very unlikely"),
    ("Pollsters said there is a roughly even chance that the referendum passes.", "roughly even chance"),
    ("Engineers said there is almost no chance the dam will fail.", "almost no chance"),
])
def test_icd203_phrases(nlp, text, band):
    c = one(nlp, text)
    assert c.likelihood.kind == "probability"
    assert c.likelihood.band == band
    assert (c.likelihood.low, c.likelihood.high) == next((lo, hi) for n, lo, hi in ICD203_BANDS if n == band)
    assert "ICD203" in c.likelihood.source


@pytest.mark.parametrize("text, phrase", [
    ("The strike could disrupt shipping across the region.", "could"),
    ("The storm may reach the coast on Friday.", "may"),
    ("Protests might spread to the capital.", "might"),
    ("Perhaps the council will reconsider its decision.", "Perhaps"),
])
def test_possibility_gets_a_survey_range_but_no_band(nlp, text, phrase):
    c = one(nlp, text)
    assert c.likelihood.kind == "possibility"
    assert c.likelihood.band is None
    assert c.likelihood.phrase == phrase
    assert c.likelihood.low is not None and c.likelihood.high is not None
    assert "MM2018" in c.likelihood.source
    assert c.forecast is True


def test_certainty_words_from_the_survey(nlp):
    c = one(nlp, "“Without doubt, this is the worst drought in decades,” the minister said.")
    assert c.likelihood.band == "almost certain" and "MM2018" in c.likelihood.source
    assert c.holder is not None and c.holder.text == "the minister"
    assert c.forecast is False


def test_unhedged_will_is_a_forecast_only_when_someone_holds_it(nlp):
    c = one(nlp, "The ministry said the bridge will not reopen before winter.")
    assert c.likelihood.band == "almost certain" and c.polarity == "negative" and c.forecast
    assert c.holder.text == "The ministry"
    assert run(nlp, "The talks will be held in Geneva on Monday.") == []  # a schedule the article reports


# --------------------------------------------------------------------------- negation

def test_negation_over_the_cue_flips_the_band(nlp):
    c = one(nlp, "The envoy said it is not likely that the talks will resume.")
    assert c.likelihood.band == "unlikely" and c.likelihood.negated
    assert c.polarity == "positive"


def test_negation_inside_the_proposition_sets_polarity(nlp):
    c = one(nlp, "The army probably won't withdraw, the analyst said.")
    assert c.likelihood.band == "likely" and not c.likelihood.negated
    assert c.polarity == "negative"


def test_dont_think_reads_as_probably_not(nlp):
    c = one(nlp, "“I don’t think the coalition would survive a second vote,” Ms. Ortega said.")
    assert c.likelihood.phrase == "don’t think … would"
    assert c.likelihood.band == "unlikely" and c.likelihood.kind == "probability"
    assert c.text == "the coalition would survive a second vote"
    assert c.forecast is True


def test_doubt_and_dont_know_that(nlp):
    assert one(nlp, "Investors doubt that the merger will close.").likelihood.band == "unlikely"
    c = one(nlp, "“I don’t know that this is going to be a lasting setback,” the coach said.")
    assert c.likelihood.band == "unlikely" and c.forecast is True


# --------------------------------------------------------------------------- comparatives

def test_comparative_phrase_gives_a_direction(nlp):
    c = one(nlp, "For now, a settlement is less likely, the mediator said.")
    assert c.likelihood.kind == "comparative" and c.likelihood.direction == "less"
    assert c.likelihood.low is None and c.likelihood.band is None


def test_risk_change_verbs(nlp):
    c = one(nlp, "The risk of a wider war has increased, the report warned.")
    assert c.likelihood.kind == "comparative" and c.likelihood.direction == "more" and c.forecast
    c = one(nlp, "The new dam reduces the chance of flooding downstream.")
    assert c.likelihood.direction == "less"
    c = one(nlp, "That does not mean that the danger has receded.")
    assert c.likelihood.direction == "same" and c.likelihood.negated


# --------------------------------------------------------------------------- volition, capability, belief

def test_volition_and_capability_are_labels_not_probabilities(nlp):
    c = one(nlp, "The government is more than willing to negotiate with the strikers.")
    assert c.likelihood.kind == "volition" and c.likelihood.phrase == "more than willing"
    assert c.likelihood.low is None and c.likelihood.band is None
    c = one(nlp, "The rebels are able to strike the capital.")
    assert c.likelihood.kind == "capability" and c.forecast is False
    assert run(nlp, "The fact that the rebels are able to strike the capital worries the generals.") == []


def test_belief_holder_is_the_believer(nlp):
    c = one(nlp, "Western intelligence believes the convoy is carrying fuel.")
    assert c.likelihood.kind == "belief" and c.holder.text == "Western intelligence"
    assert c.text == "the convoy is carrying fuel" and c.forecast is False


def test_belief_with_a_nested_estimate_takes_the_estimate(nlp):
    c = one(nlp, "Analysts think the currency could fall further.")
    assert c.likelihood.phrase == "could" and c.holder.text == "Analysts"


# --------------------------------------------------------------------------- conditions and horizons

def test_conditions(nlp):
    c = one(nlp, "If the rains fail, food prices could double, the agency said.")
    assert [x.text for x in c.conditions] == ["If the rains fail"]
    assert c.text == "food prices could double"
    c = one(nlp, "Reinforcements would likely be sent if the truce collapses, the colonel said.")
    assert [x.text for x in c.conditions] == ["if the truce collapses"]
    assert c.likelihood.band == "likely" and c.forecast


@pytest.mark.parametrize("text, horizon, value", [
    ("Prices will likely rise over the next few months, the bank said.", "over the next few months",
     "2024-03-02/2024-06-01"),
    ("The court may rule in the coming days.", "in the coming days", "2024-03-02/2024-03-08"),
    ("For the time being, an agreement is less likely, the envoy said.", "For the time being", "2024-03-01/.."),
    ("The factory could close by the end of the year.", "by the end of the year", "2024-03-01/2024-12-31"),
])
def test_horizons(nlp, text, horizon, value):
    c = one(nlp, text)
    assert c.horizon is not None and c.horizon.text == horizon and c.horizon.value == value
    assert c.forecast is True


def test_horizon_without_a_publication_date_stays_relative(nlp):
    c = one(nlp, "The court may rule in the coming days.", published=None)
    assert c.horizon.earliest is None and c.horizon.value == "P7D"
    c = one(nlp, "Shortly after the vote, the minister said he believes the plan works.", published=None)
    assert c.horizon is None and c.forecast is False


def test_horizon_reuses_the_times_components_expression(nlp):
    text = "The court may rule in the coming days."
    start = text.index("in the coming days")
    t = TimeExpr(id="T3", start=start, end=start + 18, text="in the coming days", type="INTERVAL", value="PXD")
    c = one(nlp, text, times=[t])
    assert c.horizon.id == "T3" and c.horizon.value == "PXD"  # theirs, with the window filled in
    assert c.horizon.latest == dt.date(2024, 3, 8) and c.horizon.direction == "future"
    past = TimeExpr(id="T1", start=text.index("The"), end=3, text="The", direction="past")
    assert one(nlp, text, times=[past]).horizon.text == "in the coming days"


def test_stative_and_perfect_modals_are_assessments_not_forecasts(nlp):
    assert one(nlp, "The leak could signal a split in the cabinet.").forecast is False
    assert one(nlp, "The plan may have run into trouble.").forecast is False
    assert one(nlp, "The ministry may only briefly delay the vote.").forecast is True


# --------------------------------------------------------------------------- holders

def test_quote_speaker_is_the_holder(nlp):
    text = "The mayor spoke on Monday. “The flooding will likely get worse before it improves.”"
    start = text.index("The flooding")
    end = text.index("improves.") + len("improves.")
    q = Quote(id="Q1", kind="direct", start=start, end=end, text=text[start:end],
              speaker=ActorRef(name="Ana Ruiz", actor_id="A1"))
    c = one(nlp, text, quotes=[q])
    assert c.holder.name == "Ana Ruiz" and c.quote_id == "Q1"
    assert c.likelihood.band == "likely"


def test_article_voice_has_no_holder(nlp):
    c = one(nlp, "The blockade may now push grain prices higher.")
    assert c.holder is None and c.quote_id is None


def test_speech_continues_over_a_sentence_break(nlp):
    text = ("The coalition probably has the votes. And the opposition won't block the budget, "
            "the analyst told reporters.")
    claims = run(nlp, text)
    assert [c.holder.text if c.holder else None for c in claims] == ["the analyst", "the analyst"]


def test_confidence_is_kept_apart_from_likelihood(nlp):
    c = one(nlp, "We assess with high confidence that the group will likely attack again, the agency said.")
    assert c.confidence == "high confidence" and c.likelihood.band == "likely"


# --------------------------------------------------------------------------- no claim

@pytest.mark.parametrize("text", [
    "The minister resigned on Tuesday. Troops crossed the border at dawn.",
    "A spokesman could not be reached for comment.",
    "Officials discussed a possible ceasefire and likely candidates.",
    "Could the talks collapse?",
    "Police said they could see smoke from the harbour.",
    "They wanted everything to be as calm as possible.",
    "Officials had expected a quick victory.",
    "Two questions remain. And will the mayor attend the vote at all?",
    "The speech may as well have been written by the opposition.",
    "“I can’t believe they approved it,” a resident said.",
    "The senator was never able to shake that image.",
    "The agency promised to do everything possible.",
    "As improbable as it seemed, the deal went through.",
    "The purge removed perhaps tens of thousands of voters.",
    "It is not clear what effect the rule might have on prices.",
    "No one could have predicted the collapse.",
    "The company said it was going to sell the mine.",
    "“I don’t know what their intentions are,” the mayor said.",
    "The plan is intended to cut costs.",
    "You would think the council would object.",
    "He spoke about what the navy is not able to do.",
    "The governor has assembled a team ready to rebuild the port.",
    "Local doctors seemed eager to talk about him.",
])
def test_no_claim_for_plain_facts(nlp, text):
    assert run(nlp, text) == []


def test_claims_serialise(nlp):
    c = one(nlp, "Officials said the ceasefire will very likely hold through the weekend.")
    data = json.loads(c.model_dump_json())
    assert Claim.model_validate(data) == c


# --------------------------------------------------------------------------- the reference article

@pytest.mark.shared
def test_reference_article_gold_claims(reference):
    """Every gold claim found, with the gold holder, forecast flag and estimative label."""
    _text, gold, analysis = reference
    names = {e.id: e.name for e in analysis.entities}
    problems = []
    for g in gold["claims"]:
        gs, ge = g["span"]
        best = max(analysis.claims, key=lambda c: min(ge, c.end) - max(gs, c.start), default=None)
        overlap = min(ge, best.end) - max(gs, best.start) if best else 0
        if best is None or overlap < 0.5 * min(ge - gs, best.end - best.start):
            problems.append(f"missing: {g['text']}")
            continue
        holder = "article" if best.holder is None else names.get(best.holder.actor_id, best.holder.name)
        if g["holder"] == "article" or holder == "article":
            holder_ok = g["holder"] == holder
        else:
            holder_ok = g["holder"].split()[-1].lower() in holder.lower()
        lk, est = best.likelihood, g["estimative"]
        if est == "less likely":
            label_ok = lk.kind == "comparative" and lk.direction == "less"
        elif est == "unchanged risk":
            label_ok = lk.kind == "comparative" and lk.direction == "same"
        elif est in ("could", "may", "might"):
            label_ok = lk.kind == "possibility" and est in lk.phrase.lower()
        elif est == "believes":
            label_ok = lk.kind == "belief"
        else:
            label_ok = lk.band == est
        if not (holder_ok and label_ok and best.forecast == g["forecast"]):
            problems.append(f"{best.id} {best.text!r}: holder {holder!r} vs {g['holder']!r}, forecast "
                            f"{best.forecast} vs {g['forecast']}, {lk.phrase!r} {lk.band or lk.kind} vs {est!r}")
    assert not problems, "\n".join(problems)
    # no claim for plain reported facts: the gold's reported-fact sentences carry none
    for fact in ("announced the government’s cabinet’s resignation", "hovering around 2,500 people"):
        pos = analysis.text.index(fact)
        assert not any(c.start <= pos < c.end for c in analysis.claims), fact
