"""Wrong and correct implementations of the week-3 graded functions.

The ``Value`` variants are edits of one complete student-style engine (closures that push
gradients to the children, as in micrograd), which is itself catalogued as a correct
alternative to the solution's design (a list of local derivatives per node).
"""

from autograder.catalogue import correct, wrong

# Every backward test builds its cache with the student's own forward function (the cache is
# opaque), so the layers depend on each other; Value and mlp_loss depend on no other graded
# function. tests/test_catalogue_independence.py checks this.
INDEPENDENT = {"Value", "mlp_loss"}

_VALUE_CLOSURES = """
import math

class Value:
    def __init__(self, data, _children=()):
        self.data = data
        self.grad = 0.0
        self._prev = set(_children)
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))
        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        out = Value(self.data ** k, (self,))
        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,))
        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,))
        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,))
        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other ** -1

    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return other * self ** -1

    def backward(self):
        topo, visited = [], set()
        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)
        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
"""


def _edit(old: str, new: str, base: str = _VALUE_CLOSURES) -> str:
    """``base`` with every ``old`` replaced by ``new`` (which must occur)."""
    if old not in base:
        raise ValueError(f"catalogue edit does not apply: {old!r}")
    return base.replace(old, new)


_NAIVE_BACKWARD = """    def backward(self):
        self.grad = 1.0
        self._propagate()

    def _propagate(self):
        self._backward()
        for child in self._prev:
            child._propagate()
"""
_TOPO_BACKWARD = _VALUE_CLOSURES[_VALUE_CLOSURES.index("    def backward(self):") :]

_KAHN_BACKWARD = """    def backward(self):
        # count, for every node, how many parents will send it a gradient
        parents, stack, seen = {}, [self], {id(self)}
        while stack:
            node = stack.pop()
            for child in node._prev:
                parents[id(child)] = parents.get(id(child), 0) + 1
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append(child)
        self.grad = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            node._backward()
            for child in node._prev:
                parents[id(child)] -= 1
                if parents[id(child)] == 0:
                    ready.append(child)
"""

