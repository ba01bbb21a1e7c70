"""Reading what people type into forms: years, languages, yes or no, timestamps; every value bounded before it is read.

    read_years("4,5")            # Years(4.5, 4.5)
    read_years("2–3 aastat")     # Years(2, 3): a minimum rule takes the lower bound
    read_years("alla aasta")     # Years(0, 1, high_open=True)
    read_languages("vene, Eesti keel")           # ("ru", "et")
    read_yes_no("Jah, kui tööandja maksab")      # True
    read_timestamp("2026/10/28 9:59:49 PM GMT+3", "Europe/Tallinn")   # 2026-10-28 20:59:49+02:00

Nothing here raises on any text: what cannot be read is None, and the caller
quotes the answer to whoever has to clarify it. Form cells are written by
anyone with the link, so every reader caps the length it looks at.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MAX_ANSWER = 2000  # characters of an answer anything looks at; a longer one is cut (and said so where it matters)
MAX_NUMBER = 100  # characters of an answer read as a number: no sensible count of years is longer
_SPACES = re.compile(r"\s+")


def tidy(value: str) -> str:
    """NFC, one space between words, controls and invisible formatting characters gone, at most MAX_ANSWER characters."""
    text = unicodedata.normalize("NFC", str(value)[: MAX_ANSWER * 2])
    if not text.isprintable():  # most answers are: no control, format or line-separator character to look for
        text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return _SPACES.sub(" ", text).strip()[:MAX_ANSWER]


def quote(value: str, limit: int = 100) -> str:
    """An answer as a reason quotes it: „…“, at most `limit` characters."""
    text = tidy(value)
    return f"„{text[:limit]}…“" if len(text) > limit else f"„{text}“"


# ---- years

@dataclass(frozen=True)
class Years:
    low: float
    high: float
    low_open: bool = False  # "üle 10": more than the low bound
    high_open: bool = False  # "alla aasta": less than the high bound

    def at_least(self, minimum: float) -> bool | None:
        """True or False when the answer decides it; None when it says neither (a range across the minimum)."""
        if self.low > minimum or (self.low == minimum and not self.low_open):
            return True
        if self.high < minimum or (self.high == minimum and self.high_open):
            return False
        return None


NUMBER_WORDS = {
    "null": 0, "üks": 1, "üht": 1, "ühe": 1, "kaks": 2, "kahe": 2, "kolm": 3, "kolme": 3, "neli": 4, "nelja": 4, "viis": 5, "viie": 5,
    "kuus": 6, "kuue": 6, "seitse": 7, "seitsme": 7, "kaheksa": 8, "üheksa": 9, "kümme": 10, "kümne": 10,
    "üksteist": 11, "kaksteist": 12, "kolmteist": 13, "neliteist": 14, "viisteist": 15, "kuusteist": 16, "seitseteist": 17,
    "kaheksateist": 18, "üheksateist": 19, "kakskümmend": 20, "kolmkümmend": 30, "nelikümmend": 40,
    "poolteist": 1.5, "pool": 0.5,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "half": 0.5, "a": 1, "an": 1,
}
_NUMBER = r"\d{1,3}(?:[.,]\d{1,2})?"
_WORD = "|".join(sorted((re.escape(word) for word in NUMBER_WORDS), key=len, reverse=True))
_AMOUNT = rf"(?:{_NUMBER}|(?:{_WORD})(?![a-zõäöüšž]))"
_UNIT = r"(?:a\b|a\.|aasta\w*|aastat|years?|yrs?|y\b)"
_MONTHS = r"(?:kuu\w*|months?)"


def _amount(text: str) -> float:
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    return float(text.replace(",", "."))


def read_years(answer: str, *, this_year: int | None = None) -> Years | None:
    """A number of years as a person writes it; None when the answer is not one (the caller quotes it)."""
    text = tidy(answer).casefold()
    if not text or len(text) > MAX_NUMBER:
        return None
    text = text.replace("–", "-").replace("—", "-").replace("~", "")
    text = re.sub(r"\b(umbes|u\.|ca\.?|circa|about|approximately|approx\.?|ligikaudu|peaaegu|natuke|veidi)\s*", "", text).strip()
    # "alla aasta", "vähem kui aasta", "less than a year"
    found = re.fullmatch(rf"(?:alla|vähem kui|less than|under)\s+(?:({_AMOUNT})\s*)?({_UNIT}|{_MONTHS})?", text)
    if found:
        amount = _amount(found.group(1)) if found.group(1) else 1.0
        if found.group(2) and re.fullmatch(_MONTHS, found.group(2)):
            amount /= 12
        return Years(0, amount, high_open=True)
    # "üle 10", "rohkem kui 10", "vähemalt 7", "over 10", "at least 7"
    found = re.fullmatch(rf"(üle|rohkem kui|enam kui|vähemalt|over|more than|at least)\s+({_AMOUNT})\s*{_UNIT}?", text)
    if found:
        exclusive = found.group(1) in ("üle", "rohkem kui", "enam kui", "over", "more than")
        return Years(_amount(found.group(2)), float("inf"), low_open=exclusive)
    # "10+", "5+ aastat"
    found = re.fullmatch(rf"({_NUMBER})\s*\+\s*{_UNIT}?", text)
    if found:
        return Years(_amount(found.group(1)), float("inf"))
    # "2-3 aastat", "2 kuni 3", "2 to 3 years"
    found = re.fullmatch(rf"({_AMOUNT})\s*(?:-|kuni|to)\s*({_AMOUNT})\s*{_UNIT}?", text)
    if found:
        low, high = sorted((_amount(found.group(1)), _amount(found.group(2))))
        return Years(low, high)
    # "6 kuud", "18 months"
    found = re.fullmatch(rf"({_AMOUNT})\s*{_MONTHS}", text)
    if found:
        months = _amount(found.group(1))
        return Years(months / 12, months / 12)
    # "alates 2015", "2015. aastast", "since 2015": years since then
    found = re.fullmatch(r"(?:alates|since|from)\s+((?:19|20)\d\d)\.?.*|((?:19|20)\d\d)\.?\s*(?:aastast|a-st|aastast alates).*", text)
    if found and this_year is not None:
        since = int(found.group(1) or found.group(2))
        return Years(this_year - since, this_year - since) if since <= this_year else None
    # "12", "4,5", "viis aastat", "pool aastat", "aasta", "kaks", "10 a"
    found = re.fullmatch(rf"(?:({_AMOUNT})\s*)?({_UNIT})?\.?", text)
    if found and (found.group(1) or found.group(2)):
        amount = _amount(found.group(1)) if found.group(1) else 1.0  # "aasta": a year
        if amount > 60:
            return None  # not a number of years anyone has worked
        return Years(amount, amount)
    return None


# ---- languages

LANGUAGE_NAMES = {
    "et": ("eesti", "estonian", "est", "et", "эстонский", "eesti keel"),
    "en": ("inglise", "english", "eng", "en", "английский", "англ"),
    "ru": ("vene", "russian", "rus", "ru", "русский", "русск", "vene keel"),
    "fi": ("soome", "finnish", "suomi", "fi", "финский"),
    "uk": ("ukraina", "ukrainian", "українська", "украинский", "uk", "ukr"),
    "de": ("saksa", "german", "deutsch", "de"),
    "lv": ("läti", "latvian", "lv"),
    "lt": ("leedu", "lithuanian", "lt"),
    "sv": ("rootsi", "swedish", "sv"),
    "fr": ("prantsuse", "french", "fr"),
    "es": ("hispaania", "spanish", "es"),
}
_LANGUAGE_WORD = {word: code for code, words in LANGUAGE_NAMES.items() for word in words}


def read_languages(answer: str) -> tuple[str, ...]:
    """The languages named, as codes, in the order written; words it does not know are left out."""
    text = tidy(answer).casefold()[:MAX_NUMBER * 3]
    found: list[str] = []
    for part in re.split(r"[,;/+&]|\s+(?:ja|and|või|or|и)\s+|\s{2,}", text):
        part = re.sub(r"\b(keel|keeles|keelt|language|язык|keel\.)\b", "", part).strip(" .-")
        words = part.split()
        code = _LANGUAGE_WORD.get(part) or next((_LANGUAGE_WORD[w] for w in words if w in _LANGUAGE_WORD), None)
        if code is None and part:
            code = next((c for word, c in _LANGUAGE_WORD.items() if len(word) > 3 and part.startswith(word)), None)
        if code and code not in found:
            found.append(code)
    return tuple(found)


# ---- yes or no

YES_WORDS = ("jah", "yes", "nõustun", "olen nõus", "olen valmis", "valmis", "i agree", "agree", "true", "x", "muidugi", "jaa", "да")
NO_WORDS = ("ei", "no", "false", "ei nõustu", "i do not agree", "pole", "mitte", "нет")


def read_yes_no(answer: str) -> bool | None:
    """Yes or no by how the answer begins ("Jah, kui tööandja maksab" is yes); None when it is neither."""
    text = tidy(answer).casefold()[:200]
    if not text:
        return None
    first = re.split(r"[\s,.;:!()-]+", text, maxsplit=1)[0]
    if text.startswith(tuple(w + " " for w in NO_WORDS if " " in w)) or first in NO_WORDS:
        return False
    if text.startswith(tuple(w for w in YES_WORDS if " " in w)) or first in YES_WORDS:
        return True
    return None


# ---- timestamps

TIMESTAMP_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M:%S", "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %I:%M %p", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M:%S",
)
ZONE_ABBREVIATIONS = {"UTC": 0, "GMT": 0, "Z": 0, "EET": 2, "EEST": 3, "CET": 1, "CEST": 2, "MSK": 3}


def read_timestamp(value: str, zone: str) -> datetime | None:
    """A response time in any of Google's export locales; an explicit offset or zone is honoured. Aware, in `zone`."""
    text = tidy(value)[:60]
    if not text:
        return None
    local = ZoneInfo(zone)
    offset: timedelta | None = None
    found = re.search(r"\s*(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?$", text)
    if found:
        sign = 1 if found.group(1) == "+" else -1
        offset = sign * timedelta(hours=int(found.group(2)), minutes=int(found.group(3) or 0))
        text = text[: found.start()]
    else:
        found = re.search(r"\s*\b([A-Z]{1,4})$", text)
        if found and found.group(1) in ZONE_ABBREVIATIONS and not text.endswith(("AM", "PM")):
            offset = timedelta(hours=ZONE_ABBREVIATIONS[found.group(1)])
            text = text[: found.start()]
    text = text.replace(" p.l.", " PM").replace(" e.l.", " AM").strip()
    if offset is None:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00")) if re.match(r"\d{4}-\d\d-\d\d", text) else None
        except ValueError:
            parsed = None
        if parsed is not None:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=local)).astimezone(local)
    for pattern in TIMESTAMP_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if offset is not None:
            return parsed.replace(tzinfo=timezone(offset)).astimezone(local)
        return parsed.replace(tzinfo=local)
    return None
