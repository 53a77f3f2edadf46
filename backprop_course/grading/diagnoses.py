r"""Which mistake is it? The exercise-level diagnoses of the grader, beside the gradient engine.

:mod:`backprop_course.misconceptions` holds the catalogue of gradient-level mistakes and the engine
that recognizes them in D and d (``diagnose_gradient``, ``diagnose_deltas``). This module holds what
only the grader asks: the forward pass, the cost, the sigmoid, the update step, the numerical
gradient and mini-batches, each recognized from what a learner's function returned. :data:`MISTAKES`
is the whole catalogue, both levels, keyed by code.

Every finding carries a teaching message that names the equation label of
:mod:`backprop_course.equations` and the notebook section where it is derived. A message describes
the mathematics of the slip and never shows solution code.

It runs in the grader's parent process only, never next to graded code.
"""

import re

import numpy as np

from ..activations import sigmoid, sigmoid_gradient
from ..gradient_check import numerical_gradient_unchecked
from ..misconceptions import (
    MISCONCEPTIONS,
    NOTEBOOKS,
    Finding,
    Misconception,
    as_float64,
    as_float_dict,
    dicts_close,
    shapes_match,
)
from ..misconceptions import finding as _catalogue_finding
from ..network import cost_unchecked, forward_unchecked

__all__ = ["Finding", "MISTAKES", "NOTEBOOKS", "diagnose_cost", "diagnose_forward", "diagnose_sigmoid",
           "diagnose_update", "diagnose_numerical_gradient", "diagnose_minibatches", "diagnose_mutation", "finding",
           "for_exercise", "warned_at"]

