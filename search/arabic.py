"""Arabic normalisation and light stemming, as Elasticsearch's `arabic` analyzer does them
(Lucene's ArabicNormalizer and ArabicStemmer, the "light10" stemmer of Larkey, Ballesteros
and Connell), so that both backends find the same words.

Snowball's Arabic stemmer treats the article and plural endings differently: `نفايات` and
`النفايات` (waste) got different stems, so an indefinite plural never found the definite one.
"""

import re

# Hamza forms of alef -> bare alef; alef maksura -> yeh; teh marbuta -> heh.
_NORMALISE = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
                            "\u0649": "\u064a", "\u0629": "\u0647"})  # fmt: skip
# Tatweel and the harakat (fathatan to sukun).
_MARKS = re.compile("[\u0640\u064b-\u0652]")

# In Lucene's order: only the first prefix that fits is removed; each suffix in turn.
PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


def normalise(word: str) -> str:
    return _MARKS.sub("", word).translate(_NORMALISE)


def _strip_prefix(word: str) -> str:
    for prefix in PREFIXES:
        if len(prefix) == 1 and len(word) < 4:
            continue  # a lone waw only comes off words of four letters or more
        if len(word) >= len(prefix) + 2 and word.startswith(prefix):
            return word[len(prefix) :]
    return word


def _strip_suffixes(word: str) -> str:
    for suffix in SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def stem(word: str) -> str:
    """The light stem of an Arabic WORD: normalised, one prefix and the suffixes removed."""
    return _strip_suffixes(_strip_prefix(normalise(word)))
