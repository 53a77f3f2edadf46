r"""The network: forward propagation, the cost and backpropagation, in the seed's notation.

Glossary (the same table stands in the README and in ``notebooks/00_start_here.ipynb``):

==============  ===============  ======================  ==============================================
symbol          code             shape                   meaning
==============  ===============  ======================  ==============================================
L               ``L``            int                     number of layers, input and output included
s_l             ``s[l]``         int                     units in layer l, bias unit not counted
K               ``K``            int                     output units, s_L
m               ``m``            int                     training examples (columns)
x, X            ``X``            (n, m)                  inputs, one column per example; n = s_1
y, Y            ``Y``            (K, m)                  targets, one column per example
Theta(l)        ``Theta[l]``     (s_{l+1}, s_l + 1)      weights from layer l to l+1; column 0 is the bias
z(l)            ``z[l]``         (s_l, m)                weighted inputs of layer l, l >= 2
a(l)            ``a[l]``         (s_l + 1, m)            activations; row 0 is the bias unit 1 (not for l = L)
a(L)            ``a[L]``         (K, m)                  the output, no bias row
g, g'           ``g``            elementwise             activation and its derivative
d(l)            ``d[l]``         (s_l, m)                error of layer l, dJ/dz(l) per example, l >= 2
Delta(l)        ``Delta[l]``     like Theta[l]           sum over examples of d(l+1) a(l)'
D(l)            ``D[l]``         like Theta[l]           the gradient dJ/dTheta(l)
lambda          ``lambda_``      float >= 0              regularization strength
alpha           ``alpha``        float > 0               learning rate
==============  ===============  ======================  ==============================================

Layers are numbered from 1 as in the seed, and every per-layer quantity is a dict keyed by that
number, so ``z[l + 1] = Theta[l] @ a[l]`` is the equation itself. Equation labels such as (BP2)
refer to :mod:`backprop_course.equations`.
"""

import numpy as np

from . import _checks
from ._workspace import Fresh, default_workspace
from .activations import ACTIVATIONS, OUTPUT_INTO
from .losses import data_cost, output_delta, regularization_cost

__all__ = ["init_thetas", "forward", "cost", "backprop_loop", "backprop", "predict", "one_hot",
           "add_bias_row", "layer_sizes"]


def add_bias_row(values):
    """Put the bias unit, a row of ones, on top of `values` (shape (s, m) -> (s + 1, m))."""
    with_bias = np.empty((values.shape[0] + 1, values.shape[1]), dtype=values.dtype)
    with_bias[0] = 1.0
    with_bias[1:] = values
    return with_bias


def layer_sizes(Theta):
    """The unit counts [s_1, ..., s_L] that a (checked) Theta implies."""
    L = len(Theta) + 1
    return [Theta[1].shape[1] - 1] + [Theta[l].shape[0] for l in range(1, L)]