# code -> Misconception(equation label, notebook key, section, explanation): the gradient-level
# catalogue of misconceptions.py and the exercise-level entries below.
MISTAKES = {
    **MISCONCEPTIONS,
    # -- forward propagation and cost ------------------------------------------------------------
    "bias_unit_missing": Misconception(
        "F1", "02", "Math",
        "An activation a(l) lacks the bias unit: for every layer but the output, a(l) gets a row of "
        "ones on top (row 0), so Theta(l)'s column 0 has something to multiply.",
    ),
    "bias_unit_on_output": Misconception(
        "F4", "02", "Math",
        "The output a(L) has a bias row; the output layer has no bias unit, a(L) = h(z(L)) has K rows.",
    ),
    "activation_not_applied": Misconception(
        "F3", "02", "Math",
        "Some a(l) equals z(l) instead of g(z(l)): each layer applies the activation to its weighted inputs.",
    ),
    "cost_bias_regularized": Misconception(
        "J", "03", "Math",
        "The cost penalizes the bias weights: the sum in the regularization term of (J) runs over "
        "columns j >= 1 only.",
    ),
    "cost_lambda_over_m": Misconception(
        "J", "03", "Math",
        "The regularization term is twice too large: (J) uses lambda/(2m), so that its derivative "
        "comes out as (lambda/m) Theta.",
    ),
    "cost_one_over_m_missing": Misconception(
        "J", "03", "Math",
        "The cost is m times too large: (J) averages over the m examples (the short article the course "
        "follows prints the 1/m as '1m').",
    ),
    "cost_sign_flipped": Misconception(
        "J", "03", "Math",
        "The cost has the wrong sign: log of a probability is negative, so (J) carries a minus sign "
        "that makes the cost positive.",
    ),
    "cost_mismatch": Misconception(
        "J", "03", "Math",
        "The cost differs from (J) and matches none of the catalogued slips; compute the data term and "
        "the regularization term separately and compare each with the notebook's worked example.",
    ),
    # -- the sigmoid ---------------------------------------------------------------------------
    "sigmoid_overflow": Misconception(
        "G1", "01", "Code: large |z|",
        "The sigmoid overflows for large |z| (a warning, inf or nan): e^{-z} exceeds the float64 range "
        "near z = -710. Rewrite g(z) in a form that never exponentiates a large positive number; the "
        "notebook shows two equivalent forms of (G1).",
    ),
    "sigmoid_gradient_overflow": Misconception(
        "G2", "01", "Code: large |z|",
        "sigmoid_gradient overflows for large |z| (a warning, inf or nan) on its own: it exponentiates z "
        "itself, and e^{-z} exceeds the float64 range near z = -710. (G2) needs no exponential: g'(z) = "
        "g(z)(1 - g(z)) from your sigmoid, whose values stay between 0 and 1.",
    ),
    "where_evaluates_both": Misconception(
        "G1", "01", "Code: large |z|",
        "numpy's where picks between two arrays that are both computed in full before it chooses: the "
        "form meant only for z >= 0 is still evaluated at the large negative z (and the other form at the "
        "large positive z), where its exponential overflows. Choosing afterwards cannot undo the overflow. "
        "Exponentiate only numbers that cannot be large, such as -|z|, and then choose between the two "
        "forms of (G1).",
    ),
    "g_prime_is_g": Misconception(
        "G2", "01", "Math: the derivative g'(z) = g(z)(1 - g(z))",
        "sigmoid_gradient returns g(z) itself; the derivative is g'(z) = g(z)(1 - g(z)), at most 1/4.",
    ),
    "g_prime_uses_z": Misconception(
        "G2", "01", "Math: the derivative g'(z) = g(z)(1 - g(z))",
        "sigmoid_gradient computes z(1 - z); (G2) applies the product to g(z), not to z.",
    ),
    "g_prime_one_minus_g": Misconception(
        "G2", "01", "Math: the derivative g'(z) = g(z)(1 - g(z))",
        "sigmoid_gradient returns 1 - g(z), one factor of (G2); the derivative is the product "
        "g(z)(1 - g(z)).",
    ),
    "g_prime_mixes_z": Misconception(
        "G2", "01", "Math: the derivative g'(z) = g(z)(1 - g(z))",
        "sigmoid_gradient computes g(z)(1 - z): in (G2) both factors are made of g(z), the second is "
        "1 - g(z).",
    ),
    # -- backpropagation for one example ---------------------------------------------------------
    "recursion_to_layer_1": Misconception(
        "BP2", "05", "Math",
        "The recursion runs to layer 1; it stops at 2. (BP2) gives d(l) for l = L-1 down to 2 only: "
        "layer 1 is the input, its values are data rather than weighted sums, so it has no z(1) and no "
        "error d(1) (the short article this course follows computes one by mistake).",
    ),
    # -- gradient descent ----------------------------------------------------------------------
    "update_adds_gradient": Misconception(
        "GD", "08", "Math: Phase 2, the weight update",
        "The update adds alpha D(l) to Theta(l). D points uphill, in the direction that increases the "
        "cost, so gradient descent subtracts it.",
    ),
    "alpha_ignored": Misconception(
        "GD", "08", "Math: Phase 2, the weight update",
        "The step does not scale with the learning rate alpha you were given.",
    ),
    "update_mismatch": Misconception(
        "GD", "08", "Math: Phase 2, the weight update",
        "The updated weights are not Theta(l) - alpha D(l): every weight moves against its own gradient "
        "entry, scaled by the learning rate.",
    ),
    "inputs_mutated": Misconception(
        "GD", "08", "Code: one step, and its sign",
        "The function changed its input arrays in place. The caller still needs them (for example to "
        "compare before and after, or to retry with another setting): work on copies and hand back new arrays.",
    ),
    # -- gradient checking ---------------------------------------------------------------------
    "one_sided_difference": Misconception(
        "NG", "07", "Math: the central difference",
        "The values match a one-sided difference, (J(Theta + eps) - J(Theta)) / eps or its mirror. Its "
        "error shrinks only like eps; the central difference (NG) evaluates J on both sides and is "
        "accurate to about eps^2.",
    ),
    "perturbation_not_restored": Misconception(
        "NG", "07", "Math: the central difference",
        "A perturbed weight is not put back before the next one is perturbed, so later derivatives are "
        "taken at a shifted point (NG perturbs a single weight, all others at their original values).",
    ),
    "epsilon_ignored": Misconception(
        "NG", "07", "Explore: the step $\\epsilon$",
        "The result does not depend on the epsilon you were given; use the argument, not a constant.",
    ),
    "numerical_gradient_mismatch": Misconception(
        "NG", "07", "Math: the central difference",
        "The values differ from central differences (NG) and match no catalogued slip; perturb one "
        "weight by +epsilon and -epsilon, evaluate the full cost (J) twice, and divide by 2 epsilon.",
    ),
    # -- mini-batches --------------------------------------------------------------------------
    "batches_drop_examples": Misconception(
        "GD", "09", "Math: the gradient of a batch",
        "Some examples appear in no batch. An epoch is one pass over all m examples: when batch_size "
        "does not divide m, the last batch is smaller instead of being left out.",
    ),
    "batches_repeat_examples": Misconception(
        "GD", "09", "Math: the gradient of a batch",
        "Some examples appear in more than one batch (sampling with replacement?). Shuffle the m "
        "columns once (a permutation) and cut them into consecutive batches.",
    ),
    "batches_unpaired": Misconception(
        "GD", "09", "Math: the gradient of a batch",
        "Inputs and targets were shuffled differently: a column of X_batch no longer sits next to its "
        "own target in Y_batch. Draw one permutation and apply it to both.",
    ),
    "batches_not_deterministic": Misconception(
        "GD", "09", "Math: the gradient of a batch",
        "Two calls with the same seed gave different batches; draw the permutation from a generator "
        "made from the seed argument.",
    ),
    "batches_not_shuffled": Misconception(
        "GD", "09", "Math: the gradient of a batch",
        "The batches keep the original order of the examples (or ignore the seed); shuffle the columns "
        "so that each mini-batch is a fair sample.",
    ),
    "batches_wrong_sizes": Misconception(
        "GD", "09", "Math: the gradient of a batch",
        "The batches do not have batch_size columns each (only the last one may be smaller).",
    ),
}


