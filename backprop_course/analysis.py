r"""Numbers behind the training notebooks (07-12): cost surfaces, descent paths, sweeps, confusion.

Numpy only, like the rest of the core: the plotting and widget modules draw what these functions
compute. Each function says which notebook uses it.

A *weight* here is a triple ``(l, i, j)`` naming the entry :math:`\Theta^{(l)}_{ij}` (column j = 0
is the bias).
"""

import time

import numpy as np

from . import _checks
from .network import _backprop, _checked, _cost, backprop_loop, predict
from .training import train

__all__ = [
    "cost_surface", "descent_path", "hessian_2d", "quadratic_descent", "quadratic_cost", "step_regime",
    "confusion_matrix", "accuracy", "lambda_sweep", "gradient_norms", "glorot_thetas", "hidden_unit_spread",
    "stop_when", "time_backprop",
]


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
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, activation, output, loss)
    weights = _check_weights(weights, Theta)
    n = _checks.check_number("n", n, low=2, integer=True)
    axes = [np.linspace(float(lo), float(hi), n) for lo, hi in ranges]
    W1, W2 = np.meshgrid(*axes)
    model = dict(activation=activation, output=output, loss=loss)
    J = np.empty_like(W1)
    for idx in np.ndindex(*W1.shape):
        J[idx] = _cost(_with(Theta, weights, (W1[idx], W2[idx])), X, Y, lambda_, **model)
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
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, activation, output, loss)
    weights = _check_weights(weights, Theta)
    alpha = _checks.check_alpha(alpha)
    steps = _checks.check_number("steps", steps, low=0, integer=True)
    model = dict(activation=activation, output=output, loss=loss)
    w = np.array([Theta[l][i, j] for l, i, j in weights] if start is None else start, dtype=np.float64)
    path, J = [w.copy()], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps + 1):
            current = _with(Theta, weights, w)
            J.append(_cost(current, X, Y, lambda_, **model))
            if len(path) > steps:
                break
            D = _backprop(current, X, Y, lambda_, **model)
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
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, activation, output, loss)
    weights = _check_weights(weights, Theta)
    model = dict(activation=activation, output=output, loss=loss)
    H = np.empty((2, 2))
    w0 = np.array([Theta[l][i, j] for l, i, j in weights])
    for b in range(2):
        step = np.zeros(2)
        step[b] = epsilon
        D_plus = _backprop(_with(Theta, weights, w0 + step), X, Y, lambda_, **model)
        D_minus = _backprop(_with(Theta, weights, w0 - step), X, Y, lambda_, **model)
        H[:, b] = [(D_plus[l][i, j] - D_minus[l][i, j]) / (2 * epsilon) for l, i, j in weights]
    return (H + H.T) / 2


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
        With :math:`\lambda_{max}` the largest eigenvalue of H and :math:`r = \alpha\lambda_{max}`:
        ``"too small"`` for r < 0.2 (our convention: more than 80 % of the error along the
        steepest direction survives each step), ``"good"`` for 0.2 <= r <= 1 (every direction
        shrinks without changing sign), ``"oscillating"`` for 1 < r < 2 (the steep direction
        overshoots and flips sign but shrinks), ``"diverging"`` for r >= 2 (:math:`|1 - r| \ge 1`:
        it grows).

    Notes
    -----
    Each step multiplies the error along an eigenvector of H by :math:`1 - \alpha\lambda_i`
    (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, section 4.3.1).
    """
    H = _check_H(H)
    alpha = _checks.check_alpha(alpha)
    r = alpha * float(np.linalg.eigvalsh(H).max())
    if r < 0.2:
        return "too small"
    if r <= 1.0:
        return "good"
    if r < 2.0:
        return "oscillating"
    return "diverging"


# -- classification results -----------------------------------------------------------------------

def _labels(name, labels):
    labels = np.asarray(labels)
    if labels.ndim != 1 or (labels.size and not np.issubdtype(labels.dtype, np.integer)):
        raise ValueError(f"{name} must be a 1-D array of integer class labels; got dtype {labels.dtype}, "
                         f"shape {labels.shape}. From one-hot Y use np.argmax(Y, axis=0).")
    return labels


def confusion_matrix(labels_true, labels_pred, K):
    """Counts C[i, j] of examples of true class i predicted as class j.

    Parameters
    ----------
    labels_true, labels_pred : array of int, shape (m,), values 0 .. K-1
    K : int >= 1

    Returns
    -------
    C : ndarray of int, shape (K, K)
        Rows are true classes, columns predictions; the diagonal counts the correct ones.

    Used in ``notebooks/11_handwritten_digits.ipynb``.
    """
    t, p = _labels("labels_true", labels_true), _labels("labels_pred", labels_pred)
    K = _checks.check_number("K", K, low=1, integer=True)
    if t.shape != p.shape:
        raise ValueError(f"labels_true and labels_pred need one label per example each; got shapes "
                         f"{t.shape} and {p.shape}.")
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= K):
        raise ValueError(f"labels must lie in 0 .. {K - 1}; got values from {min(t.min(), p.min())} "
                         f"to {max(t.max(), p.max())}.")
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (t, p), 1)
    return C


def accuracy(labels_true, labels_pred):
    """The fraction of examples whose predicted label equals the true one (0 .. 1)."""
    t, p = _labels("labels_true", labels_true), _labels("labels_pred", labels_pred)
    if t.shape != p.shape or t.size == 0:
        raise ValueError(f"accuracy needs two label arrays of one non-empty shape; got {t.shape} and {p.shape}.")
    return float(np.mean(t == p))


def _true_labels(Y):
    return (Y[0] >= 0.5).astype(np.int64) if Y.shape[0] == 1 else np.argmax(Y, axis=0)


def lambda_sweep(Theta, X_train, Y_train, X_test, Y_test, lambdas, alpha, epochs, batch_size=None, seed=0,
                 progress=None, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""Train once per lambda from the same start and measure train and test performance.

    Parameters
    ----------
    Theta : dict {l: ndarray}
        The common starting weights.
    X_train, Y_train, X_test, Y_test : ndarray, shapes (n, m_train), (K, m_train), (n, m_test), (K, m_test)
    lambdas : sequence of float >= 0, length G
    alpha, epochs, batch_size, seed
        Passed to :func:`~backprop_course.train`.
    progress : callable(k, lambda_, epoch), optional
        Called every epoch while the k-th lambda trains, so a widget can show progress.
    activation, output, loss : str

    Returns
    -------
    dict of ndarray, each of shape (G,) unless said otherwise
        ``"lambda"``; ``"train_cost"`` and ``"test_cost"``, the *unregularized* cost (the data
        term of (J)), so lambdas are compared on the same yardstick; ``"train_accuracy"`` and
        ``"test_accuracy"``; ``"Theta"``, a list of the G trained weight dicts.

    Used in ``notebooks/11_handwritten_digits.ipynb``.
    """
    model = dict(activation=activation, output=output, loss=loss)
    Theta, X_train, Y_train, _ = _checked(Theta, X_train, Y_train, 0.0, **model)
    _, X_test, Y_test, _ = _checked(Theta, X_test, Y_test, 0.0, **model)
    lambdas = [_checks.check_lambda(v) for v in lambdas]
    if not lambdas:
        raise ValueError("lambdas must hold at least one value, such as [0, 0.1, 1, 10].")
    out = {"lambda": np.array(lambdas), "train_cost": [], "test_cost": [], "train_accuracy": [],
           "test_accuracy": [], "Theta": []}
    for k, lambda_ in enumerate(lambdas):
        def callback(epoch, Theta_now, history, k=k, lambda_=lambda_):
            if progress is not None:
                progress(k, lambda_, epoch)
        trained, _ = train(Theta, X_train, Y_train, alpha, lambda_, epochs=epochs, batch_size=batch_size,
                           seed=seed, callback=callback, **model)
        out["Theta"].append(trained)
        out["train_cost"].append(_cost(trained, X_train, Y_train, 0.0, **model))
        out["test_cost"].append(_cost(trained, X_test, Y_test, 0.0, **model))
        out["train_accuracy"].append(accuracy(_true_labels(Y_train), predict(trained, X_train, activation, output)))
        out["test_accuracy"].append(accuracy(_true_labels(Y_test), predict(trained, X_test, activation, output)))
    for key in ("train_cost", "test_cost", "train_accuracy", "test_accuracy"):
        out[key] = np.array(out[key])
    return out


