"""Text analysis shared by every backend: tokenising, Snowball stemming per language, the
parsing of a user's query into safe terms, and the highlighter of the embedded backend.

A query never reaches an engine as syntax: it is cut into word tokens here, so quotes, `*`,
`NEAR(`, `-`, `:` or SQL in a query are just characters that do not form words.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape

from . import arabic

# The network's languages and their Snowball algorithms (the same algorithms as
# Elasticsearch's own stemmers). Arabic uses Elasticsearch's light stemmer instead
# (search.arabic), not Snowball's.
STEMMERS = {"en": "english", "fr": "french", "de": "german", "ar": "arabic"}
LANGUAGES = tuple(STEMMERS)

MAX_QUERY_CHARS = 256
MAX_QUERY_TERMS = 12

# Arabic diacritics (tashkeel), superscript alef and tatweel: not part of a word's identity.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# A token is a run of letters and digits (no underscore).
_TOKEN = re.compile(r"[^\W_]+")

# Words too common to narrow a search; dropped from a query that has other words.
STOPWORDS = frozenset(
    """
    a an and are as at be by for from has have in into is it its of on or that the their this
    to was were will with
    au aux avec ce ces dans de des du elle en et il ils la le les leur lui mais ou par pas pour
    qu que qui sa se ses son sur un une
    auf aus bei das dem den der des die ein eine einer eines im ist mit nicht oder sich und
    von vom zu zum zur
    في من على إلى الى عن مع هذا هذه التي الذي و أو ان أن
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def fold(text: str) -> str:
    """Lower case without diacritics: 'Déchets' -> 'dechets'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _prepare(text: str) -> str:
    return _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text or ""))


def tokens(text: str) -> list[str]:
    """The words of TEXT, lower-cased (diacritics kept for the stemmers)."""
    return [match.group().lower() for match in _TOKEN.finditer(_prepare(text))]


@lru_cache(maxsize=16)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The folded stem of a lower-case WORD in LANGUAGE ('wastes', 'en' -> 'wast')."""
    if language not in STEMMERS:
        return fold(word)
    if language == "ar":
        return fold(arabic.stem(word))
    return fold(_stemmer(language).stemWord(word))


def normalise_languages(languages) -> tuple[str, ...]:
    chosen = tuple(code for code in dict.fromkeys(languages or ()) if code in STEMMERS)
    return chosen or ("en",)


def index_text(text: str, languages) -> str:
    """The text as the engine indexes it: each word replaced by its stems in the document's
    languages (duplicates dropped per word), separated by spaces."""
    languages = normalise_languages(languages)
    out = []
    for word in tokens(text):
        out.extend(_stems(word, languages))
    return " ".join(out)


@lru_cache(maxsize=200_000)
def _stems(word: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    # Words repeat (Zipf): a rebuild looks each one up once per set of languages.
    return tuple(dict.fromkeys(stem(word, language) for language in languages))


@dataclass(frozen=True)
class Term:
    """One word of a query with the forms that match it: its stem in every language.
    `prefix` terms also match words that begin with one of those forms."""

    word: str
    forms: tuple[str, ...]
    prefix: bool = False

    def matches(self, indexed: str) -> bool:
        if self.prefix:
            return any(indexed.startswith(form) for form in self.forms)
        return indexed in self.forms


def parse_query(query: str) -> list[Term]:
    """Cut a user's query into terms; the last one matches as a prefix (search as you
    type). Stopwords go unless the query is nothing but stopwords."""
    words = tokens((query or "")[:MAX_QUERY_CHARS])
    meaningful = [word for word in words if word not in STOPWORDS]
    words = list(dict.fromkeys(meaningful or words))[:MAX_QUERY_TERMS]
    terms = []
    for position, word in enumerate(words):
        forms = dict.fromkeys([fold(word), *(stem(word, language) for language in LANGUAGES)])
        prefix = position == len(words) - 1 and len(word) >= 2
        if prefix:
            # 'collect*' already matches all that 'collecte*' does: one doclist less to
            # merge, and a match is not counted twice in the ranking.
            forms = [f for f in forms if not any(f != o and f.startswith(o) for o in forms)]
        terms.append(Term(word=word, forms=tuple(forms), prefix=prefix))
    return terms


# Highlighting ------------------------------------------------------------------------

SNIPPET_WORDS = 32


@lru_cache(maxsize=100_000)
def _word_forms(word: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The forms a word of a text is indexed under: folded, and stemmed per language."""
    word = _ARABIC_MARKS.sub("", word).lower()
    return tuple(dict.fromkeys([fold(word), *(stem(word, language) for language in languages)]))


def highlight(text: str, terms: list[Term], languages, *, words: int = SNIPPET_WORDS) -> str:
    """An HTML snippet of TEXT: the window of about WORDS words with the most matched words,
    matched words in <mark>, everything else escaped. Empty when nothing in TEXT matches."""
    text = unicodedata.normalize("NFC", text or "")
    if not terms or not text:
        return ""
    languages = normalise_languages(languages)
    spans = list(_TOKEN.finditer(text))
    hits = []
    matched = {}  # a text repeats its words: decide each distinct word once
    for index, match in enumerate(spans):
        word = match.group()
        if word not in matched:
            forms = _word_forms(word, languages)
            matched[word] = any(term.matches(form) for term in terms for form in forms)
        if matched[word]:
            hits.append(index)
    if not hits:
        return ""
    # The window with the most hits (a sliding window over the hit positions).
    best_start, best_count, right = hits[0], 0, 0
    for left, start in enumerate(hits):
        while right < len(hits) and hits[right] < start + words:
            right += 1
        if right - left > best_count:
            best_start, best_count = start, right - left
    first = max(0, best_start - 4)
    last = min(len(spans), first + words) - 1
    begin, end = spans[first].start(), spans[last].end()
    if first == 0:
        begin = 0
    if last == len(spans) - 1:
        end = len(text)
    marked = set(hits)
    parts = ["…" if begin > 0 else ""]
    cursor = begin
    for index in range(first, last + 1):
        if index in marked:
            span = spans[index]
            parts.append(escape(text[cursor : span.start()]))
            parts.append(f"<mark>{escape(span.group())}</mark>")
            cursor = span.end()
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts).strip()


def excerpt(text: str, *, words: int = SNIPPET_WORDS) -> str:
    """The escaped beginning of TEXT, for a result matched on its title only."""
    text = unicodedata.normalize("NFC", text or "").strip()
    spans = list(_TOKEN.finditer(text))
    if len(spans) <= words:
        return str(escape(text))
    return f"{escape(text[: spans[words - 1].end()])}…"
