r"""Gradient checking: the numerical gradient by central differences, and relative error.

A backpropagation implementation is only trusted once its D agrees with
:math:`(J(\Theta + \epsilon E_{ij}) - J(\Theta - \epsilon E_{ij})) / (2\epsilon)` for every weight.
Explained in ``notebooks/07_gradient_checking.ipynb``. :func:`check_gradients` goes further: it
compares block by block (each layer, its bias column, the regularization term) and names the mistake
with the course's one catalogue of misconceptions (:mod:`backprop_course.misconceptions`).
"""

import html
from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .activations import ACTIVATIONS
from .network import backprop_unchecked, cost_unchecked, forward_unchecked

# One relative error (:func:`relative_error`) and one set of thresholds for it, used by
# check_gradients, the grader and the notebooks. They are the rules of thumb that Andrew Ng gives for
# exactly this relative error, ||D - N|| / (||D|| + ||N||), in the "Gradient checking" lecture of the
# Deep Learning Specialization (course 2, week 1): about 1e-7 is great, about 1e-5 deserves a careful
# look, 1e-3 or more means a bug. With epsilon = 1e-4 in float64 a correct gradient of the course's
# small networks reaches 1e-9 to 1e-11 (notebook 07 measures it), far below the first threshold.
GRADIENT_OK = 1e-7
"""Below this relative error D and the numerical gradient agree: the gradient is right."""
GRADIENT_WRONG = 1e-3
"""Above this relative error the gradient is almost surely wrong; between the two, look block by block."""


