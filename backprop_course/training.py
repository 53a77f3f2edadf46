r"""Phase 2 of the article: the weight update, repeated over batches until the network is good enough.

.. math:: \Theta^{(l)} := \Theta^{(l)} - \alpha\, D^{(l)}  \quad (GD)

The learning rate alpha is the article's "ratio"; we step *against* the gradient because D points
uphill. Explained in ``notebooks/08_gradient_descent.ipynb`` and ``notebooks/09_batches_and_training.ipynb``.
Beyond the plain step: momentum (M1, M2), Adam (A1-A5) and clipping the gradient's norm (CLIP).
"""

import inspect
import math

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
    _raise_if_overflowed("the step Theta - alpha D", new.values(), D, alpha,
                         "gradient descent is diverging. Start again from bp.init_thetas and use a smaller alpha.")
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


OPTIMIZERS = ("gd", "momentum", "adam")


def train(Theta, X, Y, alpha, lambda_=0.0, epochs=100, batch_size=None, seed=None, callback=None,
          activation="sigmoid", output="sigmoid", loss="cross_entropy", validation=None,
          optimizer="gd", optimizer_options=None, clip_norm=None):
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
        Held-out data whose cost is recorded every epoch as ``history["val_cost"]``: the data term
        of (J) only, without the penalty (lambda/2m) sum Theta^2, so that runs with different
        lambda are judged by the same yardstick (the playground's test curve and
        :func:`backprop_course.experiments.lambda_sweep` measure the same; notebooks 09 and 13).
    optimizer : {"gd", "momentum", "adam"}
        The update made with each batch's D: :func:`gradient_descent_step` (GD),
        :func:`momentum_step` (M1, M2) or :func:`adam_step` (A1-A5). The velocity or Adam's state
        is kept from batch to batch and epoch to epoch, so full-batch training for E epochs takes
        exactly E steps.
    optimizer_options : dict, optional
        The step function's settings, e.g. ``{"beta": 0.95}`` for momentum or
        ``{"beta1": 0.9, "beta2": 0.99}`` for Adam; the rest keep their defaults.
    clip_norm : None or float > 0
        When given, each batch's D is passed through :func:`clip_by_norm` before the step.

    Returns
    -------
    Theta : dict
        The trained weights (new arrays).
    history : dict of lists
        ``"epoch"`` (0 .. E), ``"cost"`` (J on the whole training set after each epoch, epoch 0
        is the start, the regularized J that training minimizes), ``"val_cost"`` when validation
        data is given (the data term only), ``"clipped"`` when clip_norm is
        given (how many of the epoch's steps had D clipped; 0 at epoch 0), and ``"stopped_early"``.

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
    _checks.check_choice("optimizer", optimizer, OPTIMIZERS)
    options = _check_optimizer_options(optimizer, optimizer_options)
    if clip_norm is not None:
        clip_norm = _checks.check_number("clip_norm", clip_norm, low=0.0, low_open=True,
                                         hint="clip_norm is the largest ||D|| allowed; None switches clipping off.")
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
    if clip_norm is not None:
        history["clipped"] = []
    state = _initial_state(optimizer, Theta)

    def record(epoch, clipped):
        J = cost_unchecked(Theta, X, Y, lambda_, **model)
        if not np.isfinite(J):
            raise TrainingDiverged(
                f"training diverged at epoch {epoch}: the cost became {J}. The learning rate "
                f"alpha={alpha:g} is too large for this problem; try alpha={alpha / 10:g}.", alpha=alpha)
        history["epoch"].append(epoch)
        history["cost"].append(J)
        if validation is not None:
            history["val_cost"].append(cost_unchecked(Theta, X_val, Y_val, 0.0, **model))   # data term only
        if clip_norm is not None:
            history["clipped"].append(clipped)
        return callback is None or callback(epoch, Theta, history) is not False

    with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught by record()
        keep_going = record(0, clipped=0)
        for epoch in range(1, epochs + 1):
            if not keep_going:
                history["stopped_early"] = True
                break
            batches = [(X, Y)] if batch_size is None else _minibatches(X, Y, batch_size, rng)
            clipped = 0
            for X_b, Y_b in batches:
                # The penalty belongs to the whole training set: lambda/m Theta, not lambda/b Theta,
                # so each batch's D is an unbiased estimate of the full gradient (see the docstring).
                b = X_b.shape[1]
                D = backprop_unchecked(Theta, X_b, Y_b, lambda_ * b / m, **model)
                if clip_norm is not None:
                    D, norm = _clip_by_norm(D, clip_norm)                # (CLIP)
                    clipped += int(norm > clip_norm)
                Theta, state = _update(optimizer, Theta, D, state, alpha, options)   # (GD), (M1-M2) or (A1-A5)
            keep_going = record(epoch, clipped)
    return Theta, history


# -- beyond plain gradient descent: momentum, Adam and clipping ----------------------------------------

def _check_decay(name, value, hint):
    """A decay rate (beta, beta1, beta2) in [0, 1): at 1 a moving average never forgets its start."""
    value = _checks.check_number(name, value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be >= 0 and < 1; got {value!r}. {hint}")
    return value


def _check_momentum_options(beta):
    hint = "beta is the fraction of the velocity kept from one step to the next; 0.9 is usual, 0 is plain descent."
    return {"beta": _check_decay("beta", beta, hint)}


def _check_adam_options(beta1, beta2, epsilon):
    return {
        "beta1": _check_decay("beta1", beta1, "beta1 is the decay of the moving average of D; Adam's paper uses 0.9."),
        "beta2": _check_decay("beta2", beta2,
                              "beta2 is the decay of the moving average of D squared; Adam's paper uses 0.999."),
        "epsilon": _checks.check_number("epsilon", epsilon, low=0.0, low_open=True,
                                        hint="epsilon keeps the step finite where D is 0; Adam's paper uses 1e-8."),
    }


def _zeros_like(Theta):
    return {l: np.zeros_like(T) for l, T in Theta.items()}


def _check_like_Theta(name, value, Theta):
    """An optimizer's per-layer arrays (the velocity, Adam's m and v): Theta's keys and shapes, finite."""
    start_over = "pass what the previous step returned, or None to start from zeros"
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict keyed like Theta (1 .. {len(Theta)}); got "
                        f"{type(value).__name__}. {start_over.capitalize()}.")
    if set(value) != set(Theta):
        raise ValueError(f"{name} has keys {sorted(value, key=str)} but Theta has keys {sorted(Theta)}; {start_over}.")
    clean = {}
    for l, T in Theta.items():
        try:
            clean[l] = np.asarray(value[l], dtype=T.dtype)
        except (TypeError, ValueError):
            raise TypeError(f"{name}[{l}] must be an array of numbers shaped like Theta[{l}] {T.shape}; "
                            f"got {type(value[l]).__name__}; {start_over}.") from None
        if clean[l].shape != T.shape:
            raise ValueError(f"{name}[{l}] has shape {clean[l].shape} but Theta[{l}] has shape {T.shape}; "
                             f"{start_over}.")
        if not np.isfinite(clean[l]).all():
            raise ValueError(f"{name}[{l}] contains NaN or infinity, which earlier steps leave behind when they "
                             f"diverge; start again from bp.init_thetas with {name.split('[')[0]}=None and a "
                             f"smaller alpha.")
    return clean


def _raise_if_overflowed(step, arrays, D, alpha, fix):
    """A teaching error instead of weights or optimizer state that overflowed to inf or NaN."""
    if all(np.isfinite(A).all() for A in arrays):
        return
    biggest = max(float(np.abs(D[l]).max()) for l in D)
    raise TrainingDiverged(f"{step} overflowed the float range (alpha = {alpha:g}, largest |D| = {biggest:.3g}): "
                           f"{fix}", alpha=alpha)


def _momentum(Theta, D, velocity, alpha, beta):
    """(M1) and (M2) without argument checks."""
    velocity = {l: beta * velocity[l] + D[l] for l in Theta}                 # (M1)
    Theta = {l: Theta[l] - alpha * velocity[l] for l in Theta}                # (M2)
    return Theta, velocity


def momentum_step(Theta, D, velocity, alpha, beta=0.9):
    r"""One step of gradient descent with momentum (the heavy ball) for every layer.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    D : dict {l: ndarray}, same keys and shapes as Theta
    velocity : dict {l: ndarray} like Theta, or None
        The velocity the previous step returned; None starts from zeros (the first step is then
        plain gradient descent).
    alpha : float > 0, the learning rate
    beta : float in [0, 1)
        The fraction of the velocity kept from step to step; 0 gives plain gradient descent.

    Returns
    -------
    Theta : dict {l: ndarray}
        The new weights.
    velocity : dict {l: ndarray}
        The new velocity, to pass to the next step. Neither Theta, D nor velocity is modified.

    Notes
    -----
    .. math::
        v^{(l)} := \beta\, v^{(l)} + D^{(l)}  \quad (M1) \qquad
        \Theta^{(l)} := \Theta^{(l)} - \alpha\, v^{(l)}  \quad (M2)

    The velocity is a running sum of past gradients, so steady directions speed up and directions
    whose sign alternates (the zig-zag across a narrow valley) cancel. This is the convention of
    ``torch.optim.SGD(momentum=beta)`` with dampening 0.
    """
    Theta = _checks.check_theta(Theta)
    D = _checks.check_D(D, Theta)
    alpha = _checks.check_alpha(alpha)
    options = _check_momentum_options(beta)
    velocity = _zeros_like(Theta) if velocity is None else _check_like_Theta("velocity", velocity, Theta)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        Theta, velocity = _momentum(Theta, D, velocity, alpha, **options)
    _raise_if_overflowed("momentum_step", [*Theta.values(), *velocity.values()], D, alpha,
                         "the weights are diverging. Start again from bp.init_thetas with a smaller alpha "
                         "(or beta).")
    return Theta, velocity


def _adam(Theta, D, state, alpha, beta1, beta2, epsilon):
    """(A1)-(A5) without argument checks."""
    t = state["t"] + 1
    m = {l: beta1 * state["m"][l] + (1 - beta1) * D[l] for l in Theta}              # (A1)
    v = {l: beta2 * state["v"][l] + (1 - beta2) * D[l] ** 2 for l in Theta}         # (A2)
    new = {}
    for l in Theta:
        m_hat = m[l] / (1 - beta1 ** t)                                             # (A3)
        v_hat = v[l] / (1 - beta2 ** t)                                             # (A4)
        new[l] = Theta[l] - alpha * m_hat / (np.sqrt(v_hat) + epsilon)              # (A5)
    return new, {"t": t, "m": m, "v": v}


def _check_adam_state(state, Theta):
    """The state a previous adam_step returned, checked; None gives step 0 with m = v = 0."""
    if state is None:
        return _initial_state("adam", Theta)
    if not isinstance(state, dict) or set(state) != {"t", "m", "v"}:
        got = f"keys {sorted(state, key=str)}" if isinstance(state, dict) else type(state).__name__
        raise TypeError(f"state must be None (before the first step) or the dict the previous adam_step "
                        f"returned, with keys 't', 'm' and 'v'; got {got}.")
    t = _checks.check_number("state['t']", state["t"], low=0, integer=True, hint="t counts the steps taken so far.")
    m = _check_like_Theta("state['m']", state["m"], Theta)
    v = _check_like_Theta("state['v']", state["v"], Theta)
    for l in v:
        if (v[l] < 0).any():
            raise ValueError(f"state['v'][{l}] has negative entries, but v averages squared gradients and is "
                             f"never negative; pass the state the previous adam_step returned, or None.")
    return {"t": t, "m": m, "v": v}


def adam_step(Theta, D, state, alpha, beta1=0.9, beta2=0.999, epsilon=1e-8):
    r"""One Adam step for every layer (Kingma & Ba, 2015, Algorithm 1, with bias correction).

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    D : dict {l: ndarray}, same keys and shapes as Theta
    state : dict or None
        ``{"t": steps taken so far, "m": {l: ndarray like Theta[l]}, "v": {l: ndarray like Theta[l]}}``
        as the previous step returned it; None starts at t = 0 with m = v = 0. Here m and v are
        Adam's moving averages (the paper's names), not the number of examples.
    alpha : float > 0, the step size
    beta1, beta2 : float in [0, 1)
        Decay rates of the moving averages of D and of D squared.
    epsilon : float > 0
        Keeps the division finite where D has been 0.

    Returns
    -------
    Theta : dict {l: ndarray}
        The new weights.
    state : dict
        The new state (t one larger), to pass to the next step. Neither Theta, D nor state is modified.

    Notes
    -----
    With :math:`t := t + 1`, elementwise:

    .. math::
        m^{(l)} := \beta_1 m^{(l)} + (1 - \beta_1) D^{(l)}  \quad (A1) \qquad
        v^{(l)} := \beta_2 v^{(l)} + (1 - \beta_2) \bigl(D^{(l)}\bigr)^2  \quad (A2)

        \hat m^{(l)} = \frac{m^{(l)}}{1 - \beta_1^t}  \quad (A3) \qquad
        \hat v^{(l)} = \frac{v^{(l)}}{1 - \beta_2^t}  \quad (A4) \qquad
        \Theta^{(l)} := \Theta^{(l)} - \alpha\, \frac{\hat m^{(l)}}{\sqrt{\hat v^{(l)}} + \epsilon}  \quad (A5)

    m and v start at 0, so early averages are too small by the factors :math:`1 - \beta^t`; (A3) and
    (A4) divide those out, and each weight's first step is alpha whatever the scale of its gradient.
    Without them, the first step would be :math:`(1 - \beta_1) / \sqrt{1 - \beta_2} \approx 3.2`
    times alpha with the default betas. The same numbers as ``torch.optim.Adam(lr=alpha)`` with its
    defaults.
    """
    Theta = _checks.check_theta(Theta)
    D = _checks.check_D(D, Theta)
    alpha = _checks.check_alpha(alpha)
    options = _check_adam_options(beta1, beta2, epsilon)
    state = _check_adam_state(state, Theta)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        Theta, state = _adam(Theta, D, state, alpha, **options)
    _raise_if_overflowed("adam_step", [*Theta.values(), *state["m"].values(), *state["v"].values()], D, alpha,
                         "D is too large to square in float arithmetic. Clip it first with bp.clip_by_norm.")
    return Theta, state


def _clip_by_norm(D, max_norm):
    """(CLIP) without argument checks: (D clipped, the global norm of D)."""
    biggest = max(float(np.abs(D[l]).max()) for l in D)
    if biggest == 0:
        return {l: D[l].copy() for l in D}, 0.0
    # Divide by the largest entry before squaring: an exploding D of 1e200 would overflow when squared.
    root = math.sqrt(sum(float(np.sum((D[l] / biggest) ** 2)) for l in D))
    norm = biggest * root                                                      # ||D|| over all layers
    if norm <= max_norm:
        return {l: D[l].copy() for l in D}, norm
    scale = max_norm / biggest / root                                         # max_norm / ||D||
    return {l: scale * D[l] for l in D}, norm                                 # (CLIP)


def clip_by_norm(D, max_norm):
    r"""Scale the whole gradient down when its global norm, over all layers, exceeds max_norm.

    Parameters
    ----------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        A gradient as ``bp.backprop`` returns it.
    max_norm : float > 0

    Returns
    -------
    D_clipped : dict {l: ndarray}
        New arrays: a copy of D when :math:`\lVert D\rVert \le` max_norm, otherwise D scaled to norm
        max_norm. D is not modified.
    norm : float
        :math:`\lVert D\rVert` before clipping; clipping happened exactly when ``norm > max_norm``.

    Notes
    -----
    .. math::
        \lVert D\rVert = \sqrt{\textstyle\sum_l \sum_{i,j} \bigl(D^{(l)}_{ij}\bigr)^2}, \qquad
        D^{(l)} := \frac{\text{max\_norm}}{\lVert D\rVert}\, D^{(l)} \ \text{ if } \lVert D\rVert > \text{max\_norm}
        \quad (CLIP)

    One factor for all layers keeps the direction of the step and only shortens it; clipping each
    layer, or each entry, separately would turn it.
    """
    if not isinstance(D, dict) or not D:
        raise TypeError(f"D must be a non-empty dict {{l: D(l)}} as bp.backprop returns it; got {D!r:.80}.")
    D = {l: _checks.as_matrix(f"D[{l}]", D[l]) for l in D}
    max_norm = _checks.check_number("max_norm", max_norm, low=0.0, low_open=True,
                                    hint="max_norm is the largest length ||D|| allowed, over all layers.")
    return _clip_by_norm(D, max_norm)


def _check_optimizer_options(optimizer, options):
    """optimizer_options checked against the step function's own keyword arguments and defaults."""
    step = {"gd": gradient_descent_step, "momentum": momentum_step, "adam": adam_step}[optimizer]
    defaults = {name: p.default for name, p in inspect.signature(step).parameters.items()
                if p.default is not inspect.Parameter.empty}
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise TypeError(f"optimizer_options must be a dict of {step.__name__}'s settings, such as "
                        f"{defaults or {}}; got {type(options).__name__}.")
    unknown = sorted(set(options) - set(defaults), key=str)
    if unknown:
        takes = (f"it takes {sorted(defaults)} (defaults {defaults})" if defaults else
                 "plain gradient descent has no settings besides alpha")
        own = " alpha is train's own argument." if "alpha" in unknown else ""
        raise ValueError(f"optimizer_options {unknown} are not settings of optimizer={optimizer!r}: {takes}.{own}")
    chosen = {**defaults, **options}
    if optimizer == "momentum":
        return _check_momentum_options(**chosen)
    if optimizer == "adam":
        return _check_adam_options(**chosen)
    return {}


def _initial_state(optimizer, Theta):
    """What the optimizer remembers between steps, before the first step."""
    if optimizer == "momentum":
        return _zeros_like(Theta)                                              # velocity 0
    if optimizer == "adam":
        return {"t": 0, "m": _zeros_like(Theta), "v": _zeros_like(Theta)}
    return None


def _update(optimizer, Theta, D, state, alpha, options):
    """One step of the chosen optimizer without argument checks: (new Theta, new state)."""
    if optimizer == "momentum":
        return _momentum(Theta, D, state, alpha, **options)
    if optimizer == "adam":
        return _adam(Theta, D, state, alpha, **options)
    return {l: Theta[l] - alpha * D[l] for l in Theta}, None                   # (GD)
