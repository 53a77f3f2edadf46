"""What the grader asks of each exercise: the cases (inputs), the checks (points) and the diagnoses.

The child process only uses :func:`build` to know which calls to make. Everything else here runs in
the parent, on the parent's own inputs and the library's reference results: the child's answers are
compared with values it never sees.

Every exercise is worth 10 points, split the same way: right type and shape (2), values on fixed
small cases (3), values on random cases and architectures (3), properties (2: e.g. D equals the
numerical gradient, inputs not mutated, determinism for a seed). Values are compared with float64
tolerances, never as text, so any correct implementation earns full marks whatever its style.
"""

import re
from dataclasses import dataclass, field

import numpy as np

from .. import diagnosis as dg
from .. import misconceptions as mc
from ..activations import sigmoid as _g
from ..activations import sigmoid_gradient as _g_prime
from ..gradient_check import numerical_gradient as _numerical_gradient
from ..gradient_check import relative_error
from ..network import backprop, cost, deltas, forward
from ..training import gradient_descent_step
from .wire import Opaque


@dataclass(frozen=True)
class Case:
    id: str
    func: str
    args: tuple
    about: str


@dataclass(frozen=True)
class Check:
    label: str
    group: str          # "type and shape", "fixed cases", "random cases", "properties"
    points: float
    cases: tuple
    kind: str


@dataclass
class Spec:
    name: str
    cases: list
    checks: list
    atol: float = 1e-12
    rtol: float = 1e-9
    names: tuple = ()                      # names of tuple results, e.g. ("a", "z")
    by_id: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {c.id: c for c in self.cases}


# -- deterministic fixtures -------------------------------------------------------------------------

def _theta(sizes, seed=None, scale=1.0):
    """Fixed (sin-based, non-symmetric) weights when seed is None, else seeded uniform in [-scale, scale]."""
    Theta, k = {}, 0
    rng = None if seed is None else np.random.default_rng(seed)
    for l in range(1, len(sizes)):
        shape = (sizes[l], sizes[l - 1] + 1)
        if rng is None:
            n = shape[0] * shape[1]
            Theta[l] = scale * np.sin(0.9 * np.arange(k, k + n) + 0.3).reshape(shape)
            k += n
        else:
            Theta[l] = rng.uniform(-scale, scale, size=shape)
    return Theta


def _data(n, K, m, seed=None):
    if seed is None:
        X = 1.5 * np.cos(1.3 * np.arange(n * m)).reshape(n, m)
        Y = ((np.arange(K * m) * 5 + 1) % 3 == 0).astype(np.float64).reshape(K, m)
    else:
        rng = np.random.default_rng(seed + 1000)
        X = rng.normal(size=(n, m))
        Y = (rng.random((K, m)) < 0.5).astype(np.float64)
    return X, Y


def _net_case(cid, func, sizes, m, seed, about, extra=()):
    Theta = _theta(sizes, seed, scale=1.0 if seed is None else 1.2)
    X, Y = _data(sizes[0], sizes[-1], m, seed)
    return Case(cid, func, (Theta, X, Y) + tuple(extra), about)


def _arch(sizes):
    return "-".join(str(s) for s in sizes)


# -- the exercises -------------------------------------------------------------------------------

