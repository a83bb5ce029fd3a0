"""Wrong and correct implementations of the week-5 graded functions.

The wrong ones are the slips the issue lists: He with fan_out, Xavier with fan_in alone, σ and
σ² confused, the transposed shape, the global NumPy generator, the test set normalized with
its own statistics, the unbiased variance in the normalization, the running variance without
Bessel's correction, running statistics started at zero variance, momentum used the CS231n way
(weight on the old value), test mode that still normalizes with the batch, backward without
the terms through the mean and variance, dgamma summed over the wrong axis; and a few more seen
in practice. (The tests also catch eps outside the square root, a test mode that updates the
running averages, m - 1 in the backward pass and dbeta as a mean; those are left out of the
catalogue to keep CI's grading of this week short: each batch-norm mistake costs a grading
round of its own.)
The correct ones draw in another order or with other generator methods, use loops, the staged
compute graph or the compact formula.

Every batch-norm variant keeps the solution's cache, ``(x, x_hat, mean, var, eps, gamma)``: a
backward variant is graded with the solution's forward, and the correct alternatives of both
are graded together, round by round.
"""

from autograder.catalogue import correct, wrong

# init_weights' and normalize_inputs' tests use nothing but their own function; the test of
# batchnorm_backward calls batchnorm_forward (for the cache), so neither batch-norm function
# is independent.
INDEPENDENT = {"init_weights", "normalize_inputs"}

_INIT_HEAD = """
def init_weights(fan_in, fan_out, method, rng, std=0.01):
    methods = ("zeros", "normal", "uniform", "xavier_uniform", "xavier_normal", "he_uniform",
               "he_normal")
    if method not in methods:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(methods)}")
    if fan_in < 1 or fan_out < 1:
        raise ValueError("fan_in and fan_out must be >= 1")
    shape = (fan_in, fan_out)
"""


def _init(body: str) -> str:
    """An init_weights whose checks are right, followed by ``body`` (indented 4 spaces)."""
    return _INIT_HEAD.strip("\n") + "\n" + body.strip("\n") + "\n"


_INIT_BODY = """
    {before}
    if method == "zeros":
        return np.zeros(shape)
    if method == "normal":
        return {draw}.normal(0.0, std, size=shape)
    if method == "uniform":
        return {draw}.uniform(-{uniform}, {uniform}, size=shape)
    if method == "xavier_uniform":
        a = {xavier_bound}
        return {draw}.uniform(-a, a, size=shape)
    if method == "xavier_normal":
        return {draw}.normal(0.0, {xavier_sigma}, size=shape)
    if method == "he_uniform":
        a = {he_bound}
        return {draw}.uniform(-a, a, size=shape)
    return {draw}.normal(0.0, {he_sigma}, size=shape)
"""
_INIT_RIGHT = {
    "before": "pass",
    "draw": "rng",
    "uniform": "1 / np.sqrt(fan_in)",
    "xavier_bound": "np.sqrt(6 / (fan_in + fan_out))",
    "xavier_sigma": "np.sqrt(2 / (fan_in + fan_out))",
    "he_bound": "np.sqrt(6 / fan_in)",
    "he_sigma": "np.sqrt(2 / fan_in)",
}


def _init_slip(**slip: str) -> str:
    """The solution's init_weights with the pieces in ``slip`` written wrong."""
    return _init(_INIT_BODY.format(**(_INIT_RIGHT | slip)))


_BN_FORWARD_HEAD = """
def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param.get("mode")
    if mode not in ("train", "test"):
        raise ValueError(f"mode must be 'train' or 'test', got {mode!r}")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.1)
    m, d = x.shape
"""


def _forward(body: str) -> str:
    return _BN_FORWARD_HEAD.strip("\n") + "\n" + body.strip("\n") + "\n"


_FORWARD_BODY = """
    bn_param.setdefault("running_mean", np.zeros(d))
    bn_param.setdefault("running_var", {var_start}(d))
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0{ddof})
        bn_param["running_mean"] = {old} * bn_param["running_mean"] + {new} * mean
        bn_param["running_var"] = {old} * bn_param["running_var"] + {new} * {running_stat}
    else:
        mean, var = bn_param["running_mean"], bn_param["running_var"]
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x, x_hat, mean, var, eps, gamma)
"""
_FORWARD_RIGHT = {
    "var_start": "np.ones",
    "ddof": "",
    "old": "(1 - momentum)",
    "new": "momentum",
    "running_stat": "var * m / (m - 1)",
}


def _forward_slip(**slip: str) -> str:
    """The solution's batchnorm_forward (train and test mode) with ``slip`` written wrong."""
    return _forward(_FORWARD_BODY.format(**(_FORWARD_RIGHT | slip)))


