r"""Which mistake is it? A catalog of the classic backpropagation slips, recognized from outputs.

A wrong gradient is rarely wrong at random. Forgetting the 1/m, regularizing the bias column or
multiplying by g where g' belongs each leave a fingerprint. This module recomputes the gradient the
*wrong* way, one known mistake at a time (and in pairs), on the learner's own inputs; a mistake whose
result matches the learner's within float64 tolerance is reported. Cheap structural checks (shapes,
a factor m, a flipped sign, which columns or layers disagree) cover what the catalog misses.

Every finding carries a teaching message that names the equation label of
:mod:`backprop_course.equations` and the notebook section where it is derived. A message describes
the mathematics of the slip and never shows solution code.

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
from itertools import combinations

import numpy as np

from .activations import ACTIVATIONS
from .losses import output_delta
from .network import cost_unchecked, forward_unchecked

__all__ = ["Finding", "MISTAKES", "diagnose_gradient", "diagnose_deltas", "diagnose_cost",
           "diagnose_forward", "diagnose_sigmoid", "diagnose_update", "diagnose_numerical_gradient",
           "diagnose_minibatches", "diagnose_mutation", "finding"]

_NB = {
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


@dataclass(frozen=True)
class Finding:
    """One diagnosed mistake.

    Attributes
    ----------
    code : str
        Short stable id, e.g. ``"bias_regularized"`` (keys of :data:`MISTAKES`).
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


