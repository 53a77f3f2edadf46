r"""The cost as a landscape: J over two weights, descent paths on it, its curvature, step regimes.

The numbers behind ``notebooks/08_gradient_descent.ipynb`` and its learning-rate explorer. A *weight*
here is a triple ``(l, i, j)`` naming the entry :math:`\Theta^{(l)}_{ij}` (column j = 0 is the bias);
every other weight is held fixed.

Near a minimum w*, the cost in two weights is about the bowl
:math:`J(w^*) + \tfrac12 (w - w^*)^\top H (w - w^*)` with H the Hessian (:func:`hessian_2d`), and
gradient descent on a bowl behaves in one of five ways set by :math:`\alpha\mu_{max}`, with
:math:`\mu_{max}` the largest eigenvalue (curvature) of H (:func:`step_regime`). Eigenvalues are
written :math:`\mu`, because :math:`\lambda` is the regularization strength everywhere in the course.
:func:`bowl_from_network` finds w* and H for two weights of a trained network. :func:`optimizer_path`
runs momentum, RMSProp and Adam on the same bowl (``notebooks/16_optimizers.ipynb``).

numpy only, like the rest of the core: the plotting and widget modules draw what these functions compute.
"""

import numpy as np

from . import _checks
from .network import backprop_unchecked, cost_unchecked
from .training import adam_step, gradient_descent_step, momentum_step

__all__ = ["cost_surface", "descent_path", "hessian_2d", "bowl_from_network", "quadratic_cost",
           "quadratic_descent", "step_regime", "PATH_OPTIMIZERS", "optimizer_path", "optimizer_sweep"]


def _check_weights(weights, Theta):
    """Check a pair of (l, i, j) triples against Theta's shapes."""
    if not isinstance(weights, (list, tuple)) or len(weights) != 2:
        raise TypeError(f"weights must be a pair of (l, i, j) triples such as ((1, 0, 1), (2, 0, 1)); "
                        f"got {weights!r}.")
    clean = []
    for k, w in enumerate(weights):
        if not isinstance(w, (list, tuple)) or len(w) != 3:
            raise TypeError(f"weights[{k}] must be a triple (l, i, j) naming Theta[l][i, j]; got {w!r}.")
        l, i, j = (int(v) for v in w)
        if l not in Theta or not (0 <= i < Theta[l].shape[0] and 0 <= j < Theta[l].shape[1]):
            shapes = {k_: T.shape for k_, T in Theta.items()}
            raise ValueError(f"weights[{k}] = {w!r} is not an entry of Theta (shapes {shapes}); "
                             f"l counts from 1, i and j from 0.")
        clean.append((l, i, j))
    if clean[0] == clean[1]:
        raise ValueError(f"weights must name two different entries; got {clean[0]} twice.")
    return clean


def _with(Theta, weights, values):
    """A copy of Theta with the named weights set to `values`."""
    new = {l: T.copy() for l, T in Theta.items()}
    for (l, i, j), v in zip(weights, values, strict=True):
        new[l][i, j] = v
    return new


def cost_surface(Theta, X, Y, weights, ranges, n=41, lambda_=0.0, activation="sigmoid",
                 output="sigmoid", loss="cross_entropy"):
    r"""J on a grid of two weights, every other weight held fixed.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    X : ndarray, shape (n_features, m)
    Y : ndarray, shape (K, m)
    weights : pair of (l, i, j)
        The two weights that vary (first along the horizontal axis).
    ranges : pair of (low, high)
        The interval each weight runs over.
    n : int >= 2
        Grid points per axis.
    lambda_ : float >= 0
    activation, output, loss : str

    Returns
    -------
    W1, W2 : ndarray, shape (n, n)
        The grid (``np.meshgrid`` layout: W1 varies along columns).
    J : ndarray, shape (n, n)
        The cost at each grid point.

    Used in ``notebooks/08_gradient_descent.ipynb``.
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    weights = _check_weights(weights, Theta)
    n = _checks.check_number("n", n, low=2, integer=True)
    axes = [np.linspace(float(lo), float(hi), n) for lo, hi in ranges]
    W1, W2 = np.meshgrid(*axes)
    model = dict(activation=activation, output=output, loss=loss)
    J = np.empty_like(W1)
    for idx in np.ndindex(*W1.shape):
        J[idx] = cost_unchecked(_with(Theta, weights, (W1[idx], W2[idx])), X, Y, lambda_, **model)
    return W1, W2, J


def descent_path(Theta, X, Y, weights, alpha, steps, start=None, lambda_=0.0, activation="sigmoid",
                 output="sigmoid", loss="cross_entropy"):
    r"""Gradient descent on two weights of the network, the others held fixed.

    Parameters
    ----------
    Theta, X, Y, weights, lambda_, activation, output, loss
        As :func:`cost_surface`.
    alpha : float > 0
    steps : int >= 0
    start : pair of float, optional
        Starting values of the two weights (default: their values in Theta).

    Returns
    -------
    path : ndarray, shape (steps + 1, 2)
        The two weights after each step, row 0 the start. Each step is (GD) restricted to the
        two weights: :math:`w := w - \alpha\, \partial J / \partial w`, with the partial
        derivatives read from backpropagation's D.
    J : ndarray, shape (steps + 1,)
        The cost along the path (inf once it overflows).
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    weights = _check_weights(weights, Theta)
    alpha = _checks.check_alpha(alpha)
    steps = _checks.check_number("steps", steps, low=0, integer=True)
    model = dict(activation=activation, output=output, loss=loss)
    w = np.array([Theta[l][i, j] for l, i, j in weights] if start is None else start, dtype=np.float64)
    path, J = [w.copy()], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps + 1):
            current = _with(Theta, weights, w)
            J.append(cost_unchecked(current, X, Y, lambda_, **model))
            if len(path) > steps:
                break
            D = backprop_unchecked(current, X, Y, lambda_, **model)
            w = w - alpha * np.array([D[l][i, j] for l, i, j in weights])      # (GD)
            path.append(w.copy())
    return np.array(path), np.array(J)


