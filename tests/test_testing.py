"""Unit tests for dlcourse.testing: the helpers must fail on wrong answers, pass right ones,
and say something useful when they fail."""

import sys

import numpy as np
import pytest

from dlcourse.testing import (
    assert_close,
    cache_of,
    call_without_mutation,
    call_without_warnings,
    check_draws,
    check_schedule,
    check_separate_states,
    compare_paths,
    expect_error,
    expect_plain,
    expect_tuple,
    format_value,
    gradient_sequence,
    run_optimizer,
    single_gradient,
)


def message_of(func, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        func(*args, **kwargs)
    return str(info.value)


def test_assert_close_accepts_equal_values_within_tolerance():
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-12]), name="f")
    assert_close(np.float64(3.0), 3.0, name="f")
    assert_close(3, 3.0, name="f")
    assert_close(np.array(3.0), 3.0, name="f")


def test_assert_close_reports_inputs_expected_got_and_first_wrong_entry():
    msg = message_of(
        assert_close,
        np.array([1.0, 5.0, 7.0]),
        np.array([1.0, 2.0, 3.0]),
        name="linear_predict",
        inputs={"w": np.array([0.5])},
    )
    assert "linear_predict" in msg
    assert "2 of 3 entries wrong" in msg
    assert "first wrong entry: index (1,), expected 2, got 5" in msg
    assert "w = array of shape (1,): [0.5]" in msg


def test_assert_close_reports_none_as_a_missing_return():
    msg = message_of(assert_close, None, 1.0, name="linear_cost")
    assert "returned None" in msg and "return" in msg


def test_assert_close_rejects_non_numbers():
    msg = message_of(assert_close, "abc", 1.0, name="f")
    assert "f returned a str; return a number" in msg
    msg = message_of(assert_close, [[1.0], [2.0, 3.0]], np.ones(2), name="f")
    assert "not numbers" in msg


@pytest.mark.parametrize(
    ("got", "expected", "fragment"),
    [
        (np.ones((3, 1)), np.ones(3), "column vector"),
        (np.ones((2, 3)), np.ones((3, 2)), "transpose"),
        (np.ones(3), 1.0, "single number"),
        (1.0, np.ones(3), "should be an array"),
    ],
)
def test_assert_close_explains_wrong_shapes(got, expected, fragment):
    msg = message_of(assert_close, got, expected, name="f")
    assert "returned shape" in msg
    assert fragment in msg


@pytest.mark.parametrize(
    ("factor", "fragment"),
    [(2.0, "exactly 2x"), (0.5, "exactly half"), (-1.0, "wrong sign"), (7.0, "7x the expected")],
)
def test_assert_close_names_constant_factors(factor, fragment):
    expected = np.array([1.0, -2.0, 0.0, 4.0])
    msg = message_of(assert_close, factor * expected, expected, name="f")
    assert fragment in msg


def test_assert_close_names_a_catalogued_mistake_before_generic_hints():
    expected = np.array([1.0, 2.0])
    msg = message_of(
        assert_close,
        np.array([3.0, 3.0]),
        expected,
        name="f",
        mistakes={"you forgot the bias": np.array([3.0, 3.0]), "other": np.array([9.0, 9.0])},
    )
    assert "Hint: you forgot the bias" in msg
    assert "other" not in msg


def test_assert_close_gives_no_hint_for_an_unrecognised_error():
    msg = message_of(assert_close, np.array([1.0, 5.0]), np.array([1.0, 2.0]), name="f")
    assert "Hint" not in msg


def test_assert_close_flags_nan_and_inf():
    msg = message_of(assert_close, np.array([np.nan, 1.0]), np.array([0.0, 1.0]), name="f")
    assert "nan or inf" in msg


def test_assert_close_finds_a_transposed_square_matrix():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    msg = message_of(assert_close, expected.T, expected, name="f")
    assert "transpose" in msg


def test_expect_tuple_returns_the_values_and_rejects_wrong_counts():
    assert expect_tuple((1, 2), ("dw", "db"), name="g") == (1, 2)
    msg = message_of(expect_tuple, np.ones(3), ("dw", "db"), name="linear_gradients")
    assert "should return 2 values (dw, db)" in msg
    assert "return dw, db" in msg
    msg = message_of(expect_tuple, (1, 2, 3), ("dw", "db"), name="g")
    assert "returned 3" in msg


def test_call_without_mutation_returns_the_result_when_inputs_are_untouched():
    def pure(x, y):
        return x + y

    x = np.array([1.0, 2.0])
    out = call_without_mutation(pure, x, y=np.array([1.0, 1.0]))
    np.testing.assert_array_equal(out, [2.0, 3.0])


def test_call_without_mutation_names_the_argument_changed_in_place():
    def bad(w, dw):
        w -= dw
        return w

    msg = message_of(call_without_mutation, bad, np.array([1.0, 2.0]), np.array([0.5, 0.5]))
    assert "changed its input `w` in place" in msg
    assert "w = w.copy()" in msg


