"""Labels as staff read them: sentence case, with the sector's abbreviations in capitals.

Django's own names for a model or a field ("ehc plan", "first issued on") and choice labels lowered to sit
mid-sentence ("the la will...") lose the capitals of EHC, SEN and LA; these helpers keep them. Pure: no ORM.
"""

from __future__ import annotations

import re

# Abbreviations written in capitals wherever they appear (STATUTORY.md's vocabulary). "send" is left out: as a
# lower-case word it is far more often the verb.
ABBREVIATIONS = {
    word.lower(): word
    for word in ("EHC", "SEN", "SENCO", "DSL", "LA", "LAC", "PEP", "UPN", "EAL", "CTF", "URN", "TA", "SLT", "ELSA")
}
_WORD = re.compile(r"[A-Za-z]+")


def _abbreviations(text: str) -> str:
    return _WORD.sub(lambda m: ABBREVIATIONS.get(m.group(0).lower(), m.group(0)), text)


def sentence_case(text: str) -> str:
    """ "ehc plan" -> "EHC plan"; "first issued on" -> "First issued on"; "review_on" -> "Review on"."""
    text = _abbreviations(str(text).replace("_", " ").strip())
    return text[:1].upper() + text[1:]


def mid_sentence(text: str) -> str:
    """A label to follow a colon or a word: "The LA will carry out an EHC needs assessment" -> "the LA will
    carry out an EHC needs assessment" (only the first letter is lowered, and not an abbreviation's)."""
    text = str(text)
    first = _WORD.match(text)
    if first and first.group(0).lower() in ABBREVIATIONS:
        return text
    return text[:1].lower() + text[1:]