# -- deeper networks ------------------------------------------------------------------------------------

def gradient_norms(D):
    r"""The size of each layer's gradient, :math:`\lVert D^{(l)} \rVert` (Frobenius norm).

    Parameters
    ----------
    D : dict {l: ndarray}

    Returns
    -------
    ndarray, shape (L - 1,)
        Entry l - 1 is the norm of D[l]; in a deep sigmoid stack the first entries are the
        smallest (vanishing gradients, ``notebooks/12_beyond_sigmoid.ipynb``).
    """
    if not isinstance(D, dict) or not D:
        raise TypeError(f"D must be a non-empty dict {{l: ndarray}} like backprop returns; got {type(D).__name__}.")
    return np.array([float(np.linalg.norm(D[l])) for l in sorted(D)])


def glorot_thetas(layer_sizes, seed=None):
    r"""Initial weights scaled to the layer widths: uniform in :math:`\pm\sqrt{6 / (s_l + s_{l+1})}`.

    Parameters
    ----------
    layer_sizes : sequence of int, [s_1, ..., s_L]
    seed : None, int or numpy.random.Generator

    Returns
    -------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}

    Notes
    -----
    Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward neural
    networks", AISTATS: the range keeps the variance of activations and gradients about equal
    from layer to layer for tanh units. A fixed ``epsilon_init`` (:func:`~backprop_course.init_thetas`)
    ignores the widths. Used in ``notebooks/12_beyond_sigmoid.ipynb``.
    """
    s = [_checks.check_number(f"layer_sizes[{k}]", v, low=1, integer=True) for k, v in enumerate(layer_sizes)]
    if len(s) < 2:
        raise ValueError(f"layer_sizes needs at least 2 entries; got {list(layer_sizes)}.")
    rng = _checks.make_rng(seed)
    return {l: rng.uniform(-1, 1, size=(s[l], s[l - 1] + 1)) * np.sqrt(6.0 / (s[l - 1] + s[l]))
            for l in range(1, len(s))}


