"""PLOVER events: one constructed sentence per type, status and coding rule (one behaviour per test).

The sentences are invented for these tests; each would be read the same way by a PLOVER coder.
"""

from __future__ import annotations

import datetime as dt

import pytest

PUB = dt.date(2023, 3, 9)  # a Thursday


def events(analyzer, text: str, published: dt.date | None = PUB):
    analysis = analyzer.analyze(text, published=published)
    for e in analysis.events:  # offsets are sacred
        assert analysis.text[e.start:e.end] == e.text
        assert analysis.text[e.trigger.start:e.trigger.end] == e.trigger.text
    return analysis.events


def types(analyzer, text: str) -> list[str]:
    return [e.type for e in events(analyzer, text)]


# --------------------------------------------------------------------------- one sentence per type

@pytest.mark.parametrize("text, expected", [
    ("The two governments agreed on Tuesday to resume trade talks.", "AGREE"),
    ("The Finnish foreign minister met her Estonian counterpart in Tallinn on Monday.", "CONSULT"),
    ("The Canadian prime minister praised Ghana's handling of the election.", "SUPPORT"),
    ("The Norwegian police have shared intelligence with Swedish investigators.", "COOPERATE"),
    ("Japan gave Bangladesh 30 million dollars in flood relief.", "AID"),
    ("The military government lifted the nationwide curfew on Sunday.", "CONCEDE"),
    ("The rebels released twelve hostages on Friday.", "RETREAT"),
    ("Opposition leaders demanded that the president call early elections.", "REQUEST"),
    ("The ministry accused the neighbouring state of arming the militants.", "ACCUSE"),
    ("The dockers' union rejected the government's pay offer.", "REJECT"),
    ("The president threatened to expel foreign journalists.", "THREATEN"),
    ("Thousands of farmers demonstrated outside parliament on Wednesday.", "PROTEST"),
    ("The European Union imposed sanctions on the junta's leaders.", "SANCTION"),
    ("The army mobilized reservists near the northern frontier.", "MOBILIZE"),
    ("Police arrested forty students in the capital.", "COERCE"),
    ("Gunmen killed three villagers in an attack on Saturday.", "ASSAULT"),
])
def test_each_plover_type(analyzer, text, expected):
    assert types(analyzer, text)[:1] == [expected]


# --------------------------------------------------------------------------- modes

def test_protest_mode_hunger_strike(analyzer):
    ev = events(analyzer, "Jailed activists began a hunger strike on Monday.")
    assert (ev[0].type, ev[0].mode) == ("PROTEST", "hunger")


def test_assault_mode_from_weapon(analyzer):
    ev = events(analyzer, "Two soldiers were killed by a roadside bomb near the border.")
    assert (ev[0].type, ev[0].mode) == ("ASSAULT", "explosives")


def test_threaten_mode_is_the_content_of_the_threat(analyzer):
    ev = events(analyzer, "The parliament threatened to cut diplomatic ties with its neighbour.")
    assert (ev[0].type, ev[0].mode) == ("THREATEN", "relations")


def test_request_mode_from_what_is_asked(analyzer):
    ev = events(analyzer, "The monitors urged both armies to withdraw their troops from the valley.")
    assert (ev[0].type, ev[0].mode) == ("REQUEST", "yield")


# --------------------------------------------------------------------------- status

def test_status_happened(analyzer):
    assert events(analyzer, "Rebels shelled the airport on Tuesday.")[0].status == "happened"


def test_status_denied_by_negation(analyzer):
    assert events(analyzer, "The army did not attack the village.")[0].status == "denied"


def test_status_ongoing_for_progressive(analyzer):
    assert events(analyzer, "Protesters are blocking the main highway into the city.")[0].status == "ongoing"


def test_status_hypothetical_for_could(analyzer):
    assert events(analyzer, "The rebels could attack the city within days.")[0].status == "hypothetical"


def test_future_cooperation_is_agree_and_planned(analyzer):
    ev = events(analyzer, "The Kenyan president will visit Uganda next week.")
    assert (ev[0].type, ev[0].status) == ("AGREE", "planned")


