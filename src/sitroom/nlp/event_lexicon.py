"""The PLOVER event lexicon: patterns from `data/plover_*.tsv`, loaded once, matched on the parse.

A row says "this lemma, in this syntactic context, reports this kind of event" — e.g. `withdraw`
with a troops object is RETREAT, with a diplomats object SANCTION. Rows are data so that coders
can extend them without touching the matcher; the matcher only knows the constraint vocabulary
documented in the file header (obj=, subj=, prep=, prt=, comp=, noobj, xcomp, actor=).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

#: nouns that stand for the thing they quantify or hold ("part of a program", "a series of attacks")
PARTITIVES = {"part", "some", "all", "most", "portion", "half", "series", "wave", "spate", "number", "round",
              "dozen", "dozens", "hundreds", "thousands", "day", "days", "week", "weeks", "month", "months",
              "hour", "hours", "year", "years", "state", "kind", "type", "lot", "set", "string", "campaign",
              "effort", "program", "programme", "operation", "plan", "policy", "bid", "attempt", "threat",
              "barrage", "volley", "act", "acts", "form", "group", "batch", "patch", "team", "deployment",
              "contingent", "element", "column", "convoy", "first"}
#: nouns whose own modifiers say what they are ("mediation efforts", "a military aid program")
GENERIC_HEADS = {"effort", "campaign", "operation", "program", "programme", "mission", "process", "initiative",
                 "action", "measure", "drive", "bid", "attempt", "activity", "activities", "exercise", "move"}
STATE_SECTORS = {"government", "military", "police", "legislature", "judiciary", "intelligence", "law enforcement",
                 "diplomacy"}
STATE_NOUNS = {"government", "authority", "ministry", "regime", "administration", "state", "parliament", "court",
               "judge", "army", "military", "troop", "soldier", "force", "police", "policeman", "navy", "official",
               "president", "minister", "junta", "cabinet", "council", "security", "guard", "commander",
               "bulldozer", "tank", "jet", "warplane", "helicopter", "warship", "prosecutor", "leader", "premier",
               "king", "chancellor", "senate", "congress", "legislature", "department", "agency", "officer",
               "gendarmerie", "marine"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: heads whose modifiers say what they are: a class matches through "aid program", "peacekeeping force",
#: "war games", but not through "fuel efficiency"
MODIFIER_HEADS = GENERIC_HEADS | {"program", "force", "worker", "team", "package", "convoy", "delivery", "shipment",
                                  "game", "link", "mission", "personnel", "troop", "unit", "staff", "official",
                                  "officer", "group", "agency", "supply", "flight", "truck", "vehicle", "boat"}
ARMED_SECTORS = {"military", "police", "rebels", "armed group"}


@dataclass(frozen=True)
class Constraint:
    kind: str  # obj, subj, prep, prt, comp, noobj, xcomp, actor
    key: str | None = None  # the preposition for prep=
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    lemma: str
    pos: str  # V, N, A
    kind: str
    constraints: tuple[Constraint, ...]
    type: str | None
    mode: str | None
    cameo: str

    @property
    def specificity(self) -> int:
        return len(self.constraints)


@dataclass(frozen=True)
class Lexicon:
    entries: dict[tuple[str, str], tuple[Entry, ...]]
    classes: dict[str, frozenset[str]]
    modes: tuple[tuple[str, str, frozenset[str]], ...]
    agents: dict[str, str]

    def lookup(self, lemma: str, pos: str) -> tuple[Entry, ...]:
        return self.entries.get((lemma, pos), ())

    def mode_for(self, event_type: str, words: set[str]) -> str | None:
        for typ, mode, cues in self.modes:
            if typ == event_type and cues & words:
                return mode
        return None


def _rows(name: str) -> list[list[str]]:
    text = resources.files("sitroom.data").joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip("\n").split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def _parse_pattern(pattern: str) -> tuple[Constraint, ...]:
    out = []
    for item in pattern.split():
        if "=" not in item:
            out.append(Constraint(item))
            continue
        kind, rest = item.split("=", 1)
        if kind == "prep":
            key, _, vals = rest.partition(":")
            out.append(Constraint("prep", key, tuple(v for v in vals.split(",") if v)))
        else:
            out.append(Constraint(kind, None, tuple(v for v in rest.split(",") if v)))
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load the lexicon files once per process."""
    classes = {row[0]: frozenset(row[1].split()) for row in _rows("plover_classes.tsv")}
    entries: dict[tuple[str, str], list[Entry]] = {}
    for row in _rows("plover_verbs.tsv"):
        row += [""] * (7 - len(row))
        lemma, pos, kind, pattern, typ, mode, cameo = row[:7]
        entry = Entry(lemma, pos, kind, _parse_pattern(pattern), typ or None, mode or None, cameo)
        entries.setdefault((lemma, pos), []).append(entry)
    modes = tuple((row[0], row[1], frozenset(row[2].split())) for row in _rows("plover_modes.tsv"))
    agents = {row[0]: row[1] for row in _rows("event_agents.tsv")}
    return Lexicon({k: tuple(v) for k, v in entries.items()}, classes, modes, agents)