def test_call_without_mutation_catches_changed_lists():
    def appends(values):
        values.append(1)

    msg = message_of(call_without_mutation, appends, [0])
    assert "`values`" in msg


def test_format_value_summarises_large_arrays():
    text = format_value(np.arange(1000.0))
    assert text.startswith("array of shape (1000,)")
    assert len(text) < 120
    assert format_value(0.1 + 0.2) == "0.3"
    assert format_value("x") == "'x'"


def test_call_without_warnings_returns_the_result_of_a_quiet_function():
    z = np.array([-1000.0, 0.0, 1000.0])
    out = call_without_warnings(lambda v: np.exp(-np.abs(v)), z)
    np.testing.assert_array_equal(out, [0.0, 1.0, 0.0])


def test_call_without_warnings_turns_an_overflow_into_a_failure_naming_it():
    def naive_sigmoid(z):
        return 1 / (1 + np.exp(-z))

    with pytest.raises(AssertionError, match="naive_sigmoid: emitted a RuntimeWarning.*overflow"):
        call_without_warnings(naive_sigmoid, np.array([-1000.0]))


def test_call_without_warnings_catches_warnings_even_when_numpy_is_set_to_ignore_them():
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match="divide by zero"):
        call_without_warnings(np.log, np.array([0.0]))


def test_call_without_warnings_still_checks_for_mutation():
    def clip_in_place(p):
        p[p < 0.1] = 0.1
        return p

    with pytest.raises(AssertionError, match="changed its input `p` in place"):
        call_without_warnings(clip_in_place, np.array([0.0, 0.5]))


def test_call_without_mutation_names_the_first_changed_entry_at_full_precision():
    def clip_in_place(p):
        p[p < 1e-12] = 1e-12
        return p

    with pytest.raises(AssertionError, match=r"index \(1,\), np.float64\(0.0\) became .*1e-12"):
        call_without_mutation(clip_in_place, np.array([0.5, 0.0]))


# ------------------------------------------------------------------ objects that lie
#
# A returned object that behaves like a number when converted could run code inside a test's
# assertion, where the expected value is on the stack. Every method such an object might
# have records that it ran; the helpers must reject it by its type without calling any.

CALLED: list[str] = []

_DUNDERS = [
    "__array__",
    "__float__",
    "__int__",
    "__index__",
    "__complex__",
    "__len__",
    "__iter__",
    "__getitem__",
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__bool__",
    "__repr__",
    "__str__",
    "__format__",
    "__hash__",
    "__abs__",
    "__neg__",
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__pow__",
    "__array_ufunc__",
    "__array_function__",
    "__array_finalize__",
    "__copy__",
    "__deepcopy__",
    "__reduce__",
    "__reduce_ex__",
    "__contains__",
    "__getattr__",
    "__array_wrap__",
    "__round__",
    "__reversed__",
]


_RETURNS = {  # what each method answers: enough for the attack to work if it ran
    "__hash__": lambda: 1,
    "__len__": lambda: 1,
    "__index__": lambda: 0,
    "__int__": lambda: 0,
    "__bool__": lambda: True,
    "__repr__": lambda: "0.5",
    "__str__": lambda: "0.5",
    "__format__": lambda: "0.5",
    "__iter__": lambda: iter([0.5]),
    "__reversed__": lambda: iter([0.5]),
    "__array__": lambda: np.array(0.5),
    "__complex__": lambda: 0.5j,
    "__reduce__": lambda: (float, (0.5,)),
    "__reduce_ex__": lambda: (float, (0.5,)),
    "__array_finalize__": lambda: None,
}


def _recording(method_name):
    def method(self, *args, **kwargs):
        CALLED.append(method_name)
        if method_name == "__getattr__":
            raise AttributeError(args[0])
        if method_name in ("__copy__", "__deepcopy__"):
            return self
        if method_name in _RETURNS:
            return _RETURNS[method_name]()
        return 0.5  # the "expected value" a real attack would have found on the stack

    return method


def _liar_namespace(claims):
    ns = {name: _recording(name) for name in _DUNDERS}
    ns["__array_priority__"] = 1000.0
    ns["__array_interface__"] = property(lambda self: CALLED.append("__array_interface__"))
    ns["shape"] = property(lambda self: CALLED.append("shape") or ())
    ns["dtype"] = property(lambda self: CALLED.append("dtype") or np.dtype(float))
    ns["__class__"] = property(lambda self: CALLED.append("__class__") or claims)
    return ns


_Liar = type("_Liar", (), _liar_namespace(float))
_ArrayLiar = type("_ArrayLiar", (), _liar_namespace(np.ndarray))
_FloatLiar = type("_FloatLiar", (float,), _liar_namespace(float))
_NumpyFloatLiar = type("_NumpyFloatLiar", (np.float64,), _liar_namespace(np.float64))
_TupleLiar = type("_TupleLiar", (tuple,), _liar_namespace(tuple))
_ListLiar = type("_ListLiar", (list,), _liar_namespace(list))
_DictLiar = type("_DictLiar", (dict,), _liar_namespace(dict))
_StrLiar = type("_StrLiar", (str,), _liar_namespace(str))


