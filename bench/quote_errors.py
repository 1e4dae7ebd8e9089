"""Quote attribution errors over a gold folder, grouped by cause.

    python bench/quote_errors.py GOLD_DIR [--pred DIR] [--save DIR] [--kind direct|indirect]
                                 [--show 8] [--cause SUBSTRING] [--json OUT.json]

Without ``--pred`` the articles are analysed here (the stages the scorer ignores are skipped, as
in ``sitroom eval``) and the analyses can be kept with ``--save``; with ``--pred`` the JSON files
``sitroom eval --out DIR`` wrote are read instead. The matching is the scorer's own
(``../shared/eval/score.py``: a prediction is right when half its characters lie in gold spans of
its kind; a gold quote is found when predictions of its kind cover half of it; the speaker is
checked on the best match), so the error counts add up to the figures ``sitroom eval`` prints.

Every error gets a cause from a fixed decision list (the first that applies):

false positives (a prediction of kind K that is wrong)
  * ``kind: gold <other kind> (<marks>)`` — the span is a gold attribution of the other kind; the
    marks say which quote glyphs the gold content carries ('' typewriter, ‘’ single, “” double,
    none), since the gold's direct/indirect split follows the glyphs;
  * ``speaker: …`` — the span is right, the speaker is not (none, a pronoun, a mention elsewhere);
  * ``no gold: headline`` / ``short fragment`` / ``orphan`` / ``partial overlap`` / ``other`` —
    nothing in the gold (the last with the parse cue lemma, to see which cues over-fire).

false negatives (a gold quote of kind K not found, or found with the wrong speaker)
  * ``kind: predicted <other kind>`` — found, but under the other kind;
  * ``span: partly covered`` — predictions cover some but under half of it;
  * ``speaker: …`` — found, wrong speaker;
  * ``missed: …`` — nothing predicted there; the sub-cause reads the gold cue (its lemma class in
    the sitroom lexicon, "according to", a noun, none) and where the source stands.

Run it on the training split to study errors, and only check the figures on dev, so that rules
are not fitted to the dev articles.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
PRONOUNS = frozenset("i me we us you he him she her they them it who".split())
#: past forms the suffix rules below do not undo
_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "thought": "think", "wrote": "write", "saw": "see",
              "felt": "feel", "knew": "know", "spoke": "speak", "found": "find", "shown": "show", "put": "put",
              "held": "hold", "made": "make", "gave": "give", "took": "take", "began": "begin", "sought": "seek"}
_UNSCORED = ("sitroom_times", "sitroom_quantities", "sitroom_events", "sitroom_claims")


def _load_scorer(path: Path):
    if not path.exists():
        raise SystemExit(f"no scorer at {path}")
    spec = importlib.util.spec_from_file_location("gold_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _analyse(gold_dir: Path, save: Path | None) -> dict[str, dict]:
    from sitroom.analysis import Analyzer
    from sitroom.ingest import read_path
    from sitroom.present.render import render

    analyzer = Analyzer()
    disable = [p for p in _UNSCORED if p in analyzer.nlp.pipe_names]
    out = {}
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
    with analyzer.nlp.select_pipes(disable=disable):
        for txt in sorted(gold_dir.glob("*.txt")):
            js = render(analyzer.analyze_raw(read_path(txt)), "json")
            if save is not None:
                (save / (txt.stem + ".json")).write_text(js, encoding="utf-8")
            out[txt.stem] = json.loads(js)
    return out


def _marks(text: str, frags: list[tuple[int, int]]) -> str:
    lo, hi = frags[0][0], frags[-1][1]
    ctx = text[max(0, lo - 2):hi + 2]
    if re.search(r"[“”\"]", ctx):
        return "“”"
    if "''" in ctx or "``" in ctx:
        return "''"
    if re.search(r"(^|\s)‘|’(\s|$|[.,;:])", ctx):
        return "‘’"
    return "no marks"


def _cue_class(cue: str | None) -> str:
    from sitroom.nlp.lexicon import cue_lexicon, is_cue_noun, verb_class

    if not cue:
        return "no cue"
    low = cue.lower().strip()
    if low.startswith("according"):
        return "according to"
    words = [_IRREGULAR.get(w, w) for w in re.findall(r"[a-z’']+", low)]
    if not words:
        return "no cue"
    head = words[-1]
    for w in [head, *words]:
        for form in (w, w.rstrip("s"), re.sub(r"(ed|d|ing)$", "", w), re.sub(r"ied$", "y", w),
                     re.sub(r"ing$", "e", w), re.sub(r"ed$", "e", w)):
            if verb_class(form):
                return "verb " + verb_class(form)
            if is_cue_noun(form):
                return "noun"
    if (head, "medium") in cue_lexicon():
        return "medium"
    return "unlisted cue"


def _speaker_cause(pred_sp: dict | None, gold_q: dict) -> str:
    if not pred_sp or not pred_sp.get("name"):
        return "speaker: none"
    mention = (pred_sp.get("text") or "").lower()
    gs = gold_q.get("speaker_span")
    gold_words = set(re.findall(r"\w+", (gold_q.get("speaker") or "").lower()))
    pred_words = re.findall(r"\w+", pred_sp["name"].lower())
    if pred_words and pred_words[-1] in gold_words:
        return "speaker: same name, mention or full name not accepted"
    if mention in PRONOUNS:
        return "speaker: pronoun resolved to another name"
    if gs and pred_sp.get("start") is not None:
        if abs(int(pred_sp["start"]) - gs[0]) > 300:
            return "speaker: a mention far from the gold source"
        return "speaker: another mention nearby"
    return "speaker: name differs"


def _sentence(text: str, a: int, b: int, width: int = 60) -> str:
    lo = max(0, a - width)
    hi = min(len(text), b + width)
    return " ".join(text[lo:hi].split())


def analyse_article(sc, gold: dict, pred: dict, text: str, kind: str) -> list[dict]:
    """The errors of one article for one kind (each a dict with cause and what to print)."""
    golds = [q for q in gold.get("quotes", []) if q.get("kind", "direct") == kind]
    others = [q for q in gold.get("quotes", []) if q.get("kind", "direct") != kind]
    opt = [tuple(sp) for o in gold.get("optional_quotes", [])
           for sp in o.get("spans", [o["span"]] if "span" in o else [])]
    real_gold = [sc.strip_span(text, *sp) for q in gold.get("quotes", []) for sp in q.get("spans", [q["span"]])]
    preds = [p for p in pred.get("quotes", []) if p.get("kind", "direct") == kind]
    others_p = [p for p in pred.get("quotes", []) if p.get("kind", "direct") != kind]
    alias = {e["name"]: e.get("aliases", []) for e in gold.get("entities", [])}
    pspans = [sc.strip_span(text, int(p["start"]), int(p["end"])) for p in preds]
    ospans = [sc.strip_span(text, int(p["start"]), int(p["end"])) for p in others_p]
    kind_spans = [sc.strip_span(text, *sp) for q in golds for sp in q.get("spans", [q["span"]])]
    body = (pred.get("article") or {}).get("body") or []
    body_start = body[0]["start"] if body else 0

    def frags(q):
        return [sc.strip_span(text, *sp) for sp in q.get("spans", [q["span"]])]

    def cov(q, spans):
        fr = frags(q)
        total = sum(b - a for a, b in fr) or 1
        return sum(sc.covered(f, spans) * (f[1] - f[0]) for f in fr) / total

    errors = []
    for q in golds:
        c = cov(q, pspans)
        best = max(((cov(q, [ps]), -(ps[1] - ps[0]), i) for i, ps in enumerate(pspans)), default=(0, 0, None))
        fr = frags(q)
        row = {"type": "FN", "text": text[fr[0][0]:fr[-1][1]], "gold_speaker": q.get("speaker"),
               "cue": q.get("cue"), "at": fr[0][0], "context": _sentence(text, fr[0][0], fr[-1][1])}
        if c >= 0.5 and best[2] is not None:
            p = preds[best[2]]
            if sc.speaker_ok(p.get("speaker"), q, alias):
                continue
            row["cause"] = _speaker_cause(p.get("speaker"), q)
            row["pred_speaker"] = (p.get("speaker") or {}).get("name")
            row["pred_mention"] = (p.get("speaker") or {}).get("text")
            errors.append(row)
            continue
        # what was predicted there, of either kind
        near = [(cov(q, [ps]), pp) for ps, pp in zip(pspans + ospans, preds + others_p, strict=True)
                if cov(q, [ps]) > 0]
        if near:
            pp = max(near, key=lambda x: x[0])[1]
            row["pred_text"] = f"{pp.get('kind')}: {pp.get('text', '')[:120]}"
            row["pred_speaker"] = (pp.get("speaker") or {}).get("name")
            row["pred_mention"] = (pp.get("speaker") or {}).get("text")
        if cov(q, ospans) >= 0.5:
            row["cause"] = f"kind: predicted {'indirect' if kind == 'direct' else 'direct'} ({_marks(text, fr)})"
        elif near:
            row["cause"] = "span: partly covered"
        else:
            gs = q.get("speaker_span")
            where = "source after content" if gs and gs[0] >= fr[-1][1] else (
                "source before content" if gs else "no source span")
            head = "missed (headline)" if fr[0][0] < body_start else "missed"
            row["cause"] = f"{head}: {_cue_class(q.get('cue'))}, {where}"
        errors.append(row)
    for p, ps in zip(preds, pspans, strict=True):
        if opt and sc.covered(ps, opt) >= 0.5 and sc.covered(ps, real_gold) < 0.5:
            continue
        sp = p.get("speaker") or {}
        row = {"type": "FP", "text": text[ps[0]:ps[1]], "pred_speaker": sp.get("name"), "pred_mention": sp.get("text"),
               "cue": (p.get("cue") or {}).get("text"), "at": ps[0], "context": _sentence(text, ps[0], ps[1])}
        if sc.covered(ps, kind_spans) >= 0.5:
            best = max(golds, key=lambda q, ps=ps: (sc.covered(ps, frags(q)), -sum(b - a for a, b in frags(q))))
            if sc.speaker_ok(p.get("speaker"), best, alias):
                continue
            row["cause"] = _speaker_cause(p.get("speaker"), best)
            row["gold_speaker"] = best.get("speaker")
        else:
            other = [q for q in others if sc.covered(ps, frags(q)) >= 0.5]
            if other:
                row["cause"] = f"kind: gold {other[0].get('kind', 'direct')} ({_marks(text, frags(other[0]))})"
                row["gold_speaker"] = other[0].get("speaker")
            elif ps[0] < body_start:
                row["cause"] = "no gold: headline"
            elif len(text[ps[0]:ps[1]].split()) <= 3:
                row["cause"] = "no gold: short fragment (<= 3 words)"
            elif not sp:
                row["cause"] = "no gold: orphan (no speaker)"
            elif sc.covered(ps, real_gold) > 0:
                row["cause"] = "no gold: partial overlap with a gold span"
            else:
                row["cause"] = f"no gold: other ({_cue_class(row['cue'])})"
        errors.append(row)
    return errors


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--pred", type=Path, help="analyses written by `sitroom eval --out`")
    ap.add_argument("--save", type=Path, help="keep the analyses made here")
    ap.add_argument("--kind", choices=("direct", "indirect"), action="append")
    ap.add_argument("--show", type=int, default=5, help="examples printed per cause")
    ap.add_argument("--cause", help="print only causes containing this text (all their examples with --show)")
    ap.add_argument("--json", type=Path, help="write every error to this file")
    ap.add_argument("--scorer", type=Path, default=SCORER)
    args = ap.parse_args(argv)
    sc = _load_scorer(args.scorer)
    golds = {g.stem: g for g in sorted(args.gold.glob("*.json"))}
    if args.pred:
        preds = {k: json.loads((args.pred / f"{k}.json").read_text(encoding="utf-8"))
                 for k in golds if (args.pred / f"{k}.json").exists()}
    else:
        preds = _analyse(args.gold, args.save)
    kinds = args.kind or ["direct", "indirect"]
    everything = []
    for kind in kinds:
        groups: dict[str, list[dict]] = defaultdict(list)
        for name, gpath in golds.items():
            if name not in preds:
                continue
            gold = json.loads(gpath.read_text(encoding="utf-8"))
            text = gpath.with_name(gold.get("file", name + ".txt")).read_text(encoding="utf-8")
            for e in analyse_article(sc, gold, preds[name], text, kind):
                e["article"], e["kind"] = name, kind
                groups[f"{e['type']} {e['cause']}"].append(e)
                everything.append(e)
        counts = Counter({k: len(v) for k, v in groups.items()})
        print(f"\n===== {kind}: {sum(1 for k in counts.elements() if k.startswith('FP'))} FP, "
              f"{sum(1 for k in counts.elements() if k.startswith('FN'))} FN =====")
        for cause, n in sorted(counts.items(), key=lambda kv: (kv[0][:2], -kv[1])):
            print(f"{n:5d}  {cause}")
        for cause, n in sorted(counts.items(), key=lambda kv: (kv[0][:2], -kv[1])):
            if args.cause and args.cause not in cause:
                continue
            print(f"\n--- {cause} ({n})")
            for e in groups[cause][: args.show]:
                who = f"gold={e.get('gold_speaker')!r} pred={e.get('pred_speaker')!r}/{e.get('pred_mention')!r}"
                print(f"  [{e['article'][:40]}@{e['at']}] cue={e.get('cue')!r} {who}")
                print(f"      {e['context'][:300]}")
                if e.get("pred_text"):
                    print(f"      predicted {e['pred_text']}")
                elif e["type"] == "FP":
                    print(f"      predicted: {e['text'][:120]}")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
