"""Actors: one entry per real-world actor, with every name, role and place resolved.

spaCy's small NER model is the starting point, not the answer. It mistypes (a president's name as
an ORG, an outlet as a PERSON or a WORK_OF_ART), cuts title-case headlines into "names", and never
links ``Lee`` to ``Rob Lee`` or ``Moscow`` (the government) to ``Russia``. This component

1. gathers candidate mentions from three sources — the NER entities, the curated lexicons
   (`actor_lexicons`: states, capitals, demonyms, seats of power, organisations, media) and a few
   patterns (military units, armed services, "the <Name> administration");
2. keeps the best reading where they overlap (lexicon over NER on the same words, longer over
   shorter otherwise) after throwing out NER spans that cannot be names;
3. corrects types from context (a title before a name makes a person; "told X", "outlet X" make
   a news organisation; unit and ministry words make armed forces and government bodies);
4. decides whether a capital is a place or its government ("Moscow scrambles to respond");
5. joins mentions into actors (surnames to full names, acronyms to what they abbreviate, a
   country-prefixed body to its bare name, capitals, seats and demonyms to their state);
6. reads roles (`roles`), places (`gazetteer`), sector, country and salience.

Headline and dek are parsed too, but title case fools the model there: a headline only adds
mentions of actors the body or a lexicon vouches for. Furniture is blanked out before parsing.

Output: ``doc._.actors`` (list of `Entity`) and ``doc._.actor_index`` ((start, end) -> actor id for
every mention), which quotes, events and claims use through `extensions.actor_at`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from sitroom.model import Entity, Mention, Role
from sitroom.nlp.actor_lexicons import (
    MATCH_CAPITAL,
    MATCH_DEMONYM,
    MATCH_NAME,
    MATCH_WEAK,
    Lexicons,
    build_matcher,
    data_lines,
    load,
)
from sitroom.nlp.extensions import register_extensions
from sitroom.nlp.gazetteer import Gazetteer, GeoContext, shared_gazetteer
from sitroom.nlp.roles import RoleSpan, appositive_after, appositive_before, premodifier_role

_NER_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
_MEDIA_SUSPECT_LABELS = {"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}  # where spaCy puts outlets
_PLACE = {"GPE", "LOC", "FAC"}
_STATE_SECTORS = {"government", "diplomacy", "military", "legislature", "judiciary", "intelligence",
                  "law enforcement", "state"}
_ORGISH = {"ORG", "MEDIA", "MILITARY_UNIT", "GOVERNMENT_BODY", "ALLIANCE"}

# Words of news grammar (not names) the rules look for; small closed sets, so they live here.
_OUTLET_NOUNS = {"outlet", "newspaper", "daily", "broadcaster", "magazine", "tabloid", "weekly", "channel",
                 "network", "website", "publication", "paper", "agency", "television", "radio", "station",
                 "outlets", "newspapers", "wire", "broadsheet", "news"}
_NAME_PARTICLES = {"de", "van", "von", "der", "den", "bin", "al", "al-", "la", "le", "da", "di", "du", "ibn",
                   "el", "del", "dos", "das", "ben", "y", "st.", "jr.", "sr.", "ii", "iii", "’s"}
_ACRONYM_SKIP = {"of", "the", "and", "for", "on", "in", "&", "at", "to", "de"}
#: heads of an ORG name -> (sitroom type, sector)
_ORG_HEADS: dict[str, tuple[str, str]] = {
    **{w: ("ORG", "government") for w in ("Ministry", "Department", "Government", "Cabinet", "Agency", "Bureau",
                                           "Office", "Directorate", "Commission", "Administration", "Embassy",
                                           "Council", "Presidency", "Secretariat", "Service", "Services")},
    **{w: ("ORG", "legislature") for w in ("Parliament", "Senate", "Congress", "Assembly", "Duma", "Legislature")},
    **{w: ("ORG", "judiciary") for w in ("Court", "Tribunal")},
    **{w: ("ORG", "law enforcement") for w in ("Police", "Gendarmerie")},
    **{w: ("ORG", "academia") for w in ("University", "College", "School", "Academy")},
    **{w: ("ORG", "research") for w in ("Institute", "Program", "Programme", "Center", "Centre", "Foundation",
                                        "Endowment", "Initiative", "Project")},
    **{w: ("MILITARY_UNIT", "military") for w in ("Army", "Navy", "Forces", "Force", "Brigade", "Division",
                                                  "Regiment", "Battalion", "Fleet", "Command", "Guard",
                                                  "Guards", "Marines", "Squadron", "Flotilla")},
}
#: the last word of a newspaper's or broadcaster's name ("New York Post", "Arizona Daily Star")
_MASTHEAD_WORDS = {"Times", "Post", "Journal", "Herald", "Tribune", "Gazette", "Chronicle", "Observer", "Inquirer",
                   "Enquirer", "Courier", "Dispatch", "Examiner", "Telegraph", "Express", "Mirror", "Star", "News",
                   "Sentinel", "Globe", "Bulletin", "Register", "Daily", "Newsweek", "Magazine", "Broadcasting"}
_UNIT_NOUNS = ["army", "division", "brigade", "regiment", "corps", "battalion", "fleet", "squadron", "wing",
               "flotilla", "detachment", "group", "company", "command"]
_SERVICE_NOUNS = ["Forces", "Force", "Army", "Navy", "Guard", "Marines", "Corps"]
#: a capital in these syntactic slots stands for its government: "Moscow scrambles", "Moscow's ability"
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "dative"}
_ACTOR_PREPS = {"for", "against", "with", "between", "toward", "towards", "on", "by", "from"}
_ACTOR_OBJ_VERBS = {"warn", "urge", "accuse", "blame", "criticize", "criticise", "condemn", "pressure", "sanction",
                    "punish", "support", "back", "help", "persuade", "push", "threaten", "ask", "tell", "reassure",
                    "deter", "provoke", "confront", "engage", "trust", "contact", "call", "join", "recognize",
                    "recognise", "court", "lobby", "press", "force", "allow", "let"}
@lru_cache(maxsize=1)
def _administrations() -> dict[str, str]:
    """Surname -> state for "the <Surname> administration" (data/administrations.tsv)."""
    return {name.strip(): iso.strip() for name, iso in data_lines("administrations.tsv")}


_ACTOR_HEAD_NOUNS = {"official", "officials", "authorities", "government", "leadership", "regime", "administration",
                     "diplomats", "negotiators", "ally", "allies", "policy", "interests", "position", "decision"}
_PLACE_HEAD_NOUNS = {"street", "streets", "suburbs", "outskirts", "center", "centre", "airport", "residents",
                     "mayor", "metro", "subway", "district", "districts", "skyline", "population", "hospitals",
                     "schools", "downtown", "neighborhoods", "neighbourhoods", "square", "squares", "region",
                     "city", "river", "port", "stadium", "hotel", "hotels", "restaurants", "university"}


@dataclass
class Cand:
    """A candidate mention: tokens [start, end) of the doc and how it was found."""

    start: int
    end: int
    label: str  # sitroom type
    source: str  # ner | lex | pattern | derived
    key: str | None = None  # lexicon entry ("country:RU", "org:NATO") the mention belongs to
    kind: str = "name"  # name | acronym | metonym | demonym | capital
    weak: bool = False
    zone: str = "body"
    sector: str | None = None
    country: str | None = None
    media_cue: bool = False
    title_cue: bool = False

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class Cluster:
    key: str
    cands: list[Cand] = field(default_factory=list)
    extra_aliases: list[str] = field(default_factory=list)


def norm(text: str) -> str:
    """Comparison form of a name: case, curly quotes, leading "the" and possessives ignored."""
    t = text.replace("’", "'").strip()
    t = re.sub(r"'s$", "", t)
    t = re.sub(r"^the\s+", "", t, flags=re.I)
    return " ".join(t.lower().split())


def display(text: str) -> str:
    t = text.strip()
    t = re.sub(r"[’']s$", "", t)
    t = re.sub(r"^the\s+", "", t)
    return " ".join(t.split())


@Language.factory("sitroom_actors")
def make_actor_resolver(nlp: Language, name: str) -> ActorResolver:
    register_extensions()
    return ActorResolver(nlp)


class ActorResolver:
    """The `sitroom_actors` component; matchers and lexicons are built once, here."""

    def __init__(self, nlp: Language) -> None:
        self.lex: Lexicons = load()
        self.phrases = build_matcher(nlp, self.lex)
        self.gazetteer: Gazetteer = shared_gazetteer()
        self.patterns = Matcher(nlp.vocab)
        ordinal = {"REGEX": r"^\d+(st|nd|rd|th)$"}
        self.patterns.add("UNIT", [[{"TEXT": ordinal}, {"IS_TITLE": True, "OP": "*"},
                                    {"LOWER": {"IN": _UNIT_NOUNS}, "IS_TITLE": True}]])
        state_words = sorted({d for d in self.lex.demonyms if " " not in d}
                             | {f for e in self.lex.entries.values() if e.key.startswith("country:")
                                for f in e.forms if " " not in f})
        self.patterns.add("SERVICE", [[{"ORTH": {"IN": state_words}}, {"IS_TITLE": True, "OP": "?"},
                                       {"ORTH": {"IN": _SERVICE_NOUNS}}]])
        self.patterns.add("ADMIN", [[{"POS": "PROPN", "IS_TITLE": True}, {"ORTH": "administration"}]])

    # ------------------------------------------------------------------ the component
    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["sitroom_text"] = doc.text
        zones = _Zones(doc)
        cands = self._candidates(doc, zones)
        cands = self._choose(doc, cands)
        self._correct_types(doc, cands)
        self._metonyms(doc, cands)
        clusters = self._cluster(doc, cands)
        actors, index = self._entities(doc, clusters, zones)
        doc._.actors = actors
        doc._.actor_index = index
        doc.user_data.pop("sitroom_text", None)
        return doc

    # ------------------------------------------------------------------ 1. candidates
    def _candidates(self, doc: Doc, zones: _Zones) -> list[Cand]:
        lex = self.lex
        out: list[Cand] = []
        for ent in doc.ents:
            if ent.label_ not in _NER_LABELS | _MEDIA_SUSPECT_LABELS:
                continue
            c = self._ner_cand(doc, ent)
            if c is not None:
                out.append(c)
        vocab = doc.vocab.strings
        for match_id, s, e in self.phrases(doc):
            mid = vocab[match_id]
            text = doc[s:e].text
            if mid in (MATCH_NAME, MATCH_WEAK):
                entry = lex.entries[lex.form_to_key[text]]
                kind = "metonym" if entry.key.startswith("seat:") else "name"
                if kind == "metonym":
                    out.append(Cand(s, e, "GPE", "lex", f"country:{entry.country}", kind="metonym",
                                    country=entry.country, sector="state"))
                else:
                    out.append(Cand(s, e, entry.type, "lex", entry.key, weak=mid == MATCH_WEAK,
                                    sector=entry.sector, country=entry.country))
            elif mid == MATCH_DEMONYM:
                iso = lex.demonyms[text]
                out.append(Cand(s, e, "NORP", "lex", f"country:{iso}", kind="demonym", country=iso))
            elif mid == MATCH_CAPITAL:
                iso = lex.capitals[text]
                out.append(Cand(s, e, "GPE", "lex", f"country:{iso}", kind="capital", weak=True, country=iso))
        for match_id, s, e in self.patterns(doc):
            mid = vocab[match_id]
            if mid == "UNIT":
                out.append(Cand(s, e, "MILITARY_UNIT", "pattern", sector="military"))
            elif mid == "SERVICE":
                iso = lex.country_of_form(doc[s].text)
                out.append(Cand(s, e, "MILITARY_UNIT", "pattern", sector="military", country=iso))
            elif mid == "ADMIN":
                iso = _administrations().get(doc[s].lower_)
                if iso:  # "the Biden administration" stands for the state it governs
                    out.append(Cand(s, e, "GPE", "pattern", f"country:{iso}", kind="metonym", country=iso))
        # acronyms defined in the text: "the Collective Security Treaty Organization (CSTO)"
        for c in list(out):
            e = c.end
            if (c.label in _ORGISH and c.length >= 2 and e + 2 < len(doc) and doc[e].text == "("
                    and doc[e + 2].text == ")" and _is_acronym(doc[e + 1].text)):
                out.append(Cand(e + 1, e + 2, c.label, "derived", key=f"acr:{doc[e + 1].text}",
                                kind="acronym", sector=c.sector, country=c.country))
        for c in out:
            c.zone = zones.zone(doc[c.start].idx)
        return [c for c in out if c.zone != "other"]

    def _ner_cand(self, doc: Doc, ent: Span) -> Cand | None:
        s, e, label = ent.start, ent.end, ent.label_
        while s < e and (doc[s].lower_ in ("the", "a", "an") or doc[s].is_punct or doc[s].pos_ in ("VERB", "AUX")
                         or (label == "PERSON" and doc[s].tag_ == "JJ")):
            s += 1  # "the", and words the model swept in: "Say Mexico", "Crooked Hillary Clinton"
        while e > s and (doc[e - 1].text in ("’s", "'s", "’", "'") or doc[e - 1].is_punct and doc[e - 1].text != "."):
            e -= 1
        if s >= e:
            return None
        title_cue = False
        # a title inside the entity: "Spokesperson Ned Price", "Russian President Vladimir Putin"
        last_title = max((i for i in range(s, e - 1) if self.lex.is_title_or_role(doc[i].lower_)
                          and doc[i + 1].is_title), default=None)
        if last_title is not None and all(doc[i].is_title or doc[i].lower_ in _NAME_PARTICLES
                                          for i in range(last_title + 1, e)) \
                and not any(doc[i].text in _ORG_HEADS for i in range(last_title + 1, e)):
            s = last_title + 1
            label, title_cue = "PERSON", True
        if label == "PERSON":  # a surname cut after its particle: "[Ursula von der] Leyen"
            while (e < len(doc) and doc[e - 1].lower_ in _NAME_PARTICLES and doc[e].is_title
                   and not doc[e].is_punct and e - s < 6):
                e += 1
        if label == "PERSON":  # a first name the model left out: "Minister Anders [Vikholm]"
            while (s > 0 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].is_title and doc[s - 1].is_alpha
                   and not self.lex.role_word(doc[s - 1].lower_) and doc[s - 1].text not in self.lex.form_to_key
                   and doc[s - 1].text not in self.lex.demonyms and not doc[s - 1].ent_type_
                   and e - s < 4):
                s -= 1
        c = Cand(s, e, label, "ner", title_cue=title_cue)
        return c if self._plausible(doc, c) else None

    def _plausible(self, doc: Doc, c: Cand) -> bool:
        """Can these tokens be a name at all? (Headline fragments and credits cannot.)"""
        toks = list(doc[c.start:c.end])
        text = doc[c.start:c.end].text
        if "\n" in text or "/" in text or len(toks) > 10:
            return False
        if not any(t.is_title or t.is_upper or t.text[:1].isdigit() for t in toks if not t.is_punct):
            return False  # "national security research organization"
        if sum(ch.isalpha() for ch in text) < 2:
            return False  # "I."
        if c.label == "ORG" and text.isupper() and sum(ch.isalpha() for ch in text) > 5 and len(toks) == 1:
            return False  # a shouted dateline ("MIDWAY —"), not an acronym
        full = doc.user_data.get("sitroom_text") or doc.text  # Doc.text is rebuilt on every access
        line_start = full.rfind("\n", 0, doc[c.start].idx) + 1
        line_end = full.find("\n", doc[c.end - 1].idx)
        line = full[line_start:line_end if line_end >= 0 else len(full)].strip(" \t.:!?")
        if line == text:
            return False  # a line that is only this name: a subhead or a caption label
        if (c.start >= 2 and doc[c.start - 1].lower_ in ("of", "for")
                and self.lex.is_title_or_role(doc[c.start - 2].lower_)):
            return False  # part of a title: "secretary of State", "Minister for Europe"
        if c.label == "PERSON":
            if len(toks) > 5:
                return False
            for t in toks:
                low = t.lower_
                if t.is_punct and t.text not in (".", "-", "'", "’"):
                    return False
                if t.text in ("’s", "'s"):
                    return False  # "Halts Putin's Ukraine Attack"
                if not (t.is_title or t.is_upper or low in _NAME_PARTICLES or t.is_punct or "-" in t.text):
                    return False
                if (t.i > c.start or len(toks) == 1) and (
                        self.lex.form_to_key.get(t.text, "").startswith("country:") or t.text in self.lex.demonyms):
                    return False  # a name with a state in it is a phrase, not a person ("Chad Bown" is fine)
        return True

    # ------------------------------------------------------------------ 2. overlaps
    def _choose(self, doc: Doc, cands: list[Cand]) -> list[Cand]:
        ner = [c for c in cands if c.source == "ner"]

        def supported(c: Cand) -> bool:
            return any(n.start < c.end and c.start < n.end and n.label not in _MEDIA_SUSPECT_LABELS or
                       (n.start == c.start and n.end == c.end) for n in ner)

        pool = []
        for c in cands:
            if c.weak and not supported(c) and not self._media_context(doc, c.start, c.end):
                continue
            if c.source == "ner" and c.label in _MEDIA_SUSPECT_LABELS:
                if not self._media_context(doc, c.start, c.end):
                    continue
                c.label, c.media_cue = "MEDIA", True
            pool.append(c)
        # a state's name that is a first name: "Chad Bown", "Jordan Peterson"
        starts = {n.start: n for n in ner if n.label == "PERSON"}
        for c in list(pool):
            nxt = starts.get(c.end)
            if c.source == "lex" and c.length == 1 and nxt is not None and doc[c.start].whitespace_ == " " \
                    and doc[c.start].pos_ == "PROPN":
                pool.remove(c)
                nxt.start = c.start
        prio = {"lex": 3, "pattern": 3, "derived": 3, "ner": 2}
        pool.sort(key=lambda c: (-(doc[c.end - 1].idx + len(doc[c.end - 1]) - doc[c.start].idx),
                                 -prio[c.source], c.start))
        taken = [False] * len(doc)
        chosen: list[Cand] = []
        for c in pool:
            if any(taken[c.start:c.end]):
                continue
            for i in range(c.start, c.end):
                taken[i] = True
            chosen.append(c)
        # a chosen NER span that contains a lexicon state learns its country ("U.S. State
        # Department" -> US); a NORP around a demonym is that demonym ("ex-Soviet")
        for c in chosen:
            if c.source == "ner" and c.country is None and c.label != "PERSON":
                for other in pool:
                    if other is not c and c.start <= other.start and other.end <= c.end and other.country:
                        c.country = other.country
                        if c.label == "NORP" and other.kind == "demonym":
                            c.key, c.kind = other.key, "demonym"
                        break
        chosen.sort(key=lambda c: c.start)
        return chosen

    # ------------------------------------------------------------------ 3. types from context
    def _media_context(self, doc: Doc, s: int, e: int) -> bool:
        prev = doc[s - 1] if s > 0 else None
        prev2 = doc[s - 2] if s > 1 else None
        if prev is not None and prev.lower_ in _OUTLET_NOUNS:
            return True  # "Russian outlet Kommersant"
        if prev is not None and prev.lower_ == "told" and doc[s].text == "The":
            return True  # "told The Daily Beast"
        if prev is not None and prev.lower_ == "with" and prev2 is not None and prev2.lower_ == "interview":
            return doc[s].text == "The"
        return False

    def _correct_types(self, doc: Doc, cands: list[Cand]) -> None:
        lex = self.lex
        for c in cands:
            if c.source == "pattern" and c.country is None and c.start >= 2 and doc[c.start - 1].text in ("’s", "'s"):
                c.country = lex.country_of_form(doc[c.start - 2].text)  # "Russia's 58th … Army"
            if c.source != "ner":
                continue
            span = c.span(doc)
            prev = doc[c.start - 1] if c.start > 0 else None
            # an outlet: "outlet X", "told X" (X not a person), "interview with X"
            told = prev is not None and (prev.lower_ == "told" or (
                prev.lower_ == "the" and c.start >= 2 and doc[c.start - 2].lower_ == "told"))
            if self._media_context(doc, c.start, c.end) or (told and c.label in ("ORG",)):
                c.label, c.media_cue, c.sector = "MEDIA", True, "media"
                continue
            if (c.label in ("ORG", "GPE", "NORP") and 2 <= c.length <= 3 and _person_shaped(span)
                    and self._listed_with_person(doc, c, cands)):
                c.label = "PERSON"  # "Lester Holt, Martha Raddatz and Chris Wallace"
                continue
            if c.label in ("ORG", "NORP", "PERSON") and _named_as_place(span):
                c.label = "GPE"  # "in the capital, Renhaven", "the port city of Valmora"
                continue
            if c.label in ("ORG", "GPE", "PERSON", "NORP") and c.length >= 2 and span[-1].text in _MASTHEAD_WORDS:
                c.label, c.media_cue, c.sector = "MEDIA", True, "media"  # "New York Post"
                continue
            # a title right before: "President Kassym-Jomart Tokayev" is a person
            if (prev is not None and lex.is_title_or_role(prev.lower_) and prev.is_title
                    and c.label in ("ORG", "GPE", "NORP", "LOC", "FAC")
                    and all(t.is_title or t.lower_ in _NAME_PARTICLES or "-" in t.text for t in span)
                    and not any(t.text in _ORG_HEADS for t in span) and c.length <= 4):
                c.label, c.title_cue = "PERSON", True
                continue
            if c.label in ("ORG", "NORP", "FAC"):
                heads = [t.text for t in span if t.text in _ORG_HEADS]
                if heads:
                    typ, sector = _ORG_HEADS[heads[-1]]
                    c.label, c.sector = typ if c.label != "FAC" or typ == "MILITARY_UNIT" else c.label, sector
                    if c.label == "FAC":
                        c.label = "ORG"
            if c.label in _ORGISH and c.country is None:
                c.country = lex.country_of_form(span[0].text)
                if c.country is None and c.start >= 2 and doc[c.start - 1].text in ("’s", "'s"):
                    c.country = lex.country_of_form(doc[c.start - 2].text)  # "Russia's 41st … Army"

    @staticmethod
    def _listed_with_person(doc: Doc, c: Cand, cands: list[Cand]) -> bool:
        """Is `c` an item of a list whose neighbouring item is a person?"""
        for o in cands:
            if o is c or o.label != "PERSON" or o.length < 2:
                continue
            gap = doc[o.end:c.start] if o.end <= c.start else doc[c.end:o.start] if c.end <= o.start else None
            if gap is not None and 1 <= len(gap) <= 2 and all(t.text == "," or t.lower_ == "and" for t in gap):
                return True
        return False

    # ------------------------------------------------------------------ 4. capitals: place or state?
    def _metonyms(self, doc: Doc, cands: list[Cand]) -> None:
        for c in cands:
            if c.kind != "capital":
                continue
            head = doc[c.start:c.end].root
            if _actor_slot(head):
                c.kind = "metonym"
            else:
                c.kind, c.key = "name", None  # the city itself; geo resolves it later

    # ------------------------------------------------------------------ 5. clustering
    def _cluster(self, doc: Doc, cands: list[Cand]) -> dict[str, Cluster]:
        clusters: dict[str, Cluster] = {}

        def put(key: str, c: Cand) -> None:
            clusters.setdefault(key, Cluster(key)).cands.append(c)

        body_first = sorted(cands, key=lambda c: (c.zone != "body", c.start))
        persons: list[Cand] = []
        pending_short: list[Cand] = []
        for c in body_first:
            text = doc[c.start:c.end].text
            if c.key:
                put(c.key, c)
            elif c.label == "PERSON":
                if c.length >= 2:
                    persons.append(c)
                    put(f"PERSON:{norm(text)}", c)
                else:
                    pending_short.append(c)
            else:
                cls = "PLACE" if c.label in _PLACE else "NORP" if c.label == "NORP" else "ORG"
                put(f"{cls}:{norm(text)}", c)

        # 5a. name parts: "Lee" -> "Rob Lee"; also a surname spaCy typed as ORG/GPE
        full = _NameParts.of(doc, persons)
        for c in list(pending_short) + [c for k, cl in list(clusters.items()) for c in cl.cands
                                         if c.source == "ner" and c.length == 1 and not k.startswith("PERSON:")]:
            target = _full_name_for(doc, c, full)
            if target is not None:
                if c.label != "PERSON":
                    clusters[_key_of(clusters, c)].cands.remove(c)
                c.label = "PERSON"
                c.kind = "alias"
                put(f"PERSON:{norm(doc[target.start:target.end].text)}", c)
            elif c.label == "PERSON":
                put(f"PERSON:{norm(doc[c.start:c.end].text)}", c)
        # a shorter full name inside a longer one: "Jomart Tokayev" -> "Kassym-Jomart Tokayev"
        keys = sorted((k for k in clusters if k.startswith("PERSON:")), key=lambda k: -len(k.split()))
        for k in keys:
            words = k[7:].split()
            for k2 in keys:
                w2 = k2[7:].split()
                if k2 != k and k in clusters and k2 in clusters and len(w2) < len(words) and words[-len(w2):] == w2:
                    for c in clusters.pop(k2).cands:
                        c.kind = "alias"
                        clusters[k].cands.append(c)
        for k in [k for k, cl in clusters.items() if not cl.cands]:
            del clusters[k]
        # a person the model typed ORG/GPE in full: "Enrique Peña Nieto" (ORG) ~ "Peña Nieto" (PERSON)
        person_words = {k: k[7:].split() for k in clusters if k.startswith("PERSON:")}
        for k in [k for k in clusters if k.split(":")[0] in ("ORG", "PLACE", "NORP")]:
            words = k.split(":", 1)[1].split()
            hit = next((pk for pk, pw in person_words.items() if len(words) > len(pw) >= 2
                        and words[-len(pw):] == pw), None)
            if hit and hit in clusters and all(c.source == "ner" for c in clusters[k].cands):
                for c in clusters.pop(k).cands:
                    c.label = "PERSON"
                    clusters[hit].cands.append(c)
        # the same name typed NORP in one place and ORG in another is one organisation ("NYPD")
        for k in [k for k in clusters if k.startswith("NORP:")]:
            k2 = "ORG:" + k[5:]
            if k2 in clusters:
                for c in clusters.pop(k).cands:
                    c.label = "ORG"
                    clusters[k2].cands.append(c)
        # an unlisted demonym formed from a place the article names: "Estavian" ~ "Estavia"
        # (the model may type the place itself NORP: it is a place all the same)
        places = {k.split(":", 1)[1]: k for k in clusters
                  if k.startswith(("PLACE:", "NORP:")) and " " not in k.split(":", 1)[1]}
        for k in [k for k in clusters if k.startswith("NORP:")]:
            home = next((pk for name, pk in places.items() if pk != k and derived_demonym(k[5:], name)), None)
            if home is None or home not in clusters or k not in clusters:
                continue
            if home.startswith("NORP:"):
                for c in clusters[home].cands:
                    c.label = "GPE"
                moved = clusters.pop(home)
                home = moved.key = "PLACE:" + home[5:]
                clusters.setdefault(home, Cluster(home)).cands.extend(moved.cands)
            for c in clusters.pop(k).cands:
                c.kind = "demonym"
                clusters[home].cands.append(c)
        # a name cut short before its "for …"/"of …": "Peterson Institute" ~ "Peterson Institute for …"
        org_words = {k: k[4:].split() for k in clusters if k.startswith("ORG:")}
        for k, words in sorted(org_words.items(), key=lambda kv: len(kv[1])):
            longer = [k2 for k2, w2 in org_words.items() if len(w2) > len(words) >= 2 and w2[:len(words)] == words
                      and w2[len(words)] in ("for", "of", "on") and k2 in clusters]
            if len(longer) == 1 and k in clusters:
                for c in clusters.pop(k).cands:
                    c.kind = "alias"
                    clusters[longer[0]].cands.append(c)
        # an outlet's short name: "the Post" after "the New York Post"
        media_heads: dict[str, list[str]] = {}
        for k, cl in clusters.items():
            c0 = cl.cands[0]
            if c0.label == "MEDIA" and c0.length >= 2:
                media_heads.setdefault(norm(doc[c0.end - 1].text), []).append(k)
        for k in [k for k in clusters if k.startswith("ORG:") and len(k[4:].split()) == 1]:
            owners = [o for o in media_heads.get(k[4:], []) if o != k]
            if len(owners) == 1 and owners[0] in clusters:
                for c in clusters.pop(k).cands:
                    c.kind = "alias"
                    clusters[owners[0]].cands.append(c)

        # 5b. acronyms: defined in parentheses, or the initials of an ORG named in the article
        orgs = {k: cl for k, cl in clusters.items() if k.startswith("ORG:") or k.startswith("org:")
                or k.startswith("media:")}
        for k in [k for k in clusters if k.startswith("acr:") or k.startswith("ORG:")]:
            if k not in clusters:
                continue
            cl = clusters[k]
            text = doc[cl.cands[0].start:cl.cands[0].end].text
            if not _is_acronym(text):
                word = text.replace(".", "")
                if cl.cands[0].length == 1 and 3 <= len(word) <= 6 and word.isalpha() and word[0].isupper():
                    # a title-case acronym ("Nafta"): only by the initials of a name in the article
                    target = next((k2 for k2, cl2 in orgs.items() if k2 != k and k2 in clusters and cl2.cands
                                   and cl2.cands[0].length >= 3 and _initials(doc, cl2.cands[0]) == word.upper()),
                                  None)
                    if target:
                        for c in clusters.pop(k).cands:
                            c.kind = "acronym"
                            clusters[target].cands.append(c)
                continue
            definer = None
            if k.startswith("acr:"):
                for c in cl.cands:
                    d = next((o for o in cands if o.end + 1 == c.start and doc[o.end].text == "("), None)
                    if d is not None:
                        definer = _key_of(clusters, d)
            if definer is None:
                definer = next((k2 for k2, cl2 in orgs.items() if k2 != k and cl2.cands and
                                _initials(doc, cl2.cands[0]) == text.replace(".", "")), None)
            if definer is None or definer == k or definer not in clusters:
                if k.startswith("acr:"):
                    clusters[f"ORG:{norm(text)}"] = clusters.pop(k)
                continue
            for c in clusters.pop(k).cands:
                c.kind = "acronym"
                clusters[definer].cands.append(c)
        # 5c. a body named with its state in front has the bare name as alias: "U.S. State Department"
        for k in [k for k in clusters if k.startswith("ORG:") or k.startswith("org:")]:
            if k not in clusters:
                continue
            cl = clusters[k]
            for c in list(cl.cands):
                span = doc[c.start:c.end]
                if (c.length >= 3 and self.lex.country_of_form(span[0].text)
                        and (c.sector in _STATE_SECTORS or c.label == "MILITARY_UNIT")):
                    bare = display(span[1:].text)
                    if bare not in cl.extra_aliases:
                        cl.extra_aliases.append(bare)
                    k2 = f"ORG:{norm(bare)}"
                    if k2 in clusters and k2 != k:
                        cl.cands.extend(clusters.pop(k2).cands)
        return clusters

    # ------------------------------------------------------------------ 6. entities
    def _entities(self, doc: Doc, clusters: dict[str, Cluster], zones: _Zones):
        person_tokens = {i for cl in clusters.values() for c in cl.cands if c.label == "PERSON"
                         for i in range(c.start, c.end)}
        # the article's geography, for resolving ambiguous place names
        country_weight: Counter[str] = Counter()
        us_states: set[str] = set()
        for k, cl in clusters.items():
            if k.startswith("country:"):
                country_weight[k.split(":")[1]] += len(cl.cands)
            elif k.startswith("PLACE:"):
                name = doc[cl.cands[0].start:cl.cands[0].end].text
                st = self.gazetteer.states.get(name)
                if st:
                    us_states.add(st["code"])
                    country_weight["US"] += len(cl.cands)
        total = sum(country_weight.values()) or 1
        shares = {iso: n / total for iso, n in country_weight.items()}

        built: list[tuple[Entity, Cluster]] = []
        for key, cl in clusters.items():
            cl.cands.sort(key=lambda c: c.start)
            body = [c for c in cl.cands if c.zone == "body"]
            if not body and not (key.startswith(("country:", "org:", "media:"))):
                continue  # a headline-only "name" nobody else vouches for
            if not body and key.startswith("country:") and all(c.kind == "demonym" for c in cl.cands):
                continue
            if key.startswith("ORG:") and len(cl.cands) == 1 and self._sub_unit(doc, cl.cands[0], clusters):
                continue  # "the Russia Studies Program at CNA": a department, CNA is the actor
            if (key.startswith("PERSON:") and len(cl.cands) == 1 and cl.cands[0].length == 1
                    and not cl.cands[0].title_cue and not premodifier_role(doc, cl.cands[0].start, self.lex)):
                continue  # one bare word, once, never joined to a full name: too weak to be a person
            ent = self._entity(doc, key, cl, person_tokens, shares, us_states)
            if ent is not None:
                built.append((ent, cl))

        self._headline_mentions(doc, built, zones)
        # salience: mentions, with headline/dek and the first paragraph counting extra
        first_para_end = zones.first_body_end
        raw = []
        for ent, _ in built:
            score = 0.0
            for m in ent.mentions:
                w = 0.5 if m.kind == "demonym" else 1.0
                score += (2.0 * w) if not m.in_body else w
                if m.in_body and m.start < first_para_end:
                    score += 0.5 * w
            raw.append(score)
        top = max(raw, default=1.0) or 1.0
        for (ent, _), score in zip(built, raw, strict=True):
            ent.salience = round(score / top, 3)
        built.sort(key=lambda b: (-b[0].salience, b[0].mentions[0].start if b[0].mentions else 0))
        actors: list[Entity] = []
        index: dict[tuple[int, int], str] = {}
        for n, (ent, _) in enumerate(built, 1):
            ent.id = f"A{n}"
            actors.append(ent)
            for m in ent.mentions:
                index[(m.start, m.end)] = ent.id
        return actors, index

    @staticmethod
    def _sub_unit(doc: Doc, c: Cand, clusters: dict[str, Cluster]) -> bool:
        """Is this ORG named as part of another ("the X Program at Y", "the X Department of Y")?"""
        e = c.end
        if e + 1 >= len(doc) or doc[e].lower_ not in ("at", "of") or c.label != "ORG":
            return False
        nxt = e + 1 + (doc[e + 1].lower_ == "the")
        return any(o.start == nxt and o.label in _ORGISH for cl in clusters.values() for o in cl.cands)

    def _entity(self, doc: Doc, key: str, cl: Cluster, person_tokens: set[int], shares: dict[str, float],
                us_states: set[str]) -> Entity | None:
        lex = self.lex
        cands = cl.cands
        texts = [display(doc[c.start:c.end].text) for c in cands]
        entry = lex.entries.get(key)
        sector = next((c.sector for c in cands if c.sector), None)
        country = next((c.country for c in cands if c.country), None)
        geo = None
        if key.startswith("country:"):
            iso = key.split(":")[1]
            only_demonyms = all(c.kind == "demonym" for c in cands)
            typ = "NORP" if only_demonyms else "GPE"
            c0 = lex.countries.get(iso)
            name = c0.name if c0 else iso
            if only_demonyms:
                name = Counter(texts).most_common(1)[0][0]
            geo = self.gazetteer.country_geo(iso)
            country, sector = (iso if len(iso) == 2 and iso != "SU" else None), "state"
        elif entry is not None:
            name, typ = entry.name, entry.type
            sector, country = entry.sector or sector, entry.country or country
        else:
            labels = Counter(c.label for c in cands if c.kind != "demonym") or Counter(c.label for c in cands)
            if any(c.title_cue for c in cands) or key.startswith("PERSON:"):
                typ = "PERSON"
            elif any(c.media_cue for c in cands):
                typ = "MEDIA"
            elif "MILITARY_UNIT" in labels:
                typ = "MILITARY_UNIT"
            else:
                typ = labels.most_common(1)[0][0]
            name = _canonical(doc, cands, typ)
        if typ == "MEDIA":
            sector = "media"
        elif typ == "MILITARY_UNIT":
            sector = sector or "military"

        mentions = []
        for c in cands:
            kind = c.kind if c.kind in ("acronym", "metonym", "demonym", "alias") else "name"
            if kind == "name" and display(doc[c.start:c.end].text) != name and c.kind != "name":
                kind = "alias"
            span = doc[c.start:c.end]
            mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text, kind=kind,
                                    in_body=c.zone == "body"))
        aliases: list[str] = []
        for c, t in zip(cands, texts, strict=True):
            if c.kind == "demonym" or norm(t) == norm(name):
                continue
            if norm(t) not in {norm(a) for a in aliases}:
                aliases.append(t)
        for a in cl.extra_aliases:
            if norm(a) != norm(name) and norm(a) not in {norm(x) for x in aliases}:
                aliases.append(a)

        roles: list[Role] = []
        if typ == "PERSON":
            seen = set()
            for c in cands:
                if c.zone != "body":
                    continue
                found: list[RoleSpan] = []
                pre = premodifier_role(doc, c.start, lex)
                if pre:
                    found.append(pre)
                found.extend(appositive_after(doc, c.end, lex, person_tokens))
                before = appositive_before(doc, c.start, c.end, lex)
                if before:
                    found.append(before)
                for r in found:
                    if (r.start, r.end) in seen:
                        continue
                    seen.add((r.start, r.end))
                    roles.append(Role(start=r.start, end=r.end, text=r.text, label=r.label))
                    sector = sector or r.sector
                    # "Kazakhstan President" says whose president; "Russia military analyst" does not
                    if country is None and (r is pre or r.sector in _STATE_SECTORS):
                        country = _country_in(doc, r, lex)
        if typ in _PLACE and geo is None:
            m = cands[0]
            qualifier = None
            if m.end + 1 < len(doc) and doc[m.end].text == ",":
                qualifier = doc[m.end + 1].text
            geo = self.gazetteer.resolve(name, GeoContext(countries=shares, us_states=us_states,
                                                          qualifier=qualifier))
            if geo is not None:
                country = geo.country_code
        return Entity(id="", name=name, type=typ, aliases=aliases, roles=roles, mentions=mentions, geo=geo,
                      sector=sector, country=country)

    def _headline_mentions(self, doc: Doc, built: list[tuple[Entity, Cluster]], zones: _Zones) -> None:
        """Names of known actors in the headline/dek that the model missed in title case."""
        if not zones.head:
            return
        covered = {(m.start, m.end) for e, _ in built for m in e.mentions}
        text = doc.text
        taken = [False] * (len(text) + 1)
        for s, e in covered:
            for i in range(s, e):
                taken[i] = True
        for ent, _ in built:
            if ent.type != "PERSON" and ent.type not in _ORGISH:
                continue
            forms = {ent.name, *ent.aliases}
            if ent.type == "PERSON":
                forms.add(ent.name.split()[-1])
            for form in sorted(forms, key=len, reverse=True):
                pat = re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])")
                for hs, he in zones.head:
                    for m in pat.finditer(text, hs, he):
                        if any(taken[m.start():m.end()]):
                            continue
                        for i in range(m.start(), m.end()):
                            taken[i] = True
                        ent.mentions.append(Mention(start=m.start(), end=m.end(), text=m.group(0),
                                                    kind="name" if form == ent.name else "alias", in_body=False))
            ent.mentions.sort(key=lambda m: m.start)


# ---------------------------------------------------------------------- helpers
class _Zones:
    """Where a character lies: body, head (headline/dek), or other (kicker, byline, credits…)."""

    def __init__(self, doc: Doc) -> None:
        article = doc._.article
        self.body: list[tuple[int, int]] = []
        self.head: list[tuple[int, int]] = []
        if article is None or not article.body:
            self.body = [(0, len(doc.text))]
        else:
            self.body = [(p.start, p.end) for p in article.body]
            self.head = [(t.start, t.end) for t in (article.headline, article.dek) if t is not None]
        self.first_body_end = self.body[0][1] if self.body else 0

    def zone(self, i: int) -> str:
        if any(s <= i < e for s, e in self.body):
            return "body"
        if any(s <= i < e for s, e in self.head):
            return "head"
        return "other"


#: nouns that make a name in apposition (or after "of") a place: "the capital, X", "the city of X"
_PLACE_NOUNS = {"capital", "city", "town", "village", "port", "province", "region", "district", "county",
                "island", "municipality", "enclave", "oblast", "prefecture", "governorate", "suburb"}
_DEMONYM_SUFFIXES = ("n", "an", "ian", "ese", "i", "ish")


def derived_demonym(demonym: str, place: str) -> bool:
    """Is `demonym` formed from `place` by English's regular suffixes ("Kenya"/"Kenyan",
    "Mexico"/"Mexican", "Brazil"/"Brazilian", "Iraq"/"Iraqi", "Japan"/"Japanese")?

    Listed countries have their demonyms in the lexicon; this covers the places it lacks.
    """
    demonym, place = demonym.lower(), place.lower()
    if len(place) < 4 or not place.isalpha():
        return False
    return any(demonym == stem + suffix for stem in (place, place[:-1]) for suffix in _DEMONYM_SUFFIXES)


def _named_as_place(span: Span) -> bool:
    """Is the name in apposition to, or the "of" object of, a place noun ("in the capital, X")?"""
    root = span.root
    head = root.head
    if root.dep_ == "appos" and head.lemma_.lower() in _PLACE_NOUNS and head.i < span.start:
        return True
    return (root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _PLACE_NOUNS
            and head.head.i == head.i - 1)


def _person_shaped(span: Span) -> bool:
    return all(t.is_title or t.lower_ in _NAME_PARTICLES for t in span) and not any(t.text in _ORG_HEADS
                                                                                  for t in span)


def _is_acronym(text: str) -> bool:
    t = text.replace(".", "")
    return 2 <= len(t) <= 8 and t.isupper() and t.isalpha()


def _initials(doc: Doc, c: Cand) -> str:
    words = [t for t in doc[c.start:c.end] if t.lower_ not in _ACRONYM_SKIP and not t.is_punct]
    return "".join(w.text[0] for w in words if w.text[:1].isupper())


def _key_of(clusters: dict[str, Cluster], c: Cand) -> str:
    return next(k for k, cl in clusters.items() if any(x is c for x in cl.cands))


def _apos(text: str) -> str:
    return text.replace("’", "'")


_SUFFIXES = frozenset(("Jr.", "Sr.", "II", "III", "Jr", "Sr"))


@dataclass
class _NameParts:
    """Each full-name mention with its first and last word, read once per article.

    `_full_name_for` runs for every one-word name; re-reading every full name's tokens on each
    call made name joining quadratic in the article's people.
    """

    persons: list[Cand]
    firsts: list[str]
    lasts: list[str]
    names: list[str]

    @classmethod
    def of(cls, doc: Doc, persons: list[Cand]) -> _NameParts:
        lasts = []
        for p in persons:
            toks = [t.text for t in doc[p.start:p.end] if t.text not in _SUFFIXES]
            lasts.append(_apos(toks[-1]) if toks else "")
        return cls(persons, [_apos(doc[p.start].text) for p in persons], lasts,
                   [norm(doc[p.start:p.end].text) for p in persons])


def _full_name_for(doc: Doc, c: Cand, parts: _NameParts) -> Cand | None:
    """The full-name mention a one-word name refers to.

    A surname first: when two people share it (Hillary and Chelsea Clinton), news gives the bare
    surname to the one it introduced first and names the other in full or by first name — unless
    the other was named in full just before (same or previous sentence). A first name only when
    one person has it.
    """
    word = _apos(doc[c.start].text)
    sent = doc[c.start].sent
    hits = [i for i, last in enumerate(parts.lasts) if last == word]
    if not hits:
        hits = [i for i, first in enumerate(parts.firsts) if first == word]
        if len({parts.names[i] for i in hits}) != 1:
            return None
    matches = [parts.persons[i] for i in hits]
    if len({parts.names[i] for i in hits}) == 1:
        return matches[0]
    recent = [p for p in matches if p.start < c.start and p.zone == "body"
              and doc[p.start].sent.start >= sent.start - 60 and _sentences_apart(doc, p.start, c.start) <= 1]
    if recent:
        return max(recent, key=lambda p: p.start)
    body = [p for p in matches if p.zone == "body"] or matches
    return min(body, key=lambda p: p.start)


def _sentences_apart(doc: Doc, i: int, j: int) -> int:
    return sum(1 for t in doc[i + 1:j + 1] if t.is_sent_start)


def _canonical(doc: Doc, cands: list[Cand], typ: str) -> str:
    """The name to show: a person's most used full name, an organisation's longest non-acronym name."""
    names = [c for c in cands if c.kind not in ("acronym", "alias")] or cands
    body = [c for c in names if c.zone == "body"] or names
    if typ == "PERSON":
        # the name the article introduces the person with (its first full name in the body),
        # unless a longer form recurs ("Vladimir Putin" once, then "Putin")
        full = [display(doc[c.start:c.end].text) for c in cands if c.length >= 2 and c.zone == "body"]
        if full:
            counts = Counter(full)
            longest = max(counts, key=lambda n: (len(n.split()), counts[n]))
            return longest if counts[longest] >= 2 or full[0] == longest or full[0].endswith(longest) \
                or not longest.endswith(full[0]) else full[0]
    lowered = {doc[c.start:c.end].text.lower() for c in cands if not doc[c.start:c.end].text.isupper()}

    def shouted(c: Cand) -> bool:  # "CAIRO —" in a dateline, when the text also writes "Cairo"
        t = doc[c.start:c.end].text
        return t.isupper() and t.lower() in lowered

    best = max(body, key=lambda c: (not shouted(c), c.length, -c.start))
    return display(doc[best.start:best.end].text)


def _country_in(doc: Doc, r: RoleSpan, lex: Lexicons) -> str | None:
    for t in doc.char_span(r.start, r.end, alignment_mode="expand") or []:
        iso = lex.country_of_form(t.text)
        if iso:
            return iso
    return None


def _actor_slot(tok) -> bool:
    """Is this capital used as an actor (its government) rather than as a place?"""
    dep = tok.dep_
    if dep == "poss":
        return tok.head.lower_ not in _PLACE_HEAD_NOUNS
    if dep in _ACTOR_DEPS:
        return True
    if dep == "compound":
        return tok.head.lower_ in _ACTOR_HEAD_NOUNS
    if dep == "pobj":
        prep = tok.head
        if prep.lower_ in _ACTOR_PREPS and prep.lower_ not in ("from", "on"):
            return prep.head.pos_ in ("NOUN", "VERB", "ADJ", "AUX")
        return False
    if dep == "dobj":
        return tok.head.lemma_ in _ACTOR_OBJ_VERBS
    if dep == "conj":
        return _actor_slot(tok.head)
    return False
