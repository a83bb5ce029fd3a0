"""Wrong and correct implementations of the week-2 graded functions."""

from autograder.catalogue import correct, wrong

# The tests of these functions call nothing but their own function and the setup cell, and no
# other graded function uses them (sigmoid, bce_cost and logistic_gradients are called by
# other solutions). softmax is left out: two wrong softmax_cross_entropy variants call it, so
# batched with a wrong softmax they would not prove their own mistake is caught.
# tests/test_catalogue_independence.py checks this.
INDEPENDENT = {"train_logistic", "perceptron_train", "softmax_cross_entropy"}

VARIANTS = [
    # ------------------------------------------------------------------ sigmoid
    wrong(
        "sigmoid",
        "naive",
        "the textbook formula: exp(-z) overflows for z = -1000",
        """
        def sigmoid(z):
            return 1 / (1 + np.exp(-z))
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "sigmoid",
        "exp-ratio",
        "exp(z) / (1 + exp(z)): overflows to inf / inf = nan for z = 1000",
        """
        def sigmoid(z):
            return np.exp(z) / (1 + np.exp(z))
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "sigmoid",
        "where-both-branches",
        "np.where picks the stable branch but still evaluates the overflowing one",
        """
        def sigmoid(z):
            return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "sigmoid",
        "sign",
        "exp(z) instead of exp(-z): computes sigma(-z)",
        """
        def sigmoid(z):
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
    """,
        hint="you computed sigma(-z)",
    ),
    wrong(
        "sigmoid",
        "clip-10",
        "clips z to [-10, 10] to avoid overflow: tiny probabilities come out far too large",
        """
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.clip(z, -10, 10)))
    """,
    ),
    correct(
        "sigmoid",
        "masks",
        "boolean masks, each sign with its own safe formula",
        """
        import numpy as np

        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            out = np.empty_like(z)
            pos = z >= 0
            out[pos] = 1 / (1 + np.exp(-z[pos]))
            ez = np.exp(z[~pos])
            out[~pos] = ez / (1 + ez)
            return out
    """,
    ),
    correct(
        "sigmoid",
        "tanh",
        "the identity sigma(z) = (1 + tanh(z / 2)) / 2",
        """
        def sigmoid(z):
            return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))
    """,
    ),
    correct(
        "sigmoid",
        "clip-500",
        "clips z to [-500, 500], where exp cannot overflow and the value is already exact",
        """
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.clip(z, -500, 500)))
    """,
    ),
    correct(
        "sigmoid",
        "errstate",
        "the textbook formula with NumPy's overflow warning switched off (inf gives 0)",
        """
        def sigmoid(z):
            with np.errstate(over="ignore"):
                return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    """,
    ),
    # ------------------------------------------------------------------ bce_cost
    wrong(
        "bce_cost",
        "no-minus",
        "the log-likelihood instead of its negative",
        """
        def bce_cost(p, y):
            p = np.clip(p, 1e-12, 1 - 1e-12)
            return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    """,
        hint="the cost is a NEGATIVE log-likelihood",
    ),
    wrong(
        "bce_cost",
        "sum",
        "sums over the examples instead of averaging",
        """
        def bce_cost(p, y):
            p = np.clip(p, 1e-12, 1 - 1e-12)
            return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    """,
        hint="the cost is a mean over the examples, not a sum",
    ),
    wrong(
        "bce_cost",
        "no-clip",
        "forgets to clip: log(0) gives inf",
        """
        def bce_cost(p, y):
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "bce_cost",
        "swapped-logs",
        "pairs log(p) with y = 0 and log(1 - p) with y = 1",
        """
        def bce_cost(p, y):
            p = np.clip(p, 1e-12, 1 - 1e-12)
            return -np.mean((1 - y) * np.log(p) + y * np.log(1 - p))
    """,
        hint="log(p) goes with y = 1 and log(1 - p) with y = 0",
    ),
    wrong(
        "bce_cost",
        "eps-1e-7",
        "clips with Keras's epsilon 1e-7 instead of 1e-12",
        """
        def bce_cost(p, y):
            p = np.clip(p, 1e-7, 1 - 1e-7)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    """,
    ),
    wrong(
        "bce_cost",
        "clip-in-place",
        "clips the caller's array in place",
        """
        def bce_cost(p, y):
            p[p < 1e-12] = 1e-12
            p[p > 1 - 1e-12] = 1 - 1e-12
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    """,
        hint="the caller's arrays must stay as they were",
    ),
    correct(
        "bce_cost",
        "loop",
        "a loop over the examples with an if on the label",
        """
        import math

        def bce_cost(p, y):
            total = 0.0
            for p_i, y_i in zip(p, y):
                p_i = min(max(float(p_i), 1e-12), 1 - 1e-12)
                total += -math.log(p_i) if y_i == 1 else -math.log(1 - p_i)
            return total / len(y)
    """,
    ),
    correct(
        "bce_cost",
        "where-log1p",
        "np.where on the label, log1p for log(1 - p)",
        """
        def bce_cost(p, y):
            p = np.clip(p, 1e-12, 1 - 1e-12)
            return float(np.mean(np.where(y == 1, -np.log(p), -np.log1p(-p))))
    """,
    ),
    # ------------------------------------------------------------------ logistic_gradients
    wrong(
        "logistic_gradients",
        "sign",
        "uses y - p: the gradient points uphill",
        """
        def logistic_gradients(X, y, w, b):
            errors = y - sigmoid(X @ w + b)
            return X.T @ errors / len(y), errors.mean()
    """,
        hint="the gradient points the wrong way",
    ),
    wrong(
        "logistic_gradients",
        "sum",
        "sums over the examples instead of averaging",
        """
        def logistic_gradients(X, y, w, b):
            errors = sigmoid(X @ w + b) - y
            return X.T @ errors, errors.sum()
    """,
        hint="the gradient of a mean is a mean",
    ),
    wrong(
        "logistic_gradients",
        "no-sigmoid",
        "copies linear regression: compares the raw score X @ w + b with y",
        """
        def logistic_gradients(X, y, w, b):
            errors = X @ w + b - y
            return X.T @ errors / len(y), errors.mean()
    """,
        hint="through the sigmoid",
    ),
    wrong(
        "logistic_gradients",
        "db-sum",
        "averages dw but sums db",
        """
        def logistic_gradients(X, y, w, b):
            errors = sigmoid(X @ w + b) - y
            return X.T @ errors / len(y), errors.sum()
    """,
        hint="the gradient of a mean is a mean",
    ),
    correct(
        "logistic_gradients",
        "loops",
        "explicit loops over examples and features",
        """
        import math
        import numpy as np

        def logistic_gradients(X, y, w, b):
            m, n = X.shape
            dw, db = np.zeros(n), 0.0
            for i in range(m):
                score = b + sum(X[i, j] * w[j] for j in range(n))
                err = 1 / (1 + math.exp(-score)) - y[i]
                for j in range(n):
                    dw[j] += err * X[i, j] / m
                db += err / m
            return dw, db
    """,
    ),
    correct(
        "logistic_gradients",
        "mean-broadcast",
        "the mean of errors times X down the rows",
        """
        def logistic_gradients(X, y, w, b):
            errors = sigmoid(X @ w + b) - y
            return np.mean(errors[:, None] * X, axis=0), np.mean(errors)
    """,
    ),
    # ------------------------------------------------------------------ train_logistic
    wrong(
        "train_logistic",
        "cost-before",
        "records the cost before each update instead of after",
        """
        def train_logistic(X, y, lr, num_iters):
            w, b, costs = np.zeros(X.shape[1]), 0.0, []
            for _ in range(num_iters):
                costs.append(bce_cost(sigmoid(X @ w + b), y))
                dw, db = logistic_gradients(X, y, w, b)
                w, b = w - lr * dw, b - lr * db
            return w, b, costs
    """,
        hint="costs[0] must be the cost AFTER the first update",
    ),
    wrong(
        "train_logistic",
        "ascent",
        "adds the gradient instead of subtracting it",
        """
        def train_logistic(X, y, lr, num_iters):
            w, b, costs = np.zeros(X.shape[1]), 0.0, []
            for _ in range(num_iters):
                dw, db = logistic_gradients(X, y, w, b)
                w, b = w + lr * dw, b + lr * db
                costs.append(bce_cost(sigmoid(X @ w + b), y))
            return w, b, costs
    """,
        hint="step DOWN the gradient",
    ),
    wrong(
        "train_logistic",
        "off-by-one",
        "runs one update fewer than asked",
        """
        def train_logistic(X, y, lr, num_iters):
            w, b, costs = np.zeros(X.shape[1]), 0.0, []
            for _ in range(1, num_iters):
                dw, db = logistic_gradients(X, y, w, b)
                w, b = w - lr * dw, b - lr * db
                costs.append(bce_cost(sigmoid(X @ w + b), y))
            return w, b, costs
    """,
    ),
    wrong(
        "train_logistic",
        "ones-init",
        "starts from w = 1 instead of zeros",
        """
        def train_logistic(X, y, lr, num_iters):
            w, b, costs = np.ones(X.shape[1]), 0.0, []
            for _ in range(num_iters):
                dw, db = logistic_gradients(X, y, w, b)
                w, b = w - lr * dw, b - lr * db
                costs.append(bce_cost(sigmoid(X @ w + b), y))
            return w, b, costs
    """,
    ),
    wrong(
        "train_logistic",
        "not-simultaneous",
        "updates w first, then computes b's gradient at the new w",
        """
        def train_logistic(X, y, lr, num_iters):
            w, b, costs = np.zeros(X.shape[1]), 0.0, []
            for _ in range(num_iters):
                dw, _ = logistic_gradients(X, y, w, b)
                w = w - lr * dw
                _, db = logistic_gradients(X, y, w, b)
                b = b - lr * db
                costs.append(bce_cost(sigmoid(X @ w + b), y))
            return w, b, costs
    """,
    ),
    correct(
        "train_logistic",
        "inline-array",
        "computes the gradient inline and returns the costs as an array",
        """
        import numpy as np

        def train_logistic(X, y, lr, num_iters):
            m, n = X.shape
            w, b = np.zeros(n), 0.0
            costs = np.empty(num_iters)
            for t in range(num_iters):
                err = sigmoid(X @ w + b) - y
                w = w - lr * (X.T @ err) / m
                b = b - lr * err.mean()
                p = np.clip(sigmoid(X @ w + b), 1e-12, 1 - 1e-12)
                costs[t] = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
            return w, b, costs
    """,
    ),
    # ------------------------------------------------------------------ perceptron_train
    wrong(
        "perceptron_train",
        "threshold-ge",
        "predicts 1 when the score is >= 0",
        """
        def perceptron_train(X, y, epochs, lr=1.0):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                for x_i, y_i in zip(X, y):
                    y_hat = 1.0 if x_i @ w + b >= 0 else 0.0
                    w = w + lr * (y_i - y_hat) * x_i
                    b = b + lr * (y_i - y_hat)
            return w, b
    """,
        hint="strictly positive (> 0)",
    ),
    wrong(
        "perceptron_train",
        "batch",
        "sums the updates of a whole epoch and applies them at once",
        """
        def perceptron_train(X, y, epochs, lr=1.0):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                y_hat = (X @ w + b > 0).astype(float)
                w = w + lr * X.T @ (y - y_hat)
                b = b + lr * np.sum(y - y_hat)
            return w, b
    """,
    ),
    wrong(
        "perceptron_train",
        "no-bias-update",
        "never updates the bias",
        """
        def perceptron_train(X, y, epochs, lr=1.0):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                for x_i, y_i in zip(X, y):
                    y_hat = 1.0 if x_i @ w + b > 0 else 0.0
                    w = w + lr * (y_i - y_hat) * x_i
            return w, b
    """,
        hint="update the bias too",
    ),
    wrong(
        "perceptron_train",
        "plus-minus-one-rule",
        "uses the +-1-label rule w += lr * y * x on mistakes with 0/1 labels",
        """
        def perceptron_train(X, y, epochs, lr=1.0):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                for x_i, y_i in zip(X, y):
                    y_hat = 1.0 if x_i @ w + b > 0 else 0.0
                    if y_hat != y_i:
                        w = w + lr * y_i * x_i
                        b = b + lr * y_i
            return w, b
    """,
    ),
    wrong(
        "perceptron_train",
        "shuffled",
        "visits the examples in a random order each epoch",
        """
        def perceptron_train(X, y, epochs, lr=1.0):
            rng = np.random.default_rng(0)
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                for i in rng.permutation(len(y)):
                    y_hat = 1.0 if X[i] @ w + b > 0 else 0.0
                    w = w + lr * (y[i] - y_hat) * X[i]
                    b = b + lr * (y[i] - y_hat)
            return w, b
    """,
    ),
    correct(
        "perceptron_train",
        "mistake-branches",
        "only touches w on a mistake: adds a missed positive, subtracts a false positive",
        """
        import numpy as np

        def perceptron_train(X, y, epochs, lr=1.0):
            w = np.zeros(X.shape[1])
            b = 0.0
            for _ in range(epochs):
                for i in range(X.shape[0]):
                    predicted = np.dot(X[i], w) + b > 0
                    if y[i] == 1 and not predicted:
                        w += lr * X[i]
                        b += lr
                    elif y[i] == 0 and predicted:
                        w -= lr * X[i]
                        b -= lr
            return w, b
    """,
    ),
    correct(
        "perceptron_train",
        "heaviside",
        "np.heaviside(score, 0) as the step function",
        """
        def perceptron_train(X, y, epochs, lr=1.0):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                for x_i, y_i in zip(X, y):
                    error = y_i - np.heaviside(x_i @ w + b, 0.0)
                    w, b = w + lr * error * x_i, b + lr * error
            return w, b
    """,
    ),
    # ------------------------------------------------------------------ softmax
    wrong(
        "softmax",
        "no-shift",
        "exponentiates the raw logits: overflows for large ones",
        """
        def softmax(Z):
            e = np.exp(Z)
            return e / e.sum(axis=1, keepdims=True)
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "softmax",
        "global-max",
        "subtracts the largest logit of the whole batch, not of each row",
        """
        def softmax(Z):
            e = np.exp(Z - Z.max())
            return e / e.sum(axis=1, keepdims=True)
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "softmax",
        "axis-0",
        "normalizes the columns instead of the rows",
        """
        def softmax(Z):
            e = np.exp(Z - Z.max(axis=0))
            return e / e.sum(axis=0)
    """,
        hint="normalize each ROW (axis=1), not each column",
    ),
    wrong(
        "softmax",
        "no-keepdims",
        "divides by the row sums without keepdims: they broadcast along the wrong axis",
        """
        def softmax(Z):
            e = np.exp(Z - Z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1)
    """,
    ),
    wrong(
        "softmax",
        "min-shift",
        "shifts by the row minimum, which still overflows for wide rows",
        """
        def softmax(Z):
            e = np.exp(Z - Z.min(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    correct(
        "softmax",
        "rows-loop",
        "a loop over the rows with math.exp",
        """
        import math
        import numpy as np

        def softmax(Z):
            out = np.zeros(Z.shape)
            for i in range(Z.shape[0]):
                top = max(Z[i])
                exps = [math.exp(v - top) for v in Z[i]]
                total = sum(exps)
                out[i] = [v / total for v in exps]
            return out
    """,
    ),
    correct(
        "softmax",
        "logsumexp",
        "exp(Z - logsumexp(Z)) row by row",
        """
        def softmax(Z):
            top = np.max(Z, axis=1)[:, None]
            lse = top + np.log(np.sum(np.exp(Z - top), axis=1))[:, None]
            return np.exp(Z - lse)
    """,
    ),
    # ------------------------------------------------------------------ softmax_cross_entropy
    wrong(
        "softmax_cross_entropy",
        "dz-no-mean",
        "the loss is a mean but dZ is not divided by m",
        """
        def softmax_cross_entropy(Z, y):
            m = Z.shape[0]
            P = softmax(Z)
            loss = np.mean(np.log(np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1))
                           + Z.max(axis=1) - Z[np.arange(m), y])
            dZ = P.copy()
            dZ[np.arange(m), y] -= 1
            return loss, dZ
    """,
        hint="the loss is a mean, so its gradient is divided by m",
    ),
    wrong(
        "softmax_cross_entropy",
        "log-of-softmax",
        "takes np.log of the softmax probabilities: log(0) for very confident wrong answers",
        """
        def softmax_cross_entropy(Z, y):
            m = Z.shape[0]
            P = softmax(Z)
            loss = -np.mean(np.log(P[np.arange(m), y]))
            dZ = P.copy()
            dZ[np.arange(m), y] -= 1
            return loss, dZ / m
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "softmax_cross_entropy",
        "column-indexing",
        "picks Z[:, y] (an m x m block) instead of Z[range(m), y]",
        """
        def softmax_cross_entropy(Z, y):
            m = Z.shape[0]
            top = Z.max(axis=1, keepdims=True)
            lse = top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True))
            loss = np.mean(lse - Z[:, y])
            dZ = np.exp(Z - lse)
            dZ[np.arange(m), y] -= 1
            return loss, dZ / m
    """,
        hint="take each row's own label",
    ),
    wrong(
        "softmax_cross_entropy",
        "no-one-hot",
        "forgets to subtract the one-hot labels in the gradient",
        """
        def softmax_cross_entropy(Z, y):
            m = Z.shape[0]
            top = Z.max(axis=1, keepdims=True)
            lse = top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True))
            loss = np.mean(lse[:, 0] - Z[np.arange(m), y])
            return loss, np.exp(Z - lse) / m
    """,
        hint="subtract the one-hot labels from the probabilities",
    ),
    wrong(
        "softmax_cross_entropy",
        "unshifted-lse",
        "log(sum(exp(Z))) without the max shift: overflows",
        """
        def softmax_cross_entropy(Z, y):
            m = Z.shape[0]
            lse = np.log(np.exp(Z).sum(axis=1, keepdims=True))
            loss = np.mean(lse[:, 0] - Z[np.arange(m), y])
            dZ = np.exp(Z - lse)
            dZ[np.arange(m), y] -= 1
            return loss, dZ / m
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    correct(
        "softmax_cross_entropy",
        "loops",
        "a loop over the examples with math",
        """
        import math
        import numpy as np

        def softmax_cross_entropy(Z, y):
            m, K = Z.shape
            loss, dZ = 0.0, np.zeros((m, K))
            for i in range(m):
                top = max(Z[i])
                lse = top + math.log(sum(math.exp(v - top) for v in Z[i]))
                loss += lse - Z[i, y[i]]
                for k in range(K):
                    dZ[i, k] = math.exp(Z[i, k] - lse) - (1.0 if k == y[i] else 0.0)
            return loss / m, dZ / m
    """,
    ),
    correct(
        "softmax_cross_entropy",
        "one-hot-matrix",
        "builds the one-hot matrix with np.eye and uses the student's softmax for dZ",
        """
        def softmax_cross_entropy(Z, y):
            m, K = Z.shape
            Y = np.eye(K)[y]
            shifted = Z - Z.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
            return -np.sum(Y * log_probs) / m, (softmax(Z) - Y) / m
    """,
    ),
    # ------------------------------------------------------------------ objects that lie
    # Each returns the right answer, computed honestly, inside an object of its own class
    # whose comparisons always say "equal": the tests must reject it by its type (issue 13).
    wrong(
        "sigmoid",
        "ndarray-subclass-liar",
        "returns the right probabilities as an ndarray subclass whose == is always True",
        """
        import numpy as np

        class _Probabilities(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(self), dtype=bool)

        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            e = np.exp(-np.abs(z))
            return np.asarray(np.where(z >= 0, 1 / (1 + e), e / (1 + e))).view(_Probabilities)
    """,
        hint="return plain numbers",
    ),
    wrong(
        "bce_cost",
        "float64-subclass-liar",
        "returns the right cost as an np.float64 subclass whose == is always True",
        """
        import numpy as np

        class _Cost(np.float64):
            def __eq__(self, other):
                return True

            __hash__ = np.float64.__hash__

        def bce_cost(p, y):
            p = np.clip(p, 1e-12, 1 - 1e-12)
            return _Cost(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    """,
        hint="return plain numbers",
    ),
    wrong(
        "softmax_cross_entropy",
        "tuple-subclass-liar",
        "returns the right (loss, dZ) as a tuple subclass whose == is always True",
        """
        import numpy as np

        class _Pair(tuple):
            def __eq__(self, other):
                return True

            __hash__ = tuple.__hash__

        def softmax_cross_entropy(Z, y):
            m = Z.shape[0]
            shifted = Z - Z.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            dZ = np.exp(log_probs)
            dZ[np.arange(m), y] -= 1
            return _Pair((float(-log_probs[np.arange(m), y].mean()), dZ / m))
    """,
        hint="return plain numbers",
    ),
]