def numerical_gradient(Theta, X, Y, lambda_=0.0, epsilon=1e-4, activation="sigmoid",
                       output="sigmoid", loss="cross_entropy"):
    r"""The gradient of J by central differences, one weight at a time.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    epsilon : float > 0
        The step. 1e-4 is the conventional choice (Andrew Ng's machine-learning course uses it): a
        little to the right of the best step (about 5e-6 in float64, where the truncation error,
        about epsilon^2, meets the round-off error, about 1e-16 / epsilon), so truncation dominates,
        and its error stays far below :data:`GRADIENT_OK` for smooth networks.
    activation, output, loss : str

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}

    Notes
    -----
    .. math::
        \frac{\partial J}{\partial \Theta^{(l)}_{ij}} \approx
        \frac{J(\Theta + \epsilon E_{ij}) - J(\Theta - \epsilon E_{ij})}{2\epsilon}  \quad (NG)

    It costs two forward passes per weight, so use it on small networks only. Theta is never
    modified: the function perturbs a private copy and restores each weight after use.
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    epsilon = _checks.check_number("epsilon", epsilon, low=0.0, low_open=True,
                                   hint="A typical step is 1e-4 (float64).")
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        D = numerical_gradient_unchecked(Theta, X, Y, lambda_, epsilon, activation, output, loss)
    _checks.check_finite_result("the numerical gradient", D.values(), Theta, X)
    return D


def relative_error(A, B):
    r"""Relative error :math:`\lVert A - B\rVert / \max(\lVert A\rVert + \lVert B\rVert, 10^{-300})`.

    Parameters
    ----------
    A, B : ndarray of the same shape, or dicts of such arrays with the same keys (all blocks
        are then measured together).

    Returns
    -------
    float
        0 for identical inputs and at most 1 (reached when B = -A, or when one of them is 0); about
        0.7 (1 / sqrt 2) for two unrelated vectors of similar size. A correct float64 gradient
        against the numerical one with epsilon = 1e-4 is below :data:`GRADIENT_OK` = 1e-7.
    """
    if isinstance(A, dict) or isinstance(B, dict):
        if not (isinstance(A, dict) and isinstance(B, dict)) or sorted(A) != sorted(B):
            raise ValueError("relative_error needs two arrays, or two dicts with the same keys.")
        A = np.concatenate([np.ravel(A[k]) for k in sorted(A)])
        B = np.concatenate([np.ravel(B[k]) for k in sorted(B)])
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if A.shape != B.shape:
        raise ValueError(f"relative_error needs arrays of one shape; got {A.shape} and {B.shape}.")
    for name, arr in (("A", A), ("B", B)):
        if not np.isfinite(arr).all():
            raise ValueError(
                f"relative_error: {name} contains {int((~np.isfinite(arr)).sum())} NaN or infinite value(s), "
                f"so no error can be measured; a gradient with NaN usually comes from a NaN in Theta, X or Y, "
                f"or from dividing by zero in the code that computed it."
            )
    return float(np.linalg.norm(A - B) / max(np.linalg.norm(A) + np.linalg.norm(B), 1e-300))


# -- sweeping epsilon: the truncation / round-off trade-off -------------------------------------

def numerical_gradient_unchecked(Theta, X, Y, lambda_, epsilon, activation, output, loss, dtype=np.float64):
    """The central differences (NG) without argument checks, every number held in `dtype`.

    :func:`numerical_gradient` calls it in float64; :func:`epsilon_sweep` also in float32, to
    *show* what single precision does to the differences (``notebooks/07_gradient_checking.ipynb``).
    It perturbs a private copy of Theta, one weight at a time, and restores each weight after use.
    """
    work = {l: T.astype(dtype, copy=True) for l, T in Theta.items()}
    X = X.astype(dtype)
    Y = Y.astype(dtype)
    step = dtype(epsilon)
    model = dict(activation=activation, output=output, loss=loss)
    D = {}
    for l, T in work.items():
        D[l] = np.zeros(T.shape)
        for i, j in np.ndindex(*T.shape):
            original = T[i, j]
            T[i, j] = original + step
            J_plus = cost_unchecked(work, X, Y, lambda_, **model)
            T[i, j] = original - step
            J_minus = cost_unchecked(work, X, Y, lambda_, **model)
            T[i, j] = original                                           # restore before moving on
            D[l][i, j] = (J_plus - J_minus) / (2 * float(step))            # (NG)
    return D


def epsilon_sweep(Theta, X, Y, epsilons, lambda_=0.0, dtype="float64", activation="sigmoid",
                  output="sigmoid", loss="cross_entropy"):
    r"""Relative error of the numerical gradient against backpropagation, for each step epsilon.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    epsilons : sequence of float > 0, length E
    lambda_ : float >= 0
    dtype : {"float64", "float32"}
        The precision in which J is evaluated for the differences; the reference D is always
        float64 backpropagation.
    activation, output, loss : str

    Returns
    -------
    errors : ndarray of float, shape (E,)
        ``relative_error(numerical, D)`` for each epsilon.

    Notes
    -----
    The central difference (NG) has a truncation error of about :math:`\epsilon^2 J'''/6` and a
    round-off error of about :math:`u\,|J| / \epsilon`, with u the unit round-off (1.1e-16 in
    float64, 6e-8 in float32). Their sum is a U-shaped curve in log-log axes whose bottom sits
    near :math:`\epsilon \approx u^{1/3}`: about 1e-5 in float64 and 4e-3 in float32
    (Nocedal & Wright, *Numerical Optimization*, 2nd ed., section 8.1).
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    dtype = np.dtype(_checks.check_choice("dtype", str(np.dtype(dtype)) if not isinstance(dtype, str)
                                          else dtype, ("float64", "float32"))).type
    epsilons = np.asarray(epsilons, dtype=np.float64).ravel()
    if epsilons.size == 0 or not np.all(np.isfinite(epsilons)) or np.any(epsilons <= 0):
        raise ValueError(f"epsilons must be a non-empty list of positive steps such as "
                         f"np.logspace(-10, -1, 19); got {epsilons!r}.")
    model = dict(activation=activation, output=output, loss=loss)
    Theta64 = {l: T.astype(np.float64) for l, T in Theta.items()}
    D = backprop_unchecked(Theta64, X.astype(np.float64), Y.astype(np.float64), lambda_, **model)
    return np.array([relative_error(numerical_gradient_unchecked(Theta64, X, Y, lambda_, e, **model, dtype=dtype), D)
                     for e in epsilons])


# -- check_gradients: which block disagrees, and why ---------------------------------------------

@dataclass
class BlockCheck:
    """One block of the gradient compared with its numerical estimate.

    Attributes
    ----------
    layer : int
        l, the Theta(l) the block belongs to.
    part : str
        ``"bias column"`` (column j = 0) or ``"weights"`` (columns j >= 1).
    relative_error : float
        ``relative_error(D block, numerical block)``.
    max_abs_difference : float
        The largest entry of ``|D - numerical|`` in the block.
    ok : bool
    """

    layer: int
    part: str
    relative_error: float
    max_abs_difference: float
    ok: bool