def finding(code, detail=""):
    """The :class:`Finding` for catalogue entry `code`, optionally with a specific `detail` sentence."""
    return _catalogue_finding(code, detail, MISTAKES)


# Findings about any exercise (a changed input, a result of the wrong shape) send the learner back to
# the exercise's own notebook, not to the notebook where the catalogue first met the mistake.
GENERAL = ("inputs_mutated", "wrong_shape")


def for_exercise(found, equation, notebook, shape):
    """`found` (a :class:`Finding`) retold for one exercise: its `equation` and `notebook` key, section Exercise.

    A ``wrong_shape`` finding says the exercise's expected `shape`; other findings are returned as they are.
    """
    if found.code not in GENERAL:
        return found
    text = MISTAKES[found.code].explanation
    if found.code == "wrong_shape":
        text = f"The result does not have the expected shape: {shape}."
    detail = found.message.split(" Reread (")[0]
    for known in {MISTAKES[found.code].explanation, getattr(MISCONCEPTIONS.get(found.code), "explanation", "")}:
        detail = detail.removeprefix(known) if known else detail
    message = f"{text}{' ' + detail.strip() if detail.strip() else ''} Reread ({equation}) in " \
              f"{NOTEBOOKS[notebook]}, section \"Exercise\"."
    return Finding(found.code, message, equation, NOTEBOOKS[notebook])


# -- forward propagation and cost ----------------------------------------------------------------

def diagnose_forward(Theta, X, a, z, activation="sigmoid", output="sigmoid"):
    """Findings for a candidate forward pass ``(a, z)``; ``[]`` when both are right."""
    Theta, X, _ = as_float64(Theta, X, np.zeros((1, 1)))
    L = len(Theta) + 1
    a_true, z_true = forward_unchecked(Theta, X, activation, output)
    a_c, z_c = as_float_dict(a), as_float_dict(z)
    if a_c is None or z_c is None:
        return [finding("wrong_shape", "forward returns two dicts keyed by layer number: a for l = 1 .. L, "
                                       "z for l = 2 .. L.")]
    if dicts_close(a_c, a_true, atol=1e-12) and dicts_close(z_c, z_true, atol=1e-12):
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
    Theta, X, Y = as_float64(Theta, X, Y)
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

_WARNED_AT = re.compile(r"\(in (\w+\.py), line (\d+), function (\w+): (.*)\)$")

# sigmoid_gradient written the wrong way: code -> its values from z and g = g(z).
G_PRIME_VARIANTS = {
    "g_prime_is_g": lambda z, g: g,
    "g_prime_uses_z": lambda z, g: z * (1 - z),
    "g_prime_one_minus_g": lambda z, g: 1 - g,
    "g_prime_mixes_z": lambda z, g: g * (1 - z),
}


def warned_at(warning):
    """(file, line, function, line text) of the learner's code where a warning was raised, or None."""
    match = _WARNED_AT.search(str(warning))
    return (match.group(1), int(match.group(2)), match.group(3), match.group(4)) if match else None


