"""A light, offline language check: which language is a page (mostly) written in?

sitroom's extractors are built for English news; a page in another language still gets a body and
a page model, but the analysis carries a warning. Two signals, both offline and cheap:

* the writing system — letters of one script (Hangul, Kana, Han, Cyrillic, Arabic …) dominate
  pages in languages that do not use the Latin alphabet;
* stopword ratio — the share of a text's words found in each language's list of frequent words.
  The lists are jusText's stoplists (BSD licence), shipped with the jusText package that
  trafilatura depends on, so no data is downloaded at run time.

The same stoplist also feeds the plain-text body classifier (`stopwords_for`): running prose has
many function words, navigation menus and headline lists have few.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# jusText stoplist name → ISO 639-1 (or 639-3 where no two-letter code exists).
_ISO = {
    "Afrikaans": "af", "Albanian": "sq", "Arabic": "ar", "Aragonese": "an", "Armenian": "hy",
    "Aromanian": "rup", "Asturian": "ast", "Azerbaijani": "az", "Basque": "eu", "Belarusian": "be",
    "Belarusian_Taraskievica": "be", "Bengali": "bn", "Bishnupriya_Manipuri": "bpy", "Bosnian": "bs",
    "Breton": "br", "Bulgarian": "bg", "Catalan": "ca", "Cebuano": "ceb", "Chuvash": "cv", "Croatian": "hr",
    "Czech": "cs", "Danish": "da", "Dutch": "nl", "English": "en", "Esperanto": "eo", "Estonian": "et",
    "Finnish": "fi", "French": "fr", "Galician": "gl", "Georgian": "ka", "German": "de", "Greek": "el",
    "Gujarati": "gu", "Haitian": "ht", "Hebrew": "he", "Hindi": "hi", "Hungarian": "hu", "Icelandic": "is",
    "Ido": "io", "Igbo": "ig", "Indonesian": "id", "Irish": "ga", "Italian": "it", "Javanese": "jv",
    "Kannada": "kn", "Kazakh": "kk", "Korean": "ko", "Kurdish": "ku", "Kyrgyz": "ky", "Latin": "la",
    "Latvian": "lv", "Lithuanian": "lt", "Lombard": "lmo", "Low_Saxon": "nds", "Luxembourgish": "lb",
    "Macedonian": "mk", "Malay": "ms", "Malayalam": "ml", "Maltese": "mt", "Marathi": "mr",
    "Neapolitan": "nap", "Nepali": "ne", "Newar": "new", "Norwegian_Bokmal": "nb", "Norwegian_Nynorsk": "nn",
    "Occitan": "oc", "Persian": "fa", "Piedmontese": "pms", "Polish": "pl", "Portuguese": "pt",
    "Quechua": "qu", "Romanian": "ro", "Russian": "ru", "Samogitian": "sgs", "Serbian": "sr",
    "Serbo_Croatian": "sh", "Sicilian": "scn", "Slovak": "sk", "Slovenian": "sl", "Spanish": "es",
    "Sundanese": "su", "Swahili": "sw", "Swedish": "sv", "Tagalog": "tl", "Tamil": "ta", "Telugu": "te",
    "Turkish": "tr", "Turkmen": "tk", "Ukrainian": "uk", "Urdu": "ur", "Uzbek": "uz", "Vietnamese": "vi",
    "Volapuk": "vo", "Walloon": "wa", "Waray_Waray": "war", "Welsh": "cy", "West_Frisian": "fy",
    "Western_Panjabi": "pnb", "Yoruba": "yo",
}
_NAME = {code: name for name, code in reversed(_ISO.items())}
_NAME["en"] = "English"

# Scripts whose letters alone say (nearly) which language a page is in.
_SCRIPT_LANG = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh", "THAI": "th",
                "HEBREW": "he", "GREEK": "el", "GEORGIAN": "ka", "ARMENIAN": "hy"}
_WORD = re.compile(r"[^\W\d_]+")
ENGLISH_MARGIN = 0.85
ENGLISH_FAST_RATIO = 0.3  # English wins when its stopword ratio is this close to the best one's


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None  # ISO 639 code, None when the text is too short or has no letters
    name: str | None
    confidence: float  # the winning stopword ratio or script share, 0..1
    method: str  # "script", "stopwords" or "none"

    @property
    def is_english(self) -> bool:
        return self.code == "en"


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """word → the stoplists (language names) containing it; built once (~0.1 s)."""
    import justext

    index: dict[str, list[str]] = {}
    for name in justext.get_stoplists():
        if name == "Simple_English":  # a duplicate of English
            continue
        for word in justext.get_stoplist(name):
            index.setdefault(word, []).append(name)
    return {w: tuple(v) for w, v in index.items()}


@lru_cache(maxsize=16)
def stopwords_for(code: str | None) -> frozenset[str]:
    """The stoplist of a language (empty when sitroom has none for it)."""
    name = _NAME.get(code or "")
    if name is None:
        return frozenset()
    import justext

    try:
        return frozenset(justext.get_stoplist(name))
    except ValueError:
        return frozenset()


_SCRIPTS = {
    "LATIN": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
    "CYRILLIC": re.compile(r"[\u0400-\u04ff]"),
    "GREEK": re.compile(r"[\u0370-\u03ff]"),
    "ARABIC": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
    "HEBREW": re.compile(r"[\u0590-\u05ff]"),
    "DEVANAGARI": re.compile(r"[\u0900-\u097f]"),
    "THAI": re.compile(r"[\u0e00-\u0e7f]"),
    "GEORGIAN": re.compile(r"[\u10a0-\u10ff]"),
    "ARMENIAN": re.compile(r"[\u0530-\u058f]"),
    "HANGUL": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "HIRAGANA": re.compile(r"[\u3040-\u309f]"),
    "KATAKANA": re.compile(r"[\u30a0-\u30ff]"),
    "CJK": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
}


def script_profile(text: str, limit: int = 20000) -> Counter[str]:
    """How many letters of each script (LATIN, CYRILLIC, HANGUL, CJK …) the text has."""
    sample = text[:limit]
    return Counter({name: n for name, pat in _SCRIPTS.items() if (n := len(pat.findall(sample)))})


def detect_language(text: str, min_words: int = 8) -> LanguageGuess:
    """Guess the language of `text` from its script and its stopword ratios."""
    scripts = script_profile(text)
    letters = sum(scripts.values())
    if not letters:
        return LanguageGuess(None, None, 0.0, "none")
    top, count = scripts.most_common(1)[0]
    share = count / letters
    if top in _SCRIPT_LANG and share >= 0.3:
        # Japanese mixes Kana with Han: any real share of Kana makes the page Japanese.
        if top == "CJK" and (scripts["HIRAGANA"] + scripts["KATAKANA"]) > 0.1 * letters:
            top = "HIRAGANA"
        code = _SCRIPT_LANG[top]
        return LanguageGuess(code, _NAME.get(code, code), round(share, 3), "script")
    words = [w.lower() for w in _WORD.findall(text[:200000])][:5000]
    if len(words) < min_words:
        return LanguageGuess(None, None, 0.0, "none")
    # Fast path: English prose has a third or more of its words in the English stoplist; no other
    # language comes near, so the full index of 100 stoplists is built only for other pages.
    english = stopwords_for("en")
    en_ratio = sum(1 for w in words if w in english) / len(words)
    if en_ratio >= ENGLISH_FAST_RATIO:
        return LanguageGuess("en", "English", round(en_ratio, 3), "stopwords")
    index = _index()
    hits: Counter[str] = Counter()
    for w in words:
        for name in index.get(w, ()):
            hits[name] += 1
    if not hits:
        return LanguageGuess(None, None, 0.0, "none")
    best, best_hits = hits.most_common(1)[0]
    if hits["English"] >= ENGLISH_MARGIN * best_hits:
        best, best_hits = "English", hits["English"]
    code = _ISO.get(best)
    return LanguageGuess(code, best.replace("_", " "), round(best_hits / len(words), 3), "stopwords")
