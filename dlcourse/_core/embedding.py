"""The course's reference word2vec (skip-gram with negative sampling) in NumPy, and the
measures of word vectors: word similarity against human ratings, analogies, neighbours, PCA.

The lecture's explorers and the benchmark use it; the week-8 assignment's closing run trains
with the student's own loss through the same loop (``loss=``). Students write their own
versions of these pieces in the exercise, so none of it is public.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from dlcourse._core.network import logistic

LossFunction = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple]
"""``loss(v_center (B, d), u_context (B, d), u_negatives (B, K, d)) -> (loss, (dv, du, dun))``,
the batch-mean loss and its gradients (the assignment's contract)."""


@dataclass(frozen=True)
class Vocabulary:
    """Words with their counts, most frequent first (ties alphabetical).

    Attributes
    ----------
    words : list of str
        ``words[i]`` is the word of id ``i``.
    index : dict {str: int}
        The id of each word.
    counts : np.ndarray of int64, shape (V,)
        How often each word occurs in the corpus.
    """

    words: list[str]
    index: dict[str, int]
    counts: np.ndarray


def count_words(sentences: Sequence[Sequence[str]], min_count: int) -> Vocabulary:
    """The vocabulary of the words occurring at least ``min_count`` times."""
    counter = Counter(word for sentence in sentences for word in sentence)
    kept = sorted((w for w, c in counter.items() if c >= min_count), key=lambda w: (-counter[w], w))
    counts = np.array([counter[w] for w in kept], dtype=np.int64)
    return Vocabulary(kept, {w: i for i, w in enumerate(kept)}, counts)


def encode(sentences: Sequence[Sequence[str]], vocab: Vocabulary) -> list[np.ndarray]:
    """Each sentence as an int64 array of ids, words outside the vocabulary dropped."""
    index = vocab.index
    return [np.array([index[w] for w in s if w in index], dtype=np.int64) for s in sentences]


def keep_fraction(counts: np.ndarray, t: float) -> np.ndarray:
    """Subsampling's keep probability min(1, sqrt(t / f)), f the relative frequency."""
    return np.minimum(1.0, np.sqrt(t / (counts / counts.sum())))


def unigram_noise(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """The noise distribution counts^power, normalized."""
    weights = np.asarray(counts, dtype=np.float64) ** power
    return weights / weights.sum()


def negative_sampling_objective(v: np.ndarray, u: np.ndarray, un: np.ndarray) -> tuple:
    """-log σ(u·v) - Σ_k log σ(-u_k·v), averaged over the batch, and its three gradients."""
    batch = v.shape[0]
    pos = np.einsum("bd,bd->b", u, v)
    neg = np.einsum("bkd,bd->bk", un, v)
    loss = (np.logaddexp(0.0, -pos).sum() + np.logaddexp(0.0, neg).sum()) / batch
    g_pos = -logistic(-pos) / batch
    g_neg = logistic(neg) / batch
    dv = g_pos[:, None] * u + np.einsum("bk,bkd->bd", g_neg, un)
    return loss, (dv, g_pos[:, None] * v, g_neg[:, :, None] * v[:, None, :])


def _shared_negatives_step(v: np.ndarray, u: np.ndarray, noise: np.ndarray, weight: float) -> tuple:
    """The negative-sampling loss of a batch whose pairs share the noise words ``noise``
    (M, d), each weighted ``weight``; returns (loss, (dv, du, dnoise)) like
    :func:`negative_sampling_objective`, dnoise of shape (M, d)."""
    batch = v.shape[0]
    pos = np.einsum("bd,bd->b", u, v)
    scores = v @ noise.T
    # log(1 + e^s) and σ(s) of the noise scores from one exp of -|s| (no overflow either way):
    # the element-wise work is a third of the step, the matrix products the rest.
    e = np.exp(-np.abs(scores))
    softplus = np.maximum(scores, 0.0) + np.log1p(e)
    loss = (np.logaddexp(0.0, -pos).sum() + weight * softplus.sum()) / batch
    g_pos = -logistic(-pos) / batch
    g_noise = (weight / batch) * np.where(scores >= 0, 1.0, e) / (1.0 + e)
    return loss, (g_pos[:, None] * u + g_noise @ noise, g_pos[:, None] * v, g_noise.T @ v)


def window_pairs(
    sentences: Sequence[np.ndarray], window: int, rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray]:
    """(centre, context) id pairs of every sentence, both directions.

    With ``rng``, each centre's window is drawn uniformly from 1..window (word2vec's reduced
    window, which weights near words more); without, every pair within ``window``.
    """
    if not sentences:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ids = np.concatenate(sentences)
    sid = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
    reach = (
        rng.integers(1, window + 1, size=len(ids)) if rng is not None else np.full(len(ids), window)
    )
    centres, contexts = [], []
    for offset in range(1, window + 1):
        same = sid[:-offset] == sid[offset:]
        right = same & (reach[:-offset] >= offset)  # centre i, context i + offset
        left = same & (reach[offset:] >= offset)  # centre i + offset, context i
        centres += [ids[:-offset][right], ids[offset:][left]]
        contexts += [ids[offset:][right], ids[:-offset][left]]
    return np.concatenate(centres), np.concatenate(contexts)


def _scatter_add(W: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
    """``W[rows] += values`` with repeated rows adding up (np.add.at on the flat array, about
    twice as fast as on rows)."""
    dim = W.shape[1]
    flat = (rows[:, None] * dim + np.arange(dim)).ravel()
    np.add.at(W.reshape(-1), flat, values.ravel())


@dataclass
class TrainedVectors:
    """What :func:`train_skipgram` returns.

    Attributes
    ----------
    vocab : Vocabulary
    vectors : np.ndarray of float64, shape (V, dim)
        The input (centre) vectors, the word vectors.
    output_vectors : np.ndarray of float64, shape (V, dim)
    losses : list of float
        The mean loss of every ``report_every`` batches.
    words_trained : int
        Corpus tokens gone through (all epochs, before subsampling).
    """

    vocab: Vocabulary
    vectors: np.ndarray
    output_vectors: np.ndarray
    losses: list[float]
    words_trained: int


def train_skipgram(
    sentences: Sequence[Sequence[str]],
    *,
    dim: int = 100,
    window: int = 5,
    negative: int = 5,
    min_count: int = 5,
    epochs: int = 5,
    lr: float = 0.025,
    min_lr: float = 1e-4,
    sample: float = 1e-4,
    batch_size: int = 256,
    seed: int = 0,
    loss: LossFunction | None = None,
    max_batches: int | None = None,
    report_every: int = 50,
    callback: Callable[[int, float, np.ndarray], bool | None] | None = None,
    progress: Callable | None = None,
    vocab: Vocabulary | None = None,
    shared_negatives: int = 64,
) -> TrainedVectors:
    """Skip-gram with negative sampling by minibatch SGD, word2vec's recipe.

    Vectors start as word2vec's: input rows uniform in ±0.5/dim, output rows 0. Each epoch
    subsamples the corpus (keep probability min(1, sqrt(sample / f))), draws a reduced window
    for every centre, shuffles the pairs and goes through them in batches; each pair draws
    ``negative`` noise words from unigram^0.75. The learning rate falls linearly from ``lr`` to
    ``min_lr`` over the run. A batch's rows get the sum of their pairs' gradients (``loss``
    returns the batch mean, so they are scaled by the batch size), as if each pair had taken
    its own step from the same vectors.

    ``callback(batch_number, mean_recent_loss, vectors)`` is called every ``report_every``
    batches and at the end; returning True stops training. ``progress`` wraps the iterator of
    batches (e.g. ``tqdm.auto.tqdm``); ``max_batches`` bounds the run. ``vocab``, if given, is
    ``count_words(sentences, min_count)`` computed already.

    ``loss`` (the assignment's ``sgns_loss`` contract) gets ``negative`` noise words of its
    own for every pair. Without it, each batch draws ``shared_negatives`` noise words that
    all its pairs use, each weighted ``negative / shared_negatives``: the same expected loss
    as ``negative`` words per pair (``negative`` times the mean over the noise distribution),
    with the noise words' gradients one matrix product instead of ``negative`` scattered rows
    per pair, which makes the NumPy trainer about three times faster.
    """
    rng = np.random.default_rng(seed)
    vocab = count_words(sentences, min_count) if vocab is None else vocab
    ids = encode(sentences, vocab)
    V = len(vocab.words)
    W_in = (rng.random((V, dim)) - 0.5) / dim
    W_out = np.zeros((V, dim))
    keep = keep_fraction(vocab.counts, sample)
    cdf = np.cumsum(unigram_noise(vocab.counts))
    cdf[-1] = 1.0
    n_tokens = sum(len(s) for s in sentences)
    epoch_pairs = []
    # Pairs of every epoch are drawn up front, so the learning rate can fall over the whole run.
    for _ in range(epochs):
        kept = [s[rng.random(len(s)) < keep[s]] for s in ids]
        centres, contexts = window_pairs(kept, window, rng)
        order = rng.permutation(len(centres))
        epoch_pairs.append((centres[order], contexts[order]))
    n_batches = sum(-(-len(c) // batch_size) for c, _ in epoch_pairs)
    if max_batches is not None:
        n_batches = min(n_batches, max_batches)
    total = sum(len(c) for c, _ in epoch_pairs)
    losses: list[float] = []
    recent: list[float] = []
    batches = range(n_batches)
    if progress is not None:
        batches = progress(batches)
    done, epoch, start = 0, 0, 0
    # The products are small: BLAS threads would only wait for each other (and one thread is
    # what gensim's single worker gets in the benchmark).
    with threadpool_limits(limits=1):
        for number in batches:
            centres, contexts = epoch_pairs[epoch]
            if start >= len(centres):
                epoch, start = epoch + 1, 0
                centres, contexts = epoch_pairs[epoch]
            c = centres[start : start + batch_size]
            o = contexts[start : start + batch_size]
            start += batch_size
            b = len(c)
            rate = max(min_lr, lr - (lr - min_lr) * done / total) * b
            done += b
            if loss is None:  # the fast way: noise words shared by the batch
                neg = np.searchsorted(cdf, rng.random(shared_negatives), side="right")
                value, (dv, du, dneg) = _shared_negatives_step(
                    W_in[c], W_out[o], W_out[neg], negative / shared_negatives
                )
            else:
                neg = np.searchsorted(cdf, rng.random((b, negative)), side="right")
                value, (dv, du, dneg) = loss(W_in[c], W_out[o], W_out[neg])
            _scatter_add(W_in, c, -rate * dv)
            _scatter_add(
                W_out,
                np.concatenate([o, neg.ravel()]),
                -rate * np.concatenate([du, dneg.reshape(-1, dim)]),
            )
            recent.append(float(value))
            if (number + 1) % report_every == 0 or number + 1 == n_batches:
                losses.append(float(np.mean(recent)))
                recent = []
                if callback is not None and callback(number + 1, losses[-1], W_in):
                    break
    in_epoch = len(epoch_pairs[epoch][0])
    words = round(n_tokens * (epoch + min(start, in_epoch) / max(in_epoch, 1)))
    return TrainedVectors(vocab, W_in, W_out, losses, words)


# ------------------------------------------------------------------ measuring word vectors


def unit_rows(E: np.ndarray) -> np.ndarray:
    """Each row divided by its length (rows of zeros stay zero)."""
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return E / np.where(norms == 0, 1.0, norms)


def closest(E: np.ndarray, query: np.ndarray, k: int, exclude: Sequence[int] = ()) -> np.ndarray:
    """Ids of the k rows of E most similar to ``query`` by cosine, most similar first."""
    sims = unit_rows(E) @ (query / (np.linalg.norm(query) or 1.0))
    sims[list(exclude)] = -np.inf
    k = min(k, len(sims) - len(set(exclude)))  # never an excluded row
    top = np.argpartition(-sims, min(k, len(sims) - 1))[:k]
    return top[np.argsort(-sims[top], kind="stable")]


def similarity_correlation(
    E: np.ndarray,
    index: dict[str, int],
    pairs: Sequence[tuple[str, str]],
    scores: np.ndarray,
) -> tuple[float, int]:
    """Spearman correlation of cosine similarity with human ratings, on the pairs whose two
    words both have vectors; returns (correlation, pairs used)."""
    used = [i for i, (a, b) in enumerate(pairs) if a in index and b in index]
    if len(used) < 3:
        return float("nan"), len(used)
    U = unit_rows(E)
    cos = [float(U[index[pairs[i][0]]] @ U[index[pairs[i][1]]]) for i in used]
    return spearman(np.array(cos), np.asarray(scores, dtype=np.float64)[used]), len(used)


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 of x, tied values sharing the mean of their ranks."""
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts
    return (first + (counts - 1) / 2)[inverse]


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (ties get average ranks), as scipy.stats.spearmanr; NumPy
    alone, because importing scipy.stats takes seconds."""
    rx, ry = _average_ranks(x), _average_ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def analogy_accuracy(
    E: np.ndarray,
    index: dict[str, int],
    questions: Sequence[tuple[str, str, str, str]],
    chunk: int = 1000,
) -> tuple[float, int]:
    """Fraction of questions a : b :: c : d whose answer d is the word nearest by cosine to
    b - a + c (unit rows, a, b and c excluded), as gensim's ``evaluate_word_analogies``;
    questions with a word outside ``index`` are skipped. Returns (accuracy, questions used)."""
    known = [q for q in questions if all(w in index for w in q)]
    if not known:
        return float("nan"), 0
    ids = np.array([[index[w] for w in q] for q in known])
    U = unit_rows(E)
    right = 0
    for start in range(0, len(ids), chunk):
        a, b, c, d = ids[start : start + chunk].T
        sims = unit_rows(U[b] - U[a] + U[c]) @ U.T
        rows = np.arange(len(a))
        for excluded in (a, b, c):
            sims[rows, excluded] = -np.inf
        right += int(np.sum(np.argmax(sims, axis=1) == d))
    return right / len(known), len(known)


def pca_2d(E: np.ndarray) -> np.ndarray:
    """The rows of E projected on their first two principal components, shape (V, 2)."""
    centred = E - E.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T
