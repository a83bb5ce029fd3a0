"""Wrong and correct implementations of the week-6 graded functions.

The wrong ones are the slips the issue lists: λ without the ½, sign(0) taken as +1, p read as
the keep probability, no inverted scaling, scaling at test time, a fresh mask in backward, the
global generator, folds that overlap or leave indices out, the larger folds last, patience off
by one, the best epoch taken after the stop, `min_delta` ignored, `np.roll` wrapping pixels
around, one shift for the whole batch, the 8×8 image transposed; and a few more seen in
practice. "Biases penalized" cannot happen through `l2_penalty`'s interface, which is given
the weight matrices only: the closest slip, L2's ½ kept in the gradient, is here instead. The
dropout test also catches a mask drawn from the global generator; that variant is left out
(kfold_splits has one) to keep the dropout pair to six grading rounds, since a
dropout_backward mistake cannot share a round with a dropout_forward one.
The correct ones loop, use other formulas or draw from the generator in another way; one per
function, so that they are graded in a single round.

Every dropout_backward variant reads the solution's cache, ``(scaled mask or None, p)``: a
backward variant is graded with the solution's forward.
"""

from autograder.catalogue import correct, wrong

# Each of these tests uses nothing but its own function. dropout_backward's test calls
# dropout_forward (for the cache), so neither dropout function is independent.
INDEPENDENT = {"l2_penalty", "l1_penalty", "kfold_splits", "early_stopping", "random_shift"}

_DROPOUT_HEAD = """
def dropout_forward(x, p, train, rng):
    if not 0 <= p <= 1:
        raise ValueError(f"p must lie in [0, 1], got {p}")
"""


def _dropout(body: str) -> str:
    return _DROPOUT_HEAD.strip("\n") + "\n" + body.strip("\n") + "\n"


_KFOLD_HEAD = """
def kfold_splits(n, k, rng=None):
    if k < 2 or k > n:
        raise ValueError(f"need 2 <= k <= n, got k={k}, n={n}")
"""


def _kfold(body: str) -> str:
    return _KFOLD_HEAD.strip("\n") + "\n" + body.strip("\n") + "\n"


_STOPPING = """
def early_stopping(val_losses, patience, min_delta=0.0):
    if patience < 1:
        raise ValueError("patience must be >= 1")
    best, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses):
        if {improves}:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch {compare} patience:
            return {best}, epoch
    return {best}, len(val_losses) - 1
"""
_STOPPING_RIGHT = {
    "improves": "loss < best - min_delta",
    "compare": ">=",
    "best": "best_epoch",
}


def _stopping_slip(**slip: str) -> str:
    return _STOPPING.format(**(_STOPPING_RIGHT | slip))


_SHIFT = """
def random_shift(images, max_shift, rng):
    square = images.reshape(-1, 8, 8)
    m, s = len(square), max_shift
    offsets = {offsets}
    padded = np.pad(square.astype(np.float64), ((0, 0), (s, s), (s, s)))
    shifted = np.empty((m, 8, 8))
    for i, (dr, dc) in enumerate(offsets):
        shifted[i] = {take}
    return shifted.reshape(images.shape)
"""
_SHIFT_RIGHT = {
    "offsets": "rng.integers(-s, s + 1, size=(m, 2))",
    "take": "padded[i, s - dr : s - dr + 8, s - dc : s - dc + 8]",
}


def _shift_slip(**slip: str) -> str:
    return _SHIFT.format(**(_SHIFT_RIGHT | slip))


_PENALTY = """
def {name}(weights, lam):
    penalty = {penalty}
    return float(penalty), [{grad} for W in weights]
"""


def _penalty_slip(name: str, penalty: str, grad: str) -> str:
    """A one-line penalty function: ``penalty`` summed over the weights, ``grad`` per W."""
    return _PENALTY.format(name=name, penalty=penalty, grad=grad)


_BACKWARD = """
def dropout_backward(dout, cache):
    mask, p = cache
    if mask is None:
        return dout.copy()
    return {routed}
"""


def _backward_slip(routed: str) -> str:
    """A dropout_backward on the solution's cache that returns ``routed`` in training mode."""
    return _BACKWARD.format(routed=routed)