# code -> (equation label, notebook key, section, explanation). The message is assembled by
# `finding`, which appends where to reread.
MISTAKES = {
    # -- the gradient D (exercises 5, 6, 10) --------------------------------------------------
    "g_instead_of_g_prime": (
        "BP2", "05", "Math",
        "The hidden-layer errors are multiplied by g(z(l)), the activation itself, where the chain rule "
        "needs its derivative g'(z(l)) = g(z(l))(1 - g(z(l))) (G2). The seed's text makes the same slip.",
    ),
    "bias_regularized": (
        "BP5", "06", "Math: the seed's three steps, corrected",
        "The bias column j = 0 of D(l) contains a lambda * Theta term. The bias weights are not "
        "penalized in the cost (J), so their gradient is (1/m) Delta(l) alone; only columns j >= 1 get "
        "the (lambda/m) Theta(l) term (BP4).",
    ),
    "one_over_m_missing": (
        "BP4", "06", "Math: the seed's three steps, corrected",
        "D(l) is about m times too large: the 1/m factor is missing (the seed prints it as '1m'). The "
        "cost (J) is an average over the m examples, so its gradient is (1/m) times the accumulated "
        "Delta(l), and the regularization term is (lambda/m) Theta(l).",
    ),
    "one_over_m_twice": (
        "BP4", "06", "Math: the seed's three steps, corrected",
        "D(l) is about m times too small: the 1/m factor is applied twice (for example once while "
        "accumulating Delta(l) and again at the end). Delta(l) is a plain sum over examples (BP3); "
        "divide by m exactly once.",
    ),
    "lambda_over_2m_in_D": (
        "BP4", "06", "Math: the seed's three steps, corrected",
        "The regularization part of D(l) is half what it should be: lambda/(2m) belongs to the cost (J); "
        "differentiating the square (Theta_ij)^2 brings down a 2, so the gradient term is "
        "(lambda/m) Theta_ij.",
    ),
    "delta_assigned": (
        "BP3", "06", "Code: the loop, example by example",
        "D(l) only reflects the last training example: Delta(l) is overwritten for each example instead "
        "of accumulated. (BP3) adds each example's d(l+1) a(l)' to the running Delta(l), which starts at "
        "0 (BP0).",
    ),
    "bias_row_not_dropped": (
        "BP2", "05", "Math",
        "The bias row is not dropped correctly in the delta recursion: Theta(l)' d(l+1) has one row per "
        "unit of layer l plus the bias row 0, and the bias unit has no error to pass back, so row 0 is "
        "removed, leaving d(l) with s_l rows.",
    ),
    "theta_not_transposed": (
        "BP2", "05", "Math",
        "The error is sent backwards through Theta(l) instead of its transpose Theta(l)'. Forward, "
        "Theta(l) maps layer l to layer l+1; backward, the transpose maps layer l+1's errors to layer l.",
    ),
    "d_L_sign_flipped": (
        "BP1", "05", "Math",
        "The output error has the wrong sign: with a sigmoid output and cross-entropy the derivative of "
        "the cost with respect to z(L) is the output minus the target, d(L) = a(L) - y, not the target "
        "minus the output. Every D(l) then points the wrong way.",
    ),
    "recursion_wrong": (
        "BP2", "05", "Math",
        "The gradient of the last weight matrix is right but the earlier layers are not, so the output "
        "error (BP1) and the accumulation (BP3) work and the mistake sits in the backward recursion.",
    ),
    "bias_column_wrong": (
        "BP5", "06", "Math: the seed's three steps, corrected",
        "Only the bias column j = 0 of D disagrees with the true gradient; that column is (1/m) Delta(l) "
        "with no regularization term, and a(l) carries the bias unit 1 in row 0.",
    ),
    "regularization_wrong": (
        "BP4", "06", "Math: the seed's three steps, corrected",
        "D is right with lambda = 0 but not with lambda > 0: the regularization term of columns j >= 1 "
        "should be (lambda/m) Theta(l)_ij.",
    ),
    "wrong_shape": (
        "BP3", "06", "Code: the loop, example by example",
        "The result does not have the expected shape. D(l) has the shape of Theta(l): one row per unit "
        "of layer l+1 and one column per unit of layer l plus the bias column.",
    ),
    "gradient_mismatch": (
        "NG", "07", "Code: backpropagation against the numerical gradient",
        "D differs from the true gradient and the pattern matches none of the catalogued slips. Compare "
        "your D with the numerical gradient layer by layer (and its bias column separately) to find "
        "which part is off.",
    ),
    # -- forward propagation and cost ------------------------------------------------------------
    "bias_unit_missing": (
        "F1", "02", "Math",
        "An activation a(l) lacks the bias unit: for every layer but the output, a(l) gets a row of "
        "ones on top (row 0), so Theta(l)'s column 0 has something to multiply.",
    ),
    "bias_unit_on_output": (
        "F4", "02", "Math",
        "The output a(L) has a bias row; the output layer has no bias unit, a(L) = h(z(L)) has K rows.",
    ),
    "activation_not_applied": (
        "F3", "02", "Math",
        "Some a(l) equals z(l) instead of g(z(l)): each layer applies the activation to its weighted inputs.",
    ),
    "cost_bias_regularized": (
        "J", "03", "Math",
        "The cost penalizes the bias weights: the sum in the regularization term of (J) runs over "
        "columns j >= 1 only.",
    ),
    "cost_lambda_over_m": (
        "J", "03", "Math",
        "The regularization term is twice too large: (J) uses lambda/(2m), so that its derivative "
        "comes out as (lambda/m) Theta.",
    ),
    "cost_one_over_m_missing": (
        "J", "03", "Math",
        "The cost is m times too large: (J) averages over the m examples (the seed's '1m' is 1/m).",
    ),
    "cost_sign_flipped": (
        "J", "03", "Math",
        "The cost has the wrong sign: log of a probability is negative, so (J) carries a minus sign "
        "that makes the cost positive.",
    ),
    "cost_mismatch": (
        "J", "03", "Math",
        "The cost differs from (J) and matches none of the catalogued slips; compute the data term and "
        "the regularization term separately and compare each with the notebook's worked example.",
    ),
    # -- the sigmoid ---------------------------------------------------------------------------
    "sigmoid_overflow": (
        "G1", "01", "Code: large |z|",
        "The sigmoid overflows for large |z| (a warning, inf or nan): e^{-z} exceeds the float64 range "
        "near z = -710. Rewrite g(z) in a form that never exponentiates a large positive number; the "
        "notebook shows two equivalent forms of (G1).",
    ),
    "g_prime_is_g": (
        "G2", "01", "Math: the derivative g'(z) = g(z)(1 - g(z))",
        "sigmoid_gradient returns g(z) itself; the derivative is g'(z) = g(z)(1 - g(z)), at most 1/4.",
    ),
    "g_prime_uses_z": (
        "G2", "01", "Math: the derivative g'(z) = g(z)(1 - g(z))",
        "sigmoid_gradient computes z(1 - z); (G2) applies the product to g(z), not to z.",
    ),
    # -- gradient descent ----------------------------------------------------------------------
    "update_adds_gradient": (
        "GD", "08", "Math: Phase 2, the weight update",
        "The update adds alpha D(l) to Theta(l). D points uphill, in the direction that increases the "
        "cost, so gradient descent subtracts it.",
    ),
    "alpha_ignored": (
        "GD", "08", "Math: Phase 2, the weight update",
        "The step does not scale with the learning rate alpha you were given.",
    ),
    "update_mismatch": (
        "GD", "08", "Math: Phase 2, the weight update",
        "The updated weights are not Theta(l) - alpha D(l): every weight moves against its own gradient "
        "entry, scaled by the learning rate.",
    ),
    "inputs_mutated": (
        "GD", "08", "Code: one step, and its sign",
        "The function changed its input arrays in place. The caller still needs them (for example to "
        "compare before and after, or to retry with another setting): work on copies and hand back new arrays.",
    ),
    # -- gradient checking ---------------------------------------------------------------------
    "one_sided_difference": (
        "NG", "07", "Math: the central difference",
        "The values match a one-sided difference, (J(Theta + eps) - J(Theta)) / eps or its mirror. Its "
        "error shrinks only like eps; the central difference (NG) evaluates J on both sides and is "
        "accurate to about eps^2.",
    ),
    "perturbation_not_restored": (
        "NG", "07", "Math: the central difference",
        "A perturbed weight is not put back before the next one is perturbed, so later derivatives are "
        "taken at a shifted point (NG perturbs a single weight, all others at their original values).",
    ),
    "epsilon_ignored": (
        "NG", "07", "Explore: the step $\\epsilon$",
        "The result does not depend on the epsilon you were given; use the argument, not a constant.",
    ),
    "numerical_gradient_mismatch": (
        "NG", "07", "Math: the central difference",
        "The values differ from central differences (NG) and match no catalogued slip; perturb one "
        "weight by +epsilon and -epsilon, evaluate the full cost (J) twice, and divide by 2 epsilon.",
    ),
    # -- mini-batches --------------------------------------------------------------------------
    "batches_drop_examples": (
        "GD", "09", "Math: the gradient of a batch",
        "Some examples appear in no batch. An epoch is one pass over all m examples: when batch_size "
        "does not divide m, the last batch is smaller instead of being left out.",
    ),
    "batches_repeat_examples": (
        "GD", "09", "Math: the gradient of a batch",
        "Some examples appear in more than one batch (sampling with replacement?). Shuffle the m "
        "columns once (a permutation) and cut them into consecutive batches.",
    ),
    "batches_unpaired": (
        "GD", "09", "Math: the gradient of a batch",
        "Inputs and targets were shuffled differently: a column of X_batch no longer sits next to its "
        "own target in Y_batch. Draw one permutation and apply it to both.",
    ),
    "batches_not_deterministic": (
        "GD", "09", "Math: the gradient of a batch",
        "Two calls with the same seed gave different batches; draw the permutation from a generator "
        "made from the seed argument.",
    ),
    "batches_not_shuffled": (
        "GD", "09", "Math: the gradient of a batch",
        "The batches keep the original order of the examples (or ignore the seed); shuffle the columns "
        "so that each mini-batch is a fair sample.",
    ),
    "batches_wrong_sizes": (
        "GD", "09", "Math: the gradient of a batch",
        "The batches do not have batch_size columns each (only the last one may be smaller).",
    ),
}


