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
from ..losses import output_delta
from . import diagnoses as dg
from .child import GRAPH_OPS, run_graph

SECRET_ENV = "BACKPROP_GRADER_SECRET"
# The reference solutions: in a checkout of the repository only (the wheel leaves them out).
SOLUTIONS_DIR = Path(__file__).resolve().parent / "solutions"


@dataclass(frozen=True)
class Hint:
    """What a stub says about one function: equations, expected result shape and size of the answer."""

    equations: tuple    # may be empty: a rule with no equation of its own (exercise 9's shuffle and cut)
    shape: str
    size: str
    idea: str

    @property
    def labels(self):
        """``"(BP2), (BP1)"``, or ``""`` for a rule without an equation."""
        return ", ".join(f"({e})" for e in self.equations)

    def write_it(self, notebook_path):
        """Where a learner finds the rule: ``"with equations (GD) from notebooks/..."``."""
        if self.equations:
            return f"with equations {self.labels} from {notebook_path}"
        return f"with the rule of {notebook_path}"


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
# Not "overflow": at |z| of 705 and more any step function is right (g = 0 or 1, g' = 0).
VALUE_KINDS = ("values", "numgrad", "deltas_numgrad", "batches", "batch_seed", "answer")


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
    runner : str
        How the graded process runs a case: "" calls the function on the case's arguments; "graph"
        builds the case's expression with the submission's class (``child.run_graph``).
    overall : callable(Prepared, {case id: CaseResult}) -> list of Finding
        Mistakes that only several cases together show (e.g. right alone, wrong at a fan-out).
    answers : dict {name: Answer}
        Multiple-choice fields of the file (``BUG_IN_A = "BP2"``), each graded by a case of its own.
    choices : tuple of str
        What an answer may be.
    review : callable(prepared, results, findings) -> list of Finding
        The exercise's last word on its findings, seeing every case at once (find-the-bug: per function).
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
    runner: str = ""
    overall: object = None
    answers: dict = field(default_factory=dict)
    choices: tuple = ()
    review: object = None

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
        equations = next(iter(self.hints.values())).equations
        return (equations[0] if equations else "GD"), self.notebook[:2]

    @property
    def shape(self):
        """The expected result, as the hints say it."""
        return "; ".join(f"{function} returns {hint.shape}" for function, hint in self.hints.items())

    def judge_answer(self, name, value, want):
        """What to tell the learner about the answer `value` to the field `name`; None when it is right.

        `value` is the index of the choice given (None: not answered), `want` the right one's. The words
        never name the right choice.
        """
        listed = ", ".join(f'"{c}"' for c in self.choices)
        function = self.answers[name].function
        if value is None:
            return (f"not answered yet (it is None); set it to the label of the equation the bug in {function} "
                    f"breaks, one of {listed}.")
        if type(value) is not int or not 0 <= value < len(self.choices):
            return f"it could not be read; set it to one of {listed}."
        if value == want:
            return None
        return f'"{self.choices[value]}" is not the equation the bug in {function} breaks. {self.answers[name].locate}'


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


def reference_softmax_delta(a, Y):
    """d(L) of a softmax output with the cross-entropy (BP1): the library's output error for that pair."""
    return output_delta(a, None, Y, "softmax", "cross_entropy")


# The cost each output layer of exercise 15 comes with.
GENERAL_LOSS = {"sigmoid": "cross_entropy", "softmax": "cross_entropy", "identity": "mse"}


def reference_backprop_general(Theta, X, Y, lambda_, activation, output):
    """D for hidden activation g and output h with its cost (GENERAL_LOSS): the library's backprop."""
    return bp.backprop(Theta, X, Y, lambda_, activation, output, GENERAL_LOSS[output])


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


def _one_hot(rng, K, m, visible):
    """One-hot targets (K, m): a fixed pattern of classes when visible, else drawn from `rng`."""
    classes = (np.arange(m) * 2 + 1) % K if visible else rng.integers(0, K, size=m)
    return np.eye(K)[:, classes]


