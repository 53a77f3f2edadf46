"""The exercises: for each one its file, functions, hints, cases, checks, reference and diagnoses.

One :class:`Exercise` entry per exercise file, in notebook order, holds everything the grader knows
about that exercise; adding an exercise means adding its entry and the builder of its cases and checks
here, its reference solution, and a test. The stub generator takes the hints from here; the harness
takes the cases, the checks, the helpers the exercise may use and the library names that are its
answer.

Every exercise is worth 10 points, split the same way: right type and shape (2), values on small
cases (3), values on other sizes and architectures (3), properties (2: e.g. D equals the numerical
gradient, inputs not mutated, determinism for a seed). Values are compared with float64 tolerances,
never as text, so any correct implementation earns full marks whatever its style.

Self-study grading uses the visible cases below (fixed ``sin``-based fixtures and a few seeded random
ones). With a deployment secret (``grade-all --secret``, the Gradescope bundle, or the environment
variable ``BACKPROP_GRADER_SECRET``) every case keeps its architecture and hyperparameters but draws
its numbers from the secret, so a table of the visible inputs and their answers earns nothing.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import backprop_course as bp

from .. import misconceptions as mc
from . import diagnoses as dg

SECRET_ENV = "BACKPROP_GRADER_SECRET"
# The reference solutions: in a checkout of the repository only (the wheel leaves them out).
SOLUTIONS_DIR = Path(__file__).resolve().parent / "solutions"


@dataclass(frozen=True)
class Hint:
    """What a stub says about one function: equations, expected result shape and size of the answer."""

    equations: tuple
    shape: str
    size: str
    idea: str


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
    kind: str           # how evaluate() judges it (see checks.py); VALUE_KINDS hold values, float_shape is shape
                        # where a float must come back as a float (not a 0-d array)


# Kinds of check that judge values; the others (type and shape, untouched inputs) only count once one does.
VALUE_KINDS = ("values", "overflow", "numgrad", "deltas_numgrad", "batches", "batch_seed")


@dataclass(frozen=True)
class Exercise:
    """One exercise file and how it is graded.

    Attributes
    ----------
    build : callable(Draw) -> (list of Case, list of Check)
    reference : dict {function: callable}
        The library's answer for a case, called as ``reference[case.func](*case.args)``.
    args : dict {function: tuple of argument names}
    defaults : dict {function: {argument: default}}
        Defaults the library's version of a function has (used when a later exercise calls it).
    uses : tuple of str
        Functions of earlier exercises this one may call; while it is graded they answer with the
        reference values (an oracle), so a mistake in an earlier exercise costs that exercise only.
    forbidden : tuple of str
        Library names that compute this exercise's answer: calling one while graded gives 0.
    results : dict {function: name of the result in messages}
    names : tuple
        Names of the parts of a tuple result, e.g. ``("a", "z")``.
    diagnose : callable(case, value, args_after, warnings) -> list of Finding
    clues : callable(error message) -> list of Finding
        Mistakes an exception message points to (e.g. a shape error that means a kept bias row).
    """

    name: str
    notebook: str
    title: str
    hints: dict
    build: object
    reference: dict
    args: dict
    defaults: dict = field(default_factory=dict)
    uses: tuple = ()
    forbidden: tuple = ()
    results: dict = field(default_factory=dict)
    names: tuple = ()
    diagnose: object = None
    clues: object = None
    atol: float = 1e-12
    rtol: float = 1e-9
    points: int = 10

    @property
    def filename(self):
        return f"{self.name}.py"

    @property
    def notebook_path(self):
        return f"notebooks/{self.notebook}.ipynb"

    @property
    def functions(self):
        return tuple(self.hints)

    @property
    def number(self):
        return int(self.name[2:4])

    @property
    def home(self):
        """(equation label, notebook key) where this exercise is derived: general findings send the learner here."""
        return next(iter(self.hints.values())).equations[0], self.notebook[:2]

    @property
    def shape(self):
        """The expected result, as the hints say it."""
        return "; ".join(f"{function} returns {hint.shape}" for function, hint in self.hints.items())


# -- inputs: visible fixtures, or hidden ones drawn from a secret -----------------------------------------

class Draw:
    """The numbers of one exercise's cases: visible fixtures, or hidden ones drawn from `secret` (bytes)."""

    def __init__(self, exercise, secret=None):
        self.exercise, self.secret = exercise, secret
        self.fixed = "fixed" if secret is None else "hidden"
        self.random = "random" if secret is None else "hidden"

    def rng(self, case_id, seed):
        """numpy's generator for `seed` (visible), or one keyed by the secret, the exercise and `case_id`."""
        if self.secret is None:
            return np.random.default_rng(seed)
        digest = hmac.new(self.secret, f"{self.exercise}/{case_id}".encode(), hashlib.sha256).digest()
        return np.random.default_rng(int.from_bytes(digest[:16], "big"))

    def seed(self, case_id, seed):
        """An integer seed (for mini-batches): `seed` itself, or one drawn from the secret."""
        return seed if self.secret is None else int(self.rng(case_id, None).integers(0, 2 ** 31 - 1))

    def theta(self, case_id, sizes, seed=None, scale=1.0):
        """Fixed (sin-based, non-symmetric) weights when visible and seed is None, else uniform in [-scale, scale]."""
        Theta, k = {}, 0
        rng = None if self.secret is None and seed is None else self.rng(f"{case_id}/Theta", seed)
        for l in range(1, len(sizes)):
            shape = (sizes[l], sizes[l - 1] + 1)
            if rng is None:
                n = shape[0] * shape[1]
                Theta[l] = scale * np.sin(0.9 * np.arange(k, k + n) + 0.3).reshape(shape)
                k += n
            else:
                Theta[l] = rng.uniform(-scale, scale, size=shape)
        return Theta

    def data(self, case_id, n, K, m, seed=None):
        """X (n, m) and 0/1 targets Y (K, m): cos-based when visible and seed is None, else random."""
        if self.secret is None and seed is None:
            X = 1.5 * np.cos(1.3 * np.arange(n * m)).reshape(n, m)
            Y = ((np.arange(K * m) * 5 + 1) % 3 == 0).astype(np.float64).reshape(K, m)
            return X, Y
        rng = self.rng(f"{case_id}/data", None if seed is None else seed + 1000)
        X = rng.normal(size=(n, m))
        Y = (rng.random((K, m)) < 0.5).astype(np.float64)
        return X, Y

    def net(self, cid, func, sizes, m, seed, about, extra=()):
        """A case (Theta, X, Y, *extra) on a network of layer sizes `sizes` with m examples."""
        Theta = self.theta(cid, sizes, seed, scale=1.0 if seed is None else 1.2)
        X, Y = self.data(cid, sizes[0], sizes[-1], m, seed)
        return Case(cid, func, (Theta, X, Y) + tuple(extra), about)


