"""Events: PLOVER event records read from the dependency parse with the event lexicon.

For every body sentence, each predicate is read against `data/plover_verbs.tsv` (see
`sitroom.nlp.event_lexicon`): an event verb ("attacked"), a light verb with an event noun ("held
talks"), a frame whose complement is its content ("threatened to break relations" is one THREATEN
event with mode `relations`), a reporting verb whose complement is reported speech, or an event
noun that "escalated". The PLOVER coding rules then apply: cooperation announced for the future is
AGREE, force announced by its own actor is THREATEN, "must" said of someone else is REQUEST, a
refused intention is REJECT, the topic of a protest is not a second event, and the killing and
wounding in one attack is one ASSAULT.

Only asserted clauses count: a clause under a noun ("the idea that Russia would invade"), a
condition or purpose ("if Russia wanted to invade", "to avoid new damage") or a belief is not an
event. Status comes from negation, modality and tense; actors, targets and places from the
arguments (`extensions.actor_ref` on the head mention); the date from the time expression attached
to the predicate; the source from the quote the trigger sits in or the verb of saying over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitroom.model import ActorRef, Event, Place, Quantity, TextSpan, TimeExpr
from sitroom.nlp import clause, places
from sitroom.nlp.event_anaphora import RESPONSE_TYPES, antecedent_author, event_anaphor, owned_state
from sitroom.nlp.event_arguments import (
    RECIPROCAL_VERBS,
    conjuncts,
    country_entity,
    implied_government,
    is_time,
    modifier_conjuncts,
    reciprocal_object,
    splits_target,
    sponsor_modifier,
    supportive,
)
from sitroom.nlp.event_lexicon import (
    GENERIC_HEADS,
    PLACE_LABELS,
    Entry,
    Lexicon,
    best_entry,
    direct_object,
    in_class,
    is_passive,
    lemma,
    lemma_candidates,
    lexicon,
    prep_objects,
    satisfied,
    subject,
    through_partitive,
)
from sitroom.nlp.extensions import actor_at, body_sentences, register_extensions

CONFLICT = {"ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "THREATEN", "PROTEST"}
MATERIAL_CONFLICT = {"ASSAULT", "COERCE", "MOBILIZE", "SANCTION"}
COOPERATIVE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
YIELDING = {"RETREAT", "CONCEDE"}
#: verbs whose object is the subject of their "to"-complement ("caused the administration to urge")
OBJECT_CONTROL = {"cause", "force", "prompt", "lead", "urge", "ask", "tell", "order", "persuade", "allow", "permit",
                  "compel", "push", "pressure", "press", "invite", "encourage", "instruct", "call", "enable"}
#: verbs of belief and expectation: their complement is an opinion, not a reported event
COGNITION = {"think", "believe", "expect", "fear", "hope", "doubt", "suspect", "assume", "wonder", "predict", "worry",
             "feel", "guess", "imagine", "speculate", "estimate", "mean", "seem", "appear", "want", "wish", "like",
             "aim", "need", "deserve", "risk"}
#: support verbs for a third party: urging others to do these is rallying support (CAMEO 053)
BACKING_VERBS = {"support", "back", "endorse", "recognize", "recognise", "defend", "praise"}
#: nouns that speak: "a declaration demanding ...", "a statement condemning ..."
MESSAGE_NOUNS = {"statement", "declaration", "letter", "communique", "communiqué", "resolution", "report",
                 "announcement", "message", "proclamation", "decree", "note", "petition", "motion", "ultimatum",
                 "warning", "video", "post", "tweet", "speech", "editorial", "broadcast"}
#: abstract subjects that stand for their possessor ("the administration's response has been to threaten")
ABSTRACT_HOLDERS = {"response", "policy", "plan", "goal", "aim", "strategy", "decision", "move", "effort",
                    "intention", "approach", "reaction", "position", "priority", "task", "mission", "job", "answer"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
PERSONAL_PRONOUNS = {"it", "they", "he", "she", "we", "i", "you", "them", "him", "her", "us"}
OCCASION_PREPS = {"at", "in", "into", "near", "outside", "along", "across", "inside", "throughout", "on", "to",
                  "toward", "towards", "around", "off", "over"}
LOCATIVE_PREPS = {"at", "in", "into", "near", "outside", "along", "across", "inside", "throughout", "around", "off"}
ONGOING_SUPPORT = {"continue", "resume", "step", "intensify", "wage"}
RALLY_VERBS = {"unite", "mobilize", "mobilise", "rally", "rise", "fight", "protest", "stand", "act"}
BORDER_WORDS = {"border", "frontier", "borderland", "boundary"}
MOVEMENT_TYPES = {"MOBILIZE", "AID", "CONSULT"}
#: events that happen at their target when it is a place ("shelled Rafah", "visited Russia")
MATERIAL_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "AID", "CONSULT", "RETREAT", "PROTEST"}
#: things that do harm without being actors: the event's actor is whoever the text says used them
INSTRUMENTS = {"bomb", "mine", "minefield", "explosion", "blast", "shell", "missile", "rocket", "drone", "gunfire",
               "fire", "device", "landmine", "grenade", "mortar", "shrapnel", "bullet"}
#: endings of nouns for people ("donor", "voter", "activist", "civilian", "migrant", "employee", "fisherman")
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee", "man", "eer", "ite", "ese")
#: ... and nouns with those endings that are not people
NON_AGENT_PLURALS = {"paper", "water", "computer", "order", "border", "matter", "number", "letter", "power", "center",
                     "centre", "counter", "layer", "filter", "monitor", "sensor", "factor", "sector", "error",
                     "indicator", "document", "comment", "element", "event", "agreement", "statement", "payment",
                     "investment", "amendment", "movement", "treatment", "component", "instrument", "equipment",
                     "plant", "grant", "restaurant", "variant", "amount", "percent", "content", "incident", "parameter",
                     "quarter", "chapter", "character", "shelter", "cluster", "disaster", "semester", "register",
                     "meter", "litre", "liter", "dollar", "minute", "tree", "fee", "degree", "committee"}
#: what a refusal to comment is about: "declined to say", "refused to comment" are not REJECT events
NO_COMMENT = {"say", "comment", "elaborate", "discuss", "disclose", "specify", "confirm", "answer", "respond",
              "identify", "name", "detail", "speculate", "reveal", "give", "provide", "release", "explain"}
#: objects that are part of the predicate, not its recipient ("opened fire", "stopped work", "hit the streets")
IDIOM_OBJECTS = {"fire", "work", "resource", "measure", "street"}
GROUP_NOUNS = {"alliance", "organization", "organisation", "group", "bloc", "coalition", "body", "agency", "union",
               "movement", "party", "force", "militia", "network", "faction"}


@Language.factory("sitroom_events")
def make_event_coder(nlp: Language, name: str) -> EventCoder:
    register_extensions()
    lexicon()
    places.warm_up()
    return EventCoder()


class EventCoder:
    """Fill `doc._.events` (text order) and link `doc._.quantities` to their events."""

    def __call__(self, doc: Doc) -> Doc:
        lex = lexicon()
        coder = _DocCoder(doc, lex)
        doc._.events = coder.code()
        return doc


# --------------------------------------------------------------------------- readings

@dataclass
class Reading:
    """A predicate word read against the lexicon."""

    tok: Token
    entry: Entry
    noun: Token | None = None  # support/occur: the event noun
    noun_entry: Entry | None = None

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def type(self) -> str | None:
        if self.noun_entry is not None and self.entry.type is None:
            return self.noun_entry.type
        return self.entry.type

    @property
    def mode(self) -> str | None:
        if self.noun_entry is not None and self.entry.type is None:
            return self.noun_entry.mode
        return self.entry.mode


@dataclass
class Draft:
    """An event under construction."""

    type: str
    mode: str | None
    head: Token  # the predicate whose clause gives status and arguments
    tokens: list[Token]  # trigger words
    content: list[Token] = field(default_factory=list)  # complement heads (dates, numbers, phrase)
    actor: Token | None = None
    target: Token | None = None
    status: str = "happened"
    speaker: Token | None = None
    confidence: float = 1.0
    merged: list[Token] = field(default_factory=list)

    @property
    def anchor_tokens(self) -> set[int]:
        return {t.i for t in [self.head, *self.tokens, *self.content, *self.merged]}


class _DocCoder:
    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.text = doc.text  # spaCy rebuilds Doc.text on every access: read it once
        self.lex = lex
        self._readings: dict[int, Reading | None] = {}

    # -------------------------------------------------------------- lexicon access
    def actor_type(self, tok: Token) -> str | None:
        actor = actor_at(self.doc, tok.idx, tok.idx + len(tok.text))
        return actor.type if actor is not None else None

    def sector_of(self, tok: Token) -> str | None:
        actor = actor_at(self.doc, tok.idx, tok.idx + len(tok.text))
        if actor is not None and actor.sector:
            return actor.sector
        if actor is not None and actor.type in ("GPE",):
            return "government"
        return self.lex.agents.get(lemma(tok))

    def _kw(self, subj: Token | None = None) -> dict:
        return {"actor_type": self.actor_type, "sector_of": self.sector_of, "subj": subj}

    def noun_event(self, noun: Token | None) -> tuple[Entry, Token] | None:
        """The event a noun names ("talks", "hunger strike", "mediation efforts"), with its trigger word."""
        if noun is None or noun.pos_ not in ("NOUN", "PROPN", "VERB"):
            return None
        e = best_entry(noun, "N", self.lex, kinds={"event", "frame"}, **self._kw())
        if e is not None:
            return e, noun
        if lemma(noun) in GENERIC_HEADS or noun.lower_ in GENERIC_HEADS:
            for c in noun.children:
                if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i:
                    e = best_entry(c, "N", self.lex, kinds={"event"}, **self._kw())
                    if e is not None:
                        return e, c
            for o in prep_objects(noun, "of"):
                e = best_entry(o, "N", self.lex, kinds={"event"}, **self._kw())
                if e is not None:
                    return e, o
        return None

    def read(self, tok: Token) -> Reading | None:
        if tok.i in self._readings:
            return self._readings[tok.i]
        r = self._read(tok)
        self._readings[tok.i] = r
        return r

    def _read(self, tok: Token) -> Reading | None:
        lex = self.lex
        if _predicative(tok):
            for entry in lex.lookup(tok.lower_, "A"):
                if satisfied(entry, tok, lex, **self._kw(_controller_subject(tok))) and _has_content(tok):
                    return Reading(tok, entry)
        if tok.pos_ != "VERB":
            return None
        subj = _clause_subject(tok)
        entries = next((lex.lookup(lem, "V") for lem in lemma_candidates(tok) if lex.lookup(lem, "V")), ())
        for entry in sorted(entries, key=lambda e: -e.specificity):
            if not satisfied(entry, tok, lex, **self._kw(subj)):
                continue
            if entry.kind == "none":
                return None  # a reading the lexicon rules out ("fight against corruption")
            if entry.kind == "support":
                noun = direct_object(tok)
                if noun is None:
                    for c in entry.constraints:
                        if c.kind == "prep":
                            objs = [o for p in (c.key or "").split(",") for o in prep_objects(tok, p)]
                            noun = objs[0] if objs else None
                found = self.noun_event(noun)
                if found is not None:
                    return Reading(tok, entry, found[1], found[0])
                continue
            if entry.kind == "occur":
                holder = _prefix_head(tok) or tok  # "fighting has not re-emerged": the subject hangs on "re"
                s = subject(holder) or next((c for c in holder.children if c.dep_ == "nsubjpass"), None)
                found = self.noun_event(through_partitive(s)) if s is not None else None
                if found is not None:
                    return Reading(tok, entry, found[1], found[0])
                continue
            if entry.kind == "transparent" and not _has_content(tok) and not any(
                    c.pos_ == "VERB" for c in self.content_of_object(tok)) and not any(
                    c.dep_ == "advcl" and any(g.lower_ == "to" for g in c.children) for c in tok.children):
                continue
            return Reading(tok, entry)
        return None

    # -------------------------------------------------------------- content of frames
    def content_of(self, tok: Token) -> list[Token]:
        """Complement heads of a frame/report/transparent word, conjuncts included."""
        out: list[Token] = []
        for c in tok.children:
            if c.dep_ in ("xcomp", "ccomp"):
                out.append(_predicate_of(c))
            elif c.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) and \
                    self.read(tok) is not None and self.read(tok).kind in ("frame", "warn", "fail", "transparent"):
                out.append(c)  # "have sworn to fight": a complement the parser attached as a purpose clause
            elif c.dep_ == "acl" and tok.pos_ in ("NOUN", "PROPN"):
                out.append(c)
            elif c.dep_ == "prep" and c.lower_ in ("for", "to", "on", "upon", "of", "against", "about", "from", "over"):
                for g in c.children:
                    if g.dep_ == "pcomp":
                        out.append(g)
                    elif g.dep_ == "pobj" and c.lower_ not in ("from",):
                        out.append(through_partitive(g))
        if tok.pos_ == "VERB" or tok.pos_ == "ADJ":
            obj = direct_object(tok) if not is_passive(tok) else None
            if obj is not None and obj not in out:
                out.append(obj)
                r = self.read(tok) if tok.pos_ == "VERB" else None
                if r is not None and r.kind == "transparent":  # "took steps to enhance freedoms"
                    out += [c for c in obj.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"]
        expanded = []
        for t in out:
            expanded.append(t)
            expanded += [c for c in t.children if c.dep_ == "conj" and c.pos_ == t.pos_]
        return expanded

    def content_of_object(self, tok: Token) -> list[Token]:
        """Clauses on the object: "took steps to enhance freedoms"."""
        obj = direct_object(tok)
        return [c for c in obj.children if c.dep_ in ("acl", "relcl")] if obj is not None else []

    def content_type(self, toks: list[Token], depth: int = 0) -> tuple[str | None, str | None, Token | None]:
        """The PLOVER type the content would have on its own (for modes and frame rules)."""
        if depth > 3:
            return None, None, None
        for t in toks:
            if t.pos_ in ("NOUN", "PROPN"):
                found = self.noun_event(t)
                if found is not None and found[0].kind == "event":
                    return found[0].type, found[0].mode, t
                if found is not None or in_class(t, ("@PROPOSAL",), self.lex):
                    inner = self.content_type(self.content_of(t), depth + 1)
                    if inner[0] is not None:
                        return inner
                    if found is not None:
                        return found[0].type, found[0].mode, t
                continue
            r = self.read(t)
            if r is None:
                continue
            if r.kind in ("event", "support", "occur", "frame", "warn") and r.type:
                return r.type, r.mode, t
            if r.kind in ("transparent", "prepare", "fail"):
                inner = self.content_type(self.content_of(t), depth + 1)
                if inner[0] is not None:
                    return inner
        return None, None, None

    # -------------------------------------------------------------- sentence
    def code(self) -> list[Event]:
        events: list[Event] = []
        drafts_all: list[tuple[Span, list[Draft]]] = []
        for sent in body_sentences(self.doc):
            drafts = self.sentence_drafts(sent)
            drafts_all.append((sent, drafts))
        qlinks = self.link_quantities([d for _, ds in drafts_all for d in ds])
        previous_time: dict[int, TimeExpr] = {}
        for sent, drafts in drafts_all:
            for d in drafts:
                group = self.to_events(d, sent, qlinks.get(id(d), []), previous_time, events)
                first = f"E{len(events) + 1}"
                for ev in group:
                    ev.id = f"E{len(events) + 1}"
                    ev.group = first if len(group) > 1 else None
                    events.append(ev)
        for ev in events:
            for q in self.doc._.quantities or []:
                if q.id in ev.quantity_ids and q.event_id is None:
                    q.event_id = ev.id  # the first event of a group: where the number was said
        return events

    def sentence_drafts(self, sent: Span) -> list[Draft]:
        drafts: list[Draft] = []
        for tok in sent:
            r = self.read(tok)
            if r is None or self._consumed(tok) or not _asserted(tok) or self._purpose(tok):
                continue
            for d in self.resolve(r, speaker=None):
                if d is not None:
                    drafts.append(d)
        drafts = [d for d in self._merge(drafts) if self._plausible(d)]
        drafts.sort(key=lambda d: min(t.i for t in d.tokens))
        seen: set[int] = set()
        out = []
        for d in drafts:
            key = min(t.i for t in d.tokens)
            if key in seen:
                continue
            seen.add(key)
            out.append(d)
        return out

    def _plausible(self, d: Draft) -> bool:
        """PLOVER events have political actors: drop "oil production beat forecasts", "the app allows you".

        An event noun or weapon as subject ("a roadside bombing killed ...") stands for whoever used it:
        its owner if the text names one, else the actor stays unknown.
        """
        a = d.actor
        if a is None or self._actor_like(a):
            return True
        if self.noun_event(a) is not None or in_class(a, ("@WEAPONS",), self.lex) or lemma(a) in INSTRUMENTS:
            d.actor = self._noun_actor(a)
            return True
        return False

    def _actor_like(self, tok: Token) -> bool:
        if tok.pos_ == "PRON":
            if tok.lower_ in ("he", "she", "they", "we", "i", "him", "her", "them", "us", "who", "whom"):
                return True
            return self.actor_type(tok) is not None
        if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
            return True
        if self.actor_type(tok) is not None:
            return True
        if tok.pos_ not in ("NOUN",):
            return False
        if lemma(tok) in self.lex.agents or tok.lower_ in self.lex.agents:
            return True
        if tok.tag_ == "NNS" and lemma(tok).endswith(PERSON_SUFFIXES) and lemma(tok) not in NON_AGENT_PLURALS:
            return True  # "donors gave", "consumers sought": a group of people
        if in_class(tok, ("@TROOPS", "@POLICE", "@CIVILIANS", "@LEADERS", "@DIPLOMATS", "@PEACEKEEPERS",
                          "@INSPECTORS", "@AIDWORKERS", "@PRISONERS"), self.lex):
            return True
        return False

    def _consumed(self, tok: Token) -> bool:
        """`tok` is the content of a frame, report, transparent or prepare word above it."""
        cur = tok
        for _ in range(4):
            if cur.dep_ in ("conj", "acomp"):
                cur = cur.head
                continue
            head = cur.head
            if cur.dep_ in ("xcomp", "ccomp", "dobj", "acl") or (cur.dep_ in ("pcomp", "pobj") and head.dep_ == "prep"):
                gov = head if cur.dep_ not in ("pcomp", "pobj") else head.head
                r = self.read(gov) if gov.pos_ in ("VERB", "ADJ", "AUX") else None
                if r is not None and r.kind == "report" and _dash_apposition(cur, gov):
                    return False
                if r is not None and r.kind in ("frame", "report", "transparent", "prepare", "warn", "fail"):
                    return True
                if gov.pos_ in ("NOUN", "PROPN"):
                    found = self.noun_event(gov)
                    if found is not None and found[0].kind == "frame":
                        return True
            return False
        return False

    def _purpose(self, tok: Token) -> bool:
        """"gave a grant to finance projects": a "to"-clause under an ordinary verb is a purpose, not an event."""
        cur = tok
        for _ in range(3):
            if cur.dep_ == "conj":
                cur = cur.head
                continue
            if cur.dep_ in ("xcomp", "relcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
                if cur.dep_ == "relcl":
                    return True  # "the first delegation to visit Bucharest"
                if cur.head.lemma_ == "be":
                    return False  # "the response has been to threaten sanctions"
                r = self.read(cur.head) if cur.head.pos_ in ("VERB", "ADJ", "AUX") else None
                return r is None or r.kind not in ("frame", "report", "transparent", "prepare", "warn", "fail")
            return False
        return False

    # -------------------------------------------------------------- resolution
    def resolve(self, r: Reading, speaker: Token | None, depth: int = 0) -> list[Draft | None]:
        if depth > 4:
            return []
        tok = r.tok
        kind = r.kind
        if kind == "event":
            return [self._plain(r, speaker)]
        if kind in ("support", "occur"):
            return [self._nominal(r, speaker)]
        if kind in ("frame", "warn", "fail"):
            return [self._frame(r, speaker)]
        if kind == "transparent":
            out: list[Draft | None] = []
            for c in self.content_of(tok):
                if c.pos_ not in ("VERB", "ADJ"):
                    continue
                inner = self.read(c)
                if inner is None:
                    continue
                for d in self.resolve(inner, speaker, depth + 1):
                    if d is None:
                        continue
                    d.tokens = d.tokens  # the content's own trigger
                    d.merged.append(tok)
                    if lemma(tok) in ONGOING_SUPPORT and d.status == "happened":
                        d.status = "ongoing"
                    status = self._status(tok, speaker)
                    if status in ("denied", "hypothetical", "planned") and d.status == "happened":
                        d.status = status
                    out.append(d)
            return out
        if kind == "prepare":
            ctype, cmode, ctok = self.content_type(self.content_of(tok))
            if ctype in ("ASSAULT", "MOBILIZE") or any(
                    lemma(o) in ("war", "attack", "offensive", "invasion", "assault", "battle")
                    for o in prep_objects(tok, "for")):
                mode = "weapons" if cmode in ("heavy-weapons", "aerial", "weapons") else None
                d = Draft("MOBILIZE", mode, tok, [tok], content=[ctok] if ctok is not None else [],
                          actor=self._actor_tok(tok), status=self._status(tok, speaker), speaker=speaker)
                return [d]
            return []
        if kind == "report":
            out = []
            speaker_tok = self._actor_tok(tok)
            for c in self.content_of(tok):
                if c.dep_ not in ("ccomp", "conj", "acomp") or c.pos_ not in ("VERB", "AUX", "ADJ"):
                    continue
                if _dash_apposition(c, tok):
                    continue  # "X sent troops—a move experts say is ...": the experts speak of the move
                if any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children):
                    continue  # "said whether Trump will agree ... depends on": an open question
                inner = self.read(c)
                if inner is not None:
                    for d in self.resolve(inner, speaker_tok or tok, depth + 1):
                        out.append(self._reported(d, c, speaker_tok))
                elif clause.modal(c) == "must" or _has_to(c):
                    out.append(self._obligation(c, speaker_tok))
            return out
        return []

    def _plain(self, r: Reading, speaker: Token | None) -> Draft:
        tok = r.tok
        tokens = [tok] + [c for c in tok.children if c.dep_ == "prt"]
        typ, mode = r.type, r.mode
        obj = direct_object(tok)
        if obj is not None and any(c.kind == "obj" for c in r.entry.constraints) and obj.i == tok.i + 1 + sum(
                1 for c in tok.children if c.dep_ == "prt" and c.i == tok.i + 1):
            tokens.append(obj)  # "opened fire", "stopped work"
        d = Draft(typ, mode, tok, tokens, actor=self._actor_tok(tok), target=self._target_tok(tok, typ),
                  status=self._status(tok, speaker), speaker=speaker)
        if d.actor is None and is_passive(tok) and typ in ("MOBILIZE", "AID", "RETREAT") and d.target is not None \
                and in_class(d.target, ("@TROOPS", "@WEAPONS", "@POLICE", "@PEACEKEEPERS"), self.lex):
            # "Russia's forces are stationed along the border": the forces' owner moved them
            owner = _possessor(d.target) or next((c for c in d.target.children if c.dep_ in ("amod", "compound")
                                                  and (c.ent_type_ in ("GPE", "NORP", "ORG"))), None)
            d.actor = through_partitive(owner) if owner is not None else d.target
            d.target = self._deploy_place(tok)
        if typ == "CONSULT" and r.entry.mode == "host":
            # PLOVER: the visitor is the actor, the host the recipient
            d.actor, d.target, d.mode = d.target, d.actor, "visit"
        self._apply_intent(d, tok, speaker)
        return d

    def _nominal(self, r: Reading, speaker: Token | None) -> Draft:
        tok, noun = r.tok, r.noun
        assert noun is not None
        tokens = sorted({tok, noun} | {c for c in tok.children if c.dep_ == "prt"}, key=lambda t: t.i)
        if r.kind == "occur" or noun.i - tok.i > 6:
            tokens = [noun]  # "Protests over fuel prices ... have escalated": the noun is the trigger
        if r.noun_entry is not None and r.noun_entry.kind == "frame" and r.entry.type is None:
            frame = Reading(noun, r.noun_entry)
            d = self._frame(frame, speaker, host=tok)
            if d is not None:
                d.tokens = tokens
                d.head = tok
                d.status = self._status(tok, speaker) if d.type != "THREATEN" else "threatened"
            return d
        typ, mode = r.type, r.mode
        if r.kind == "occur":
            actor = self._noun_actor(noun)
            target = self._noun_target(noun, typ)
        else:
            actor = self._actor_tok(tok)
            target = self._noun_target(noun, typ)
            if target is None:
                poss = _possessor(noun)
                if poss is not None and (actor is None or poss.i != actor.i):
                    target = poss
            if actor is None:
                actor = self._noun_actor(noun)
        status = self._status(tok, speaker)
        if lemma(tok) in ONGOING_SUPPORT and status == "happened":
            status = "ongoing"
        if clause.is_negated(noun) and status != "denied":
            status = "denied"
        d = Draft(typ, mode, tok, tokens, actor=actor, target=target, status=status, speaker=speaker)
        prefix = _prefix_head(tok)
        if prefix is not None:
            d.merged += [prefix, tok.doc[prefix.i + 1]]
        if typ in ("COOPERATE",) or (typ == "MOBILIZE" and lemma(noun) in ("exercise", "drill", "game", "maneuver")):
            if _joint(actor, noun):
                d.type, d.mode = "COOPERATE", None
        self._apply_intent(d, tok, speaker)
        return d

    def _frame(self, r: Reading, speaker: Token | None, host: Token | None = None) -> Draft | None:
        tok = r.tok
        head = host or tok
        contents = self.content_of(tok)
        ctype, cmode, ctok = self.content_type(contents)
        frame_type = r.type or "REQUEST"
        negated = clause.is_negated(head) or (ctok is not None and ctok.pos_ == "VERB" and clause.is_negated(ctok))
        actor = self._actor_tok(head)
        target = None
        typ, mode = frame_type, None
        status = self._status(head, speaker)
        tokens = [tok] + [c for c in tok.children if c.dep_ == "prt"]
        if r.kind == "warn":
            if ctype not in CONFLICT:
                return None
            typ = "THREATEN"
        if r.kind == "fail":
            if ctype in ("AGREE", "CONSULT", "SUPPORT"):
                typ, mode = "REJECT", "meet"
            else:
                inner = self.read(ctok) if ctok is not None and ctok.pos_ == "VERB" else None
                if inner is None:
                    return None
                ds = [d for d in self.resolve(inner, speaker, 1) if d is not None]
                if not ds:
                    return None
                ds[0].status = "denied"
                ds[0].merged.append(tok)
                return ds[0]
        elif frame_type == "AGREE":
            if r.entry.pos == "A" and ctype is None and tok.lower_ != "committed":
                return None  # "willing to try new things": readiness for no event
            if negated:
                typ, mode = "REJECT", _request_mode(ctype)
            elif ctype in CONFLICT:
                typ, mode = "THREATEN", _threat_mode(ctype, cmode)
        elif frame_type == "REQUEST":
            content_verbs = [c for c in contents if c.pos_ == "VERB"]
            against = [o for c in content_verbs for o in prep_objects(c, "against")]
            if ctype == "SUPPORT" and ctok is not None and lemma(ctok) in BACKING_VERBS:
                typ, mode = "SUPPORT", None  # CAMEO 053: rally support on behalf of
                target = self._target_tok(ctok, "SUPPORT") if ctok is not None and ctok.pos_ == "VERB" else None
            elif against and any(lemma(c) in RALLY_VERBS for c in content_verbs):
                typ, mode = "ACCUSE", "disapprove"  # CAMEO 113: rally opposition against
                target = against[0]
            elif lemma(tok) == "order" and ctype in MATERIAL_CONFLICT and _is_state(actor, self):
                inner = self.read(ctok) if ctok is not None and ctok.pos_ == "VERB" else None
                if inner is not None:
                    ds = [d for d in self.resolve(inner, speaker, 1) if d is not None]
                    if ds:
                        ds[0].actor = actor
                        ds[0].merged.append(tok)
                        return ds[0]
                typ, mode = ctype, cmode
            else:
                mode = _request_mode(ctype)
        elif frame_type == "REJECT":
            if any(c.pos_ == "VERB" and lemma(c) in NO_COMMENT for c in contents[:1]):
                return None  # "declined to comment"
            mode = _request_mode(ctype)
        elif frame_type == "THREATEN":
            mode = _threat_mode(ctype, cmode)
            status = "threatened"
        if target is None:
            target = self._frame_target(tok, typ, contents, ctok)
        if target is None:
            holder = _clause_subject(head)
            if holder is not None and (lemma(holder) in ABSTRACT_HOLDERS or holder.lower_ in ABSTRACT_HOLDERS):
                # "the administration's response to Russia's buildup has been to threaten sanctions"
                for o in prep_objects(holder, "to"):
                    target = _possessor(o) or o
                    break
        if typ == "THREATEN":
            status = "threatened" if status not in ("denied", "hypothetical") else status
        elif negated and typ not in ("REJECT",) and frame_type != "AGREE":
            status = "denied"
        content_heads = [c for c in contents if c.pos_ in ("VERB", "NOUN", "PROPN", "ADJ")]
        return Draft(typ, mode, head, tokens, content=content_heads, actor=actor, target=target, status=status,
                     speaker=speaker)

    def _reported(self, d: Draft | None, content: Token, speaker_tok: Token | None) -> Draft | None:
        """PLOVER coding of reported speech: intentions and obligations said by someone."""
        if d is None:
            return None
        if d.actor is not None and _is_pronoun(d.actor) and speaker_tok is not None:
            d.actor = speaker_tok
        if d.actor is None and speaker_tok is not None:
            s = _clause_subject(content)
            if s is not None and s.dep_ == "nsubj" and _is_pronoun(s):  # "China said it is committed to ..."
                d.actor = speaker_tok
        own = d.actor is not None and (speaker_tok is None or d.actor.i == speaker_tok.i or _same_actor(
            self.doc, d.actor, speaker_tok))
        m = clause.modal(content)
        actor_like = d.actor is None or d.actor.pos_ == "PROPN" or self.actor_type(d.actor) is not None or \
            lemma(d.actor) in self.lex.agents
        if (m in clause.OBLIGATION_AUX or _has_to(content)) and not own and actor_like and \
                d.type not in ("REQUEST", "THREATEN"):
            mode = _request_mode(d.type)
            return Draft("REQUEST", mode, d.head, d.tokens, content=[content], actor=speaker_tok,
                         target=d.actor or d.target, status="happened", speaker=speaker_tok)
        if (own or d.actor is None) and d.status == "planned" and d.type in MATERIAL_CONFLICT | {"PROTEST"}:
            d.type, d.mode, d.status = "THREATEN", _threat_mode(d.type, d.mode), "threatened"
        return d

    def _obligation(self, content: Token, speaker_tok: Token | None) -> Draft | None:
        """"X said Y must do Z" where Z is not in the lexicon: a REQUEST of unknown content."""
        subj = _clause_subject(content)
        if subj is None or speaker_tok is None or _same_actor(self.doc, subj, speaker_tok):
            return None
        if _is_pronoun(subj) or subj.pos_ not in ("NOUN", "PROPN"):
            return None
        if subj.pos_ == "NOUN" and self.actor_type(subj) is None and lemma(subj) not in self.lex.agents:
            return None  # "speed and ability ... must": not someone who can be asked
        return Draft("REQUEST", "change", content, [content], actor=speaker_tok, target=subj, status="happened",
                     speaker=speaker_tok, confidence=0.6)

    def _apply_intent(self, d: Draft, verb: Token, speaker: Token | None) -> None:
        """PLOVER: cooperation, aid or a concession announced for the future is AGREE; refused, REJECT."""
        future = clause.modal(verb) in ("will", "would", "shall") or clause.tense(verb) == "future"
        if d.status == "denied" and future \
                and (d.type in COOPERATIVE or d.type in YIELDING or d.type == "AGREE"):
            d.type, d.mode, d.status = "REJECT", _request_mode(d.type), "happened"
            return
        if d.status != "planned" or clause.modal(verb) in ("could", "might", "may"):
            return
        if d.type in COOPERATIVE or d.type in YIELDING:
            d.type, d.mode = "AGREE", None
        elif d.type in MATERIAL_CONFLICT | {"PROTEST"} and _conditioned(verb):
            d.type, d.mode, d.status = "THREATEN", _threat_mode(d.type, d.mode), "threatened"

    # -------------------------------------------------------------- status
    def _status(self, verb: Token, speaker: Token | None) -> str:
        verb = _prefix_head(verb) or verb  # "has not re-emerged": auxiliaries and negation hang on "re"
        m = clause.modal(verb)
        if m in ("could", "might", "may", "can") or _in_condition(verb):
            return "hypothetical"  # "concessions they might not have agreed to": a possibility, not a refusal
        if clause.is_negated(verb):
            return "denied"
        t = clause.tense(verb) if verb.pos_ in ("VERB", "AUX") else "present"
        if m == "would":
            return "planned" if speaker is not None or _under_report(verb) else "hypothetical"
        if m in ("should", "must", "ought"):
            return "hypothetical"
        if t == "future" or m in ("will", "shall"):
            return "planned"
        if clause.is_progressive(verb) and t in ("present", "perfect"):
            return "ongoing"
        if t == "present" and verb.pos_ == "VERB" and (verb.tag_ in ("VBZ", "VBP") or any(
                a.tag_ in ("VBZ", "VBP") for a in clause.auxiliaries(verb))):
            return "ongoing"  # news' present tense: a state of affairs ("troops are stationed", "they reject")
        if t == "perfect" and verb.tag_ == "VBG":
            return "ongoing"
        return "happened"

    # -------------------------------------------------------------- arguments
    def _actor_tok(self, verb: Token) -> Token | None:
        """Who does it: the subject, the passive agent, the controller of a "to"-clause, a relative's head."""
        if is_passive(verb):
            agents = prep_objects(verb, "by")
            return agents[0] if agents else None
        s = _clause_subject(verb)
        if s is None:
            return None
        if s.pos_ == "VERB":
            # "The Red Cross operating in Iraq said": a reduced relative the parser took for the subject
            inner = next((c for c in s.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if inner is None:
                return None
            s = inner
        if s.lower_ in RELATIVE_PRONOUNS:
            s = _relative_head(verb) or s
        if lemma(s) in ABSTRACT_HOLDERS or s.lower_ in ABSTRACT_HOLDERS:
            poss = _possessor(s)
            if poss is not None:
                return poss
        return through_partitive(s) if s.pos_ in ("NOUN", "PROPN", "PRON", "NUM") else s

    def _noun_actor(self, noun: Token) -> Token | None:
        """Who does a nominal event: its possessor, "by" agent, or a nationality/compound modifier."""
        poss = _possessor(noun)
        if poss is not None:
            return poss
        agents = prep_objects(noun, "by")
        if agents:
            return agents[0]
        for c in noun.children:
            if c.dep_ in ("amod", "compound") and c.i < noun.i and (
                    c.ent_type_ in ("NORP", "GPE", "ORG") or self.actor_type(c) is not None):
                return c
        return None

    def _target_tok(self, verb: Token | None, typ: str | None) -> Token | None:
        if verb is None:
            return None
        if is_passive(verb):
            s = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if s is not None:
                return through_partitive(s)
        for c in verb.children:
            if c.dep_ in ("dative", "iobj") and c.pos_ in ("NOUN", "PROPN") and not is_time(self.doc, c):
                return c
        obj = direct_object(verb)
        if obj is not None and is_time(self.doc, obj):
            obj = None  # "met Tuesday": a date, not a recipient
        for prep in ("against", "on", "upon", "at", "with", "to", "into", "from", "of", "toward", "towards", "over"):
            for o in prep_objects(verb, prep):
                if o.pos_ not in ("NOUN", "PROPN", "PRON") or is_time(self.doc, o):
                    continue
                if prep in ("to", "into", "toward", "towards") and typ in ("MOBILIZE", "AID", "CONSULT"):
                    inner = _place_in(o, self)
                    return inner or o
                if prep in ("with", "against", "on", "upon", "at") or (prep == "to" and typ in ("AID", "AGREE")):
                    if obj is None or typ in ("AID", "CONSULT", "SANCTION", "COOPERATE", "ACCUSE", "THREATEN"):
                        return o
        if obj is not None and obj.pos_ in ("NOUN", "PROPN", "PRON"):
            found = self.noun_event(obj)
            if found is not None or lemma(obj) in IDIOM_OBJECTS:
                return self._noun_target(obj, typ)
            if typ == "MOBILIZE" or (typ == "AID" and in_class(obj, ("@TROOPS", "@AID", "@MONEY", "@FOOD", "@WEAPONS",
                                                                       "@INFO"), self.lex)):
                return self._deploy_place(verb, obj)
            return obj
        if typ == "MOBILIZE":
            return self._deploy_place(verb)
        return None

    def _deploy_place(self, verb: Token, obj: Token | None = None) -> Token | None:
        """Where forces go or stand: a place in "along/near/on/at/to/into ..." on the verb or its object."""
        for holder in (verb, obj):
            if holder is None:
                continue
            for prep in ("along", "near", "on", "at", "to", "into", "toward", "towards", "in"):
                for o in prep_objects(holder, prep):
                    place = _place_in(o, self)
                    if place is not None:
                        return place
        # the parser may hang the place on a conjoined object ("troops and equipment on its border")
        for x in verb.subtree:
            if x.dep_ == "prep" and x.lower_ in ("along", "near", "on", "at", "to", "into") and not _crosses_clause(
                    x, verb):
                for o in x.children:
                    if o.dep_ == "pobj":
                        place = _place_in(o, self)
                        if place is not None:
                            return place
        return None

    def _noun_target(self, noun: Token, typ: str | None) -> Token | None:
        for prep in ("against", "on", "upon", "with", "to", "into", "at", "of", "toward", "towards"):
            for o in prep_objects(noun, prep):
                if o.pos_ not in ("NOUN", "PROPN", "PRON") or is_time(self.doc, o):
                    continue
                if prep == "of":
                    found = self.noun_event(o)
                    if found is not None:
                        inner = self._noun_target(o, typ)
                        if inner is not None:
                            return inner
                        continue
                    if typ in ("RETREAT", "SANCTION", "MOBILIZE", "AID"):
                        continue
                if prep in ("to", "into", "toward", "towards") and typ in ("MOBILIZE", "AID", "RETREAT"):
                    return _place_in(o, self) or o
                return o
        return None

    def _frame_target(self, tok: Token, typ: str, contents: list[Token], ctok: Token | None) -> Token | None:
        if typ == "REQUEST":
            if tok.pos_ == "VERB":
                obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
                if obj is not None and obj.pos_ in ("NOUN", "PROPN", "PRON") and self.noun_event(obj) is None \
                        and not in_class(obj, ("@PROPOSAL", "@AID", "@MEETING", "@CEASEFIRE"), self.lex):
                    return obj
                for prep in ("on", "upon", "to"):
                    for o in prep_objects(tok, prep):
                        if o.pos_ in ("NOUN", "PROPN", "PRON") and not is_time(self.doc, o):
                            return o
            for c in contents:
                if c.pos_ in ("VERB", "AUX") and c.dep_ in ("ccomp", "xcomp"):
                    s = _clause_subject(c) if c.dep_ == "ccomp" else None
                    if s is not None and not _is_pronoun(s):
                        return s
                if c.pos_ in ("NOUN", "PROPN"):
                    by = prep_objects(c, "by")
                    if by:
                        return by[0]
        if typ == "REJECT":
            for c in contents:
                if c.pos_ in ("NOUN", "PROPN"):
                    for prep in ("from", "by"):
                        objs = prep_objects(c, prep)
                        if objs:
                            return objs[0]
                    poss = _possessor(c)
                    if poss is not None:
                        return poss
                    for m in c.children:
                        if m.dep_ in ("amod", "compound") and m.i < c.i and (m.ent_type_ in ("NORP", "GPE", "ORG")):
                            return m
            for o in prep_objects(tok, "from"):
                return o
        if typ in ("THREATEN", "ACCUSE", "SANCTION"):
            for t in [tok, *contents]:
                for o in prep_objects(t, "against") + prep_objects(t, "on"):
                    if o.pos_ in ("NOUN", "PROPN", "PRON") and not is_time(self.doc, o):
                        return o
        if ctok is not None and ctok.pos_ == "VERB":
            return self._target_tok(ctok, typ)
        if typ == "AGREE":
            for o in prep_objects(tok, "with") + prep_objects(tok, "to"):
                if o.pos_ in ("PROPN", "NOUN") and self.noun_event(o) is None and not is_time(self.doc, o):
                    return o
        return None

    # -------------------------------------------------------------- merging within a sentence
    def _merge(self, drafts: list[Draft]) -> list[Draft]:
        """One attack reported with its killing and wounding is one ASSAULT; a protest's demand is its topic."""
        by_head = {d.head.i: d for d in drafts}
        out: list[Draft] = []
        for d in drafts:
            parent = _clause_parent(d.head, by_head)
            if parent is not None and parent is not d:
                if d.type == "ASSAULT" and (parent.type == "ASSAULT" or (parent.type == "PROTEST")):
                    parent.merged += d.tokens
                    parent.mode = parent.mode or d.mode
                    if parent.type == "PROTEST" and parent.mode in (None, "demo"):
                        parent.mode = "riot"
                    if parent.target is None:
                        parent.target = d.target
                    continue
                if parent.type == "PROTEST" and d.type in ("REQUEST", "ACCUSE", "PROTEST", "COERCE") and (
                        d.type != "COERCE" or d.mode == "destroy"):
                    parent.merged += d.tokens
                    if d.type == "COERCE" and parent.mode in (None, "demo"):
                        parent.mode = "riot"  # protesters destroying property: a riot (PLOVER PROTEST modes)
                    continue
            out.append(d)
        return out

    # -------------------------------------------------------------- dates, numbers, sources
    def link_quantities(self, drafts: list[Draft]) -> dict[int, list[str]]:
        owner: dict[int, Draft] = {}
        for d in drafts:
            for i in d.anchor_tokens:
                owner.setdefault(i, d)
        out: dict[int, list[str]] = {}
        for q in self.doc._.quantities or []:
            span = self.doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            cur = span.root
            for _ in range(8):
                if cur.i in owner:
                    out.setdefault(id(owner[cur.i]), []).append(q.id)
                    break
                if cur.head.i == cur.i:
                    break
                cur = cur.head
        return out

    def _time_for(self, d: Draft, sent: Span) -> TimeExpr | None:
        anchors = d.anchor_tokens
        best = None
        for t in self.doc._.times or []:
            if not (sent.start_char <= t.start < sent.end_char):
                continue
            span = self.doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is None:
                continue
            cur = span.root
            for _ in range(6):
                if cur.i in anchors:
                    best = t
                    break
                if cur.head.i == cur.i or (cur.pos_ == "VERB" and cur.i not in anchors):
                    break
                cur = cur.head
            if best is not None:
                break
        return best

    def _source(self, d: Draft) -> tuple[ActorRef | None, str | None]:
        start = min(t.idx for t in d.tokens)
        for q in self.doc._.quotes or []:
            frags = q.fragments or [q]
            if any(f.start <= start < f.end for f in frags):
                return q.speaker, q.id
        if d.speaker is not None:
            return self._ref(d.speaker), None
        sent = d.head.sent
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                objs = [c for c in self.doc[tok.i + 1].children if c.dep_ == "pobj"]
                if objs:
                    return self._ref(objs[0]), None
        return None, None

    # -------------------------------------------------------------- building the record
    def _mention(self, tok: Token) -> tuple[int, int]:
        """The head mention of an argument: the entity or actor mention around it, else its name words.
        A mention never runs across a line break (headings, blanked furniture)."""
        s, e = self._mention_span(tok)
        nl = self.text.rfind("\n", s, tok.idx)
        if nl >= 0:
            s = nl + 1
        nl = self.text.find("\n", tok.idx, e)
        if nl >= 0:
            e = nl
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        return s, e

    def _mention_span(self, tok: Token) -> tuple[int, int]:
        for ent in tok.sent.ents if tok.sent is not None else []:
            if ent.start <= tok.i < ent.end:
                return ent.start_char, ent.end_char
        index = self.doc._.actor_index or {}
        for (s, e) in index:
            if s <= tok.idx < e:
                return s, e
        start = tok.i
        for c in sorted(tok.lefts, key=lambda t: -t.i):
            if c.dep_ in ("compound", "amod", "nmod", "poss", "case") and c.right_edge.i == start - 1:
                start = c.left_edge.i
            elif c.dep_ in ("punct",) and c.i == start - 1 and c.text == "-":
                start = c.i
            else:
                break
        while start < tok.i and self.doc[start].dep_ == "case":
            start += 1
        return self.doc[start].idx, tok.idx + len(tok.text)

    def _ref(self, tok: Token | None) -> ActorRef | None:
        """An `ActorRef` for an argument, with sector and country where the text or the actor tells them."""
        if tok is None:
            return None
        if tok.pos_ == "NOUN":
            # "a Russian-led military alliance akin to NATO, the Collective Security Treaty Organization (CSTO)":
            # the apposition names the noun even where the parser hung it on a nearer noun
            pool = tok.children if lemma(tok) not in GROUP_NOUNS else tok.subtree
            app = next((c for c in pool if c.dep_ == "appos" and c.i != tok.i and c.pos_ == "PROPN"), None)
            if app is not None:
                tok = app
        owned = owned_state(self.doc, tok) if tok.pos_ == "NOUN" else None
        if owned is not None:
            return owned  # "her government": the state of the person "her" points at
        s, e = self._mention(tok)
        sponsor = sponsor_modifier(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if sponsor is not None and s < sponsor.end_char < e:
            return self._sponsored_ref(tok, s, e, sponsor.end_char)
        return self._ref_at(tok, s, e)

    def _ref_at(self, tok: Token, s: int, e: int) -> ActorRef | None:
        ref = self._actor_ref(s, e)
        if ref is None:
            return None
        if tok.ent_type_ == "NORP" and tok.tag_ in ("NNPS", "NNS"):
            # "Americans", "Palestinians": people of a country, not the state
            people = actor_at(self.doc, s, e)
            country = None
            if people is not None:
                country = people.country or (people.geo.country_code if people.geo is not None else None)
            return ref.model_copy(update={"name": self.text[s:e], "actor_id": None, "role": None,
                                          "sector": "civilians", "country": country})
        actor = actor_at(self.doc, tok.idx, tok.idx + len(tok.text)) if tok.pos_ == "PROPN" else None
        if tok.pos_ == "NOUN":
            # "U.S. and Russian officials", "Israeli soldiers", "Russia's forces": the owner names the actor
            mod = self._owner_modifier(tok, floor=s)
            if mod is not None:
                ms, me = self._mention(mod)
                mref = self._actor_ref(ms, me)
                actor = actor_at(self.doc, ms, me)
                if mref is not None and _is_state_noun(tok, self):
                    ref = ref.model_copy(update={"name": mref.name, "actor_id": mref.actor_id})
                    if actor is not None and actor.type == "NORP":
                        # "the Nigerian army" in an article that never names Nigeria: the state's forces
                        code = actor.country or (actor.geo.country_code if actor.geo is not None else None)
                        state = country_entity(self.doc, code) if code else None
                        name = state.name if state is not None else places.country_name(code)
                        if name:
                            ref = ref.model_copy(update={"name": name,
                                                         "actor_id": state.id if state is not None else mref.actor_id})
                else:
                    # "Russian nationalists" are not Russia: keep the group, take only its country
                    ref = ref.model_copy(update={"name": self.text[s:e], "actor_id": None, "role": None})
                    country = actor.country if actor is not None else None
                    if country is None and actor is not None and actor.geo is not None:
                        country = actor.geo.country_code
                    return ref.model_copy(update={"sector": self.lex.agents.get(lemma(tok)), "country": country})
            else:
                actor = actor_at(self.doc, s, e)
        elif actor is None:
            actor = actor_at(self.doc, s, e)
        sector = self.lex.agents.get(lemma(tok)) if tok.pos_ == "NOUN" else None
        if sector is None and actor is not None and actor.sector:
            sector = actor.sector
        country = None
        if actor is not None:
            country = actor.country or (actor.geo.country_code if actor.geo is not None and actor.type in
                                        ("GPE",) else None)
        if country is None and (tok.ent_type_ == "GPE" or (actor is not None and actor.type == "GPE")):
            geo = places.lookup(actor.name if actor is not None else tok.text)
            country = geo.country_code if geo is not None else None
        return ref.model_copy(update={"sector": sector, "country": country})

    def _sponsored_ref(self, tok: Token, s: int, e: int, own: int) -> ActorRef | None:
        """"The Saudi-led coalition", "Kremlin-backed separatists": the group is the actor, not its leader or
        backer, so the actor is looked up only in the group's own words (after the modifier)."""
        while own < e and not self.text[own].isalnum():
            own += 1
        ref = self._ref_at(tok, own, e) if own < e else None
        if ref is None:
            return None
        update: dict = {"start": s, "text": self.text[s:e]}
        if ref.actor_id is None and ref.name == self.text[own:e]:
            update["name"] = self.text[s:e]  # "Saudi-led coalition" says more than "coalition"
        return ref.model_copy(update=update)

    def _leader_ref(self, tok: Token) -> ActorRef | None:
        """The X of "an X-led group": a co-actor of what the group does (a backer is not)."""
        sp = sponsor_modifier(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if sp is None or sp.relation != "leader":
            return None
        if sp.leader is not None:
            s, e = self._mention(sp.leader)
        else:  # "U.S.-led": one token
            s, e = sp.start_char, self.text.rfind("-", sp.start_char, sp.end_char)
            if e <= s:
                return None
        actor = actor_at(self.doc, s, e)
        if actor is not None and actor.type != "NORP":
            return self._ref(sp.leader) if sp.leader is not None else self._actor_ref(s, e)
        # "Saudi-led", "Russian-led": the demonym's state leads
        code = (actor.country or (actor.geo.country_code if actor.geo else None)) if actor is not None else None
        if code is None:
            geo = places.lookup(self.text[s:e])
            code = geo.country_code if geo is not None and geo.feature == "country" else None
        if code is None:
            return None
        state = country_entity(self.doc, code)
        name = state.name if state is not None else places.country_name(code)
        return ActorRef(name=name or self.text[s:e], actor_id=state.id if state is not None else None, start=s, end=e,
                        text=self.text[s:e], sector="state", country=code)

    def _actor_ref(self, start: int, end: int) -> ActorRef:
        """`extensions.actor_ref` with the document text read once (same fields, same resolution)."""
        actor = actor_at(self.doc, start, end)
        text = self.text[start:end]
        if actor is None:
            return ActorRef(name=text, start=start, end=end, text=text)
        role = actor.roles[0].text if actor.roles else None
        return ActorRef(name=actor.name, actor_id=actor.id, start=start, end=end, text=text, role=role)

    def _owner_modifier(self, noun: Token, floor: int = 0) -> Token | None:
        for c in sorted(noun.children, key=lambda t: t.i):
            if c.idx >= floor and c.i < noun.i and c.dep_ in ("compound", "amod", "nmod", "poss") and (
                    c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or self.actor_type(c) is not None):
                return c
        return None

    def _location(self, d: Draft) -> Place | None:
        obj = direct_object(d.head) if d.head.pos_ == "VERB" else None
        toks = [d.head, *d.tokens, *d.content, *([obj] if obj is not None else [])]
        preps = LOCATIVE_PREPS | ({"to"} if d.type in MOVEMENT_TYPES else set())
        for t in toks:
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    for o in c.children:
                        if o.dep_ != "pobj":
                            continue
                        place = _place_in(o, self)
                        if place is not None and (d.actor is None or place.i != d.actor.i):
                            return self._place(place)
        if d.target is not None and d.target.ent_type_ in PLACE_LABELS and d.type in MATERIAL_TYPES:
            return self._place(d.target)
        return None

    def _place_words(self, d: Draft) -> list[Token]:
        """Objects of the event's locative phrases ("outside the Russian embassy", "in Almaty")."""
        out = []
        for t in [d.head, *d.tokens, *d.content]:
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS:
                    out += [o for o in c.children if o.dep_ == "pobj"]
        return out

    def _place(self, tok: Token) -> Place:
        s, e = self._mention(tok)
        actor = actor_at(self.doc, s, e)
        name = actor.name if actor is not None else self.text[s:e]
        geo = actor.geo if actor is not None and actor.geo is not None and actor.geo.latitude is not None else None
        if geo is None:
            geo = places.lookup(name) or places.lookup(self.text[s:e])
        return Place(name=name, actor_id=actor.id if actor is not None else None, start=s, end=e, geo=geo)

    def _phrase(self, d: Draft) -> tuple[int, int]:
        """The event phrase: the predicate with its objects and complements, not its subject or clauses."""
        keep = {"dobj", "obj", "prt", "prep", "xcomp", "aux", "auxpass", "neg", "dative", "attr", "oprd",
                "acomp", "npadvmod", "pobj", "pcomp", "compound", "amod", "det", "poss", "case", "nummod", "quantmod",
                "advmod"}
        idx: set[int] = set()
        for t in {d.head, *d.tokens, *d.merged}:
            idx.add(t.i)
            for c in t.children:
                if c.dep_ == "prep" and (c.lower_ == "according" or any(
                        x.pos_ == "VERB" and x.i != c.i for x in c.subtree) or any(
                        g.lower_ in ("instance", "example") for g in c.children)):
                    continue  # "according to Reuters", "in what U.S. intelligence believes is ...", "for instance"
                if c.dep_ in keep and not (c.dep_ == "advmod" and c.i > t.i):
                    if c.dep_ == "xcomp" and t.i != d.head.i:
                        continue
                    idx.update(x.i for x in c.subtree if not _crosses_clause(x, c))
        for t in d.content:
            idx.update(x.i for x in t.subtree if not _crosses_clause(x, t))
        lo, hi = min(idx), max(idx)
        sent = d.head.sent
        lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
        while hi > lo and self.doc[hi].is_punct and self.doc[hi].text not in ("”", "\"", ")"):
            hi -= 1
        while lo < hi and (self.doc[lo].is_punct or self.doc[lo].dep_ == "cc"):
            lo += 1
        return self.doc[lo].idx, self.doc[hi].idx + len(self.doc[hi].text)

    def to_events(self, d: Draft, sent: Span, qids: list[str], previous_time: dict[int, TimeExpr],
                  prior: list[Event]) -> list[Event]:
        """The events of one draft: one per actor and target of a compound ("A and B sent forces to C" is A→C
        and B→C), sharing trigger, phrase, date, status, place, quantities and source. `prior` are the
        events read before it in the article (what "the request" refers back to)."""
        doc = self.doc
        trig_toks = sorted(d.tokens, key=lambda t: t.i)
        ts, te = trig_toks[0].idx, trig_toks[-1].idx + len(trig_toks[-1].text)
        ts, te = self._clamp(ts, te, trig_toks[0].idx)
        ps, pe = self._phrase(d)
        ps, pe = self._clamp(min(ps, ts), max(pe, te), trig_toks[0].idx)
        time = self._time_for(d, sent)
        para = _paragraph_of(doc, sent.start_char)
        when = None
        confidence = d.confidence
        if time is None and d.status == "happened" and para in previous_time and self._narrative(d):
            time = previous_time[para]
            confidence = min(confidence, 0.7)
        if time is not None:
            when = time.value
            if time.type == "DURATION" and time.latest is not None and time.value:
                when = f"{time.value}/{time.latest.isoformat()}"
            if time.type in ("DATE", "INTERVAL") and time.value and d.status == "happened":
                previous_time[para] = time
        elif doc._.published is not None and d.status != "hypothetical":
            pub = doc._.published.isoformat()
            when = f"{pub}/.." if d.status == "planned" and d.type not in ("AGREE", "THREATEN") else f"../{pub}"
        source, quote_id = self._source(d)
        status = d.status
        if time is not None and time.direction == "future" and status in ("happened", "ongoing"):
            status = "planned"
        if d.type == "THREATEN" and status not in ("denied", "hypothetical"):
            status = "threatened"
        location = self._location(d)
        mode = d.mode or self._mode(d)
        anaphor = self._anaphor(d)
        issue = self._issue(d) if d.type == "PROTEST" else None
        out = []
        for actor, target, co in self._dyads(d):
            actor_implied = target_implied = False
            if anaphor is not None and (target is None or (target.start, target.end) == self._mention(anaphor[0])):
                # "Morland rejected the request": the request is the last one reported; its author is answered
                author = antecedent_author(prior, anaphor[1], actor)
                if author is not None:
                    s, e = self._np_span(anaphor[0])
                    target = author.model_copy(update={"start": s, "end": e, "text": self.text[s:e]})
                    target_implied = True
            if actor is None and d.type == "PROTEST":
                # ACLED's convention: unnamed demonstrators are "Protesters", of the country where they are
                actor = ActorRef(name="protesters", sector="protesters",
                                 country=location.geo.country_code if location and location.geo else None)
                actor_implied = True
            if target is None and d.type == "PROTEST" and not supportive(d.head, d.actor):
                # a protest that names no target is aimed at the government where it happens
                target = implied_government(doc, sent, location, actor, self._place_words(d))
                if target is not None and actor is not None and actor.actor_id and target.actor_id == actor.actor_id:
                    target = None
                target_implied = target is not None
            out.append(Event(
                id="", type=d.type, mode=mode,
                trigger=TextSpan(start=ts, end=te, text=self.text[ts:te]),
                start=ps, end=pe, text=self.text[ps:pe],
                sentence=self._sentence_span(sent),
                actor=actor, target=target, co_actors=co, location=location, when=when,
                actor_implied=actor_implied, target_implied=target_implied, issue=issue,
                time_id=time.id if time is not None else None, status=status, quantity_ids=list(qids),
                source=source, quote_id=quote_id, confidence=confidence,
            ))
        return out

    def _issue(self, d: Draft) -> TextSpan | None:
        """What a protest is about when that is not an actor: "against the closure of the harbour", "over fuel
        prices". A policy or action in the target slot becomes the issue, and the target is then whoever the
        phrase says owns it ("the government's decision") or, failing that, the implied government."""
        found = None
        if d.target is not None and not self._actor_like(d.target) and not _is_state_noun(d.target, self):
            found = d.target
            owner = _possessor(d.target) or next(iter(prep_objects(d.target, "by")), None)
            d.target = owner if owner is not None and self._actor_like(owner) else None
        if found is None:
            for t in [d.head, *d.tokens]:
                for prep in ("against", "over", "about"):
                    for o in prep_objects(t, prep):
                        if o.pos_ in ("NOUN", "PROPN") and not self._actor_like(o) and not is_time(self.doc, o):
                            found = o
                            break
                    if found is not None:
                        break
                if found is not None:
                    break
        if found is None:
            return None
        # the noun phrase with its complements ("the decision to cut subsidies"), not relative or adverbial clauses
        idx = [x.i for x in found.subtree if x.sent == found.sent and not _crosses_clause(x, found, keep=("acl",))]
        lo, hi = min(idx), max(idx)
        while hi > lo and (self.doc[hi].is_punct or self.doc[hi].dep_ == "cc"):
            hi -= 1
        start, end = self._clamp(self.doc[lo].idx, self.doc[hi].idx + len(self.doc[hi].text), found.idx)
        return TextSpan(start=start, end=end, text=self.text[start:end])

    def _anaphor(self, d: Draft) -> tuple[Token, tuple[str, ...]] | None:
        """The object of a response that refers back to an earlier event ("rejected the request"), with the
        event types it can refer to."""
        if d.type not in RESPONSE_TYPES:
            return None
        cands = [d.target] + ([direct_object(d.head)] if d.head.pos_ == "VERB" else []) + [
            c for c in d.content if c.pos_ == "NOUN"]
        for tok in cands:
            types = event_anaphor(tok)
            if types is not None:
                return tok, types
        return None

    def _np_span(self, noun: Token) -> tuple[int, int]:
        """The noun with its determiner and pre-modifiers ("the request", "this latest offer")."""
        start = min((c.left_edge.i for c in noun.children if c.i < noun.i), default=noun.i)
        return self.doc[start].idx, noun.idx + len(noun.text)

    def _dyads(self, d: Draft) -> list[tuple[ActorRef | None, ActorRef | None, list[ActorRef]]]:
        """(actor, target, co-actors) for each event of a draft.

        Each member of a compound actor acts on each member of a compound target; the other members are
        listed as co-actors, and so is the leader of an "X-led" member. A compound actor with no target
        in a reciprocal event ("A and B met", "clashed") is one event, the first member acting on the
        second; "A and B accused each other" is A→B and B→A."""
        members: list[tuple[Token | None, ActorRef]] = []
        seen: set[str] = set()
        for tok in [d.actor, *conjuncts(d.actor)] if d.actor is not None else []:
            ref = self._ref(tok)
            if ref is not None and (ref.actor_id or ref.name) not in seen:
                seen.add(ref.actor_id or ref.name)
                members.append((tok, ref))
        for tok in modifier_conjuncts(d.actor):
            ref = self._ref(tok)
            if ref is not None and (ref.actor_id or ref.name) not in seen:
                seen.add(ref.actor_id or ref.name)
                members.append((None, ref))
        leaders: dict[int, ActorRef] = {}
        for k, (tok, _) in enumerate(members):
            leader = self._leader_ref(tok) if tok is not None else None
            if leader is not None:
                leaders[k] = leader
        refs = [r for _, r in members]

        def co_of(k: int, exclude: set[int] = frozenset()) -> list[ActorRef]:
            co = [r for j, r in enumerate(refs) if j != k and j not in exclude]
            keys = {r.actor_id or r.name for r in [refs[k], *co]} if refs else set()
            for j, leader in leaders.items():
                if j == k and (leader.actor_id or leader.name) not in keys:
                    co.append(leader)
            return co

        if not members:
            targets = self._targets(d)
            return [(None, t, []) for t in targets] or [(None, None, [])]
        if len(members) > 1 and reciprocal_object(d.head):
            return [(refs[k], refs[j], co_of(k, {j})) for k in range(len(refs)) for j in range(len(refs)) if j != k]
        targets = self._targets(d)
        if not targets and len(members) > 1 and (d.type in ("CONSULT", "COOPERATE", "AGREE")
                                                  or lemma(d.head) in RECIPROCAL_VERBS):
            return [(refs[0], refs[1], co_of(0, {1}))]
        out = []
        for k, actor in enumerate(refs):
            for target in targets or [None]:
                if target is not None and actor.actor_id and target.actor_id == actor.actor_id:
                    continue
                out.append((actor, target, co_of(k)))
        return out or [(refs[0], None, co_of(0))]

    def _targets(self, d: Draft) -> list[ActorRef]:
        """The event's target and the nouns coordinated with it, when each is a recipient of its own."""
        if d.target is None or (d.actor is not None and d.target.i == d.actor.i):
            return []
        toks = [d.target]
        if splits_target(d.target, d.head, d.type):
            toks += [c for c in conjuncts(d.target) if not is_time(self.doc, c)]
        out, seen = [], set()
        for tok in toks:
            ref = self._ref(tok)
            if ref is not None and (ref.actor_id or ref.name) not in seen:
                seen.add(ref.actor_id or ref.name)
                out.append(ref)
        return out

    def _clamp(self, start: int, end: int, anchor: int) -> tuple[int, int]:
        """Cut [start, end) to the body paragraph holding `anchor` and trim white space: the Doc blanks
        furniture out but `Analysis.text` does not, so spans must stay inside the paragraph."""
        article = self.doc._.article
        if article is not None and article.body:
            for p in article.body:
                if p.start <= anchor < p.end:
                    start, end = max(start, p.start), min(end, p.end)
                    break
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def _sentence_span(self, sent: Span) -> TextSpan:
        """The sentence, cut to its body paragraph: the Doc blanks furniture out, the analysis text does not,
        so a span reaching into blanked furniture would not read the same in `Analysis.text`."""
        words = [t for t in sent if not t.is_space]
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        article = self.doc._.article
        if article is not None and article.body:
            for p in article.body:
                if p.start <= start < p.end:
                    end = min(end, p.end)
                    break
        return TextSpan(start=start, end=end, text=self.text[start:end])

    def _narrative(self, d: Draft) -> bool:
        """A past event with no date of its own, told in the simple past or present perfect."""
        t = clause.tense(d.head) if d.head.pos_ in ("VERB", "AUX") else "present"
        return t in ("past", "perfect")

    def _mode(self, d: Draft) -> str | None:
        if d.type not in ("ASSAULT", "PROTEST", "MOBILIZE", "AID"):
            return None
        words: set[str] = set()
        for t in {d.head, *d.tokens, *d.merged, *d.content}:
            words.add(lemma(t))
            words.add(t.lower_)
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "prep", "agent", "compound", "amod", "npadvmod",
                              "advcl"):
                    for x in c.subtree:
                        words.add(lemma(x))
                        words.add(x.lower_)
        if d.actor is not None:
            words.update(lemma(x) for x in d.actor.subtree)
        mode = self.lex.mode_for(d.type, words)
        if mode is None and d.type == "MOBILIZE":
            return "troops"
        if d.type == "ASSAULT" and mode is None and d.target is not None and lemma(d.head) in (
                "kill", "murder", "shoot", "execute", "behead", "slay") and (
                in_class(d.target, ("@LEADERS",), self.lex) or d.target.ent_type_ == "PERSON"):
            return "targeted"  # PLOVER: targeted killings of leaders and officials
        return mode


# --------------------------------------------------------------------------- parse helpers

def _predicative(tok: Token) -> bool:
    """"willing", "ready", "prepared", "committed" used as a predicate ("is willing to ...")."""
    if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "ROOT", "xcomp", "ccomp", "conj", "advcl", "oprd"):
        return True
    if tok.tag_ == "VBN" and any(c.lemma_ == "be" and c.dep_ in ("auxpass", "cop", "aux") for c in tok.children):
        return True
    return False


def _is_state_noun(tok: Token, coder: _DocCoder) -> bool:
    """"officials", "troops", "police", "government": a noun for the state's own people or bodies."""
    from sitroom.nlp.event_lexicon import STATE_NOUNS

    return lemma(tok) in STATE_NOUNS or coder.lex.agents.get(lemma(tok)) in ("government", "military", "police",
                                                                            "legislature", "judiciary")


#: verb prefixes the tokenizer splits off at a hyphen ("re-emerged" -> "re", "-", "emerged")
VERB_PREFIXES = {"re", "co", "pre", "de", "un", "mis", "over", "out", "under", "counter"}


def _prefix_head(verb: Token) -> Token | None:
    """For the stem of a hyphenated verb the tokenizer split ("re-emerged", "re-imposed"), the prefix token
    when the parser hung the clause on it (subject, auxiliaries and negation on "re", the stem its conjunct)."""
    if verb.i < 2:
        return None
    doc = verb.doc
    hyphen, prefix = doc[verb.i - 1], doc[verb.i - 2]
    if hyphen.text not in ("-", "‐") or prefix.lower_ not in VERB_PREFIXES or prefix.whitespace_ or \
            hyphen.whitespace_:
        return None
    return prefix if verb.head.i == prefix.i and verb.i != prefix.i else None


def _is_pronoun(tok: Token) -> bool:
    return tok.pos_ == "PRON" and tok.lower_ in PERSONAL_PRONOUNS


def _predicate_of(tok: Token) -> Token:
    """A copula clause stands for its predicate: "(he said he) is prepared to ..." -> "prepared"."""
    if tok.lemma_ == "be" and tok.pos_ == "AUX":
        for c in tok.children:
            if c.dep_ in ("acomp", "attr") and c.pos_ in ("ADJ", "VERB"):
                return c
    return tok


def _has_content(tok: Token) -> bool:
    return any(c.dep_ in ("xcomp", "ccomp") for c in tok.children) or any(
        c.dep_ == "prep" and c.lower_ in ("to", "for", "on") and any(g.dep_ in ("pcomp", "pobj") for g in c.children)
        for c in tok.children)


def _dash_apposition(content: Token, verb: Token) -> bool:
    """A clause before a reporting verb, cut off from it by a dash: "Russia sent troops—a move experts tell
    us is the first" — the speakers comment on the move; they do not report the clause (reported speech
    before its verb is set off by a comma or a closing quote, not by a dash and a new noun phrase)."""
    if content.i > verb.i:
        return False
    end = content.right_edge.i
    return any(t.text in ("—", "–", "--") for t in content.doc[end + 1:verb.i])


def _has_to(verb: Token) -> bool:
    """"have to"/"need to" + verb: an obligation without a modal."""
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_ in ("have", "need") and head.i != verb.i


def _clause_subject(verb: Token) -> Token | None:
    """The subject of `verb`'s clause, inherited through "to"-clauses, conjunctions and participles."""
    cur = verb
    for _ in range(5):
        s = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
        if s is not None:
            return s
        if cur.dep_ == "xcomp":
            head = cur.head
            if lemma(head) in OBJECT_CONTROL:
                obj = next((c for c in head.children if c.dep_ in ("dobj", "obj")), None)
                if obj is not None:
                    return obj
            cur = head
            continue
        if cur.dep_ in ("conj", "advcl", "acl") and cur.head.i != cur.i:
            if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
                gov = cur.head.head
                if cur.head.lower_ in MESSAGE_NOUNS or lemma(cur.head) in MESSAGE_NOUNS:
                    cur = gov
                    continue
                return cur.head
            cur = cur.head
            continue
        if cur.dep_ == "relcl":
            return cur.head
        return None
    return None


def _controller_subject(tok: Token) -> Token | None:
    s = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if s is None and tok.dep_ == "acomp":
        s = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return s


def _relative_head(verb: Token) -> Token | None:
    cur = verb
    for _ in range(3):
        if cur.dep_ == "relcl":
            return cur.head
        cur = cur.head
    return None


def _possessor(noun: Token) -> Token | None:
    for c in noun.children:
        if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"):
            return c
    return None


def _asserted(tok: Token) -> bool:
    """Is `tok`'s clause reported as fact (or reported speech), not a condition, purpose, belief or noun modifier?"""
    cur = tok
    for _ in range(12):
        dep = cur.dep_
        if dep == "ROOT":
            return True
        head = cur.head
        if dep in ("conj", "parataxis"):
            cur = head
            continue
        if dep in ("ccomp", "xcomp", "acomp", "csubj"):
            if lemma(head) in COGNITION:
                return False
            if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in cur.children):
                return False  # "whether Trump will agree ... depends on"
            cur = head
            continue
        if dep == "advcl":
            mark = clause.subordinator(cur)
            if mark in clause.CONDITION_MARKERS or mark in ("to", "so", "whether"):
                return False
            if mark is None and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
                return False
            cur = head
            continue
        if dep == "relcl":
            return True
        if dep == "acl":
            if head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN") and cur.tag_ in ("VBD", "VBN") and cur.i > head.i:
                return True  # the parser missed the main verb: "A newspaper called on Arabs ..." read as a noun phrase
            return head.lower_ in MESSAGE_NOUNS or lemma(head) in MESSAGE_NOUNS
        if dep in ("dobj", "nsubj", "nsubjpass", "attr", "pobj") and tok.pos_ in ("NOUN", "PROPN"):
            cur = head
            continue
        return False  # a gerund subject ("banning rallies has closed ..."), a modifier, a prepositional clause
    return False


def _crosses_clause(x: Token, top: Token, keep: tuple[str, ...] = ()) -> bool:
    """Does the path from `x` up to `top` enter a clause (relative, adverbial, complement …) not in `keep`?"""
    cur = x
    while cur.i != top.i and cur.head.i != cur.i:
        if cur.dep_ in ("relcl", "advcl", "ccomp", "acl", "parataxis") and cur.dep_ not in keep and cur.i != top.i:
            return True
        cur = cur.head
    return False


def _clause_parent(verb: Token, by_head: dict[int, Draft]) -> Draft | None:
    """The draft whose predicate governs `verb` as a conjunct, participle or complement."""
    cur = verb
    for _ in range(3):
        if cur.dep_ not in ("conj", "advcl", "xcomp", "pcomp", "prep", "pobj") or cur.head.i == cur.i:
            return None
        if cur.dep_ == "advcl" and clause.subordinator(cur) not in (None, "by", "while"):
            return None
        cur = cur.head
        if cur.i in by_head:
            return by_head[cur.i]
    return None


def _conditioned(verb: Token) -> bool:
    """An "unless"/"if" clause hangs on `verb`: a conditional commitment (a threat when it is force)."""
    return any(c.dep_ == "advcl" and clause.subordinator(c) in ("unless", "if") for c in verb.children)


def _in_condition(verb: Token) -> bool:
    cur = verb
    for _ in range(6):
        if cur.dep_ == "advcl" and clause.subordinator(cur) in ("if", "unless", "whether"):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _under_report(verb: Token) -> bool:
    cur = verb
    for _ in range(4):
        if cur.dep_ == "ccomp" and lemma(cur.head) in ("say", "tell", "announce", "state", "declare", "add", "claim"):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _joint(actor: Token | None, noun: Token) -> bool:
    """Joint exercises (COOPERATE) vs one side's (MOBILIZE): a compound actor, "joint" or "with X"."""
    if any(lemma(c) in ("joint", "combined", "multinational", "bilateral") for c in noun.children):
        return True
    if prep_objects(noun, "with"):
        return True
    if actor is not None:
        if any(c.dep_ == "conj" for c in actor.children):
            return True
        if any(c.dep_ == "amod" and any(g.dep_ == "conj" for g in c.children) for c in actor.children):
            return True
    return False


def _is_state(tok: Token | None, coder: _DocCoder) -> bool:
    from sitroom.nlp.event_lexicon import is_state_actor

    return is_state_actor(tok, coder.sector_of)


def _is_place(tok: Token, coder: _DocCoder) -> bool:
    return tok.ent_type_ in PLACE_LABELS or coder.actor_type(tok) in PLACE_LABELS


def _place_in(tok: Token, coder: _DocCoder) -> Token | None:
    """A place named by `tok` or inside it ("the border of Ukraine", "Ukraine's border")."""
    if _is_place(tok, coder):
        return tok
    if lemma(tok) in BORDER_WORDS or tok.pos_ in ("NOUN",):
        for c in tok.children:
            if c.dep_ == "poss" and _is_place(c, coder):
                return c
            if c.dep_ == "prep" and c.lower_ in ("of", "with", "in", "near"):
                for g in c.children:
                    if g.dep_ == "pobj" and _is_place(g, coder):
                        return g
        for c in tok.children:
            if c.dep_ == "compound" and _is_place(c, coder):
                return c
    return None


def _same_actor(doc: Doc, a: Token, b: Token) -> bool:
    ea = actor_at(doc, a.idx, a.idx + len(a.text))
    eb = actor_at(doc, b.idx, b.idx + len(b.text))
    if ea is not None and eb is not None:
        return ea.id == eb.id
    return a.lower_ == b.lower_


def _paragraph_of(doc: Doc, char: int) -> int:
    article = doc._.article
    if article is None or not article.body:
        return 0
    for i, p in enumerate(article.body):
        if p.start <= char < p.end:
            return i
    return -1


def _request_mode(ctype: str | None) -> str | None:
    """REQUEST/REJECT modes (PLOVER table "REQUEST modes") from the content's type."""
    if ctype is None:
        return None
    if ctype in ("AID", "COOPERATE", "SUPPORT"):
        return "assist"
    if ctype in ("CONSULT", "AGREE"):
        return "meet"
    if ctype in ("RETREAT", "CONCEDE"):
        return "yield"
    return "change"


def _threat_mode(ctype: str | None, cmode: str | None) -> str | None:
    """THREATEN modes: the content of the threat (PLOVER table "THREATEN modes")."""
    if ctype in ("ASSAULT", "MOBILIZE"):
        return "violence"
    if ctype == "COERCE":
        if cmode == "arrest":
            return "arrest"
        if cmode == "seize":
            return "territory"
        return "restrict"
    if ctype == "SANCTION":
        return "expel" if cmode == "expel" else "relations"
    if ctype in ("PROTEST",):
        return "restrict"
    if ctype in ("REJECT",):
        return "relations"
    return None


__all__ = ["EventCoder", "Quantity"]