def _ex12(draw):
    visible = draw.secret is None
    f, r = draw.fixed, draw.random
    rng = draw.rng("softmax", 121)
    grid = 2.0 * np.sin(1.7 * np.arange(12) + 0.4).reshape(3, 4) if visible else rng.uniform(-3, 3, size=(3, 4))
    column = np.array([[1.2], [-0.4], [0.3]]) if visible else rng.uniform(-2, 2, size=(3, 1))
    rand = [3 * rng.normal(size=(4, 6)), 3 * rng.normal(size=(2, 5)), 3 * rng.normal(size=(10, 3))]
    levels = np.array([1000.0, -1000.0, 990.0]) if visible else rng.choice([-1.0, 1.0], 3) * rng.uniform(800, 1000, 3)
    large = levels + np.array([[0.0], [1.0], [-2.0]]) + (0.0 if visible else rng.normal(size=(3, 3)))
    mixed = np.array([[0.5, 1000.0], [-0.3, 1001.0], [0.1, 999.0]]) if visible else \
        np.hstack([rng.normal(size=(3, 1)), rng.uniform(800, 1000) + rng.normal(size=(3, 1))])

    def delta_case(cid, z, about, seed):
        a = bp.softmax(z)
        return Case(cid, "softmax_cross_entropy_delta", (a, _one_hot(draw.rng(cid, seed), *a.shape, visible)), about)

    cases = [Case("s_grid", "softmax", (grid,), f"softmax of a {f} (3, 4) z"),
             Case("s_column", "softmax", (column,), "softmax of the notebook's z = (1.2, -0.4, 0.3)" if visible
                  else "softmax of a hidden (3, 1) z"),
             Case("s_large", "softmax", (large,), "softmax of z with |z| of about 800 or more in every column"),
             Case("s_mixed", "softmax", (mixed,), "softmax of a column of z near 0 beside one near 800 to 1000")]
    cases += [Case(f"s_rand{i}", "softmax", (z,), f"softmax of a {r} {z.shape} z") for i, z in enumerate(rand)]
    cases += [delta_case("d_grid", grid, f"d(L) for a = softmax of a {f} (3, 4) z", 122),
              delta_case("d_column", column, "d(L) for the notebook's example, y = (0, 0, 1)" if visible else
                         "d(L) for a hidden (3, 1) example", 123)]
    if visible:                                      # the notebook's y = (0, 0, 1)
        cases[-1] = Case("d_column", cases[-1].func, (cases[-1].args[0], np.array([[0.0], [0.0], [1.0]])),
                         cases[-1].about)
    cases += [delta_case(f"d_rand{i}", z, f"d(L) for a {r} {z.shape} example set", 124 + i)
              for i, z in enumerate(rand)]
    ids = tuple(c.id for c in cases)
    checks = [
        Check("softmax and d(L) keep the shape (K, m)", "type and shape", 2, ("s_grid", "d_grid"), "shape"),
        Check(f"softmax on {f} z", "fixed cases", 1.5, ("s_grid", "s_column"), "values"),
        Check(f"d(L) on {f} cases", "fixed cases", 1.5, ("d_grid", "d_column"), "values"),
        Check(f"softmax on {r} z of other shapes", "random cases", 1.5, ("s_rand0", "s_rand1", "s_rand2"), "values"),
        Check(f"d(L) on {r} cases of other shapes", "random cases", 1.5, ("d_rand0", "d_rand1", "d_rand2"),
              "values"),
        Check("no overflow for |z| of about 800 to 1000 (no warning, no inf or nan)", "properties", 0.5, ("s_large",),
              "overflow"),
        Check("each column shifted by its own maximum (no warning, no inf or nan)", "properties", 0.5,
              ("s_mixed",), "overflow"),
        Check("inputs not mutated", "properties", 1, ids, "mutation"),
    ]
    return cases, checks


# Exercise 15's layer sizes, one network per hidden activation (two hidden layers for tanh).
GENERAL_SIZES = {"sigmoid": [3, 4, 3], "tanh": [2, 5, 4, 3], "relu": [4, 5, 3, 2]}


