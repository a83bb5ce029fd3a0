"""(Week 8) word2vec trained in NumPy, live, and its vectors measured against people.

Public API
----------
train_word2vec     skip-gram with negative sampling on a list of tokenized sentences, with a
                   progress bar and live plots of the loss and of the WordSim-353 correlation;
                   ``loss=`` trains with a student's ``sgns_loss`` instead of the course's
Word2VecRun        what it returns: the vectors, the vocabulary, the loss and WordSim history
similarity_score   Spearman correlation of cosine similarities with human ratings
analogy_score      accuracy on analogy questions a : b :: c : d

The training loop and the measures are the private ``dlcourse._core.embedding`` ones; the
lecture's explorers and ``bench/word2vec_week08.py`` use the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from dlcourse._core import embedding
from dlcourse._core.checks import check_bool, check_callable, check_int, check_real

__all__ = ["Word2VecRun", "analogy_score", "similarity_score", "train_word2vec"]


@dataclass
class Word2VecRun:
    """The result of :func:`train_word2vec`.

    Attributes
    ----------
    vectors : np.ndarray of float64, shape (V, dim)
        The word vectors (input vectors), row i for word ``id_to_word[i]``.
    word_to_id : dict {str: int}
    id_to_word : list of str
        Most frequent first, ties alphabetical.
    counts : np.ndarray of int64, shape (V,)
    losses : list of (int, float)
        (batch number, mean loss of the batches since the last entry).
    wordsim : list of (int, float)
        (batch number, WordSim-353 Spearman correlation), when it was tracked.
    words_trained : int
        Corpus tokens gone through (before subsampling), over all epochs.
    """

    vectors: np.ndarray
    word_to_id: dict[str, int]
    id_to_word: list[str]
    counts: np.ndarray
    losses: list[tuple[int, float]] = field(default_factory=list)
    wordsim: list[tuple[int, float]] = field(default_factory=list)
    words_trained: int = 0


def similarity_score(
    vectors: np.ndarray,
    word_to_id: dict[str, int],
    pairs: Sequence[tuple[str, str]],
    scores: np.ndarray,
) -> tuple[float, int]:
    """Spearman correlation of the vectors' cosine similarities with human ratings.

    Parameters
    ----------
    vectors : np.ndarray, shape (V, d)
    word_to_id : dict {str: int}
    pairs : list of (str, str)
        For example from :func:`dlcourse.datasets.wordsim353`.
    scores : np.ndarray, shape (len(pairs),)
        The human ratings.

    Returns
    -------
    correlation : float
        Over the pairs whose two words both have vectors (nan for fewer than 3).
    used : int
        How many pairs that is.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must have shape (V, d), got shape {vectors.shape}")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (len(pairs),):
        raise ValueError(f"scores must hold one rating per pair, got shape {scores.shape}")
    return embedding.similarity_correlation(vectors, word_to_id, pairs, scores)