class _ArraySubclass(np.ndarray):
    def __array_finalize__(self, obj):
        CALLED.append("__array_finalize__ (after the check)")

    def __array_ufunc__(self, *args, **kwargs):
        CALLED.append("__array_ufunc__")
        return 0.5

    def __array_function__(self, *args, **kwargs):
        CALLED.append("__array_function__")
        return 0.5

    def __eq__(self, other):
        CALLED.append("__eq__")
        return True

    def __len__(self):
        CALLED.append("__len__")
        return 1

    def __repr__(self):
        CALLED.append("__repr__")
        return "array(0.5)"


class _LyingMeta(type):
    @property
    def __name__(cls):
        CALLED.append("metaclass __name__")
        return "float"

    def __eq__(cls, other):
        CALLED.append("metaclass __eq__")
        return True

    def __hash__(cls):
        CALLED.append("metaclass __hash__")
        return hash(float)

    @property
    def __mro__(cls):
        CALLED.append("metaclass __mro__")
        return (float, object)


_MetaLiar = _LyingMeta("_MetaLiar", (), _liar_namespace(float))
_MetaFloatLiar = _LyingMeta("_MetaFloatLiar", (float,), _liar_namespace(float))


def _array_subclass():
    arr = np.array([0.5, 1.0]).view(_ArraySubclass)
    CALLED.clear()  # the view itself ran __array_finalize__; the test starts from here
    return arr


def _object_array():
    arr = np.empty(2, dtype=object)
    arr[0], arr[1] = _Liar(), 1.0
    return arr


def _str_subclass_named():
    cls = type("_Renamed", (), _liar_namespace(float))
    cls.__name__ = _StrLiar("_Renamed")
    return cls()


LIARS = {
    "plain object claiming float": (_Liar, "_Liar"),
    "plain object claiming ndarray": (_ArrayLiar, "_ArrayLiar"),
    "float subclass": (lambda: _FloatLiar(0.5), "_FloatLiar, a subclass of float"),
    "np.float64 subclass": (lambda: _NumpyFloatLiar(0.5), "_NumpyFloatLiar, a subclass of"),
    "ndarray subclass": (_array_subclass, "_ArraySubclass, a subclass of numpy.ndarray"),
    "tuple subclass": (lambda: _TupleLiar((0.5, 1.0)), "_TupleLiar, a subclass of tuple"),
    "list subclass": (lambda: _ListLiar([0.5]), "_ListLiar, a subclass of list"),
    "dict subclass": (lambda: _DictLiar(a=0.5), "_DictLiar, a subclass of dict"),
    "object-dtype array holding a liar": (_object_array, "array of object dtype"),
    "list holding a liar": (lambda: [1.0, _Liar()], "is a _Liar"),
    "tuple holding a float subclass": (lambda: (np.ones(2), _FloatLiar(0.5)), "_FloatLiar"),
    "dict with a liar value": (lambda: {"W1": np.ones(2), "b1": _Liar()}, "is a _Liar"),
    "dict with a liar key": (lambda: {_StrLiar("W1"): np.ones(2)}, "_StrLiar"),
    "nested list holding an ndarray subclass": (
        lambda: [[1.0], [_array_subclass()]],
        "is a _ArraySubclass, a subclass of numpy.ndarray",
    ),
    "metaclass with a __name__ property": (_MetaLiar, "_MetaLiar"),
    "metaclass liar subclassing float": (lambda: _MetaFloatLiar(0.5), "_MetaFloatLiar"),
    "class whose __name__ is a str subclass": (_str_subclass_named, "_Renamed"),
    "a string": (lambda: "0.5", "a str"),
    "a complex number": (lambda: 0.5 + 0j, "a complex"),
    "a structured array": (lambda: np.zeros(2, dtype=[("a", float)]), "structured"),
    "a string array": (lambda: np.array(["0.5"]), "string dtype"),
    "a function": (lambda: lambda: 0.5, "a function"),
}


@pytest.fixture
def liar(request):
    make, fragment = LIARS[request.param]
    value = make()
    CALLED.clear()
    yield value, fragment
    assert CALLED == [], f"the check ran the object's own code: {CALLED}"