@dataclass(repr=False)
class GradientReport:
    r"""What :func:`check_gradients` found: per block agreement and teaching suggestions.

    Attributes
    ----------
    passed : bool
        True when every block agrees to within ``tolerance``.
    relative_error : float
        The whole gradient's relative error.
    tolerance : float
    blocks : list of BlockCheck
        Two per layer: the bias column and the weight columns.
    regularization_relative_error : float or None
        How far the regularization part of D is from :math:`\frac{\lambda}{m}\Theta` (bias
        column 0); None when lambda_ = 0. For a D passed as a dict, the part is estimated as
        D minus the numerical gradient at lambda_ = 0, which assumes the data part is right.
    regularization_ok : bool or None
    suggestions : list of str
        What the check found, in words, most specific first: notes on the check itself (a kink
        near z = 0, float32), then the messages of ``findings``.
    findings : list of :class:`backprop_course.misconceptions.Finding`
        The mistakes :func:`backprop_course.misconceptions.diagnose_gradient` names in D, by code.
    D, numerical : dict {l: ndarray}
        The gradient under test and the central-difference estimate.
    """

    passed: bool
    relative_error: float
    tolerance: float
    blocks: list
    regularization_relative_error: float | None
    regularization_ok: bool | None
    suggestions: list
    findings: list = field(repr=False)
    D: dict = field(repr=False)
    numerical: dict = field(repr=False)

    def failing_blocks(self):
        """The blocks that disagree, as a list of BlockCheck."""
        return [b for b in self.blocks if not b.ok]

    def _rows(self):
        rows = [(f"Theta({b.layer})", b.part, f"{b.relative_error:.2e}", f"{b.max_abs_difference:.2e}",
                 "ok" if b.ok else "DIFFERS") for b in self.blocks]
        if self.regularization_ok is not None:
            rows.append(("regularization", "lambda/m * Theta", f"{self.regularization_relative_error:.2e}",
                         "", "ok" if self.regularization_ok else "DIFFERS"))
        return rows

    def __str__(self):
        verdict = "PASSED" if self.passed else "FAILED"
        lines = [f"gradient check {verdict}: relative error {self.relative_error:.2e} "
                 f"(tolerance {self.tolerance:.0e})"]
        header = ("block", "part", "rel. error", "max |diff|", "")
        rows = [header] + self._rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for r in rows:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        for s in self.suggestions:
            lines.append(f"  -> {s}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        color = "#009E73" if self.passed else "#D55E00"
        verdict = "passed" if self.passed else "failed"
        cells = "".join(
            "<tr>" + "".join(f"<td style='padding:2px 8px'>{html.escape(c)}</td>" for c in r[:4])
            + f"<td style='padding:2px 8px;color:{'#009E73' if r[4] == 'ok' else '#D55E00'}'>"
            f"<b>{r[4]}</b></td></tr>"
            for r in self._rows()
        )
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.suggestions)
        return (f"<div><b style='color:{color}'>Gradient check {verdict}</b>: relative error "
                f"{self.relative_error:.2e} (tolerance {self.tolerance:.0e})"
                "<table><tr><th>block</th><th>part</th><th>rel. error</th><th>max |diff|</th><th></th></tr>"
                f"{cells}</table><ul>{items}</ul></div>")


