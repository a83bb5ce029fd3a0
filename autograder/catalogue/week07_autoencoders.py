"""Wrong and correct implementations of the week-7 graded functions.

The wrong ones are the slips the issue lists: Gaussian noise with σ² where σ belongs, masking
that keeps entries with probability ``level`` instead of dropping them, corrupting the caller's
array in place, salt and pepper that is all salt; ρ and ρ̂ swapped in the KL divergence, its
gradient with the wrong sign, the (1 − ρ) term left out; the loss without its ½ or without its
1/m, the sparsity gradient not passed through the sigmoid's derivative, and ρ̂ averaged over
the code units instead of the examples. One more per week returns a right answer inside an
object that lies when it is compared (issue 13).
The correct ones draw with other generator methods (``rng.binomial``, ``rng.choice``,
``standard_normal``), write the divergence with logarithms of differences, and accumulate the
loss and gradients one example at a time.
"""

from autograder.catalogue import correct, wrong

# Each test uses nothing but its own function, the setup cell and dlcourse, and no solution
# or variant calls another graded function: all three are independent, so one mistake of each
# shares a grading round (four rounds of wrong variants in all).
INDEPENDENT = {"corrupt", "kl_sparsity", "autoencoder_loss"}

_CORRUPT = """
def corrupt(X, kind, level, rng):
    kinds = ("gaussian", "masking", "salt_pepper")
    if kind not in kinds:
        raise ValueError(f"unknown kind {{kind!r}}; choose one of {{', '.join(kinds)}}")
    if level < 0:
        raise ValueError(f"level must be >= 0, got {{level}}")
    if kind == "gaussian":
        {gaussian}
    if level > 1:
        raise ValueError(f"level is a probability, at most 1; got {{level}}")
    {masking}
    salt = rng.random(X.shape) < 0.5
    return {salt_pepper}
"""
_CORRUPT_RIGHT = {
    "gaussian": "return X + rng.normal(0.0, level, size=X.shape)",
    "masking": """hit = rng.random(X.shape) < level
    if kind == "masking":
        return np.where(hit, 0.0, X)""",
    "salt_pepper": "np.where(hit, np.where(salt, X.max(), X.min()), X)",
}


def _corrupt_slip(**slip: str) -> str:
    """The solution's corrupt with the pieces in ``slip`` written wrong."""
    return _CORRUPT.format(**(_CORRUPT_RIGHT | slip)).strip("\n") + "\n"


_KL = """
def kl_sparsity(rho, rho_hat):
    penalty = {penalty}
    grad = {grad}
    return float(penalty), grad
"""
_KL_RIGHT = {
    "penalty": "np.sum(rho * np.log(rho / rho_hat)"
    " + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))",
    "grad": "-rho / rho_hat + (1 - rho) / (1 - rho_hat)",
}


def _kl_slip(**slip: str) -> str:
    """The solution's kl_sparsity with the pieces in ``slip`` written wrong."""
    return _KL.format(**(_KL_RIGHT | slip)).strip("\n") + "\n"


_LOSS = """
def autoencoder_loss(params, X, X_target, sparsity=None):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    H = 1 / (1 + np.exp(-(X @ W1 + b1)))
    diff = H @ W2 + b2 - X_target
    loss = np.sum(diff**2) / ({denominator})
    delta = diff / {per_example}
    dH = delta @ W2.T
    dZ_extra = 0.0
    if sparsity is not None:
        rho, beta = sparsity
        rho_hat = {rho_hat}
        kl = rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
        loss += beta * np.sum(kl)
        d_penalty = beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat)) / {rho_hat_count}
        {add_penalty}
    dZ = dH * H * (1 - H) + dZ_extra
    grads = {{"W1": X.T @ dZ, "b1": dZ.sum(axis=0), "W2": H.T @ delta, "b2": delta.sum(axis=0)}}
    return float(loss), grads
"""
_LOSS_RIGHT = {
    "denominator": "2 * m",
    "per_example": "m",
    "rho_hat": "H.mean(axis=0)",
    "rho_hat_count": "m",
    "add_penalty": "dH = dH + d_penalty",
}


def _loss_slip(**slip: str) -> str:
    """The solution's autoencoder_loss with the pieces in ``slip`` written wrong."""
    return _LOSS.format(**(_LOSS_RIGHT | slip)).strip("\n") + "\n"