def _rejects(func, *args, fragment, **kwargs):
    with pytest.raises(AssertionError) as info:
        func(*args, **kwargs)
    message = str(info.value)
    assert fragment in message, message
    return message


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_expect_plain_rejects_by_type_without_running_any_of_its_code(liar):
    value, fragment = liar
    msg = _rejects(expect_plain, value, name="linear_cost", what="a float", fragment=fragment)
    assert "linear_cost returned" in msg


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_assert_close_rejects_a_liar_whatever_it_would_say(liar):
    value, fragment = liar
    _rejects(assert_close, value, 0.5, name="linear_cost", fragment=fragment)
    _rejects(assert_close, value, np.array([0.5, 1.0]), name="f", fragment=fragment)


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_expect_tuple_rejects_a_liar_or_a_tuple_holding_one(liar):
    value, fragment = liar
    if type(value) is tuple:  # already a tuple holding a liar
        _rejects(expect_tuple, value, ("dw", "db"), name="g", fragment=fragment)
    _rejects(expect_tuple, (np.ones(2), value), ("dw", "db"), name="g", fragment=fragment)
    _rejects(expect_tuple, value, ("dw", "db"), name="g", fragment="")


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_call_without_mutation_and_warnings_reject_a_returned_liar(liar):
    value, fragment = liar

    def linear_cost(X):
        return value

    for call in (call_without_mutation, call_without_warnings):
        if type(value) is tuple:  # a plain tuple's entries are left to expect_tuple
            assert call(linear_cost, np.ones(2)) is value
            _rejects(expect_tuple, value, ("dw", "db"), name="linear_cost", fragment=fragment)
        else:
            msg = _rejects(call, linear_cost, np.ones(2), fragment=fragment)
            assert "linear_cost" in msg


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_call_without_mutation_rejects_a_liar_put_into_a_list_argument(liar):
    value, fragment = liar

    def sneaky(values):
        values.append(value)
        return 1.0

    for call in (call_without_mutation, call_without_warnings):
        _rejects(call, sneaky, [1.0, 2.0], fragment=fragment.removeprefix("is ").split(",")[0])


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_format_value_shows_only_the_type_of_a_liar(liar):
    value, fragment = liar
    text = format_value(value)
    if type(value) is str:
        assert text == "'0.5'"
    else:
        assert text.startswith("<") and text.endswith(">"), text


def test_expect_plain_says_where_in_a_container_the_liar_is():
    msg = message_of(expect_plain, {"W1": np.ones(2), "b1": [1.0, _Liar()]}, name="mlp_loss")
    assert "mlp_loss returned a dict whose entry ['b1'][1] is a _Liar" in msg
    msg = message_of(expect_plain, _FloatLiar(0.5), name="linear_cost", what="a float")
    assert "linear_cost returned a _FloatLiar, a subclass of float; return a plain number" in msg
    msg = message_of(expect_plain, _Liar(), name="linear_cost", what="a float")
    assert "linear_cost returned a _Liar; return a float." in msg
    msg = message_of(expect_plain, _TupleLiar((1, 2)), name="f")
    assert "a subclass of tuple; return a plain tuple" in msg
    msg = message_of(expect_plain, np.ones(2).view(_ArraySubclass), name="f")
    assert "return a plain array" in msg


def test_a_plain_tuple_holding_a_liar_is_left_to_expect_tuple():
    value = (np.ones(2), _FloatLiar(0.5))
    CALLED.clear()
    got = call_without_mutation(lambda: value)
    assert got is value
    with pytest.raises(AssertionError, match="the db it returned is a _FloatLiar, a subclass of"):
        expect_tuple(got, ("dw", "db"), name="g")
    assert CALLED == []


def test_expect_tuple_passes_opaque_values_untouched():
    cache = _Liar()
    CALLED.clear()
    out, got = expect_tuple((np.ones(2), cache), ("out", "cache"), name="f", opaque=("cache",))
    assert got is cache and CALLED == []
    with pytest.raises(AssertionError, match="the out it returned is a _Liar"):
        expect_tuple((cache, cache), ("out", "cache"), name="f", opaque=("cache",))


def test_call_without_mutation_leaves_an_unplain_argument_untouched():
    cache = [_Liar()]  # a cache may be anything: it is passed on, never copied or compared
    CALLED.clear()
    assert call_without_mutation(lambda dout, c: dout * 2, np.ones(2), cache)[0] == 2.0
    assert CALLED == []


def test_call_without_mutation_rejects_a_liar_put_into_a_dict_argument():
    def sneaky(params):
        params["W1"] = _Liar()
        return 1.0

    CALLED.clear()
    with pytest.raises(AssertionError, match=r"sneaky's argument `params` .*\['W1'\] is a _Liar"):
        call_without_mutation(sneaky, {"W1": np.ones(2)})
    assert CALLED == []


def test_expect_plain_reports_none_as_a_missing_return():
    msg = message_of(expect_plain, None, name="linear_cost")
    assert "linear_cost: returned None" in msg and "forget a `return`" in msg


def test_call_without_mutation_passes_none_on_for_assert_close_to_explain():
    assert call_without_mutation(lambda: None) is None


def test_a_self_containing_list_is_rejected_not_followed_forever():
    loop = [1.0]
    loop.append(loop)
    message_of(expect_plain, loop, name="f")