def _ex01():
    grid = np.linspace(-4.0, 4.0, 12).reshape(3, 4)
    fixed = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
    rng = np.random.default_rng(101)
    rand = [5 * rng.normal(size=(5, 7)), 5 * rng.normal(size=(2, 3, 4)), np.array([3.7])]
    large = np.array([-1000.0, -800.0, -710.0, -50.0, 50.0, 710.0, 800.0, 1000.0])
    cases = [Case("s_grid", "sigmoid", (grid,), "sigmoid of a (3, 4) array"),
             Case("g_grid", "sigmoid_gradient", (grid,), "sigmoid_gradient of a (3, 4) array"),
             Case("s_scalar", "sigmoid", (0.0,), "sigmoid(0.0), a float"),
             Case("s_fixed", "sigmoid", (fixed,), "sigmoid at z = -2 .. 2"),
             Case("g_fixed", "sigmoid_gradient", (fixed,), "sigmoid_gradient at z = -2 .. 2"),
             Case("g_scalar", "sigmoid_gradient", (0.0,), "sigmoid_gradient(0.0)")]
    for i, z in enumerate(rand):
        cases.append(Case(f"s_rand{i}", "sigmoid", (z,), f"sigmoid of a random array of shape {z.shape}"))
        cases.append(Case(f"g_rand{i}", "sigmoid_gradient", (z,), f"sigmoid_gradient of shape {z.shape}"))
    cases += [Case("s_large", "sigmoid", (large,), "sigmoid at |z| up to 1000"),
              Case("g_large", "sigmoid_gradient", (large,), "sigmoid_gradient at |z| up to 1000")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("arrays keep their shape, a float gives a float", "type and shape", 2,
              ("s_grid", "g_grid", "s_scalar"), "shape"),
        Check("sigmoid on fixed values", "fixed cases", 1.5, ("s_fixed", "s_scalar"), "values"),
        Check("sigmoid_gradient on fixed values", "fixed cases", 1.5, ("g_fixed", "g_scalar"), "values"),
        Check("sigmoid on random arrays", "random cases", 1.5, ("s_rand0", "s_rand1", "s_rand2"), "values"),
        Check("sigmoid_gradient on random arrays", "random cases", 1.5, ("g_rand0", "g_rand1", "g_rand2"),
              "values"),
        Check("no overflow for large |z| (no warning, no inf or nan)", "properties", 1, ("s_large", "g_large"),
              "overflow"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return Spec("ex01_sigmoid", cases, checks)


def _ex02():
    cases = [_net_case("f_fixed1", "forward", [2, 3, 1], 4, None, "fixed 2-3-1 network, m = 4"),
             _net_case("f_fixed2", "forward", [3, 4, 2], 5, None, "fixed 3-4-2 network, m = 5"),
             _net_case("f_rand1", "forward", [4, 5, 3], 9, 21, "random 4-5-3 network, m = 9"),
             _net_case("f_rand2", "forward", [2, 6, 4, 3, 1], 6, 22, "random 2-6-4-3-1 network, m = 6"),
             _net_case("f_rand3", "forward", [3, 2], 3, 23, "random 3-2 network (no hidden layer), m = 3"),
             _net_case("f_m1", "forward", [3, 4, 2], 1, 24, "one example (m = 1)")]
    cases = [Case(c.id, c.func, c.args[:2], c.about) for c in cases]       # forward(Theta, X)
    ids = tuple(c.id for c in cases)
    checks = [
        Check("returns (a, z): dicts with the right keys and shapes", "type and shape", 2, ("f_fixed1",), "shape"),
        Check("values on a fixed 2-3-1 network", "fixed cases", 1.5, ("f_fixed1",), "values"),
        Check("values on a fixed 3-4-2 network", "fixed cases", 1.5, ("f_fixed2",), "values"),
        Check("random 4-5-3 network", "random cases", 1, ("f_rand1",), "values"),
        Check("random 2-6-4-3-1 network (L = 5)", "random cases", 1, ("f_rand2",), "values"),
        Check("random 3-2 network (no hidden layer)", "random cases", 1, ("f_rand3",), "values"),
        Check("a single example (m = 1)", "properties", 1, ("f_m1",), "values"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return Spec("ex02_forward", cases, checks, names=("a", "z"))


def _ex03():
    bias_only = _theta([3, 4, 2])
    for T in bias_only.values():
        T[:, 1:] = 0.0
    X, Y = _data(3, 2, 5)
    cases = [_net_case("c_fixed0", "cost", [2, 3, 1], 4, None, "fixed 2-3-1, lambda = 0", (0.0,)),
             _net_case("c_fixed1", "cost", [2, 3, 1], 4, None, "fixed 2-3-1, lambda = 1", (1.0,)),
             _net_case("c_rand1", "cost", [3, 5, 2], 8, 31, "random 3-5-2, lambda = 0.3", (0.3,)),
             _net_case("c_rand2", "cost", [4, 3, 3, 2], 6, 32, "random 4-3-3-2, lambda = 2", (2.0,)),
             _net_case("c_rand3", "cost", [2, 1], 5, 33, "random 2-1 (no hidden layer), lambda = 0.5", (0.5,)),
             Case("c_bias0", "cost", (bias_only, X, Y, 0.0), "only bias weights non-zero, lambda = 0"),
             Case("c_bias5", "cost", (bias_only, X, Y, 5.0), "only bias weights non-zero, lambda = 5")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("returns one number", "type and shape", 2, ("c_fixed0",), "shape"),
        Check("fixed 2-3-1 network, lambda = 0", "fixed cases", 1.5, ("c_fixed0",), "values"),
        Check("fixed 2-3-1 network, lambda = 1", "fixed cases", 1.5, ("c_fixed1",), "values"),
        Check("random 3-5-2 network", "random cases", 1, ("c_rand1",), "values"),
        Check("random 4-3-3-2 network", "random cases", 1, ("c_rand2",), "values"),
        Check("random 2-1 network", "random cases", 1, ("c_rand3",), "values"),
        Check("the bias column is not regularized", "properties", 1, ("c_bias0", "c_bias5"), "values"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return Spec("ex03_cost", cases, checks)


def _one_example(cid, sizes, seed, about):
    c = _net_case(cid, "deltas", sizes, 1, seed, about)
    return Case(cid, "deltas", c.args[:3], about)


def _ex05():
    cases = [_one_example("d_fixed1", [2, 3, 1], None, "fixed 2-3-1 network"),
             _one_example("d_fixed2", [3, 4, 5, 2], None, "fixed 3-4-5-2 network"),
             _one_example("d_rand1", [4, 5, 3, 2], 51, "random 4-5-3-2 network"),
             _one_example("d_rand2", [2, 3, 4], 52, "random 2-3-4 network"),
             _one_example("d_rand3", [5, 3], 53, "random 5-3 network (no hidden layer)"),
             _one_example("d_bp3", [3, 4, 2], 54, "random 3-4-2 network")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a dict {l: d(l)} for l = 2 .. L, each of shape (s_l, 1)", "type and shape", 2, ("d_fixed2",),
              "shape"),
        Check("fixed 2-3-1 network", "fixed cases", 1.5, ("d_fixed1",), "values"),
        Check("fixed 3-4-5-2 network", "fixed cases", 1.5, ("d_fixed2",), "values"),
        Check("random 4-5-3-2 network", "random cases", 1, ("d_rand1",), "values"),
        Check("random 2-3-4 network", "random cases", 1, ("d_rand2",), "values"),
        Check("random 5-3 network", "random cases", 1, ("d_rand3",), "values"),
        Check("d(l+1) a(l)' equals the numerical gradient of this example's cost (BP3)", "properties", 1,
              ("d_bp3",), "deltas_numgrad"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return Spec("ex05_deltas", cases, checks)


def _gradient_spec(name, func):
    cases = [_net_case("b_fixed1", func, [2, 3, 1], 4, None, "fixed 2-3-1, m = 4, lambda = 0", (0.0,)),
             _net_case("b_fixed2", func, [3, 4, 2], 5, None, "fixed 3-4-2, m = 5, lambda = 1", (1.0,)),
             _net_case("b_rand1", func, [4, 5, 3, 2], 7, 61, "random 4-5-3-2, m = 7, lambda = 0.5", (0.5,)),
             _net_case("b_rand2", func, [2, 3, 4], 6, 62, "random 2-3-4, m = 6, lambda = 1.5", (1.5,)),
             _net_case("b_rand3", func, [5, 2], 3, 63, "random 5-2 (no hidden layer), m = 3, lambda = 0.2", (0.2,)),
             _net_case("b_numgrad", func, [3, 3, 2], 5, 64, "random 3-3-2, m = 5, lambda = 0.7", (0.7,))]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a dict {l: D(l)} with the shapes of Theta", "type and shape", 2, ("b_fixed2",), "shape"),
        Check("fixed 2-3-1 network, lambda = 0", "fixed cases", 1.5, ("b_fixed1",), "values"),
        Check("fixed 3-4-2 network, lambda = 1", "fixed cases", 1.5, ("b_fixed2",), "values"),
        Check("random 4-5-3-2 network", "random cases", 1, ("b_rand1",), "values"),
        Check("random 2-3-4 network", "random cases", 1, ("b_rand2",), "values"),
        Check("random 5-2 network", "random cases", 1, ("b_rand3",), "values"),
        Check("D equals the numerical gradient (relative error < 1e-7)", "properties", 1, ("b_numgrad",),
              "numgrad"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return Spec(name, cases, checks)


def _ex07():
    f = "numerical_gradient"
    cases = [_net_case("n_fixed1", f, [2, 3, 1], 4, None, "fixed 2-3-1, lambda = 0, epsilon = 1e-4", (0.0, 1e-4)),
             _net_case("n_fixed2", f, [3, 2, 2], 3, None, "fixed 3-2-2, lambda = 1, epsilon = 1e-4", (1.0, 1e-4)),
             _net_case("n_rand1", f, [3, 4, 2], 5, 71, "random 3-4-2, lambda = 0.5", (0.5, 1e-4)),
             _net_case("n_rand2", f, [2, 2, 2, 1], 4, 72, "random 2-2-2-1, epsilon = 1e-5", (0.0, 1e-5)),
             _net_case("n_rand3", f, [4, 2], 3, 73, "random 4-2, lambda = 1, epsilon = 1e-3", (1.0, 1e-3)),
             _net_case("n_eps", f, [2, 3, 1], 4, None, "fixed 2-3-1 with epsilon = 0.01", (0.0, 1e-2))]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a dict {l: D(l)} with the shapes of Theta", "type and shape", 2, ("n_fixed1",), "shape"),
        Check("fixed 2-3-1 network", "fixed cases", 1.5, ("n_fixed1",), "values"),
        Check("fixed 3-2-2 network, lambda = 1", "fixed cases", 1.5, ("n_fixed2",), "values"),
        Check("random 3-4-2 network", "random cases", 1, ("n_rand1",), "values"),
        Check("random 2-2-2-1 network", "random cases", 1, ("n_rand2",), "values"),
        Check("random 4-2 network", "random cases", 1, ("n_rand3",), "values"),
        Check("uses the epsilon it is given", "properties", 1, ("n_eps",), "values"),
        Check("Theta not mutated (every perturbed weight restored)", "properties", 1, ids, "mutation"),
    ]
    return Spec("ex07_numerical_gradient", cases, checks, atol=1e-8, rtol=1e-6)


def _ex08():
    def case(cid, sizes, seed, alpha, about):
        Theta = _theta(sizes, seed)
        D = {l: 0.3 * np.cos(T * 3.0 + 1.0) for l, T in _theta(sizes, None if seed is None else seed + 1).items()}
        return Case(cid, "gradient_descent_step", (Theta, D, alpha), about)

    cases = [case("u_fixed1", [2, 3, 1], None, 0.5, "fixed 2-3-1, alpha = 0.5"),
             case("u_fixed2", [3, 4, 2], None, 0.1, "fixed 3-4-2, alpha = 0.1"),
             case("u_rand1", [4, 5, 3, 2], 81, 2.0, "random 4-5-3-2, alpha = 2"),
             case("u_rand2", [2, 3], 82, 0.01, "random 2-3, alpha = 0.01"),
             case("u_rand3", [3, 6, 6, 1], 83, 0.3, "random 3-6-6-1, alpha = 0.3")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a dict with Theta's keys and shapes", "type and shape", 2, ("u_fixed1",), "shape"),
        Check("fixed 2-3-1, alpha = 0.5", "fixed cases", 1.5, ("u_fixed1",), "values"),
        Check("fixed 3-4-2, alpha = 0.1", "fixed cases", 1.5, ("u_fixed2",), "values"),
        Check("random 4-5-3-2", "random cases", 1, ("u_rand1",), "values"),
        Check("random 2-3", "random cases", 1, ("u_rand2",), "values"),
        Check("random 3-6-6-1", "random cases", 1, ("u_rand3",), "values"),
        Check("Theta not mutated", "properties", 1, ids, "mutation:0"),
        Check("D not mutated", "properties", 1, ids, "mutation:1"),
    ]
    return Spec("ex08_gradient_descent_step", cases, checks)


def batch_data(n, K, m):
    """X with an example id in row 0 and Y with distinct columns, so examples can be traced."""
    t = np.arange(m, dtype=np.float64)
    X = np.vstack([t] + [np.sin(t * (i + 1.3)) for i in range(n - 1)])
    Y = np.vstack([0.01 * t + k for k in range(K)])
    return X, Y


def _ex09():
    def case(cid, m, b, seed, about):
        X, Y = batch_data(3, 2, m)
        return Case(cid, "minibatches", (X, Y, b, seed), about)

    cases = [case("mb_fixed1", 10, 5, 1, "m = 10, batch_size = 5"),
             case("mb_fixed2", 10, 4, 0, "m = 10, batch_size = 4 (last batch has 2)"),
             case("mb_rand1", 23, 4, 7, "m = 23, batch_size = 4"),
             case("mb_rand2", 7, 7, 3, "m = 7, batch_size = 7 (one batch)"),
             case("mb_rand3", 9, 1, 11, "m = 9, batch_size = 1"),
             case("mb_again", 23, 4, 7, "m = 23, batch_size = 4, the same seed again"),
             case("mb_other", 23, 4, 8, "m = 23, batch_size = 4, another seed")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a list of (X_batch, Y_batch) with shapes (n, b) and (K, b)", "type and shape", 2, ("mb_fixed2",),
              "batch_shapes"),
        Check("m = 10: every example exactly once, next to its target", "fixed cases", 3,
              ("mb_fixed1", "mb_fixed2"), "batches"),
        Check("other sizes: every example exactly once, next to its target", "random cases", 3,
              ("mb_rand1", "mb_rand2", "mb_rand3"), "batches"),
        Check("the same seed gives the same batches, another seed another order", "properties", 1,
              ("mb_rand1", "mb_again", "mb_other"), "batch_seed"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return Spec("ex09_minibatches", cases, checks)


_BUILDERS = {
    "ex01_sigmoid": _ex01, "ex02_forward": _ex02, "ex03_cost": _ex03, "ex05_deltas": _ex05,
    "ex06_backprop_loop": lambda: _gradient_spec("ex06_backprop_loop", "backprop_loop"),
    "ex07_numerical_gradient": _ex07, "ex08_gradient_descent_step": _ex08, "ex09_minibatches": _ex09,
    "ex10_backprop_vectorized": lambda: _gradient_spec("ex10_backprop_vectorized", "backprop"),
}


def build(name):
    """The :class:`Spec` (cases and checks) of exercise `name`."""
    return _BUILDERS[name]()


# -- the reference (parent only) ----------------------------------------------------------------------

def expected(case):
    """The library's answer for one case."""
    f, args = case.func, case.args
    if f == "sigmoid":
        return _g(args[0])
    if f == "sigmoid_gradient":
        return _g_prime(args[0])
    if f == "forward":
        return forward(*args)
    if f == "cost":
        return cost(*args)
    if f == "deltas":
        return deltas(*args)
    if f in ("backprop", "backprop_loop"):
        return backprop(*args)
    if f == "numerical_gradient":
        Theta, X, Y, lambda_, epsilon = args
        return _numerical_gradient(Theta, X, Y, lambda_, epsilon)
    if f == "gradient_descent_step":
        return gradient_descent_step(*args)
    raise KeyError(f)


# -- comparing values ---------------------------------------------------------------------------------

def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, Opaque):
        return value.description
    return type(value).__name__


def compare(got, want, atol, rtol, path, values=True):
    """None when `got` matches `want` (structure, shapes and, if `values`, numbers); else a message."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path} should be a dict keyed by layer number; got {_describe(got)}."
        if sorted(got, key=repr) != sorted(want, key=repr):
            return f"{path} should have keys {sorted(want)}; got {sorted(got, key=repr)}."
        for k in sorted(want):
            msg = compare(got[k], want[k], atol, rtol, f"{path}[{k}]", values)
            if msg:
                return msg
        return None
    if isinstance(want, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return f"{path} should be a pair of {len(want)} values; got {_describe(got)}."
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            msg = compare(g, w, atol, rtol, path[i] if isinstance(path, tuple) else f"{path}[{i}]", values)
            if msg:
                return msg
        return None
    want_arr = np.asarray(want, dtype=np.float64)
    if isinstance(got, bool) or not isinstance(got, (int, float, np.ndarray)):
        return f"{path} should be {'a number' if want_arr.ndim == 0 else 'an array'}; got {_describe(got)}."
    got_arr = np.asarray(got, dtype=np.float64)
    if got_arr.shape != want_arr.shape:
        if want_arr.ndim == 0:
            return f"{path} should be a single number; got {_describe(got)}."
        return f"{path} has shape {got_arr.shape}; expected {want_arr.shape}."
    if not values:
        return None
    if not np.all(np.isfinite(got_arr)):
        return f"{path} contains inf or nan."
    if not np.allclose(got_arr, want_arr, atol=atol, rtol=rtol):
        diff = np.abs(got_arr - want_arr)
        where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
        at = f" at index {tuple(int(i) for i in where)}" if where else ""
        note = ""
        if (got_arr.ndim == 2 and got_arr.shape[1] > 1 and str(path).startswith(("D[", "Theta["))
                and np.allclose(got_arr[:, 1:], want_arr[:, 1:], atol=atol, rtol=rtol)):
            note = " Only column 0, the bias column, differs."
        return f"{path} is off by up to {float(diff.max()):.3g}{at}.{note}"
    return None


def _result_name(spec, case):
    if spec.names:
        return spec.names
    return {"cost": "J", "deltas": "d", "sigmoid": "g(z)", "sigmoid_gradient": "g'(z)",
            "minibatches": "batches"}.get(case.func, "D" if case.func != "gradient_descent_step" else "Theta")


def _same(a, b):
    return compare(a, b, 0.0, 0.0, "x") is None


def evaluate(spec, check, results):
    """(passed, message) for one check, given {case id: CaseResult}."""
    cases = check.cases
    if check.kind.startswith("mutation"):
        # Judge mutation on the calls that returned (a crash is already paid for by the value checks).
        ran = tuple(cid for cid in cases if results.get(cid) is not None and results[cid].ok)
        cases = ran or cases
    for cid in cases:
        r = results.get(cid)
        case = spec.by_id[cid]
        if r is None:
            return False, f"{case.about}: no result (the run ended before this case)."
        if not r.ok:
            return False, f"{case.about}: {r.error}"
        kind = check.kind
        if kind.startswith("mutation"):
            positions = range(len(case.args)) if kind == "mutation" else [int(kind.split(":")[1])]
            after = r.args_after if isinstance(r.args_after, (list, tuple)) else ()
            for i in positions:
                if i >= len(after) or not _same(after[i], case.args[i]):
                    arg = _arg_names(case.func)[i]
                    return False, f"{case.about}: the argument {arg} was changed in place."
            continue
        if kind == "deltas_numgrad":
            msg = _deltas_numgrad(case, r.value)
            if msg:
                return False, f"{case.about}: {msg}"
            continue
        if kind in ("batches", "batch_shapes"):
            X, Y, b, _ = case.args
            findings = dg.diagnose_minibatches(X, Y, b, _as_batches(r.value))
            bad = [f for f in findings if f.code != "batches_not_shuffled"]
            if kind == "batch_shapes":
                bad = [f for f in bad if f.code in ("wrong_shape", "batches_wrong_sizes")]
            if bad:
                return False, f"{case.about}: {bad[0].message.split(' Reread')[0]}"
            continue
        if kind == "batch_seed":
            first, again, other = (results[c].value for c in check.cases)
            if not dg._same_batches(_as_batches(first), _as_batches(again)):
                return False, "two calls with the same seed gave different batches."
            if dg._same_batches(_as_batches(first), _as_batches(other)):
                return False, "two different seeds gave the same batches: is the seed used?"
            order = _order(case.args[0], _as_batches(first))
            if order == list(range(len(order))):
                return False, "the examples keep their original order: shuffle them."
            break
        want = expected(case)
        name = _result_name(spec, case)
        if kind == "shape":
            msg = compare(r.value, want, spec.atol, spec.rtol, name, values=False)
        elif kind == "overflow":
            noisy = [w for w in r.warnings if "overflow" in w or "invalid" in w]
            msg = f"numpy warned: {noisy[0]}" if noisy else compare(r.value, want, spec.atol, spec.rtol, name)
        elif kind == "numgrad":
            msg = compare(r.value, want, spec.atol, spec.rtol, name, values=False)
            if not msg:
                Theta, X, Y, lambda_ = case.args
                numerical = _numerical_gradient(Theta, X, Y, lambda_, 1e-5)
                err = relative_error({k: np.asarray(v, dtype=np.float64) for k, v in r.value.items()}, numerical)
                msg = None if err < 1e-7 else f"relative error {err:.2g} against the numerical gradient."
        else:
            msg = compare(r.value, want, spec.atol, spec.rtol, name)
        if msg:
            return False, f"{case.about}: {msg}"
    return True, ""


def _arg_names(func):
    return {"sigmoid": ("z",), "sigmoid_gradient": ("z",), "forward": ("Theta", "X"),
            "cost": ("Theta", "X", "Y", "lambda_"), "deltas": ("Theta", "x", "y"),
            "backprop": ("Theta", "X", "Y", "lambda_"), "backprop_loop": ("Theta", "X", "Y", "lambda_"),
            "numerical_gradient": ("Theta", "X", "Y", "lambda_", "epsilon"),
            "gradient_descent_step": ("Theta", "D", "alpha"),
            "minibatches": ("X", "Y", "batch_size", "seed")}[func]


def _as_batches(value):
    if not isinstance(value, (list, tuple)):
        return value if value is not None else []
    out = []
    for item in value:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            out.append(tuple(item))
        else:
            out.append(item)
    return out


def _order(X, batches):
    ids = []
    for xb, _ in batches:
        ids.extend(int(v) for v in np.asarray(xb)[0])
    return ids


def _deltas_numgrad(case, d):
    Theta, x, y = case.args
    L = len(Theta) + 1
    want_keys = list(range(2, L + 1))
    if not isinstance(d, dict) or sorted(d, key=repr) != want_keys:
        return f"d should be a dict with keys {want_keys}."
    a, _ = forward(Theta, x)
    numerical = _numerical_gradient(Theta, x, y, 0.0, 1e-5)
    for l in range(1, L):
        dl = np.asarray(d[l + 1], dtype=np.float64)
        if dl.shape != (Theta[l].shape[0], 1):
            return f"d[{l + 1}] has shape {dl.shape}; expected {(Theta[l].shape[0], 1)}."
        err = relative_error(dl @ a[l].T, numerical[l])
        if err > 1e-7:
            return f"d[{l + 1}] a[{l}]' differs from the numerical gradient of Theta[{l}] (relative error {err:.2g})."
    return None


# -- diagnoses (parent only) --------------------------------------------------------------------------

_BROADCAST = re.compile(r"shapes \((\d+),(\d+)\) \((\d+),(\d+)\)")
_MATMUL = re.compile(r"size (\d+) is different from (\d+)")


def diagnose_error(spec, message):
    """Findings suggested by an exception message (e.g. a shape mismatch that means a kept bias row)."""
    if spec.name == "ex02_forward":
        sizes = _MATMUL.search(message or "")
        if sizes and abs(int(sizes.group(1)) - int(sizes.group(2))) == 1:
            return [dg.finding("bias_unit_missing", "Your code stopped on a matrix product whose inner sizes "
                                                    "differ by one: the bias unit.")]
        return []
    if spec.name not in ("ex05_deltas", "ex06_backprop_loop", "ex10_backprop_vectorized"):
        return []
    match = _BROADCAST.search(message or "")
    if match:
        r1, c1, r2, c2 = (int(v) for v in match.groups())
        if c1 == c2 and abs(r1 - r2) == 1:
            return [dg.finding("bias_row_not_dropped", "Your code stopped on two arrays whose row counts differ by "
                                                       "one: the bias row.")]
    sizes = _MATMUL.search(message or "")
    if sizes and abs(int(sizes.group(1)) - int(sizes.group(2))) == 1:
        return [dg.finding("bias_row_not_dropped", "Your code stopped on a matrix product whose inner sizes "
                                                   "differ by one: the bias row.")]
    if "matmul" in (message or "") or "not aligned" in (message or ""):
        return [dg.finding("theta_not_transposed", "Your code stopped on a matrix product whose shapes do not fit; "
                                                   "check which factor needs transposing.")]
    return []


def diagnose(spec, results):
    """Catalogued mistakes explaining the failures, without duplicates, in a stable order."""
    findings, from_errors = [], []
    for case in spec.cases:
        r = results.get(case.id)
        if r is None:
            continue
        if not r.ok:
            from_errors += diagnose_error(spec, r.error)
            continue
        findings += _diagnose_case(spec, case, r)
        if case.func != "minibatches":
            names = _arg_names(case.func)
            after = r.args_after if isinstance(r.args_after, (list, tuple)) else ()
            if len(after) == len(case.args):
                changed = [n for n, b, a in zip(names, case.args, after, strict=True) if not _same(a, b)]
                if changed:
                    findings += dg.diagnose_mutation(changed, dict(zip(names, case.args, strict=True)),
                                                     dict(zip(names, after, strict=True)))
    if spec.name == "ex09_minibatches" and all(c in results and results[c].ok for c in ("mb_rand1", "mb_again")):
        if not dg._same_batches(_as_batches(results["mb_rand1"].value), _as_batches(results["mb_again"].value)):
            findings.append(dg.finding("batches_not_deterministic"))
    # A shape error is a weaker clue than a value that matches a simulated mistake: use it only alone.
    if not any(f.code in ("bias_row_not_dropped", "theta_not_transposed") for f in findings):
        findings += from_errors
    unique, seen = [], set()
    for f in findings:
        if f.code not in seen:
            seen.add(f.code)
            unique.append(f)
    return unique


def _diagnose_case(spec, case, r):
    try:
        want = expected(case) if case.func != "minibatches" else None
    except KeyError:
        want = None
    f, args, value = case.func, case.args, r.value
    try:
        if f in ("sigmoid", "sigmoid_gradient"):
            return dg.diagnose_sigmoid(args[0], value if not isinstance(value, Opaque) else None,
                                       r.warnings, which=f)
        if f == "minibatches":
            X, Y, b, _ = args
            return dg.diagnose_minibatches(X, Y, b, _as_batches(value))
        if compare(value, want, spec.atol, spec.rtol, "x") is None:
            return []
        if f == "forward":
            a, z = value if isinstance(value, (tuple, list)) and len(value) == 2 else (None, None)
            return dg.diagnose_forward(*args, a, z)
        if f == "cost":
            return dg.diagnose_cost(*args, value)
        if f == "deltas":
            return mc.diagnose_deltas(*args, value)
        if f in ("backprop", "backprop_loop"):
            return mc.diagnose_gradient(*args, value)
        if f == "numerical_gradient":
            after = r.args_after[0] if isinstance(r.args_after, (list, tuple)) and r.args_after else None
            return dg.diagnose_numerical_gradient(*args, value, Theta_after=after)
        if f == "gradient_descent_step":
            return dg.diagnose_update(*args, value)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return []
    return []