def check_gradients(Theta, X, Y, lambda_=0.0, D=None, epsilon=1e-4, activation="sigmoid",
                    output="sigmoid", loss="cross_entropy", tolerance=GRADIENT_OK):
    r"""Compare a gradient D with central differences, block by block, and say what is wrong.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        Use a small network: the numerical gradient costs two forward passes per weight.
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    D : None, dict {l: ndarray like Theta[l]}, or callable(Theta, X, Y, lambda_) -> dict
        The gradient under test. None checks the library's own :func:`~backprop_course.backprop`.
        A callable (your backprop) lets the check separate the data part from the
        regularization part by calling it at lambda_ = 0 as well.
    epsilon : float > 0
        The central-difference step (NG).
    activation, output, loss : str
    tolerance : float > 0
        The largest relative error a block may have and still pass; default :data:`GRADIENT_OK`
        (1e-7). Correct float64 code typically reaches 1e-9 or less with epsilon = 1e-4.

    Returns
    -------
    GradientReport
        ``print(report)`` or display it in a notebook; ``report.passed``, ``report.blocks``,
        ``report.suggestions`` for code.

    Notes
    -----
    The blocks are the bias column (j = 0) and the weight columns (j >= 1) of every Theta(l); the
    report's table says which blocks agree. When some do not, the catalogue of misconceptions
    (:func:`backprop_course.misconceptions.diagnose_gradient`) names the mistake if the values show
    one (a regularized bias column, a missing 1/m, g where g' belongs, ...) and otherwise says where
    D differs and by how much. Explained in ``notebooks/07_gradient_checking.ipynb``.
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    epsilon = _checks.check_number("epsilon", epsilon, low=0.0, low_open=True,
                                   hint="A typical step is 1e-4 (float64).")
    tolerance = _checks.check_number("tolerance", tolerance, low=0.0, low_open=True)
    model = dict(activation=activation, output=output, loss=loss)
    m = X.shape[1]
    L = len(Theta) + 1

    if D is None:
        def D(T, X_, Y_, lam):  # noqa: N807 - the library's own backprop is the gradient under test
            return backprop_unchecked(T, X_, Y_, lam, **model)
    gradient_fn = D if callable(D) else None
    D_full = _checks.check_D(gradient_fn(Theta, X, Y, lambda_) if gradient_fn else D, Theta)
    D_full = {l: np.asarray(v, dtype=np.float64) for l, v in D_full.items()}
    N = numerical_gradient(Theta, X, Y, lambda_, epsilon, **model)
    overall = relative_error(D_full, N)
    scale = sum(float(np.linalg.norm(D_full[l])) + float(np.linalg.norm(N[l])) for l in N)

    blocks = []
    for l in range(1, L):
        for part, cols in (("bias column", slice(0, 1)), ("weights", slice(1, None))):
            diff = D_full[l][:, cols] - N[l][:, cols]
            err = relative_error(D_full[l][:, cols], N[l][:, cols])
            # a block whose gradient is ~0 has a noisy relative error: judge it against the whole
            ok = err < tolerance or float(np.linalg.norm(diff)) < tolerance * max(scale, 1e-12)
            blocks.append(BlockCheck(l, part, err, float(np.max(np.abs(diff))), ok))

    reg_error = reg_ok = None
    R = {l: np.zeros_like(Theta[l], dtype=np.float64) for l in Theta}     # the right lambda/m * Theta
    for l in Theta:
        R[l][:, 1:] = (lambda_ / m) * Theta[l][:, 1:]                    # (BP4)
    if lambda_ > 0:
        if gradient_fn:
            D_zero = _checks.check_D(gradient_fn(Theta, X, Y, 0.0), Theta)
            reg_part = {l: D_full[l] - D_zero[l] for l in Theta}
        else:
            N_zero = numerical_gradient(Theta, X, Y, 0.0, epsilon, **model)
            reg_part = {l: D_full[l] - N_zero[l] for l in Theta}
        reg_error = relative_error(reg_part, R)
        reg_ok = reg_error < max(tolerance, 1e-5)

    # the catalogue imports relative_error from this module, so it is loaded here, on first use
    from .misconceptions import diagnose_gradient, finding

    passed = all(b.ok for b in blocks)
    notes = []
    # when D is exactly this library's backpropagation, a disagreement is the numerical estimate's
    # fault (a kink, a step too large or too small): no mistake of the catalogue can explain it
    library_D = backprop_unchecked(Theta, X, Y, lambda_, **model)
    is_library = relative_error(D_full, library_D) < 1e-12
    findings = [] if passed or is_library else diagnose_gradient(Theta, X, Y, lambda_, D_full, **model)
    # with a dict D the regularization part is only an estimate (it assumes the data part is right),
    # so only a callable D earns its own sentence about the regularization
    if gradient_fn is not None and reg_ok is False and not any(
            f.code in ("bias_regularized", "lambda_over_2m_in_D", "regularization_wrong") for f in findings):
        findings.append(finding("regularization_wrong", "Your function's D at lambda_ minus its D at lambda = 0 "
                                                        "is not lambda/m * Theta with a zero bias column."))
    if not passed and not ACTIVATIONS[activation].smooth:
        _, z = forward_unchecked(Theta, X, activation, output)
        near = sum(int(np.sum(np.abs(z[l]) < epsilon)) for l in range(2, L))
        if near:  # the likeliest explanation, so it comes first
            notes.append(f"{near} hidden input(s) z(l) lie within epsilon = {epsilon:g} of the kink of {activation} "
                         f"at 0, where the central difference straddles the corner: disagreements there can be "
                         f"the check's fault, not yours.")
    if Theta[1].dtype == np.float32:
        notes.append("Theta is float32: the check itself runs in float64, but a float32 backprop "
                     "is only good to about 1e-4 relative error; use float64 to check.")
    suggestions = notes + [f.message for f in findings]
    if passed and not suggestions:
        suggestions = [f"D agrees with the numerical gradient in every block (relative error "
                       f"{overall:.1e}); backprop is right for this network."]
    elif not suggestions:
        suggestions = ["D equals this library's backpropagation for these inputs, so the disagreement comes from "
                       "the numerical estimate: try another epsilon, or a tolerance that float64 can reach."]
    return GradientReport(passed, overall, tolerance, blocks, reg_error, reg_ok, suggestions, findings, D_full, N)