VARIANTS = [
    # ------------------------------------------------------------------ init_weights
    wrong(
        "init_weights",
        "he-fan-out",
        "He with fan_out: sqrt(2 / fan_out) and sqrt(6 / fan_out)",
        _init_slip(he_bound="np.sqrt(6 / fan_out)", he_sigma="np.sqrt(2 / fan_out)"),
        hint="He uses fan_in, not fan_out",
    ),
    wrong(
        "init_weights",
        "xavier-fan-in-only",
        "Xavier with fan_in alone: sqrt(1 / fan_in) and sqrt(3 / fan_in)",
        _init_slip(xavier_bound="np.sqrt(3 / fan_in)", xavier_sigma="np.sqrt(1 / fan_in)"),
        hint="Xavier divides by fan_in + fan_out, not by fan_in alone",
    ),
    wrong(
        "init_weights",
        "variance-as-scale",
        "sigma and sigma^2 confused: rng.normal(0, 2 / fan_in) for He and Xavier",
        _init_slip(xavier_sigma="2 / (fan_in + fan_out)", he_sigma="2 / fan_in"),
        hint="rng.normal takes the standard deviation σ, not the variance σ²",
    ),
    wrong(
        "init_weights",
        "transposed",
        "returns the (fan_out, fan_in) array, PyTorch's weight layout",
        _init_slip(before="shape = (fan_out, fan_in)"),
        hint="that is the transpose",
    ),
    wrong(
        "init_weights",
        "global-generator",
        "np.random.normal and np.random.uniform: the global state, not rng",
        _init_slip(draw="np.random"),
        hint="draw only from rng",
    ),
    wrong(
        "init_weights",
        "uniform-one-over-fan-in",
        "the plain uniform bound 1 / fan_in instead of 1 / sqrt(fan_in)",
        _init_slip(uniform="1 / fan_in"),
        hint="the bound is 1/sqrt(fan_in), not 1/fan_in",
    ),
    wrong(
        "init_weights",
        "no-checks",
        "an unknown method falls through to He-normal instead of raising a ValueError",
        """
        def init_weights(fan_in, fan_out, method, rng, std=0.01):
            shape = (fan_in, fan_out)
            if method == "zeros":
                return np.zeros(shape)
            if method == "normal":
                return rng.normal(0.0, std, size=shape)
            if method == "uniform":
                return rng.uniform(-1 / np.sqrt(fan_in), 1 / np.sqrt(fan_in), size=shape)
            if method == "xavier_uniform":
                a = np.sqrt(6 / (fan_in + fan_out))
                return rng.uniform(-a, a, size=shape)
            if method == "xavier_normal":
                return rng.normal(0.0, np.sqrt(2 / (fan_in + fan_out)), size=shape)
            if method == "he_uniform":
                a = np.sqrt(6 / fan_in)
                return rng.uniform(-a, a, size=shape)
            return rng.normal(0.0, np.sqrt(2 / fan_in), size=shape)
    """,
        hint="raise ValueError",
    ),
    correct(
        "init_weights",
        "transpose-and-random",
        "draws (fan_out, fan_in) and transposes it; scales rng.random for the uniform forms",
        _init("""
    if method == "zeros":
        return np.zeros(shape)
    n = fan_in + fan_out
    scale = {
        "normal": std,
        "uniform": 1 / np.sqrt(fan_in),
        "xavier_uniform": np.sqrt(6 / n),
        "xavier_normal": np.sqrt(2 / n),
        "he_uniform": np.sqrt(6 / fan_in),
        "he_normal": np.sqrt(2 / fan_in),
    }[method]
    if method.endswith("uniform"):
        W = scale * (2 * rng.random((fan_out, fan_in)) - 1)
    else:
        W = scale * rng.standard_normal((fan_out, fan_in))
    return W.T
"""),
    ),
    correct(
        "init_weights",
        "loops",
        "a lookup table of scales, then the matrix filled row by row, one draw per row",
        """
        def init_weights(fan_in, fan_out, method, rng, std=0.01):
            table = {
                "zeros": ("zeros", 0.0),
                "normal": ("normal", std),
                "uniform": ("uniform", (1 / fan_in) ** 0.5 if fan_in > 0 else 0),
                "xavier_uniform": ("uniform", (6 / max(fan_in + fan_out, 1)) ** 0.5),
                "xavier_normal": ("normal", (2 / max(fan_in + fan_out, 1)) ** 0.5),
                "he_uniform": ("uniform", (6 / fan_in) ** 0.5 if fan_in > 0 else 0),
                "he_normal": ("normal", (2 / fan_in) ** 0.5 if fan_in > 0 else 0),
            }
            if method not in table:
                raise ValueError(f"method must be one of {sorted(table)}, not {method!r}")
            if min(fan_in, fan_out) <= 0:
                raise ValueError(f"sizes must be positive: {fan_in}, {fan_out}")
            kind, scale = table[method]
            W = np.zeros((fan_in, fan_out), dtype=np.float64)
            for i in range(fan_in):  # one row of draws per input
                if kind == "normal":
                    W[i] = rng.normal(0.0, scale, size=fan_out)
                elif kind == "uniform":
                    W[i] = rng.uniform(-scale, scale, size=fan_out)
            return W
    """,
    ),
    # ------------------------------------------------------------------ normalize_inputs
    wrong(
        "normalize_inputs",
        "test-own-statistics",
        "normalizes the test set with its own mean and standard deviation",
        """
        def normalize_inputs(X_train, X_test):
            def scaled(X):
                std = X.std(axis=0)
                std = np.where(std == 0, 1.0, std)
                return (X - X.mean(axis=0)) / std, X.mean(axis=0), std

            X_train_n, mean, std = scaled(X_train)
            X_test_n, _, _ = scaled(X_test)
            return X_train_n, X_test_n, mean, std
    """,
        hint="with the training set's mean and std, not its own",
    ),
    wrong(
        "normalize_inputs",
        "sample-std",
        "the sample standard deviation (ddof=1)",
        """
        def normalize_inputs(X_train, X_test):
            mean = X_train.mean(axis=0)
            std = X_train.std(axis=0, ddof=1) if len(X_train) > 1 else np.zeros(X_train.shape[1])
            std = np.where(std == 0, 1.0, std)
            return (X_train - mean) / std, (X_test - mean) / std, mean, std
    """,
        hint="use the population std (ddof=0), not the sample std (ddof=1)",
    ),
    wrong(
        "normalize_inputs",
        "divides-by-zero",
        "no special case for a constant feature: nan and inf",
        """
        def normalize_inputs(X_train, X_test):
            mean = X_train.mean(axis=0)
            std = X_train.std(axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                return (X_train - mean) / std, (X_test - mean) / std, mean, std
    """,
        hint="gets std 1",
    ),
    wrong(
        "normalize_inputs",
        "in-place",
        "subtracts and divides in place: the caller's arrays change",
        """
        def normalize_inputs(X_train, X_test):
            mean = X_train.mean(axis=0)
            std = X_train.std(axis=0)
            std = np.where(std == 0, 1.0, std)
            X_train -= mean
            X_train /= std
            X_test -= mean
            X_test /= std
            return X_train, X_test, mean, std
    """,
        hint="the caller's arrays must stay as they were",
    ),
    wrong(
        "normalize_inputs",
        "global-statistics",
        "one mean and one std over the whole array instead of per feature",
        """
        def normalize_inputs(X_train, X_test):
            mean = np.full(X_train.shape[1], X_train.mean())
            std = np.full(X_train.shape[1], X_train.std() or 1.0)
            return (X_train - mean) / std, (X_test - mean) / std, mean, std
    """,
        hint="each feature (column) has its own mean and std",
    ),
    correct(
        "normalize_inputs",
        "loops",
        "feature by feature with explicit sums",
        """
        def normalize_inputs(X_train, X_test):
            m, n = X_train.shape
            mean, std = np.zeros(n), np.ones(n)
            X_train_n, X_test_n = np.array(X_train, dtype=float), np.array(X_test, dtype=float)
            for j in range(n):
                mean[j] = sum(X_train[:, j]) / m
                var = sum((X_train[:, j] - mean[j]) ** 2) / m
                if var > 0:
                    std[j] = var**0.5
                X_train_n[:, j] = (X_train[:, j] - mean[j]) / std[j]
                X_test_n[:, j] = (X_test[:, j] - mean[j]) / std[j]
            return X_train_n, X_test_n, mean, std
    """,
    ),
    # ------------------------------------------------------------------ batchnorm_forward
    wrong(
        "batchnorm_forward",
        "unbiased-normalization",
        "normalizes with the unbiased batch variance (ddof=1)",
        _forward_slip(ddof=", ddof=1", running_stat="var"),
        hint="normalize with the biased batch variance (divide by m)",
    ),
    wrong(
        "batchnorm_forward",
        "running-var-biased",
        "the running variance averages the biased batch variance (no Bessel correction)",
        _forward_slip(running_stat="var"),
        hint="the running variance averages the unbiased batch variance (divide by m - 1)",
    ),
    wrong(
        "batchnorm_forward",
        "running-var-from-zero",
        "the running variance starts at zeros instead of ones",
        _forward_slip(var_start="np.zeros"),
        hint="the running variance starts at ones, the running mean at zeros",
    ),
    wrong(
        "batchnorm_forward",
        "cs231n-momentum",
        "momentum as the weight of the old value: momentum * running + (1 - momentum) * new",
        _forward_slip(old="momentum", new="(1 - momentum)"),
        hint="momentum is the weight of the new batch statistic",
    ),
    wrong(
        "batchnorm_forward",
        "test-uses-batch",
        "test mode still normalizes with the batch's own statistics",
        _forward("""
    bn_param.setdefault("running_mean", np.zeros(d))
    bn_param.setdefault("running_var", np.ones(d))
    mean, var = x.mean(axis=0), x.var(axis=0)
    if mode == "train":
        bn_param["running_mean"] = (1 - momentum) * bn_param["running_mean"] + momentum * mean
        bn_param["running_var"] = (1 - momentum) * bn_param["running_var"] + momentum * (
            var * m / (m - 1)
        )
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x, x_hat, mean, var, eps, gamma)
"""),
        hint="in test mode, normalize with the running averages, not the batch's statistics",
    ),
    correct(
        "batchnorm_forward",
        "loops-and-increments",
        "feature by feature; running += momentum * (statistic - running); setdefault",
        """
        def batchnorm_forward(x, gamma, beta, bn_param):
            if bn_param.get("mode") == "train":
                train = True
            elif bn_param.get("mode") == "test":
                train = False
            else:
                raise ValueError("bn_param['mode'] must be 'train' or 'test'")
            eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.1)
            m, d = x.shape
            rm = bn_param.setdefault("running_mean", np.zeros(d))
            rv = bn_param.setdefault("running_var", np.ones(d))
            out, x_hat = np.empty((m, d)), np.empty((m, d))
            mean, var = np.empty(d), np.empty(d)
            new_rm, new_rv = np.array(rm, dtype=float), np.array(rv, dtype=float)
            for j in range(d):
                if train:
                    mean[j] = sum(x[:, j]) / m
                    ss = sum((x[:, j] - mean[j]) ** 2)
                    var[j] = ss / m
                    new_rm[j] += momentum * (mean[j] - new_rm[j])
                    new_rv[j] += momentum * (ss / (m - 1) - new_rv[j])
                else:
                    mean[j], var[j] = rm[j], rv[j]
                x_hat[:, j] = (x[:, j] - mean[j]) / (var[j] + eps) ** 0.5
                out[:, j] = gamma[j] * x_hat[:, j] + beta[j]
            if train:
                bn_param["running_mean"], bn_param["running_var"] = new_rm, new_rv
            return out, (x, x_hat, mean, var, eps, gamma)
    """,
    ),
    correct(
        "batchnorm_forward",
        "in-place-running",
        "updates the running arrays in place (*= and +=); the variance as a mean of squares",
        _forward("""
    if "running_mean" not in bn_param:
        bn_param["running_mean"] = np.zeros(d)
        bn_param["running_var"] = np.ones(d)
    if mode == "train":
        mean = np.sum(x, axis=0) / m
        var = np.mean((x - mean) ** 2, axis=0)
        bn_param["running_mean"] *= 1 - momentum
        bn_param["running_mean"] += momentum * mean
        bn_param["running_var"] *= 1 - momentum
        bn_param["running_var"] += momentum * np.var(x, axis=0, ddof=1)
    else:
        mean, var = bn_param["running_mean"].copy(), bn_param["running_var"].copy()
    inv_std = (var + eps) ** -0.5
    x_hat = (x - mean) * inv_std
    return x_hat * gamma + beta, (x, x_hat, mean, var, eps, gamma)
"""),
    ),
    # ------------------------------------------------------------------ batchnorm_backward
    wrong(
        "batchnorm_backward",
        "no-batch-terms",
        "dx = gamma * dout / sigma: treats the batch mean and variance as constants",
        """
        def batchnorm_backward(dout, cache):
            x, x_hat, mean, var, eps, gamma = cache
            dx = gamma * dout / np.sqrt(var + eps)
            return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
    """,
        hint="the paths through the batch mean and variance",
    ),
    wrong(
        "batchnorm_backward",
        "no-variance-term",
        "the paths through the mean, but not through the variance",
        """
        def batchnorm_backward(dout, cache):
            x, x_hat, mean, var, eps, gamma = cache
            dx_hat = gamma * dout
            dx = (dx_hat - dx_hat.mean(axis=0)) / np.sqrt(var + eps)
            return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
    """,
        hint="dx is missing the path through the batch variance",
    ),
    wrong(
        "batchnorm_backward",
        "dgamma-wrong-axis",
        "dgamma and dbeta summed over the features (axis 1) instead of the batch",
        """
        def batchnorm_backward(dout, cache):
            x, x_hat, mean, var, eps, gamma = cache
            m = dout.shape[0]
            dgamma0 = np.sum(dout * x_hat, axis=0)
            dx = gamma / np.sqrt(var + eps) * (dout - dout.mean(axis=0) - x_hat * dgamma0 / m)
            return dx, np.sum(dout * x_hat, axis=1), np.sum(dout, axis=1)
    """,
        hint="sum over the batch (axis 0), not over the features",
    ),
    correct(
        "batchnorm_backward",
        "staged-graph",
        "walks the compute graph back stage by stage (x - mu, its square, the variance, ...)",
        """
        def batchnorm_backward(dout, cache):
            x, x_hat, mean, var, eps, gamma = cache
            m = x.shape[0]
            xmu = x - mean
            sqrtvar = np.sqrt(var + eps)
            ivar = 1.0 / sqrtvar
            dbeta = np.sum(dout, axis=0)
            dgamma = np.sum(dout * xmu * ivar, axis=0)
            dxhat = dout * gamma
            divar = np.sum(dxhat * xmu, axis=0)
            dxmu1 = dxhat * ivar
            dsqrtvar = -divar / sqrtvar**2
            dvar = 0.5 * dsqrtvar / sqrtvar
            dsq = np.ones_like(x) * dvar / m
            dxmu2 = 2 * xmu * dsq
            dx1 = dxmu1 + dxmu2
            dmu = -np.sum(dx1, axis=0)
            dx = dx1 + dmu / m
            return dx, dgamma, dbeta
    """,
    ),
    correct(
        "batchnorm_backward",
        "loops",
        "entry by entry: the Jacobian of each feature's column, summed against dout",
        """
        def batchnorm_backward(dout, cache):
            x, x_hat, mean, var, eps, gamma = cache
            m, d = x.shape
            dx = np.zeros((m, d))
            dgamma, dbeta = np.zeros(d), np.zeros(d)
            for j in range(d):
                s = (var[j] + eps) ** 0.5
                for i in range(m):
                    dbeta[j] += dout[i, j]
                    dgamma[j] += dout[i, j] * x_hat[i, j]
                for k in range(m):
                    total = 0.0
                    for i in range(m):
                        dxhat_dxk = ((i == k) - 1 / m) / s - x_hat[i, j] * x_hat[k, j] / (m * s)
                        total += dout[i, j] * gamma[j] * dxhat_dxk
                    dx[k, j] = total
            return dx, dgamma, dbeta
    """,
    ),
    # ------------------------------------------------------------------ objects that lie
    # The right answer, computed honestly, inside an object of its own class whose comparisons
    # always say "equal": the tests must reject it by its type (issue 13).
    wrong(
        "init_weights",
        "ndarray-subclass-liar",
        "returns right weights as an ndarray subclass whose == is always True",
        _init("""
    import numpy as np

    class _Weights(np.ndarray):
        def __eq__(self, other):
            return np.ones(np.shape(self), dtype=bool)

    if method == "zeros":
        W = np.zeros(shape)
    elif method == "normal":
        W = rng.normal(0.0, std, size=shape)
    elif method.endswith("uniform"):
        a = {
            "uniform": 1 / np.sqrt(fan_in),
            "xavier_uniform": np.sqrt(6 / (fan_in + fan_out)),
            "he_uniform": np.sqrt(6 / fan_in),
        }[method]
        W = rng.uniform(-a, a, size=shape)
    else:
        n = fan_in + fan_out if method == "xavier_normal" else fan_in
        W = rng.normal(0.0, np.sqrt(2 / n), size=shape)
    return W.view(_Weights)
"""),
        hint="return plain numbers",
    ),
    wrong(
        "normalize_inputs",
        "tuple-subclass-liar",
        "returns the right four arrays in a tuple subclass whose == is always True",
        """
        class _Four(tuple):
            def __eq__(self, other):
                return True

            __hash__ = tuple.__hash__

        def normalize_inputs(X_train, X_test):
            mean = X_train.mean(axis=0)
            std = X_train.std(axis=0)
            std = np.where(std == 0, 1.0, std)
            return _Four(((X_train - mean) / std, (X_test - mean) / std, mean, std))
    """,
        hint="return plain numbers",
    ),
]
