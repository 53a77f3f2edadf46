r"""Which mistake is it? One catalogue of the classic slips in backpropagation, and the engine that names them.

A wrong gradient is rarely wrong at random. Forgetting the 1/m, regularizing the bias column or
multiplying by g where g' belongs each leave a fingerprint. The engine recomputes the gradient the
*wrong* way, one catalogued mistake at a time (and in pairs), on the learner's own inputs: a mistake
whose result matches the learner's D within float64 tolerance is named. When none matches, it says
what the values do show: a constant factor, a regularization term of the wrong size (measured), the
layers and columns that disagree, and otherwise where D differs most and by how much.

One engine serves everyone who looks at a gradient:

- :func:`backprop_course.check_gradients` turns its findings into the report's suggestions;
- the grader names the mistakes of exercises 5, 6 and 10 with :func:`diagnose_deltas` and
  :func:`diagnose_gradient`;
- ``notebooks/07_gradient_checking.ipynb`` shows them on a broken backprop.

Every finding carries a teaching message that names the equation label of
:mod:`backprop_course.equations` and the notebook section where it is derived. A message describes
the mathematics of the slip and never shows solution code.

To add a misconception: one entry in :data:`MISCONCEPTIONS` (and, if the engine can simulate it, its
effect in :func:`simulate_deltas` or :func:`simulate_gradient` and its variants in :data:`SIMULATED`),
plus a test in ``tests/test_misconceptions.py``.

>>> import backprop_course as bp
>>> Theta = bp.init_thetas([2, 3, 1], seed=0)
>>> X, Y = bp.datasets.xor()
>>> D = bp.backprop(Theta, X, Y, lambda_=1.0)
>>> diagnose_gradient(Theta, X, Y, 1.0, D)
[]
>>> D_wrong = {l: 2 * D_l for l, D_l in D.items()}          # not a catalogued slip
>>> [f.code for f in diagnose_gradient(Theta, X, Y, 1.0, D_wrong)]
['gradient_mismatch']

numpy only, like the rest of the core.
"""

from dataclasses import dataclass
from itertools import combinations, product
from typing import NamedTuple

import numpy as np

from .activations import ACTIVATIONS
from .gradient_check import relative_error
from .losses import output_delta
from .network import backprop_unchecked, deltas_unchecked, forward_unchecked

__all__ = ["Finding", "Misconception", "MISCONCEPTIONS", "NOTEBOOKS", "SIMULATED", "finding", "diagnose_gradient",
           "diagnose_deltas", "simulate_deltas", "simulate_gradient", "as_float_dict", "dicts_close",
           "shapes_match", "as_float64"]

NOTEBOOKS = {
    "01": "notebooks/01_neuron_and_sigmoid.ipynb",
    "02": "notebooks/02_forward_propagation.ipynb",
    "03": "notebooks/03_cost.ipynb",
    "05": "notebooks/05_backprop_one_example.ipynb",
    "06": "notebooks/06_m_examples_regularization.ipynb",
    "07": "notebooks/07_gradient_checking.ipynb",
    "08": "notebooks/08_gradient_descent.ipynb",
    "09": "notebooks/09_batches_and_training.ipynb",
    "10": "notebooks/10_vectorization.ipynb",
}


class Misconception(NamedTuple):
    """One catalogued mistake: where it is taught and what it is.

    Attributes
    ----------
    equation : str
        The label in :data:`backprop_course.equations.EQUATIONS` the mistake breaks, e.g. ``"BP4"``.
    notebook : str
        The key in :data:`NOTEBOOKS` of the notebook that derives that equation.
    section : str
        The heading of the section to reread there.
    explanation : str
        What the values show and why it is wrong, in terms of the equations.
    """

    equation: str
    notebook: str
    section: str
    explanation: str


@dataclass(frozen=True)
class Finding:
    """One diagnosed mistake.

    Attributes
    ----------
    code : str
        Short stable id, e.g. ``"bias_regularized"`` (a key of the catalogue).
    message : str
        What the output shows and what to reread, in terms of the equations; never solution code.
    equation : str
        The label in :data:`backprop_course.equations.EQUATIONS`, e.g. ``"BP4"``.
    notebook : str
        The notebook that derives that equation.
    """

    code: str
    message: str
    equation: str
    notebook: str

    def __str__(self):
        return self.message


_STEP_3 = "Math: the article's three steps, corrected"      # a section heading of notebook 06

