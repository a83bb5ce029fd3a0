"""Wrong and correct implementations of the week-4 graded functions.

The wrong update rules are the slips the issue lists (no bias correction, beta1 in v's
correction, eps inside the square root, t starting at 0, the (1 - beta) form of momentum,
Nesterov written as plain momentum, AdaGrad without accumulation, alpha and 1 - alpha
swapped, ...) and a few more seen in practice (state kept in globals, the caller's gradient
changed through a reference kept in the state).
"""

from autograder.catalogue import correct, wrong

# Each test cell calls only its own function and the setup cell's helpers, and no solution
# function calls another graded function, so every week-4 test is independent.
INDEPENDENT = {
    "minibatches",
    "ewa",
    "sgd_step",
    "momentum_step",
    "adagrad_step",
    "rmsprop_step",
    "adadelta_step",
    "adam_step",
    "step_decay",
    "exponential_decay",
    "inverse_time_decay",
    "clip_grad_norm",
}

VARIANTS = [
    # ------------------------------------------------------------------ minibatches
    wrong(
        "minibatches",
        "drop-last",
        "range(m // batch_size) batches: the last, smaller batch is dropped",
        """
        def minibatches(X, y, batch_size, rng=None):
            order = np.arange(len(y)) if rng is None else rng.permutation(len(y))
            for k in range(len(y) // batch_size):
                rows = order[k * batch_size : (k + 1) * batch_size]
                yield X[rows], y[rows]
    """,
    ),
    wrong(
        "minibatches",
        "shuffled-apart",
        "X and y shuffled with two different permutations: labels no longer match",
        """
        def minibatches(X, y, batch_size, rng=None):
            if rng is not None:
                X, y = X[rng.permutation(len(y))], y[rng.permutation(len(y))]
            for start in range(0, len(y), batch_size):
                yield X[start : start + batch_size], y[start : start + batch_size]
    """,
    ),
    wrong(
        "minibatches",
        "shuffle-in-place",
        "rng.shuffle(X) and rng.shuffle(y): shuffles the caller's arrays, and apart",
        """
        def minibatches(X, y, batch_size, rng=None):
            if rng is not None:
                rng.shuffle(X)
                rng.shuffle(y)
            for start in range(0, len(y), batch_size):
                yield X[start : start + batch_size], y[start : start + batch_size]
    """,
    ),
    wrong(
        "minibatches",
        "global-random",
        "np.random.permutation: the global state, not the rng it was given",
        """
        def minibatches(X, y, batch_size, rng=None):
            order = np.arange(len(y)) if rng is None else np.random.permutation(len(y))
            for start in range(0, len(y), batch_size):
                rows = order[start : start + batch_size]
                yield X[rows], y[rows]
    """,
    ),
    wrong(
        "minibatches",
        "never-shuffles",
        "ignores rng: every epoch sees the examples in the same order",
        """
        def minibatches(X, y, batch_size, rng=None):
            for start in range(0, len(y), batch_size):
                yield X[start : start + batch_size], y[start : start + batch_size]
    """,
    ),
    wrong(
        "minibatches",
        "reseeded",
        "makes a new Generator from a fixed seed inside: every epoch has the same order",
        """
        def minibatches(X, y, batch_size, rng=None):
            order = np.arange(len(y))
            if rng is not None:
                order = np.random.default_rng(0).permutation(len(y))
            for start in range(0, len(y), batch_size):
                rows = order[start : start + batch_size]
                yield X[rows], y[rows]
    """,
    ),
    wrong(
        "minibatches",
        "array-split",
        "np.array_split into ceil(m / batch_size) near-equal parts: wrong batch sizes",
        """
        def minibatches(X, y, batch_size, rng=None):
            order = np.arange(len(y)) if rng is None else rng.permutation(len(y))
            n_batches = -(-len(y) // batch_size)
            return [(X[rows], y[rows]) for rows in np.array_split(order, n_batches)]
    """,
    ),
    correct(
        "minibatches",
        "shuffle-indices-list",
        "shuffles an index array with rng.shuffle and returns a list",
        """
        def minibatches(X, y, batch_size, rng=None):
            order = np.arange(X.shape[0])
            if rng is not None:
                rng.shuffle(order)
            return [
                (X[order[i : i + batch_size]], y[order[i : i + batch_size]])
                for i in range(0, len(order), batch_size)
            ]
    """,
    ),
    correct(
        "minibatches",
        "choice-then-slice",
        "rng.choice without replacement, reorders the data once, then slices",
        """
        def minibatches(X, y, batch_size, rng=None):
            if rng is not None:
                order = rng.choice(len(y), size=len(y), replace=False)
                X, y = X[order], y[order]
            start = 0
            while start < len(y):
                yield X[start : start + batch_size], y[start : start + batch_size]
                start += batch_size
    """,
    ),
    # ------------------------------------------------------------------ ewa
    wrong(
        "ewa",
        "start-at-first",
        "starts from v_0 = theta_1 instead of 0",
        """
        def ewa(values, beta, bias_correction=False):
            v, out = values[0], []
            for t, theta in enumerate(values, start=1):
                v = beta * v + (1 - beta) * theta
                out.append(v / (1 - beta**t) if bias_correction else v)
            return np.array(out)
    """,
        hint="start from v_0 = 0, not from the first value",
    ),
    wrong(
        "ewa",
        "swapped",
        "beta and 1 - beta swapped: v = (1 - beta) v + beta theta",
        """
        def ewa(values, beta, bias_correction=False):
            v, out = 0.0, []
            for t, theta in enumerate(values, start=1):
                v = (1 - beta) * v + beta * theta
                out.append(v / (1 - beta**t) if bias_correction else v)
            return np.array(out)
    """,
        hint="beta multiplies the old average and (1 - beta) the new",
    ),
    wrong(
        "ewa",
        "t-from-0",
        "bias correction with t counted from 0: divides by 1 - beta**0 = 0 first",
        """
        def ewa(values, beta, bias_correction=False):
            v, out = 0.0, []
            for t, theta in enumerate(values):
                v = beta * v + (1 - beta) * theta
                out.append(v / (1 - beta**t) if bias_correction else v)
            return np.array(out)
    """,
        hint="the result contains nan or inf",
    ),
    wrong(
        "ewa",
        "corrected-feedback",
        "feeds the corrected value back into the recursion",
        """
        def ewa(values, beta, bias_correction=False):
            v, out = 0.0, []
            for t, theta in enumerate(values, start=1):
                v = beta * v + (1 - beta) * theta
                if bias_correction:
                    v = v / (1 - beta**t)
                out.append(v)
            return np.array(out)
    """,
        hint="the recursion runs on the plain v_t",
    ),
    wrong(
        "ewa",
        "includes-v0",
        "returns v_0, ..., v_{T-1}: the list starts with the initial 0",
        """
        def ewa(values, beta, bias_correction=False):
            v, out = 0.0, []
            for t, theta in enumerate(values, start=1):
                out.append(v / (1 - beta ** (t - 1)) if bias_correction and t > 1 else v)
                v = beta * v + (1 - beta) * theta
            return np.array(out)
    """,
        hint="leave out the starting v_0 = 0",
    ),
    correct(
        "ewa",
        "closed-form",
        "the unrolled sum with a matrix of weights (1 - beta) beta^(t - k)",
        """
        def ewa(values, beta, bias_correction=False):
            T = len(values)
            t = np.arange(1, T + 1)
            gap = t[:, None] - t[None, :]
            weights = np.where(gap >= 0, (1 - beta) * beta ** np.maximum(gap, 0), 0.0)
            v = weights @ np.asarray(values, dtype=float)
            return v / (1 - beta**t) if bias_correction else v
    """,
    ),
    correct(
        "ewa",
        "list-and-powers",
        "a list of averages, then corrects them all at the end",
        """
        def ewa(values, beta, bias_correction=False):
            averages = []
            v = 0
            for theta in values:
                v = beta * v + (1 - beta) * theta
                averages.append(v)
            averages = np.array(averages, dtype=float)
            if bias_correction:
                averages = averages / (1 - beta ** np.arange(1, len(averages) + 1))
            return averages
    """,
    ),
    # ------------------------------------------------------------------ sgd_step
    wrong(
        "sgd_step",
        "plus",
        "w + lr dw: steps uphill",
        """
        def sgd_step(w, dw, state, lr=1e-3):
            return w + lr * dw
    """,
        hint="step against the gradient",
    ),
    wrong(
        "sgd_step",
        "in-place",
        "w -= lr * dw: changes the caller's array",
        """
        def sgd_step(w, dw, state, lr=1e-3):
            w -= lr * dw
            return w
    """,
    ),
    wrong(
        "sgd_step",
        "default-lr",
        "default lr = 0.01 instead of PyTorch's 1e-3",
        """
        def sgd_step(w, dw, state, lr=0.01):
            return w - lr * dw
    """,
        hint="PyTorch's default lr is 1e-3",
    ),
    wrong(
        "sgd_step",
        "returns-step",
        "returns the step lr * dw instead of the new w",
        """
        def sgd_step(w, dw, state, lr=1e-3):
            return -lr * dw
    """,
        hint="return the new w",
    ),
    correct(
        "sgd_step",
        "subtract",
        "np.subtract, and copies the result into state for no reason",
        """
        def sgd_step(w, dw, state, lr=1e-3):
            new_w = np.subtract(w, lr * dw)
            state["last"] = new_w.copy()
            return new_w
    """,
    ),
    # ------------------------------------------------------------------ momentum_step
    wrong(
        "momentum_step",
        "one-minus-beta",
        "Ng's form v = beta v + (1 - beta) dw instead of PyTorch's",
        """
        def momentum_step(w, dw, state, lr=1e-3, beta=0.9, nesterov=False):
            state["v"] = beta * state.get("v", 0.0) + (1 - beta) * dw
            direction = dw + beta * state["v"] if nesterov else state["v"]
            return w - lr * direction
    """,
        hint="PyTorch's velocity is v = beta * v + dw, without the factor",
    ),
    wrong(
        "momentum_step",
        "nesterov-ignored",
        "nesterov=True takes the same step as plain momentum",
        """
        def momentum_step(w, dw, state, lr=1e-3, beta=0.9, nesterov=False):
            state["v"] = beta * state.get("v", 0.0) + dw
            return w - lr * state["v"]
    """,
        hint="with nesterov=True the step is along dw + beta * v, not v",
    ),
    wrong(
        "momentum_step",
        "nesterov-old-v",
        "Nesterov's look-ahead uses the velocity from before this step",
        """
        def momentum_step(w, dw, state, lr=1e-3, beta=0.9, nesterov=False):
            old = state.get("v", 0.0)
            state["v"] = beta * old + dw
            direction = dw + beta * old if nesterov else state["v"]
            return w - lr * direction
    """,
        hint="with nesterov=True the step is along dw + beta * v, not v",
    ),
    wrong(
        "momentum_step",
        "aliased-gradient",
        "stores dw itself as v, then updates v in place: the caller's gradient changes",
        """
        def momentum_step(w, dw, state, lr=1e-3, beta=0.9, nesterov=False):
            if "v" not in state:
                state["v"] = dw
            else:
                state["v"] *= beta
                state["v"] += dw
            direction = dw + beta * state["v"] if nesterov else state["v"]
            return w - lr * direction
    """,
    ),
    wrong(
        "momentum_step",
        "global-velocity",
        "one global velocity shared by every parameter",
        """
        _velocity = {}

        def momentum_step(w, dw, state, lr=1e-3, beta=0.9, nesterov=False):
            v = _velocity.get(w.shape, 0.0)
            v = beta * v + dw
            _velocity[w.shape] = v
            direction = dw + beta * v if nesterov else v
            return w - lr * direction
    """,
    ),
    correct(
        "momentum_step",
        "zeros-start",
        "starts v at zeros (so v_1 = dw) and writes Nesterov as (1 + beta) v - beta v_old",
        """
        def momentum_step(w, dw, state, lr=1e-3, beta=0.9, nesterov=False):
            v_old = state.setdefault("v", np.zeros_like(w))
            v_new = beta * v_old + dw
            state["v"] = v_new
            if nesterov:
                return w - lr * ((1 + beta) * v_new - beta * v_old)
            return w - lr * v_new
    """,
    ),
    # ------------------------------------------------------------------ adagrad_step
    wrong(
        "adagrad_step",
        "no-accumulation",
        "s = dw**2 at every step: no memory, every step is lr long",
        """
        def adagrad_step(w, dw, state, lr=1e-2, eps=1e-10):
            state["s"] = dw**2
            return w - lr * dw / (np.sqrt(state["s"]) + eps)
    """,
        hint="the *sum* of all squared gradients",
    ),
    wrong(
        "adagrad_step",
        "eps-inside",
        "eps inside the square root",
        """
        def adagrad_step(w, dw, state, lr=1e-2, eps=1e-10):
            state["s"] = state.get("s", 0.0) + dw**2
            return w - lr * dw / np.sqrt(state["s"] + eps)
    """,
        hint="eps belongs outside the square root",
    ),
    wrong(
        "adagrad_step",
        "no-sqrt",
        "divides by the sum of squares, not its square root",
        """
        def adagrad_step(w, dw, state, lr=1e-2, eps=1e-10):
            state["s"] = state.get("s", 0.0) + dw**2
            return w - lr * dw / (state["s"] + eps)
    """,
    ),
    wrong(
        "adagrad_step",
        "mean-of-squares",
        "divides by the root of the mean of the squares (sum / t)",
        """
        def adagrad_step(w, dw, state, lr=1e-2, eps=1e-10):
            state["t"] = state.get("t", 0) + 1
            state["s"] = state.get("s", 0.0) + dw**2
            return w - lr * dw / (np.sqrt(state["s"] / state["t"]) + eps)
    """,
        hint="the *sum* of all squared gradients",
    ),
    correct(
        "adagrad_step",
        "power-half",
        "keeps the sum as an array from the start and uses ** 0.5",
        """
        def adagrad_step(w, dw, state, lr=1e-2, eps=1e-10):
            if "sum" not in state:
                state["sum"] = np.zeros_like(w, dtype=float)
            state["sum"] = state["sum"] + dw * dw
            return w - lr * dw / (state["sum"] ** 0.5 + eps)
    """,
    ),
    # ------------------------------------------------------------------ rmsprop_step
    wrong(
        "rmsprop_step",
        "alpha-swapped",
        "alpha and 1 - alpha swapped in the average of squared gradients",
        """
        def rmsprop_step(w, dw, state, lr=1e-2, alpha=0.99, eps=1e-8):
            state["s"] = (1 - alpha) * state.get("s", 0.0) + alpha * dw**2
            return w - lr * dw / (np.sqrt(state["s"]) + eps)
    """,
        hint="alpha weighs the old average and (1 - alpha) the new",
    ),
    wrong(
        "rmsprop_step",
        "eps-inside",
        "eps inside the square root",
        """
        def rmsprop_step(w, dw, state, lr=1e-2, alpha=0.99, eps=1e-8):
            state["s"] = alpha * state.get("s", 0.0) + (1 - alpha) * dw**2
            return w - lr * dw / np.sqrt(state["s"] + eps)
    """,
        hint="eps belongs outside the square root",
    ),
    wrong(
        "rmsprop_step",
        "bias-corrected",
        "bias-corrects the average as Adam does (PyTorch's RMSprop does not)",
        """
        def rmsprop_step(w, dw, state, lr=1e-2, alpha=0.99, eps=1e-8):
            state["t"] = state.get("t", 0) + 1
            state["s"] = alpha * state.get("s", 0.0) + (1 - alpha) * dw**2
            s_hat = state["s"] / (1 - alpha ** state["t"])
            return w - lr * dw / (np.sqrt(s_hat) + eps)
    """,
        hint="PyTorch's RMSProp does not bias-correct the average",
    ),
    wrong(
        "rmsprop_step",
        "abs-not-square",
        "averages |dw| instead of dw**2 (and takes no root)",
        """
        def rmsprop_step(w, dw, state, lr=1e-2, alpha=0.99, eps=1e-8):
            state["s"] = alpha * state.get("s", 0.0) + (1 - alpha) * np.abs(dw)
            return w - lr * dw / (state["s"] + eps)
    """,
    ),
    correct(
        "rmsprop_step",
        "in-place-state",
        "updates its own state array in place (a copy, never the caller's dw)",
        """
        def rmsprop_step(w, dw, state, lr=1e-2, alpha=0.99, eps=1e-8):
            if "square_avg" not in state:
                state["square_avg"] = np.zeros(np.shape(w))
            avg = state["square_avg"]
            avg *= alpha
            avg += (1 - alpha) * dw * dw
            return w - lr * dw * (1.0 / (np.sqrt(avg) + eps))
    """,
    ),
    # ------------------------------------------------------------------ adadelta_step
    wrong(
        "adadelta_step",
        "u-first",
        "updates the average of squared updates with dw**2 before using it",
        """
        def adadelta_step(w, dw, state, lr=1.0, rho=0.9, eps=1e-6):
            state["s"] = rho * state.get("s", 0.0) + (1 - rho) * dw**2
            state["u"] = rho * state.get("u", 0.0) + (1 - rho) * dw**2
            delta = np.sqrt(state["u"] + eps) / np.sqrt(state["s"] + eps) * dw
            return w - lr * delta
    """,
    ),
    wrong(
        "adadelta_step",
        "ratio-inverted",
        "sqrt(s + eps) / sqrt(u + eps): the ratio upside down",
        """
        def adadelta_step(w, dw, state, lr=1.0, rho=0.9, eps=1e-6):
            s = rho * state.get("s", 0.0) + (1 - rho) * dw**2
            u = state.get("u", 0.0)
            delta = np.sqrt(s + eps) / np.sqrt(u + eps) * dw
            state["s"], state["u"] = s, rho * u + (1 - rho) * delta**2
            return w - lr * delta
    """,
    ),
    wrong(
        "adadelta_step",
        "eps-outside",
        "eps outside the square roots, as in RMSProp: the first step is huge",
        """
        def adadelta_step(w, dw, state, lr=1.0, rho=0.9, eps=1e-6):
            s = rho * state.get("s", 0.0) + (1 - rho) * dw**2
            u = state.get("u", 0.0)
            delta = (np.sqrt(u) + eps) / (np.sqrt(s) + eps) * dw
            state["s"], state["u"] = s, rho * u + (1 - rho) * delta**2
            return w - lr * delta
    """,
    ),
    wrong(
        "adadelta_step",
        "ignores-lr",
        "leaves lr out: right only for lr = 1",
        """
        def adadelta_step(w, dw, state, lr=1.0, rho=0.9, eps=1e-6):
            s = rho * state.get("s", 0.0) + (1 - rho) * dw**2
            u = state.get("u", 0.0)
            delta = np.sqrt(u + eps) / np.sqrt(s + eps) * dw
            state["s"], state["u"] = s, rho * u + (1 - rho) * delta**2
            return w - delta
    """,
        hint="multiply the update by lr",
    ),
    correct(
        "adadelta_step",
        "rms-helper",
        "an rms() helper and the state kept as a tuple",
        """
        def adadelta_step(w, dw, state, lr=1.0, rho=0.9, eps=1e-6):
            def rms(average):
                return np.sqrt(average + eps)

            s, u = state.get("averages", (np.zeros_like(w), np.zeros_like(w)))
            s = rho * s + (1 - rho) * np.square(dw)
            delta = rms(u) / rms(s) * dw
            u = rho * u + (1 - rho) * np.square(delta)
            state["averages"] = (s, u)
            return w - lr * delta
    """,
    ),
    # ------------------------------------------------------------------ adam_step
    wrong(
        "adam_step",
        "no-bias-correction",
        "no bias correction: the first steps are about 3 times too long",
        """
        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
            state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
            return w - lr * state["m"] / (np.sqrt(state["v"]) + eps)
    """,
        hint="without bias correction the first step is about 3.2 lr",
    ),
    wrong(
        "adam_step",
        "beta1-for-v",
        "corrects v with 1 - beta1**t instead of 1 - beta2**t",
        """
        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            t = state["t"] = state.get("t", 0) + 1
            state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
            state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
            m_hat = state["m"] / (1 - beta1**t)
            v_hat = state["v"] / (1 - beta1**t)
            return w - lr * m_hat / (np.sqrt(v_hat) + eps)
    """,
        hint="correct v with beta2, not beta1",
    ),
    wrong(
        "adam_step",
        "eps-inside",
        "eps inside the square root",
        """
        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            t = state["t"] = state.get("t", 0) + 1
            state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
            state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
            m_hat = state["m"] / (1 - beta1**t)
            v_hat = state["v"] / (1 - beta2**t)
            return w - lr * m_hat / np.sqrt(v_hat + eps)
    """,
        hint="eps belongs outside the square root",
    ),
    wrong(
        "adam_step",
        "t-from-0",
        "t counted from 0: the first correction divides by 1 - beta**0 = 0",
        """
        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            t = state.get("t", 0)
            state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
            state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
            m_hat = state["m"] / (1 - beta1**t)
            v_hat = state["v"] / (1 - beta2**t)
            state["t"] = t + 1
            return w - lr * m_hat / (np.sqrt(v_hat) + eps)
    """,
        hint="the result contains nan or inf",
    ),
    wrong(
        "adam_step",
        "t-not-kept",
        "t is never stored: every step is corrected as if it were the first",
        """
        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            t = 1
            state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
            state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
            m_hat = state["m"] / (1 - beta1**t)
            v_hat = state["v"] / (1 - beta2**t)
            return w - lr * m_hat / (np.sqrt(v_hat) + eps)
    """,
    ),
    wrong(
        "adam_step",
        "global-t",
        "one global step counter for all parameters",
        """
        _steps = [0]

        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            _steps[0] += 1
            t = _steps[0]
            state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
            state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
            m_hat = state["m"] / (1 - beta1**t)
            v_hat = state["v"] / (1 - beta2**t)
            return w - lr * m_hat / (np.sqrt(v_hat) + eps)
    """,
    ),
    correct(
        "adam_step",
        "torch-form",
        "PyTorch's own arrangement: step size lr / (1 - beta1**t), denominator "
        "sqrt(v) / sqrt(1 - beta2**t) + eps",
        """
        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if not state:
                state.update(step=0, exp_avg=np.zeros_like(w), exp_avg_sq=np.zeros_like(w))
            state["step"] += 1
            state["exp_avg"] = state["exp_avg"] * beta1 + dw * (1 - beta1)
            state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + dw * dw * (1 - beta2)
            step_size = lr / (1 - beta1 ** state["step"])
            denom = np.sqrt(state["exp_avg_sq"]) / math.sqrt(1 - beta2 ** state["step"]) + eps
            return w - step_size * state["exp_avg"] / denom
    """,
    ),
    correct(
        "adam_step",
        "beta-powers",
        "keeps beta1**t and beta2**t as running products instead of a counter",
        """
        def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            p1, p2 = state.get("powers", (1.0, 1.0))
            p1, p2 = p1 * beta1, p2 * beta2
            m = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
            v = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
            state.update(powers=(p1, p2), m=m, v=v)
            return w - lr * (m / (1 - p1)) / (np.sqrt(v / (1 - p2)) + eps)
    """,
    ),
    # ------------------------------------------------------------------ step_decay
    wrong(
        "step_decay",
        "no-floor",
        "gamma ** (t / step_size): decays smoothly instead of in steps",
        """
        def step_decay(lr0, t, step_size, gamma=0.1):
            return lr0 * gamma ** (t / step_size)
    """,
        hint="the rate drops only every step_size epochs",
    ),
    wrong(
        "step_decay",
        "off-by-one",
        "gamma ** (t // step_size + 1): already dropped at epoch 0",
        """
        def step_decay(lr0, t, step_size, gamma=0.1):
            return lr0 * gamma ** (t // step_size + 1)
    """,
        hint="epoch 0 uses lr0 itself",
    ),
    wrong(
        "step_decay",
        "times-not-power",
        "lr0 * gamma * (t // step_size): multiplies instead of raising to a power",
        """
        def step_decay(lr0, t, step_size, gamma=0.1):
            drops = t // step_size
            return lr0 * gamma * drops if drops else lr0
    """,
        hint="raise gamma to the power t // step_size",
    ),
    wrong(
        "step_decay",
        "default-half",
        "default gamma = 0.5 instead of StepLR's 0.1",
        """
        def step_decay(lr0, t, step_size, gamma=0.5):
            return lr0 * gamma ** (t // step_size)
    """,
        hint="StepLR's default 0.1",
    ),
    correct(
        "step_decay",
        "loop",
        "multiplies by gamma once per completed block of step_size epochs",
        """
        def step_decay(lr0, t, step_size, gamma=0.1):
            lr = lr0
            for _ in range(int(math.floor(t / step_size))):
                lr *= gamma
            return lr
    """,
    ),
    # ------------------------------------------------------------------ exponential_decay
    wrong(
        "exponential_decay",
        "grows",
        "exp(+k t): the learning rate grows",
        """
        def exponential_decay(lr0, t, k):
            return lr0 * math.exp(k * t)
    """,
        hint="the rate decays",
    ),
    wrong(
        "exponential_decay",
        "k-as-gamma",
        "lr0 * k ** t: treats k as ExponentialLR's gamma",
        """
        def exponential_decay(lr0, t, k):
            return lr0 * k**t
    """,
        hint="exponential decay multiplies by e^(-k) per epoch, not by k",
    ),
    wrong(
        "exponential_decay",
        "t-plus-one",
        "exp(-k (t + 1)): epoch 0 is already decayed",
        """
        def exponential_decay(lr0, t, k):
            return lr0 * np.exp(-k * (t + 1))
    """,
        hint="epoch 0 uses lr0 itself",
    ),
    wrong(
        "exponential_decay",
        "linearised",
        "lr0 * (1 - k) ** t: close to exp(-k t) only for tiny k",
        """
        def exponential_decay(lr0, t, k):
            return lr0 * (1 - k) ** t
    """,
        hint="exponential decay multiplies by e^(-k) per epoch, not by k",
    ),
    correct(
        "exponential_decay",
        "gamma-power",
        "gamma = e^(-k) raised to the power t, with NumPy",
        """
        def exponential_decay(lr0, t, k):
            gamma = np.exp(-k)
            return float(lr0 * gamma**t)
    """,
    ),
    # ------------------------------------------------------------------ inverse_time_decay
    wrong(
        "inverse_time_decay",
        "power",
        "lr0 / (1 + k) ** t: a geometric decay, not 1/t",
        """
        def inverse_time_decay(lr0, t, k):
            return lr0 / (1 + k) ** t
    """,
        hint="divide lr0 by 1 + k t (the whole denominator)",
    ),
    wrong(
        "inverse_time_decay",
        "t-plus-one",
        "lr0 / (1 + k (t + 1)): epoch 0 is already decayed",
        """
        def inverse_time_decay(lr0, t, k):
            return lr0 / (1 + k * (t + 1))
    """,
        hint="epoch 0 uses lr0 itself",
    ),
    wrong(
        "inverse_time_decay",
        "no-one",
        "lr0 / (k t): infinite at epoch 0",
        """
        def inverse_time_decay(lr0, t, k):
            return lr0 / (k * t) if t else lr0
    """,
        hint="keep the 1",
    ),
    wrong(
        "inverse_time_decay",
        "precedence",
        "lr0 / 1 + k * t: a missing pair of brackets",
        """
        def inverse_time_decay(lr0, t, k):
            return lr0 / 1 + k * t
    """,
        hint="brackets around the denominator",
    ),
    correct(
        "inverse_time_decay",
        "factor",
        "multiplies lr0 by LambdaLR's factor 1 / (1 + k t)",
        """
        def inverse_time_decay(lr0, t, k):
            factor = 1.0 / (1.0 + k * t)
            return lr0 * factor
    """,
    ),
    # ------------------------------------------------------------------ clip_grad_norm
    wrong(
        "clip_grad_norm",
        "per-array",
        "clips each array by its own norm",
        """
        def clip_grad_norm(grads, max_norm):
            clipped, total = [], 0.0
            for g in grads:
                norm = np.linalg.norm(g)
                total += norm**2
                clipped.append(g * min(1.0, max_norm / (norm + 1e-6)))
            return clipped, math.sqrt(total)
    """,
        hint="over all arrays together",
    ),
    wrong(
        "clip_grad_norm",
        "always-rescale",
        "always multiplies by max_norm / norm, so short gradients are scaled up",
        """
        def clip_grad_norm(grads, max_norm):
            total = math.sqrt(sum(np.sum(g**2) for g in grads))
            factor = max_norm / (total + 1e-6)
            return [g * factor for g in grads], total
    """,
        hint="never scaled up",
    ),
    wrong(
        "clip_grad_norm",
        "norm-after",
        "returns the norm after clipping",
        """
        def clip_grad_norm(grads, max_norm):
            total = math.sqrt(sum(np.sum(g**2) for g in grads))
            factor = min(1.0, max_norm / (total + 1e-6))
            return [g * factor for g in grads], total * factor
    """,
        hint="return the norm before clipping",
    ),
    wrong(
        "clip_grad_norm",
        "by-value",
        "clips each entry to [-max_norm, max_norm] (clipping by value)",
        """
        def clip_grad_norm(grads, max_norm):
            total = math.sqrt(sum(np.sum(g**2) for g in grads))
            return [np.clip(g, -max_norm, max_norm) for g in grads], total
    """,
        hint="over all arrays together",
    ),
    wrong(
        "clip_grad_norm",
        "in-place",
        "g *= factor: scales the caller's arrays",
        """
        def clip_grad_norm(grads, max_norm):
            total = math.sqrt(sum(np.sum(g**2) for g in grads))
            factor = max_norm / (total + 1e-6)
            if factor < 1:
                for g in grads:
                    g *= factor
            return grads, total
    """,
    ),
    wrong(
        "clip_grad_norm",
        "no-epsilon",
        "divides by the norm without PyTorch's + 1e-6",
        """
        def clip_grad_norm(grads, max_norm):
            total = math.sqrt(sum(np.sum(g**2) for g in grads))
            factor = min(1.0, max_norm / total)
            return [g * factor for g in grads], total
    """,
    ),
    correct(
        "clip_grad_norm",
        "concatenate",
        "np.linalg.norm of all entries concatenated, and a factor of min(1, ...)",
        """
        def clip_grad_norm(grads, max_norm):
            flat = np.concatenate([np.ravel(g) for g in grads])
            total_norm = float(np.linalg.norm(flat))
            factor = min(1.0, max_norm / (total_norm + 1e-6))
            return [factor * g for g in grads], total_norm
    """,
    ),
    # ------------------------------------------------------------------ objects that lie
    # Each returns the right answer, computed honestly, inside an object of its own class
    # whose comparisons always say "equal": the tests must reject it by its type (issue 13).
    wrong(
        "sgd_step",
        "ndarray-subclass-liar",
        "returns the right new w as an ndarray subclass whose == is always True",
        """
        import numpy as np

        class _Weights(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(self), dtype=bool)

        def sgd_step(w, dw, state, lr=1e-3):
            return np.asarray(w - lr * dw).view(_Weights)
    """,
        hint="return plain numbers",
    ),
    wrong(
        "step_decay",
        "float-subclass-liar",
        "returns the right rate as a float subclass whose == is always True",
        """
        class _Rate(float):
            def __eq__(self, other):
                return True

            __hash__ = float.__hash__

        def step_decay(lr0, t, step_size, gamma=0.1):
            return _Rate(lr0 * gamma ** (t // step_size))
    """,
        hint="return plain numbers",
    ),
    wrong(
        "clip_grad_norm",
        "tuple-subclass-liar",
        "returns the right (clipped, total_norm) as a tuple subclass whose == is always True",
        """
        import math

        import numpy as np

        class _Pair(tuple):
            def __eq__(self, other):
                return True

            __hash__ = tuple.__hash__

        def clip_grad_norm(grads, max_norm):
            total_norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
            factor = max_norm / (total_norm + 1e-6)
            if factor < 1:
                return _Pair(([g * factor for g in grads], total_norm))
            return _Pair(([g.copy() for g in grads], total_norm))
    """,
        hint="return plain numbers",
    ),
]