def secret_bytes(secret):
    """The secret as bytes (a str is UTF-8 encoded); None stays None; an empty secret is refused."""
    if secret is None:
        return None
    data = secret.encode() if isinstance(secret, str) else bytes(secret)
    if not data.strip():
        raise ValueError("the grading secret is empty; pass a long random string (or leave it out for "
                         "self-study's visible cases).")
    return data.strip()


def batch_data(n, K, m):
    """X with an example id in row 0 and Y with distinct columns, so examples can be traced."""
    t = np.arange(m, dtype=np.float64)
    X = np.vstack([t] + [np.sin(t * (i + 1.3)) for i in range(n - 1)])
    Y = np.vstack([0.01 * t + k for k in range(K)])
    return X, Y


# -- references the library does not have yet ---------------------------------------------------------

def reference_deltas(Theta, x, y):
    """d(l) for l = 2 .. L of one example (BP1), (BP2): the library's own deltas."""
    return bp.deltas(Theta, x, y)


# -- the exercises ------------------------------------------------------------------------------------

def _ex01(draw):
    visible = draw.secret is None
    rng = draw.rng("arrays", 101)
    grid = np.linspace(-4.0, 4.0, 12).reshape(3, 4) if visible else rng.uniform(-4, 4, size=(3, 4))
    fixed = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]) if visible else rng.uniform(-2, 2, size=7)
    scalar = 0.0 if visible else float(rng.uniform(-3, 3))
    rand = [5 * rng.normal(size=(5, 7)), 5 * rng.normal(size=(2, 3, 4)), np.array([3.7]) if visible else
            5 * rng.normal(size=(1,))]
    large = (np.array([-1000.0, -800.0, -710.0, -50.0, 50.0, 710.0, 800.0, 1000.0]) if visible else
             np.sign(rng.normal(size=8)) * rng.uniform(705, 1000, size=8))
    at = "z = -2 .. 2" if visible else "hidden z in [-2, 2]"
    cases = [Case("s_grid", "sigmoid", (grid,), "sigmoid of a (3, 4) array"),
             Case("g_grid", "sigmoid_gradient", (grid,), "sigmoid_gradient of a (3, 4) array"),
             Case("s_scalar", "sigmoid", (scalar,), f"sigmoid({scalar!r}), a float" if visible else
                  "sigmoid of a float"),
             Case("s_fixed", "sigmoid", (fixed,), f"sigmoid at {at}"),
             Case("g_fixed", "sigmoid_gradient", (fixed,), f"sigmoid_gradient at {at}"),
             Case("g_scalar", "sigmoid_gradient", (scalar,), f"sigmoid_gradient({scalar!r})" if visible else
                  "sigmoid_gradient of a float")]
    for i, z in enumerate(rand):
        cases.append(Case(f"s_rand{i}", "sigmoid", (z,), f"sigmoid of a {draw.random} array of shape {z.shape}"))
        cases.append(Case(f"g_rand{i}", "sigmoid_gradient", (z,), f"sigmoid_gradient of shape {z.shape}"))
    cases += [Case("s_large", "sigmoid", (large,), "sigmoid at |z| up to 1000"),
              Case("g_large", "sigmoid_gradient", (large,), "sigmoid_gradient at |z| up to 1000")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("arrays keep their shape, a float gives a float", "type and shape", 2,
              ("s_grid", "g_grid", "s_scalar", "g_scalar"), "float_shape"),
        Check(f"sigmoid on {draw.fixed} values", "fixed cases", 1.5, ("s_fixed", "s_scalar"), "values"),
        Check(f"sigmoid_gradient on {draw.fixed} values", "fixed cases", 1.5, ("g_fixed", "g_scalar"), "values"),
        Check(f"sigmoid on {draw.random} arrays", "random cases", 1.5, ("s_rand0", "s_rand1", "s_rand2"), "values"),
        Check(f"sigmoid_gradient on {draw.random} arrays", "random cases", 1.5, ("g_rand0", "g_rand1", "g_rand2"),
              "values"),
        Check("no overflow for large |z| (no warning, no inf or nan)", "properties", 1, ("s_large", "g_large"),
              "overflow"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return cases, checks


def _ex02(draw):
    f, r = draw.fixed, draw.random
    cases = [draw.net("f_fixed1", "forward", [2, 3, 1], 4, None, f"{f} 2-3-1 network, m = 4"),
             draw.net("f_fixed2", "forward", [3, 4, 2], 5, None, f"{f} 3-4-2 network, m = 5"),
             draw.net("f_rand1", "forward", [4, 5, 3], 9, 21, f"{r} 4-5-3 network, m = 9"),
             draw.net("f_rand2", "forward", [2, 6, 4, 3, 1], 6, 22, f"{r} 2-6-4-3-1 network, m = 6"),
             draw.net("f_rand3", "forward", [3, 2], 3, 23, f"{r} 3-2 network (no hidden layer), m = 3"),
             draw.net("f_m1", "forward", [3, 4, 2], 1, 24, "one example (m = 1)")]
    cases = [Case(c.id, c.func, c.args[:2], c.about) for c in cases]       # forward(Theta, X)
    ids = tuple(c.id for c in cases)
    checks = [
        Check("returns (a, z): dicts with the right keys and shapes", "type and shape", 2, ("f_fixed1",), "shape"),
        Check(f"values on a {f} 2-3-1 network", "fixed cases", 1.5, ("f_fixed1",), "values"),
        Check(f"values on a {f} 3-4-2 network", "fixed cases", 1.5, ("f_fixed2",), "values"),
        Check(f"{r} 4-5-3 network", "random cases", 1, ("f_rand1",), "values"),
        Check(f"{r} 2-6-4-3-1 network (L = 5)", "random cases", 1, ("f_rand2",), "values"),
        Check(f"{r} 3-2 network (no hidden layer)", "random cases", 1, ("f_rand3",), "values"),
        Check("a single example (m = 1)", "properties", 1, ("f_m1",), "values"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return cases, checks


def _ex03(draw):
    f, r = draw.fixed, draw.random
    bias_only = draw.theta("c_bias", [3, 4, 2])
    for T in bias_only.values():
        T[:, 1:] = 0.0
    X, Y = draw.data("c_bias", 3, 2, 5)
    cases = [draw.net("c_fixed0", "cost", [2, 3, 1], 4, None, f"{f} 2-3-1, lambda = 0", (0.0,)),
             draw.net("c_fixed1", "cost", [2, 3, 1], 4, None, f"{f} 2-3-1, lambda = 1", (1.0,)),
             draw.net("c_rand1", "cost", [3, 5, 2], 8, 31, f"{r} 3-5-2, lambda = 0.3", (0.3,)),
             draw.net("c_rand2", "cost", [4, 3, 3, 2], 6, 32, f"{r} 4-3-3-2, lambda = 2", (2.0,)),
             draw.net("c_rand3", "cost", [2, 1], 5, 33, f"{r} 2-1 (no hidden layer), lambda = 0.5", (0.5,)),
             Case("c_bias0", "cost", (bias_only, X, Y, 0.0), "only bias weights non-zero, lambda = 0"),
             Case("c_bias5", "cost", (bias_only, X, Y, 5.0), "only bias weights non-zero, lambda = 5")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("returns one number", "type and shape", 2, ("c_fixed0",), "shape"),
        Check(f"{f} 2-3-1 network, lambda = 0", "fixed cases", 1.5, ("c_fixed0",), "values"),
        Check(f"{f} 2-3-1 network, lambda = 1", "fixed cases", 1.5, ("c_fixed1",), "values"),
        Check(f"{r} 3-5-2 network", "random cases", 1, ("c_rand1",), "values"),
        Check(f"{r} 4-3-3-2 network", "random cases", 1, ("c_rand2",), "values"),
        Check(f"{r} 2-1 network", "random cases", 1, ("c_rand3",), "values"),
        Check("the bias column is not regularized", "properties", 1, ("c_bias0", "c_bias5"), "values"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return cases, checks


def _ex05(draw):
    f, r = draw.fixed, draw.random

    def one_example(cid, sizes, seed, about):
        c = draw.net(cid, "deltas", sizes, 1, seed, about)
        return Case(cid, "deltas", c.args[:3], about)

    cases = [one_example("d_fixed1", [2, 3, 1], None, f"{f} 2-3-1 network"),
             one_example("d_fixed2", [3, 4, 5, 2], None, f"{f} 3-4-5-2 network"),
             one_example("d_rand1", [4, 5, 3, 2], 51, f"{r} 4-5-3-2 network"),
             one_example("d_rand2", [2, 3, 4], 52, f"{r} 2-3-4 network"),
             one_example("d_rand3", [5, 3], 53, f"{r} 5-3 network (no hidden layer)"),
             one_example("d_bp3", [3, 4, 2], 54, f"{r} 3-4-2 network")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a dict {l: d(l)} for l = 2 .. L, each of shape (s_l, 1)", "type and shape", 2, ("d_fixed2",),
              "shape"),
        Check(f"{f} 2-3-1 network", "fixed cases", 1.5, ("d_fixed1",), "values"),
        Check(f"{f} 3-4-5-2 network", "fixed cases", 1.5, ("d_fixed2",), "values"),
        Check(f"{r} 4-5-3-2 network", "random cases", 1, ("d_rand1",), "values"),
        Check(f"{r} 2-3-4 network", "random cases", 1, ("d_rand2",), "values"),
        Check(f"{r} 5-3 network", "random cases", 1, ("d_rand3",), "values"),
        Check("d(l+1) a(l)' equals the numerical gradient of this example's cost (BP3)", "properties", 1,
              ("d_bp3",), "deltas_numgrad"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return cases, checks


def _gradient(func):
    def build(draw):
        f, r = draw.fixed, draw.random
        cases = [draw.net("b_fixed1", func, [2, 3, 1], 4, None, f"{f} 2-3-1, m = 4, lambda = 0", (0.0,)),
                 draw.net("b_fixed2", func, [3, 4, 2], 5, None, f"{f} 3-4-2, m = 5, lambda = 1", (1.0,)),
                 draw.net("b_rand1", func, [4, 5, 3, 2], 7, 61, f"{r} 4-5-3-2, m = 7, lambda = 0.5", (0.5,)),
                 draw.net("b_rand2", func, [2, 3, 4], 6, 62, f"{r} 2-3-4, m = 6, lambda = 1.5", (1.5,)),
                 draw.net("b_rand3", func, [5, 2], 3, 63, f"{r} 5-2 (no hidden layer), m = 3, lambda = 0.2", (0.2,)),
                 draw.net("b_numgrad", func, [3, 3, 2], 5, 64, f"{r} 3-3-2, m = 5, lambda = 0.7", (0.7,))]
        ids = tuple(c.id for c in cases)
        checks = [
            Check("a dict {l: D(l)} with the shapes of Theta", "type and shape", 2, ("b_fixed2",), "shape"),
            Check(f"{f} 2-3-1 network, lambda = 0", "fixed cases", 1.5, ("b_fixed1",), "values"),
            Check(f"{f} 3-4-2 network, lambda = 1", "fixed cases", 1.5, ("b_fixed2",), "values"),
            Check(f"{r} 4-5-3-2 network", "random cases", 1, ("b_rand1",), "values"),
            Check(f"{r} 2-3-4 network", "random cases", 1, ("b_rand2",), "values"),
            Check(f"{r} 5-2 network", "random cases", 1, ("b_rand3",), "values"),
            Check("D equals the numerical gradient (relative error < 1e-7)", "properties", 1, ("b_numgrad",),
                  "numgrad"),
            Check("inputs not mutated", "properties", 1, ids, "mutation"),
        ]
        return cases, checks
    return build


def _ex07(draw):
    f, r, n = draw.fixed, draw.random, "numerical_gradient"
    cases = [draw.net("n_fixed1", n, [2, 3, 1], 4, None, f"{f} 2-3-1, lambda = 0, epsilon = 1e-4", (0.0, 1e-4)),
             draw.net("n_fixed2", n, [3, 2, 2], 3, None, f"{f} 3-2-2, lambda = 1, epsilon = 1e-4", (1.0, 1e-4)),
             draw.net("n_rand1", n, [3, 4, 2], 5, 71, f"{r} 3-4-2, lambda = 0.5", (0.5, 1e-4)),
             draw.net("n_rand2", n, [2, 2, 2, 1], 4, 72, f"{r} 2-2-2-1, epsilon = 1e-5", (0.0, 1e-5)),
             draw.net("n_rand3", n, [4, 2], 3, 73, f"{r} 4-2, lambda = 1, epsilon = 1e-3", (1.0, 1e-3)),
             draw.net("n_eps", n, [2, 3, 1], 4, None, f"{f} 2-3-1 with epsilon = 0.01", (0.0, 1e-2))]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a dict {l: D(l)} with the shapes of Theta", "type and shape", 2, ("n_fixed1",), "shape"),
        Check(f"{f} 2-3-1 network", "fixed cases", 1.5, ("n_fixed1",), "values"),
        Check(f"{f} 3-2-2 network, lambda = 1", "fixed cases", 1.5, ("n_fixed2",), "values"),
        Check(f"{r} 3-4-2 network", "random cases", 1, ("n_rand1",), "values"),
        Check(f"{r} 2-2-2-1 network", "random cases", 1, ("n_rand2",), "values"),
        Check(f"{r} 4-2 network", "random cases", 1, ("n_rand3",), "values"),
        Check("uses the epsilon it is given", "properties", 1, ("n_eps",), "values"),
        Check("Theta not mutated (every perturbed weight restored)", "properties", 1, ids, "mutation"),
    ]
    return cases, checks


def _ex08(draw):
    f, r = draw.fixed, draw.random

    def case(cid, sizes, seed, alpha, about):
        Theta = draw.theta(cid, sizes, seed)
        D = {l: 0.3 * np.cos(T * 3.0 + 1.0)
             for l, T in draw.theta(f"{cid}/D", sizes, None if seed is None else seed + 1).items()}
        return Case(cid, "gradient_descent_step", (Theta, D, alpha), about)

    cases = [case("u_fixed1", [2, 3, 1], None, 0.5, f"{f} 2-3-1, alpha = 0.5"),
             case("u_fixed2", [3, 4, 2], None, 0.1, f"{f} 3-4-2, alpha = 0.1"),
             case("u_rand1", [4, 5, 3, 2], 81, 2.0, f"{r} 4-5-3-2, alpha = 2"),
             case("u_rand2", [2, 3], 82, 0.01, f"{r} 2-3, alpha = 0.01"),
             case("u_rand3", [3, 6, 6, 1], 83, 0.3, f"{r} 3-6-6-1, alpha = 0.3")]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("a dict with Theta's keys and shapes", "type and shape", 2, ("u_fixed1",), "shape"),
        Check(f"{f} 2-3-1, alpha = 0.5", "fixed cases", 1.5, ("u_fixed1",), "values"),
        Check(f"{f} 3-4-2, alpha = 0.1", "fixed cases", 1.5, ("u_fixed2",), "values"),
        Check(f"{r} 4-5-3-2", "random cases", 1, ("u_rand1",), "values"),
        Check(f"{r} 2-3", "random cases", 1, ("u_rand2",), "values"),
        Check(f"{r} 3-6-6-1", "random cases", 1, ("u_rand3",), "values"),
        Check("Theta not mutated", "properties", 1, ids, "mutation:0"),
        Check("D not mutated", "properties", 1, ids, "mutation:1"),
    ]
    return cases, checks


def _ex09(draw):
    def case(cid, m, b, seed, about):
        X, Y = batch_data(3, 2, m)
        return Case(cid, "minibatches", (X, Y, b, draw.seed(cid, seed)), about)

    cases = [case("mb_fixed1", 10, 5, 1, "m = 10, batch_size = 5"),
             case("mb_fixed2", 10, 4, 0, "m = 10, batch_size = 4 (last batch has 2)"),
             case("mb_rand1", 23, 4, 7, "m = 23, batch_size = 4"),
             case("mb_rand2", 7, 7, 3, "m = 7, batch_size = 7 (one batch)"),
             case("mb_rand3", 9, 1, 11, "m = 9, batch_size = 1"),
             case("mb_other", 23, 4, 8, "m = 23, batch_size = 4, another seed")]
    again = Case("mb_again", "minibatches", cases[2].args, "m = 23, batch_size = 4, the same seed again")
    cases.insert(5, again)
    if cases[6].args[3] == again.args[3]:                   # a secret could draw the same seed twice
        cases[6] = Case("mb_other", "minibatches", cases[6].args[:3] + (again.args[3] + 1,), cases[6].about)
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
    return cases, checks


# -- diagnoses: which classic mistake explains a wrong value (catalogues: diagnoses.py, misconceptions.py) ------

def _sigmoid_findings(case, value, after, warnings):
    return dg.diagnose_sigmoid(case.args[0], value, warnings, which=case.func)


def _forward_findings(case, value, after, warnings):
    a, z = value if isinstance(value, (tuple, list)) and len(value) == 2 else (None, None)
    return dg.diagnose_forward(*case.args, a, z)


def _cost_findings(case, value, after, warnings):
    out = []
    for f in dg.diagnose_cost(*case.args, value):
        if f.code == "cost_mismatch" and "Expected about" in f.message:   # it would state the expected value
            J, want = float(value), float(bp.cost(*case.args))
            f = dg.finding("cost_mismatch", f"Your J is {'larger' if J > want else 'smaller'} than the right "
                                            f"value by about {abs(J - want):.2g}.")
        out.append(f)
    return out


def _deltas_findings(case, value, after, warnings):
    L = len(case.args[0]) + 1
    if isinstance(value, dict) and 1 in value and sorted(value, key=repr) == list(range(1, L + 1)):
        below = {l: d for l, d in value.items() if l != 1}        # the rest judged on its own
        return [dg.finding("recursion_to_layer_1", "Your d has a key 1.")] + mc.diagnose_deltas(*case.args, below)
    return mc.diagnose_deltas(*case.args, value)


def _gradient_findings(case, value, after, warnings):
    return mc.diagnose_gradient(*case.args, value)


def _numerical_findings(case, value, after, warnings):
    Theta_after = after[0] if isinstance(after, (list, tuple)) and after else None
    return dg.diagnose_numerical_gradient(*case.args, value, Theta_after=Theta_after)


def _update_findings(case, value, after, warnings):
    return dg.diagnose_update(*case.args, value)


def _batch_findings(case, value, after, warnings):
    X, Y, b, _ = case.args
    return dg.diagnose_minibatches(X, Y, b, as_batches(value))


def as_batches(value):
    """A returned list of (X_batch, Y_batch) as a list of pairs, whatever sequence types hold it."""
    if not isinstance(value, (list, tuple)):
        return value if value is not None else []
    return [tuple(item) if isinstance(item, (list, tuple)) and len(item) == 2 else item for item in value]


_BROADCAST = re.compile(r"shapes \((\d+),(\d+)\) \((\d+),(\d+)\)")
_MATMUL = re.compile(r"size (\d+) is different from (\d+)")


def _forward_clues(message):
    sizes = _MATMUL.search(message or "")
    if sizes and abs(int(sizes.group(1)) - int(sizes.group(2))) == 1:
        return [dg.finding("bias_unit_missing", "Your code stopped on a matrix product whose inner sizes "
                                                "differ by one: the bias unit.")]
    return []


def _backward_clues(message):
    if re.match(r"KeyError: 1 \(in \w+\.py, line \d+: .*(z\[|d\[|sigmoid_gradient\()", message or ""):
        return [dg.finding("recursion_to_layer_1", "Your code asked for layer 1 of z or d (KeyError: 1): both "
                                                   "exist for l = 2 .. L only.")]
    match = _BROADCAST.search(message or "")
    if match:
        r1, c1, r2, c2 = (int(v) for v in match.groups())
        if c1 == c2 and abs(r1 - r2) == 1:
            return [dg.finding("bias_row_not_dropped", "Your code stopped on two arrays whose row counts differ "
                                                       "by one: the bias row.")]
    sizes = _MATMUL.search(message or "")
    if sizes and abs(int(sizes.group(1)) - int(sizes.group(2))) == 1:
        return [dg.finding("bias_row_not_dropped", "Your code stopped on a matrix product whose inner sizes "
                                                   "differ by one: the bias row.")]
    if "matmul" in (message or "") or "not aligned" in (message or ""):
        return [dg.finding("theta_not_transposed", "Your code stopped on a matrix product whose shapes do not "
                                                   "fit; check which factor needs transposing.")]
    return []


def finding(code):
    """The catalogue's :class:`~backprop_course.misconceptions.Finding` for mistake `code`."""
    return dg.finding(code)


def mutation_findings(names, before, after):
    """The ``inputs_mutated`` finding for arguments changed in place ([] when none was)."""
    return dg.diagnose_mutation(names, before, after)


# -- the table -----------------------------------------------------------------------------------------

_BACKPROP = ("backprop", "backprop_loop", "_backprop", "_backprop_loop", "numerical_gradient")
_NETWORK_ARGS = ("Theta", "X", "Y", "lambda_")

EXERCISES = (
    Exercise(
        "ex01_sigmoid", "01_neuron_and_sigmoid", "The sigmoid and its derivative",
        {
            "sigmoid": Hint(("G1",), "same shape as z (a float for a float)", "about 3 lines",
                            "e^{-z} overflows for z below about -710: use a form that only ever "
                            "exponentiates -|z|"),
            "sigmoid_gradient": Hint(("G2",), "same shape as z", "about 2 lines",
                                     "reuse your sigmoid"),
        },
        build=_ex01,
        reference={"sigmoid": bp.sigmoid, "sigmoid_gradient": bp.sigmoid_gradient},
        args={"sigmoid": ("z",), "sigmoid_gradient": ("z",)},
        forbidden=("sigmoid", "sigmoid_gradient", "_sigmoid_into", "_sigmoid_prime_from_a"),
        results={"sigmoid": "g(z)", "sigmoid_gradient": "g'(z)"},
        diagnose=_sigmoid_findings,
    ),
    Exercise(
        "ex02_forward", "02_forward_propagation", "Forward propagation",
        {"forward": Hint(("F1", "F2", "F3", "F4"), "a[l] (s_l + 1, m) for l < L, a[L] (K, m), z[l] (s_l, m)",
                         "about 8 lines", "one loop over l = 1 .. L-1; the bias row of ones goes on top "
                                          "of every a(l) except the output")},
        build=_ex02,
        reference={"forward": bp.forward},
        args={"forward": ("Theta", "X")},
        uses=("sigmoid",),
        forbidden=("forward", "_forward"),
        names=("a", "z"),
        diagnose=_forward_findings,
        clues=_forward_clues,
    ),
    Exercise(
        "ex03_cost", "03_cost", "The regularized cost",
        {"cost": Hint(("J",), "a float", "about 5 lines",
                      "average the cross-entropy over m, then add lambda/(2m) times the squares of "
                      "every weight except the bias column")},
        build=_ex03,
        reference={"cost": bp.cost},
        args={"cost": _NETWORK_ARGS},
        defaults={"cost": {"lambda_": 0.0}},
        uses=("forward", "sigmoid"),
        forbidden=("cost", "_cost", "data_cost", "regularization_cost"),
        results={"cost": "J"},
        diagnose=_cost_findings,
    ),
    Exercise(
        "ex05_deltas", "05_backprop_one_example", "The errors d(l) of one example",
        {"deltas": Hint(("BP1", "BP2"), "d[l] of shape (s_l, 1) for l = 2 .. L", "about 5 lines",
                        "start from the output error and walk back to l = 2; the bias row has no "
                        "error to pass back, and the derivative of g multiplies")},
        build=_ex05,
        reference={"deltas": reference_deltas},
        args={"deltas": ("Theta", "x", "y")},
        uses=("forward", "sigmoid", "sigmoid_gradient"),
        forbidden=("deltas", *_BACKPROP),
        results={"deltas": "d"},
        diagnose=_deltas_findings,
        clues=_backward_clues,
    ),
    Exercise(
        "ex06_backprop_loop", "06_m_examples_regularization", "Backpropagation, one example at a time",
        {"backprop_loop": Hint(("BP0", "BP3", "BP4", "BP5"), "D[l] of the shape of Theta[l]", "about 12 lines",
                               "the algorithm's three steps: start every Delta(l) at 0, add each example's "
                               "contribution, then average and regularize all but the bias column")},
        build=_gradient("backprop_loop"),
        reference={"backprop_loop": bp.backprop},
        args={"backprop_loop": _NETWORK_ARGS},
        uses=("forward", "deltas", "sigmoid", "sigmoid_gradient"),
        forbidden=_BACKPROP,
        results={"backprop_loop": "D"},
        diagnose=_gradient_findings,
        clues=_backward_clues,
    ),
    Exercise(
        "ex07_numerical_gradient", "07_gradient_checking", "The numerical gradient",
        {"numerical_gradient": Hint(("NG",), "D[l] of the shape of Theta[l]", "about 12 lines",
                                    "perturb one weight at a time on a copy, on both sides, and put "
                                    "it back before moving on")},
        build=_ex07,
        reference={"numerical_gradient": bp.numerical_gradient},
        args={"numerical_gradient": (*_NETWORK_ARGS, "epsilon")},
        uses=("cost",),
        forbidden=_BACKPROP,
        results={"numerical_gradient": "D"},
        diagnose=_numerical_findings,
        atol=1e-8, rtol=1e-6,
    ),
    Exercise(
        "ex08_gradient_descent_step", "08_gradient_descent", "One gradient-descent step",
        {"gradient_descent_step": Hint(("GD",), "a new dict like Theta", "about 1 line",
                                       "D points uphill; return new arrays and leave Theta and D as they were")},
        build=_ex08,
        reference={"gradient_descent_step": bp.gradient_descent_step},
        args={"gradient_descent_step": ("Theta", "D", "alpha")},
        forbidden=("gradient_descent_step", "train"),
        results={"gradient_descent_step": "Theta"},
        diagnose=_update_findings,
    ),
    Exercise(
        "ex09_minibatches", "09_batches_and_training", "Shuffled mini-batches",
        {"minibatches": Hint(("GD",), "a list of (X_batch (n, b), Y_batch (K, b))", "about 6 lines",
                             "one permutation of the m columns from a generator seeded with seed, "
                             "applied to X and Y alike, cut into consecutive pieces")},
        build=_ex09,
        reference={},
        args={"minibatches": ("X", "Y", "batch_size", "seed")},
        forbidden=("minibatches", "_minibatches", "train"),
        results={"minibatches": "batches"},
        diagnose=_batch_findings,
    ),
    Exercise(
        "ex10_backprop_vectorized", "10_vectorization", "Backpropagation, vectorized",
        {"backprop": Hint(("BP1", "BP2", "BP3", "BP4", "BP5"), "D[l] of the shape of Theta[l]", "about 10 lines",
                          "the same equations with all m examples as columns: one matrix product "
                          "sums over the examples")},
        build=_gradient("backprop"),
        reference={"backprop": bp.backprop},
        args={"backprop": _NETWORK_ARGS},
        uses=("forward", "sigmoid", "sigmoid_gradient"),
        forbidden=_BACKPROP,
        results={"backprop": "D"},
        diagnose=_gradient_findings,
        clues=_backward_clues,
    ),
)

BY_NAME = {ex.name: ex for ex in EXERCISES}
EXERCISE_NAMES = tuple(BY_NAME)
OWNER = {function: ex for ex in EXERCISES for function in ex.functions}   # function -> its exercise


def get(name):
    """The exercise called `name` (also accepts "ex05" or "5"), with a clear error otherwise."""
    if name in BY_NAME:
        return BY_NAME[name]
    key = str(name).removesuffix(".py")
    for ex in EXERCISES:
        number = ex.name.split("_")[0]
        if key in (number, number[2:], number[2:].lstrip("0")):
            return ex
    raise ValueError(f"unknown exercise {name!r}; choose one of {list(BY_NAME)}.")


def build(exercise, secret=None):
    """(cases, checks) of `exercise` (an :class:`Exercise`), visible or drawn from `secret` (bytes)."""
    return exercise.build(Draw(exercise.name, secret))


# -- the oracle: which helper calls a correct solution makes ------------------------------------------------

def oracle_calls(exercise, case):
    """(function, args) of the earlier exercises' helpers a correct solution calls on `case`.

    For a network case: forward on all of X and on each column; deltas of each example; the cost, and
    for a numerical gradient the cost with each weight moved by +epsilon and by -epsilon. The
    elementwise helpers (sigmoid, sigmoid_gradient) are answered from every z these forward passes make.
    """
    named = dict(zip(exercise.args[case.func], case.args, strict=True))
    Theta, X = named.get("Theta"), named.get("X", named.get("x"))
    Y = named.get("Y", named.get("y"))
    if not isinstance(Theta, dict) or not isinstance(X, np.ndarray):
        return []
    m = X.shape[1]
    calls = [("forward", (Theta, X))] + [("forward", (Theta, X[:, [t]])) for t in range(m) if m > 1]
    if Y is not None:
        calls += [("deltas", (Theta, X[:, [t]], Y[:, [t]])) for t in range(m)]
    if "lambda_" in named:
        lambda_, epsilon = named["lambda_"], named.get("epsilon")
        calls.append(("cost", (Theta, X, Y, lambda_)))
        for l, T in (Theta.items() if epsilon is not None else ()):
            for i, j in np.ndindex(*T.shape):
                for sign in (1.0, -1.0):
                    moved = {k: V.copy() for k, V in Theta.items()}
                    moved[l][i, j] = T[i, j] + sign * epsilon
                    calls.append(("cost", (moved, X, Y, lambda_)))
    return calls