# The mistakes a gradient D (exercises 5, 6 and 10, check_gradients) can show. The message is
# assembled by `finding`, which appends where to reread.
MISCONCEPTIONS = {
    "g_instead_of_g_prime": Misconception(
        "BP2", "05", "Math",
        "The hidden-layer errors are multiplied by g(z(l)), the activation itself, where the chain rule "
        "needs its derivative g'(z(l)) = g(z(l))(1 - g(z(l))) (G2). The short article the course follows "
        "makes the same slip.",
    ),
    "bias_regularized": Misconception(
        "BP5", "06", _STEP_3,
        "The bias column j = 0 of D(l) contains a lambda * Theta term. The bias weights are not "
        "penalized in the cost (J), so their gradient is (1/m) Delta(l) alone; only columns j >= 1 get "
        "the (lambda/m) Theta(l) term (BP4).",
    ),
    "one_over_m_missing": Misconception(
        "BP4", "06", _STEP_3,
        "D(l) is about m times too large: the 1/m factor is missing (the short article the course follows "
        "prints it as '1m'). The cost (J) is an average over the m examples, so its gradient is (1/m) "
        "times the accumulated Delta(l), and the regularization term is (lambda/m) Theta(l).",
    ),
    "one_over_m_twice": Misconception(
        "BP4", "06", _STEP_3,
        "D(l) is about m times too small: the 1/m factor is applied twice (for example once while "
        "accumulating Delta(l) and again at the end). Delta(l) is a plain sum over examples (BP3); "
        "divide by m exactly once.",
    ),
    "lambda_over_2m_in_D": Misconception(
        "BP4", "06", _STEP_3,
        "The regularization part of D(l) is half what it should be: lambda/(2m) belongs to the cost (J); "
        "differentiating the square (Theta_ij)^2 brings down a 2, so the gradient term is "
        "(lambda/m) Theta_ij.",
    ),
    "delta_assigned": Misconception(
        "BP3", "06", "Code: the loop, example by example",
        "D(l) only reflects the last training example: Delta(l) is overwritten for each example instead "
        "of accumulated. (BP3) adds each example's d(l+1) a(l)' to the running Delta(l), which starts at "
        "0 (BP0).",
    ),
    "bias_row_not_dropped": Misconception(
        "BP2", "05", "Math",
        "The bias row is not dropped correctly in the delta recursion: Theta(l)' d(l+1) has one row per "
        "unit of layer l plus the bias row 0, and the bias unit has no error to pass back, so row 0 is "
        "removed, leaving d(l) with s_l rows.",
    ),
    "theta_not_transposed": Misconception(
        "BP2", "05", "Math",
        "The error is sent backwards through Theta(l) instead of its transpose Theta(l)'. Forward, "
        "Theta(l) maps layer l to layer l+1; backward, the transpose maps layer l+1's errors to layer l.",
    ),
    "d_L_sign_flipped": Misconception(
        "BP1", "05", "Math",
        "The output error has the wrong sign: with a sigmoid output and cross-entropy the derivative of "
        "the cost with respect to z(L) is the output minus the target, d(L) = a(L) - y, not the target "
        "minus the output. Every D(l) then points the wrong way.",
    ),
    "recursion_wrong": Misconception(
        "BP2", "05", "Math",
        "The gradient of the last weight matrix is right but the earlier layers are not, so the output "
        "error (BP1) and the accumulation (BP3) work and the mistake sits in the backward recursion: "
        "g'(z(l)) rather than g(z(l)), Theta(l) transposed, the bias row dropped.",
    ),
    "last_layer_wrong": Misconception(
        "BP3", "06", "Code: the loop, example by example",
        "Only the gradient of the last weight matrix differs while every earlier layer agrees, so the "
        "errors d(l) are right (the earlier layers are built from them) and the slip is in how D(L-1) "
        "is formed from d(L) and a(L-1): Delta(L-1) += d(L) a(L-1)' (BP3), then the 1/m and the "
        "penalty (BP4, BP5).",
    ),
    "bias_column_wrong": Misconception(
        "BP5", "06", _STEP_3,
        "Only the bias column j = 0 of D disagrees with the true gradient; that column is (1/m) Delta(l) "
        "with no regularization term, and a(l) carries the bias unit 1 in row 0.",
    ),
    "regularization_wrong": Misconception(
        "BP4", "06", _STEP_3,
        "The regularization term of columns j >= 1 is not (lambda/m) Theta(l)_ij.",
    ),
    "wrong_shape": Misconception(
        "BP3", "06", "Code: the loop, example by example",
        "The result does not have the expected shape. D(l) has the shape of Theta(l): one row per unit "
        "of layer l+1 and one column per unit of layer l plus the bias column.",
    ),
    "gradient_mismatch": Misconception(
        "NG", "07", "Code: backpropagation against the numerical gradient",
        "D differs from the true gradient and the pattern matches none of the catalogued slips.",
    ),
}