VARIANTS = [
    # ------------------------------------------------------------------ corrupt
    wrong(
        "corrupt",
        "variance-as-scale",
        "Gaussian noise drawn with standard deviation level**2 (σ² where σ belongs)",
        _corrupt_slip(gaussian="return X + rng.normal(0.0, level**2, size=X.shape)"),
        hint="level is the standard deviation σ",
    ),
    wrong(
        "corrupt",
        "mask-keeps-with-level",
        "masking keeps each entry with probability level instead of zeroing it with level",
        _corrupt_slip(
            masking="""hit = rng.random(X.shape) < level
    if kind == "masking":
        return np.where(hit, X, 0.0)"""
        ),
        hint="level is the probability of masking an entry, not of keeping it",
    ),
    wrong(
        "corrupt",
        "in-place",
        "corrupts the caller's X in place and returns it",
        _corrupt_slip(
            gaussian="""X += rng.normal(0.0, level, size=X.shape)
        return X""",
            masking="""hit = rng.random(X.shape) < level
    if kind == "masking":
        X[hit] = 0.0
        return X""",
        ),
        hint="the caller's arrays must stay as they were",
    ),
    wrong(
        "corrupt",
        "all-salt",
        "salt and pepper sets every corrupted entry to the maximum (all salt, no pepper)",
        _corrupt_slip(salt_pepper="np.where(hit, X.max(), X)"),
        hint="half of the corrupted entries get the minimum (pepper)",
    ),
    correct(
        "corrupt",
        "binomial-and-choice",
        "level * standard_normal, a binomial mask, rng.choice between the minimum and maximum",
        """
        def corrupt(X, kind, level, rng):
            if kind not in ("gaussian", "masking", "salt_pepper"):
                raise ValueError("kind must be 'gaussian', 'masking' or 'salt_pepper'")
            if level < 0 or (kind != "gaussian" and level > 1):
                raise ValueError(f"bad level {level} for {kind}")
            out = np.array(X, dtype=np.float64, copy=True)
            if kind == "gaussian":
                return out + level * rng.standard_normal(out.shape)
            hit = rng.binomial(1, level, size=out.shape).astype(bool)
            if kind == "masking":
                out[hit] = 0.0
            else:
                out[hit] = rng.choice([X.min(), X.max()], size=int(hit.sum()))
            return out
    """,
    ),
    # ------------------------------------------------------------------ kl_sparsity
    wrong(
        "kl_sparsity",
        "swapped",
        "KL(rho_hat || rho) instead of KL(rho || rho_hat), and its derivative",
        _kl_slip(
            penalty="np.sum(rho_hat * np.log(rho_hat / rho)"
            " + (1 - rho_hat) * np.log((1 - rho_hat) / (1 - rho)))",
            grad="np.log(rho_hat / rho) - np.log((1 - rho_hat) / (1 - rho))",
        ),
        hint="the divergence is KL(rho || rho_hat)",
    ),
    wrong(
        "kl_sparsity",
        "gradient-sign",
        "the gradient with the wrong sign: rho / rho_hat - (1 - rho) / (1 - rho_hat)",
        _kl_slip(grad="rho / rho_hat - (1 - rho) / (1 - rho_hat)"),
        hint="the sign is flipped",
    ),
    wrong(
        "kl_sparsity",
        "one-term",
        "only the rho log(rho / rho_hat) term of the divergence (and of its gradient)",
        _kl_slip(penalty="np.sum(rho * np.log(rho / rho_hat))", grad="-rho / rho_hat"),
        hint="KL between two coins has two terms",
    ),
    wrong(
        "kl_sparsity",
        "float-subclass-liar",
        "returns the right penalty as a float subclass whose == is always True",
        """
        class _Penalty(float):
            def __eq__(self, other):
                return True

            __hash__ = float.__hash__

        def kl_sparsity(rho, rho_hat):
            penalty = np.sum(
                rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
            )
            return _Penalty(penalty), -rho / rho_hat + (1 - rho) / (1 - rho_hat)
    """,
        hint="return plain numbers",
    ),
    correct(
        "kl_sparsity",
        "log-differences",
        "logarithms of differences with log1p, a loop over the code units",
        """
        def kl_sparsity(rho, rho_hat):
            penalty = 0.0
            grad = np.empty(len(rho_hat))
            for j, q in enumerate(rho_hat):
                penalty += rho * (np.log(rho) - np.log(q))
                penalty += (1 - rho) * (np.log1p(-rho) - np.log1p(-q))
                grad[j] = (q - rho) / (q * (1 - q))
            return penalty, grad
    """,
    ),
    # ------------------------------------------------------------------ autoencoder_loss
    wrong(
        "autoencoder_loss",
        "no-half",
        "the loss 1/m * sum of squares: the 1/2 missing (and the gradients twice too large)",
        _loss_slip(denominator="m", per_example="(m / 2)"),
        hint="the loss is 1/(2m) times the sum",
    ),
    wrong(
        "autoencoder_loss",
        "no-mean",
        "the loss 1/2 * sum of squares: the 1/m missing, in the loss and the gradients",
        _loss_slip(denominator="2", per_example="1"),
        hint="the loss is a mean over the m examples",
    ),
    wrong(
        "autoencoder_loss",
        "penalty-skips-sigmoid",
        "the sparsity term's gradient added to dZ, not passed through the sigmoid's derivative",
        _loss_slip(add_penalty="dZ_extra = d_penalty"),
        hint="back through the sigmoid's derivative",
    ),
    wrong(
        "autoencoder_loss",
        "rho-hat-over-units",
        "rho_hat averaged over the code units of each example (axis 1) instead of over the batch",
        _loss_slip(rho_hat="H.mean(axis=1, keepdims=True)", rho_hat_count="H.shape[1]"),
        hint="over the examples (axis 0)",
    ),
    correct(
        "autoencoder_loss",
        "one-example-at-a-time",
        "the loss and gradients accumulated example by example, sigmoid written with tanh",
        """
        def autoencoder_loss(params, X, X_target, sparsity=None):
            W1, b1, W2, b2 = (np.asarray(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
            m = len(X)
            H = 0.5 * (1 + np.tanh((X @ W1 + b1) / 2))
            extra = np.zeros(W1.shape[1])
            loss = 0.0
            if sparsity is not None:
                rho, beta = sparsity
                q = H.sum(axis=0) / m
                loss += beta * sum(
                    rho * np.log(rho / qj) + (1 - rho) * np.log((1 - rho) / (1 - qj)) for qj in q
                )
                extra = beta * (q - rho) / (q * (1 - q)) / m
            names = ("W1", "b1", "W2", "b2")
            grads = {k: np.zeros_like(v) for k, v in zip(names, (W1, b1, W2, b2))}
            for x, h, target in zip(X, H, X_target):
                e = h @ W2 + b2 - target
                loss += e @ e / (2 * m)
                grads["W2"] += np.outer(h, e) / m
                grads["b2"] += e / m
                dz = (W2 @ e / m + extra) * h * (1 - h)
                grads["W1"] += np.outer(x, dz)
                grads["b1"] += dz
            return loss, grads
    """,
    ),
]