def test_announced_force_by_the_speaker_is_a_threat(analyzer):
    ev = events(analyzer, "The governor said he would impose a curfew on the district.")
    assert (ev[0].type, ev[0].status) == ("THREATEN", "threatened")


def test_must_said_of_another_party_is_a_request(analyzer):
    ev = events(analyzer, "The UN envoy said the militia must release the detained aid workers.")
    assert ev[0].type == "REQUEST"


def test_refused_future_cooperation_is_reject(analyzer):
    assert types(analyzer, "The interior minister says the country will not accept more refugees.") == ["REJECT"]


# --------------------------------------------------------------------------- what is not an event

def test_condition_is_not_an_event(analyzer):
    assert types(analyzer, "If the rebels attacked the city, the army would respond.") == []


def test_purpose_clause_is_not_an_event(analyzer):
    assert types(analyzer, "The donors gave the ministry a grant to finance new clinics.") == ["AID"]


def test_refusal_to_comment_is_not_an_event(analyzer):
    assert types(analyzer, "The spokesman declined to comment on the report.") == []


def test_belief_is_not_an_event(analyzer):
    assert types(analyzer, "Analysts believe the army will invade the region.") == []


def test_non_political_text_has_no_events(analyzer):
    text = "The new phone offers a brighter screen and allows users to edit photos. Its sales beat forecasts."
    assert types(analyzer, text) == []


def test_protest_topic_is_not_a_second_event(analyzer):
    assert types(analyzer, "Hundreds of nurses rallied outside the ministry, demanding higher wages.") == ["PROTEST"]


def test_one_attack_with_its_casualties_is_one_event(analyzer):
    assert types(analyzer, "A car bomb exploded in the market, killing six people and wounding ten others.") \
        == ["ASSAULT"]


# --------------------------------------------------------------------------- arguments

def test_actor_and_target(analyzer):
    ev = events(analyzer, "Gunmen killed three villagers in an attack on Saturday.")[0]
    assert ev.actor.text == "Gunmen" and ev.target.text == "villagers"


def test_actor_sector_from_the_noun(analyzer):
    ev = events(analyzer, "Riot police arrested dozens of demonstrators on Friday.")[0]
    assert ev.actor.sector == "police"


def test_passive_agent_is_the_actor(analyzer):
    ev = events(analyzer, "The convoy was attacked by insurgents near the pass.")[0]
    assert ev.actor.text == "insurgents" and ev.target.text == "convoy"


def test_host_is_the_recipient_of_a_visit(analyzer):
    ev = events(analyzer, "The Chilean president hosted the Peruvian foreign minister in Santiago.")[0]
    assert ev.type == "CONSULT" and "minister" in ev.actor.text


def test_location_with_coordinates(analyzer):
    ev = events(analyzer, "Artillery units shelled positions near Kharkiv on Sunday.")[0]
    assert ev.location is not None and ev.location.geo is not None and ev.location.geo.latitude is not None


def test_date_from_the_attached_time_expression(analyzer):
    ev = events(analyzer, "On Monday, the finance minister resigned.")[0]
    assert (ev.type, ev.when) == ("RETREAT", "2023-03-06")


def test_quantity_is_linked_to_its_event(analyzer):
    analysis = analyzer.analyze("Soldiers detained at least 40 protesters in the port city.", published=PUB)
    ev = analysis.events[0]
    q = next(q for q in analysis.quantities if q.id in ev.quantity_ids)
    assert q.value_low == 40 and q.event_id == ev.id


def test_source_of_reported_event_is_the_speaker(analyzer):
    ev = events(analyzer, "The ministry said troops had arrested twenty smugglers.")[0]
    assert ev.source is not None and "ministry" in ev.source.text.lower()


def test_article_itself_is_the_source_of_plain_narration(analyzer):
    assert events(analyzer, "Troops arrested twenty smugglers on Tuesday.")[0].source is None


def test_events_in_text_order(analyzer):
    ev = events(analyzer, "Police arrested six men. Later, rebels attacked a police station.")
    assert [e.type for e in ev] == ["COERCE", "ASSAULT"] and ev[0].start < ev[1].start