# The mistakes the engine can simulate, each with its variants (ways of making it).
SIMULATED = {
    "g_instead_of_g_prime": (True,),
    "bias_regularized": (True,),
    "one_over_m_missing": ("all", "data_only"),      # neither term divided / only Delta not divided
    "one_over_m_twice": ("all", "data_only"),
    "lambda_over_2m_in_D": (True,),
    "delta_assigned": (True,),
    "bias_row_not_dropped": ("drop_last",),          # the only form that keeps the shapes right
    "theta_not_transposed": ("full", "sliced"),
    "d_L_sign_flipped": (True,),
}
_BACKWARD = ("g_instead_of_g_prime", "bias_row_not_dropped", "theta_not_transposed", "d_L_sign_flipped")


def finding(code, detail="", catalogue=MISCONCEPTIONS):
    """The :class:`Finding` for catalogue entry `code`, optionally with a specific `detail` sentence."""
    equation, nb, section, text = catalogue[code]
    message = f"{text}{' ' + detail if detail else ''} Reread ({equation}) in {NOTEBOOKS[nb]}, section \"{section}\"."
    return Finding(code, message, equation, NOTEBOOKS[nb])


# -- comparing candidate results --------------------------------------------------------------------

def as_float_dict(D):
    """D as {key: float64 array}, or None if it is not a dict of numeric arrays."""
    if not isinstance(D, dict):
        return None
    out = {}
    for k, v in D.items():
        try:
            out[k] = np.asarray(v, dtype=np.float64)
        except (TypeError, ValueError):
            return None
    return out


def dicts_close(A, B, rtol=1e-6, atol=1e-10):
    """True when two dicts of arrays have the same keys, shapes and finite values within tolerance."""
    if A is None or B is None or sorted(A) != sorted(B):
        return False
    for k in A:
        if A[k].shape != B[k].shape or not np.all(np.isfinite(A[k])):
            return False
        if not np.allclose(A[k], B[k], rtol=rtol, atol=atol):
            return False
    return True


def shapes_match(A, B):
    """True when dict A has B's keys and every array has B's shape."""
    return A is not None and sorted(A) == sorted(B) and all(A[k].shape == B[k].shape for k in B)


def as_float64(Theta, X, Y):
    """Theta, X and Y as float64 arrays (the grader's and the checker's inputs are already checked)."""
    Theta = {l: np.asarray(T, dtype=np.float64) for l, T in Theta.items()}
    return Theta, np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)


# -- the gradient computed the catalogued wrong ways --------------------------------------------------