VARIANTS = [
    # ------------------------------------------------------------------ l2_penalty
    wrong(
        "l2_penalty",
        "no-half",
        "λ·Σ‖W‖² without the ½ (the gradient λW is right)",
        _penalty_slip("l2_penalty", "lam * sum(np.sum(W**2) for W in weights)", "lam * W"),
        hint="the ½ is missing",
    ),
    wrong(
        "l2_penalty",
        "half-in-gradient",
        "keeps the ½ in the gradient too: λ/2·W",
        _penalty_slip(
            "l2_penalty", "0.5 * lam * sum(np.sum(W**2) for W in weights)", "0.5 * lam * W"
        ),
        hint="the ½ of the penalty and the 2 of the square's derivative cancel",
    ),
    wrong(
        "l2_penalty",
        "mean-of-squares",
        "averages the squared entries of each matrix instead of summing them",
        _penalty_slip("l2_penalty", "0.5 * lam * sum(np.mean(W**2) for W in weights)", "lam * W"),
        hint="sum the squared entries",
    ),
    wrong(
        "l2_penalty",
        "float-subclass-liar",
        "returns the right penalty as a float subclass whose == is always True",
        """
        class _Penalty(float):
            def __eq__(self, other):
                return True

            __hash__ = float.__hash__

        def l2_penalty(weights, lam):
            penalty = 0.5 * lam * sum(float(np.sum(W**2)) for W in weights)
            return _Penalty(penalty), [lam * W for W in weights]
    """,
        hint="return plain numbers",
    ),
    correct(
        "l2_penalty",
        "loops",
        "adds up w² entry by entry and builds each gradient with np.multiply",
        """
        def l2_penalty(weights, lam):
            total = 0.0
            grads = []
            for W in weights:
                for w in np.ravel(W):
                    total += w * w
                grads.append(np.multiply(W, lam))
            return lam * total / 2, grads
    """,
    ),
    # ------------------------------------------------------------------ l1_penalty
    wrong(
        "l1_penalty",
        "sign-of-zero-is-one",
        "np.where(W >= 0, 1, -1): the weights at 0 get a push of +λ",
        _penalty_slip(
            "l1_penalty",
            "lam * sum(np.sum(np.abs(W)) for W in weights)",
            "lam * np.where(W >= 0, 1.0, -1.0)",
        ),
        hint="the gradient at w = 0 is 0",
    ),
    wrong(
        "l1_penalty",
        "half-from-l2",
        "λ/2·Σ|W|, the ½ copied from the L2 penalty (the gradient is right)",
        _penalty_slip(
            "l1_penalty", "0.5 * lam * sum(np.sum(np.abs(W)) for W in weights)", "lam * np.sign(W)"
        ),
        hint="the L1 penalty is λ·Σ|w|, without L2's ½",
    ),
    wrong(
        "l1_penalty",
        "l2-gradient",
        "the gradient λ·W of the L2 penalty instead of λ·sign(W)",
        _penalty_slip("l1_penalty", "lam * sum(np.sum(np.abs(W)) for W in weights)", "lam * W"),
        hint="that is L2's gradient λ·w",
    ),
    correct(
        "l1_penalty",
        "where",
        "sign written with two np.where, the penalty with np.linalg.norm(ord=1) of the ravel",
        """
        def l1_penalty(weights, lam):
            penalty = 0.0
            grads = []
            for W in weights:
                penalty += lam * np.linalg.norm(np.ravel(W), ord=1)
                grads.append(lam * np.where(W > 0, 1.0, np.where(W < 0, -1.0, 0.0)))
            return penalty, grads
    """,
    ),
    # ------------------------------------------------------------------ dropout_forward
    wrong(
        "dropout_forward",
        "keep-probability",
        "reads p as the probability of keeping a unit (keeps with p, scales by 1/p)",
        _dropout("""
    if not train or p == 0:
        return x.copy(), (None, p)
    if p == 1:
        return np.zeros(x.shape), (np.zeros(x.shape), p)
    mask = (rng.random(x.shape) < p) / p
    return x * mask, (mask, p)
"""),
        hint="p is the probability of dropping",
    ),
    wrong(
        "dropout_forward",
        "no-inverted-scaling",
        "drops units but does not divide the kept ones by 1 - p",
        _dropout("""
    if not train:
        return x.copy(), (None, p)
    mask = (rng.random(x.shape) >= p).astype(float)
    return x * mask, (mask, p)
"""),
        hint="divides the kept entries by 1 − p",
    ),
    wrong(
        "dropout_forward",
        "scaled-at-test-time",
        "inverted scaling while training and also multiplies by 1 - p at test time",
        _dropout("""
    if not train:
        return x * (1 - p), (None, p)
    if p == 1:
        return np.zeros(x.shape), (np.zeros(x.shape), p)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, (mask, p)
"""),
        hint="the test-time layer is the identity",
    ),
    correct(
        "dropout_forward",
        "binomial",
        "the keep mask from rng.binomial(1, 1 - p), divided with np.divide",
        _dropout("""
    if not train:
        return np.array(x, dtype=float), (None, p)
    keep = rng.binomial(1, 1 - p, size=x.shape)
    scale = 0.0 if p == 1 else 1 / (1 - p)
    mask = keep * scale
    return x * mask, (mask, p)
"""),
    ),
    # ------------------------------------------------------------------ dropout_backward
    wrong(
        "dropout_backward",
        "fresh-mask",
        "draws a new mask in backward (from np.random) instead of the cached one",
        _backward_slip(
            "dout * (np.random.random(dout.shape) >= p) / (1 - p) if p < 1 else 0 * dout"
        ),
        hint="use the mask in the cache",
    ),
    wrong(
        "dropout_backward",
        "unscaled",
        "routes through the mask but forgets the 1/(1 - p) factor",
        _backward_slip("dout * (mask != 0)"),
        hint="scale the gradient of the kept units by 1 / (1 − p)",
    ),
    wrong(
        "dropout_backward",
        "times-keep-probability",
        "multiplies the kept gradients by 1 - p instead of dividing",
        _backward_slip("dout * (mask != 0) * (1 - p)"),
        hint="divide by 1 − p, do not multiply",
    ),
    correct(
        "dropout_backward",
        "where",
        "np.where over the cached mask, returned as a one-element tuple",
        """
        def dropout_backward(dout, cache):
            mask, p = cache
            if mask is None:
                return (np.array(dout, dtype=float),)
            return (np.where(mask != 0, dout * mask, 0.0),)
    """,
    ),
    # ------------------------------------------------------------------ kfold_splits
    wrong(
        "kfold_splits",
        "drops-remainder",
        "folds of n // k each: the n % k leftover indices are never validated",
        _kfold("""
    order = np.arange(n) if rng is None else rng.permutation(n)
    size = n // k
    splits = []
    for i in range(k):
        val = order[i * size : (i + 1) * size]
        splits.append((np.setdiff1d(order, val), val))
    return splits
"""),
        hint="leftover indices must not be dropped",
    ),
    wrong(
        "kfold_splits",
        "larger-folds-last",
        "gives the extra indices to the last n % k folds",
        _kfold("""
    order = np.arange(n) if rng is None else rng.permutation(n)
    sizes = [n // k + (1 if i >= k - n % k else 0) for i in range(k)]
    bounds = np.cumsum([0] + sizes)
    splits = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        splits.append((np.concatenate([order[:start], order[stop:]]), order[start:stop]))
    return splits
"""),
        hint="the first n % k folds get the extra index",
    ),
    wrong(
        "kfold_splits",
        "global-generator",
        "shuffles with np.random.permutation instead of rng",
        _kfold("""
    order = np.arange(n) if rng is None else np.random.permutation(n)
    folds = np.array_split(order, k)
    return [(np.concatenate(folds[:i] + folds[i + 1 :]), fold) for i, fold in enumerate(folds)]
"""),
        hint="draw only from rng",
    ),
    wrong(
        "kfold_splits",
        "overlapping-train",
        "trains on every index, the validation fold included",
        _kfold("""
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [(order.copy(), fold) for fold in np.array_split(order, k)]
"""),
        hint="the fold's own indices must not be in its training indices",
    ),
    correct(
        "kfold_splits",
        "array-split",
        "np.array_split of a shuffled arange (rng.shuffle), trains from a boolean mask",
        _kfold("""
    order = np.arange(n)
    if rng is not None:
        rng.shuffle(order)
    splits = []
    for fold in np.array_split(order, k):
        keep = np.ones(n, dtype=bool)
        keep[fold] = False
        splits.append((np.flatnonzero(keep), fold))
    return splits
"""),
    ),
    # ------------------------------------------------------------------ early_stopping
    wrong(
        "early_stopping",
        "patience-off-by-one",
        "stops only when more than patience epochs have passed without improvement",
        _stopping_slip(compare=">"),
        hint="patience off by one",
    ),
    wrong(
        "early_stopping",
        "best-after-stop",
        "takes the best epoch as the argmin of all losses, after the stop too",
        _stopping_slip(best="int(np.argmin(val_losses))"),
        hint="the best epoch must come from the epochs up to the stop",
    ),
    wrong(
        "early_stopping",
        "min-delta-ignored",
        "counts any decrease as an improvement, whatever min_delta is",
        _stopping_slip(improves="loss < best"),
        hint="an improvement must beat the best loss by more than min_delta",
    ),
    wrong(
        "early_stopping",
        "ties-improve",
        "counts an equal loss as an improvement (<= instead of <)",
        _stopping_slip(improves="loss <= best - min_delta"),
        hint="an equal loss is no improvement",
    ),
    correct(
        "early_stopping",
        "keras-wait",
        "Keras' wait counter, reset on improvement, compared with patience",
        """
        def early_stopping(val_losses, patience, min_delta=0.0):
            if not patience >= 1:
                raise ValueError(f"patience must be a positive number of epochs, not {patience}")
            losses = list(val_losses)
            best = losses[0]
            best_epoch, wait = 0, 0
            for epoch in range(1, len(losses)):
                if losses[epoch] - best < -min_delta:
                    best, best_epoch, wait = losses[epoch], epoch, 0
                else:
                    wait += 1
                    if wait >= patience:
                        return best_epoch, epoch
            return best_epoch, len(losses) - 1
    """,
    ),
    # ------------------------------------------------------------------ random_shift
    wrong(
        "random_shift",
        "np-roll",
        "np.roll by the offsets: the pixels pushed out come back on the other side",
        _shift_slip(take="np.roll(square[i], (dr, dc), axis=(0, 1))"),
        hint="np.roll wraps the pixels around to the other side",
    ),
    wrong(
        "random_shift",
        "one-shift-per-batch",
        "draws one (row, column) offset pair for the whole batch",
        _shift_slip(offsets="np.repeat(rng.integers(-s, s + 1, size=(1, 2)), m, axis=0)"),
        hint="draw two offsets for each image, not one shift for the whole batch",
    ),
    wrong(
        "random_shift",
        "transposed",
        "reshapes each image column by column (order='F'): the 8×8 image comes out transposed",
        """
        def random_shift(images, max_shift, rng):
            m, s = len(images), max_shift
            square = np.reshape(images, (m, 8, 8), order="F")
            offsets = rng.integers(-s, s + 1, size=(m, 2))
            padded = np.pad(square.astype(np.float64), ((0, 0), (s, s), (s, s)))
            shifted = np.empty((m, 8, 8))
            for i, (dr, dc) in enumerate(offsets):
                shifted[i] = padded[i, s - dr : s - dr + 8, s - dc : s - dc + 8]
            return shifted.reshape(images.shape)
    """,
        hint="the image is transposed",
    ),
    wrong(
        "random_shift",
        "high-exclusive",
        "rng.integers(-s, s): the largest shift +max_shift never occurs",
        _shift_slip(offsets="rng.integers(-s, s, size=(m, 2))"),
        hint="the range is inclusive",
    ),
    correct(
        "random_shift",
        "slices",
        "copies the overlapping block of each image with slices, offsets drawn one image at a"
        " time with rng.choice",
        """
        def random_shift(images, max_shift, rng):
            square = np.asarray(images, dtype=np.float64).reshape(-1, 8, 8)
            out = np.zeros_like(square)
            for i in range(len(square)):
                dr, dc = rng.choice(np.arange(-max_shift, max_shift + 1), size=2)
                # a shift up/left by (dr, dc): out[r, c] = image[r + dr, c + dc]
                r0, r1 = max(0, -dr), min(8, 8 - dr)
                c0, c1 = max(0, -dc), min(8, 8 - dc)
                if r0 < r1 and c0 < c1:
                    out[i, r0:r1, c0:c1] = square[i, r0 + dr : r1 + dr, c0 + dc : c1 + dc]
            return out.reshape(np.shape(images))
    """,
    ),
]
