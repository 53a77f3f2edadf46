"""Argument checks shared by every public function.

Each check either returns a clean float array or raises ``ValueError`` / ``TypeError``
with a message that says which argument is wrong, what was expected, what arrived and
what the likely fix is. A learner reads these messages, so they are written to teach.
"""

import difflib
import numbers

import numpy as np

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .losses import LOSSES, SUPPORTED_PAIRS, UNSUPPORTED_REASONS


def check_choice(name, value, choices):
    """Check that `value` is one of `choices` (a string option such as activation)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {list(choices)}; got {value!r}.")
    if value not in choices:
        close = difflib.get_close_matches(value.lower(), choices, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown {name} {value!r}; choose one of {list(choices)}.{hint}")
    return value


def check_model(activation, output, loss=None):
    """Check the activation, output and (optionally) loss names and that they fit together."""
    check_choice("activation", activation, HIDDEN_ACTIVATIONS)
    check_choice("output", output, OUTPUT_ACTIVATIONS)
    if loss is not None:
        check_choice("loss", loss, LOSSES)
        if (output, loss) not in SUPPORTED_PAIRS:
            reason = UNSUPPORTED_REASONS.get((output, loss), "the course derives d(L) for the pairs "
                                                                   f"{sorted(SUPPORTED_PAIRS)} only")
            raise ValueError(f"output={output!r} with loss={loss!r} is not supported: {reason}.")


def float_dtype(*arrays):
    """float32 when every array is float32, otherwise float64 (the course's default)."""
    # Read .dtype rather than calling np.asarray: the arguments are not checked yet, and a ragged
    # list must reach as_matrix's clear message, not fail here with a bare numpy error.
    if arrays and all(getattr(x, "dtype", None) == np.float32 for x in arrays):
        return np.float32
    return np.float64


def as_matrix(name, value, dtype=None, hint_1d=None):
    """Convert `value` to a finite 2-D float array, or raise a message naming `name`.

    `hint_1d` is the fix suggested when a 1-D array arrives (it depends on what `name` holds).
    """
    if isinstance(value, dict):
        raise TypeError(f"{name} must be a 2-D array, not a dict.")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a 2-D numeric array; could not convert it: {exc}") from None
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        got = "None" if value is None else f"a {type(value).__name__} holding dtype {arr.dtype}"
        raise TypeError(
            f"{name} must be a 2-D array of numbers (int or float); got {got}. "
            f"Convert it first, e.g. np.asarray({name}, dtype=float)."
        )
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real; got complex numbers.")
    if arr.ndim != 2:
        hint = f" {hint_1d}" if arr.ndim == 1 and hint_1d else ""
        raise ValueError(f"{name} must be 2-D; got {arr.ndim}-D with shape {arr.shape}.{hint}")
    arr = arr.astype(dtype or float_dtype(arr), copy=False)
    check_finite(name, arr)
    return arr


def check_finite(name, arr):
    """Raise if `arr` holds NaN or infinity, saying where the first one is."""
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(arr[where]) else "infinity"
        if name.startswith(("Theta", "D[")):
            fix = ("weights and gradients turn into NaN or infinity when gradient descent diverges: "
                   "start again from bp.init_thetas and use a smaller alpha.")
        else:
            fix = "the network can only learn from finite numbers: clean or impute the data first."
        raise ValueError(
            f"{name} contains {int(bad.sum())} non-finite value(s) (first: {kind} at index {where}); {fix}"
        )


def _is_layer_number(key):
    return isinstance(key, numbers.Integral) and not isinstance(key, bool)


def check_theta(Theta):
    """Check that Theta is {1: Theta(1), ..., L-1: Theta(L-1)} with connecting shapes.

    Returns
    -------
    dict
        The same matrices as float arrays (float32 only if all were float32).
    """
    if not isinstance(Theta, dict):
        hint = ""
        if isinstance(Theta, (list, tuple)):
            hint = " A list can be turned into one with {l: T for l, T in enumerate(Theta, start=1)}."
        raise TypeError(
            f"Theta must be a dict keyed by layer number l = 1 .. L-1 "
            f"(Theta[l] maps layer l to layer l+1); got {type(Theta).__name__}.{hint}"
        )
    if not Theta:
        raise ValueError("Theta is empty; a network needs at least Theta[1] (an input and an output layer).")
    expected = list(range(1, len(Theta) + 1))
    # Sort numbers numerically (so 10 comes after 9) and anything else after them, by its text.
    keys = sorted(Theta, key=lambda k: (0, k, "") if _is_layer_number(k) else (1, 0, repr(k)))
    if keys != expected or not all(_is_layer_number(k) for k in keys):
        raise ValueError(
            f"Theta must be keyed 1 .. {len(Theta)} like the course's Theta(1), Theta(2), ...; "
            f"got keys {keys}. Layer numbers start at 1, not 0."
        )
    dtype = float_dtype(*Theta.values())
    clean = {l: as_matrix(f"Theta[{l}]", Theta[l], dtype,
                          hint_1d=f"Theta[{l}] has one row per unit of layer {l + 1} and one column per unit "
                                  f"of layer {l} plus the bias column; for a single unit use "
                                  f"Theta[{l}].reshape(1, -1).")
             for l in expected}
    for l in expected:
        if clean[l].shape[1] < 2:
            raise ValueError(
                f"Theta[{l}] has shape {clean[l].shape}; it needs at least 2 columns "
                f"(column 0 for the bias unit, then one per unit of layer {l})."
            )
    for l in expected[:-1]:
        rows, cols_next = clean[l].shape[0], clean[l + 1].shape[1]
        if cols_next != rows + 1:
            raise ValueError(
                f"Theta[{l}] and Theta[{l + 1}] do not connect: Theta[{l}] has shape "
                f"{clean[l].shape}, so layer {l + 1} has {rows} units and Theta[{l + 1}] "
                f"needs {rows} + 1 = {rows + 1} columns (one for the bias unit); it has {cols_next}. "
                f"bp.init_thetas(layer_sizes) builds a chain that fits."
            )
    return clean


def check_output_units(Theta, output):
    """Check that the output layer suits `output` (a softmax needs K >= 2 units); returns Theta."""
    K = Theta[len(Theta)].shape[0]
    if output == "softmax" and K < 2:
        raise ValueError(
            f"output='softmax' needs K >= 2 output units, one per class, but Theta[{len(Theta)}] has "
            f"{K} row: a softmax over a single unit is always exactly 1, whatever the input. For two classes "
            f"use one unit with output='sigmoid', or give the last layer one unit per class."
        )
    return Theta


def check_X(X, Theta):
    """Check that X is (n, m) with n equal to the input size that Theta[1] expects."""
    n = Theta[1].shape[1] - 1
    hint_1d = f"One example with n = {n} features is a column of shape ({n}, 1): use X.reshape(-1, 1)."
    if n == 1:
        hint_1d += " m examples of a single feature form a row of shape (1, m): use X.reshape(1, -1)."
    X = as_matrix("X", X, float_dtype(X, *Theta.values()), hint_1d=hint_1d)
    if X.shape[0] != n:
        hint = ""
        if X.shape[1] == n:
            hint = " Did you pass examples as rows? Examples are columns here: use X.T."
        raise ValueError(
            f"X has shape {X.shape} but Theta[1] has shape {Theta[1].shape}, so it expects "
            f"{n} input features in rows (X of shape ({n}, m)).{hint}"
        )
    if X.shape[1] == 0:
        raise ValueError("X has no examples (m = 0 columns); pass at least one column.")
    return X


def check_Y(Y, Theta, m, output="sigmoid", loss="cross_entropy"):
    """Check that Y is (K, m) and holds targets the output and loss can work with."""
    L = len(Theta) + 1
    K = Theta[L - 1].shape[0]
    hint_1d = (f"Y holds one column per example, shape (K, m) = ({K}, {m}): "
               + ("0/1 targets of one output unit form a row, use Y.reshape(1, -1)." if K == 1 else
                  f"for class labels 0 .. {K - 1} use bp.one_hot(labels, {K})."))
    # Targets take the network's float type: 0/1 labels are exact in float32, and float64 targets
    # (such as bp.one_hot's) must not silently turn a float32 network's gradient into float64.
    Y = as_matrix("Y", Y, float_dtype(*Theta.values()), hint_1d=hint_1d)
    if Y.shape != (K, m):
        hint = ""
        if Y.shape == (m, K) and K != m:
            hint = " Did you pass examples as rows? Use Y.T."
        elif Y.shape == (1, m) and K > 1:
            hint = f" Y looks like labels; turn it into one column per example with bp.one_hot(labels, {K})."
        elif Y.shape[1] == m:
            hint = (f" Either Y has the wrong number of rows, or the network's last layer should have "
                    f"{Y.shape[0]} units: init_thetas([..., {Y.shape[0]}]).")
        raise ValueError(
            f"Y has shape {Y.shape} but the output layer has K = {K} units "
            f"(Theta[{L - 1}] has shape {Theta[L - 1].shape}) and X has m = {m} examples, "
            f"so Y must have shape ({K}, {m}).{hint}"
        )
    if loss == "cross_entropy":
        if Y.min() < 0 or Y.max() > 1:
            raise ValueError(
                f"Y must lie in [0, 1] for cross-entropy (targets are probabilities); got values "
                f"from {Y.min():g} to {Y.max():g}. Class labels? Use bp.one_hot(labels, K)."
            )
        if output == "softmax":
            sums = Y.sum(axis=0)
            if not np.allclose(sums, 1.0, atol=1e-6):
                t = int(np.argmax(np.abs(sums - 1.0)))
                raise ValueError(
                    f"with a softmax output each column of Y must sum to 1 (one class per example); "
                    f"column {t} sums to {sums[t]:g}. Build Y with bp.one_hot(labels, K)."
                )
    return Y


def check_inputs(Theta, X, Y, lambda_, activation, output, loss):
    """Check and convert the arguments every cost and gradient function takes.

    Returns
    -------
    Theta, X, Y, lambda_
        Theta as checked float arrays, X (n, m), Y (K, m) and lambda_ as a float.
    """
    check_model(activation, output, loss)
    Theta = check_output_units(check_theta(Theta), output)
    X = check_X(X, Theta)
    Y = check_Y(Y, Theta, X.shape[1], output, loss)
    lambda_ = check_lambda(lambda_)
    return Theta, X, Y, lambda_


class TrainingDiverged(FloatingPointError):
    """Gradient descent diverged: the weights, the step or the cost left the float range.

    The one exception for divergence, raised wherever it shows: :func:`backprop_course.train` when
    the cost becomes inf or NaN, :func:`backprop_course.gradient_descent_step` when the step
    Theta - alpha D overflows, and forward propagation, the cost and backpropagation when weights
    larger than 1e3 (what a diverging run leaves behind) overflow the computation.

    Attributes
    ----------
    alpha : float or None
        The learning rate that diverged, when the function that noticed knows it.
    """

    def __init__(self, message, alpha=None):
        super().__init__(message)
        self.alpha = alpha


def check_finite_result(what, values, Theta, X):
    """Raise a teaching error instead of handing back inf or NaN when float arithmetic overflowed.

    Parameters
    ----------
    what : str
        What was computed, e.g. "the gradient D".
    values : iterable of ndarray or float
    Theta, X : the inputs, to say which one is the likely cause.

    Raises
    ------
    TrainingDiverged
        When the weights are larger than 1e3: diverging gradient descent leaves such weights behind.
    ValueError
        When the weights are moderate: the data are then the likely cause.
    """
    if all(np.isfinite(v).all() for v in values):
        return
    big_Theta = max(float(np.abs(T).max()) for T in Theta.values())
    found = (f"{what} is not finite: a number overflowed the float range inside the computation "
             f"(largest |Theta| = {big_Theta:.3g}, largest |X| = {float(np.abs(X).max()):.3g}).")
    if big_Theta > 1e3:
        raise TrainingDiverged(f"{found} Weights this large are what diverging gradient descent leaves behind: "
                               f"start again from bp.init_thetas and use a smaller alpha.")
    raise ValueError(f"{found} The weights are moderate, so the data are the likely cause: rescale X and Y "
                     f"(for example to [0, 1]).")


def check_number(name, value, *, low=None, high=None, low_open=False, integer=False, hint=""):
    """Check that `value` is a real (or whole) number in the given range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "a whole number" if integer else "a number"
        raise TypeError(f"{name} must be {kind}; got {value!r} ({type(value).__name__}).")
    if integer and not isinstance(value, numbers.Integral):
        if float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be a whole number; got {value!r}.")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}.")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and value > high
    if too_low or too_high:
        lo = "" if low is None else (f"> {low}" if low_open else f">= {low}")
        hi = "" if high is None else f"<= {high}"
        rng = " and ".join(s for s in (lo, hi) if s)
        raise ValueError(f"{name} must be {rng}; got {value!r}.{(' ' + hint) if hint else ''}")
    return int(value) if integer else float(value)


def check_lambda(lambda_):
    return check_number(
        "lambda_", lambda_, low=0.0,
        hint="lambda_ is the regularization strength: 0 switches it off, larger values shrink the weights.",
    )


def check_alpha(alpha):
    return check_number(
        "alpha", alpha, low=0.0, low_open=True,
        hint="alpha is the learning rate, the step taken against the gradient; try 0.1 to 1.",
    )


def check_D(D, Theta):
    """Check that D has exactly Theta's keys and shapes."""
    if not isinstance(D, dict):
        raise TypeError(f"D must be a dict keyed like Theta (1 .. {len(Theta)}); got {type(D).__name__}.")
    if sorted(D) != sorted(Theta):
        raise ValueError(f"D has keys {sorted(D)} but Theta has keys {sorted(Theta)}; they must match.")
    clean = {}
    for l in Theta:
        clean[l] = as_matrix(f"D[{l}]", D[l], float_dtype(D[l], Theta[l]))
        if clean[l].shape != Theta[l].shape:
            raise ValueError(
                f"D[{l}] has shape {clean[l].shape} but Theta[{l}] has shape {Theta[l].shape}; "
                f"each gradient D(l) has the shape of the weights it belongs to."
            )
    return clean


def make_rng(seed):
    """A numpy Generator from None, an int or a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        hint = " True and False are not seeds; pass a number such as seed=0." if isinstance(seed, bool) else ""
        raise TypeError(f"seed must be None, an int or a numpy Generator; got {seed!r}.{hint}")
    if seed is not None and seed < 0:
        raise ValueError(f"seed must be a non-negative int; got {seed}.")
    return np.random.default_rng(seed)
