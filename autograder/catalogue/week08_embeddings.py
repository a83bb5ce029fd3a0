"""Wrong and correct implementations of the week-8 graded functions.

The wrong ones are the slips the issue lists: the vocabulary in the wrong order or with ties
unsorted, the window one short or including the centre, subsampling with f as a raw count, the
noise distribution not renormalized, σ(u·v) for the negatives without the minus, the
negatives' gradients summed into one vector, softmax without the max shift (it overflows),
cosine without normalizing, an analogy that returns one of its inputs, a − b + c; and a few
more seen in practice (min_count exclusive, the discard probability, CBOW padded with 0 or its
left context reversed, the softmax loss not averaged, dU without the target's −1, neighbours
that include the word itself, least similar first, the analogy from the raw vectors).
Three wrong variants per function keep CI's grading at three rounds (the tests also catch
the CBOW window one short and the negative-sampling loss summed over the batch).
The correct ones use loops, Counter, equivalent formulas (log σ written with log1p, the
softmax's gradient through probabilities) or another way to rank.

Every test uses nothing but its own function, the setup cell and dlcourse, and no solution
calls another graded function: all nine are independent, so one grading round holds a mistake
of each.
"""

from autograder.catalogue import correct, wrong

INDEPENDENT = {
    "build_vocab",
    "subsample_keep_prob",
    "skipgram_pairs",
    "cbow_examples",
    "noise_distribution",
    "sgns_loss",
    "full_softmax_loss",
    "nearest_neighbors",
    "analogy",
}


def _vocab(order: str, keep: str = ">=") -> str:
    return f"""
        def build_vocab(tokens, min_count):
            seen = {{}}
            for word in tokens:
                seen[word] = seen.get(word, 0) + 1
            words = sorted((w for w in seen if seen[w] {keep} min_count), key=lambda w: {order})
            return {{w: i for i, w in enumerate(words)}}, words, np.array(
                [seen[w] for w in words], dtype=np.int64
            )
    """


def _pairs(low: int, high: str) -> str:
    return f"""
        def skipgram_pairs(ids, window):
            n = len(ids)
            centers, contexts = [], []
            for i in range(n):
                for j in range(n):
                    if {low} <= abs(i - j) <= {high}:
                        centers.append(ids[i])
                        contexts.append(ids[j])
            return np.array(centers, dtype=np.int64), np.array(contexts, dtype=np.int64)
    """


def _cbow(offsets: str, pad: int = -1) -> str:
    return f"""
        def cbow_examples(ids, window):
            n = len(ids)
            offsets = {offsets}
            rows = [[ids[i + o] if 0 <= i + o < n else {pad} for o in offsets] for i in range(n)]
            return np.array(rows, dtype=np.int64).reshape(n, len(offsets)), np.array(
                ids, dtype=np.int64
            )
    """


_SGNS_BODY = """
        def sgns_loss(v_center, u_context, u_negatives):
            B = v_center.shape[0]
            pos = np.sum(u_context * v_center, axis=1)
            neg = np.einsum("bkd,bd->bk", u_negatives, v_center)
            sig = lambda x: 0.5 * (1 + np.tanh(0.5 * x))
            loss = (np.logaddexp(0, -pos).sum() + np.logaddexp(0, {neg_term}).sum()) / {scale}
            g_pos = (sig(pos) - 1) / {scale}
            g_neg = {g_neg} / {scale}
            dv = g_pos[:, None] * u_context + np.einsum("bk,bkd->bd", g_neg, u_negatives)
            dneg = g_neg[:, :, None] * v_center[:, None, :]
            {after}
            return loss, (dv, g_pos[:, None] * v_center, dneg)
"""
_SGNS_RIGHT = {"neg_term": "neg", "scale": "B", "g_neg": "sig(neg)", "after": "pass"}


def _sgns(**slip: str) -> str:
    return _SGNS_BODY.format(**(_SGNS_RIGHT | slip))


_SOFTMAX_BODY = """
        def full_softmax_loss(v_center, U, target):
            B = v_center.shape[0]
            scores = v_center @ U.T
            {shift}
            p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
            rows = np.arange(B)
            loss = -np.log(p[rows, target]).sum() / {scale}
            dz = p.copy()
            {target}
            dz = dz / {scale}
            return loss, (dz @ U, dz.T @ v_center)
"""
_SOFTMAX_RIGHT = {
    "shift": "scores = scores - scores.max(axis=1, keepdims=True)",
    "scale": "B",
    "target": "dz[rows, target] -= 1",
}


def _softmax(**slip: str) -> str:
    return _SOFTMAX_BODY.format(**(_SOFTMAX_RIGHT | slip))