def hessian_2d(Theta, X, Y, weights, lambda_=0.0, epsilon=1e-5, activation="sigmoid", output="sigmoid",
               loss="cross_entropy"):
    r"""The 2 x 2 matrix of second derivatives of J in two weights, by central differences of D.

    Parameters
    ----------
    Theta, X, Y, weights, lambda_, activation, output, loss
        As :func:`cost_surface`.
    epsilon : float > 0

    Returns
    -------
    H : ndarray, shape (2, 2), symmetric
        :math:`H_{ab} = \partial^2 J / \partial w_a \partial w_b`. Near a minimum w*, J is about
        :math:`J(w^*) + \tfrac12 (w - w^*)^\top H (w - w^*)`: the bowl of
        ``notebooks/08_gradient_descent.ipynb``.
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    weights = _check_weights(weights, Theta)
    model = dict(activation=activation, output=output, loss=loss)
    H = np.empty((2, 2))
    w0 = np.array([Theta[l][i, j] for l, i, j in weights])
    for b in range(2):
        step = np.zeros(2)
        step[b] = epsilon
        D_plus = backprop_unchecked(_with(Theta, weights, w0 + step), X, Y, lambda_, **model)
        D_minus = backprop_unchecked(_with(Theta, weights, w0 - step), X, Y, lambda_, **model)
        H[:, b] = [(D_plus[l][i, j] - D_minus[l][i, j]) / (2 * epsilon) for l, i, j in weights]
    return (H + H.T) / 2


def bowl_from_network(Theta, X, Y, weights, lambda_=0.0, steps=400, activation="sigmoid", output="sigmoid",
                      loss="cross_entropy"):
    r"""The bowl of two weights of a network: their minimum w* (others fixed) and the Hessian there.

    Parameters
    ----------
    Theta, X, Y, weights, lambda_, activation, output, loss
        As :func:`cost_surface`; Theta is usually trained, so the two weights start near their minimum.
    steps : int >= 1
        Gradient-descent steps on the two weights that find w*.

    Returns
    -------
    H : ndarray, shape (2, 2), symmetric
        :func:`hessian_2d` at w*.
    center : ndarray, shape (2,)
        w*, the two weights after `steps` steps of :func:`descent_path` with
        :math:`\alpha = 0.9 / \mu_{max}` of the Hessian at the start: the "good" regime of
        :func:`step_regime`, so the steps shrink towards the minimum without overshooting.

    Used by :meth:`backprop_course.widgets.LearningRateExplorer.from_network` and
    ``notebooks/08_gradient_descent.ipynb``.
    """
    model = dict(activation=activation, output=output, loss=loss)
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, **model)
    weights = _check_weights(weights, Theta)
    steps = _checks.check_number("steps", steps, low=1, integer=True)
    H_start = hessian_2d(Theta, X, Y, weights, lambda_, **model)
    alpha = 0.9 / float(np.linalg.eigvalsh(H_start).max())
    path, _ = descent_path(Theta, X, Y, weights, alpha, steps, lambda_=lambda_, **model)
    center = path[-1]
    return hessian_2d(_with(Theta, weights, center), X, Y, weights, lambda_, **model), center


def _check_H(H):
    H = _checks.as_matrix("H", H)
    if H.shape != (2, 2) or not np.allclose(H, H.T) or np.linalg.eigvalsh(H).min() <= 0:
        raise ValueError(f"H must be a symmetric positive definite 2 x 2 matrix (a bowl with a bottom); "
                         f"got {H.tolist()}. Compute it at a minimum with hessian_2d.")
    return H


def quadratic_cost(H, W1, W2, center=(0.0, 0.0)):
    r"""The bowl :math:`\tfrac12 (w - c)^\top H (w - c)` on a grid.

    Parameters
    ----------
    H : ndarray, shape (2, 2), symmetric positive definite
    W1, W2 : ndarray, same shape
    center : pair of float, c

    Returns
    -------
    ndarray, shape of W1
    """
    H = _check_H(H)
    u, v = W1 - center[0], W2 - center[1]
    return 0.5 * (H[0, 0] * u * u + 2 * H[0, 1] * u * v + H[1, 1] * v * v)


def quadratic_descent(H, start, alpha, steps, center=(0.0, 0.0)):
    r"""Gradient descent on the bowl :math:`\tfrac12 (w - c)^\top H (w - c)`.

    Parameters
    ----------
    H : ndarray, shape (2, 2), symmetric positive definite
    start : pair of float
    alpha : float > 0
    steps : int >= 0
    center : pair of float

    Returns
    -------
    path : ndarray, shape (steps + 1, 2)
        Each step is :math:`w := w - \alpha H (w - c)` (GD); it stops early, keeping the last
        finite point, once the distance from c exceeds 1e6 (diverged).
    """
    H = _check_H(H)
    alpha = _checks.check_alpha(alpha)
    steps = _checks.check_number("steps", steps, low=0, integer=True)
    c = np.asarray(center, dtype=np.float64)
    w = np.asarray(start, dtype=np.float64)
    path = [w.copy()]
    for _ in range(steps):
        w = w - alpha * H @ (w - c)                                          # (GD)
        path.append(w.copy())
        if np.linalg.norm(w - c) > 1e6:
            break
    return np.array(path)


def step_regime(alpha, H):
    r"""Name what gradient descent with learning rate alpha does on the bowl with Hessian H.

    Parameters
    ----------
    alpha : float > 0
    H : ndarray, shape (2, 2), symmetric positive definite

    Returns
    -------
    regime : str
        With :math:`\mu_{max}` the largest eigenvalue of H and :math:`r = \alpha\mu_{max}`, the error
        along the steepest direction is multiplied by :math:`1 - r` at every step:
        ``"too small"`` for r < 0.2 (our convention: more than 80 % of that error survives each
        step), ``"good"`` for 0.2 <= r <= 1 (every direction shrinks without changing sign),
        ``"oscillating"`` for 1 < r < 2 (the steep direction overshoots and flips sign but shrinks),
        ``"steady oscillation"`` for r = 2 (factor -1: it flips sign and keeps its size forever) and
        ``"diverging"`` for r > 2 (:math:`|1 - r| > 1`: it grows).

    Notes
    -----
    Each step multiplies the error along an eigenvector of H by :math:`1 - \alpha\mu_i`
    (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, section 4.3.1). r = 2 is met up to a
    relative tolerance of 1e-9, so that alpha = 2 / mu_max computed in floating point counts.
    """
    H = _check_H(H)
    alpha = _checks.check_alpha(alpha)
    r = alpha * float(np.linalg.eigvalsh(H).max())
    if r < 0.2:
        return "too small"
    if r <= 1.0:
        return "good"
    if abs(r - 2.0) <= 2e-9:
        return "steady oscillation"
    if r < 2.0:
        return "oscillating"
    return "diverging"


# -- other optimizers on the bowl (notebook 16) ----------------------------------------------------------

# Each optimizer of optimizer_path: the library's step it takes and the settings it accepts.
PATH_OPTIMIZERS = {
    "gd": (),
    "momentum": ("beta",),
    "rmsprop": ("beta2", "epsilon"),
    "adam": ("beta1", "beta2", "epsilon"),
}


def _check_path_options(optimizer, options):
    _checks.check_choice("optimizer", optimizer, tuple(PATH_OPTIMIZERS))
    options = {} if options is None else options
    if not isinstance(options, dict):
        raise TypeError(f"options must be a dict of {optimizer}'s settings, such as {{'beta': 0.9}}; "
                        f"got {type(options).__name__}.")
    allowed = PATH_OPTIMIZERS[optimizer]
    unknown = sorted(set(options) - set(allowed), key=str)
    if unknown:
        takes = f"it takes {list(allowed)}" if allowed else "plain gradient descent has no settings besides alpha"
        raise ValueError(f"options {unknown} are not settings of optimizer={optimizer!r}: {takes}.")
    return options


def optimizer_path(H, start, alpha, steps, optimizer="gd", center=(0.0, 0.0), options=None):
    r"""The path of an optimizer on the bowl :math:`\tfrac12 (w - c)^\top H (w - c)`, step by step.

    Every step is one call of the library's own update with the bowl's gradient
    :math:`D = H (w - c)`, the two weights held as a 1 x 2 "Theta":

    - ``"gd"``: :func:`~backprop_course.gradient_descent_step` (GD);
    - ``"momentum"``: :func:`~backprop_course.momentum_step` (M1, M2), the velocity carried over;
    - ``"rmsprop"``: :func:`~backprop_course.adam_step` with ``beta1 = 0``, so that (A1) keeps only the
      latest D and (A5) divides it by the root of the moving average of D squared: per-weight step
      sizes without momentum. (Hinton's RMSProp has no bias correction (A4); with it, as here, the
      first step is alpha whatever the gradient's scale.)
    - ``"adam"``: :func:`~backprop_course.adam_step` (A1-A5), both together.

    Parameters
    ----------
    H, start, alpha, steps
        As :func:`quadratic_descent`: the bowl, the first point, the learning rate, the number of steps.
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
    center : pair of float, c (the minimum)
    options : dict, optional
        The step's settings: ``beta`` (momentum); ``beta2``, ``epsilon`` (rmsprop); ``beta1``,
        ``beta2``, ``epsilon`` (adam). The rest keep the step function's defaults.

    Returns
    -------
    path : ndarray, shape (steps + 1, 2)
        The two weights after each step, row 0 the start. Like :func:`quadratic_descent` it stops
        early, keeping the last point, once the distance from c exceeds 1e6 (diverged).

    Used in ``notebooks/16_optimizers.ipynb`` and by :class:`backprop_course.widgets.OptimizerExplorer`.
    """
    H = _check_H(H)
    options = _check_path_options(optimizer, options)
    alpha = _checks.check_alpha(alpha)
    steps = _checks.check_number("steps", steps, low=0, integer=True)
    c = np.asarray(center, dtype=np.float64)
    w = np.asarray(start, dtype=np.float64)
    if c.shape != (2,) or w.shape != (2,):
        raise ValueError(f"start and center must be pairs of numbers (w1, w2); got shapes {w.shape} and {c.shape}.")
    if optimizer == "rmsprop":
        optimizer, options = "adam", {**options, "beta1": 0.0}
    Theta, state, path = {1: w[None, :]}, None, [w.copy()]
    for _ in range(steps):
        D = {1: (H @ (Theta[1][0] - c))[None, :]}                           # dJ/dw on the bowl
        if optimizer == "gd":
            Theta = gradient_descent_step(Theta, D, alpha)                   # (GD)
        elif optimizer == "momentum":
            Theta, state = momentum_step(Theta, D, state, alpha, **options)  # (M1), (M2)
        else:
            Theta, state = adam_step(Theta, D, state, alpha, **options)      # (A1)-(A5)
        path.append(Theta[1][0].copy())
        if np.linalg.norm(path[-1] - c) > 1e6:
            break
    return np.array(path)


def optimizer_sweep(H, start, alphas, steps, optimizer="gd", center=(0.0, 0.0), options=None):
    r"""The cost on the bowl after `steps` steps of an optimizer, for each learning rate of a list.

    Parameters
    ----------
    H, start, steps, optimizer, center, options
        As :func:`optimizer_path`.
    alphas : sequence of float > 0, length G

    Returns
    -------
    J : ndarray, shape (G,)
        :math:`\tfrac12 (w - c)^\top H (w - c)` at the end of each path; ``inf`` for a path that
        diverged (left the 1e6 radius). The best learning rate for this many steps is
        ``alphas[np.argmin(J)]``.
    """
    alphas = [_checks.check_alpha(a) for a in alphas]
    if not alphas:
        raise ValueError("alphas must hold at least one learning rate, such as [0.1, 1, 10].")
    c = np.asarray(center, dtype=np.float64)
    J = []
    for alpha in alphas:
        path = optimizer_path(H, start, alpha, steps, optimizer, center, options)
        end = path[-1]
        diverged = len(path) < steps + 1
        J.append(np.inf if diverged else float(quadratic_cost(H, end[0], end[1], c)))
    return np.array(J)
