r"""The network: forward propagation, the cost and backpropagation, in the course's Theta / a / z / d notation.

Glossary (the same table stands in the README and in ``notebooks/00_start_here.ipynb``):

============  ==================  ===================  =================================================================
symbol        code                shape                meaning
============  ==================  ===================  =================================================================
L             ``L``               int                  number of layers, input and output included
s_l           ``s[l]``            int                  units in layer l, bias unit not counted
K             ``K``               int                  output units, s_L
m             ``m``               int                  training examples (columns)
t             ``t``               int                  example index, 1 .. m (code: column t - 1)
x, X          ``X``               (n, m)               inputs, one column per example; n = s_1; x(t) is example t
y, Y          ``Y``               (K, m)               targets, one column per example; y(t) is example t's
Theta(l)      ``Theta[l]``        (s_{l+1}, s_l + 1)   weights from layer l to l+1; column 0 is the bias
z(l)          ``z[l]``            (s_l, m)             weighted inputs of layer l, l >= 2
a(l)          ``a[l]``            (s_l + 1, m)         activations; row 0 is the bias unit 1 (not for l = L)
a(L)          ``a[L]``            (K, m)               the output h(z(L)), no bias row
g, g'         ``g``, ``g_prime``  elementwise          hidden activation (sigmoid unless chosen) and its derivative
h             ``output``          per column           output activation: sigmoid, or softmax
softmax       ``bp.softmax``      per column           h(z)_k = exp(z_k) / sum_j exp(z_j): K outputs that sum to 1
J             ``bp.cost``         float                the cost: mean cross-entropy over the m examples plus the penalty
J_t                               float                example t's own cross-entropy, so J = (1/m) sum_t J_t + penalty
d(l)          ``d[l]``            (s_l, m)             error of layer l, l >= 2; column t is dJ_t/dz(l)
Delta(l)      ``Delta[l]``        like Theta[l]        sum over examples of d(l+1) a(l)'
D(l)          ``D[l]``            like Theta[l]        the gradient dJ/dTheta(l)
M'            ``M.T``             (q, p) for M (p, q)  transpose of a matrix M (also written with a superscript T)
[M]_{1:}      ``M[1:]``           rows 1 ..            M without its row 0, the bias unit's row
⊙             ``*``               elementwise          product of two arrays of one shape, entry by entry
lambda        ``lambda_``         float >= 0           regularization strength (for nothing else)
alpha         ``alpha``           float > 0            learning rate
epsilon       ``epsilon``         float > 0            step of the numerical gradient (NG)
epsilon_init  ``epsilon_init``    float >= 0           starting weights are uniform in [-epsilon_init, epsilon_init]
============  ==================  ===================  =================================================================

Layers are numbered from 1 as in the article the course starts from, and every per-layer quantity
is a dict keyed by that number, so ``z[l + 1] = Theta[l] @ a[l]`` is the equation itself. Equation
labels such as (BP2) refer to :mod:`backprop_course.equations`.

Backpropagation is written once. :func:`deltas` computes the errors d(l) of (BP1) and (BP2) for all
columns at once; :func:`backprop` adds (BP3)-(BP5) to them, and :func:`backprop_loop`, the
per-example loop kept as the readable reference, calls the same :func:`forward` and :func:`deltas`
on one column at a time.

Each checked function has an ``*_unchecked`` twin that skips the argument checks: the hot path for
library code that has checked its arguments already (training, gradient checking, the landscape
and the experiments). A learner calls the checked ones.
"""

import numpy as np

from . import _checks
from ._workspace import Fresh, default_workspace
from .activations import ACTIVATIONS
from .labels import labels_from_outputs
from .losses import data_cost, output_delta, regularization_cost

__all__ = ["init_thetas", "forward", "cost", "deltas", "backprop_loop", "backprop", "predict", "add_bias_row",
           "layer_sizes", "forward_unchecked", "cost_unchecked", "deltas_unchecked", "backprop_loop_unchecked",
           "backprop_unchecked"]


