r"""Phase 2 of the seed: the weight update, repeated over batches until the network is good enough.

.. math:: \Theta^{(l)} := \Theta^{(l)} - \alpha\, D^{(l)}  \quad (GD)

The learning rate alpha is the seed's "ratio"; we step *against* the gradient because D points
uphill. Explained in ``notebooks/08_gradient_descent.ipynb`` and ``notebooks/09_batches_and_training.ipynb``.
"""

import numpy as np

from . import _checks
from ._checks import TrainingDiverged
from .network import backprop_unchecked, cost_unchecked


def gradient_descent_step(Theta, D, alpha):
    r"""One gradient-descent update, Theta(l) - alpha D(l) for every layer.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    D : dict {l: ndarray}, same keys and shapes as Theta
    alpha : float > 0, the learning rate

    Returns
    -------
    dict
        A new Theta; neither Theta nor D is modified.

    Raises
    ------
    TrainingDiverged
        When the step overflows the float range: alpha is far too large.
    """
    Theta = _checks.check_theta(Theta)
    D = _checks.check_D(D, Theta)
    alpha = _checks.check_alpha(alpha)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        new = {l: Theta[l] - alpha * D[l] for l in Theta}                # (GD)
    if not all(np.isfinite(T).all() for T in new.values()):
        biggest = max(float(np.abs(D[l]).max()) for l in D)
        raise TrainingDiverged(
            f"the step Theta - alpha D overflowed the float range (alpha = {alpha:g}, largest |D| = "
            f"{biggest:.3g}): gradient descent is diverging. Start again from bp.init_thetas and use a "
            f"smaller alpha.", alpha=alpha)
    return new


def minibatches(X, Y, batch_size, seed=None):
    """Shuffle the m columns once and cut them into batches; every example is used exactly once.

    Parameters
    ----------
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    batch_size : int, 1 <= batch_size <= m
        The last batch is smaller when batch_size does not divide m.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    list of (X_batch, Y_batch)
        ``X_batch`` of shape (n, b) and ``Y_batch`` of shape (K, b); X and Y are shuffled with
        the same permutation, so each x stays with its y.
    """
    X = _checks.as_matrix("X", X)
    Y = _checks.as_matrix("Y", Y)
    m = X.shape[1]
    if Y.shape[1] != m:
        raise ValueError(f"X has m = {m} columns but Y has {Y.shape[1]}; each example needs its target.")
    batch_size = _checks.check_number("batch_size", batch_size, low=1, high=m, integer=True,
                                      hint=f"X has m = {m} examples; batch_size=m gives one full batch.")
    return _minibatches(X, Y, batch_size, _checks.make_rng(seed))


def _minibatches(X, Y, batch_size, rng):
    """One shuffled pass over the columns, cut into batches (no argument checks)."""
    m = X.shape[1]
    order = rng.permutation(m)
    return [(X[:, order[i:i + batch_size]], Y[:, order[i:i + batch_size]])
            for i in range(0, m, batch_size)]


def train(Theta, X, Y, alpha, lambda_=0.0, epochs=100, batch_size=None, seed=None, callback=None,
          activation="sigmoid", output="sigmoid", loss="cross_entropy", validation=None):
    r"""Gradient descent: repeat (backprop, update) over batches for a number of epochs.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        The starting weights; not modified.
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    alpha : float > 0
        The learning rate.
    lambda_ : float >= 0
    epochs : int >= 1
        Passes over the whole training set.
    batch_size : None or int in 1 .. m
        None: full-batch gradient descent (one update per epoch). b: mini-batches of b examples,
        reshuffled every epoch (m / b updates per epoch); 1 is stochastic gradient descent.
        A batch's gradient averages the data term over its b examples but keeps the penalty at
        (lambda_/m) Theta with m the whole training set, so that on average over an epoch it is the
        gradient of the same J that ``history["cost"]`` records, whatever b is.
    seed : None, int or numpy.random.Generator
        Seeds the shuffling; the same seed gives the same result.
    callback : callable(epoch, Theta, history) -> bool or None, optional
        Called after every epoch (and once with epoch 0 before training). Returning False stops
        training early; widgets use it to draw live.
    activation, output, loss : str
    validation : (X_val, Y_val), optional
        Held-out data whose cost is recorded every epoch as ``history["val_cost"]``.

    Returns
    -------
    Theta : dict
        The trained weights (new arrays).
    history : dict of lists
        ``"epoch"`` (0 .. E), ``"cost"`` (J on the whole training set after each epoch, epoch 0
        is the start), ``"val_cost"`` when validation data is given, and ``"stopped_early"``.

    Raises
    ------
    TrainingDiverged
        When the cost becomes inf or NaN (alpha too large), naming the epoch.
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    alpha = _checks.check_alpha(alpha)
    epochs = _checks.check_number("epochs", epochs, low=1, integer=True,
                                  hint="An epoch is one pass over all m examples.")
    m = X.shape[1]
    if batch_size is not None:
        batch_size = _checks.check_number("batch_size", batch_size, low=1, high=m, integer=True,
                                          hint=f"X has m = {m} examples; use batch_size=None for "
                                               f"full-batch descent, 1 for SGD.")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function (epoch, Theta, history) -> bool; got {callback!r}.")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError("validation must be a pair (X_val, Y_val).")
        X_val = _checks.check_X(validation[0], Theta)
        Y_val = _checks.check_Y(validation[1], Theta, X_val.shape[1], output, loss)
    rng = _checks.make_rng(seed)
    model = dict(activation=activation, output=output, loss=loss)
    # check_theta hands back the caller's own float64 arrays; copy them so that the returned
    # Theta (and what a callback sees) is never the caller's Theta, even when stopped at epoch 0.
    Theta = {l: T.copy() for l, T in Theta.items()}

    history = {"epoch": [], "cost": [], "stopped_early": False}
    if validation is not None:
        history["val_cost"] = []

    def record(epoch):
        J = cost_unchecked(Theta, X, Y, lambda_, **model)
        if not np.isfinite(J):
            raise TrainingDiverged(
                f"training diverged at epoch {epoch}: the cost became {J}. The learning rate "
                f"alpha={alpha:g} is too large for this problem; try alpha={alpha / 10:g}.", alpha=alpha)
        history["epoch"].append(epoch)
        history["cost"].append(J)
        if validation is not None:
            history["val_cost"].append(cost_unchecked(Theta, X_val, Y_val, lambda_, **model))
        return callback is None or callback(epoch, Theta, history) is not False

    with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught by record()
        keep_going = record(0)
        for epoch in range(1, epochs + 1):
            if not keep_going:
                history["stopped_early"] = True
                break
            batches = [(X, Y)] if batch_size is None else _minibatches(X, Y, batch_size, rng)
            for X_b, Y_b in batches:
                # The penalty belongs to the whole training set: lambda/m Theta, not lambda/b Theta,
                # so each batch's D is an unbiased estimate of the full gradient (see the docstring).
                b = X_b.shape[1]
                D = backprop_unchecked(Theta, X_b, Y_b, lambda_ * b / m, **model)
                Theta = {l: Theta[l] - alpha * D[l] for l in Theta}      # (GD)
            keep_going = record(epoch)
    return Theta, history
