"""Train the attribution model (`data/attribution_model.json`) from a gold folder.

Run it as ``sitroom train-attribution ../shared/gold/polnear-train`` (needs scikit-learn: ``pip install
-e ".[train]"``). It parses every ``*.txt`` with the spaCy model, generates the same candidates the
component generates (`attribution.candidates`), labels each one against the gold ``*.json``
(positive: at least half of its content lies inside a gold attribution and its source mention
overlaps that attribution's source) and fits an L2-regularised logistic regression on the
candidates' sparse features. The decision threshold is the one that maximises F1 on a held-out
sixth of the articles; the final model is then refitted on everything. On 2 cores the 840 PolNeAR
training articles take about four minutes, almost all of it spaCy parsing; the model file is a
few hundred kB of JSON (feature -> weight), read at run time without scikit-learn.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc

from sitroom.nlp.attribution import QuoteIndex, candidates, doc_text, mention_bounds
from sitroom.nlp.extensions import register_extensions
from sitroom.nlp.quote_marks import find_quoted

_JUNK = " \t\n\"'“”‘’«»,."


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _JUNK:
        a += 1
    while b > a and text[b - 1] in _JUNK:
        b -= 1
    return a, b


def _inside(spans: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    total = 0
    for a, b in spans:
        for s, e in gold:
            total += max(0, min(b, e) - max(a, s))
    return total


def label_doc(doc: Doc, gold: dict) -> list[tuple[list[str], int]]:
    """(features, label) for every candidate of `doc` (label None-free; optional quotes skipped)."""
    from sitroom.nlp.quotes import _from_candidate, _paragraphs  # the component's own span rules

    register_extensions()
    text = doc_text(doc)
    spans = find_quoted(text, _paragraphs(doc))
    top = [q for q in spans if q.depth == 0]
    units: dict[int, list] = {}
    for q in top:
        units.setdefault(q.unit, []).append(q)
    cands, _ = candidates(doc, list(doc.sents), QuoteIndex([(q.start, q.end) for q in top]))
    golds = []
    for q in gold.get("quotes", []):
        frags = [_strip(text, *sp) for sp in q.get("spans", [q.get("span")]) if sp]
        golds.append((frags, q.get("speaker_span")))
    optional = [_strip(text, *sp) for o in gold.get("optional_quotes", [])
                for sp in o.get("spans", [o["span"]] if "span" in o else [])]
    out = []
    for c in cands:
        attr = _from_candidate(doc, c, top, units)
        if attr is None:
            continue
        frags = [_strip(text, a, b) for a, b in attr.fragments]
        n = sum(b - a for a, b in frags) or 1
        all_gold = [f for g, _ in golds for f in g]
        if optional and _inside(frags, optional) >= 0.5 * n and _inside(frags, all_gold) < 0.5 * n:
            continue
        label = 0
        if _inside(frags, all_gold) >= 0.5 * n:
            best = max(golds, key=lambda g: (_inside(frags, g[0]), -sum(b - a for a, b in g[0])))
            ss = best[1]
            if ss and c.source is not None:
                i, j = mention_bounds(doc[c.source])
                ms, me = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
                label = int(min(ss[1], me) > max(ss[0], ms))
        out.append((c.features, label))
    return out


def fit(rows: list[tuple[list[str], int]], c_reg: float = 0.5):
    """A logistic regression over binary features; returns {feature: weight} (intercept in "bias")."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in feats} for feats, _ in rows])
    y = [lab for _, lab in rows]
    clf = LogisticRegression(C=c_reg, max_iter=2000)
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    weights = {name: float(w) for name, w in zip(names, clf.coef_[0], strict=True) if abs(w) > 1e-4}
    weights["bias"] = weights.get("bias", 0.0) + float(clf.intercept_[0])
    return weights


def _prob(weights: dict[str, float], feats: list[str]) -> float:
    import math

    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def best_threshold(weights: dict[str, float], rows: list[tuple[list[str], int]]) -> float:
    scored = sorted(((_prob(weights, f), lab) for f, lab in rows), reverse=True)
    pos = sum(lab for _, lab in scored) or 1
    best, best_t, tp = 0.0, 0.5, 0
    for k, (p, lab) in enumerate(scored, 1):
        tp += lab
        f1 = 2 * tp / (k + pos)
        if f1 > best:
            best, best_t = f1, p
    return round(best_t, 4)


def train_docs(pairs: Iterable[tuple[Doc, dict]], seed: int = 13) -> dict:
    """Train on (parsed doc, gold) pairs; the model as written to `data/attribution_model.json`."""
    per_doc = [label_doc(doc, gold) for doc, gold in pairs]
    rng = random.Random(seed)
    order = list(range(len(per_doc)))
    rng.shuffle(order)
    held = set(order[: max(1, len(order) // 6)])
    train_rows = [r for i, rows in enumerate(per_doc) if i not in held for r in rows]
    held_rows = [r for i, rows in enumerate(per_doc) if i in held for r in rows]
    cut = best_threshold(fit(train_rows), held_rows) if held_rows else 0.5
    all_rows = [r for rows in per_doc for r in rows]
    weights = fit(all_rows)
    return {"about": "sitroom attribution model: logistic regression over candidate features "
                     "(see sitroom.nlp.attribution); trained by sitroom.nlp.attribution_train",
            "trained_on": len(per_doc), "candidates": len(all_rows),
            "positives": sum(lab for _, lab in all_rows), "threshold": cut,
            "weights": dict(sorted(weights.items()))}


def train_dir(gold_dir: Path, out: Path, model: str | None = None) -> dict:
    """Parse every gold article of `gold_dir` and write the trained model to `out`."""
    import spacy

    from sitroom.nlp.pipeline import DEFAULT_MODEL

    nlp = spacy.load(model or DEFAULT_MODEL)
    txts = sorted(Path(gold_dir).glob("*.txt"))
    golds = [json.loads(t.with_suffix(".json").read_text(encoding="utf-8")) for t in txts]
    texts = (t.read_text(encoding="utf-8") for t in txts)
    docs = nlp.pipe(texts, batch_size=32)
    result = train_docs(zip(docs, golds, strict=True))
    out.write_text(json.dumps(result, indent=0, ensure_ascii=False), encoding="utf-8")
    return result
