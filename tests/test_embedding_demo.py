"""Week 8's trainer and measures (dlcourse.embedding_demo, on dlcourse._core.embedding).

Training runs on the synthetic corpus, whose clusters are known: the vectors must put every word
nearest to the words of its own cluster. The measures are checked on vectors built by hand."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse._core import embedding
from dlcourse.corpus import synthetic_corpus
from dlcourse.embedding_demo import analogy_score, similarity_score, train_word2vec

TRAIN = {"dim": 16, "window": 3, "min_count": 1, "sample": 1e-2, "batch_size": 64, "seed": 0}


def cluster_purity(vectors, word_to_id, clusters) -> float:
    """Fraction of each word's len(cluster) - 1 nearest neighbours that share its cluster."""
    hits = total = 0
    for cluster in clusters:
        for word in cluster:
            i = word_to_id[word]
            near = embedding.closest(vectors, vectors[i], len(cluster) - 1, exclude=[i])
            id_to_word = {j: w for w, j in word_to_id.items()}
            hits += sum(id_to_word[j] in cluster for j in near)
            total += len(cluster) - 1
    return hits / total


@pytest.fixture(scope="module")
def corpus():
    return synthetic_corpus(300, n_topics=4, words_per_topic=6, seed=0)


def test_trained_vectors_recover_the_known_clusters(corpus):
    sentences, clusters = corpus
    run = train_word2vec(sentences, epochs=5, track_wordsim=False, live=False, **TRAIN)
    assert run.vectors.shape == (28, 16) and run.id_to_word[:4] != []
    assert cluster_purity(run.vectors, run.word_to_id, clusters) >= 0.95
    losses = [loss for _, loss in run.losses]
    assert losses[-1] < 0.8 * losses[0]
    assert run.words_trained == 5 * 3000


def test_random_vectors_do_not_recover_the_clusters(corpus):
    # the purity measure above can fail: chance is 5 of the 27 other words
    sentences, clusters = corpus
    run = train_word2vec(
        sentences, epochs=1, max_batches=1, track_wordsim=False, live=False, **TRAIN
    )
    rng = np.random.default_rng(0)
    assert cluster_purity(rng.normal(size=run.vectors.shape), run.word_to_id, clusters) < 0.5


def test_a_students_loss_trains_through_the_same_loop(corpus):
    sentences, clusters = corpus
    calls = []

    def sgns_loss(v, u, un):
        calls.append(un.shape)
        return embedding.negative_sampling_objective(v, u, un)

    run = train_word2vec(
        sentences, loss=sgns_loss, epochs=3, negative=4, track_wordsim=False, live=False, **TRAIN
    )
    assert calls and all(shape[1:] == (4, 16) for shape in calls)
    assert cluster_purity(run.vectors, run.word_to_id, clusters) >= 0.9


def test_the_shared_noise_words_step_is_negative_sampling_in_expectation():
    # with every pair given the same K noise words, the shared step equals the per-pair loss
    rng = np.random.default_rng(1)
    v, u, noise = rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), rng.normal(size=(4, 3))
    per_pair = np.broadcast_to(noise, (5, 4, 3)).copy()
    loss, (dv, du, dun) = embedding.negative_sampling_objective(v, u, per_pair)
    shared, (sdv, sdu, snoise) = embedding._shared_negatives_step(v, u, noise, 1.0)
    assert np.isclose(loss, shared)
    np.testing.assert_allclose(sdv, dv)
    np.testing.assert_allclose(sdu, du)
    np.testing.assert_allclose(snoise, dun.sum(axis=0))


def test_tracking_records_the_wordsim_correlation_every_report(corpus):
    sentences, _ = corpus
    run = train_word2vec(sentences, epochs=1, report_every=5, live=False, **TRAIN)
    assert [b for b, _ in run.wordsim] == [b for b, _ in run.losses]
    assert all(np.isnan(rho) for _, rho in run.wordsim)  # no WordSim word is in this corpus


def test_similarity_score_is_spearman_on_the_known_pairs():
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, 0.2]])
    index = {"a": 0, "b": 1, "c": 2, "d": 3}
    pairs = [("a", "b"), ("a", "c"), ("a", "d"), ("a", "zzz")]
    rho, used = similarity_score(vectors, index, pairs, np.array([9.0, 5.0, 1.0, 3.0]))
    assert (rho, used) == (1.0, 3)
    rho, _ = similarity_score(vectors, index, pairs, np.array([1.0, 5.0, 9.0, 3.0]))
    assert rho == -1.0
    with pytest.raises(ValueError, match="one rating per pair"):
        similarity_score(vectors, index, pairs, np.ones(3))


def test_analogy_score_uses_unit_vectors_and_leaves_the_question_out():
    # man : king :: woman : queen; "king" itself is nearest to b - a + c but must not count
    vectors = np.array(
        [[1.0, 0.0, 0.0], [5.0, 0.0, 5.0], [0.0, 1.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, -1.0]]
    )
    index = {"man": 0, "king": 1, "woman": 2, "queen": 3, "apple": 4}
    questions = [("man", "king", "woman", "queen"), ("man", "king", "woman", "nope")]
    assert analogy_score(vectors, index, questions) == (1.0, 1)
    # king : man :: woman : ? is apple here, so the reversed question scores 0
    assert analogy_score(vectors, index, [("king", "man", "woman", "queen")]) == (0.0, 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"sentences": "a b c"}, TypeError, "list of sentences"),
        ({"sentences": [[]]}, ValueError, "no words"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"loss": "sgns"}, TypeError, "loss"),
        ({"lr": 0.0}, ValueError, "lr"),
        ({"live": 1}, TypeError, "live"),
    ],
)
def test_train_word2vec_rejects_bad_arguments(kwargs, error, words):
    arguments = {"sentences": [["a", "b", "a"]], "min_count": 1, "live": False} | kwargs
    with pytest.raises(error, match=words):
        train_word2vec(arguments.pop("sentences"), **arguments)


def test_spearman_agrees_with_scipy_ties_included():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(2)
    x, y = rng.integers(0, 5, size=40).astype(float), rng.normal(size=40)
    assert np.isclose(embedding.spearman(x, y), spearmanr(x, y).statistic)
    assert np.isnan(embedding.spearman(np.ones(5), y[:5]))