def hidden_unit_spread(Theta):
    r"""How different the hidden units of each layer are: 0 means they are all the same unit.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}

    Returns
    -------
    dict {l: float} for every hidden layer l = 2 .. L-1
        The largest absolute difference between any hidden unit of layer l and unit 1 of that
        layer, over their incoming weights (rows of Theta[l-1]) and outgoing weights (columns
        of Theta[l]). Units with equal incoming and outgoing weights compute the same value and
        receive the same gradient, so once the spread is 0 training can never separate them
        (``notebooks/12_beyond_sigmoid.ipynb``).
    """
    Theta = _checks.check_theta(Theta)
    L = len(Theta) + 1
    spread = {}
    for l in range(2, L):
        incoming = Theta[l - 1]                     # row i: unit i+1 of layer l
        outgoing = Theta[l][:, 1:].T                # row i: weights leaving unit i+1
        units = np.hstack([incoming, outgoing])
        spread[l] = float(np.max(np.abs(units - units[:1])))
    return spread


def stop_when(target_cost=None, patience=None, min_delta=0.0, on="cost"):
    r"""A ``train`` callback that stops training by a rule ("until the network performs adequately").

    Parameters
    ----------
    target_cost : float, optional
        Stop once the watched cost is at or below this value.
    patience : int >= 1, optional
        Stop once the watched cost has not improved by more than ``min_delta`` for this many
        epochs (early stopping; watch ``"val_cost"`` for held-out data).
    min_delta : float >= 0
    on : {"cost", "val_cost"}
        Which history entry to watch.

    Returns
    -------
    callable(epoch, Theta, history) -> bool
        Returns False (stop) when a rule fires; its ``reason`` attribute then says which.

    Used in ``notebooks/09_batches_and_training.ipynb``.
    """
    if target_cost is None and patience is None:
        raise ValueError("stop_when needs a rule: target_cost=..., patience=..., or both.")
    if patience is not None:
        patience = _checks.check_number("patience", patience, low=1, integer=True)
    min_delta = _checks.check_number("min_delta", min_delta, low=0.0)
    _checks.check_choice("on", on, ("cost", "val_cost"))
    best = {"value": np.inf, "epoch": 0}

    def callback(epoch, Theta, history):
        if on not in history:
            raise ValueError(f"stop_when(on={on!r}) needs history[{on!r}]: pass validation=(X_val, Y_val) to train.")
        value = history[on][-1]
        if target_cost is not None and value <= target_cost:
            callback.reason = f"{on} {value:.4f} reached the target {target_cost} at epoch {epoch}"
            return False
        if value < best["value"] - min_delta:
            best["value"], best["epoch"] = value, epoch
        elif patience is not None and epoch - best["epoch"] >= patience:
            callback.reason = (f"{on} has not improved for {patience} epochs (best {best['value']:.4f} "
                               f"at epoch {best['epoch']}); stopped at epoch {epoch}")
            return False
        return True

    callback.reason = None
    return callback


def time_backprop(Theta, X, Y, repeats=3, lambda_=0.0, activation="sigmoid", output="sigmoid",
                  loss="cross_entropy"):
    r"""Seconds per gradient for the per-example loop and for the vectorized backprop (best of `repeats`).

    Parameters
    ----------
    Theta, X, Y, lambda_, activation, output, loss
        As :func:`~backprop_course.backprop`.
    repeats : int >= 1

    Returns
    -------
    dict
        ``"loop"`` and ``"vectorized"`` in seconds, and ``"speedup"``, their ratio. Timings vary from
        run to run and machine to machine; the ratio is what to read
        (``notebooks/10_vectorization.ipynb``).
    """
    repeats = _checks.check_number("repeats", repeats, low=1, integer=True)
    model = dict(activation=activation, output=output, loss=loss)
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, **model)
    best = {}
    for name, fn in (("loop", backprop_loop), ("vectorized", _backprop)):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn(Theta, X, Y, lambda_, **model)
            times.append(time.perf_counter() - start)
        best[name] = min(times)
    best["speedup"] = best["loop"] / max(best["vectorized"], 1e-12)
    return best