def _ex15(draw):
    visible = draw.secret is None

    def case(cid, activation, output, seed, about, zero_unit=False):
        sizes = GENERAL_SIZES[activation]
        m, K = 6, sizes[-1]
        Theta = draw.theta(cid, sizes, seed, scale=1.0 if seed is None else 1.2)
        if zero_unit:                        # hidden unit 2 of layer 2: z = 0 exactly for every example
            Theta[1][1, :] = 0.0
        X, Y = draw.data(cid, sizes[0], K, m, seed)
        rng = draw.rng(f"{cid}/targets", None if seed is None else seed + 2000)
        if output == "softmax":
            Y = _one_hot(rng, K, m, visible and seed is None)
        elif output == "identity":
            Y = np.sin(0.7 * np.arange(K * m) + 0.2).reshape(K, m) if visible and seed is None else \
                rng.normal(size=(K, m))
        return Case(cid, "backprop_general", (Theta, X, Y, 0.7, activation, output), about)

    cases, checks = [], []
    for i, activation in enumerate(GENERAL_SIZES):
        sizes = "-".join(str(s) for s in GENERAL_SIZES[activation])
        group, kind, points = ("fixed cases", draw.fixed, 1.0) if activation == "sigmoid" else \
            ("random cases", draw.random, 0.5)
        for j, output in enumerate(GENERAL_LOSS):
            cid = f"g_{activation}_{output}"
            about = f"{kind} {sizes} network, hidden {activation}, output {output} ({GENERAL_LOSS[output]}), " \
                    f"lambda = 0.7"
            cases.append(case(cid, activation, output, None if activation == "sigmoid" else 150 + 3 * i + j, about))
            checks.append(Check(f"hidden {activation}, output {output}", group, points, (cid,), "values"))
    cases.append(case("g_relu_zero", "relu", "identity", None if visible else 160,
                      "hidden relu with a unit whose z is exactly 0, output identity (mse)", zero_unit=True))
    ids = tuple(c.id for c in cases)
    checks = [Check("a dict {l: D(l)} with the shapes of Theta", "type and shape", 2, ("g_sigmoid_softmax",),
                    "shape")] + checks + [
        Check("ReLU's slope at exactly z = 0 is 0, the course's convention", "properties", 1, ("g_relu_zero",),
              "values"),
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


def _softmax_findings(case, value, after, warnings):
    if case.func == "softmax":
        return dg.diagnose_softmax(case.args[0], value, warnings)
    return dg.diagnose_softmax_delta(*case.args, value)


# Findings worded for the sigmoid network, and their form for every model (one wording across ex15's cases).
_GENERAL_WORDS = {"g_instead_of_g_prime": "hidden_g_instead_of_g_prime", "d_L_sign_flipped": "output_delta_sign"}


def _general_findings(case, value, after, warnings):
    Theta, X, Y, lambda_, activation, output = case.args
    loss = GENERAL_LOSS[output]
    found = mc.diagnose_gradient(Theta, X, Y, lambda_, value, activation, output, loss,
                                 more=mc.model_mistakes(activation, output, loss))
    return [dg.finding(_GENERAL_WORDS[f.code]) if f.code in _GENERAL_WORDS else f for f in found]


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


# -- exercise 16: momentum and Adam, graded step by step along runs on a valley ---------------------------

def _valley(draw, cid, sizes, seed):
    """Start weights and the curvatures C > 0 of a valley J = sum C Theta^2 / 2 (so D = C Theta), narrow in places."""
    Theta = draw.theta(cid, sizes, seed)
    if draw.secret is None and seed is None:
        C, k = {}, 0
        for l, T in Theta.items():
            C[l] = np.exp(2 * np.sin(1.7 * np.arange(k, k + T.size) + 0.5)).reshape(T.shape)
            k += T.size
    else:
        rng = draw.rng(f"{cid}/C", seed)
        C = {l: np.exp(rng.uniform(-2, 2, size=T.shape)) for l, T in Theta.items()}
    return Theta, C


def _run(draw, cid, func, sizes, seed, alpha, options, at, about):
    """Cases of `func` at the steps `at` (counted from 1) of one run on a valley.

    Each case starts from the weights, D and velocity or state of the library's own run at that step,
    so every step is judged on its own, to float64 precision, however long the run.
    """
    step = {"momentum_step": bp.momentum_step, "adam_step": bp.adam_step}[func]
    Theta, C = _valley(draw, cid, sizes, seed)
    memory, cases = None, []
    for k in range(1, max(at) + 1):
        D = {l: C[l] * Theta[l] for l in Theta}
        if k in at:
            cases.append(Case(f"{cid}{k}", func, (Theta, D, memory, alpha, *options), f"{about}, step {k}"))
        Theta, memory = step(Theta, D, memory, alpha, *options)
    return cases


def _ex16(draw):
    f, r = draw.fixed, draw.random
    momentum = {"fixed": _run(draw, "m_fixed", "momentum_step", [2, 3, 1], None, 0.05, (0.9,),
                              (1, 2, 3, 5, 10, 40), f"momentum on a {f} 2-3-1 valley, beta = 0.9"),
                "rand1": _run(draw, "m_rand1", "momentum_step", [3, 4, 2], 161, 0.1, (0.5,), (1, 7, 25),
                              f"momentum on a {r} 3-4-2 valley, beta = 0.5"),
                "rand2": _run(draw, "m_rand2", "momentum_step", [2, 5, 3, 1], 162, 0.01, (0.99,), (3, 60),
                              f"momentum on a {r} 2-5-3-1 valley, beta = 0.99")}
    adam = {"fixed": _run(draw, "a_fixed", "adam_step", [2, 3, 1], None, 0.05, (0.9, 0.999, 1e-8),
                          (1, 2, 3, 5, 10, 40), f"Adam on a {f} 2-3-1 valley, default betas and epsilon"),
            "rand1": _run(draw, "a_rand1", "adam_step", [3, 4, 2], 163, 0.02, (0.8, 0.99, 1e-4), (1, 9, 30),
                          f"Adam on a {r} 3-4-2 valley, beta1 = 0.8, beta2 = 0.99, epsilon = 1e-4"),
            "rand2": _run(draw, "a_rand2", "adam_step", [2, 5, 3, 1], 164, 0.01, (0.9, 0.999, 1e-8), (100, 400),
                          f"Adam on a {r} 2-5-3-1 valley, default betas and epsilon")}
    cases = [c for run in (*momentum.values(), *adam.values()) for c in run]
    checks = []
    about = {"momentum_step": ("velocity", "beta = 0.5", "beta = 0.99, steps 3 and 60"),
             "adam_step": ("state", "other betas and epsilon", "late steps, t = 100 and 400")}
    for func, runs in (("momentum_step", momentum), ("adam_step", adam)):
        name, *more = about[func]
        first, *later = (c.id for c in runs["fixed"])
        ids = tuple(c.id for run in runs.values() for c in run)
        checks += [
            Check(f"{func} returns (Theta, {name}) with the right keys and shapes", "type and shape", 1, (first,),
                  "shape"),
            Check(f"{func}: the first step ({name} None), {f} 2-3-1 valley", "fixed cases", 0.75, (first,), "values"),
            Check(f"{func}: steps 2 to 40 of the same run", "fixed cases", 0.75, tuple(later), "values"),
            Check(f"{func}: {r} 3-4-2 valley, {more[0]}", "random cases", 1, tuple(c.id for c in runs["rand1"]),
                  "values"),
            Check(f"{func}: {r} 2-5-3-1 valley, {more[1]}", "random cases", 0.5, tuple(c.id for c in runs["rand2"]),
                  "values"),
            Check(f"{func}: inputs not mutated", "properties", 1, ids, "mutation"),
        ]
    return cases, checks


def _optimizer_findings(case, value, after, warnings):
    diagnose = dg.diagnose_momentum if case.func == "momentum_step" else dg.diagnose_adam
    return diagnose(*case.args, value)


# -- exercise 11: the backward rules of Value, graded on expressions built with the learner's class ----------

def _graph(draw, cid, about, names, steps, low=-1.5, high=1.5, fixed=None):
    """A case: leaves `names` with `fixed` values when visible (else drawn in [low, high]) and the program `steps`.

    `steps` are (op name, node, node or exponent) with nodes numbered as in :func:`child.run_graph`.
    """
    if draw.secret is None and fixed is not None:
        values = fixed
    else:
        seed = int(hashlib.sha256(cid.encode()).hexdigest()[:8], 16)       # a fixed seed of its own per case
        values = [float(v) for v in draw.rng(cid, seed).uniform(low, high, size=len(names))]
    program = tuple((GRAPH_OPS.index(op), i, j) for op, i, j in steps)
    return Case(cid, "Value", ({n: float(v) for n, v in zip(names, values, strict=True)}, program), about)


def reference_graph(inputs, program):
    """The library's own gradients of the case's expression (``bp.autodiff.Value``), {leaf name: dJ/d leaf}."""
    return run_graph(bp.autodiff.Value, inputs, program)


def graph_ops(case):
    """The operations of a graph case's expression, by name."""
    return {GRAPH_OPS[op] for op, _, _ in case.args[1]}


def fans_out(case):
    """True when some node of the case's expression is used more than once (x * x, a + a, p in p q + p)."""
    used = [i for op, i, j in case.args[1]] + [j for op, i, j in case.args[1] if GRAPH_OPS[op] in ("add", "mul")]
    return len(used) != len(set(used))


def _ex11(draw):
    f, r = draw.fixed, draw.random
    g = _graph
    alone = {
        "add": [g(draw, "add1", "J = x + y", "xy", [("add", 0, 1)], fixed=[0.8, -1.3]),
                g(draw, "add2", "J = (x + y) + z", "xyz", [("add", 0, 1), ("add", 3, 2)], fixed=[0.8, -1.3, 0.6])],
        "mul": [g(draw, "mul1", "J = x y", "xy", [("mul", 0, 1)], fixed=[0.8, -1.3]),
                g(draw, "mul2", "J = (x y) z", "xyz", [("mul", 0, 1), ("mul", 3, 2)], fixed=[0.8, -1.3, 0.6])],
        "pow": [g(draw, "pow1", "J = x^3", "x", [("pow", 0, 3.0)], fixed=[-1.2]),
                g(draw, "pow2", "J = (x^2)^1.5", "x", [("pow", 0, 2.0), ("pow", 1, 1.5)], 0.3, 1.5, fixed=[0.7])],
        "tanh": [g(draw, "tanh1", "J = tanh(x)", "x", [("tanh", 0, 0)], fixed=[0.8]),
                 g(draw, "tanh2", "J = tanh(tanh(x))", "x", [("tanh", 0, 0), ("tanh", 1, 0)], fixed=[-1.1])],
        "exp": [g(draw, "exp1", "J = exp(x)", "x", [("exp", 0, 0)], fixed=[0.8]),
                g(draw, "exp2", "J = exp(exp(x))", "x", [("exp", 0, 0), ("exp", 1, 0)], -1.0, 0.5, fixed=[-0.4])],
    }
    mixed = [g(draw, "neuron", f"a neuron J = tanh(w x + v y + b), {r} values", "wxvyb",
               [("mul", 0, 1), ("mul", 2, 3), ("add", 5, 6), ("add", 7, 4), ("tanh", 8, 0)], low=-1.0, high=1.0),
             g(draw, "chain", f"J = exp(x^2 + y) z, {r} values", "xyz",
               [("pow", 0, 2.0), ("add", 3, 1), ("exp", 4, 0), ("mul", 5, 2)], low=-1.0, high=1.0),
             g(draw, "square", f"J = (x y + z)^2 w, {r} values", "xyzw",
               [("mul", 0, 1), ("add", 4, 2), ("pow", 5, 2.0), ("mul", 6, 3)], low=-1.0, high=1.0)]
    fanout = [g(draw, "xx", "J = x x (x used twice by one node)", "x", [("mul", 0, 0)], fixed=[0.8]),
              g(draw, "aa", "J = (a + a) y (a used twice by one node)", "ay", [("add", 0, 0), ("mul", 2, 1)],
                fixed=[0.8, -1.3]),
              g(draw, "pq", f"J = tanh(p q + p), p used by two nodes, {f} values", "pq",
                [("mul", 0, 1), ("add", 2, 0), ("tanh", 3, 0)], fixed=[1.5, -0.5]),
              g(draw, "two_users", f"J = exp(a) tanh(a), a used by two nodes, {r} values", "a",
                [("exp", 0, 0), ("tanh", 0, 0), ("mul", 1, 2)], low=-1.0, high=1.0),
              g(draw, "shared", f"J = r r + r with r = x y, a result used three times, {r} values", "xy",
                [("mul", 0, 1), ("mul", 2, 2), ("add", 3, 2)], low=-1.0, high=1.0)]
    mixed_fixed = g(draw, "mixed", f"J = tanh(x y + z), {f} values", "xyz",
                    [("mul", 0, 1), ("add", 3, 2), ("tanh", 4, 0)], fixed=[0.8, -1.3, 0.6])
    cases = [c for op in alone for c in alone[op]] + [mixed_fixed] + mixed + fanout
    words = {"add": "x + y", "mul": "x y", "pow": "x^k", "tanh": "tanh(x)", "exp": "exp(x)"}
    checks = [Check("every grad is a number", "type and shape", 2, ("add1", "mul1"), "shape")]
    checks += [Check(f"{op}_backward on {words[op]} alone, and twice in a row", "fixed cases", 0.5,
                     tuple(c.id for c in alone[op]), "values") for op in alone]
    checks.append(Check(mixed_fixed.about, "fixed cases", 0.5, ("mixed",), "values"))
    checks += [Check(c.about, "random cases", 1, (c.id,), "values") for c in mixed]
    checks += [Check("fan-out in one node: x x and a + a", "properties", 1, ("xx", "aa"), "values"),
               Check("fan-out across nodes: a value used by two or three nodes", "properties", 1,
                     ("pq", "two_users", "shared"), "values")]
    return cases, checks


def _value_findings(prep, results):
    """Which backward rule is wrong (from the cases of each operation alone), or += written as = (fan-outs).

    A rule is judged alone on its own operation's cases; add's alone cases only ever pass back a grad
    of 1 (a sum of sums has slope 1 everywhere), so whether add multiplies by the result's grad shows
    only in mixed expressions, where every other rule has been checked alone.
    """
    right, wrong = set(), set()
    for case in prep.cases:
        r = results.get(case.id)
        if r is not None and r.ok:
            ok = compare_values(r.value, prep.expected[case.id], prep.exercise)
            (right if ok else wrong).add(case.id)
    alone = {op: [c for c in prep.cases if graph_ops(c) == {op} and not fans_out(c)] for op in GRAPH_OPS}
    checked = {op for op, cs in alone.items() if op != "add" and cs and all(c.id in right for c in cs)}
    findings = []
    for op in GRAPH_OPS:
        bad = [c for c in alone[op] if c.id in wrong]
        if bad:
            once = [c for c in alone[op] if len(c.args[1]) == 1]
            detail = ("It is right on a single operation, where the result's grad is 1, and wrong when the "
                      "result's grad is another number." if once and all(c.id in right for c in once) else "")
            findings.append(dg.finding(f"{op}_rule_wrong", f"Wrong on {bad[0].about}. {detail}".strip()))
    named = {f.code.removesuffix("_rule_wrong") for f in findings}
    for case in prep.cases:                  # a rule not fully checked alone: the one suspect of a wrong expression
        suspects = graph_ops(case) - checked
        if case.id in wrong and not fans_out(case) and len(suspects) == 1 and not suspects & named:
            op = suspects.pop()
            if all(c.id in right for c in alone[op]):
                named.add(op)
                findings.append(dg.finding(f"{op}_rule_wrong", f"Wrong on {case.about}, where every other rule is "
                                                               f"right on its own."))
    if not findings:
        single = [c for c in prep.cases if not fans_out(c) and (c.id in right or c.id in wrong)]
        clean = {op for op in GRAPH_OPS if any(op in graph_ops(c) for c in single)
                 and not any(op in graph_ops(c) and c.id in wrong for c in single)}
        split = [c for c in prep.cases if c.id in wrong and fans_out(c) and graph_ops(c) <= clean]
        if split:
            findings.append(dg.finding("grad_assigned", f"Wrong on {split[0].about}, while every rule it uses is "
                                                         f"right where each value is used once."))
    return findings


def compare_values(got, want, exercise):
    """True when `got` matches `want` to the exercise's tolerances."""
    from .checks import compare

    return compare(got, want, exercise.atol, exercise.rtol, "grad") is None
# -- exercise 14: find the bug ------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """A multiple-choice field of an exercise file, e.g. ``BUG_IN_A = "BP2"``, about one function.

    Attributes
    ----------
    function : str
        The function the answer is about.
    key : str
        The first 16 hex digits of sha256("<exercise>/<name>/<right choice>"). With five choices this is
        no secret, only an answer nobody reads by accident while browsing this file.
    locate : str
        How to find the right answer, said when the answer is wrong; it never names it.
    """

    function: str
    key: str
    locate: str


BUG_LABELS = ("BP1", "BP2", "BP3", "BP4", "BP5")


def answer_key(exercise, name, choice):
    """The :attr:`Answer.key` of `choice` for the field `name` of `exercise` (a name)."""
    return hashlib.sha256(f"{exercise}/{name}/{choice}".encode()).hexdigest()[:16]


def right_choice(exercise, name):
    """The index in ``exercise.choices`` of the right answer to field `name` (what the grader expects)."""
    key = exercise.answers[name].key
    return next(i for i, c in enumerate(exercise.choices) if answer_key(exercise.name, name, c) == key)


_CHECK = "Run bp.check_gradients(Theta, X, Y, lambda_, D={}) on a network with two hidden layers, a few examples " \
         "and lambda_ > 0: "
_TABLE = " The table of notebook 14 (step 2, \"Read the pattern\") says which equations such a pattern points to."
_LAST_RIGHT = ("the last Theta agrees in both its blocks while every earlier Theta differs; the regularization "
               "part agrees.")

FIND_THE_BUG = {
    "BUG_IN_A": Answer("backprop_a", "1b135384f44ad73f",
                       _CHECK.format("backprop_a") + "only the bias columns differ, in every Theta, and so does the "
                       "regularization part, while the weight columns agree." + _TABLE),
    "BUG_IN_B": Answer("backprop_b", "3b6877ea2f028f1a", _CHECK.format("backprop_b") + _LAST_RIGHT + _TABLE),
    "BUG_IN_C": Answer("backprop_c", "70ef0c55050e6151",
                       _CHECK.format("backprop_c") + "every block of every Theta differs, while the regularization "
                       "part agrees; try it with one example (m = 1) too." + _TABLE),
    "BUG_IN_D": Answer("backprop_d", "ef92802f6d8d7e31",
                       _CHECK.format("backprop_d") + "only the weight columns differ, in every Theta, and so does "
                       "the regularization part; with lambda_ = 0 everything agrees." + _TABLE),
    "BUG_IN_E": Answer("backprop_e", "1d0b1092dd52a906", _CHECK.format("backprop_e") + _LAST_RIGHT + _TABLE),
    "BUG_IN_F": Answer("backprop_f", "41e76f1e56a2730d",
                       _CHECK.format("backprop_f") + "only Theta(1) differs, in both its blocks; every later Theta "
                       "and the regularization part agree." + _TABLE),
    "BUG_IN_G": Answer("backprop_g", "cdc3c90a9602ad02",
                       "backprop_g stops with a shape error in a matrix product unless every layer after the input "
                       "has the same number of units. " + _CHECK.format("backprop_g").replace(
                           "a network with two hidden layers", "such a network with two hidden layers (2-3-3-3)")
                       + _LAST_RIGHT + _TABLE),
}
_BUGGY = tuple(a.function for a in FIND_THE_BUG.values())


def _ex14(draw):
    f, r = draw.fixed, draw.random
    cases, checks = [], []
    for i, (name, answer) in enumerate(FIND_THE_BUG.items()):
        func, x = answer.function, answer.function[-1]
        # Every case has a hidden layer, m > 1 and lambda > 0, so that each of the seven bugs changes D;
        # the fixed network's layers after the input have one size, where a transposed Theta still fits.
        cases += [draw.net(f"{x}_fixed", func, [2, 3, 3, 3], 4, None, f"{func}: {f} 2-3-3-3, m = 4, lambda = 1",
                           (1.0,)),
                  draw.net(f"{x}_rand1", func, [3, 4, 2], 5, 140 + 2 * i, f"{func}: {r} 3-4-2, m = 5, lambda = 0.5",
                           (0.5,)),
                  draw.net(f"{x}_rand2", func, [4, 5, 3, 2], 6, 141 + 2 * i,
                           f"{func}: {r} 4-5-3-2, m = 6, lambda = 1.5", (1.5,)),
                  Case(f"{x}_answer", name, (), "your answer")]
        checks += [Check(f"your fix of {func}: D on a {f} 2-3-3-3 network", "fixed cases", 0.75, (f"{x}_fixed",),
                         "values"),
                   Check(f"your fix of {func}: D on {r} 3-4-2 and 4-5-3-2 networks", "random cases", 0.75,
                         (f"{x}_rand1", f"{x}_rand2"), "values"),
                   Check(f"{name}: which equation the bug in {func} breaks", "answers", 0.5, (f"{x}_answer",),
                         "answer")]
    return cases, checks


def _ex14_review(prep, results, findings):
    """Per broken function: the mistake its D still shows (the gradient engine), prefixed with its name.

    A mistake whose equation is the answer of a field not yet answered right is not named (the name would
    be the answer): the learner hears that the bug is still there and how to locate it.
    """
    exercise, out = prep.exercise, list(findings)
    for name, answer in exercise.answers.items():
        got = results.get(f"{answer.function[-1]}_answer")
        answered = got is not None and got.ok and got.value == prep.expected[f"{answer.function[-1]}_answer"]
        wrong = [c for c in prep.cases if c.func == answer.function and results.get(c.id) is not None
                 and results[c.id].ok and c.id in prep.expected
                 and mc.as_float_dict(results[c.id].value) is not None
                 and not mc.dicts_close(mc.as_float_dict(results[c.id].value), prep.expected[c.id], 1e-9, 1e-12)]
        if not wrong:
            continue
        largest = max(wrong, key=lambda c: sum(np.size(T) for T in c.args[0].values()))
        try:
            found = mc.diagnose_gradient(*largest.args, results[largest.id].value)
        except (TypeError, ValueError, KeyError, IndexError):
            found = []
        label = exercise.choices[right_choice(exercise, name)]
        shown = [f for f in found if answered or f.equation != label]
        if len(shown) < len(found):
            given = got is not None and got.ok and got.value is not None      # a wrong answer's check says how
            how = f"the check of {name} says how to find it." if given else f"here is how to find it. {answer.locate}"
            shown.append(mc.Finding("bug_not_named", f"D is still wrong. What its values show would give away "
                                                     f"{name}, so the grader does not say it; {how}", "NG",
                                    mc.NOTEBOOKS["14"]))
        out += [mc.Finding(f.code, f"{answer.function}: {f.message}", f.equation, f.notebook) for f in shown]
    return out


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
        {"minibatches": Hint((), "a list of (X_batch (n, b), Y_batch (K, b))", "about 6 lines",
                             "no equation: the shuffle-and-cut rule of the section 'Math: the gradient of a "
                             "batch' (one permutation of the m columns from a generator seeded with seed, "
                             "applied to X and Y alike, cut into consecutive pieces)")},
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
    Exercise(
        "ex11_value_backward", "11_computational_graphs", "The backward rules of a tiny autodiff engine",
        {
            "add_backward": Hint(("CG",), "nothing: it adds to a.grad and b.grad", "about 2 lines",
                                 "each input's grad grows by out.grad times the local derivative of a + b with "
                                 "respect to that input; add to grad, never assign, since a and b may be one Value"),
            "mul_backward": Hint(("CG",), "nothing: it adds to a.grad and b.grad", "about 2 lines",
                                 "the local derivative of a b with respect to a is b, and the other way round"),
            "pow_backward": Hint(("CG",), "nothing: it adds to a.grad", "about 1 line",
                                 "the exponent k is a plain number; the local derivative of a^k is the power rule's"),
            "tanh_backward": Hint(("CG",), "nothing: it adds to a.grad", "about 1 line",
                                  "the local derivative of tanh can be written with the result out.data"),
            "exp_backward": Hint(("CG",), "nothing: it adds to a.grad", "about 1 line",
                                 "the local derivative of e^a is the result out.data itself"),
        },
        build=_ex11,
        reference={"Value": reference_graph},
        args={"Value": ("inputs", "program")},
        forbidden=("Value", "gradient"),
        results={"Value": "grad"},
        runner="graph",
        overall=_value_findings,
    ),
    Exercise(
        "ex12_softmax", "12_softmax_cross_entropy", "The softmax and its output error",
        {
            "softmax": Hint(("SM",), "a (K, m), every column summing to 1", "about 3 lines",
                            "the sum runs over the classes of one example (a column); subtract each "
                            "column's maximum first so that no exponential overflows"),
            "softmax_cross_entropy_delta": Hint(("BP1", "SMJ"), "d (K, m)", "about 1 line",
                                                "the chain rule through every a_k (the Jacobian (SMJ)) "
                                                "collapses when the targets of a column sum to 1"),
        },
        build=_ex12,
        reference={"softmax": bp.softmax, "softmax_cross_entropy_delta": reference_softmax_delta},
        args={"softmax": ("z",), "softmax_cross_entropy_delta": ("a", "Y")},
        forbidden=("softmax", "_softmax_into", "output_delta"),
        results={"softmax": "a", "softmax_cross_entropy_delta": "d"},
        diagnose=_softmax_findings,
    ),
    Exercise(
        "ex14_find_the_bug", "14_find_the_bug", "Find the bug",
        {function: Hint(BUG_LABELS, "D[l] of the shape of Theta[l]", "one line to fix",
                        "the function is given with one bug: locate it with check_gradients and the step-through")
         for function in _BUGGY},
        build=_ex14,
        reference={**{function: bp.backprop for function in _BUGGY},
                   **{name: (lambda name=name: right_choice(BY_NAME["ex14_find_the_bug"], name))
                      for name in FIND_THE_BUG}},
        args={**{function: _NETWORK_ARGS for function in _BUGGY}, **{name: () for name in FIND_THE_BUG}},
        uses=("forward", "sigmoid", "sigmoid_gradient"),
        forbidden=("deltas", *_BACKPROP),
        results={function: "D" for function in _BUGGY},
        points=14,
        answers=FIND_THE_BUG,
        choices=BUG_LABELS,
        review=_ex14_review,
    ),
    Exercise(
        "ex15_backprop_general", "15_beyond_sigmoid", "Backpropagation beyond the sigmoid",
        {"backprop_general": Hint(("BP2",), "D[l] of the shape of Theta[l]", "about 20 lines",
                                  "exercise 10 with g and g' chosen by activation and the output layer "
                                  "chosen by output; each output with its own cost has the output error "
                                  "(BP1) a(L) - y (notebook 12), and the forward pass (F3), (F4) of "
                                  "notebook 02 uses the output's own activation")},
        build=_ex15,
        reference={"backprop_general": reference_backprop_general},
        args={"backprop_general": (*_NETWORK_ARGS, "activation", "output")},
        uses=("sigmoid", "sigmoid_gradient", "softmax"),
        forbidden=(*_BACKPROP, "deltas", "output_delta", "_softmax_into"),
        results={"backprop_general": "D"},
        diagnose=_general_findings,
        clues=_backward_clues,
    ),
    Exercise(
        "ex16_optimizers", "16_optimizers", "Momentum and Adam",
        {
            "momentum_step": Hint(("M1", "M2"), "(Theta, velocity), two new dicts like Theta", "about 5 lines",
                                  "a velocity of None stands for zeros; the new velocity moves the weights"),
            "adam_step": Hint(("A1", "A2", "A3", "A4", "A5"), "(Theta, state), a new dict like Theta and a new "
                                                              "state with keys t, m and v", "about 12 lines",
                              "a state of None stands for t = 0 and m = v = 0; t counts the steps from 1, "
                              "and the returned state holds the new t, m and v"),
        },
        build=_ex16,
        reference={"momentum_step": bp.momentum_step, "adam_step": bp.adam_step},
        args={"momentum_step": ("Theta", "D", "velocity", "alpha", "beta"),
              "adam_step": ("Theta", "D", "state", "alpha", "beta1", "beta2", "epsilon")},
        defaults={"momentum_step": {"beta": 0.9}, "adam_step": {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}},
        forbidden=("momentum_step", "adam_step", "_momentum", "_adam", "_update", "train"),
        results={"momentum_step": ("Theta", "velocity"), "adam_step": ("Theta", "state")},
        diagnose=_optimizer_findings,
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
    A case that names its model (exercise 15) runs these passes with its activation and output, and a
    softmax output adds the softmax of each pass's z(L).
    """
    named = dict(zip(exercise.args[case.func], case.args, strict=True))
    Theta, X = named.get("Theta"), named.get("X", named.get("x"))
    Y = named.get("Y", named.get("y"))
    if not isinstance(Theta, dict) or not isinstance(X, np.ndarray):
        return []
    m = X.shape[1]
    model = tuple(named[k] for k in ("activation", "output") if k in named)
    calls = [("forward", (Theta, X) + model)] + [("forward", (Theta, X[:, [t]]) + model) for t in range(m) if m > 1]
    if named.get("output") == "softmax":
        L = len(Theta) + 1
        calls += [("softmax", (bp.forward(*args)[1][L],)) for f, args in calls if f == "forward"]
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