_NN_BODY = """
        def nearest_neighbors(E, index, k):
            rows = {rows}
            sims = rows @ rows[index]
            {skip}
            return np.argsort({order}sims, kind="stable")[:k]
"""
_NN_RIGHT = {
    "rows": "E / np.linalg.norm(E, axis=1, keepdims=True)",
    "skip": "sims[index] = -np.inf",
    "order": "-",
}


def _nn(**slip: str) -> str:
    return _NN_BODY.format(**(_NN_RIGHT | slip))


_ANALOGY_BODY = """
        def analogy(E, a, b, c):
            unit = E / np.linalg.norm(E, axis=1, keepdims=True)
            rows = {rows}
            target = {target}
            sims = unit @ target
            {exclude}
            return int(np.argmax(sims))
"""
_ANALOGY_RIGHT = {
    "rows": "unit",
    "target": "rows[b] - rows[a] + rows[c]",
    "exclude": "sims[[a, b, c]] = -np.inf",
}


def _analogy(**slip: str) -> str:
    return _ANALOGY_BODY.format(**(_ANALOGY_RIGHT | slip))


VARIANTS = [
    # ------------------------------------------------------------------ build_vocab
    wrong(
        "build_vocab",
        "ascending",
        "sorted by increasing count: the rarest word gets id 0",
        _vocab("(seen[w], w)"),
        hint="sort by decreasing count",
    ),
    wrong(
        "build_vocab",
        "ties-unsorted",
        "sorted by count only, ties left in the order the words first appear",
        _vocab("-seen[w]"),
        hint="words with the same count go in alphabetical order",
    ),
    wrong(
        "build_vocab",
        "min-count-exclusive",
        "keeps words seen more than min_count times (> instead of >=)",
        _vocab("(-seen[w], w)", keep=">"),
        hint="a word seen exactly min_count = 1 times is kept",
    ),
    correct(
        "build_vocab",
        "counter-and-two-sorts",
        "collections.Counter, sorted alphabetically and then (stably) by count",
        """
        from collections import Counter

        def build_vocab(tokens, min_count):
            counts = Counter(tokens)
            words = sorted(w for w, c in counts.items() if c >= min_count)
            words.sort(key=counts.get, reverse=True)
            word_to_id = {}
            for w in words:
                word_to_id[w] = len(word_to_id)
            return word_to_id, words, np.array([counts[w] for w in words], dtype=int)
    """,
    ),
    # ------------------------------------------------------------------ subsample_keep_prob
    wrong(
        "subsample_keep_prob",
        "raw-count",
        "f taken as the raw count instead of the relative frequency",
        """
        def subsample_keep_prob(counts, t):
            return np.minimum(1.0, np.sqrt(t / counts))
    """,
        hint="f is the relative frequency",
    ),
    wrong(
        "subsample_keep_prob",
        "discard-probability",
        "returns the probability of dropping the word, 1 - sqrt(t / f)",
        """
        def subsample_keep_prob(counts, t):
            return np.maximum(0.0, 1.0 - np.sqrt(t / (counts / counts.sum())))
    """,
        hint="that is the probability of dropping a word",
    ),
    wrong(
        "subsample_keep_prob",
        "not-clipped",
        "sqrt(t / f) without the min(1, ...): rare words get a 'probability' above 1",
        """
        def subsample_keep_prob(counts, t):
            return np.sqrt(t / (counts / counts.sum()))
    """,
        hint="a probability is at most 1",
    ),
    correct(
        "subsample_keep_prob",
        "loop-with-total",
        "word by word: sqrt(t * total / count), capped at 1",
        """
        def subsample_keep_prob(counts, t):
            total = float(sum(counts))
            keep = np.empty(len(counts))
            for i, c in enumerate(counts):
                keep[i] = min(1.0, (t * total / c) ** 0.5)
            return keep
    """,
    ),
    # ------------------------------------------------------------------ skipgram_pairs
    wrong(
        "skipgram_pairs",
        "window-one-short",
        "range(1, window): the words exactly `window` away are missing",
        _pairs(1, "window - 1"),
        hint="the window is one too short",
    ),
    wrong(
        "skipgram_pairs",
        "includes-centre",
        "the centre word is paired with itself (|i - j| from 0)",
        _pairs(0, "window"),
        hint="a word is never its own context",
    ),
    wrong(
        "skipgram_pairs",
        "one-direction",
        "only the context to the right of each centre",
        """
        def skipgram_pairs(ids, window):
            centers, contexts = [], []
            for i in range(len(ids)):
                for j in range(i + 1, min(len(ids), i + window + 1)):
                    centers.append(ids[i])
                    contexts.append(ids[j])
            return np.array(centers, dtype=np.int64), np.array(contexts, dtype=np.int64)
    """,
        hint="its context on both sides",
    ),
    correct(
        "skipgram_pairs",
        "loops",
        "two loops over the positions and the window's offsets, in text order",
        _pairs(1, "window"),
    ),
    # ------------------------------------------------------------------ cbow_examples
    wrong(
        "cbow_examples",
        "includes-centre",
        "the context row holds the centre word too (2 * window + 1 columns)",
        _cbow("range(-window, window + 1)"),
        hint="leave the centre word out of its own context",
    ),
    wrong(
        "cbow_examples",
        "pads-with-zero",
        "pads with 0 (a real word's id) instead of -1",
        _cbow("[o for o in range(-window, window + 1) if o != 0]", pad=0),
        hint="pad with -1, not 0, where the window runs past the text",
    ),
    wrong(
        "cbow_examples",
        "left-reversed",
        "the left context from the nearest word outwards (ids[i - 1] first)",
        _cbow("list(range(-1, -window - 1, -1)) + list(range(1, window + 1))"),
        hint="the left context goes from left to right",
    ),
    correct(
        "cbow_examples",
        "sliding-padded",
        "pads the text with -1 on both sides and slices each row out of it",
        """
        def cbow_examples(ids, window):
            padded = [-1] * window + [int(i) for i in ids] + [-1] * window
            rows = []
            for i in range(len(ids)):
                left = padded[i : i + window]
                right = padded[i + window + 1 : i + 2 * window + 1]
                rows.append(left + right)
            contexts = np.array(rows, dtype=np.int64).reshape(len(ids), 2 * window)
            return contexts, np.asarray(ids).astype(np.int64)
    """,
    ),
    # ------------------------------------------------------------------ noise_distribution
    wrong(
        "noise_distribution",
        "not-renormalized",
        "counts ** power, not divided by its sum",
        """
        def noise_distribution(counts, power=0.75):
            return np.asarray(counts, dtype=float) ** power
    """,
        hint="divide by the sum of counts ** power",
    ),
    wrong(
        "noise_distribution",
        "power-ignored",
        "the plain unigram distribution counts / counts.sum()",
        """
        def noise_distribution(counts, power=0.75):
            return counts / counts.sum()
    """,
        hint="raise the counts to the power 0.75 first",
    ),
    wrong(
        "noise_distribution",
        "power-after-normalizing",
        "(counts / counts.sum()) ** power, which no longer sums to 1",
        """
        def noise_distribution(counts, power=0.75):
            return (counts / counts.sum()) ** power
    """,
        hint="raise the counts to the power, then normalize (not the other way round)",
    ),
    correct(
        "noise_distribution",
        "exp-log",
        "exp(power * log(counts)) divided by its sum",
        """
        def noise_distribution(counts, power=0.75):
            w = np.exp(power * np.log(np.array(counts, dtype=np.float64)))
            return w / np.sum(w)
    """,
    ),
    # ------------------------------------------------------------------ sgns_loss
    wrong(
        "sgns_loss",
        "negatives-without-minus",
        "-log σ(u_k·v) for the noise words: their scores are pushed up, not down",
        _sgns(neg_term="-neg", g_neg="(sig(neg) - 1)"),
        hint="with a minus inside σ",
    ),
    wrong(
        "sgns_loss",
        "negatives-summed",
        "every noise word gets the sum of the K noise words' gradients",
        _sgns(after="dneg = np.repeat(dneg.sum(axis=1, keepdims=True), dneg.shape[1], axis=1)"),
        hint="its own gradient",
    ),
    wrong(
        "sgns_loss",
        "naive-log-sigmoid",
        "np.log(1 / (1 + np.exp(-s))): overflows and takes log(0) for large scores",
        """
        def sgns_loss(v_center, u_context, u_negatives):
            B = v_center.shape[0]
            pos = np.sum(u_context * v_center, axis=1)
            neg = np.einsum("bkd,bd->bk", u_negatives, v_center)
            sig = lambda x: 1 / (1 + np.exp(-x))
            loss = -(np.log(sig(pos)).sum() + np.log(sig(-neg)).sum()) / B
            g_pos = (sig(pos) - 1) / B
            g_neg = sig(neg) / B
            dv = g_pos[:, None] * u_context + np.einsum("bk,bkd->bd", g_neg, u_negatives)
            return loss, (dv, g_pos[:, None] * v_center, g_neg[:, :, None] * v_center[:, None, :])
    """,
        hint="overflowed or was undefined",
    ),
    correct(
        "sgns_loss",
        "loops-log1p",
        "pair by pair and noise word by noise word, log σ written with log1p and exp of -|s|",
        """
        def sgns_loss(v_center, u_context, u_negatives):
            def nll(s):  # -log σ(s), stable
                return max(-s, 0.0) + np.log1p(np.exp(-abs(s)))

            def sig(s):
                return 1 / (1 + np.exp(-s)) if s >= 0 else np.exp(s) / (1 + np.exp(s))

            B, K, d = u_negatives.shape
            total = 0.0
            dv, du, dneg = np.zeros((B, d)), np.zeros((B, d)), np.zeros((B, K, d))
            for b in range(B):
                s = float(u_context[b] @ v_center[b])
                total += nll(s)
                du[b] = (sig(s) - 1) * v_center[b] / B
                dv[b] = (sig(s) - 1) * u_context[b] / B
                for k in range(K):
                    sk = float(u_negatives[b, k] @ v_center[b])
                    total += nll(-sk)
                    dneg[b, k] = sig(sk) * v_center[b] / B
                    dv[b] += sig(sk) * u_negatives[b, k] / B
            return total / B, (dv, du, dneg)
    """,
    ),
    # ------------------------------------------------------------------ full_softmax_loss
    wrong(
        "full_softmax_loss",
        "no-max-shift",
        "softmax without subtracting the largest score: exp overflows",
        _softmax(shift="pass"),
        hint="overflowed or was undefined",
    ),
    wrong(
        "full_softmax_loss",
        "summed-over-batch",
        "the loss and gradients summed over the batch, not averaged",
        _softmax(scale="1"),
        hint="the loss is a mean over the batch",
    ),
    wrong(
        "full_softmax_loss",
        "no-target-term",
        "dz = softmax without the -1 at the target word",
        _softmax(target="pass"),
        hint="subtract 1 at the target word's score",
    ),
    correct(
        "full_softmax_loss",
        "logsumexp-loops",
        "log-sum-exp per example; dU accumulated row by row with np.outer",
        """
        def full_softmax_loss(v_center, U, target):
            B, V = v_center.shape[0], U.shape[0]
            loss, dv, dU = 0.0, np.zeros_like(v_center), np.zeros_like(U)
            for b in range(B):
                z = U @ v_center[b]
                m = z.max()
                lse = m + np.log(np.sum(np.exp(z - m)))
                loss += lse - z[target[b]]
                p = np.exp(z - lse)
                p[target[b]] -= 1.0
                dv[b] = U.T @ p / B
                dU += np.outer(p, v_center[b]) / B
            return loss / B, (dv, dU)
    """,
    ),
    # ------------------------------------------------------------------ nearest_neighbors
    wrong(
        "nearest_neighbors",
        "dot-product",
        "ranks by the dot product: the vectors are not normalized",
        _nn(rows="E"),
        hint="that ranks by the dot product",
    ),
    wrong(
        "nearest_neighbors",
        "includes-itself",
        "the word itself comes first among its neighbours",
        _nn(skip="pass"),
        hint="leave the word itself out of its neighbours",
    ),
    wrong(
        "nearest_neighbors",
        "least-similar-first",
        "sorted in increasing order of similarity",
        _nn(skip="sims[index] = np.inf", order=""),
        hint="most similar first",
    ),
    correct(
        "nearest_neighbors",
        "cosine-loop",
        "the cosine with every other row in a loop, then sorted(..., reverse=True)",
        """
        def nearest_neighbors(E, index, k):
            q = E[index]
            scored = []
            for j in range(len(E)):
                if j != index:
                    cos = float(E[j] @ q) / (np.linalg.norm(E[j]) * np.linalg.norm(q))
                    scored.append((cos, -j))
            scored.sort(reverse=True)
            return np.array([-j for _, j in scored[:k]], dtype=int)
    """,
    ),
    # ------------------------------------------------------------------ analogy
    wrong(
        "analogy",
        "returns-an-input",
        "a, b and c are not left out: the answer is often b or c",
        _analogy(exclude="pass"),
        hint="leave a, b and c out of the candidates",
    ),
    wrong(
        "analogy",
        "a-minus-b-plus-c",
        "the query a - b + c instead of b - a + c",
        _analogy(target="rows[a] - rows[b] + rows[c]"),
        hint="the answer is nearest to b - a + c, not a - b + c",
    ),
    wrong(
        "analogy",
        "raw-vectors",
        "b - a + c from the raw vectors, not the unit-length ones",
        _analogy(rows="E"),
        hint="compute b - a + c from the unit-length vectors",
    ),
    correct(
        "analogy",
        "cosine-of-target",
        "normalizes the query too and picks the best of the other words in a loop",
        """
        def analogy(E, a, b, c):
            unit = E / np.linalg.norm(E, axis=1)[:, None]
            q = unit[b] + unit[c] - unit[a]
            q = q / np.linalg.norm(q)
            best, best_sim = None, -np.inf
            for j in range(len(E)):
                if j in (a, b, c):
                    continue
                if unit[j] @ q > best_sim:
                    best, best_sim = j, unit[j] @ q
            return best
    """,
    ),
]
