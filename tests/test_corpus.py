"""Week 8's corpora and word-similarity sets (dlcourse.corpus, re-exported by dlcourse.datasets).

The expected sizes and first entries are read off gensim 4.4's test data by hand, not from the
loaders."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from dlcourse import corpus, datasets


def test_the_loaders_are_re_exported_by_datasets():
    for name in corpus.__all__:
        assert getattr(datasets, name) is getattr(corpus, name)


def test_wiki_articles_are_the_filtered_dump_without_markup():
    articles = corpus.wiki_articles()
    assert len(articles) == 106
    assert sum(len(a) for a in articles) == 452_944
    assert articles[0][:6] == ["anarchism", "is", "political", "philosophy", "that", "advocates"]
    text = {w for a in articles for w in a}
    assert not any(ch in w for w in text for ch in "[]{}|=<>")
    assert all(w == w.lower() and 2 <= len(w) <= 15 for w in text)
    articles[0].clear()  # a fresh list each call
    assert len(corpus.wiki_articles()[0]) > 0


def test_lee_corpus():
    docs = corpus.lee_corpus()
    assert len(docs) == 300
    assert 55_000 < sum(map(len, docs)) < 65_000
    assert docs[0][:3] == ["hundreds", "of", "people"]


def test_wordsim353_and_simlex999():
    pairs, scores = corpus.wordsim353()
    assert len(pairs) == 353 and scores.shape == (353,) and scores.dtype == np.float64
    assert pairs[0] == ("love", "sex") and scores[0] == 6.77
    assert pairs[2] == ("tiger", "tiger") and scores[2] == 10.0
    pairs, scores = corpus.simlex999()
    assert len(pairs) == 999 and scores.shape == (999,)
    assert pairs[:2] == [("old", "new"), ("smart", "intelligent")]
    assert scores[:2].tolist() == [1.58, 9.2]


def test_analogy_questions_by_section_lower_cased():
    sections = corpus.analogy_questions()
    assert len(sections) == 14
    assert next(iter(sections)) == "capital-common-countries"
    assert sections["capital-common-countries"][0] == ("athens", "greece", "baghdad", "iraq")
    assert sum(map(len, sections.values())) == 19_544


def test_synthetic_corpus_draws_each_sentence_from_one_cluster():
    sentences, clusters = corpus.synthetic_corpus(50, n_topics=3, words_per_topic=4, seed=3)
    assert len(sentences) == 50 and all(len(s) == 10 for s in sentences)
    assert clusters[0] == ["animal0", "animal1", "animal2", "animal3"] and len(clusters) == 3
    fillers = {"the", "a", "and", "of"}
    for sentence in sentences:
        topics = {i for i, c in enumerate(clusters) for w in sentence if w in c}
        assert len(topics) <= 1 and set(sentence) <= fillers | {w for c in clusters for w in c}
    share = np.mean([w in fillers for s in sentences for w in s])
    assert 0.2 < share < 0.4
    assert corpus.synthetic_corpus(50, n_topics=3, words_per_topic=4, seed=3)[0] == sentences
    assert corpus.synthetic_corpus(50, n_topics=3, words_per_topic=4, seed=4)[0] != sentences


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"n_sentences": 0}, ValueError, "n_sentences"),
        ({"n_topics": 9}, ValueError, "n_topics"),
        ({"words_per_topic": 2.5}, TypeError, "words_per_topic"),
        ({"filler": 1.0}, ValueError, "filler"),
        ({"filler": -0.1}, ValueError, "filler"),
    ],
)
def test_synthetic_corpus_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        corpus.synthetic_corpus(**kwargs)


def test_importing_dlcourse_does_not_import_gensim():
    code = "import sys, dlcourse.datasets, dlcourse.corpus; print('gensim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_lee_tokens_are_gensims_simple_preprocess():
    from gensim.utils import simple_preprocess

    with open(corpus._test_data("lee_background.cor"), encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    assert corpus.lee_corpus() == [simple_preprocess(line) for line in lines]
