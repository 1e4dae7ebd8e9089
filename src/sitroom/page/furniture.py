"""Recognise page furniture — lines that belong to the page, not to the story — by their shape.

Two kinds of evidence, both site-independent:

* **shape**: an image file slug is one token of letters, digits, dashes and underscores; a photo
  credit is a short ``Name/Agency`` or ``Photo: …`` line; a caption ends in such a credit; a
  copyright line carries ``©``; a timestamp line is a date and nothing else.
* **vocabulary**: the generic labels publishing systems print around stories ("Advertisement",
  "Share", "Sign up for …", "Read more"), listed in ``data/page_furniture.tsv``. A label only counts
  on a short line, so a body sentence that mentions a newsletter is never furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sitroom.page.dates import find_date

MAX_LABEL_WORDS = 14  # a label ("Share this article", "Leave a comment") is a short line
MAX_PROMPT_WORDS = 25  # a prompt that starts with a label phrase ("Sign up for …") may run longer

_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|tiff?|bmp|svg)$", re.I)
_SLUG = re.compile(r"^[\w.\-]+$")
_NAME = r"[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|of|the|de|van|von|da|di|la|le|for|and|&))*"
_SLASH_CREDIT = re.compile(rf"^\(?{_NAME}\s?/\s?{_NAME}(?:\s?/\s?{_NAME})?\)?$")
_CREDIT_MARK = re.compile(
    r"^[(\[]?(?:photo(?:graph)?s?|image|picture|pic|foto|фото|credit|illustration|graphic|video|source|"
    r"courtesy|handout)\b\s*(?:credit)?\s*(?:[:…|/-]|\.{2,}|by\b|of\b)", re.I)
_AGENCY = re.compile(
    r"(?:getty\s+images|\bgetty|\bap\s+photo|\bap\b|associated\s+press|reuters|\bafp\b|\bepa\b|shutterstock|"
    r"alamy|istock|\bpool\b|handout|\bfile\b(?:\s+photo)?|via\s+[A-Z]\w+)\)?$", re.I)
# A caption ends in a credit: "(Jane Doe/AP)", "Credit: Jane Doe", "Photo: AP", "… hearing. Jane Doe/Getty"
_PAREN_TAIL = re.compile(r"\(([^()]{2,80})\)\W*$")
_MARK_TAIL = re.compile(r"\b(?:credits?|photo(?:graph)?|image|picture|foto|фото)\s*(?::|\.{2,}|…|by\b)", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b.*\d{4}|\ball rights reserved\b", re.I)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|от|by:)\s*(?:[:\-–—]\s*)?$|^(?:by|by:)\s+[A-Z\u00C0-\u024F]",
                     re.I)
_COUNTER = re.compile(r"^(?:[\d.,]+[km]?|\d+\s*/\s*\d+|\d+\s+of\s+\d+|\d+\s*(?:h|hr|hrs|m|min|mins|d)\s+ago)$",
                      re.I)
_SENTENCE_END = re.compile(r"(?<!\.)[.!?][\"'”’)]*$")
_LABEL_SEP = re.compile(r"^[^:|»›]{1,40}\s*[:|»›]")
_PROMPT_KINDS = {"newsletter", "promo"}
_TRIM = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_NUMBER_TAIL = re.compile(r"\s*\(?[\d.,]+[km]?\)?$", re.I)
_NUMBER_HEAD = re.compile(r"^[\d.,]+[km]?\s+", re.I)


@dataclass(frozen=True)
class FurnitureMatch:
    kind: str
    reason: str
    end: bool = False  # a label that closes the story's text (comments, related stories, copyright)
    comments: bool = False  # the head of a readers' comments section


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, tuple[str, bool, bool]], list[tuple[str, str, bool, bool]],
                           list[tuple[str, str, bool, bool]]]:
    """Exact labels, prefixes and substrings from data/page_furniture.tsv, each with (kind, end, comments)."""
    exact: dict[str, tuple[str, bool, bool]] = {}
    starts: list[tuple[str, str, bool, bool]] = []
    anywhere: list[tuple[str, str, bool, bool]] = []
    path = resources.files("sitroom.data").joinpath("page_furniture.tsv")
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, how, phrase, *flags = raw.split("\t")
        end = bool(flags)
        comments = "comments" in flags
        if how == "line":
            exact.setdefault(phrase, (kind, end, comments))
        elif how == "start":
            starts.append((phrase, kind, end, comments))
        else:
            anywhere.append((phrase, kind, end, comments))
    return exact, starts, anywhere


def _norm(text: str) -> str:
    return " ".join(_TRIM.sub("", text.lower()).split())


def vocabulary_match(text: str) -> FurnitureMatch | None:
    """A boilerplate label from the vocabulary, on a short line."""
    words = text.split()
    if len(words) > MAX_PROMPT_WORDS:
        return None
    low = _norm(text)
    if not low:
        return None
    exact, starts, anywhere = _vocabulary()
    hit = None if len(words) > MAX_LABEL_WORDS else (exact.get(low) or exact.get(_NUMBER_TAIL.sub("", low))
                                                          or exact.get(_NUMBER_HEAD.sub("", low)))
    if hit:
        return FurnitureMatch(hit[0], f"label {low!r}", hit[1], hit[2])
    sentence = bool(_SENTENCE_END.search(text))
    for phrase, kind, end, comments in starts:
        if not low.startswith(phrase):
            continue
        after = low[len(phrase):len(phrase) + 1]
        if after.isalnum() and not phrase.endswith(" "):
            continue  # "related" must not match "relatedly"
        # A label ("Related: …", "More from Local News") is cut off from its text or is not a
        # sentence; a prompt ("Sign up for our newsletter and …") may be one.
        labelled = _LABEL_SEP.match(text.strip()) is not None
        if kind in _PROMPT_KINDS or not sentence or labelled:
            if len(words) <= MAX_LABEL_WORDS or kind in _PROMPT_KINDS:
                return FurnitureMatch(kind, f"starts with {phrase!r}", end, comments)
    for phrase, kind, end, comments in anywhere:
        if len(words) > MAX_LABEL_WORDS and kind not in _PROMPT_KINDS:
            continue
        if phrase in low:
            return FurnitureMatch(kind, f"contains {phrase!r}", end, comments)
    return None


def is_image_slug(text: str) -> bool:
    """``220106-Vavra-Putin-tease_xwcryr``, ``GettyImages-1172839045``, ``protest_march.jpg``."""
    t = text.strip()
    if len(t) < 8 or " " in t or "://" in t or not _SLUG.match(t):
        return False
    if _IMAGE_EXT.search(t):
        return True
    seps = sum(t.count(c) for c in "-_")
    has_alpha = any(c.isalpha() for c in t)
    if not has_alpha:
        return False
    digits = sum(c.isdigit() for c in t)
    # "COVID-19" and "F-35" are words; "GettyImages-1172839045" and "220106-tease_xw" are file names
    return bool((digits and seps >= 2) or (digits >= 5 and seps >= 1) or seps >= 3 or ("_" in t and seps >= 2))


def is_photo_credit(text: str) -> bool:
    """A short credit line: ``Adam Berry/Getty``, ``Photo: Jane Doe, AP``, ``REUTERS/Ann Wang``."""
    t = text.strip()
    words = t.split()
    if not words or len(words) > 12 or (t.endswith(".") and not t.endswith((" Inc.", " Ltd.", " Co."))):
        return False
    if _SLASH_CREDIT.match(t) or _CREDIT_MARK.match(t):
        return True
    caps = sum(1 for w in words if w[0].isupper() or not w[0].isalpha())
    return len(words) <= 8 and caps >= len(words) - 1 and bool(_AGENCY.search(t))


def is_caption(text: str) -> bool:
    """A caption: prose ending in a photo credit."""
    if len(text.split()) < 5:
        return False
    tail = text[-160:]
    m = _PAREN_TAIL.search(tail)
    if m and ("/" in m.group(1) or _CREDIT_MARK.match(m.group(1)) or _AGENCY.search(m.group(1))):
        return True
    marks = list(_MARK_TAIL.finditer(tail))
    if marks and len(tail[marks[-1].end():].split()) <= 10:
        return True
    last = re.split(r"(?<=[.!?”\"])\s+", tail)[-1]
    return last != tail and is_photo_credit(last)


_TIME_BITS = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|[ap]\.?m\b\.?|utc|gmt|[a-z]{1,4}t|et|pt|updated|published|posted|"
    r"last|modified|on|at|am|pm|ago|just|now|today|yesterday|\d+\s*(?:s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|"
    r"hours?|d|days?|w|wks?|weeks?|mo|months?|y|yrs?|years?)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?)?|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|"
    r"mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|[,|/·•\-–—]", re.I)


def is_timestamp(text: str) -> bool:
    """A line that is only a date/time: "Nov. 19, 2019 8:03 am ET", "Updated 7H ago", "Nov 7 23:05"."""
    if len(text.split()) > 10:
        return False
    found = find_date(text)
    rest = text if found is None else text[: found.start] + " " + text[found.end:]
    stripped = _TIME_BITS.sub(" ", rest)
    if found is None and stripped.strip() == text.strip():
        return False
    return len(re.findall(r"\w+", stripped)) == 0 and (found is not None or bool(re.search(r"\d", text)))


def classify(text: str) -> FurnitureMatch | None:
    """What kind of furniture a line is, judged from the line alone (None: no evidence)."""
    t = text.strip()
    if not t:
        return None
    if is_image_slug(t):
        return FurnitureMatch("image_slug", "one token with digits/dashes/underscores, like an image file name")
    if _COPYRIGHT.search(t) and len(t.split()) <= 30:
        return FurnitureMatch("other", "copyright notice", end=True)
    if _COUNTER.match(t):
        return FurnitureMatch("share", "a counter or page number")
    if is_photo_credit(t):
        return FurnitureMatch("photo_credit", "short Name/Agency or 'Photo:' credit")
    match = vocabulary_match(t)
    if match:
        return match
    if _BYLINE.match(t) and len(t.split()) <= 10:
        return FurnitureMatch("byline", "'By' and a name")
    if is_timestamp(t):
        return FurnitureMatch("dateline", "a date or time alone")
    if is_caption(t):
        return FurnitureMatch("caption", "text ending in a photo credit")
    return None
