"""Text corpora and word-similarity sets for week 8 (word embeddings), all offline.

The real text and the evaluation sets come with gensim's test data
(``gensim.test.utils.datapath``), installed with the course; gensim is imported only when one of
them is loaded, so ``import dlcourse`` stays fast. Everything is re-exported by
:mod:`dlcourse.datasets`.

Public API
----------
wiki_articles      106 English Wikipedia articles (the 206 pages of gensim's shortened dump
                   minus redirects and stubs under 50 tokens), markup removed, lower-cased:
                   about 453,000 tokens; a vocabulary of about 9,000 at min_count 5
lee_corpus         the Lee background corpus: 300 short news articles, about 60,000 tokens
wordsim353         WordSim-353: 353 word pairs with human similarity ratings 0..10
simlex999          SimLex-999: 999 word pairs rated 0..10 for similarity (not relatedness)
analogy_questions  Google's analogy questions (a : b :: c : d), by section, lower-cased
synthetic_corpus   sentences drawn from word clusters that are known, for fast tests
"""

from __future__ import annotations

import bz2
import gzip
import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from dlcourse._core.checks import check_int, check_real

__all__ = [
    "SYNTHETIC_TOPICS",
    "analogy_questions",
    "lee_corpus",
    "simlex999",
    "synthetic_corpus",
    "wiki_articles",
    "wordsim353",
]

_WIKI_FILE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"

SYNTHETIC_TOPICS: tuple[str, ...] = (
    "animal",
    "fruit",
    "colour",
    "tool",
    "city",
    "sport",
    "metal",
    "music",
)
"""Names of the synthetic corpus's clusters; its words are these names followed by a digit."""

_FILLERS = ("the", "a", "and", "of")


def _test_data(name: str) -> str:
    """The path of one file of gensim's test data, ``gensim.test.utils.datapath(name)``,
    found without importing gensim (which takes seconds)."""
    from importlib.util import find_spec

    spec = find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "gensim is not installed; it is a course dependency: pip install -e . (or gensim>=4.4)"
        )
    return str(Path(spec.submodule_search_locations[0]) / "test" / "test_data" / name)


def _cache_file() -> Path:
    """Where the parsed articles are kept: $DLCOURSE_CACHE, else ~/.cache/dlcourse."""
    from importlib.metadata import version  # not `import gensim`: that takes seconds

    folder = Path(os.environ.get("DLCOURSE_CACHE") or Path.home() / ".cache" / "dlcourse")
    return folder / f"wiki_articles-gensim-{version('gensim')}.txt.gz"


def _parse_wiki() -> list[tuple[str, ...]]:
    from gensim.corpora.wikicorpus import (
        ARTICLE_MIN_WORDS,
        IGNORED_NAMESPACES,
        extract_pages,
        process_article,
    )

    texts = []
    with bz2.open(_test_data(_WIKI_FILE)) as dump:
        for title, text, pageid in extract_pages(dump):
            tokens, title, _ = process_article((text, title, pageid))
            ignored = any(title.startswith(space + ":") for space in IGNORED_NAMESPACES)
            if len(tokens) >= ARTICLE_MIN_WORDS and not ignored:
                texts.append(tuple(tokens))
    return texts


@lru_cache(maxsize=1)
def _wiki_texts() -> tuple[tuple[str, ...], ...]:
    """The parsed articles: from the cache file if there is one, else parsed and cached."""
    cache = _cache_file()
    try:
        with gzip.open(cache, "rt", encoding="utf-8") as f:
            return tuple(tuple(line.split()) for line in f)
    except (OSError, EOFError, UnicodeDecodeError):
        pass
    texts = _parse_wiki()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as f:
            f.writelines(" ".join(t) + "\n" for t in texts)
        partial.replace(cache)  # atomic: a reader never sees half a file
    except OSError:
        pass  # a read-only home: parse again next time
    return tuple(texts)


def wiki_articles() -> list[list[str]]:
    """The Wikipedia articles of gensim's test data, one list of tokens per article.

    gensim's Wikipedia reader (the one ``gensim.corpora.WikiCorpus`` uses, run in this process)
    removes the markup, lower-cases and keeps tokens of 2 to 15 letters; like ``WikiCorpus`` it
    drops redirects, other namespaces and articles under 50 tokens. Parsing the compressed dump
    takes several seconds, so the result is kept in ``$DLCOURSE_CACHE`` (default
    ``~/.cache/dlcourse``), one article per line, and later calls (in any process) read it
    back in a fraction of a second.

    Returns
    -------
    list of list of str
        106 articles, 452,944 tokens in all (9,002 distinct words occur at least 5 times).
        A new list on every call: changing it changes nothing here.
    """
    return [list(text) for text in _wiki_texts()]


def lee_corpus() -> list[list[str]]:
    """The Lee background corpus: 300 Australian news articles, one list of tokens each.

    Tokenized by ``gensim.utils.simple_preprocess``'s rule (lower-cased runs of letters, 2 to
    15 characters long, none starting with "_"), written out here because importing gensim
    takes seconds.

    Returns
    -------
    list of list of str
        300 articles, about 60,000 tokens.
    """
    with open(_test_data("lee_background.cor"), encoding="utf-8") as f:
        return [_simple_tokens(line) for line in f if line.strip()]