def init_thetas(layer_sizes, epsilon_init=0.12, seed=None, dtype=np.float64):
    r"""Random initial weights, uniform in [-epsilon_init, epsilon_init].

    Parameters
    ----------
    layer_sizes : sequence of int, length L >= 2
        ``[s_1, ..., s_L]``: input features, hidden units per layer, output units.
    epsilon_init : float >= 0
        Half-width of the uniform range. Small random values break the symmetry between hidden
        units; 0 gives all-zero weights (see ``notebooks/12_beyond_sigmoid.ipynb`` for why that fails).
    seed : None, int or numpy.random.Generator
    dtype : numpy float dtype, default float64

    Returns
    -------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)} for l = 1 .. L-1
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a list of unit counts such as [2, 3, 1]; got {layer_sizes!r}.")
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least 2 entries (input and output units); got {list(layer_sizes)}."
        )
    s = [_checks.check_number(f"layer_sizes[{i}]", v, low=1, integer=True,
                              hint="Every layer needs at least one unit.")
         for i, v in enumerate(layer_sizes)]
    epsilon_init = _checks.check_number("epsilon_init", epsilon_init, low=0.0, high=1e100,
                                        hint="Typical values are 0.12 or sqrt(6 / (s_l + s_{l+1})).")
    try:
        float_kind = np.dtype(dtype).kind == "f"
    except TypeError:
        float_kind = False
    if not float_kind:
        raise TypeError(f"dtype must be a float type such as np.float64 or np.float32; got {dtype!r} "
                        f"(integer weights would round every small initial weight to 0).")
    rng = _checks.make_rng(seed)
    L = len(s)
    return {l: rng.uniform(-epsilon_init, epsilon_init, size=(s[l], s[l - 1] + 1)).astype(dtype)
            for l in range(1, L)}


def _finite_or_raise(what, values, Theta, X):
    """Raise a teaching error instead of handing back inf or NaN when float arithmetic overflowed."""
    if all(np.isfinite(v).all() for v in values):
        return
    big_Theta = max(float(np.abs(T).max()) for T in Theta.values())
    if big_Theta > 1e3:
        cause = ("Weights this large are what diverging gradient descent leaves behind: start again "
                 "from bp.init_thetas and use a smaller alpha.")
    else:
        cause = "The weights are moderate, so the data are the likely cause: rescale X and Y (for example to [0, 1])."
    raise ValueError(
        f"{what} is not finite: a number overflowed the float range inside the computation "
        f"(largest |Theta| = {big_Theta:.3g}, largest |X| = {float(np.abs(X).max()):.3g}). {cause}"
    )


def _forward(Theta, X, activation, output, ws=Fresh):
    """Forward propagation without argument checks (the hot path of training).

    ``ws`` supplies the arrays: :class:`Fresh` makes new ones (for callers), a reusable
    :class:`~backprop_course._workspace.Workspace` lends scratch space (for backprop and the cost).
    """
    L = len(Theta) + 1
    m, dtype = X.shape[1], X.dtype
    g = ACTIVATIONS[activation].into
    a = {1: ws.empty(("a", 1), (X.shape[0] + 1, m), dtype)}
    a[1][0] = 1.0                                                        # the bias unit
    a[1][1:] = X                                                         # (F1)
    z = {}
    for l in range(1, L):
        z[l + 1] = ws.empty(("z", l + 1), (Theta[l].shape[0], m), dtype)
        np.matmul(Theta[l], a[l], out=z[l + 1])                          # (F2)
        if l + 1 < L:
            a[l + 1] = ws.empty(("a", l + 1), (Theta[l].shape[0] + 1, m), dtype)
            a[l + 1][0] = 1.0                                            # the bias unit
            g(z[l + 1], out=a[l + 1][1:])                                # (F3)
    a[L] = OUTPUT_INTO[output](z[L], ws.empty(("a", L), z[L].shape, dtype))  # (F4)
    return a, z


def forward(Theta, X, activation="sigmoid", output="sigmoid"):
    r"""Forward propagation: every layer's z(l) and a(l) for all m examples.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
        One example per column, n = s_1.
    activation : {"sigmoid", "tanh", "relu", "identity"}
        g, the hidden layers' activation.
    output : {"sigmoid", "softmax", "identity"}
        h, the output layer's activation.

    Returns
    -------
    a : dict {l: ndarray}
        ``a[l]`` of shape (s_l + 1, m) with the bias row of ones on top, for l = 1 .. L-1;
        ``a[L]`` of shape (K, m), the output, without a bias row.
    z : dict {l: ndarray of shape (s_l, m)}, l = 2 .. L

    Notes
    -----
    .. math::
        a^{(1)} = \begin{bmatrix}1\\x\end{bmatrix},\quad
        z^{(l+1)} = \Theta^{(l)} a^{(l)},\quad
        a^{(l+1)} = \begin{bmatrix}1\\g(z^{(l+1)})\end{bmatrix},\quad
        a^{(L)} = h(z^{(L)})

    Derived in ``notebooks/02_forward_propagation.ipynb``.
    """
    _checks.check_model(activation, output)
    Theta = _checks.check_theta(Theta)
    X = _checks.check_X(X, Theta)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        a, z = _forward(Theta, X, activation, output)
    _finite_or_raise(f"the output a[{len(Theta) + 1}]", [a[len(Theta) + 1]], Theta, X)
    return a, z


def _cost(Theta, X, Y, lambda_, activation, output, loss):
    """The cost J without argument checks."""
    a, z = _forward(Theta, X, activation, output, default_workspace())
    L = len(Theta) + 1
    m = X.shape[1]
    return data_cost(a[L], z[L], Y, output, loss) + regularization_cost(Theta, lambda_, m)  # (J)


def _checked(Theta, X, Y, lambda_, activation, output, loss):
    """Check and convert the arguments every cost/gradient function takes."""
    _checks.check_model(activation, output, loss)
    Theta = _checks.check_theta(Theta)
    X = _checks.check_X(X, Theta)
    Y = _checks.check_Y(Y, Theta, X.shape[1], output, loss)
    lambda_ = _checks.check_lambda(lambda_)
    return Theta, X, Y, lambda_


def cost(Theta, X, Y, lambda_=0.0, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""The regularized cost J(Theta) averaged over the m examples.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
        Targets in [0, 1] for cross-entropy (one-hot columns for softmax).
    lambda_ : float >= 0
    activation, output : str
        See :func:`forward`.
    loss : {"cross_entropy", "mse"}

    Returns
    -------
    float

    Notes
    -----
    .. math::
        J = -\frac1m\sum_{t,k}\Bigl[y_k\log a^{(L)}_k + (1-y_k)\log(1-a^{(L)}_k)\Bigr]
            + \frac{\lambda}{2m}\sum_{l}\sum_{i,\,j\ge1}\bigl(\Theta^{(l)}_{ij}\bigr)^2

    The bias column j = 0 is not penalized. Derived in ``notebooks/03_cost.ipynb``.
    """
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, activation, output, loss)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        J = _cost(Theta, X, Y, lambda_, activation, output, loss)
    _finite_or_raise("the cost J", [J], Theta, X)
    return J