# --------------------------------------------------------------------------- timeline and CSV

def test_timeline_orders_vague_past_before_dated_days():
    from sitroom.present.eventrows import when_bounds

    assert when_bounds("PXM/2023-03-09")[0] < when_bounds("2023-03-06")[0]


@pytest.mark.parametrize("when, label", [
    ("PXD/2023-03-09", "some days up to 2023-03-09"), ("../2023-03-09", "by 2023-03-09"),
    ("2023-03-09/PXD", "some days from 2023-03-09"), ("2023-03-06", "2023-03-06"), (None, "undated"),
])
def test_when_label(when, label):
    from sitroom.present.eventrows import when_label

    assert when_label(when) == label


def test_events_command_writes_one_csv_row_per_event(tmp_path):
    import csv

    from typer.testing import CliRunner

    from sitroom.present.cli import app

    article = tmp_path / "a.txt"
    article.write_text("Police arrested six men in Lagos on Monday. Later, rebels attacked a police station.",
                       encoding="utf-8")
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(app, ["events", str(article), "--out", str(out), "--published", "2023-03-09"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["event_type"] for r in rows] == ["COERCE", "ASSAULT"] and rows[0]["event_date"] == "2023-03-06"


# --------------------------------------------------------------------------- implied and sponsored arguments

def test_protest_without_target_is_aimed_at_the_government_where_it_happens(analyzer):
    ev = events(analyzer, "Thousands of teachers rallied in Mombasa on Monday.")[0]
    assert ev.type == "PROTEST" and ev.target_implied and not ev.actor_implied
    assert (ev.target.name, ev.target.sector, ev.target.country, ev.target.text) == ("Kenya", "government", "KE",
                                                                                    "Mombasa")


def test_protest_country_from_the_protesters_when_no_place(analyzer):
    ev = events(analyzer, "Bolivian miners marched on Wednesday.")[0]
    assert ev.target_implied and ev.target.country == "BO" and ev.target.sector == "government"


def test_protest_at_an_embassy_is_aimed_at_the_embassy_state(analyzer):
    ev = events(analyzer, "About 300 people demonstrated outside the Iranian embassy in Oslo on Sunday.")[0]
    assert ev.target_implied and ev.target.country == "IR" and ev.location.name == "Oslo"


def test_stated_protest_target_is_not_implied(analyzer):
    ev = events(analyzer, "Workers protested against the mining company in Arequipa on Friday.")[0]
    assert ev.target.text == "mining company" and not ev.target_implied


def test_unnamed_demonstrators_are_an_implied_actor(analyzer):
    ev = events(analyzer, "Riots broke out in Dakar after the opposition leader was jailed.")[0]
    assert ev.type == "PROTEST" and ev.actor.name == "protesters" and ev.actor_implied
    assert ev.target.country == "SN" and ev.target_implied


def test_other_events_have_no_implied_arguments(analyzer):
    ev = events(analyzer, "Gunmen killed three villagers in Mopti on Saturday.")[0]
    assert not ev.actor_implied and not ev.target_implied


def test_a_date_is_never_a_target(analyzer):
    ev = events(analyzer, "Hundreds of nurses marched in Porto on Tuesday.")[0]
    assert ev.target is None or "Tuesday" not in (ev.target.text or "")
    ev = events(analyzer, "Protesters clashed with police in Quito on Monday.")[0]
    assert ev.target is not None and ev.target.text == "police"


def test_led_group_is_the_actor_and_its_leader_a_co_actor(analyzer):
    ev = events(analyzer, "The French-led mission withdrew its troops from Mali in August.")[0]
    assert ev.actor.name == "French-led mission" and ev.actor.country is None
    assert [c.country for c in ev.co_actors] == ["FR"]


def test_backed_group_is_the_actor_and_its_backer_no_co_actor(analyzer):
    ev = events(analyzer, "The Turkish-backed militia shelled the village on Tuesday.")[0]
    assert ev.type == "ASSAULT" and ev.actor.name == "Turkish-backed militia"
    assert ev.actor.country is None and ev.co_actors == []


def test_event_json_without_the_implied_fields_still_loads():
    from sitroom.model import Event

    old = {"id": "E1", "type": "PROTEST", "trigger": {"start": 0, "end": 7, "text": "Marched"}, "start": 0, "end": 7,
           "text": "Marched"}
    ev = Event.model_validate(old)
    assert ev.actor_implied is False and ev.target_implied is False and ev.group is None


def test_comment_after_a_dash_does_not_report_the_event(analyzer):
    ev = events(analyzer, "Rebels have seized the port in recent days—a step diplomats tell the press is a serious "
                          "escalation.")[0]
    assert ev.type == "ASSAULT" and ev.source is None


def test_a_rally_of_supporters_has_no_implied_target(analyzer):
    ev = events(analyzer, "Thousands of government supporters rallied in Caracas on Saturday.")[0]
    assert ev.target is None and not ev.target_implied


# --------------------------------------------------------------------------- compound actors and targets (dyads)

def test_compound_actor_is_one_event_per_actor(analyzer):
    ev = events(analyzer, "Ghana and Togo sent troops to Burkina Faso on Monday.")
    assert [(e.type, e.actor.name, e.target.name) for e in ev] == [
        ("AID", "Ghana", "Burkina Faso"), ("AID", "Togo", "Burkina Faso")]
    assert ev[0].trigger == ev[1].trigger and ev[0].when == ev[1].when == "2023-03-06"
    assert ev[0].group == ev[1].group == ev[0].id
    assert [c.name for c in ev[0].co_actors] == ["Togo"] and [c.name for c in ev[1].co_actors] == ["Ghana"]


def test_compound_target_is_one_event_per_target(analyzer):
    ev = events(analyzer, "The European Union imposed sanctions on Belarus and Iran.")
    assert [(e.type, e.target.name) for e in ev] == [("SANCTION", "Belarus"), ("SANCTION", "Iran")]
    assert ev[1].group == ev[0].id


def test_an_event_read_alone_has_no_group(analyzer):
    assert events(analyzer, "Police arrested six men in Lagos.")[0].group is None


def test_places_where_forces_stand_are_not_several_targets(analyzer):
    ev = events(analyzer, "Thousands of Chinese troops are stationed near Laos and Myanmar.")
    assert len(ev) == 1 and ev[0].type == "MOBILIZE"


def test_reciprocal_event_with_a_compound_actor_acts_on_the_other(analyzer):
    ev = events(analyzer, "Protesters and riot police clashed in the capital.")
    assert len(ev) == 1 and ev[0].actor.text == "Protesters" and ev[0].target.text == "riot police"


def test_each_other_is_both_ways(analyzer):
    ev = events(analyzer, "Armenia and Azerbaijan accused each other of shelling villages.")
    assert [(e.actor.name, e.target.name) for e in ev] == [("Armenia", "Azerbaijan"), ("Azerbaijan", "Armenia")]


def test_events_csv_marks_the_group(tmp_path):
    import csv

    from typer.testing import CliRunner

    from sitroom.present.cli import app

    article = tmp_path / "a.txt"
    article.write_text("Ghana and Togo sent troops to Burkina Faso on Monday.", encoding="utf-8")
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(app, ["events", str(article), "--out", str(out), "--published", "2023-03-09"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["actor"], r["group"]) for r in rows] == [("Ghana", "E1"), ("Togo", "E1")]


# --------------------------------------------------------------------------- envoys, anaphors, issues

def test_sending_an_envoy_is_a_visit(analyzer):
    ev = events(analyzer, "The African Union dispatched a delegation to Khartoum on Monday.")[0]
    assert (ev.type, ev.mode) == ("CONSULT", "visit")


def test_a_future_visit_is_agree_as_the_plover_manual_says(analyzer):
    # PLOVER manual, AGREE and CONSULT: future meetings and visits are coded AGREE
    ev = events(analyzer, "Japan will send an envoy to Myanmar next week.")[0]
    assert (ev.type, ev.status) == ("AGREE", "planned")


def test_rejected_request_is_aimed_at_whoever_made_it(analyzer):
    ev = events(analyzer, "Serbia asked the European Union to send monitors. Kosovo rejected the request.")
    assert [e.type for e in ev] == ["REQUEST", "REJECT"]
    assert ev[1].target.name == "Serbia" and ev[1].target.text == "the request" and ev[1].target_implied


def test_accepted_offer_is_aimed_at_whoever_offered(analyzer):
    ev = events(analyzer, "Turkey offered to mediate. Russia accepted the offer.")
    assert ev[-1].type == "AGREE" and ev[-1].target.name == "Turkey"


def test_an_event_noun_with_no_earlier_event_gets_no_target(analyzer):
    ev = events(analyzer, "Kosovo rejected the request.")[0]
    assert ev.type == "REJECT" and ev.target is None


def test_a_request_that_names_its_author_is_not_an_anaphor(analyzer):
    ev = events(analyzer, "Serbia asked Hungary for help. Kosovo rejected Croatia's request.")[-1]
    assert ev.target.name == "Croatia" and not ev.target_implied


def test_her_government_is_the_state_in_the_speakers_role(analyzer):
    ev = events(analyzer, "Chilean Foreign Minister Ana Torres said her government had asked the United Nations "
                          "for help.")[0]
    assert ev.type == "REQUEST" and (ev.actor.name, ev.actor.sector, ev.actor.country) == ("Chile", "government", "CL")
    assert ev.actor.text == "her government"


def test_his_government_in_a_later_sentence(analyzer):
    ev = events(analyzer, "Peruvian Defence Minister Jorge Salas met reporters on Monday. He said his government "
                          "had asked Ecuador to withdraw its troops.")[0]
    assert ev.type == "REQUEST" and ev.actor.name == "Peru"


def test_protest_against_a_policy_has_it_as_issue_and_an_implied_target(analyzer):
    ev = events(analyzer, "Fishermen in Mombasa protested against the closure of the port.")[0]
    assert ev.type == "PROTEST" and ev.issue is not None and ev.issue.text == "the closure of the port"
    assert (ev.target.name, ev.target_implied) == ("Kenya", True)


def test_protest_against_someones_decision_is_aimed_at_its_owner(analyzer):
    ev = events(analyzer, "Farmers protested against the government's decision to cut subsidies.")[0]
    assert ev.target.text == "government" and not ev.target_implied
    assert ev.issue.text == "the government's decision to cut subsidies"


def test_protest_against_an_actor_has_no_issue(analyzer):
    ev = events(analyzer, "Workers protested against the mining company in Arequipa on Friday.")[0]
    assert ev.target.text == "mining company" and ev.issue is None


# --------------------------------------------------------------------------- demonym forces, idioms, negated occurrence

def test_a_demonyms_army_is_the_states_armed_forces(analyzer):
    ev = events(analyzer, "The Malian army shelled the village on Sunday.")[0]
    assert (ev.actor.name, ev.actor.sector, ev.actor.country) == ("Mali", "military", "ML")
    assert ev.actor.text == "Malian army"


def test_taking_to_the_streets_is_a_protest(analyzer):
    ev = events(analyzer, "Chilean students took to the streets on Monday.")[0]
    assert (ev.type, ev.mode, ev.when) == ("PROTEST", "demo", "2023-03-06")
    assert ev.target.country == "CL" and ev.target_implied


def test_hitting_the_streets_is_a_protest_not_an_attack_on_them(analyzer):
    ev = events(analyzer, "Students hit the streets in Lima.")[0]
    assert ev.type == "PROTEST" and ev.target.name == "Peru" and ev.issue is None


def test_someone_taking_the_stage_is_no_protest(analyzer):
    assert types(analyzer, "The minister took to the stage.") == []


def test_fighting_that_has_not_re_emerged_is_a_denied_event(analyzer):
    ev = events(analyzer, "So far, fighting has not re-emerged in the valley.")[0]
    assert (ev.type, ev.status) == ("ASSAULT", "denied") and ev.trigger.text == "fighting"