_LETTERS = re.compile(r"((?![\d])\w)+", re.UNICODE)


def _simple_tokens(text: str) -> list[str]:
    """gensim.utils.simple_preprocess(text): lower-cased letter runs of 2..15, no leading _."""
    words = (m.group() for m in _LETTERS.finditer(text.lower()))
    return [w for w in words if 2 <= len(w) <= 15 and not w.startswith("_")]


def _rated_pairs(name: str) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The pairs and ratings of a tab-separated ``word1 word2 rating`` file; # lines skipped."""
    pairs, scores = [], []
    with open(_test_data(name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            first, second, score = line.split("\t")[:3]
            pairs.append((first.lower(), second.lower()))
            scores.append(float(score))
    return pairs, np.array(scores, dtype=np.float64)


def wordsim353() -> tuple[list[tuple[str, str]], np.ndarray]:
    """WordSim-353 (Finkelstein et al., 2002): how related people judge two words to be.

    Returns
    -------
    pairs : list of (str, str)
        353 lower-cased word pairs.
    scores : np.ndarray of float64, shape (353,)
        The mean human rating of each pair, 0 (unrelated) .. 10 (identical).
    """
    return _rated_pairs("wordsim353.tsv")


def simlex999() -> tuple[list[tuple[str, str]], np.ndarray]:
    """SimLex-999 (Hill et al., 2015): similarity proper, so "coffee" and "cup" score low.

    Returns
    -------
    pairs : list of (str, str)
        999 lower-cased word pairs.
    scores : np.ndarray of float64, shape (999,)
        The mean human rating of each pair, 0 .. 10.
    """
    return _rated_pairs("simlex999.txt")


def analogy_questions() -> dict[str, list[tuple[str, str, str, str]]]:
    """Google's analogy questions (Mikolov et al., 2013): a is to b as c is to d.

    Returns
    -------
    dict {str: list of (str, str, str, str)}
        The 14 sections in file order ("capital-common-countries", ..., "gram9-plural-verbs"),
        each a list of lower-cased questions (a, b, c, d); 19,544 in all.
    """
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    current: list[tuple[str, str, str, str]] = []
    with open(_test_data("questions-words.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                current = sections.setdefault(line[1:].strip(), [])
            elif line.strip():
                a, b, c, d = line.lower().split()
                current.append((a, b, c, d))
    return sections


def synthetic_corpus(
    n_sentences: int = 300,
    *,
    n_topics: int = 4,
    words_per_topic: int = 6,
    sentence_length: int = 10,
    filler: float = 0.3,
    seed: int = 0,
) -> tuple[list[list[str]], list[list[str]]]:
    """Sentences whose words come from known clusters, for tests that must run in a moment.

    Each sentence picks one topic; each of its tokens is, with probability ``filler``, one of
    the frequent words "the", "a", "and", "of" (shared by every topic) and otherwise a word of
    the sentence's topic drawn uniformly. Words of one topic therefore share their contexts
    and words of different topics never meet, so embeddings trained on the corpus should put
    every word nearest to the words of its own cluster.

    Parameters
    ----------
    n_sentences : int, default 300
        Number of sentences, >= 1.
    n_topics : int, default 4
        Number of clusters, 1..8 (named by ``SYNTHETIC_TOPICS``).
    words_per_topic : int, default 6
        Words per cluster, 1..10: "animal0", "animal1", ...
    sentence_length : int, default 10
        Tokens per sentence, >= 1.
    filler : float, default 0.3
        Probability of a filler word, 0 <= filler < 1.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    sentences : list of list of str
        ``n_sentences`` lists of ``sentence_length`` tokens.
    clusters : list of list of str
        The words of each topic, ``n_topics`` lists of ``words_per_topic`` words.
    """
    n_sentences = check_int(n_sentences, "n_sentences", 1)
    n_topics = check_int(n_topics, "n_topics", 1, len(SYNTHETIC_TOPICS))
    words_per_topic = check_int(words_per_topic, "words_per_topic", 1, 10)
    sentence_length = check_int(sentence_length, "sentence_length", 1)
    filler = check_real(filler, "filler", 0.0)
    if filler >= 1:
        raise ValueError(
            f"filler must be below 1 (some words must come from a topic), got {filler}"
        )
    rng = np.random.default_rng(seed)
    clusters = [[f"{name}{j}" for j in range(words_per_topic)] for name in SYNTHETIC_TOPICS]
    clusters = clusters[:n_topics]
    topics = rng.integers(n_topics, size=n_sentences)
    is_filler = rng.random((n_sentences, sentence_length)) < filler
    words = rng.integers(words_per_topic, size=(n_sentences, sentence_length))
    fillers = rng.integers(len(_FILLERS), size=(n_sentences, sentence_length))
    sentences = [
        [
            _FILLERS[f] if is_f else clusters[topic][w]
            for is_f, w, f in zip(is_filler[i], words[i], fillers[i], strict=True)
        ]
        for i, topic in enumerate(topics)
    ]
    return sentences, clusters
