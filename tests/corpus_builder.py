"""Hand-annotated invented articles for the brief and web app tests.

The tests of the presentation layer must not depend on how good extraction is today, so they
build `Analysis` objects by hand: the text is invented, and every fact is placed by finding its
words in the text (offsets are computed, never typed), so `text[start:end]` always holds.
"""

from __future__ import annotations

import datetime as dt

from sitroom.model import (
    ActorRef,
    Analysis,
    Article,
    Claim,
    Entity,
    Event,
    Furniture,
    Geo,
    Likelihood,
    Mention,
    Paragraph,
    Place,
    Provenance,
    Quantity,
    Quote,
    Role,
    Source,
    TextSpan,
    TimeExpr,
)


class ArticleBuilder:
    """Write an article's text, then annotate it by quoting its words."""

    def __init__(self, headline: str, paragraphs: list[str], *, outlet: str, published: dt.date,
                 furniture: list[tuple[str, str]] = (), url: str | None = None) -> None:
        parts = [headline]
        parts.extend(line for _kind, line in furniture)
        parts.extend(paragraphs)
        self.text = "\n\n".join(parts) + "\n"
        hs = self.text.index(headline)
        body = []
        cursor = 0
        for p in paragraphs:
            s = self.text.index(p, cursor)
            body.append(Paragraph(start=s, end=s + len(p), text=p))
            cursor = s + len(p)
        furn = []
        for kind, line in furniture:
            s = self.text.index(line)
            furn.append(Furniture(start=s, end=s + len(line), text=line, kind=kind))
        self.article = Article(headline=TextSpan(start=hs, end=hs + len(headline), text=headline), outlet=outlet,
                               published=published, published_source="metadata", body=body, furniture=furn, url=url)
        self.entities: dict[str, Entity] = {}
        self.quotes: list[Quote] = []
        self.events: list[Event] = []
        self.times: list[TimeExpr] = []
        self.quantities: list[Quantity] = []
        self.claims: list[Claim] = []

    # ---------------------------------------------------------------- spans
    def span(self, needle: str, nth: int = 0, after: int | None = None) -> tuple[int, int]:
        """Offsets of the nth `needle` at or after `after` (default: the start of the body)."""
        if after is None:
            after = self.article.body[0].start if self.article.body else 0
        pos = after - 1
        for _ in range(nth + 1):
            pos = self.text.index(needle, pos + 1)
        return pos, pos + len(needle)

    def ts(self, needle: str, nth: int = 0, after: int | None = None) -> TextSpan:
        s, e = self.span(needle, nth, after)
        return TextSpan(start=s, end=e, text=self.text[s:e])

    # ---------------------------------------------------------------- facts
    def actor(self, aid: str, name: str, type: str, mentions: list[str], roles: list[str] = (),
              salience: float = 0.5, geo: tuple[float, float] | None = None, country: str | None = None) -> Entity:
        ms = []
        for needle in mentions:
            nth = 0
            while True:
                try:
                    s, e = self.span(needle, nth, after=0)
                except ValueError:
                    break
                if not any(m.start == s for m in ms):
                    in_body = any(p.start <= s < p.end for p in self.article.body)
                    ms.append(Mention(start=s, end=e, text=needle, kind="name" if needle == name else "alias",
                                      in_body=in_body))
                nth += 1
        rs = [Role(start=(x := self.span(r))[0], end=x[1], text=r) for r in roles]
        ent = Entity(id=aid, name=name, type=type, mentions=sorted(ms, key=lambda m: m.start), roles=rs,
                     salience=salience, aliases=sorted({m.text for m in ms} - {name}), country=country,
                     geo=Geo(latitude=geo[0], longitude=geo[1], country_code=country, feature="city") if geo else None)
        self.entities[aid] = ent
        return ent

    def ref(self, aid: str, needle: str | None = None, nth: int = 0) -> ActorRef:
        ent = self.entities[aid]
        if needle is None:
            return ActorRef(name=ent.name, actor_id=aid, role=ent.roles[0].text if ent.roles else None)
        s, e = self.span(needle, nth)
        return ActorRef(name=ent.name, actor_id=aid, start=s, end=e, text=needle,
                        role=ent.roles[0].text if ent.roles else None)

    def quote(self, content: str, speaker: str | None, cue: str | None = None, kind: str = "direct",
              addressee: str | None = None) -> Quote:
        s, e = self.span(content)
        q = Quote(id=f"Q{len(self.quotes) + 1}", start=s, end=e, text=content, kind=kind,
                  speaker=self.ref(speaker) if speaker else None, cue=self.ts(cue) if cue else None,
                  addressee=self.ref(addressee) if addressee else None)
        self.quotes.append(q)
        return q

    def time(self, needle: str, value: str) -> TimeExpr:
        s, e = self.span(needle)
        d = dt.date.fromisoformat(value)
        t = TimeExpr(id=f"T{len(self.times) + 1}", start=s, end=e, text=needle, value=value, earliest=d, latest=d)
        self.times.append(t)
        return t

    def quantity(self, needle: str, value: float, unit: str, approx: bool = False) -> Quantity:
        s, e = self.span(needle)
        n = Quantity(id=f"N{len(self.quantities) + 1}", start=s, end=e, text=needle, value=value, unit=unit,
                     counts=unit, approx=approx)
        self.quantities.append(n)
        return n

    def event(self, sentence: str, trigger: str, type: str, actor: str | None = None, target: str | None = None,
              place: str | None = None, time: TimeExpr | None = None, numbers: list[Quantity] = (),
              status: str = "happened") -> Event:
        ss, se = self.span(sentence)
        tr = self.ts(trigger, after=ss)
        loc = None
        if place:
            ent = self.entities[place]
            loc = Place(name=ent.name, actor_id=place, geo=ent.geo)
        ev = Event(id=f"E{len(self.events) + 1}", type=type, trigger=tr, start=ss, end=se, text=sentence,
                   sentence=TextSpan(start=ss, end=se, text=sentence), actor=self.ref(actor) if actor else None,
                   target=self.ref(target) if target else None, location=loc, time_id=time.id if time else None,
                   when=time.value if time else None, quantity_ids=[n.id for n in numbers], status=status)
        for n in numbers:
            n.event_id = ev.id
        self.events.append(ev)
        return ev

    def claim(self, content: str, holder: str | None, *, forecast: bool = False, phrase: str | None = None,
              band: str | None = None, low: float | None = None, high: float | None = None,
              polarity: str = "positive", horizon: TimeExpr | None = None) -> Claim:
        s, e = self.span(content)
        lk = None
        if phrase:
            ps, pe = self.span(phrase, after=s)
            lk = Likelihood(phrase=phrase, start=ps, end=pe, band=band, low=low, high=high, source="ICD 203")
        c = Claim(id=f"C{len(self.claims) + 1}", start=s, end=e, text=content,
                  holder=self.ref(holder) if holder else None, forecast=forecast, likelihood=lk, polarity=polarity,
                  horizon=horizon)
        self.claims.append(c)
        return c

    def build(self, path: str) -> Analysis:
        return Analysis(text=self.text, source=Source(kind="text", path=path, length=len(self.text)),
                        article=self.article, entities=list(self.entities.values()), quotes=self.quotes,
                        events=self.events, claims=self.claims, quantities=self.quantities, times=self.times,
                        provenance=Provenance(sitroom_version="test", model="hand-annotated"))