def diagnose_sigmoid(z, values, warnings=(), which="sigmoid"):
    """Findings for what a candidate ``sigmoid`` or ``sigmoid_gradient`` returned on `z`.

    A mistake is named only when the values show it: on inputs where two catalogued mistakes give the
    same values (g(0) = 1 - g(0) = 1/2), neither is named. An overflow is blamed on the function that
    overflowed (from where numpy warned), and an overflow on a line that uses numpy's ``where`` gets
    the explanation of why ``where`` does not prevent it.

    Parameters
    ----------
    z : ndarray
    values : ndarray or None
        What the candidate returned.
    warnings : sequence of str
        Warning messages raised during the call, e.g. "overflow encountered in exp (in ex01_sigmoid.py,
        line 9, function sigmoid_gradient: ...)" (the graded process adds where it happened).
    which : {"sigmoid", "sigmoid_gradient"}
    """
    z = np.asarray(z, dtype=np.float64)
    g = sigmoid(z)
    truth = g if which == "sigmoid" else sigmoid_gradient(z)
    findings = []
    noisy = [w for w in warnings if "overflow" in str(w).lower() or "invalid value" in str(w).lower()]
    try:
        vals = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        vals = None
    finite = vals is not None and vals.shape == z.shape and bool(np.all(np.isfinite(vals)))
    if (noisy or (vals is not None and vals.shape == z.shape and not finite)) and np.max(np.abs(z), initial=0) > 30:
        where = warned_at(noisy[0]) if noisy else None
        function = where[2] if where else which
        detail = f"numpy warned in {function}, line {where[1]} of {where[0]}." if where else ""
        if where and "where(" in where[3].replace(" ", ""):
            findings.append(finding("where_evaluates_both", detail))
        elif function == "sigmoid_gradient":
            findings.append(finding("sigmoid_gradient_overflow", detail))
        else:
            findings.append(finding("sigmoid_overflow", detail))
    if which == "sigmoid_gradient" and finite and not np.allclose(vals, truth, atol=1e-12, rtol=1e-9):
        variants = {code: np.asarray(f(z, g), dtype=np.float64) for code, f in G_PRIME_VARIANTS.items()}
        for code, V in variants.items():
            rivals = [truth] + [W for other, W in variants.items() if other != code]
            if np.allclose(vals, V, atol=1e-12, rtol=1e-9) and not any(
                    np.allclose(V, W, atol=1e-12, rtol=1e-9) for W in rivals):
                findings.append(finding(code))
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
    cand = as_float_dict(new_Theta)
    truth = {l: Theta[l] - alpha * D[l] for l in Theta}
    if dicts_close(cand, truth, atol=1e-12):
        return []
    if not shapes_match(cand, truth):
        return [finding("wrong_shape", "The step returns a dict with Theta's keys and shapes.")]
    if dicts_close(cand, {l: Theta[l] + alpha * D[l] for l in Theta}, atol=1e-12):
        return [finding("update_adds_gradient")]
    if alpha != 1 and (dicts_close(cand, {l: Theta[l] - D[l] for l in Theta}, atol=1e-12)
                       or dicts_close(cand, {l: Theta[l] + D[l] for l in Theta}, atol=1e-12)):
        return [finding("alpha_ignored")]
    return [finding("update_mismatch")]


def _numerical(Theta, X, Y, lambda_, epsilon, model, kind):
    """The numerical gradient (NG) made right ('central') or the catalogued wrong ways.

    'forward' and 'backward' are one-sided differences; 'unrestored+' and 'unrestored-' take both
    sides but leave each weight perturbed (by +epsilon or -epsilon) while the next ones are taken.
    `model` is (activation, output, loss).
    """
    if kind == "central":
        return numerical_gradient_unchecked(Theta, X, Y, lambda_, epsilon, *model)
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
                if kind == "unrestored+":          # perturbed + last, then left there
                    T[i, j] = original + epsilon
                D[l][i, j] = (J_plus - J_minus) / (2 * epsilon)
    return D


def diagnose_numerical_gradient(Theta, X, Y, lambda_, epsilon, D, Theta_after=None,
                                activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    """Findings for a candidate numerical gradient `D`; ``[]`` when it matches central differences (NG).

    `Theta_after`, if given, is Theta as it was after the call (to spot weights left perturbed).
    """
    Theta, X, Y = as_float64(Theta, X, Y)
    model = (activation, output, loss)
    cand = as_float_dict(D)
    truth = _numerical(Theta, X, Y, lambda_, epsilon, model, "central")
    findings = []
    if Theta_after is not None:
        after = as_float_dict(Theta_after)
        if shapes_match(after, Theta) and not dicts_close(after, Theta, rtol=0, atol=0):
            shift = np.concatenate([np.ravel(after[l] - Theta[l]) for l in Theta])
            if np.allclose(np.abs(shift[shift != 0]), epsilon, rtol=1e-6):
                findings.append(finding("perturbation_not_restored",
                                        "Theta itself was left changed by +-epsilon after the call."))
            findings += diagnose_mutation(["Theta"], {"Theta": Theta}, {"Theta": after})
    if cand is not None and dicts_close(cand, truth, rtol=1e-6, atol=1e-9):
        return findings
    if not shapes_match(cand, truth):
        return findings + [finding("wrong_shape", "The numerical gradient has Theta's keys and shapes.")]
    for kind, code in (("forward", "one_sided_difference"), ("backward", "one_sided_difference"),
                       ("unrestored+", "perturbation_not_restored"), ("unrestored-", "perturbation_not_restored")):
        variant = _numerical(Theta, X, Y, lambda_, epsilon, model, kind)
        if dicts_close(cand, variant, rtol=1e-6, atol=1e-9) and code not in [f.code for f in findings]:
            findings.append(finding(code))
    if not findings:
        for other in (1e-4, 1e-5, 1e-3, 1e-6):
            if not np.isclose(other, epsilon) and dicts_close(
                    cand, _numerical(Theta, X, Y, lambda_, other, model, "central"), rtol=1e-7, atol=1e-11) \
                    and not dicts_close(truth, _numerical(Theta, X, Y, lambda_, other, model, "central"),
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
