"""Wrong and correct implementations of the week-1 graded functions."""

from autograder.catalogue import correct, wrong

# The tests of these functions call nothing but their own function and the setup cell, and no
# other graded function uses them (linear_predict, linear_cost and linear_gradients are called
# by other solutions). tests/test_catalogue_independence.py checks this.
INDEPENDENT = {"gradient_descent", "standardize", "normal_equation"}

VARIANTS = [
    # ------------------------------------------------------------------ linear_predict
    wrong(
        "linear_predict",
        "no-bias",
        "forgets to add the bias",
        """
        def linear_predict(X, w, b):
            return X @ w
    """,
        hint="the bias b is missing from your predictions",
    ),
    wrong(
        "linear_predict",
        "minus-bias",
        "subtracts the bias",
        """
        def linear_predict(X, w, b):
            return X @ w - b
    """,
        hint="the bias should be added, not subtracted",
    ),
    wrong(
        "linear_predict",
        "sum-everything",
        "sums X * w over both axes: one number",
        """
        import numpy as np

        def linear_predict(X, w, b):
            return np.sum(X * w) + b
    """,
        hint="the result should be an array",
    ),
    wrong(
        "linear_predict",
        "wrong-axis",
        "sums X * w down the columns (axis 0)",
        """
        def linear_predict(X, w, b):
            return (X * w).sum(axis=0) + b
    """,
    ),
    correct(
        "linear_predict",
        "loops",
        "explicit loops over examples and features",
        """
        import numpy as np

        def linear_predict(X, w, b):
            m, n = X.shape
            out = np.zeros(m)
            for i in range(m):
                total = b
                for j in range(n):
                    total += X[i, j] * w[j]
                out[i] = total
            return out
    """,
    ),
    correct(
        "linear_predict",
        "einsum",
        "einsum, written with w on the left",
        """
        import numpy as np

        def linear_predict(X, w, b):
            return np.einsum("j,ij->i", w, X) + b
    """,
    ),
    # ------------------------------------------------------------------ linear_cost
    wrong(
        "linear_cost",
        "no-half",
        "the mean squared error without the 1/2",
        """
        import numpy as np

        def linear_cost(X, y, w, b):
            return np.mean((linear_predict(X, w, b) - y) ** 2)
    """,
        hint="this is the plain mean of the squared errors",
    ),
    wrong(
        "linear_cost",
        "no-mean",
        "sum of squares over 2, not divided by m",
        """
        import numpy as np

        def linear_cost(X, y, w, b):
            return np.sum((linear_predict(X, w, b) - y) ** 2) / 2
    """,
        hint="this is the sum of the squared errors over 2",
    ),
    wrong(
        "linear_cost",
        "divides-by-n",
        "divides by the number of features",
        """
        import numpy as np

        def linear_cost(X, y, w, b):
            return np.sum((linear_predict(X, w, b) - y) ** 2) / (2 * X.shape[1])
    """,
        hint="this is the sum of the squared errors over 2",
    ),
    wrong(
        "linear_cost",
        "abs-error",
        "absolute instead of squared errors",
        """
        import numpy as np

        def linear_cost(X, y, w, b):
            return np.sum(np.abs(linear_predict(X, w, b) - y)) / (2 * len(y))
    """,
    ),
    correct(
        "linear_cost",
        "loop-y-minus-yhat",
        "a loop over (y - y_hat) squared",
        """
        def linear_cost(X, y, w, b):
            m = X.shape[0]
            y_hat = linear_predict(X, w, b)
            total = 0.0
            for i in range(m):
                total += (y[i] - y_hat[i]) ** 2
            return total / (2 * m)
    """,
    ),
    correct(
        "linear_cost",
        "dot",
        "np.dot of the residual with itself, returned as a NumPy 0-d",
        """
        import numpy as np

        def linear_cost(X, y, w, b):
            r = y - (X @ w + b)
            return np.dot(r, r) * (0.5 / X.shape[0])
    """,
    ),
    # ------------------------------------------------------------------ linear_gradients
    wrong(
        "linear_gradients",
        "sign",
        "uses y - y_hat, so the gradient points uphill",
        """
        def linear_gradients(X, y, w, b):
            e = y - linear_predict(X, w, b)
            m = len(y)
            return X.T @ e / m, e.sum() / m
    """,
        hint="the gradient points the wrong way",
    ),
    wrong(
        "linear_gradients",
        "no-mean",
        "forgets the 1/m in both gradients",
        """
        def linear_gradients(X, y, w, b):
            e = linear_predict(X, w, b) - y
            return X.T @ e, e.sum()
    """,
        hint="the gradient of a mean is a mean",
    ),
    wrong(
        "linear_gradients",
        "db-sum",
        "averages dw but sums db",
        """
        def linear_gradients(X, y, w, b):
            e = linear_predict(X, w, b) - y
            return X.T @ e / len(y), e.sum()
    """,
        hint="the gradient of a mean is a mean",
    ),
    wrong(
        "linear_gradients",
        "mean-all",
        "np.mean(X * e) over every entry instead of axis 0",
        """
        import numpy as np

        def linear_gradients(X, y, w, b):
            e = linear_predict(X, w, b) - y
            return np.mean(X * e[:, None]) * np.ones_like(w), np.mean(e)
    """,
    ),
    correct(
        "linear_gradients",
        "loops",
        "loops over examples and features",
        """
        import numpy as np

        def linear_gradients(X, y, w, b):
            m, n = X.shape
            dw = np.zeros(n)
            db = 0.0
            for i in range(m):
                err = X[i] @ w + b - y[i]
                for j in range(n):
                    dw[j] += err * X[i, j] / m
                db += err / m
            return dw, db
    """,
    ),
    correct(
        "linear_gradients",
        "mean-axis0",
        "mean over axis 0 of X * e, returned as a list",
        """
        import numpy as np

        def linear_gradients(X, y, w, b):
            e = linear_predict(X, w, b) - y
            return [(X * e[:, np.newaxis]).mean(axis=0), np.mean(e)]
    """,
    ),
    # ------------------------------------------------------------------ gradient_descent
    wrong(
        "gradient_descent",
        "cost-before-update",
        "records the cost before each update",
        """
        def gradient_descent(X, y, w, b, lr, num_iters):
            costs = []
            for _ in range(num_iters):
                costs.append(linear_cost(X, y, w, b))
                dw, db = linear_gradients(X, y, w, b)
                w = w - lr * dw
                b = b - lr * db
            return w, b, costs
    """,
        hint="costs[0] must be the cost AFTER the first update",
    ),
    wrong(
        "gradient_descent",
        "in-place",
        "updates the caller's w in place with -=",
        """
        def gradient_descent(X, y, w, b, lr, num_iters):
            costs = []
            for _ in range(num_iters):
                dw, db = linear_gradients(X, y, w, b)
                w -= lr * dw
                b -= lr * db
                costs.append(linear_cost(X, y, w, b))
            return w, b, costs
    """,
        hint="the caller's arrays must stay as they were",
    ),
    wrong(
        "gradient_descent",
        "sequential",
        "updates w, then takes b's gradient at the new w",
        """
        def gradient_descent(X, y, w, b, lr, num_iters):
            costs = []
            for _ in range(num_iters):
                dw, _ = linear_gradients(X, y, w, b)
                w = w - lr * dw
                _, db = linear_gradients(X, y, w, b)
                b = b - lr * db
                costs.append(linear_cost(X, y, w, b))
            return w, b, costs
    """,
        hint="a simultaneous update",
    ),
    wrong(
        "gradient_descent",
        "one-step-short",
        "loops range(1, num_iters): one update too few",
        """
        def gradient_descent(X, y, w, b, lr, num_iters):
            costs = [linear_cost(X, y, w, b)]
            for _ in range(1, num_iters):
                dw, db = linear_gradients(X, y, w, b)
                w = w - lr * dw
                b = b - lr * db
                costs.append(linear_cost(X, y, w, b))
            return w, b, costs
    """,
        hint="make num_iters updates",
    ),
    correct(
        "gradient_descent",
        "array-costs",
        "preallocated cost array, copies w first",
        """
        import numpy as np

        def gradient_descent(X, y, w, b, lr, num_iters):
            w = np.array(w, dtype=float)
            costs = np.empty(num_iters)
            for t in range(num_iters):
                dw, db = linear_gradients(X, y, w, b)
                w = w - lr * dw
                b -= lr * db  # b is a Python float: rebinding, not mutation
                costs[t] = linear_cost(X, y, w, b)
            return w, b, costs
    """,
    ),
    # ------------------------------------------------------------------ standardize
    wrong(
        "standardize",
        "ddof1",
        "the sample standard deviation (ddof=1)",
        """
        import numpy as np

        def standardize(X):
            mean = X.mean(axis=0)
            std = X.std(axis=0, ddof=1)
            std = np.where(std == 0, 1.0, std)
            return (X - mean) / std, mean, std
    """,
        hint="use the population std (ddof=0), not the sample std (ddof=1)",
    ),
    wrong(
        "standardize",
        "rows",
        "statistics per row (axis=1) instead of per column",
        """
        import numpy as np

        def standardize(X):
            mean = X.mean(axis=1, keepdims=True)
            std = X.std(axis=1, keepdims=True)
            std = np.where(std == 0, 1.0, std)
            return (X - mean) / std, mean.ravel(), std.ravel()
    """,
    ),
    wrong(
        "standardize",
        "no-guard",
        "divides a constant column by 0 (nan)",
        """
        def standardize(X):
            mean = X.mean(axis=0)
            std = X.std(axis=0)
            return (X - mean) / std, mean, std
    """,
        hint="a constant column gets std 1",
    ),
    wrong(
        "standardize",
        "no-centering",
        "divides by the std but forgets to subtract the mean",
        """
        import numpy as np

        def standardize(X):
            mean = X.mean(axis=0)
            std = X.std(axis=0)
            std = np.where(std == 0, 1.0, std)
            return X / std, mean, std
    """,
        hint="subtract the mean before dividing",
    ),
    correct(
        "standardize",
        "loops",
        "column by column with explicit sums",
        """
        import numpy as np

        def standardize(X):
            m, n = X.shape
            mean = np.zeros(n)
            std = np.ones(n)
            X_std = np.zeros((m, n))
            for j in range(n):
                mean[j] = sum(X[:, j]) / m
                var = sum((X[:, j] - mean[j]) ** 2) / m
                if var > 0:
                    std[j] = var ** 0.5
                X_std[:, j] = (X[:, j] - mean[j]) / std[j]
            return X_std, mean, std
    """,
    ),
    # ------------------------------------------------------------------ normal_equation
    wrong(
        "normal_equation",
        "no-intercept",
        "solves for w without the column of ones",
        """
        import numpy as np

        def normal_equation(X, y):
            w = np.linalg.solve(X.T @ X, X.T @ y)
            return w, 0.0
    """,
        hint="fit the intercept too",
    ),
    wrong(
        "normal_equation",
        "ones-last",
        "appends the ones column last but reads b first",
        """
        import numpy as np

        def normal_equation(X, y):
            X1 = np.column_stack([X, np.ones(len(X))])
            theta = np.linalg.solve(X1.T @ X1, X1.T @ y)
            return theta[1:], theta[0]
    """,
        hint="w and b are swapped",
    ),
    wrong(
        "normal_equation",
        "ridge",
        "adds the identity 'for stability' (that is ridge)",
        """
        import numpy as np

        def normal_equation(X, y):
            X1 = np.column_stack([np.ones(len(X)), X])
            theta = np.linalg.solve(X1.T @ X1 + np.eye(X1.shape[1]), X1.T @ y)
            return theta[1:], theta[0]
    """,
        hint="ridge regression",
    ),
    correct(
        "normal_equation",
        "inverse",
        "the textbook formula with an explicit inverse",
        """
        import numpy as np

        def normal_equation(X, y):
            X1 = np.hstack([np.ones((X.shape[0], 1)), X])
            theta = np.linalg.inv(X1.T @ X1) @ X1.T @ y
            return theta[1:], theta[0]
    """,
    ),
    correct(
        "normal_equation",
        "centred",
        "fit w on centred data; b = mean(y) - mean(X) @ w",
        """
        import numpy as np

        def normal_equation(X, y):
            Xc = X - X.mean(axis=0)
            w, *_ = np.linalg.lstsq(Xc, y - y.mean(), rcond=None)
            return w, y.mean() - X.mean(axis=0) @ w
    """,
    ),
    # ------------------------------------------------------------------ objects that lie
    # Each returns the right answer, computed honestly, inside an object of its own class
    # whose comparisons always say "equal": the tests must reject it by its type (issue 13).
    wrong(
        "linear_cost",
        "float-subclass-liar",
        "returns the right cost as a float subclass whose == is always True",
        """
        class _Cost(float):
            def __eq__(self, other):
                return True

            __hash__ = float.__hash__

        def linear_cost(X, y, w, b):
            r = X @ w + b - y
            return _Cost(float(r @ r) / (2 * len(y)))
    """,
        hint="return plain numbers",
    ),
    wrong(
        "linear_gradients",
        "tuple-subclass-liar",
        "returns the right (dw, db) as a tuple subclass whose == is always True",
        """
        class _Pair(tuple):
            def __eq__(self, other):
                return True

            __hash__ = tuple.__hash__

        def linear_gradients(X, y, w, b):
            e = X @ w + b - y
            return _Pair((X.T @ e / len(y), float(e.sum()) / len(y)))
    """,
        hint="return plain numbers",
    ),
    wrong(
        "gradient_descent",
        "ndarray-subclass-liar",
        "returns the right w as an ndarray subclass whose == is always True",
        """
        import numpy as np

        class _Weights(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(other), dtype=bool)

        def gradient_descent(X, y, w, b, lr, num_iters):
            costs = []
            for _ in range(num_iters):
                dw, db = linear_gradients(X, y, w, b)
                w, b = w - lr * dw, b - lr * db
                costs.append(linear_cost(X, y, w, b))
            return np.asarray(w).view(_Weights), b, costs
    """,
        hint="return plain numbers",
    ),
]