XSS_HEADLINE = "<script>alert('headline')</script> Harbour <b>talks</b> resume"
XSS_ACTOR = "<img src=x onerror=alert('actor')>Mayor"


def corpus() -> list[Analysis]:
    """Four invented articles about an invented maritime crisis, one of them full of HTML payloads."""
    out = []

    a = ArticleBuilder(
        "Morland masses troops near Port Valmora as Estavia protests",
        ["Morland deployed around 2,500 troops to the coast near Port Valmora on Monday, the Estavian Foreign "
         "Ministry said.",
         "\u201cWe will not be intimidated in our own waters,\u201d Estavian Foreign Minister Clara Duvall told "
         "reporters in Renhaven.",
         "Tomas Reyes, a maritime security researcher, said a collision is more likely than not over the next few "
         "weeks.",
         "Morland is likely to seize the harbour islands before winter, Reyes said."],
        outlet="The Harbor Ledger", published=dt.date(2024, 11, 12),
        furniture=[("photo_credit", "Photo: Elena Marsh/Harbor Ledger"), ("ad_slot", "ADVERTISEMENT")],
        url="https://ledger.example/morland-troops")
    a.actor("A1", "Morland", "GPE", ["Morland"], salience=0.9, geo=(44.1, 17.2), country="ML")
    a.actor("A2", "Estavia", "GPE", ["Estavian"], salience=0.6, geo=(45.0, 15.0), country="ES")
    a.actor("A3", "Port Valmora", "GPE", ["Port Valmora"], salience=0.4, geo=(43.5, 16.4))
    a.actor("A4", "Clara Duvall", "PERSON", ["Clara Duvall"], roles=["Estavian Foreign Minister"], salience=0.8)
    a.actor("A5", "Tomas Reyes", "PERSON", ["Tomas Reyes", "Reyes"], roles=["a maritime security researcher"],
            salience=0.5)
    a.actor("A6", "Renhaven", "GPE", ["Renhaven"], salience=0.2, geo=(45.3, 15.6))
    monday = a.time("on Monday", "2024-11-11")
    troops = a.quantity("around 2,500 troops", 2500, "troops", approx=True)
    a.event("Morland deployed around 2,500 troops to the coast near Port Valmora on Monday, the Estavian Foreign "
            "Ministry said.", "deployed", "MOBILIZE", actor="A1", target="A2", place="A3", time=monday,
            numbers=[troops])
    a.quote("We will not be intimidated in our own waters,", "A4", cue="told", addressee=None)
    a.quote("a collision is more likely than not over the next few weeks", "A5", cue="said", kind="indirect")
    weeks = a.time("over the next few weeks", "2024-12-01")
    a.claim("a collision is more likely than not over the next few weeks", "A5", forecast=True,
            phrase="more likely than not", band="likely", low=0.55, high=0.8, horizon=weeks)
    a.claim("Morland is likely to seize the harbour islands before winter", "A5", forecast=True, phrase="likely",
            band="likely", low=0.55, high=0.8)
    out.append(a.build("ledger/morland-troops.txt"))

    b = ArticleBuilder(
        "Morland says its 3,000 troops are on exercise",
        ["Morland moved 3,000 troops to the coast near Port Valmora on Sunday, Defence Minister Piet Varga said.",
         "\u201cOur forces are on a routine exercise and nothing more,\u201d Varga said in a statement to the "
         "Estavian government.",
         "Morland is unlikely to seize the harbour islands before winter, Varga said."],
        outlet="Northern Courier", published=dt.date(2024, 11, 13), url="https://courier.example/exercise")
    b.actor("A1", "Morland", "GPE", ["Morland"], salience=0.9, geo=(44.1, 17.2), country="ML")
    b.actor("A2", "Piet Varga", "PERSON", ["Piet Varga", "Varga"], roles=["Defence Minister"], salience=0.8)
    b.actor("A3", "Port Valmora", "GPE", ["Port Valmora"], salience=0.4, geo=(43.5, 16.4))
    b.actor("A4", "Estavia", "GPE", ["Estavian"], salience=0.5, geo=(45.0, 15.0), country="ES")
    sunday = b.time("on Sunday", "2024-11-10")
    t2 = b.quantity("3,000 troops", 3000, "troops")
    b.event("Morland moved 3,000 troops to the coast near Port Valmora on Sunday, Defence Minister Piet Varga said.",
            "moved", "MOBILIZE", actor="A1", target="A4", place="A3", time=sunday, numbers=[t2])
    b.quote("Our forces are on a routine exercise and nothing more,", "A2", cue="said", addressee="A4")
    b.claim("Morland is unlikely to seize the harbour islands before winter", "A2", forecast=True,
            phrase="unlikely", band="unlikely", low=0.2, high=0.45)
    out.append(b.build("courier/exercise.txt"))

    c = ArticleBuilder(
        "Fishermen protest harbour closure in Port Valmora",
        ["Hundreds of fishermen protested in Port Valmora on Wednesday against the closure of the harbour.",
         "\u201cWe cannot feed our families,\u201d said Ana Brel, who leads the fishermen's union.",
         "The European Union will likely send an envoy to Renhaven in the coming days, diplomats said."],
        outlet="The Harbor Ledger", published=dt.date(2024, 11, 14))
    c.actor("A1", "Port Valmora", "GPE", ["Port Valmora"], salience=0.6, geo=(43.5, 16.4))
    c.actor("A2", "Ana Brel", "PERSON", ["Ana Brel"], roles=["leads the fishermen's union"], salience=0.7)
    c.actor("A3", "European Union", "ALLIANCE", ["European Union"], salience=0.5)
    c.actor("A4", "Renhaven", "GPE", ["Renhaven"], salience=0.3, geo=(45.3, 15.6))
    wed = c.time("on Wednesday", "2024-11-13")
    c.event("Hundreds of fishermen protested in Port Valmora on Wednesday against the closure of the harbour.",
            "protested", "PROTEST", place="A1", time=wed)
    c.quote("We cannot feed our families,", "A2", cue="said")
    days = c.time("in the coming days", "2024-11-21")
    c.claim("The European Union will likely send an envoy to Renhaven in the coming days", None, forecast=True,
            phrase="likely", band="likely", low=0.55, high=0.8, horizon=days)
    c.event("The European Union will likely send an envoy to Renhaven in the coming days, diplomats said.", "send",
            "CONSULT", actor="A3", place="A4", time=days, status="planned")
    out.append(c.build("ledger/fishermen.txt"))

    x = ArticleBuilder(
        XSS_HEADLINE,
        ["The <img src=x onerror=alert('body')> mayor of Port Valmora met envoys on Friday.",
         "\u201c<script>document.body.innerHTML='pwned'</script> We want calm,\u201d said the "
         f"{XSS_ACTOR}, quoted by <a href=\"javascript:alert('link')\">the port office</a>."],
        outlet="Valmora <i>Daily</i>", published=dt.date(2024, 11, 15))
    x.actor("A1", XSS_ACTOR, "PERSON", [XSS_ACTOR], roles=["mayor of Port Valmora"], salience=0.9)
    x.actor("A2", "Port Valmora", "GPE", ["Port Valmora"], salience=0.5, geo=(43.5, 16.4))
    fri = x.time("on Friday", "2024-11-15")
    x.event("The <img src=x onerror=alert('body')> mayor of Port Valmora met envoys on Friday.", "met", "CONSULT",
            actor="A1", place="A2", time=fri)
    x.quote("<script>document.body.innerHTML='pwned'</script> We want calm,", "A1", cue="said")
    out.append(x.build("valmora/xss.txt"))
    return out


def build_store(db_path) -> object:  # noqa: ANN001
    """A store in `db_path` holding `corpus()`; returns the open `Store`."""
    from sitroom.store import Store

    store = Store(str(db_path))
    for analysis in corpus():
        store.add(analysis)
    return store