def add_bias_row(values):
    """Put the bias unit, a row of ones, on top of `values` (shape (s, m) -> (s + 1, m)).

    Parameters
    ----------
    values : ndarray, shape (s, m)
        One column per example, e.g. x or g(z(l)).

    Returns
    -------
    ndarray, shape (s + 1, m)
        Row 0 is the bias unit 1 (F1, F3).
    """
    values = np.asarray(values)
    if values.ndim != 2:
        hint = (f" One example with {values.shape[0]} values is a column: use values.reshape(-1, 1)."
                if values.ndim == 1 else "")
        raise ValueError(f"add_bias_row needs a 2-D array of shape (s, m), one column per example; "
                         f"got {values.ndim}-D with shape {values.shape}.{hint}")
    with_bias = np.empty((values.shape[0] + 1, values.shape[1]), dtype=np.result_type(values, 1.0))
    with_bias[0] = 1.0
    with_bias[1:] = values
    return with_bias


def layer_sizes(Theta):
    """The unit counts [s_1, ..., s_L] that a (checked) Theta implies."""
    L = len(Theta) + 1
    return [Theta[1].shape[1] - 1] + [Theta[l].shape[0] for l in range(1, L)]


_INIT_RULES = ("glorot", "he")


def init_thetas(layer_sizes, epsilon_init=0.12, seed=None, dtype=np.float64):
    r"""Random initial weights, each Theta(l) uniform in [-epsilon_l, epsilon_l].

    Parameters
    ----------
    layer_sizes : sequence of int, length L >= 2
        ``[s_1, ..., s_L]``: input features, hidden units per layer, output units.
    epsilon_init : float >= 0, "glorot" or "he"
        The half-width of the uniform range.

        - a number: the same range for every layer. Small random values break the symmetry between
          hidden units; 0 gives all-zero weights (see ``notebooks/15_beyond_sigmoid.ipynb`` for why
          that fails). 0.12 is the course's default.
        - ``"glorot"``: :math:`\epsilon_l = \sqrt{6 / (s_l + s_{l+1})}` (Glorot & Bengio, 2010,
          "Understanding the difficulty of training deep feedforward neural networks", AISTATS), which
          keeps the spread of activations and gradients about equal from layer to layer for tanh and
          sigmoid units of any width.
        - ``"he"``: :math:`\epsilon_l = \sqrt{6 / s_l}` (He et al., 2015, "Delving deep into rectifiers",
          ICCV), the same idea for relu units, which pass on only half of their inputs.
    seed : None, int or numpy.random.Generator
    dtype : numpy float dtype, default float64

    Returns
    -------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)} for l = 1 .. L-1
        Drawn layer by layer from one generator, so the same seed gives the same weights.
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
    L = len(s)
    if isinstance(epsilon_init, str):
        rule = _checks.check_choice("epsilon_init", epsilon_init, _INIT_RULES)
        fan = {"glorot": lambda l: s[l - 1] + s[l], "he": lambda l: s[l - 1]}[rule]
        epsilon = {l: float(np.sqrt(6.0 / fan(l))) for l in range(1, L)}
    else:
        epsilon_init = _checks.check_number("epsilon_init", epsilon_init, low=0.0, high=1e100,
                                            hint="Typical values are 0.12, or 'glorot' (tanh, sigmoid) "
                                                 "or 'he' (relu) for a range per layer.")
        epsilon = dict.fromkeys(range(1, L), epsilon_init)
    try:
        float_kind = np.dtype(dtype).kind == "f"
    except TypeError:
        float_kind = False
    if not float_kind:
        raise TypeError(f"dtype must be a float type such as np.float64 or np.float32; got {dtype!r} "
                        f"(integer weights would round every small initial weight to 0).")
    rng = _checks.make_rng(seed)
    return {l: rng.uniform(-epsilon[l], epsilon[l], size=(s[l], s[l - 1] + 1)).astype(dtype)
            for l in range(1, L)}


# -- forward propagation -----------------------------------------------------------------------------

def forward_unchecked(Theta, X, activation, output, ws=Fresh):
    """Forward propagation without argument checks (the hot path of training).

    ``ws`` supplies the arrays: :class:`~backprop_course._workspace.Fresh` makes new ones (for
    callers), a reusable :class:`~backprop_course._workspace.Workspace` lends scratch space (for
    backprop and the cost).
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
    a[L] = ACTIVATIONS[output].into(z[L], ws.empty(("a", L), z[L].shape, dtype))  # (F4)
    return a, z