# --------------------------------------------------------------------------- matching on the parse

def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def lemma_candidates(tok: Token) -> list[str]:
    """The lemma, then guesses from the inflected form for when the lemmatizer slips ("staged" -> "stag")."""
    out = [tok.lemma_.lower()]
    form = tok.lower_
    if tok.tag_ in ("VBD", "VBN") and form.endswith("ed"):
        out += [form[:-1], form[:-2], form[:-3] + "y" if form.endswith("ied") else form[:-2]]
    elif tok.tag_ == "VBZ" and form.endswith("s"):
        out += [form[:-1], form[:-2]]
    elif tok.tag_ == "VBG" and form.endswith("ing"):
        out += [form[:-3], form[:-3] + "e"]
    return list(dict.fromkeys(out))


def is_passive(verb: Token) -> bool:
    """A passive clause, also a participle conjoined to one ("was ripped from her arms and kidnapped")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return (verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.i != verb.i
            and not any(c.dep_ in ("nsubj", "aux") for c in verb.children) and is_passive(verb.head))


def through_partitive(noun: Token) -> Token:
    """`part of a program` -> program; `10 days of war games` -> games; `a series of attacks` -> attacks."""
    for _ in range(3):
        if noun.lower_ in PARTITIVES or lemma(noun) in PARTITIVES or noun.lower_.rstrip("s") in PARTITIVES:
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is None or obj.pos_ not in ("NOUN", "PROPN"):
                return noun
            noun = obj
        else:
            return noun
    return noun


def direct_object(verb: Token) -> Token | None:
    """The object of `verb` (the subject when passive), through partitives."""
    if is_passive(verb):
        obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    else:
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if obj is None:
            # "hand over to Great Britain two of its nationals": the object after a particle
            obj = next((c for c in verb.children if c.dep_ in ("attr", "oprd") and c.pos_ in ("NOUN", "PROPN")), None)
    return through_partitive(obj) if obj is not None else None


def subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "csubj", "expl")), None)


def word_forms(tok: Token) -> set[str]:
    """The lemma and lower-case form of a noun, plus its compound/adjective modifiers when the noun is
    a generic head ("aid program", "peacekeeping force")."""
    forms = {lemma(tok), tok.lower_}
    if lemma(tok) not in MODIFIER_HEADS and tok.lower_ not in MODIFIER_HEADS:
        return forms
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i:
            forms.add(lemma(c))
            forms.add(c.lower_)
    return forms


def in_class(tok: Token, values: tuple[str, ...], lex: Lexicon, actor_type=None) -> bool:
    """`tok` is one of `values` (words or @CLASSES), by lemma, form, modifiers or entity type."""
    forms = word_forms(tok)
    for v in values:
        if v == "*":
            return True
        if v.startswith("@"):
            name = v[1:]
            if name == "GPE":
                if tok.ent_type_ in PLACE_LABELS or (actor_type is not None and actor_type(tok) in PLACE_LABELS):
                    return True
                continue
            if name == "PERSON":
                if tok.ent_type_ == "PERSON" or (not tok.ent_type_ and actor_type is not None
                                                 and actor_type(tok) == "PERSON"):
                    return True
                continue
            if name == "ACTOR":
                if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or (
                        actor_type is not None and actor_type(tok) is not None):
                    return True
                continue
            if name == "TERRITORY" and tok.ent_type_ in PLACE_LABELS:
                return True
            if forms & lex.classes.get(name, frozenset()):
                return True
        elif v in forms:
            return True
    return False


def prep_objects(tok: Token, prep: str) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:
            out += [through_partitive(g) for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if not out:
                out.append(c)
    return out


def has_clausal_complement(tok: Token) -> bool:
    return any(c.dep_ in ("xcomp", "ccomp") for c in tok.children) or any(
        c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children) for c in tok.children)


def is_state_actor(tok: Token | None, sector_of=None) -> bool:
    """A government body, armed force or police: decides COERCE vs PROTEST for blocking roads etc."""
    if tok is None:
        return False
    if sector_of is not None:
        sector = sector_of(tok)
        if sector is not None:
            return sector in STATE_SECTORS
    if tok.ent_type_ in ("GPE",):
        return True
    return bool(word_forms(tok) & STATE_NOUNS)


def is_armed_actor(tok: Token | None, lex: Lexicon, sector_of=None) -> bool:
    """An army, police force or armed group ("troops", "rebels", "Hezbollah guerrillas")."""
    if tok is None:
        return False
    if sector_of is not None and sector_of(tok) in ARMED_SECTORS:
        return True
    return lex.agents.get(lemma(tok)) in ARMED_SECTORS or in_class(tok, ("@TROOPS", "@POLICE"), lex)


def is_collective(tok: Token | None, lex: Lexicon) -> bool:
    """A crowd, not one person: protests are collective ("thousands of Kurds demonstrated", "prisoners rioted")."""
    if tok is None:
        return True  # "... demonstrated": unknown, not a named individual
    tok = through_partitive(tok)
    if tok.tag_ in ("NNS", "NNPS") or tok.lower_ in ("they", "we", "who", "thousands", "hundreds", "dozens"):
        return True
    if any(c.dep_ == "conj" for c in tok.children):
        return True
    return lemma(tok) in ("crowd", "group", "mob", "union", "opposition", "movement", "party", "workforce", "staff")


def satisfied(entry: Entry, tok: Token, lex: Lexicon, actor_type=None, sector_of=None,
              subj: Token | None = None) -> bool:
    """Does `tok` (the entry's word in the sentence) meet every constraint of `entry`?"""
    for c in entry.constraints:
        if c.kind == "obj":
            obj = direct_object(tok) if entry.pos == "V" else None
            if obj is None or not in_class(obj, c.values, lex, actor_type):
                return False
        elif c.kind == "subj":
            s = subj if subj is not None else (subject(tok) if entry.pos == "V" else None)
            if s is None or not in_class(through_partitive(s), c.values, lex, actor_type):
                return False
        elif c.kind == "prt":
            if not any(ch.dep_ == "prt" and ch.lower_ in c.values for ch in tok.children):
                return False
        elif c.kind == "prep":
            preps = c.key.split(",") if c.key else []
            holders = [tok]
            if entry.pos == "V" and c.values:
                obj = direct_object(tok)
                if obj is not None:
                    holders.append(obj)  # "shared intelligence with X": the parser often hangs X on the object
            elif entry.pos == "V":
                obj = direct_object(tok)
                if obj is not None and any(ch.dep_ == "prep" for ch in obj.children):
                    holders.append(obj)
            objs = [o for h in holders for p in preps for o in prep_objects(h, p)]
            if not objs:
                return False
            if c.values and not any(in_class(o, c.values, lex, actor_type) for o in objs):
                return False
        elif c.kind == "comp":
            mods = {lemma(ch) for ch in tok.children if ch.dep_ in ("compound", "amod", "nmod") and ch.i < tok.i}
            mods |= {ch.lower_ for ch in tok.children if ch.dep_ in ("compound", "amod", "nmod") and ch.i < tok.i}
            if not mods & set(c.values):
                return False
        elif c.kind == "noobj":
            if direct_object(tok) is not None and not is_passive(tok):
                return False
        elif c.kind == "xcomp":
            if not has_clausal_complement(tok):
                return False
        elif c.kind == "noinf":
            if any(ch.dep_ in ("xcomp", "advcl") and any(g.dep_ == "aux" and g.lower_ == "to" for g in ch.children)
                   for ch in tok.children):
                return False
        elif c.kind == "inf":
            if not any(ch.dep_ in ("xcomp", "ccomp", "advcl") and ch.tag_ == "VB" and any(
                    g.dep_ == "aux" and g.lower_ == "to" for g in ch.children) for ch in tok.children):
                return False
        elif c.kind == "actor":
            s = subj if subj is not None else subject(tok)
            if c.values[0] == "armed":
                if not is_armed_actor(s, lex, sector_of):
                    return False
                continue
            if c.values[0] == "collective":
                if not is_collective(s, lex):
                    return False
                continue
            state = is_state_actor(s, sector_of)
            if (c.values[0] == "state") != state:
                return False
    return True


def best_entry(tok: Token, pos: str, lex: Lexicon, kinds: set[str] | None = None, **kw) -> Entry | None:
    """The most specific row for `tok` whose constraints hold (file order breaks ties)."""
    best = None
    lemmas = lemma_candidates(tok) if pos == "V" else [lemma(tok)]
    entries = next((lex.lookup(lem, pos) for lem in lemmas if lex.lookup(lem, pos)), ())
    for entry in entries:
        if kinds is not None and entry.kind not in kinds:
            continue
        if (best is None or entry.specificity > best.specificity) and satisfied(entry, tok, lex, **kw):
            best = entry
    return best