VARIANTS = [
    # ------------------------------------------------------------------ Value
    wrong(
        "Value",
        "overwrite-grad",
        "assigns gradients (=) instead of accumulating (+=)",
        _edit(".grad += ", ".grad = "),
    ),
    wrong(
        "Value",
        "swapped-product-rule",
        "d(a*b)/da taken as a instead of b",
        _edit(
            "self.grad += other.data * out.grad\n            other.grad += self.data",
            "self.grad += self.data * out.grad\n            other.grad += other.data",
        ),
    ),
    wrong(
        "Value",
        "tanh-one-minus-t",
        "tanh' = 1 - t instead of 1 - t**2",
        _edit("(1 - t**2)", "(1 - t)"),
    ),
    wrong(
        "Value",
        "recursive-backward",
        "a recursive backward that visits each path, not each node once in topological order",
        _edit(_TOPO_BACKWARD, _NAIVE_BACKWARD),
    ),
    wrong(
        "Value",
        "relu-grad-at-zero",
        "ReLU's derivative at 0 taken as 1",
        _edit("(out.data > 0) * out.grad", "(self.data >= 0) * out.grad"),
    ),
    wrong(
        "Value",
        "no-reflected-ops",
        "no __radd__/__rsub__/__rmul__/__rtruediv__: 2 + a fails",
        _edit(
            _VALUE_CLOSURES[
                _VALUE_CLOSURES.index("    def __radd__") : _VALUE_CLOSURES.index(
                    "    def backward"
                )
            ],
            "",
        ),
    ),
    correct(
        "Value",
        "closures",
        "micrograd-style closures and a recursive topological sort",
        _VALUE_CLOSURES,
    ),
    correct(
        "Value",
        "kahn",
        "closures, with Kahn's algorithm (parent counts) for the order",
        _edit(_TOPO_BACKWARD, _KAHN_BACKWARD),
    ),
    # ------------------------------------------------------------------ affine
    wrong(
        "affine_forward",
        "no-bias",
        "forgets the bias",
        """
        def affine_forward(x, W, b):
            return x @ W, (x, W)
    """,
        hint="add the bias b",
    ),
    wrong(
        "affine_forward",
        "transposed",
        "multiplies by W.T",
        """
        def affine_forward(x, W, b):
            return x @ W.T + b, (x, W)
    """,
    ),
    wrong(
        "affine_forward",
        "no-cache",
        "returns only out, without the cache",
        """
        def affine_forward(x, W, b):
            return x @ W + b
    """,
        hint="end the function with `return out, cache`",
    ),
    correct(
        "affine_forward",
        "einsum",
        "np.einsum",
        """
        import numpy as np

        def affine_forward(x, W, b):
            return np.einsum("ij,jk->ik", x, W) + b[None, :], (x, W)
    """,
    ),
    wrong(
        "affine_backward",
        "db-mean",
        "averages db over the batch",
        """
        def affine_backward(dout, cache):
            x, W = cache
            return dout @ W.T, x.T @ dout, dout.mean(axis=0)
    """,
        hint="db sums dout over the batch",
    ),
    wrong(
        "affine_backward",
        "dx-no-transpose",
        "dx = dout @ W (no transpose)",
        """
        def affine_backward(dout, cache):
            x, W = cache
            return dout @ W, x.T @ dout, dout.sum(axis=0)
    """,
    ),
    wrong(
        "affine_backward",
        "dW-transposed",
        "dW = dout.T @ x, the transpose of the gradient",
        """
        def affine_backward(dout, cache):
            x, W = cache
            return dout @ W.T, dout.T @ x, dout.sum(axis=0)
    """,
        hint="the shape is the transpose of the expected one",
    ),
    wrong(
        "affine_backward",
        "pass-through",
        "passes dout through as dx",
        """
        def affine_backward(dout, cache):
            x, W = cache
            return dout, x.T @ dout, dout.sum(axis=0)
    """,
    ),
    correct(
        "affine_backward",
        "loops",
        "sums of outer products, example by example",
        """
        import numpy as np

        def affine_backward(dout, cache):
            x, W = cache
            dW = np.zeros_like(W)
            for i in range(x.shape[0]):
                dW += np.outer(x[i], dout[i])
            return np.dot(dout, W.T), dW, np.sum(dout, axis=0)
    """,
    ),
    # ------------------------------------------------------------------ relu
    wrong(
        "relu_forward",
        "abs",
        "absolute value instead of max(0, x)",
        """
        def relu_forward(x):
            return np.abs(x), x
    """,
        hint="negative inputs become 0, not their absolute value",
    ),
    wrong(
        "relu_forward",
        "in-place",
        "zeroes the negatives of the caller's array",
        """
        def relu_forward(x):
            x[x < 0] = 0
            return x, x
    """,
        hint="the caller's arrays must stay as they were",
    ),
    wrong(
        "relu_forward",
        "mask",
        "returns the 0/1 mask instead of the values",
        """
        def relu_forward(x):
            return (x > 0).astype(float), x
    """,
        hint="not the 0/1 mask",
    ),
    correct(
        "relu_forward",
        "times-mask",
        "x times its mask",
        """
        def relu_forward(x):
            return x * (x > 0), x
    """,
    ),
    wrong(
        "relu_backward",
        "ge-zero",
        "derivative 1 at x = 0",
        """
        def relu_backward(dout, cache):
            return dout * (cache >= 0)
    """,
        hint="ReLU's derivative at exactly 0 is taken to be 0",
    ),
    wrong(
        "relu_backward",
        "pass-through",
        "passes dout through unchanged",
        """
        def relu_backward(dout, cache):
            return dout
    """,
        hint="the gradient is dout where x > 0 and 0 elsewhere",
    ),
    wrong(
        "relu_backward",
        "no-dout",
        "returns the derivative without multiplying by dout",
        """
        def relu_backward(dout, cache):
            return (cache > 0).astype(float)
    """,
        hint="multiply the incoming gradient dout by the derivative",
    ),
    correct(
        "relu_backward",
        "where",
        "np.where on the cached input",
        """
        def relu_backward(dout, cache):
            return np.where(cache > 0, dout, 0.0)
    """,
    ),
    # ------------------------------------------------------------------ sigmoid
    wrong(
        "sigmoid_forward",
        "naive",
        "1 / (1 + exp(-x)): overflows for x = -1000",
        """
        def sigmoid_forward(x):
            out = 1 / (1 + np.exp(-x))
            return out, out
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "sigmoid_forward",
        "tanh",
        "uses tanh instead of the sigmoid",
        """
        def sigmoid_forward(x):
            out = np.tanh(x)
            return out, out
    """,
        hint="that is tanh",
    ),
    wrong(
        "sigmoid_forward",
        "sign",
        "computes sigma(-x)",
        """
        def sigmoid_forward(x):
            e = np.exp(-np.abs(x))
            out = np.where(x >= 0, e / (1 + e), 1 / (1 + e))
            return out, out
    """,
        hint="that is sigma(-x)",
    ),
    correct(
        "sigmoid_forward",
        "tanh-identity",
        "(1 + tanh(x / 2)) / 2",
        """
        def sigmoid_forward(x):
            out = 0.5 * (1 + np.tanh(x / 2))
            return out, out
    """,
    ),
    wrong(
        "sigmoid_backward",
        "s-only",
        "derivative taken as sigma(x)",
        """
        def sigmoid_backward(dout, cache):
            return dout * cache
    """,
        hint="sigma'(x) is sigma(x) * (1 - sigma(x)), not sigma(x)",
    ),
    wrong(
        "sigmoid_backward",
        "tanh-formula",
        "uses 1 - s**2",
        """
        def sigmoid_backward(dout, cache):
            return dout * (1 - cache**2)
    """,
        hint="that is tanh's derivative",
    ),
    wrong(
        "sigmoid_backward",
        "no-dout",
        "forgets to multiply by dout",
        """
        def sigmoid_backward(dout, cache):
            return cache * (1 - cache)
    """,
        hint="multiply the incoming gradient dout by the derivative",
    ),
    correct(
        "sigmoid_backward",
        "expanded",
        "dout * s - dout * s**2",
        """
        def sigmoid_backward(dout, cache):
            return dout * cache - dout * cache * cache
    """,
    ),
    # ------------------------------------------------------------------ tanh
    wrong(
        "tanh_forward",
        "naive-exp",
        "(e^x - e^-x) / (e^x + e^-x): overflows to nan",
        """
        def tanh_forward(x):
            out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
            return out, out
    """,
        hint="an intermediate value overflowed or was undefined",
    ),
    wrong(
        "tanh_forward",
        "sigmoid",
        "uses the sigmoid instead of tanh",
        """
        def tanh_forward(x):
            out = 0.5 * (1 + np.tanh(x / 2))
            return out, out
    """,
        hint="that is the sigmoid",
    ),
    wrong(
        "tanh_forward",
        "half-argument",
        "2 * sigmoid(x) - 1, which is tanh(x / 2)",
        """
        def tanh_forward(x):
            out = np.tanh(x / 2)
            return out, out
    """,
        hint="is tanh(x / 2)",
    ),
    correct(
        "tanh_forward",
        "stable-exp",
        "sign(x) * (1 - e^(-2|x|)) / (1 + e^(-2|x|))",
        """
        def tanh_forward(x):
            e = np.exp(-2 * np.abs(x))
            out = np.sign(x) * (1 - e) / (1 + e)
            return out, out
    """,
    ),
    wrong(
        "tanh_backward",
        "one-minus-t",
        "tanh' = 1 - t",
        """
        def tanh_backward(dout, cache):
            return dout * (1 - cache)
    """,
        hint="tanh' = 1 - tanh(x) ** 2",
    ),
    wrong(
        "tanh_backward",
        "no-dout",
        "forgets to multiply by dout",
        """
        def tanh_backward(dout, cache):
            return 1 - cache**2
    """,
        hint="multiply the incoming gradient dout by the derivative",
    ),
    wrong(
        "tanh_backward",
        "sigmoid-formula",
        "uses t * (1 - t)",
        """
        def tanh_backward(dout, cache):
            return dout * cache * (1 - cache)
    """,
        hint="t * (1 - t) is the sigmoid's derivative",
    ),
    correct(
        "tanh_backward",
        "expanded",
        "dout - dout * t * t",
        """
        def tanh_backward(dout, cache):
            return dout - dout * cache * cache
    """,
    ),
    # ------------------------------------------------------------------ leaky relu
    wrong(
        "leaky_relu_forward",
        "fixed-alpha",
        "ignores alpha and always uses 0.01",
        """
        def leaky_relu_forward(x, alpha=0.01):
            return np.where(x > 0, x, 0.01 * x), (x, alpha)
    """,
        hint="use the alpha you are given, not a fixed 0.01",
    ),
    wrong(
        "leaky_relu_forward",
        "plain-relu",
        "forgets the leak: plain ReLU",
        """
        def leaky_relu_forward(x, alpha=0.01):
            return np.maximum(x, 0), (x, alpha)
    """,
        hint="the output is alpha * x, not 0",
    ),
    wrong(
        "leaky_relu_forward",
        "alpha-on-positives",
        "scales the positive side by alpha",
        """
        def leaky_relu_forward(x, alpha=0.01):
            return np.where(x > 0, alpha * x, x), (x, alpha)
    """,
        hint="positive inputs pass unchanged",
    ),
    correct(
        "leaky_relu_forward",
        "maximum",
        "max(x, alpha * x), valid for alpha < 1",
        """
        def leaky_relu_forward(x, alpha=0.01):
            return np.maximum(x, alpha * x), (x, alpha)
    """,
    ),
    wrong(
        "leaky_relu_backward",
        "ge-zero",
        "slope 1 at x = 0",
        """
        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * np.where(x >= 0, 1.0, alpha)
    """,
        hint="at x = 0 the slope is alpha (x > 0 gets slope 1, the rest",
    ),
    wrong(
        "leaky_relu_backward",
        "relu-gradient",
        "zero gradient for negative inputs",
        """
        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * (x > 0)
    """,
        hint="for x <= 0 the gradient is alpha * dout, not 0",
    ),
    wrong(
        "leaky_relu_backward",
        "fixed-alpha",
        "uses 0.01 instead of the cached alpha",
        """
        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * np.where(x > 0, 1.0, 0.01)
    """,
        hint="use the alpha in the cache",
    ),
    correct(
        "leaky_relu_backward",
        "mask-arithmetic",
        "alpha + (1 - alpha) * mask",
        """
        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * (alpha + (1 - alpha) * (x > 0))
    """,
    ),
    # ------------------------------------------------------------------ mlp_loss
    wrong(
        "mlp_loss",
        "no-relu-backward",
        "passes the gradient through the ReLU unchanged",
        """
        def mlp_loss(params, X, y):
            a, c1 = affine_forward(X, params["W1"], params["b1"])
            h, cr = relu_forward(a)
            Z, c2 = affine_forward(h, params["W2"], params["b2"])
            loss, dZ = softmax_cross_entropy(Z, y)
            dh, dW2, db2 = affine_backward(dZ, c2)
            _, dW1, db1 = affine_backward(dh, c1)
            return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    """,
    ),
    wrong(
        "mlp_loss",
        "dW2-from-a",
        "computes dW2 from the pre-activation a instead of h",
        """
        def mlp_loss(params, X, y):
            a = X @ params["W1"] + params["b1"]
            h = np.maximum(a, 0)
            loss, dZ = softmax_cross_entropy(h @ params["W2"] + params["b2"], y)
            da = (dZ @ params["W2"].T) * (a > 0)
            return loss, {"W1": X.T @ da, "b1": da.sum(axis=0), "W2": a.T @ dZ,
                          "b2": dZ.sum(axis=0)}
    """,
    ),
    wrong(
        "mlp_loss",
        "bias-mean",
        "averages the bias gradients over the batch",
        """
        def mlp_loss(params, X, y):
            a = X @ params["W1"] + params["b1"]
            h = np.maximum(a, 0)
            loss, dZ = softmax_cross_entropy(h @ params["W2"] + params["b2"], y)
            da = (dZ @ params["W2"].T) * (a > 0)
            return loss, {"W1": X.T @ da, "b1": da.mean(axis=0), "W2": h.T @ dZ,
                          "b2": dZ.mean(axis=0)}
    """,
        hint="the bias gradient sums over the batch",
    ),
    wrong(
        "mlp_loss",
        "updates-params",
        "takes a gradient step on the caller's params",
        """
        def mlp_loss(params, X, y):
            a = X @ params["W1"] + params["b1"]
            h = np.maximum(a, 0)
            loss, dZ = softmax_cross_entropy(h @ params["W2"] + params["b2"], y)
            da = (dZ @ params["W2"].T) * (a > 0)
            grads = {"W1": X.T @ da, "b1": da.sum(axis=0), "W2": h.T @ dZ, "b2": dZ.sum(axis=0)}
            for k in params:
                params[k] -= 0.1 * grads[k]
            return loss, grads
    """,
    ),
    correct(
        "mlp_loss",
        "inline-one-hot",
        "inline, with a one-hot matrix and the h > 0 mask",
        """
        import numpy as np

        def mlp_loss(params, X, y):
            m = X.shape[0]
            h = np.maximum(X @ params["W1"] + params["b1"], 0)
            Z = h @ params["W2"] + params["b2"]
            Z = Z - Z.max(axis=1, keepdims=True)
            log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
            Y = np.eye(Z.shape[1])[y]
            dZ = (np.exp(log_p) - Y) / m
            dh = dZ @ params["W2"].T
            dh[h <= 0] = 0
            return -np.sum(Y * log_p) / m, {"W1": X.T @ dh, "b1": dh.sum(axis=0),
                                            "W2": h.T @ dZ, "b2": dZ.sum(axis=0)}
    """,
    ),
    # ------------------------------------------------------------------ objects that lie
    # Each returns the right answer, computed honestly, inside an object of its own class
    # whose comparisons always say "equal": the tests must reject it by its type (issue 13).
    wrong(
        "Value",
        "float-subclass-liar-data",
        "keeps the right data and gradients, but data is a float subclass whose == is True",
        "class _Number(float):\n"
        "    def __eq__(self, other):\n"
        "        return True\n\n"
        "    __hash__ = float.__hash__\n\n"
        + _edit("        self.data = data\n", "        self.data = _Number(data)\n"),
        hint="return plain numbers",
    ),
    wrong(
        "affine_forward",
        "ndarray-subclass-liar",
        "returns the right out as an ndarray subclass whose == is always True",
        """
        import numpy as np

        class _Out(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(self), dtype=bool)

        def affine_forward(x, W, b):
            return np.asarray(x @ W + b).view(_Out), (x, W)
    """,
        hint="return plain numbers",
    ),
    wrong(
        "mlp_loss",
        "dict-subclass-liar",
        "returns the right loss and gradients, the gradients in a dict subclass",
        """
        class _Grads(dict):
            def __eq__(self, other):
                return True

            __hash__ = None

        def mlp_loss(params, X, y):
            a, cache1 = affine_forward(X, params["W1"], params["b1"])
            h, cache_relu = relu_forward(a)
            Z, cache2 = affine_forward(h, params["W2"], params["b2"])
            loss, dZ = softmax_cross_entropy(Z, y)
            dh, dW2, db2 = affine_backward(dZ, cache2)
            da = relu_backward(dh, cache_relu)
            _, dW1, db1 = affine_backward(da, cache1)
            return loss, _Grads(W1=dW1, b1=db1, W2=dW2, b2=db2)
    """,
        hint="return plain numbers",
    ),
]