def forward(Theta, X, activation="sigmoid", output="sigmoid"):
    r"""Forward propagation: every layer's z(l) and a(l) for all m examples.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
        One example per column, n = s_1.
    activation : str
        g, the hidden layers' activation: a hidden entry of
        :data:`~backprop_course.activations.ACTIVATIONS` ("sigmoid", "tanh", "relu", ...).
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
    Theta = _checks.check_output_units(_checks.check_theta(Theta), output)
    X = _checks.check_X(X, Theta)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        a, z = forward_unchecked(Theta, X, activation, output)
    _checks.check_finite_result(f"the output a[{len(Theta) + 1}]", [a[len(Theta) + 1]], Theta, X)
    return a, z


# -- the cost -------------------------------------------------------------------------------------------

def cost_unchecked(Theta, X, Y, lambda_, activation, output, loss):
    """The cost J without argument checks."""
    a, z = forward_unchecked(Theta, X, activation, output, default_workspace())
    L = len(Theta) + 1
    m = X.shape[1]
    return data_cost(a[L], z[L], Y, output, loss) + regularization_cost(Theta, lambda_, m)  # (J)


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
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        J = cost_unchecked(Theta, X, Y, lambda_, activation, output, loss)
    _checks.check_finite_result("the cost J", [J], Theta, X)
    return J


# -- backpropagation ---------------------------------------------------------------------------------

def deltas_unchecked(Theta, a, z, Y, activation, output, loss, ws=Fresh):
    """The errors d(l), l = L .. 2, from a forward pass (a, z), without argument checks.

    ``ws`` supplies the arrays as in :func:`forward_unchecked`.
    """
    L = len(Theta) + 1
    g_prime_from_a = ACTIVATIONS[activation].prime_from_a
    d = {L: output_delta(a[L], z[L], Y, output, loss, out=ws.empty(("d", L), a[L].shape, a[L].dtype))}  # (BP1)
    for l in range(L - 1, 1, -1):
        # Theta[l][:, 1:].T @ d is Theta(l)' d(l+1) with row 0 (the bias) dropped, without computing it.
        d[l] = ws.empty(("d", l), z[l].shape, z[l].dtype)
        np.matmul(Theta[l][:, 1:].T, d[l + 1], out=d[l])                 # (BP2)
        d[l] *= g_prime_from_a(a[l][1:], out=ws.empty("g'", z[l].shape, z[l].dtype))  # (BP2), .* g'(z(l))
    return d


def deltas(Theta, X, Y, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""The errors d(l) of every layer l = 2 .. L, one column per example.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    activation, output, loss : str
        See :func:`forward` and :func:`cost`.

    Returns
    -------
    d : dict {l: ndarray of shape (s_l, m)}, l = 2 .. L
        Column t of ``d[l]`` is :math:`\partial J_t / \partial z^{(l)}`, the error of layer l for example t.

    Notes
    -----
    .. math::
        d^{(L)} = a^{(L)} - y \quad (BP1),\qquad
        d^{(l)} = \Bigl[\bigl(\Theta^{(l)}\bigr)^{\top} d^{(l+1)}\Bigr]_{1:} \odot g'\bigl(z^{(l)}\bigr)
        \quad (BP2)

    For a sigmoid output with the mse loss, (BP1) keeps the factor :math:`g'(z^{(L)})`
    (:func:`backprop_course.losses.output_delta`). Derived in ``notebooks/05_backprop_one_example.ipynb``.
    """
    Theta, X, Y, _ = _checks.check_inputs(Theta, X, Y, 0.0, activation, output, loss)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        a, z = forward_unchecked(Theta, X, activation, output)
        d = deltas_unchecked(Theta, a, z, Y, activation, output, loss)
    _checks.check_finite_result("the errors d", d.values(), Theta, X)
    return d


def _gradient_from_Delta(Delta, Theta, lambda_, m):
    """Step 3 of the article: D(l) = (1/m)(Delta(l) + lambda Theta(l)), bias column unregularized."""
    D = {}
    for l in Delta:
        D[l] = Delta[l]
        D[l] /= m                                                        # (BP5), and the 1/m of (BP4)
        D[l][:, 1:] += (lambda_ / m) * Theta[l][:, 1:]                    # (BP4)
    return D