def finding(code, detail=""):
    """The :class:`Finding` for catalog entry `code`, optionally with a specific `detail` sentence."""
    equation, nb, section, text = MISTAKES[code]
    message = f"{text}{' ' + detail if detail else ''} Reread ({equation}) in {_NB[nb]}, section \"{section}\"."
    return Finding(code, message, equation, _NB[nb])


# -- helpers --------------------------------------------------------------------------------------

def _as_float_dict(D):
    """D as {key: float64 array}, or None if it is not a dict of numeric arrays."""
    if not isinstance(D, dict):
        return None
    out = {}
    for k, v in D.items():
        try:
            arr = np.asarray(v, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        out[k] = arr
    return out


def _rel_err(A, B):
    """Relative error of two equal-shaped arrays (0 for two zero arrays)."""
    num = np.linalg.norm(A - B)
    den = np.linalg.norm(A) + np.linalg.norm(B)
    return 0.0 if num == 0 else float(num / max(den, 1e-300))


def _dict_close(A, B, rtol=1e-6, atol=1e-10):
    """True when two dicts of arrays have the same keys, shapes and values within tolerance."""
    if A is None or B is None or sorted(A) != sorted(B):
        return False
    for k in A:
        if A[k].shape != B[k].shape or not np.all(np.isfinite(A[k])):
            return False
        if not np.allclose(A[k], B[k], rtol=rtol, atol=atol):
            return False
    return True


def _shapes_match(A, B):
    return A is not None and sorted(A) == sorted(B) and all(A[k].shape == B[k].shape for k in B)


# -- the gradient, computed right and the catalogued wrong ways -----------------------------------

# Mistakes at the level of D that can be simulated, with their sub-variants.
_D_MISTAKES = ("g_instead_of_g_prime", "bias_regularized", "one_over_m_missing", "one_over_m_twice",
               "lambda_over_2m_in_D", "delta_assigned", "bias_row_not_dropped", "theta_not_transposed",
               "d_L_sign_flipped")
_VARIANTS = {
    "one_over_m_missing": ("all", "data_only"),      # neither term divided / only Delta not divided
    "one_over_m_twice": ("all", "data_only"),
    "bias_row_not_dropped": ("drop_last",),          # the only form that keeps the shapes right
    "theta_not_transposed": ("full", "sliced"),
}


def _backward(Theta, a, z, Y, mistakes, activation, output, loss):
    """The deltas d(l), l = 2 .. L, with the given simulated mistakes; None if shapes do not allow it."""
    L = len(Theta) + 1
    act = ACTIVATIONS[activation]
    d = {L: output_delta(a[L], z[L], Y, output, loss)}                   # (BP1)
    if "d_L_sign_flipped" in mistakes:
        d[L] = -d[L]
    for l in range(L - 1, 1, -1):
        kind = mistakes.get("theta_not_transposed")
        if kind == "full":
            if Theta[l].shape[1] != d[l + 1].shape[0]:
                return None
            back = Theta[l] @ d[l + 1]
        elif kind == "sliced":
            if Theta[l].shape[0] != Theta[l].shape[1] - 1:
                return None
            back = np.vstack([np.zeros((1, d[l + 1].shape[1])), Theta[l][:, 1:] @ d[l + 1]])
        else:
            back = Theta[l].T @ d[l + 1]                                  # (BP2)
        back = back[:-1] if "bias_row_not_dropped" in mistakes else back[1:]
        if back.shape != z[l].shape:
            return None
        factor = act.g(z[l]) if "g_instead_of_g_prime" in mistakes else act.g_prime(z[l])
        d[l] = back * factor
    return d


def _gradient(Theta, X, Y, lambda_, mistakes, activation, output, loss):
    """D computed with the simulated `mistakes` (dict code -> variant); None if not computable."""
    L = len(Theta) + 1
    m = X.shape[1]
    a, z = forward_unchecked(Theta, X, activation, output)
    d = _backward(Theta, a, z, Y, mistakes, activation, output, loss)
    if d is None:
        return None
    D = {}
    for l in range(1, L):
        if "delta_assigned" in mistakes:
            Delta = d[l + 1][:, -1:] @ a[l][:, -1:].T                     # only the last example
        else:
            Delta = d[l + 1] @ a[l].T                                     # (BP3)
        data_scale, reg_scale = 1.0 / m, lambda_ / m
        if mistakes.get("one_over_m_missing") == "all":
            data_scale, reg_scale = 1.0, lambda_
        elif mistakes.get("one_over_m_missing") == "data_only":
            data_scale = 1.0
        if mistakes.get("one_over_m_twice") == "all":
            data_scale, reg_scale = 1.0 / m ** 2, lambda_ / m ** 2
        elif mistakes.get("one_over_m_twice") == "data_only":
            data_scale = 1.0 / m ** 2
        if "lambda_over_2m_in_D" in mistakes:
            reg_scale = reg_scale / 2
        reg = reg_scale * Theta[l]
        if "bias_regularized" not in mistakes:
            reg = reg.copy()
            reg[:, 0] = 0.0
        D[l] = data_scale * Delta + reg                                  # (BP4, BP5)
    return D


def _mistake_sets(codes, max_size=2):
    """Every combination of up to `max_size` mistakes, each with every one of its variants."""
    for size in range(1, max_size + 1):
        for combo in combinations(codes, size):
            if "one_over_m_missing" in combo and "one_over_m_twice" in combo:
                continue
            choices = [[(c, v) for v in _VARIANTS.get(c, (True,))] for c in combo]
            for pick in _product(choices):
                yield dict(pick)


def _product(lists):
    if not lists:
        yield ()
        return
    for head in lists[0]:
        for tail in _product(lists[1:]):
            yield (head,) + tail


def _prepare(Theta, X, Y):
    Theta = {l: np.asarray(T, dtype=np.float64) for l, T in Theta.items()}
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    return Theta, X, Y


def diagnose_gradient(Theta, X, Y, lambda_, D, activation="sigmoid", output="sigmoid",
                      loss="cross_entropy"):
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
        catalogued mistakes (one, or a pair) whose simulated gradient matches D, or, when none does,
        structural findings (``wrong_shape``, ``recursion_wrong``, ``bias_column_wrong``,
        ``regularization_wrong``) and finally ``gradient_mismatch``.

    Notes
    -----
    Mistakes are only distinguishable when the inputs make them differ: use m > 1, lambda > 0 and a
    network with at least one hidden layer. ``theta_not_transposed`` is only simulated where the
    wrong product is defined (square Theta(l)); elsewhere it raises a shape error in the learner's
    code, which a grader reports separately.
    """
    Theta, X, Y = _prepare(Theta, X, Y)
    lambda_ = float(lambda_)
    model = (activation, output, loss)
    truth = _gradient(Theta, X, Y, lambda_, {}, *model)
    cand = _as_float_dict(D)
    if cand is None:
        return [finding("wrong_shape", f"Expected a dict {{l: D(l)}} for l = 1 .. {len(Theta)}; "
                                       f"got {type(D).__name__}.")]
    if _dict_close(cand, truth):
        return []

    if not _shapes_match(cand, truth):
        return _shape_findings(cand, truth)

    for size in (1, 2):
        found = []
        for mistakes in _mistake_sets(_D_MISTAKES, max_size=size):
            if len(mistakes) != size:
                continue
            variant = _gradient(Theta, X, Y, lambda_, mistakes, *model)
            if variant is None or _dict_close(variant, truth):
                continue                                              # not computable, or no difference here
            if _dict_close(cand, variant):
                found.append(tuple(sorted(mistakes)))
        if found:
            codes = []
            for combo in found:
                for code in combo:
                    if code not in codes:
                        codes.append(code)
            return [finding(code) for code in codes]

    return _pattern_findings(cand, truth, Theta, X, Y, lambda_, model)


def _shape_findings(cand, truth):
    if sorted(cand) != sorted(truth):
        return [finding("wrong_shape", f"Expected keys {sorted(truth)} (layer numbers from 1); got {sorted(cand)}.")]
    findings = []
    for l in sorted(truth):
        got, want = cand[l].shape, truth[l].shape
        if got == want:
            continue
        if len(got) == 2 and got == (want[0] + 1, want[1]):
            findings.append(finding("bias_row_not_dropped",
                                    f"D({l}) has shape {got}, one row more than Theta({l}) {want}."))
        elif got == want[::-1]:
            findings.append(finding("wrong_shape", f"D({l}) has shape {got}, the transpose of {want}: "
                                                   f"(BP3) multiplies d(l+1) by the transpose of a(l)."))
        else:
            findings.append(finding("wrong_shape", f"D({l}) has shape {got}; expected {want}."))
    unique = []
    for f in findings:
        if f.code not in [u.code for u in unique]:
            unique.append(f)
    return unique


def _pattern_findings(cand, truth, Theta, X, Y, lambda_, model):
    """Structural clues when no catalogued mistake matches exactly."""
    layers = sorted(truth)
    last = layers[-1]
    findings = []
    if any(not np.all(np.isfinite(cand[l])) for l in layers):
        return [finding("gradient_mismatch", "D contains inf or nan.")]
    per_layer_ok = {l: np.allclose(cand[l], truth[l], rtol=1e-6, atol=1e-10) for l in layers}
    if len(layers) > 1 and per_layer_ok[last] and not all(per_layer_ok.values()):
        findings.append(finding("recursion_wrong"))
    bias_ok = all(np.allclose(cand[l][:, 0], truth[l][:, 0], rtol=1e-6, atol=1e-10) for l in layers)
    rest_ok = all(np.allclose(cand[l][:, 1:], truth[l][:, 1:], rtol=1e-6, atol=1e-10) for l in layers)
    if rest_ok and not bias_ok:
        findings.append(finding("bias_column_wrong"))
    if lambda_ > 0 and bias_ok and not rest_ok:
        # Is the data part right? Then the regularization term is the culprit.
        m = X.shape[1]
        data = {l: truth[l] - (lambda_ / m) * np.hstack([np.zeros((truth[l].shape[0], 1)), Theta[l][:, 1:]])
                for l in layers}
        reg_cand = {l: cand[l] - data[l] for l in layers}
        if all(np.allclose(reg_cand[l][:, 0], 0.0, atol=1e-10) for l in layers):
            findings.append(finding("regularization_wrong"))
    if not findings:
        worst = max(layers, key=lambda l: _rel_err(cand[l], truth[l]))
        findings.append(finding("gradient_mismatch", f"The largest relative difference is in D({worst}): "
                                                     f"{_rel_err(cand[worst], truth[worst]):.2g}."))
    return findings


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
    Theta, x, y = _prepare(Theta, x, y)
    L = len(Theta) + 1
    model = (activation, output, loss)
    a, z = forward_unchecked(Theta, x, activation, output)
    truth = _backward(Theta, a, z, y, {}, *model)
    cand = _as_float_dict(d)
    if cand is None:
        return [finding("wrong_shape", f"Expected a dict {{l: d(l)}} for l = 2 .. {L}; got {type(d).__name__}.")]
    if _dict_close(cand, truth, atol=1e-12):
        return []
    if sorted(cand) != sorted(truth):
        return [finding("wrong_shape", f"Expected keys {sorted(truth)} (d(l) exists for l = 2 .. L); "
                                       f"got {sorted(cand)}.")]
    findings = []
    for l in sorted(truth):
        got, want = cand[l].shape, truth[l].shape
        if got != want:
            if got == (want[0] + 1, want[1]):
                findings.append(finding("bias_row_not_dropped", f"d({l}) has shape {got}, expected {want}."))
            else:
                findings.append(finding("wrong_shape", f"d({l}) has shape {got}; expected {want} "
                                                       f"(s_{l} rows, one column)."))
    if findings:
        return findings
    codes = ("g_instead_of_g_prime", "bias_row_not_dropped", "theta_not_transposed", "d_L_sign_flipped")
    for size in (1, 2):
        found = []
        for mistakes in _mistake_sets(codes, max_size=size):
            if len(mistakes) != size:
                continue
            variant = _backward(Theta, a, z, y, mistakes, *model)
            if variant is None or _dict_close(variant, truth, atol=1e-12):
                continue
            if _dict_close(cand, variant, atol=1e-12):
                found.extend(c for c in sorted(mistakes) if c not in found)
        if found:
            return [finding(c) for c in found]
    if np.allclose(cand[L], truth[L], atol=1e-12) and L > 2:
        return [finding("recursion_wrong")]
    return [finding("gradient_mismatch", "Compare d(L) with (BP1) first, then each d(l) with (BP2).")]


# -- forward propagation and cost ----------------------------------------------------------------

def diagnose_forward(Theta, X, a, z, activation="sigmoid", output="sigmoid"):
    """Findings for a candidate forward pass ``(a, z)``; ``[]`` when both are right."""
    Theta, X, _ = _prepare(Theta, X, np.zeros((1, 1)))
    L = len(Theta) + 1
    a_true, z_true = forward_unchecked(Theta, X, activation, output)
    a_c, z_c = _as_float_dict(a), _as_float_dict(z)
    if a_c is None or z_c is None:
        return [finding("wrong_shape", "forward returns two dicts keyed by layer number: a for l = 1 .. L, "
                                       "z for l = 2 .. L.")]
    if _dict_close(a_c, a_true, atol=1e-12) and _dict_close(z_c, z_true, atol=1e-12):
        return []
    findings = []
    for l in sorted(a_true):
        if l not in a_c:
            continue
        got, want = a_c[l].shape, a_true[l].shape
        if l < L and got == (want[0] - 1, want[1]):
            findings.append(finding("bias_unit_missing", f"a({l}) has shape {got}; expected {want}."))
        elif l == L and got == (want[0] + 1, want[1]):
            findings.append(finding("bias_unit_on_output", f"a({L}) has shape {got}; expected {want}."))
        elif l > 1 and got == want and l in z_true and np.allclose(a_c[l][-z_true[l].shape[0]:], z_true[l]):
            findings.append(finding("activation_not_applied", f"Layer {l}."))
    if not findings and (sorted(a_c) != sorted(a_true) or sorted(z_c) != sorted(z_true)):
        findings.append(finding("wrong_shape", f"a needs keys {sorted(a_true)} and z keys {sorted(z_true)}; "
                                               f"got {sorted(a_c)} and {sorted(z_c)}."))
    return findings or [finding("wrong_shape", "Some a(l) or z(l) differs from (F1)-(F4); compare layer by layer.")]


def diagnose_cost(Theta, X, Y, lambda_, J, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    """Findings for a candidate cost `J`; ``[]`` when it equals (J)."""
    Theta, X, Y = _prepare(Theta, X, Y)
    m = X.shape[1]
    try:
        J = float(J)
    except (TypeError, ValueError):
        return [finding("cost_mismatch", f"The cost must be one number (a float); got {type(J).__name__}.")]
    data = cost_unchecked(Theta, X, Y, 0.0, activation, output, loss)
    reg_sum = sum(float(np.sum(T[:, 1:] ** 2)) for T in Theta.values())
    reg_all = sum(float(np.sum(T ** 2)) for T in Theta.values())
    truth = data + lambda_ / (2 * m) * reg_sum

    def close(v):
        return np.isclose(J, v, rtol=1e-9, atol=1e-12) and not np.isclose(truth, v, rtol=1e-9, atol=1e-12)

    if np.isclose(J, truth, rtol=1e-9, atol=1e-12):
        return []
    variants = {
        "cost_bias_regularized": data + lambda_ / (2 * m) * reg_all,
        "cost_lambda_over_m": data + lambda_ / m * reg_sum,
        "cost_one_over_m_missing": m * data + lambda_ / 2 * reg_sum,
        "cost_sign_flipped": -data + lambda_ / (2 * m) * reg_sum,
    }
    partial = {"cost_one_over_m_missing": m * data + lambda_ / (2 * m) * reg_sum}
    found = [code for code, v in variants.items() if close(v)]
    found += [code for code, v in partial.items() if close(v) and code not in found]
    return [finding(c) for c in found] or [finding("cost_mismatch", f"Expected about {truth:.6g}; got {J:.6g}.")]


# -- function-level mistakes: sigmoid, update, numerical gradient, mini-batches -------------------

def diagnose_sigmoid(z, values, warnings=(), which="sigmoid"):
    """Findings for what a candidate ``sigmoid`` or ``sigmoid_gradient`` returned on `z`.

    Parameters
    ----------
    z : ndarray
    values : ndarray or None
        What the candidate returned.
    warnings : sequence of str
        Warning messages raised during the call (e.g. "overflow encountered in exp").
    which : {"sigmoid", "sigmoid_gradient"}
    """
    z = np.asarray(z, dtype=np.float64)
    g = 0.5 * (1.0 + np.tanh(z / 2))
    truth = g if which == "sigmoid" else g * (1 - g)
    findings = []
    overflowed = any("overflow" in str(w).lower() or "invalid value" in str(w).lower() for w in warnings)
    try:
        vals = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        vals = None
    if vals is not None and vals.shape == z.shape and not np.all(np.isfinite(vals)):
        overflowed = True
    if overflowed and np.max(np.abs(z), initial=0) > 30:
        findings.append(finding("sigmoid_overflow"))
    if which == "sigmoid_gradient" and vals is not None and vals.shape == z.shape and np.all(np.isfinite(vals)):
        if not np.allclose(vals, truth, atol=1e-12, rtol=1e-9):
            if np.allclose(vals, g, atol=1e-12, rtol=1e-9):
                findings.append(finding("g_prime_is_g"))
            elif np.allclose(vals, z * (1 - z), atol=1e-12, rtol=1e-9):
                findings.append(finding("g_prime_uses_z"))
    return findings


def diagnose_mutation(names, before, after):
    """An ``inputs_mutated`` finding if any `after` array differs from `before`; else ``[]``.

    `before` and `after` map an argument name to an array or a dict of arrays (e.g. Theta).
    """
    changed = []
    for name in names:
        b, a = before[name], after[name]
        if isinstance(b, dict):
            if not isinstance(a, dict) or sorted(a) != sorted(b):
                changed.append(name)
                continue
            for k in b:
                if np.shape(a[k]) != np.shape(b[k]) or not np.array_equal(np.asarray(a[k]), b[k], equal_nan=True):
                    changed.append(f"{name}[{k}]")
        elif np.shape(a) != np.shape(b) or not np.array_equal(np.asarray(a), b, equal_nan=True):
            changed.append(name)
    if not changed:
        return []
    return [finding("inputs_mutated", f"Changed: {', '.join(changed)}.")]


def diagnose_update(Theta, D, alpha, new_Theta):
    """Findings for a candidate gradient-descent step ``new_Theta``; ``[]`` when it is (GD)."""
    Theta = {l: np.asarray(T, dtype=np.float64) for l, T in Theta.items()}
    D = {l: np.asarray(T, dtype=np.float64) for l, T in D.items()}
    cand = _as_float_dict(new_Theta)
    truth = {l: Theta[l] - alpha * D[l] for l in Theta}
    if _dict_close(cand, truth, atol=1e-12):
        return []
    if not _shapes_match(cand, truth):
        return [finding("wrong_shape", "The step returns a dict with Theta's keys and shapes.")]
    if _dict_close(cand, {l: Theta[l] + alpha * D[l] for l in Theta}, atol=1e-12):
        return [finding("update_adds_gradient")]
    if alpha != 1 and (_dict_close(cand, {l: Theta[l] - D[l] for l in Theta}, atol=1e-12)
                       or _dict_close(cand, {l: Theta[l] + D[l] for l in Theta}, atol=1e-12)):
        return [finding("alpha_ignored")]
    return [finding("update_mismatch")]


def _numerical(Theta, X, Y, lambda_, epsilon, model, kind):
    """Numerical gradient variants: 'central', 'forward', 'backward', 'unrestored+' / 'unrestored-'."""
    work = {l: T.copy() for l, T in Theta.items()}
    D = {}
    J0 = cost_unchecked(work, X, Y, lambda_, *model)
    for l, T in work.items():
        D[l] = np.zeros_like(T)
        for i, j in np.ndindex(*T.shape):
            original = T[i, j]
            if kind == "forward":
                T[i, j] = original + epsilon
                D[l][i, j] = (cost_unchecked(work, X, Y, lambda_, *model) - J0) / epsilon
                T[i, j] = original
            elif kind == "backward":
                T[i, j] = original - epsilon
                D[l][i, j] = (J0 - cost_unchecked(work, X, Y, lambda_, *model)) / epsilon
                T[i, j] = original
            else:
                T[i, j] = original + epsilon
                J_plus = cost_unchecked(work, X, Y, lambda_, *model)
                T[i, j] = original - epsilon
                J_minus = cost_unchecked(work, X, Y, lambda_, *model)
                if kind == "central":
                    T[i, j] = original
                elif kind == "unrestored+":          # perturbed + last, then left there
                    T[i, j] = original + epsilon
                D[l][i, j] = (J_plus - J_minus) / (2 * epsilon)
    return D


def diagnose_numerical_gradient(Theta, X, Y, lambda_, epsilon, D, Theta_after=None,
                                activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    """Findings for a candidate numerical gradient `D`; ``[]`` when it matches central differences (NG).

    `Theta_after`, if given, is Theta as it was after the call (to spot weights left perturbed).
    """
    Theta, X, Y = _prepare(Theta, X, Y)
    model = (activation, output, loss)
    cand = _as_float_dict(D)
    truth = _numerical(Theta, X, Y, lambda_, epsilon, model, "central")
    findings = []
    if Theta_after is not None:
        after = _as_float_dict(Theta_after)
        if _shapes_match(after, Theta) and not _dict_close(after, Theta, rtol=0, atol=0):
            shift = np.concatenate([np.ravel(after[l] - Theta[l]) for l in Theta])
            if np.allclose(np.abs(shift[shift != 0]), epsilon, rtol=1e-6):
                findings.append(finding("perturbation_not_restored",
                                        "Theta itself was left changed by +-epsilon after the call."))
            findings += diagnose_mutation(["Theta"], {"Theta": Theta}, {"Theta": after})
    if cand is not None and _dict_close(cand, truth, rtol=1e-6, atol=1e-9):
        return findings
    if not _shapes_match(cand, truth):
        return findings + [finding("wrong_shape", "The numerical gradient has Theta's keys and shapes.")]
    for kind, code in (("forward", "one_sided_difference"), ("backward", "one_sided_difference"),
                       ("unrestored+", "perturbation_not_restored"), ("unrestored-", "perturbation_not_restored")):
        variant = _numerical(Theta, X, Y, lambda_, epsilon, model, kind)
        if _dict_close(cand, variant, rtol=1e-6, atol=1e-9) and code not in [f.code for f in findings]:
            findings.append(finding(code))
    if not findings:
        for other in (1e-4, 1e-5, 1e-3, 1e-6):
            if not np.isclose(other, epsilon) and _dict_close(
                    cand, _numerical(Theta, X, Y, lambda_, other, model, "central"), rtol=1e-7, atol=1e-11) \
                    and not _dict_close(truth, _numerical(Theta, X, Y, lambda_, other, model, "central"),
                                        rtol=1e-7, atol=1e-11):
                findings.append(finding("epsilon_ignored", f"It matches epsilon = {other:g}."))
                break
    return findings or [finding("numerical_gradient_mismatch")]


def diagnose_minibatches(X, Y, batch_size, batches, batches_same_seed=None, batches_other_seed=None):
    """Findings for candidate mini-batches of ``(X, Y)``; ``[]`` when they are a valid shuffled epoch.

    The columns of X must be distinct (the grader uses an id in row 0) so examples can be traced.

    Parameters
    ----------
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    batch_size : int
    batches : list of (X_batch, Y_batch)
    batches_same_seed : list, optional
        A second call with the same seed (must be identical).
    batches_other_seed : list, optional
        A call with another seed (should give another order).
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    m = X.shape[1]
    key_x = {tuple(X[:, t]): t for t in range(m)}
    findings = []
    try:
        pairs = [(np.asarray(xb, dtype=np.float64), np.asarray(yb, dtype=np.float64)) for xb, yb in batches]
    except (TypeError, ValueError):
        return [finding("wrong_shape", "minibatches returns a list of (X_batch, Y_batch) pairs of arrays.")]
    if any(xb.ndim != 2 or yb.ndim != 2 or xb.shape[0] != X.shape[0] or yb.shape[0] != Y.shape[0]
           or xb.shape[1] != yb.shape[1] for xb, yb in pairs):
        return [finding("wrong_shape", f"Each X_batch has shape ({X.shape[0]}, b) and its Y_batch "
                                       f"({Y.shape[0]}, b), with the same b.")]
    seen, unpaired, unknown = [], 0, 0
    for xb, yb in pairs:
        for c in range(xb.shape[1]):
            t = key_x.get(tuple(xb[:, c]))
            if t is None:
                unknown += 1
                continue
            seen.append(t)
            if not np.array_equal(yb[:, c], Y[:, t]):
                unpaired += 1
    counts = np.bincount(np.asarray(seen, dtype=np.int64), minlength=m) if seen else np.zeros(m, int)
    if (counts == 0).any():
        findings.append(finding("batches_drop_examples", f"{int((counts == 0).sum())} of {m} examples are missing."))
    if (counts > 1).any():
        findings.append(finding("batches_repeat_examples",
                                f"{int((counts > 1).sum())} examples appear more than once."))
    if unpaired:
        findings.append(finding("batches_unpaired", f"{unpaired} of {len(seen)} columns lost their target."))
    if unknown:
        findings.append(finding("wrong_shape", f"{unknown} columns of the batches are not columns of X."))
    sizes = [xb.shape[1] for xb, _ in pairs]
    if sizes and (any(s != batch_size for s in sizes[:-1]) or sizes[-1] > batch_size or sizes[-1] == 0):
        findings.append(finding("batches_wrong_sizes", f"Sizes {sizes} for batch_size = {batch_size}."))
    if not findings and seen == list(range(m)) and m > 2:
        findings.append(finding("batches_not_shuffled"))
    if batches_same_seed is not None and not _same_batches(batches, batches_same_seed):
        findings.append(finding("batches_not_deterministic"))
    if batches_other_seed is not None and _same_batches(batches, batches_other_seed) and m > 2 \
            and "batches_not_shuffled" not in [f.code for f in findings]:
        findings.append(finding("batches_not_shuffled", "Two different seeds gave the same batches."))
    return findings


def _same_batches(A, B):
    try:
        if len(A) != len(B):
            return False
        return all(np.array_equal(np.asarray(xa), np.asarray(xb)) and np.array_equal(np.asarray(ya), np.asarray(yb))
                   for (xa, ya), (xb, yb) in zip(A, B, strict=True))
    except (TypeError, ValueError):
        return False
