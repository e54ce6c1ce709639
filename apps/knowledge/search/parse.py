"""Reading a query as people type it: words, "quoted phrases", OR, and -exclusions.

PostgreSQL's `websearch_to_tsquery` reads the query itself for the strict pass; this reading
serves the looser passes (corrections, prefixes, synonyms) and SQLite, and decides when a
query has nothing searchable in it (empty, punctuation, emoji) so no database call is made.
"""

import re
from dataclasses import dataclass, field

# Longer queries are cut: nobody types more, and a 2,000-character paste must stay cheap.
MAX_QUERY_CHARS = 400
MAX_WORDS = 24

_TOKEN = re.compile(r'"[^"]*"?|-?[^\s"]+')
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

# English stop words (PostgreSQL's list, abridged) and the words people wrap a search in:
# "has anyone tested …", "what happened when we …". They never decide a match.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "anyone",
        "anybody",
        "ever",
        "tried",
        "try",
        "tested",
        "test",
        "tests",
        "testing",
        "whether",
        "happened",
        "happen",
        "know",
        "knew",
        "anything",
        "something",
        "thing",
        "things",
        "think",
        "idea",
        "ideas",
    ]
)


@dataclass
class ParsedQuery:
    text: str  # what the strict pass reads (trimmed, length-capped)
    words: list[str] = field(default_factory=list)  # positive words, lower case, in order
    excluded: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    uses_or: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.phrases

    @property
    def advanced(self) -> bool:
        """Quotes, OR or an exclusion: the person said exactly what they want."""
        return bool(self.phrases or self.excluded or self.uses_or)

    @property
    def content_words(self) -> list[str]:
        """The words that carry meaning: no stop words, no one-letter words."""
        return [w for w in self.words if w not in STOP_WORDS and len(w) > 1]


def parse(raw: str | None) -> ParsedQuery:
    text = " ".join((raw or "").split())[:MAX_QUERY_CHARS]
    query = ParsedQuery(text=text)
    for token in _TOKEN.findall(text):
        if token.startswith('"'):
            phrase = " ".join(w.lower() for w in _WORD.findall(token))
            if phrase:
                query.phrases.append(phrase)
                query.words.extend(phrase.split())
        elif token == "OR":
            query.uses_or = True
        elif token.startswith("-") and len(token) > 1:
            query.excluded.extend(w.lower() for w in _WORD.findall(token[1:]))
        else:
            query.words.extend(w.lower() for w in _WORD.findall(token))
    query.words = _unique(query.words)[:MAX_WORDS]
    query.excluded = _unique(query.excluded)[:MAX_WORDS]
    return query


def _unique(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))