PLAIN = [
    0.5,
    3,
    True,
    np.float64(0.5),
    np.float32(0.5),
    np.float16(0.5),
    np.longdouble(0.5),
    np.int64(3),
    np.int32(3),
    np.int8(3),
    np.uint8(3),
    np.uint64(3),
    np.intc(3),
    np.longlong(3),
    np.bool_(True),
    np.array(0.5),
    np.arange(6.0).reshape(2, 3),
    np.arange(3),
    np.array([True, False]),
    np.ones(3, dtype=np.float32),
    np.ones((2, 0)),
    (np.ones(2), 0.5),
    [0.5, np.float64(0.25), 1],
    [],
    (),
    {"W1": np.ones((2, 2)), "b1": np.zeros(2)},
    {0: 1.0, 1: [np.ones(2)]},
    (np.ones(2), 0.5, [0.1, 0.2]),
    ([np.ones(2), np.ones((1, 2))], 5.0),
    [(np.ones(1), np.zeros(1))],
    (np.ones(2), None),
]


@pytest.mark.parametrize(
    "value", PLAIN, ids=[f"{type(v).__name__}-{i}" for i, v in enumerate(PLAIN)]
)
def test_expect_plain_passes_every_plain_kind_through_unchanged(value):
    assert expect_plain(value, name="f") is value
    assert call_without_mutation(lambda: value) is value


def test_assert_close_accepts_every_plain_scalar_and_array_kind():
    for value in (0.5, np.float64(0.5), np.float32(0.5), np.array(0.5), [0.5], (0.5,)):
        assert_close(value, 0.5 if np.ndim(value) == 0 else [0.5], name="f", rtol=1e-6)
    assert_close(np.int64(3), 3.0, name="f")
    assert_close([[1, 2]], np.array([[1.0, 2.0]]), name="f")


def _steal_expected():
    # What the attack in issue 13 did: walk up the stack to the frame holding the expected
    # value and hand it back.
    frame = sys._getframe(1)
    while frame is not None:
        for key in ("expected", "exp_arr"):
            if key in frame.f_locals:
                return frame.f_locals[key]
        frame = frame.f_back
    return 0.0


class _FrameWalker:
    __class__ = property(lambda self: float)

    def __array__(self, dtype=None, copy=None):
        CALLED.append("__array__")
        return np.asarray(_steal_expected(), dtype=dtype)

    def __float__(self):
        CALLED.append("__float__")
        return float(np.asarray(_steal_expected()))

    def __eq__(self, other):
        CALLED.append("__eq__")
        return True

    __hash__ = object.__hash__


def test_a_frame_walking_liar_would_find_the_expected_value_but_is_rejected_first():
    def convert(got, expected):
        return float(np.asarray(got, dtype=float))

    CALLED.clear()
    assert convert(_FrameWalker(), 0.125) == 0.125  # the attack works on a plain conversion
    assert isinstance(_FrameWalker(), float)  # and isinstance believes it

    def linear_cost(X, y, w, b):
        return _FrameWalker()

    X, y, w = np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 2.0, 4.0]), np.array([1.0])
    CALLED.clear()
    with pytest.raises(AssertionError, match="linear_cost returned a _FrameWalker"):
        assert_close(call_without_mutation(linear_cost, X, y, w, 0.0), 1 / 3, name="linear_cost")
    with pytest.raises(AssertionError, match="linear_cost returned a _FrameWalker"):
        assert_close(linear_cost(X, y, w, 0.0), 1 / 3, name="linear_cost")
    assert CALLED == []


# ------------------------------------------------------------------ layer harness


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_cache_of_returns_the_cache_without_looking_at_it(liar):
    value, _ = liar
    assert cache_of(lambda x, k=1: (x * k, value), "relu_forward", np.ones(2), k=2) is value


def test_cache_of_rejects_a_forward_that_does_not_return_out_and_cache():
    msg = message_of(cache_of, lambda x: x, "relu_forward", np.ones(2))
    assert "relu_forward: should return 2 values (out, cache) as a tuple" in msg


def test_single_gradient_accepts_dx_or_a_one_tuple_and_nothing_else():
    dx = np.array([1.0, -2.0])
    assert single_gradient(dx, "relu_backward") is dx
    assert single_gradient((dx,), "relu_backward") is dx
    assert single_gradient([dx], "relu_backward") is dx
    msg = message_of(single_gradient, (dx, dx), "relu_backward")
    assert msg == "relu_backward: should return dx alone, but returned 2 values"
    msg = message_of(single_gradient, None, "relu_backward")
    assert "relu_backward: returned None" in msg


# (a plain list or tuple of two values is rejected by its length before its entries are read)
NOT_SEQUENCES = [k for k in LIARS if not k.startswith(("list holding", "tuple holding", "nested"))]


