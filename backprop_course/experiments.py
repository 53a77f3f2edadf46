r"""Experiments the notebooks run: lambda sweeps, gradient norms, unit spread, early stopping, timings.

Each function runs the library (training, backpropagation) on a question a notebook asks and returns
the numbers; the plotting and widget modules draw them. Each says which notebook uses it.

numpy only, like the rest of the core.
"""

import time

import numpy as np

from . import _checks
from ._checks import TrainingDiverged
from .activations import ACTIVATIONS
from .gradient_check import numerical_gradient_unchecked, relative_error
from .labels import accuracy, labels_from_outputs
from .network import (
    backprop_loop_unchecked,
    backprop_unchecked,
    cost_unchecked,
    forward_unchecked,
    init_thetas,
    layer_sizes,
    predict,
)
from .training import OPTIMIZERS, train

__all__ = ["lambda_sweep", "gradient_norms", "hidden_unit_spread", "stop_when", "time_backprop", "backprop_passes",
           "time_gradients", "compare_optimizers", "layer_statistics"]


def lambda_sweep(Theta, X_train, Y_train, X_val, Y_val, lambdas, alpha, epochs, batch_size=None, seed=0,
                 progress=None, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""Train once per lambda from the same start and measure training and validation performance.

    Parameters
    ----------
    Theta : dict {l: ndarray}
        The common starting weights.
    X_train, Y_train : ndarray, shapes (n, m_train), (K, m_train)
    X_val, Y_val : ndarray, shapes (n, m_val), (K, m_val)
        Held-out data that chooses lambda: a validation set, never the test set (a lambda chosen on
        the test set makes the test set's accuracy an optimistic estimate).
    lambdas : sequence of float >= 0, length G
    alpha, epochs, batch_size, seed
        Passed to :func:`~backprop_course.train`.
    progress : callable(k, lambda_, epoch), optional
        Called every epoch while the k-th lambda trains, so a widget can show progress.
    activation, output, loss : str

    Returns
    -------
    dict of ndarray, each of shape (G,) unless said otherwise
        ``"lambda"``; ``"train_cost"`` and ``"val_cost"``, the *unregularized* cost (the data
        term of (J), as ``train(validation=...)`` records it), so lambdas are compared on the same
        yardstick; ``"train_accuracy"`` and ``"val_accuracy"``; ``"Theta"``, a list of the G
        trained weight dicts.

    Used in ``notebooks/13_handwritten_digits.ipynb``.
    """
    model = dict(activation=activation, output=output, loss=loss)
    Theta, X_train, Y_train, _ = _checks.check_inputs(Theta, X_train, Y_train, 0.0, **model)
    _, X_val, Y_val, _ = _checks.check_inputs(Theta, X_val, Y_val, 0.0, **model)
    lambdas = [_checks.check_lambda(v) for v in lambdas]
    if not lambdas:
        raise ValueError("lambdas must hold at least one value, such as [0, 0.1, 1, 10].")
    out = {"lambda": np.array(lambdas), "train_cost": [], "val_cost": [], "train_accuracy": [],
           "val_accuracy": [], "Theta": []}
    for k, lambda_ in enumerate(lambdas):
        def callback(epoch, Theta_now, history, k=k, lambda_=lambda_):
            if progress is not None:
                progress(k, lambda_, epoch)
        trained, _ = train(Theta, X_train, Y_train, alpha, lambda_, epochs=epochs, batch_size=batch_size,
                           seed=seed, callback=callback, **model)
        out["Theta"].append(trained)
        out["train_cost"].append(cost_unchecked(trained, X_train, Y_train, 0.0, **model))
        out["val_cost"].append(cost_unchecked(trained, X_val, Y_val, 0.0, **model))
        out["train_accuracy"].append(accuracy(labels_from_outputs(Y_train),
                                              predict(trained, X_train, activation, output)))
        out["val_accuracy"].append(accuracy(labels_from_outputs(Y_val),
                                            predict(trained, X_val, activation, output)))
    for key in ("train_cost", "val_cost", "train_accuracy", "val_accuracy"):
        out[key] = np.array(out[key])
    return out


def gradient_norms(D):
    r"""The size of each layer's gradient, :math:`\lVert D^{(l)} \rVert` (Frobenius norm).

    Parameters
    ----------
    D : dict {l: ndarray}

    Returns
    -------
    ndarray, shape (L - 1,)
        Entry l - 1 is the norm of D[l]; in a deep sigmoid stack the first entries are the
        smallest (vanishing gradients, ``notebooks/15_beyond_sigmoid.ipynb``).
    """
    if not isinstance(D, dict) or not D:
        raise TypeError(f"D must be a non-empty dict {{l: ndarray}} like backprop returns; got {type(D).__name__}.")
    return np.array([float(np.linalg.norm(D[l])) for l in sorted(D)])


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
        (``notebooks/15_beyond_sigmoid.ipynb``).
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
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, **model)
    best = {}
    for name, fn in (("loop", backprop_loop_unchecked), ("vectorized", backprop_unchecked)):
        best[name], _ = _best_time(lambda fn=fn: fn(Theta, X, Y, lambda_, **model), repeats)
    best["speedup"] = best["loop"] / max(best["vectorized"], 1e-12)
    return best


def backprop_passes(Theta):
    r"""Backprop's matrix-product work, counted in forward passes (a number between 2 and 3).

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1

    Returns
    -------
    float

    Notes
    -----
    Per example, a forward pass makes one multiply-add per weight, N in all (F2). The backward pass
    makes N more for :math:`\Delta^{(l)} = d^{(l+1)} a^{(l)\top}` (BP3), and
    :math:`s_l\, s_{l+1}` for each :math:`\Theta^{(l)\top} d^{(l+1)}` with l >= 2 (BP2); layer 1's
    is never computed, since no one needs the inputs' error. So backprop costs
    :math:`2 + \sum_{l \ge 2} s_l s_{l+1} / N` forward passes: 3 at most, fewer with a wide input.
    """
    Theta = _checks.check_theta(Theta)
    s = dict(enumerate(layer_sizes(Theta), start=1))                     # s[l], l = 1 .. L
    N = sum(T.size for T in Theta.values())
    return 2 + sum(s[l] * s[l + 1] for l in range(2, len(Theta) + 1)) / N


def time_gradients(Theta, X, Y, repeats=3, lambda_=0.0, epsilon=1e-4, activation="sigmoid", output="sigmoid",
                   loss="cross_entropy"):
    r"""Time the numerical gradient against backprop on the same network and data, and count their work.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    repeats : int >= 1
        Each gradient is computed `repeats` times and its fastest time kept. One numerical gradient
        costs 2 N forward passes, so keep the network small (the digits' 1,885 weights take seconds).
    lambda_, epsilon, activation, output, loss
        As :func:`~backprop_course.numerical_gradient`.

    Returns
    -------
    dict
        ``"weights"``: N, every entry of every Theta(l), bias columns included.
        ``"numerical_seconds"``, ``"backprop_seconds"``: one gradient each, the best of `repeats`.
        ``"ratio"``: numerical_seconds / backprop_seconds, measured.
        ``"numerical_passes"``: 2 N, the forward passes of the central differences (NG).
        ``"backprop_passes"``: :func:`backprop_passes`, between 2 and 3.
        ``"predicted_ratio"``: numerical_passes / backprop_passes, what counting alone predicts.
        ``"relative_error"``: between the two gradients, to show that both computed the same D.
    """
    repeats = _checks.check_number("repeats", repeats, low=1, integer=True,
                                   hint="repeats is how many times each gradient is timed; the best time is kept.")
    model = dict(activation=activation, output=output, loss=loss)
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, **model)
    epsilon = _checks.check_number("epsilon", epsilon, low=0.0, low_open=True, hint="A typical step is 1e-4.")
    computations = {
        "numerical": lambda: numerical_gradient_unchecked(Theta, X, Y, lambda_, epsilon, **model),   # (NG)
        "backprop": lambda: backprop_unchecked(Theta, X, Y, lambda_, **model),
    }
    result, D = {"weights": sum(T.size for T in Theta.values())}, {}
    with np.errstate(over="ignore", invalid="ignore"):              # a non-finite D is reported by relative_error
        for name, compute in computations.items():
            result[f"{name}_seconds"], D[name] = _best_time(compute, repeats)
    result["ratio"] = result["numerical_seconds"] / max(result["backprop_seconds"], 1e-12)
    result["numerical_passes"] = 2 * result["weights"]
    result["backprop_passes"] = backprop_passes(Theta)
    result["predicted_ratio"] = result["numerical_passes"] / result["backprop_passes"]
    result["relative_error"] = relative_error(D["numerical"], D["backprop"])
    return result


def _best_time(compute, repeats):
    """(the fastest of `repeats` timed calls of compute(), in seconds, and its last result)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = compute()
        times.append(time.perf_counter() - start)
    return min(times), result


def compare_optimizers(layer_sizes, X_train, Y_train, X_val, Y_val, alphas, epochs, seeds=(1, 2, 3, 4, 5),
                       batch_size=None, sweep_seed=0, optimizer_options=None, lambda_=0.0, epsilon_init=0.12,
                       activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""Each optimizer at its best learning rate: a small sweep on held-out data, then several seeds.

    Parameters
    ----------
    layer_sizes : sequence of int
        The network, as for :func:`~backprop_course.init_thetas`.
    X_train, Y_train : ndarray, shapes (n, m) and (K, m)
    X_val, Y_val : ndarray, shapes (n, m_val) and (K, m_val)
        Held-out data that chooses the learning rate (never the data the final numbers are judged on).
    alphas : dict {optimizer: sequence of float > 0}
        The learning rates to try for each optimizer of :func:`~backprop_course.train`
        (``"gd"``, ``"momentum"``, ``"adam"``).
    epochs : int >= 1
    seeds : sequence of int
        Each seed draws the starting weights (``init_thetas(seed=s)``) and shuffles the batches
        (``train(seed=s)``); every optimizer gets the same seeds.
    batch_size : None or int
    sweep_seed : int
        The one seed of the sweep.
    optimizer_options : dict {optimizer: dict}, optional
        Settings passed to :func:`~backprop_course.train` as ``optimizer_options``.
    lambda_, epsilon_init, activation, output, loss
        As for :func:`~backprop_course.train` and :func:`~backprop_course.init_thetas`.

    Returns
    -------
    dict
        ``"sweep"``: {optimizer: ndarray of shape (G,)}, the held-out cost after `epochs` epochs for
        each learning rate (``inf`` when training diverged). ``"alpha"``: {optimizer: the learning
        rate with the lowest held-out cost}. ``"cost"`` and ``"val_cost"``: {optimizer: ndarray of
        shape (S, epochs + 1)}, the training and held-out cost of each seed at its best learning
        rate, epoch 0 the start. ``"Theta"``: {optimizer: list of the S trained weight dicts}.

    Used in ``notebooks/16_optimizers.ipynb``.
    """
    model = dict(activation=activation, output=output, loss=loss)
    if not isinstance(alphas, dict) or not alphas:
        raise TypeError("alphas must be a dict {optimizer: [learning rates]}, such as {'gd': [0.3, 1, 3]}.")
    grids = {}
    for optimizer, grid in alphas.items():
        _checks.check_choice("optimizer", optimizer, OPTIMIZERS)
        if isinstance(grid, (str, bytes)) or not hasattr(grid, "__len__"):
            raise TypeError(f"alphas[{optimizer!r}] must be a list of learning rates such as [0.1, 1]; got {grid!r}.")
        if len(grid) == 0:
            raise ValueError(f"alphas[{optimizer!r}] is empty; give at least one learning rate.")
        grids[optimizer] = [_checks.check_alpha(a) for a in grid]
    options = optimizer_options or {}
    seeds = [_checks.check_number("seeds entry", s, low=0, integer=True) for s in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed, such as (1, 2, 3).")

    def run(optimizer, alpha, seed):
        Theta = init_thetas(layer_sizes, epsilon_init, seed=seed)
        return train(Theta, X_train, Y_train, alpha, lambda_, epochs=epochs, batch_size=batch_size, seed=seed,
                     validation=(X_val, Y_val), optimizer=optimizer, optimizer_options=options.get(optimizer),
                     **model)

    out = {"sweep": {}, "alpha": {}, "cost": {}, "val_cost": {}, "Theta": {}}
    for optimizer, grid in grids.items():
        held_out = []
        for alpha in grid:
            try:
                held_out.append(run(optimizer, alpha, sweep_seed)[1]["val_cost"][-1])
            except TrainingDiverged:
                held_out.append(np.inf)
        held_out = np.array(held_out)
        if not np.isfinite(held_out).any():
            raise TrainingDiverged(f"{optimizer}: training diverged at every learning rate of {list(grid)}; "
                                   f"try smaller ones.")
        out["sweep"][optimizer] = held_out
        out["alpha"][optimizer] = grid[int(np.argmin(held_out))]
        runs = [run(optimizer, out["alpha"][optimizer], seed) for seed in seeds]
        out["cost"][optimizer] = np.array([history["cost"] for _, history in runs])
        out["val_cost"][optimizer] = np.array([history["val_cost"] for _, history in runs])
        out["Theta"][optimizer] = [Theta for Theta, _ in runs]
    return out


def layer_statistics(Theta, X, Y, lambda_=0.0, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""What each layer passes forward and what each weight matrix receives back, for histograms.

    Parameters
    ----------
    Theta, X, Y, lambda_, activation, output, loss
        As for :func:`~backprop_course.backprop`.

    Returns
    -------
    dict
        ``"a"``: {l: ndarray of shape (s_l, m)} for the hidden layers l = 2 .. L-1, the activations
        :math:`a^{(l)}` without the bias row. ``"g_prime"``: {l: ndarray of shape (s_l, m)} for the
        same layers, the slopes :math:`g'(z^{(l)})` (near 0 where a unit is saturated or, for relu,
        inactive: such a unit passes almost no error back). ``"D"``: {l: ndarray of shape
        (s_{l+1}, s_l)} for l = 1 .. L-1, the gradient :math:`D^{(l)}` without its bias column.
        ``"a_std"`` and ``"D_std"``: {l: float}, the standard deviation of each.

    Notes
    -----
    At a good starting point the spread of :math:`a^{(l)}` and of :math:`D^{(l)}` stays about the
    same from layer to layer; a spread that shrinks layer after layer is a vanishing signal, one
    that grows is exploding (``notebooks/17_initialization.ipynb``).
    """
    model = dict(activation=activation, output=output, loss=loss)
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, **model)
    L = len(Theta) + 1
    with np.errstate(over="ignore", invalid="ignore"):              # overflow is reported below
        a, z = forward_unchecked(Theta, X, activation, output)
        D = backprop_unchecked(Theta, X, Y, lambda_, **model)
        hidden = {l: a[l][1:].copy() for l in range(2, L)}
        slopes = {l: ACTIVATIONS[activation].g_prime(z[l]) for l in range(2, L)}
    weights = {l: D[l][:, 1:].copy() for l in D}
    _checks.check_finite_result("the activations and gradients", [*hidden.values(), *weights.values()], Theta, X)
    return {"a": hidden, "g_prime": slopes, "D": weights,
            "a_std": {l: float(np.std(v)) for l, v in hidden.items()},
            "D_std": {l: float(np.std(v)) for l, v in weights.items()}}