def _gradient_from_Delta(Delta, Theta, lambda_, m):
    """Step 3 of the seed: D(l) = (1/m)(Delta(l) + lambda Theta(l)), bias column unregularized."""
    D = {}
    for l in Delta:
        D[l] = Delta[l]
        D[l] /= m                                                        # (BP5), and the 1/m of (BP4)
        D[l][:, 1:] += (lambda_ / m) * Theta[l][:, 1:]                    # (BP4)
    return D


def backprop_loop(Theta, X, Y, lambda_=0.0, activation="sigmoid", output="sigmoid",
                  loss="cross_entropy"):
    r"""The gradient D by the seed's steps 1-3, one training example at a time.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    activation, output, loss : str
        See :func:`forward` and :func:`cost`.

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        :math:`D^{(l)} = \partial J / \partial \Theta^{(l)}`.

    Notes
    -----
    1. :math:`\Delta^{(l)} := 0` for every l.                                             (BP0)
    2. For t = 1 .. m: forward-propagate x(t); :math:`d^{(L)} = a^{(L)} - y^{(t)}` (BP1);
       :math:`d^{(l)} = [\Theta^{(l)\top} d^{(l+1)}]_{1:} \odot g'(z^{(l)})` for l = L-1 .. 2
       (BP2); :math:`\Delta^{(l)} := \Delta^{(l)} + d^{(l+1)} a^{(l)\top}` (BP3).
    3. :math:`D^{(l)} = \frac1m(\Delta^{(l)} + \lambda\Theta^{(l)})` on columns j >= 1 (BP4),
       :math:`\frac1m\Delta^{(l)}` on the bias column j = 0 (BP5).

    This is the readable reference; :func:`backprop` computes the same D with matrix products
    over all columns at once. Derived in ``notebooks/05_backprop_one_example.ipynb`` and
    ``notebooks/06_m_examples_regularization.ipynb``.
    """
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, activation, output, loss)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        D = _backprop_loop(Theta, X, Y, lambda_, activation, output, loss)
    _finite_or_raise("the gradient D", D.values(), Theta, X)
    return D


def _backprop_loop(Theta, X, Y, lambda_, activation, output, loss):
    """The seed's steps 1-3, one example at a time, without argument checks."""
    g_prime = ACTIVATIONS[activation].g_prime
    L = len(Theta) + 1
    m = X.shape[1]

    Delta = {l: np.zeros_like(Theta[l]) for l in range(1, L)}             # step 1 (BP0)
    for t in range(m):                                                   # step 2
        x, y = X[:, [t]], Y[:, [t]]                                      # one column each
        a, z = _forward(Theta, x, activation, output)
        d = {L: output_delta(a[L], z[L], y, output, loss)}               # (BP1)
        for l in range(L - 1, 1, -1):
            d[l] = (Theta[l].T @ d[l + 1])[1:] * g_prime(z[l])           # (BP2)
        for l in range(1, L):
            Delta[l] += d[l + 1] @ a[l].T                                # (BP3)
    return _gradient_from_Delta(Delta, Theta, lambda_, m)                # step 3 (BP4, BP5)


