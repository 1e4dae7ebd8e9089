"""The actors component: one behaviour per test, on sentences written for the purpose.

The tests run an actors-only pipeline (the model + `sitroom_actors`), so they test this component
and nothing downstream of it.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
import spacy

from sitroom.analysis import Analyzer, mask_non_article
from sitroom.model import Article, Furniture, Paragraph, TextSpan
from sitroom.nlp import actors as _actors  # noqa: F401  (registers the factory)
from sitroom.nlp.extensions import actor_at
from sitroom.nlp.pipeline import DEFAULT_MODEL
from sitroom.page import ParsedPage
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("sitroom_actors")
    return nlp


@pytest.fixture(scope="module")
def run(nlp):
    """Analyse a text whose body is all of it; returns the Doc."""
    def _run(text: str):
        doc = nlp.make_doc(text)
        doc._.article = None
        return nlp(doc)
    return _run


def by_name(doc, name):
    found = [a for a in doc._.actors if a.name == name]
    assert found, f"no actor {name!r} in {[a.name for a in doc._.actors]}"
    return found[0]


def names(doc):
    return {a.name for a in doc._.actors}


# ---------------------------------------------------------------------- roles
def test_appositive_role_after_name(run):
    doc = run("Maria Lindqvist, a senior fellow at the Baltic Policy Forum, said the talks had stalled.")
    person = by_name(doc, "Maria Lindqvist")
    assert person.type == "PERSON"
    assert [r.text for r in person.roles] == ["senior fellow at the Baltic Policy Forum"]


def test_appositive_with_two_roles_is_split_at_and(run):
    doc = run("Tomas Berger, a defence economist and visiting professor at Uppsala University, told reporters "
              "that the budget would not grow.")
    roles = [r.text for r in by_name(doc, "Tomas Berger").roles]
    assert roles == ["defence economist", "visiting professor at Uppsala University"]


def test_premodifier_title_is_a_role_and_gives_country(run):
    doc = run("On Monday, Norwegian Foreign Minister Anders Vikholm said the embassy would reopen.")
    person = by_name(doc, "Anders Vikholm")
    assert [r.text for r in person.roles] == ["Norwegian Foreign Minister"]
    assert person.country == "NO"


def test_title_with_of_complement_is_a_role(run):
    doc = run("In Washington, Secretary of State Marian Cole said more aid would follow.")
    assert [r.text for r in by_name(doc, "Marian Cole").roles] == ["Secretary of State"]


def test_appositive_before_name_with_possessive_gets_label(run):
    doc = run("The alliance's deputy secretary general, Oskar Delmont, said the exercise would go ahead.")
    person = by_name(doc, "Oskar Delmont")
    assert [r.text for r in person.roles] == ["alliance's deputy secretary general"]
    assert person.roles[0].label == "deputy secretary general of the alliance"


def test_a_list_of_people_is_not_a_role(run):
    doc = run("Present were Anna Kask, President Arvo Tamm, and several aides.")
    assert by_name(doc, "Anna Kask").roles == []


# ---------------------------------------------------------------------- joining mentions
def test_surname_joins_full_name(run):
    doc = run("Helena Marchetti, an energy analyst, expects prices to rise. "
              "Marchetti said the winter would be hard.")
    person = by_name(doc, "Helena Marchetti")
    assert "Marchetti" in person.aliases
    assert len(person.mentions) == 2
    assert len([a for a in doc._.actors if a.type == "PERSON"]) == 1


def test_shared_surname_goes_to_the_person_named_first(run):
    doc = run("Senator Ruth Halvorsen spoke first. Her brother Erik Halvorsen stayed silent during the session. "
              "The committee adjourned at noon. "
              "Later in the week the committee met again, and Halvorsen said the bill would pass.")
    ruth, erik = by_name(doc, "Ruth Halvorsen"), by_name(doc, "Erik Halvorsen")
    assert "Halvorsen" in ruth.aliases and "Halvorsen" not in erik.aliases


def test_dateline_capitals_do_not_name_the_place(run):
    doc = run("LIMA — Protesters marched through central Lima on Sunday.")
    lima = [a for a in doc._.actors if a.name.lower() == "lima"]
    assert lima and lima[0].name == "Lima" and lima[0].geo.country_code == "PE"


def test_acronym_defined_in_parentheses(run):
    doc = run("Ministers from the Arctic Fisheries Cooperation Council (AFCC) met in Tromso. "
              "The AFCC said quotas would be cut.")
    org = by_name(doc, "Arctic Fisheries Cooperation Council")
    assert org.type == "ORG"
    assert org.aliases == ["AFCC"]
    assert sum(m.kind == "acronym" for m in org.mentions) == 2


def test_lexicon_acronym_and_full_name_are_one_actor(run):
    doc = run("The North Atlantic Treaty Organization will meet on Friday. NATO officials declined to comment.")
    nato = [a for a in doc._.actors if a.name == "NATO"]
    assert len(nato) == 1 and "North Atlantic Treaty Organization" in nato[0].aliases


def test_country_prefixed_body_has_bare_name_alias(run):
    doc = run("A U.S. State Department spokesperson said later that the State Department had no comment.")
    org = by_name(doc, "U.S. State Department")
    assert "State Department" in org.aliases
    assert org.sector == "government" and org.country == "US"


# ---------------------------------------------------------------------- metonymy
def test_capital_as_subject_stands_for_the_state(run):
    doc = run("China and India signed the deal. Beijing warned that it would retaliate against any tariffs.")
    china = by_name(doc, "China")
    assert "Beijing" in china.aliases
    assert any(m.kind == "metonym" and m.text == "Beijing" for m in china.mentions)


def test_capital_as_location_is_a_place(run):
    doc = run("Delegates from Peru and Chile gathered in Lima for two days of talks.")
    lima = by_name(doc, "Lima")
    assert lima.type == "GPE" and lima.geo is not None and lima.geo.country_code == "PE"
    assert "Lima" not in by_name(doc, "Peru").aliases


def test_seat_of_power_stands_for_the_state(run):
    doc = run("The Kremlin said on Tuesday that the talks were over.")
    russia = by_name(doc, "Russia")
    assert "Kremlin" in russia.aliases and russia.type == "GPE"


def test_administration_stands_for_the_united_states(run):
    doc = run("The Carter administration imposed a grain embargo.")
    assert "Carter administration" in by_name(doc, "United States").aliases
    assert not any(a.type == "PERSON" for a in doc._.actors)


def test_demonym_is_a_mention_of_its_state_not_an_alias(run):
    doc = run("Poland closed the border. Polish guards turned back the trucks.")
    poland = by_name(doc, "Poland")
    assert any(m.kind == "demonym" and m.text == "Polish" for m in poland.mentions)
    assert "Polish" not in poland.aliases


# ---------------------------------------------------------------------- type corrections
def test_told_the_outlet_is_media(run):
    doc = run("The minister told The Daily Beast that the plan had been shelved.")
    assert by_name(doc, "The Daily Beast").type == "MEDIA"


def test_outlet_word_makes_an_unknown_name_media(run):
    doc = run("The general said in an interview with regional outlet Kraiski Vestnik that the unit had withdrawn.")
    outlet = [a for a in doc._.actors if "Kraiski Vestnik" in {a.name, *a.aliases}]
    assert outlet and outlet[0].type == "MEDIA"


def test_newspaper_masthead_is_media(run):
    doc = run("The Harbor City Tribune reported that the mayor had resigned.")
    assert by_name(doc, "Harbor City Tribune").type == "MEDIA"


def test_military_unit_pattern(run):
    doc = run("Elements of Russia's 58th Combined Arms Army moved south.")
    unit = by_name(doc, "58th Combined Arms Army")
    assert unit.type == "MILITARY_UNIT" and unit.country == "RU"


def test_title_strips_from_person_name(run):
    doc = run("The decision was announced by Ministry Spokesperson Lena Markova on Friday.")
    person = by_name(doc, "Lena Markova")
    assert person.type == "PERSON" and person.roles and person.roles[0].text.endswith("Spokesperson")


def test_lowercase_description_is_not_an_organisation(run):
    doc = run("CNA, a Virginia-based national security research organization, published the study.")
    assert not any(a.name.islower() for a in doc._.actors)


# ---------------------------------------------------------------------- gazetteer
def test_gazetteer_prefers_the_big_place_without_context(run):
    doc = run("Diplomats met in Geneva on Monday.")
    assert by_name(doc, "Geneva").geo.country_code == "CH"


def test_gazetteer_uses_a_qualifier(run):
    doc = run("Officials in Paris, Texas, said the storm had passed.")
    geo = by_name(doc, "Paris").geo
    assert geo.country_code == "US" and geo.feature == "city"


def test_country_geo_has_coordinates_and_geonames_id(run):
    doc = run("Kenya sent troops.")
    geo = by_name(doc, "Kenya").geo
    assert geo.country_code == "KE" and geo.geonames_id and geo.latitude is not None


# ---------------------------------------------------------------------- page zones
def _page_doc(nlp, text, headline, body, furniture):
    def span(s):
        i = text.index(s)
        return TextSpan(start=i, end=i + len(s), text=s)
    art = Article(headline=span(headline), body=[Paragraph(**span(p).model_dump()) for p in body],
                  furniture=[Furniture(**span(f).model_dump(), kind="photo_credit") for f in furniture])
    doc = nlp.make_doc(mask_non_article(text, ParsedPage(text=text, article=art)))
    doc._.article = art
    return nlp(doc)


def test_photo_credit_name_is_not_an_actor(nlp):
    text = ("Storm Hits Coast Towns\n\nJonas Petrovic/Reuters\n\n"
            "Emergency crews in Portugal worked through the night, officials said.")
    doc = _page_doc(nlp, text, "Storm Hits Coast Towns",
                    ["Emergency crews in Portugal worked through the night, officials said."],
                    ["Jonas Petrovic/Reuters"])
    assert "Jonas Petrovic" not in " ".join(names(doc))
    assert "Portugal" in names(doc)


def test_headline_fragment_is_not_an_actor_but_known_names_are_mentioned(nlp):
    text = ("Crisis in Moldova Halts Dunmore’s Trade Plan\n\n"
            "Trade minister Alan Dunmore said on Friday that Moldova had closed its market.")
    doc = _page_doc(nlp, text, "Crisis in Moldova Halts Dunmore’s Trade Plan",
                    ["Trade minister Alan Dunmore said on Friday that Moldova had closed its market."], [])
    assert all("Halts" not in a.name for a in doc._.actors)
    dunmore = by_name(doc, "Alan Dunmore")
    assert any(not m.in_body and m.text == "Dunmore" for m in dunmore.mentions)


# ---------------------------------------------------------------------- the contract
def test_offsets_and_index_cover_every_mention(run):
    text = ("Rob Keller, a former CIA analyst, told Reuters that Moscow would respond. "
            "Keller said the Kremlin was divided. Russia denied it.")
    doc = run(text)
    for actor in doc._.actors:
        for m in actor.mentions:
            assert text[m.start:m.end] == m.text
            assert doc._.actor_index[(m.start, m.end)] == actor.id
        for r in actor.roles:
            assert text[r.start:r.end] == r.text
    i = text.index("Keller said")
    assert actor_at(doc, i, i + len("Keller")).name == "Rob Keller"


# ---------------------------------------------------------------------- the reference article
def _scorer():
    path = shared_path("eval", "score.py")
    spec = importlib.util.spec_from_file_location("sitroom_shared_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _norm_role(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def test_reference_article_entities(nlp):
    from sitroom.ingest import read_path

    txt = shared_path("gold", "kazakhstan-two-fronts.txt")
    gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    analysis = Analyzer(nlp=nlp).analyze_raw(read_path(txt))
    pred = json.loads(analysis.model_dump_json())
    result = _scorer().score_entities(gold, pred)
    assert result["f1"] >= 0.95, result

    entities = analysis.entities
    for g in gold["entities"]:
        names_of = [{e.name, *e.aliases} for e in entities]
        match = next((e for e, n in zip(entities, names_of, strict=True) if g["name"] in n), None)
        assert match is not None, g["name"]
        assert set(g["aliases"]) <= {match.name, *match.aliases}, (g["name"], match.aliases)
        have = {_norm_role(r.text) for r in match.roles} | {_norm_role(r.label) for r in match.roles if r.label}
        for role in g.get("roles", []):
            assert _norm_role(role) in have, (g["name"], role, have)


def test_a_one_word_outlet_is_not_merged_into_itself(analyzer):
    """"the Observer", an outlet that is its own short name, once raised KeyError in the joining."""
    from sitroom.ingest import read_path
    from tests.conftest import shared_path

    page = shared_path("gold", "polnear-train", "breitbart_2016-04-23_clinton-wades-in-urges-britain-t.txt")
    a = analyzer.analyze_raw(read_path(page))
    assert a.entities


# ----------------------------------------------------------- places the lexicons do not list
def test_an_unlisted_demonym_joins_the_place_it_is_formed_from(run):
    doc = run("Talks between Velmaria and its neighbour stalled on Monday. Velmarian officials blamed "
              "the weather, and a Velmarian negotiator left the capital early.")
    velmaria = by_name(doc, "Velmaria")
    assert velmaria.type == "GPE"
    assert sum(m.kind == "demonym" for m in velmaria.mentions) == 2
    assert "Velmarian" not in names(doc)


@pytest.mark.parametrize(("demonym", "place", "expected"), [
    ("Kenyan", "Kenya", True), ("Mexican", "Mexico", True), ("Brazilian", "Brazil", True),
    ("Iraqi", "Iraq", True), ("Japanese", "Japan", True), ("Polish", "Poland", False),
    ("Romans", "Roma", False), ("Ian", "Iowa", False)])
def test_regular_demonym_formation(demonym, place, expected):
    assert _actors.derived_demonym(demonym, place) is expected


def test_a_name_in_apposition_to_a_place_noun_is_a_place(run):
    doc = run("The minister spoke to reporters in the capital, Castelbruck, on Friday. "
              "Later she flew to the port city of Ostrava Nova.")
    assert by_name(doc, "Castelbruck").type == "GPE"


def test_an_outlet_told_with_its_article_is_media(run):
    doc = run("Ana Ferreira, an economist at the Lisbon Institute, told The Valley Ledger that prices would rise.")
    assert by_name(doc, "Valley Ledger").type == "MEDIA"