@pytest.mark.parametrize("liar", NOT_SEQUENCES, indirect=True)
def test_single_gradient_rejects_a_liar_by_its_type(liar):
    value, fragment = liar
    _rejects(single_gradient, value, "relu_backward", fragment=fragment)
    _rejects(single_gradient, (value,), "relu_backward", fragment=fragment)


# ------------------------------------------------------------------ update-rule harness


def sgd(w, dw, state, lr=0.1):
    return w - lr * dw


def momentum(w, dw, state, lr=0.1, beta=0.9):
    state["v"] = beta * state["v"] + dw if "v" in state else dw.copy()
    return w - lr * state["v"]


def test_gradient_sequence_is_reproducible_and_spans_many_sizes():
    grads = gradient_sequence(3, (4, 5), 7)
    assert len(grads) == 7 and all(g.shape == (4, 5) for g in grads)
    again = gradient_sequence(3, (4, 5), 7)
    assert all(np.array_equal(a, b) for a, b in zip(grads, again, strict=True))
    assert not np.array_equal(grads[0], gradient_sequence(4, (4, 5), 1)[0])
    sizes = np.abs(np.array(grads))
    assert sizes.max() / sizes.min() > 1e6
    with pytest.raises(ValueError, match="positive int"):
        gradient_sequence(3, (2,), 0)


def test_run_optimizer_returns_the_path_from_the_starting_point():
    w = np.array([1.0, -2.0])
    grads = [np.array([0.5, 0.25]), np.array([1.0, 0.0])]
    path = run_optimizer(sgd, w, grads, "sgd_step", lr=0.1)
    np.testing.assert_allclose(path, [[1.0, -2.0], [0.95, -2.025], [0.85, -2.025]])
    path = run_optimizer(momentum, w, grads, "momentum_step")
    np.testing.assert_allclose(path[2], [0.95 - 0.1 * (0.45 + 1.0), -2.025 - 0.1 * 0.225])


def test_run_optimizer_keeps_its_path_out_of_the_rules_reach():
    kept = []

    def sneaky(w, dw, state):
        for earlier in kept:  # the points of earlier steps, rewritten: the path must not follow
            earlier[:] = 99.0
        kept.append(w)
        return w - dw

    path = run_optimizer(sneaky, np.zeros(2), [np.ones(2)] * 3, "sgd_step")
    np.testing.assert_allclose(path[:, 0], [0.0, -1.0, -2.0, -3.0])


def test_run_optimizer_catches_a_w_changed_in_place():
    def in_place(w, dw, state, lr=0.1):
        w -= lr * dw
        return w

    msg = message_of(run_optimizer, in_place, np.ones(2), [np.ones(2)], "sgd_step")
    assert msg == "sgd_step: changed the caller's w in place at step 1; return w - ... instead"


def test_run_optimizer_catches_a_state_that_changes_an_earlier_gradient():
    def keeps_dw(w, dw, state, beta=0.9):
        if "v" in state:
            state["v"] *= beta
            state["v"] += dw
        else:
            state["v"] = dw  # a reference to the caller's gradient, not a copy
        return w - 0.1 * state["v"]

    grads = [np.ones(2), np.ones(2)]
    msg = message_of(run_optimizer, keeps_dw, np.zeros(2), grads, "momentum_step")
    assert "momentum_step: after step 2, the gradient passed at step 1 has changed" in msg
    assert "store dw.copy()" in msg


def test_run_optimizer_reports_none_and_wrong_shapes_with_the_step():
    msg = message_of(run_optimizer, lambda w, dw, s: None, np.ones(2), [np.ones(2)], "adam_step")
    assert msg == "adam_step: returned None at step 1; return the new w"

    def flat_after_one(w, dw, state):
        state["t"] = state.get("t", 0) + 1
        return (w - dw).reshape(-1) if state["t"] == 2 else w - dw

    msg = message_of(run_optimizer, flat_after_one, np.ones((2, 1)), [np.ones((2, 1))] * 2, "f")
    assert msg == "f: returned shape (2,) at step 2, expected the shape of w, (2, 1)"


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_run_optimizer_rejects_a_returned_liar_by_its_type(liar):
    value, fragment = liar
    msg = _rejects(
        run_optimizer,
        lambda w, dw, s: value,
        np.ones(2),
        [np.ones(2)],
        "sgd_step",
        fragment=fragment,
    )
    assert "sgd_step (at step 1)" in msg


def test_run_optimizer_leaves_the_state_to_the_rule():
    # Anything may live in a state: the harness never looks inside it.
    def odd_state(w, dw, state):
        state["name"], state["liar"] = "adam", _Liar()
        return w - dw

    CALLED.clear()
    run_optimizer(odd_state, np.ones(2), [np.ones(2)] * 2, "adam_step")
    assert CALLED == []