def simulate_deltas(Theta, a, z, Y, mistakes, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    """The errors d(l), l = 2 .. L, from a forward pass (a, z), with the given mistakes made.

    Parameters
    ----------
    Theta, Y : as :func:`backprop_course.deltas`
    a, z : dicts from :func:`backprop_course.forward`
    mistakes : dict {code: variant}
        Backward-pass entries of :data:`SIMULATED` and the variant of each; ``{}`` gives the library's
        own d (:func:`backprop_course.network.deltas_unchecked`).

    Returns
    -------
    dict {l: ndarray} or None
        None when the mistake cannot be made with these shapes (the learner's code would have
        stopped with a shape error instead).
    """
    if not any(code in mistakes for code in _BACKWARD):
        return deltas_unchecked(Theta, a, z, Y, activation, output, loss)
    L = len(Theta) + 1
    act = ACTIVATIONS[activation]
    d = {L: output_delta(a[L], z[L], Y, output, loss)}                   # (BP1)
    if "d_L_sign_flipped" in mistakes:
        d[L] = -d[L]
    for l in range(L - 1, 1, -1):
        kind = mistakes.get("theta_not_transposed")
        if kind == "full":                                               # Theta(l) d(l+1): rows fit only if square
            if Theta[l].shape[1] != d[l + 1].shape[0]:
                return None
            back = Theta[l] @ d[l + 1]
        elif kind == "sliced":                                           # Theta(l)[:, 1:] d(l+1), a zero row on top
            if Theta[l].shape[0] != Theta[l].shape[1] - 1:
                return None
            back = np.vstack([np.zeros((1, d[l + 1].shape[1])), Theta[l][:, 1:] @ d[l + 1]])
        else:
            back = Theta[l].T @ d[l + 1]                                 # (BP2)
        back = back[:-1] if "bias_row_not_dropped" in mistakes else back[1:]
        if back.shape != z[l].shape:
            return None
        d[l] = back * (act.g(z[l]) if "g_instead_of_g_prime" in mistakes else act.g_prime(z[l]))
    return d


def simulate_gradient(Theta, X, Y, lambda_, mistakes, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    """D computed with the given catalogued mistakes made (a dict {code: variant} of :data:`SIMULATED`).

    Returns
    -------
    dict {l: ndarray like Theta[l]} or None
        None when the mistake cannot be made with these shapes.
    """
    L = len(Theta) + 1
    m = X.shape[1]
    a, z = forward_unchecked(Theta, X, activation, output)
    d = simulate_deltas(Theta, a, z, Y, mistakes, activation, output, loss)
    if d is None:
        return None
    data_scale, reg_scale = 1.0 / m, lambda_ / m                         # (BP4), (BP5)
    if mistakes.get("one_over_m_missing") == "all":
        data_scale, reg_scale = 1.0, lambda_
    elif mistakes.get("one_over_m_missing") == "data_only":
        data_scale = 1.0
    if mistakes.get("one_over_m_twice") == "all":
        data_scale, reg_scale = 1.0 / m ** 2, lambda_ / m ** 2
    elif mistakes.get("one_over_m_twice") == "data_only":
        data_scale = 1.0 / m ** 2
    if "lambda_over_2m_in_D" in mistakes:
        reg_scale /= 2
    D = {}
    for l in range(1, L):
        last = slice(-1, None) if "delta_assigned" in mistakes else slice(None)   # only the last example
        Delta = d[l + 1][:, last] @ a[l][:, last].T                      # (BP3)
        penalty = reg_scale * Theta[l]
        if "bias_regularized" not in mistakes:
            penalty[:, 0] = 0.0
        D[l] = data_scale * Delta + penalty
    return D


def _mistake_sets(codes, size):
    """Every combination of `size` mistakes, each with every one of its variants."""
    for combo in combinations(codes, size):
        if "one_over_m_missing" in combo and "one_over_m_twice" in combo:
            continue
        yield from (dict(pick) for pick in product(*[[(c, v) for v in SIMULATED[c]] for c in combo]))


def _matching_mistakes(candidate, truth, simulate, codes, atol):
    """The codes of the smallest set of mistakes (one, else a pair) whose simulation equals `candidate`."""
    for size in (1, 2):
        found = []
        for mistakes in _mistake_sets(codes, size):
            variant = simulate(mistakes)
            if variant is None or dicts_close(variant, truth, atol=atol):
                continue                                           # not computable, or no difference here
            if dicts_close(candidate, variant, atol=atol):
                found.extend(c for c in sorted(mistakes) if c not in found)
        if found:
            return found
    return []


# -- what the values show when no catalogued mistake matches -------------------------------------------

def _fit_multiple(E, T):
    """The c that best explains E = c T, and the fraction of E's norm it leaves unexplained."""
    TT = float(np.sum(T * T))
    EE = float(np.sum(E * E))
    if TT == 0.0 or EE == 0.0:
        return 0.0, 1.0 if EE > 0 else 0.0
    c = float(np.sum(E * T)) / TT
    return c, float(np.linalg.norm(E - c * T) / np.sqrt(EE))


def _regularization_words(ratio):
    """Words for a regularization term that is off by `ratio` x lambda/m * Theta."""
    known = [(-1.0, "is missing from the weight columns: (BP4) adds lambda/m * Theta(l) for j >= 1"),
             (-0.5, "is half of what it should be: lambda/(2m) is the cost's factor; the derivative of "
                    "lambda/(2m) * Theta^2 is lambda/m * Theta"),
             (1.0, "is counted twice: lambda/m * Theta(l) is added once, in step 3 (BP4)")]
    for value, words in known:
        if abs(ratio - value) < 0.02:
            return words
    return f"has {1 + ratio:.3g} x the right size lambda/m"


def _layers(ls):
    return ", ".join(f"D({l})" for l in ls)


def _structural_findings(cand, truth, Theta, m, lambda_):
    """What the values show when no catalogued mistake matches, most specific first, each said once."""
    layers = sorted(truth)
    last = layers[-1]
    if any(not np.all(np.isfinite(cand[l])) for l in layers):
        bad = [l for l in layers if not np.all(np.isfinite(cand[l]))]
        return [finding("gradient_mismatch", f"{_layers(bad)} contain inf or NaN.")]
    E = {l: cand[l] - truth[l] for l in layers}

    def differs(E_block, truth_block):
        return not np.allclose(truth_block + E_block, truth_block, rtol=1e-6, atol=1e-10)

    # 1. one constant factor on the whole of D
    c, rest = _fit_multiple(np.concatenate([cand[l].ravel() for l in layers]),
                            np.concatenate([truth[l].ravel() for l in layers]))
    if rest < 1e-3 and abs(c - 1) > 1e-3:
        how = "the right size but the opposite sign: D points downhill" if abs(c + 1) < 1e-3 else \
            f"{c:.4g} times the true gradient: a constant factor is wrong (the 1/m, a factor 2, or the sign)"
        return [finding("gradient_mismatch", f"Every entry of D is {how}.")]
    findings, explained = [], set()
    # 2. the regularization term, measured: differences that are a multiple of lambda/m * Theta
    if lambda_ > 0:
        unit = lambda_ / m
        bias = {l: _fit_multiple(E[l][:, :1], Theta[l][:, :1]) for l in layers if differs(E[l][:, :1], truth[l][:, :1])}
        bias = {l: k / unit for l, (k, rest) in bias.items() if rest < 1e-3}
        if bias:
            ratios = ", ".join(f"{k:.3g}" for k in bias.values())
            findings.append(finding("bias_column_wrong" if any(abs(k - 1) > 0.02 for k in bias.values())
                                    else "bias_regularized",
                                    f"The bias column of {_layers(bias)} differs by {ratios} x lambda/m * Theta."))
            explained |= {(l, 0) for l in bias}
        weights = {l: _fit_multiple(E[l][:, 1:], Theta[l][:, 1:]) for l in layers
                   if differs(E[l][:, 1:], truth[l][:, 1:])}
        weights = {l: k / unit for l, (k, rest) in weights.items() if rest < 1e-3}
        if weights:
            ratio = float(np.mean(list(weights.values())))
            findings.append(finding("regularization_wrong",
                                    f"The weight columns of {_layers(weights)} differ by {ratio:+.3g} x "
                                    f"lambda/m * Theta: the regularization term {_regularization_words(ratio)}."))
            explained |= {(l, 1) for l in weights}
    # 3. which layers and columns disagree
    wrong = {(l, part) for l in layers for part, cols in ((0, slice(0, 1)), (1, slice(1, None)))
             if differs(E[l][:, cols], truth[l][:, cols])} - explained
    if wrong:
        bad_layers = sorted({l for l, _ in wrong})
        parts = {part for _, part in wrong}
        if len(layers) > 1 and last not in bad_layers:
            findings.append(finding("recursion_wrong", f"{_layers(bad_layers)} differ; D({last}) is right."))
        elif parts == {0}:
            findings.append(finding("bias_column_wrong", f"Only the bias column of {_layers(bad_layers)} differs."))
        elif len(layers) > 1 and bad_layers == [last]:
            findings.append(finding("last_layer_wrong", f"D({last}) differs; {_layers(layers[:-1])} agree."))
        else:
            worst = max(bad_layers, key=lambda l: float(np.max(np.abs(E[l]))))
            i, j = np.unravel_index(int(np.argmax(np.abs(E[worst]))), E[worst].shape)
            column = "the bias column j = 0" if j == 0 else f"column j = {j} (from unit {j} of layer {worst})"
            findings.append(finding(
                "gradient_mismatch",
                f"{_layers(bad_layers)} differ; the largest difference is in D({worst}), row {i} (into unit "
                f"{i + 1} of layer {worst + 1}), {column}: {cand[worst][i, j]:.6g} where the true gradient is "
                f"{truth[worst][i, j]:.6g}. D({worst}) as a whole has relative error "
                f"{relative_error(cand[worst], truth[worst]):.2g}."))
    return findings or [finding("gradient_mismatch")]


def _shape_findings(cand, truth, what="D"):
    if sorted(cand) != sorted(truth):
        return [finding("wrong_shape", f"Expected keys {sorted(truth)} (layer numbers from 1); got {sorted(cand)}.")]
    findings = []
    for l in sorted(truth):
        got, want = cand[l].shape, truth[l].shape
        if got == want:
            continue
        if len(got) == 2 and got == (want[0] + 1, want[1]):
            findings.append(finding("bias_row_not_dropped",
                                    f"{what}({l}) has shape {got}, one row more than expected, {want}."))
        elif got == want[::-1] and what == "D":
            findings.append(finding("wrong_shape", f"{what}({l}) has shape {got}, the transpose of {want}: "
                                                   f"(BP3) multiplies d(l+1) by the transpose of a(l)."))
        else:
            findings.append(finding("wrong_shape", f"{what}({l}) has shape {got}; expected {want}."))
    unique = []
    for f in findings:
        if f.code not in [u.code for u in unique]:
            unique.append(f)
    return unique


# -- the engine ---------------------------------------------------------------------------------------

def diagnose_gradient(Theta, X, Y, lambda_, D, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""Name the mistakes that explain a candidate gradient `D`; an empty list when `D` is right.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    D : dict {l: ndarray}
        The candidate gradient, e.g. what a learner's ``backprop`` returned for these inputs.
    activation, output, loss : str
        As in :func:`backprop_course.backprop`.

    Returns
    -------
    list of Finding
        ``[]`` when D equals the true gradient (rtol 1e-6, atol 1e-10). Otherwise the smallest set of
        catalogued mistakes (one, or a pair) whose simulated gradient matches D; when none does, what
        the values show (``wrong_shape``, a measured ``regularization_wrong``, ``recursion_wrong``,
        ``last_layer_wrong``, ``bias_column_wrong``) and finally ``gradient_mismatch`` with where D
        differs most and by how much.

    Notes
    -----
    Mistakes are only distinguishable when the inputs make them differ: use m > 1, lambda > 0 and a
    network with at least one hidden layer. ``theta_not_transposed`` is only simulated where the
    wrong product is defined (square Theta(l)); elsewhere it raises a shape error in the learner's
    code, which a grader reports separately.
    """
    Theta, X, Y = as_float64(Theta, X, Y)
    lambda_ = float(lambda_)
    model = dict(activation=activation, output=output, loss=loss)
    truth = backprop_unchecked(Theta, X, Y, lambda_, **model)
    cand = as_float_dict(D)
    if cand is None:
        return [finding("wrong_shape", f"Expected a dict {{l: D(l)}} for l = 1 .. {len(Theta)}; "
                                       f"got {type(D).__name__}.")]
    if dicts_close(cand, truth):
        return []
    if not shapes_match(cand, truth):
        return _shape_findings(cand, truth)
    codes = _matching_mistakes(cand, truth, lambda mistakes: simulate_gradient(Theta, X, Y, lambda_, mistakes,
                                                                                **model),
                               tuple(SIMULATED), atol=1e-10)
    if codes:
        return [finding(code) for code in codes]
    return _structural_findings(cand, truth, Theta, X.shape[1], lambda_)


def diagnose_deltas(Theta, x, y, d, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    """Name the mistakes that explain a candidate set of errors ``d = {l: d(l)}`` of one example.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    x : ndarray, shape (n, 1)
    y : ndarray, shape (K, 1)
    d : dict {l: ndarray of shape (s_l, 1)}, l = 2 .. L
    activation, output, loss : str

    Returns
    -------
    list of Finding
        ``[]`` when every d(l) is right.
    """
    Theta, x, y = as_float64(Theta, x, y)
    L = len(Theta) + 1
    model = dict(activation=activation, output=output, loss=loss)
    a, z = forward_unchecked(Theta, x, activation, output)
    truth = deltas_unchecked(Theta, a, z, y, **model)
    cand = as_float_dict(d)
    if cand is None:
        return [finding("wrong_shape", f"Expected a dict {{l: d(l)}} for l = 2 .. {L}; got {type(d).__name__}.")]
    if dicts_close(cand, truth, atol=1e-12):
        return []
    if sorted(cand) != sorted(truth):
        return [finding("wrong_shape", f"Expected keys {sorted(truth)} (d(l) exists for l = 2 .. L); "
                                       f"got {sorted(cand)}.")]
    if not shapes_match(cand, truth):
        return _shape_findings(cand, truth, what="d")
    codes = _matching_mistakes(cand, truth, lambda mistakes: simulate_deltas(Theta, a, z, y, mistakes, **model),
                               _BACKWARD, atol=1e-12)
    if codes:
        return [finding(code) for code in codes]
    if np.allclose(cand[L], truth[L], atol=1e-12) and L > 2:
        return [finding("recursion_wrong")]
    return [finding("gradient_mismatch", "Compare d(L) with (BP1) first, then each d(l) with (BP2).")]