def analogy_score(
    vectors: np.ndarray,
    word_to_id: dict[str, int],
    questions: Sequence[tuple[str, str, str, str]],
) -> tuple[float, int]:
    """Accuracy on analogy questions (a, b, c, d): is d the word nearest by cosine to
    b - a + c of the unit vectors, a, b and c left out (as gensim's ``most_similar``)?

    Returns
    -------
    accuracy : float
        Over the questions all four of whose words have vectors (nan if none).
    used : int
        How many questions that is.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must have shape (V, d), got shape {vectors.shape}")
    return embedding.analogy_accuracy(vectors, word_to_id, questions)


def _check_sentences(sentences: object) -> list:
    if not isinstance(sentences, (list, tuple)) or not all(
        isinstance(s, (list, tuple)) for s in sentences
    ):
        raise TypeError("sentences must be a list of sentences, each a list of words (str)")
    if not any(sentences):
        raise ValueError("sentences holds no words")
    return list(sentences)


def train_word2vec(
    sentences: Sequence[Sequence[str]],
    *,
    loss: Callable | None = None,
    epochs: int = 1,
    dim: int = 100,
    window: int = 5,
    negative: int = 5,
    min_count: int = 5,
    lr: float = 0.025,
    sample: float = 1e-4,
    batch_size: int = 256,
    max_batches: int | None = None,
    track_wordsim: bool = True,
    report_every: int = 100,
    seed: int = 0,
    live: bool = True,
) -> Word2VecRun:
    """Train skip-gram with negative sampling, word2vec's recipe, by minibatch SGD in NumPy.

    Words seen fewer than ``min_count`` times are dropped; every epoch subsamples frequent words
    (keep probability min(1, sqrt(sample / f))), gives each centre a window drawn from
    1..window, shuffles the (centre, context) pairs and goes through them in batches of
    ``batch_size``, each pair with ``negative`` noise words from unigram^0.75. The learning
    rate falls linearly from ``lr`` to 1e-4 over the run.

    Parameters
    ----------
    sentences : list of list of str
        For example :func:`dlcourse.datasets.wiki_articles`.
    loss : callable, optional
        ``loss(v_center (B, d), u_context (B, d), u_negatives (B, K, d)) -> (loss, (dv_center,
        du_context, du_negatives))``, the batch-mean loss and its gradients: a student's
        ``sgns_loss``. Default: the course's own.
    epochs : int, default 1
    dim : int, default 100
        Size of the vectors.
    window, negative, min_count : int, default 5, 5, 5
    lr : float, default 0.025
    sample : float, default 1e-4
        Subsampling threshold t.
    batch_size : int, default 256
    max_batches : int, optional
        Stop after this many batches (a short demonstration run).
    track_wordsim : bool, default True
        Measure the WordSim-353 correlation every ``report_every`` batches.
    report_every : int, default 100
    seed : int, default 0
    live : bool, default True
        Show a ``tqdm.auto`` progress bar and live plots of the loss and the correlation
        (redrawn at every second report and at the end).

    Returns
    -------
    Word2VecRun
    """
    sentences = _check_sentences(sentences)
    if loss is not None:
        loss = check_callable(loss, "loss", "loss(v_center, u_context, u_negatives)")
    epochs = check_int(epochs, "epochs", 1)
    dim = check_int(dim, "dim", 1)
    window = check_int(window, "window", 1)
    negative = check_int(negative, "negative", 1)
    min_count = check_int(min_count, "min_count", 1)
    lr = check_real(lr, "lr", 0.0)
    sample = check_real(sample, "sample", 0.0)
    if lr == 0 or sample == 0:
        raise ValueError("lr and sample must be > 0")
    batch_size = check_int(batch_size, "batch_size", 1)
    if max_batches is not None:
        max_batches = check_int(max_batches, "max_batches", 1)
    track_wordsim = check_bool(track_wordsim, "track_wordsim")
    report_every = check_int(report_every, "report_every", 1)
    live = check_bool(live, "live")

    run = Word2VecRun(np.zeros((0, dim)), {}, [], np.zeros(0, np.int64))
    pairs: list = []
    if track_wordsim:
        from dlcourse.corpus import wordsim353

        pairs, ratings = wordsim353()
    plots = []
    if live:
        from dlcourse.live import LiveLossPlot

        plots = [
            LiveLossPlot(title="Skip-gram training loss", every=2, xlabel="batch"),
            LiveLossPlot(
                title="WordSim-353 Spearman correlation",
                every=2,
                xlabel="batch",
                ylabel="correlation",
                logy=False,
            ),
        ]
        for plot in plots[: 1 + track_wordsim]:
            plot.show()
    index: dict[str, int] = {}

    def record(batch: int, mean_loss: float, vectors: np.ndarray) -> None:
        run.losses.append((batch, mean_loss))
        if plots:
            plots[0].update(batch, mean_loss)
        if track_wordsim:
            rho, _ = embedding.similarity_correlation(vectors, index, pairs, ratings)
            run.wordsim.append((batch, rho))
            if plots and np.isfinite(rho):
                plots[1].update(batch, rho, label="WordSim-353")

    def progress(batches):
        if not live:
            return batches
        from tqdm.auto import tqdm

        return tqdm(batches, desc="training", unit="batch")

    vocab = embedding.count_words(sentences, min_count)
    index.update(vocab.index)
    trained = embedding.train_skipgram(
        sentences,
        dim=dim,
        window=window,
        negative=negative,
        min_count=min_count,
        epochs=epochs,
        lr=lr,
        sample=sample,
        batch_size=batch_size,
        seed=seed,
        loss=loss,
        max_batches=max_batches,
        report_every=report_every,
        callback=record,
        progress=progress,
        vocab=vocab,
    )
    for plot in plots:
        plot.redraw()
    run.vectors = trained.vectors
    run.word_to_id = dict(vocab.index)
    run.id_to_word = list(vocab.words)
    run.counts = vocab.counts.copy()
    run.words_trained = trained.words_trained
    return run