def test_run_optimizer_says_what_a_test_author_passed_wrong():
    with pytest.raises(TypeError, match="w must be a NumPy array"):
        run_optimizer(sgd, [1.0, 2.0], [np.ones(2)], "sgd_step")
    with pytest.raises(ValueError, match=r"grads\[1\] has shape \(3,\); w has shape \(2,\)"):
        run_optimizer(sgd, np.ones(2), [np.ones(2), np.ones(3)], "sgd_step")


def test_compare_paths_passes_the_right_path_and_reports_the_first_wrong_step():
    w, grads = np.array([1.0]), [np.array([1.0]), np.array([1.0])]
    hyper = {"lr": 0.1, "beta": 0.9}
    path = run_optimizer(momentum, w, grads, "momentum_step", **hyper)
    compare_paths(path, [[0.9], [0.71]], "momentum_step", hyper, grads)
    compare_paths(path, [[0.9]], "momentum_step", hyper, grads)  # a prefix is enough
    path = run_optimizer(sgd, w, grads, "momentum_step", lr=0.1)
    msg = message_of(
        compare_paths,
        path,
        [[0.9], [0.71]],
        "momentum_step",
        hyper,
        grads,
        mistakes={"that is plain SGD: keep a velocity.": [[0.9], [0.8]]},
    )
    assert "momentum_step (lr=0.1, beta=0.9), step 2: returned the wrong value" in msg
    assert "w (before this step) = array of shape (1,): [0.9]" in msg
    assert "Hint: that is plain SGD: keep a velocity." in msg
    msg = message_of(compare_paths, path, [[0.5]], "sgd_step", {}, grads)
    assert "sgd_step (defaults), step 1" in msg
    with pytest.raises(ValueError, match="expected has 3 steps but the path only 2"):
        compare_paths(path, [[0.9]] * 3, "sgd_step", {}, grads)


def test_check_separate_states_passes_a_rule_that_keeps_its_state_per_parameter():
    check_separate_states(momentum, "momentum_step", lr=0.1, beta=0.9)
    check_separate_states(sgd, "sgd_step")


def test_check_separate_states_fails_a_rule_with_a_global_step_count():
    count = {"t": 0}

    def global_t(w, dw, state, lr=0.1):
        if not state:
            state["started"], count["t"] = True, 0
        count["t"] += 1
        return w - lr * dw / count["t"]

    msg = message_of(check_separate_states, global_t, "adam_step", lr=0.1)
    assert "adam_step: two parameters updated in turn, each with its own state dict" in msg
    assert "(the second one differs at step 2)" in msg


def test_check_separate_states_fails_a_global_state_that_changes_the_shape():
    shared = {}

    def global_v(w, dw, state, lr=0.1):
        if not state:
            state["started"], shared["v"] = True, np.zeros_like(w)
        shared["v"] = 0.9 * shared["v"] + dw
        return w - lr * shared["v"]

    msg = message_of(check_separate_states, global_v, "momentum_step")
    assert "(the first one differs at step 2)" in msg


# ------------------------------------------------------------------ schedules


