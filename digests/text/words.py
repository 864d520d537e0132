"""Words as readers mean them: case- and accent-insensitive, stemmed for a language (pure).

The one place newsbot decides whether two spellings are the same word outside search (whose
database stemmers differ between SQLite and PostgreSQL): keyword filters use it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# ISO 639-1 codes of the languages Snowball stems; any other language is matched unstemmed.
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip


def fold(text: str) -> str:
    """Lower case without accents: "Événement" → "evenement"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=64)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    algorithm = STEMMERS.get(language.split("-")[0].lower())
    return snowballstemmer.stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The word's stem in the language (the folded word itself where none is known)."""
    stemmer = _stemmer(language)
    return fold(str(stemmer.stemWord(word))) if stemmer else fold(word)


def words(text: str) -> list[str]:
    """The words of a text, case and accents kept (stem them with `stem`)."""
    return [match.group().casefold() for match in WORD.finditer(text)]