def backprop_loop_unchecked(Theta, X, Y, lambda_, activation, output, loss):
    """Steps 1-3 of the algorithm, one example at a time, without argument checks."""
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in range(1, L)}             # step 1 (BP0)
    for t in range(m):                                                   # step 2
        x, y = X[:, [t]], Y[:, [t]]                                      # one column each
        a, z = forward_unchecked(Theta, x, activation, output)           # (F1)-(F4)
        d = deltas_unchecked(Theta, a, z, y, activation, output, loss)   # (BP1), (BP2)
        for l in range(1, L):
            Delta[l] += d[l + 1] @ a[l].T                                # (BP3)
    return _gradient_from_Delta(Delta, Theta, lambda_, m)                # step 3 (BP4, BP5)


def backprop_loop(Theta, X, Y, lambda_=0.0, activation="sigmoid", output="sigmoid",
                  loss="cross_entropy"):
    r"""The gradient D by steps 1-3 of the algorithm, one training example at a time.

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
       (BP2), both by :func:`deltas` on the one column; :math:`\Delta^{(l)} := \Delta^{(l)} +
       d^{(l+1)} a^{(l)\top}` (BP3).
    3. :math:`D^{(l)} = \frac1m(\Delta^{(l)} + \lambda\Theta^{(l)})` on columns j >= 1 (BP4),
       :math:`\frac1m\Delta^{(l)}` on the bias column j = 0 (BP5).

    This is the readable reference; :func:`backprop` computes the same D with matrix products
    over all columns at once. Derived in ``notebooks/05_backprop_one_example.ipynb`` and
    ``notebooks/06_m_examples_regularization.ipynb``.
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        D = backprop_loop_unchecked(Theta, X, Y, lambda_, activation, output, loss)
    _checks.check_finite_result("the gradient D", D.values(), Theta, X)
    return D


def backprop_unchecked(Theta, X, Y, lambda_, activation, output, loss, ws=None):
    """Vectorized backpropagation without argument checks (the hot path of training).

    Intermediates live in the workspace ``ws`` (this thread's by default); D is always new.
    """
    ws = ws or default_workspace()
    L = len(Theta) + 1
    a, z = forward_unchecked(Theta, X, activation, output, ws)          # (F1)-(F4), all m columns
    d = deltas_unchecked(Theta, a, z, Y, activation, output, loss, ws)  # (BP1), (BP2)
    # One matrix product sums d(l+1) a(l)' over all m examples: the loop's (BP3) accumulation.
    Delta = {l: d[l + 1] @ a[l].T for l in range(1, L)}                  # (BP3)
    return _gradient_from_Delta(Delta, Theta, lambda_, X.shape[1])       # (BP4, BP5)


def backprop(Theta, X, Y, lambda_=0.0, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""The gradient D, vectorized over the m columns; equal to :func:`backprop_loop`.

    Parameters and returns as :func:`backprop_loop`.

    Notes
    -----
    With all examples side by side as columns, the per-example loop becomes

    .. math::
        d^{(L)} = A^{(L)} - Y,\quad
        d^{(l)} = [\Theta^{(l)\top} d^{(l+1)}]_{1:} \odot g'(Z^{(l)}),\quad
        \Delta^{(l)} = d^{(l+1)} A^{(l)\top}

    because a matrix product :math:`d\,A^\top` is the sum over columns t of
    :math:`d_{:,t}\, a_{:,t}^\top`. Shown equal to the loop in ``notebooks/10_vectorization.ipynb``.
    """
    Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    with np.errstate(over="ignore", invalid="ignore"):                  # overflow is reported below
        D = backprop_unchecked(Theta, X, Y, lambda_, activation, output, loss)
    _checks.check_finite_result("the gradient D", D.values(), Theta, X)
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
        With K > 1: the row index of the largest output, 0 .. K-1
        (:func:`backprop_course.labels.labels_from_outputs`).
    """
    a, _ = forward(Theta, X, activation, output)
    return labels_from_outputs(a[len(Theta) + 1])