def _backprop(Theta, X, Y, lambda_, activation, output, loss, ws=None):
    """Vectorized backpropagation without argument checks (the hot path of training).

    Intermediates live in the workspace ``ws`` (this thread's by default); D is always new.
    """
    ws = ws or default_workspace()
    g_prime_from_a = ACTIVATIONS[activation].prime_from_a
    L = len(Theta) + 1
    m, dtype = X.shape[1], X.dtype

    a, z = _forward(Theta, X, activation, output, ws)
    d = {L: ws.empty(("d", L), a[L].shape, dtype)}
    output_delta(a[L], z[L], Y, output, loss, out=d[L])                  # (BP1), all m columns
    for l in range(L - 1, 1, -1):
        # Theta[l][:, 1:].T @ d is Theta(l)' d(l+1) with row 0 (the bias) dropped, without computing it.
        d[l] = ws.empty(("d", l), z[l].shape, dtype)
        np.matmul(Theta[l][:, 1:].T, d[l + 1], out=d[l])                 # (BP2)
        d[l] *= g_prime_from_a(a[l][1:], z[l], out=ws.empty("g'", z[l].shape, dtype))  # (BP2), .* g'(z(l))
    # One matrix product sums d(l+1) a(l)' over all m examples: the loop's (BP3) accumulation.
    Delta = {l: d[l + 1] @ a[l].T for l in range(1, L)}                  # (BP3)
    return _gradient_from_Delta(Delta, Theta, lambda_, m)                # (BP4, BP5)


def backprop(Theta, X, Y, lambda_=0.0, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""The gradient D, vectorized over the m columns; equal to :func:`backprop_loop`.

    Parameters and returns as :func:`backprop_loop`.

    Notes
    -----
    With all examples side by side as columns, the seed's per-example loop becomes

    .. math::
        d^{(L)} = A^{(L)} - Y,\quad
        d^{(l)} = [\Theta^{(l)\top} d^{(l+1)}]_{1:} \odot g'(Z^{(l)}),\quad
        \Delta^{(l)} = d^{(l+1)} A^{(l)\top}

    because a matrix product :math:`d\,A^\top` is the sum over columns t of
    :math:`d_{:,t}\, a_{:,t}^\top`. Shown equal to the loop in ``notebooks/10_vectorization.ipynb``.
    """
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, activation, output, loss)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        D = _backprop(Theta, X, Y, lambda_, activation, output, loss)
    _finite_or_raise("the gradient D", D.values(), Theta, X)
    return D


def predict(Theta, X, activation="sigmoid", output="sigmoid"):
    """Predicted class labels for the m columns of X.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    X : ndarray, shape (n, m)
    activation, output : str

    Returns
    -------
    labels : ndarray of int, shape (m,)
        With K = 1 output unit: 1 where a(L) >= 0.5, else 0 (binary classification).
        With K > 1: the row index of the largest output, 0 .. K-1.
    """
    a, _ = forward(Theta, X, activation, output)
    a_L = a[len(Theta) + 1]
    if a_L.shape[0] == 1:
        return (a_L[0] >= 0.5).astype(np.int64)
    return np.argmax(a_L, axis=0)


def one_hot(labels, K):
    """Targets Y of shape (K, m) from integer labels 0 .. K-1: Y[labels[t], t] = 1.

    Parameters
    ----------
    labels : array-like of int, shape (m,)
    K : int >= 1, the number of classes

    Returns
    -------
    Y : ndarray of float64, shape (K, m)
    """
    K = _checks.check_number("K", K, low=1, integer=True)
    labels = np.asarray(labels)
    if labels.ndim == 2 and 1 in labels.shape:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, one label per example; got shape {labels.shape}.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not np.issubdtype(labels.dtype, np.number) or not np.all(np.isfinite(labels)) \
                or not np.all(labels == np.round(labels)):
            numeric = np.issubdtype(labels.dtype, np.number)
            bad = labels[~(np.isfinite(labels) & (labels == np.round(labels)))] if numeric else labels
            raise TypeError(f"labels must be whole numbers 0 .. K-1; got dtype {labels.dtype} "
                            f"with values such as {bad.ravel()[0].item()!r}. "
                            f"Class labels are integers: use np.asarray(labels, dtype=int) if they are.")
        labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= K):
        hint = ""
        if labels.min() >= 1 and labels.max() == K:
            hint = " Labels numbered 1 .. K? Subtract 1."
        raise ValueError(f"labels must lie in 0 .. {K - 1} for K = {K} classes; "
                         f"got values from {labels.min()} to {labels.max()}.{hint}")
    Y = np.zeros((K, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y
