"""Who a speaker mention points at: names, surnames, pronouns, relative pronouns, nominals.

An attribution names its source locally — "Lee", "he", "who", "a senior official" — and the
reader resolves it from the article. No coreference model can be downloaded, so this resolves by
the rules reporters write by: a surname refers to the person last introduced with that surname;
"he"/"she" to the person who was last speaking (or, failing that, the last person named as a
subject), agreeing with a "Mr."/"Ms." title where one is given; "who" to the noun it follows.

The actor is looked up in `doc._.actor_index` (the actors component) through
`extensions.actor_at`, so the canonical name and actor id come from there whenever the actors
component knows the mention; otherwise the name is the fullest form of the name in the article,
or the mention's own text.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitroom.model import ActorRef
from sitroom.nlp.attribution import REL_PRONOUNS, doc_text, mention_bounds
from sitroom.nlp.extensions import actor_at

_MALE = frozenset(("he", "him", "his", "himself"))
_FEMALE = frozenset(("she", "her", "hers", "herself"))
_PLURAL = frozenset(("they", "them", "we", "us"))
#: a speaker recorded under one of these is the narrator or the audience, never a third person's antecedent
_SPEAKING_PRONOUNS = frozenset(("i", "me", "my", "we", "us", "our", "you", "your"))
_MALE_TITLES = frozenset(("mr", "mr.", "sen.", "rep."))  # titles only disambiguate Mr./Ms.
_FEMALE_TITLES = frozenset(("ms", "ms.", "mrs", "mrs.", "miss"))
_NAME_TITLES = frozenset(("mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "miss", "sen", "sen.", "rep", "rep.",
                          "gov", "gov.", "gen", "gen.", "president", "secretary", "senator", "minister"))


@dataclass(slots=True)
class _Person:
    start: int  # token range
    end: int
    name: str
    gender: str | None
    subject: bool


def _clean_name(tokens: list[Token]) -> str:
    words = [t.text for t in tokens]
    while words and words[0].lower() in _NAME_TITLES:
        words = words[1:]
    while words and words[-1] in ("’s", "'s", "’", "'"):
        words = words[:-1]
    return " ".join(words) if words else " ".join(t.text for t in tokens)


#: nouns for texts and findings that speak for whoever issued them ("a State Department alert")
DOCUMENT_NOUNS = frozenset(("alert", "report", "statement", "study", "poll", "survey", "memo", "analysis", "article",
                            "letter", "release", "tweet", "post", "complaint", "filing", "data", "figures",
                            "estimate", "estimates", "review", "investigation", "assessment", "document", "documents",
                            "records", "audit", "spokesman", "spokeswoman", "spokesperson", "website", "account"))


def _document_owner(tok: Token) -> Token:
    """For "a U.S. State Department alert", "Reuters' report": the issuer named inside the phrase."""
    if tok.ent_type_ or tok.lemma_.lower() not in DOCUMENT_NOUNS:
        return tok
    for child in tok.lefts:
        if child.dep_ in ("compound", "poss", "nmod") and child.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
            return child
    for prep in tok.rights:  # "a statement from the Foreign Ministry", "a report by Amnesty"
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
            owner = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if owner is not None and owner.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
                return owner
    return tok


class SpeakerResolver:
    """Resolve speaker mentions of one `Doc` (build once per document)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.people: list[_Person] = []
        self._full: dict[str, str] = {}  # surname -> fullest name seen
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            toks = list(ent)
            title = doc[ent.start - 1].lower_ if ent.start > 0 else ""
            first = toks[0].lower_
            gender = ("m" if title in _MALE_TITLES or first in _MALE_TITLES else
                      "f" if title in _FEMALE_TITLES or first in _FEMALE_TITLES else None)
            name = _clean_name(toks)
            words = name.split()
            self.people.append(_Person(ent.start, ent.end, name, gender,
                                       ent.root.dep_ in ("nsubj", "nsubjpass")))
            if len(words) >= 2:
                key = words[-1].lower()
                if len(name) > len(self._full.get(key, "")):
                    self._full[key] = name
        # names the entity recogniser missed: a proper-noun subject with a proper-noun first name
        known = {t for p in self.people for t in range(p.start, p.end)}
        for tok in doc:
            if tok.dep_ == "nsubj" and tok.pos_ == "PROPN" and tok.i not in known and not tok.ent_type_:
                first = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == tok.i - 1]
                if first and first[0].text[:1].isupper() and tok.text[:1].isupper():
                    self.people.append(_Person(first[0].i, tok.i + 1, f"{first[0].text} {tok.text}", None, True))
                    self._full.setdefault(tok.lower_, f"{first[0].text} {tok.text}")
        self.people.sort(key=lambda p: p.start)
        self._starts = [p.start for p in self.people]
        #: (token position, name, gender) of speakers attributed so far, in text order
        self.speakers: list[tuple[int, str, str | None, str | None]] = []

    # -- names ---------------------------------------------------------------------------
    def full_name(self, name: str) -> str:
        """The fullest form of a one-word (sur)name in the article: "Lee" -> "Rob Lee"."""
        words = name.split()
        if len(words) == 1:
            return self._full.get(words[0].lower(), name)
        return name

    def _gender_of(self, name: str) -> str | None:
        for p in self.people:
            if p.gender and (p.name == name or p.name.split()[-1] == name.split()[-1]):
                return p.gender
        return None

    # -- pronouns ------------------------------------------------------------------------
    def _antecedent(self, tok: Token) -> tuple[str, str | None] | None:
        """(name, actor id) for "he"/"she"/"they" at `tok`."""
        low = tok.lower_
        want = "m" if low in _MALE else "f" if low in _FEMALE else None
        if low in _PLURAL:
            for pos, name, _, actor_type in reversed(self.speakers):
                if pos < tok.i and tok.i - pos < 400 and actor_type not in (None, "PERSON"):
                    return name, None
            return None
        if want is None:
            return None
        # the person last quoted, when recent and compatible
        for pos, name, gender, actor_type in reversed(self.speakers):
            if pos >= tok.i:
                continue
            if tok.i - pos > 600:
                break
            if name.lower() in _SPEAKING_PRONOUNS:
                continue  # "“Okay,” I said. … he replied": the narrator is never "he"
            if actor_type in (None, "PERSON") and gender in (None, want) and len(name.split()) <= 4:
                if actor_type == "PERSON" or name[:1].isupper():
                    return name, None
            break
        # else the last person named, preferring subjects, within the last stretch of text
        k = bisect_left(self._starts, tok.i)
        best = None
        for p in reversed(self.people[:k]):
            if tok.i - p.end > 400:
                break
            if p.gender not in (None, want):
                continue
            if p.subject:
                return self.full_name(p.name), None
            best = best or p
        if best is not None:
            return self.full_name(best.name), None
        return None

    # -- the ActorRef --------------------------------------------------------------------
    def resolve(self, head: Token, antecedent: Token | None = None) -> ActorRef:
        """The `ActorRef` for the mention headed by `head` (a relative pronoun: `antecedent`)."""
        doc = self.doc
        i, j = mention_bounds(head)
        start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
        text = doc_text(doc)[start:end]
        target = head
        if head.lower_ in REL_PRONOUNS and antecedent is not None:
            target = antecedent
        if target.pos_ == "PRON" and target.lower_ not in REL_PRONOUNS:
            found = self._antecedent(target)
            if found:
                name, actor_id = found
                actor = self._actor_named(name)
                return ActorRef(name=actor.name if actor else name, actor_id=actor.id if actor else None,
                                start=start, end=end, text=text, role=self._role(actor))
            return ActorRef(name=text, start=start, end=end, text=text)
        target = _document_owner(target)
        ti, tj = mention_bounds(target) if target is not head else (i, j)
        # look the actor up by the head (a nominal "the CSTO's secretary general" is not the CSTO)
        hs, he = (doc[ti].idx, doc[tj - 1].idx + len(doc[tj - 1].text)) if target.ent_type_ else (
            target.idx, target.idx + len(target.text))
        actor = actor_at(doc, hs, he)
        if actor is not None:
            name = actor.name
            if actor.type == "PERSON":
                name = self.full_name(name)
            return ActorRef(name=name, actor_id=actor.id, start=start, end=end, text=text, role=self._role(actor))
        if target.ent_type_ == "PERSON" or (target.pos_ == "PROPN" and not target.ent_type_ and tj - ti == 1):
            name = self.full_name(_clean_name(list(doc[ti:tj])))
        elif target.ent_type_:
            name = doc_text(doc)[hs:he]
        else:
            name = doc_text(doc)[doc[ti].idx:doc[tj - 1].idx + len(doc[tj - 1].text)]
        return ActorRef(name=name, start=start, end=end, text=text)

    def _actor_named(self, name: str):
        for a in self.doc._.actors or []:
            if a.name == name or name in a.aliases:
                return a
        return None

    @staticmethod
    def _role(actor) -> str | None:
        return actor.roles[0].text if actor is not None and actor.roles else None

    def note_speaker(self, head: Token, ref: ActorRef) -> None:
        """Remember an attributed speaker, for the pronouns that follow."""
        actor_type = None
        if ref.actor_id:
            actor = next((a for a in self.doc._.actors or [] if a.id == ref.actor_id), None)
            actor_type = actor.type if actor else None
        elif head.ent_type_:
            actor_type = head.ent_type_
        elif head.pos_ == "PRON" and head.lower_ in _MALE | _FEMALE:
            actor_type = "PERSON"
        gender = ("m" if head.lower_ in _MALE else "f" if head.lower_ in _FEMALE else self._gender_of(ref.name))
        self.speakers.append((head.i, ref.name, gender, actor_type))