def step_decay(lr0, t, step_size, gamma=0.1):
    return lr0 * gamma ** (t // step_size)


def test_check_schedule_passes_the_right_rates():
    check_schedule(step_decay, "step_decay", (0.1, 3), [0.1, 0.1, 0.1, 0.05, 0.05], gamma=0.5)
    check_schedule(step_decay, "step_decay", (2.0, 2), [2.0, 2.0, 0.2])


def test_check_schedule_names_the_call_and_the_mistake():
    def unfloored(lr0, t, step_size, gamma=0.1):
        return lr0 * gamma ** (t / step_size)

    wrong = [0.1 * 0.5 ** (t / 3) for t in range(4)]
    msg = message_of(
        check_schedule,
        unfloored,
        "step_decay",
        (0.1, 3),
        [0.1, 0.1, 0.1, 0.05],
        gamma=0.5,
        mistakes={"round t / step_size down.": wrong},
    )
    assert "step_decay(0.1, 1, 3, gamma=0.5): returned the wrong value" in msg
    assert "Hint: round t / step_size down." in msg


@pytest.mark.parametrize("liar", list(LIARS), indirect=True)
def test_check_schedule_rejects_a_returned_liar_by_its_type(liar):
    value, fragment = liar
    msg = _rejects(
        check_schedule,
        lambda lr0, t, k: value,
        "exponential_decay",
        (0.1, 0.5),
        [0.1],
        fragment=fragment,
    )
    assert "exponential_decay(0.1, 0, 0.5)" in msg


def test_check_schedule_wants_its_arguments_as_a_tuple():
    with pytest.raises(TypeError, match="non-empty tuple"):
        check_schedule(step_decay, "step_decay", [0.1, 3], [0.1])


# ------------------------------------------------------------------ check_draws


@pytest.mark.parametrize("seed", range(5))
def test_check_draws_accepts_draws_of_the_right_law_made_in_any_order(seed):
    rng = np.random.default_rng(seed)
    check_draws(rng.normal(0.0, 0.3, size=(200, 50)), distribution="normal", scale=0.3, name="n")
    check_draws(0.3 * rng.standard_normal((50, 200)).T, distribution="normal", scale=0.3, name="n")
    check_draws(rng.uniform(-2.0, 2.0, size=5000), distribution="uniform", scale=2.0, name="u")
    check_draws(4.0 * rng.random((100, 60)) - 2.0, distribution="uniform", scale=2.0, name="u")


@pytest.mark.parametrize(
    ("values", "distribution", "scale", "fragment"),
    [
        (np.random.default_rng(1).normal(0, 0.4, 20000), "normal", 0.3, "standard deviation"),
        (np.random.default_rng(2).normal(0.05, 0.3, 20000), "normal", 0.3, "the mean"),
        (np.random.default_rng(3).uniform(-0.52, 0.52, 20000), "normal", 0.3, "beyond 2σ"),
        (
            np.random.default_rng(4).normal(0, 1 / np.sqrt(3), 20000),
            "uniform",
            1.0,
            "beyond the bound",
        ),
        (
            np.random.default_rng(5).uniform(-1.0, 1.0, 20000) * 0.97,
            "uniform",
            1.0,
            "near the bound",
        ),
        (np.random.default_rng(6).uniform(0.0, 1.0, 20000), "uniform", 1.0, "the mean"),
        (np.zeros(5000), "normal", 0.1, "every entry is 0"),
    ],
)
def test_check_draws_rejects_another_law_and_says_what_does_not_fit(
    values, distribution, scale, fragment
):
    message = message_of(
        check_draws, values, distribution=distribution, scale=scale, name="init_weights(...)"
    )
    assert "init_weights(...)" in message and fragment in message
    assert "got " in message and "entries" in message


def test_check_draws_names_the_mistake_the_values_fit():
    values = np.random.default_rng(7).normal(0.0, 0.1, size=(500, 200))
    mistakes = {"fan_out instead of fan_in.": ("normal", 0.1), "never shown.": ("normal", 0.5)}
    message = message_of(
        check_draws, values, distribution="normal", scale=0.063, name="w", mistakes=mistakes
    )
    assert "Hint: fan_out instead of fan_in." in message and "never shown" not in message


def test_check_draws_flags_nan_and_checks_the_type_first():
    values = np.random.default_rng(8).normal(size=2000)
    values[3] = np.nan
    assert "nan" in message_of(check_draws, values, distribution="normal", scale=1.0, name="w")

    class Sneaky(np.ndarray):
        pass

    sneaky = np.random.default_rng(8).normal(size=2000).view(Sneaky)
    assert "subclass" in message_of(check_draws, sneaky, distribution="normal", scale=1.0, name="w")
    assert "returned None" in message_of(
        check_draws, None, distribution="normal", scale=1.0, name="w"
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"distribution": "cauchy", "scale": 1.0}, "distribution"),
        ({"distribution": "normal", "scale": 0.0}, "scale"),
        ({"distribution": "normal", "scale": 1.0, "values": np.ones(10)}, "at least 1000"),
    ],
)
def test_check_draws_rejects_a_test_that_cannot_tell_laws_apart(kwargs, fragment):
    values = kwargs.pop("values", np.random.default_rng(0).normal(size=2000))
    with pytest.raises(ValueError, match=fragment):
        check_draws(values, name="w", **kwargs)


# ------------------------------------------------------------------ expect_error


def _raises(error):
    def func(x):
        raise error

    return func


def test_expect_error_passes_when_the_call_raises_the_error_naming_the_words():
    func = _raises(ValueError("unknown method 'x'; choose zeros, normal"))
    expect_error(func, 1, name="f(1)", mentions=("zeros", "NORMAL"))

    class Narrower(ValueError):
        pass

    expect_error(_raises(Narrower("bad")), 1, name="f(1)")
    expect_error(_raises(TypeError("t")), 1, error=TypeError, name="f(1)")


def test_expect_error_fails_when_the_call_returns():
    message = message_of(expect_error, lambda x: x, 1, name="f(1)", why="1 is not allowed")
    assert "f(1): returned instead of raising a ValueError (1 is not allowed)" in message


def test_expect_error_fails_on_another_exception_and_names_it():
    message = message_of(expect_error, _raises(KeyError("k")), 1, name="f(1)")
    assert "raised a KeyError" in message and "expected a ValueError" in message


def test_expect_error_fails_when_the_message_lacks_a_word():
    message = message_of(
        expect_error, _raises(ValueError("bad method")), 1, name="f(1)", mentions=("he_normal",)
    )
    assert "'he_normal'" in message and "'bad method'" in message


def test_expect_error_reads_the_message_without_running_the_exceptions_code():
    calls = []

    class Liar(ValueError):
        def __str__(self):
            calls.append("str")
            return "zeros normal"

    message = message_of(expect_error, _raises(Liar(42)), 1, name="f(1)", mentions=("zeros",))
    assert "should name 'zeros'" in message and not calls
