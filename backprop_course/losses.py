r"""The losses: the cost J and the output-layer delta d(L) each implies.

Cross-entropy (the default) with a sigmoid output is the pairing the course's algorithm assumes: it is what
makes the output delta the simple difference :math:`d^{(L)} = a^{(L)} - y` (derived in
``notebooks/03_cost.ipynb`` and ``notebooks/05_backprop_one_example.ipynb``).

==========  ==============  ===============================================================
output      loss            d(L)
==========  ==============  ===============================================================
sigmoid     cross_entropy   a(L) - y                              (BP1)
softmax     cross_entropy   a(L) - y                              (BP1)
identity    mse             a(L) - y                              (BP1)
sigmoid     mse             (a(L) - y) .* g'(z(L))                (BP1, mse form)
==========  ==============  ===============================================================
"""

import numpy as np

# The losses, and the (output, loss) pairs whose d(L) the course derives (output_delta below has a
# formula for each); the argument checks reject the rest with the reason. A new loss is a name here,
# its pairs, its branch in data_cost and in output_delta, and its tests.
LOSSES = ("cross_entropy", "mse")
SUPPORTED_PAIRS = {
    ("sigmoid", "cross_entropy"),
    ("softmax", "cross_entropy"),
    ("sigmoid", "mse"),
    ("identity", "mse"),
}
UNSUPPORTED_REASONS = {
    ("identity", "cross_entropy"): (
        "cross-entropy needs outputs in (0, 1), but an identity output can be any real number; "
        "use output='sigmoid' (or 'softmax') with cross_entropy, or loss='mse' with an identity output"
    ),
    ("softmax", "mse"): (
        "softmax outputs are probabilities that pair with cross-entropy; "
        "use loss='cross_entropy' with output='softmax'"
    ),
}


def _softplus(x):
    """log(1 + e^x) without overflow."""
    return np.logaddexp(0.0, x)


def data_cost(a_L, z_L, Y, output, loss):
    r"""The unregularized cost J averaged over the m examples.

    Parameters
    ----------
    a_L : ndarray, shape (K, m)
        The output activations a(L).
    z_L : ndarray, shape (K, m)
        The output layer's inputs z(L); cross-entropy is computed from z(L) so that it stays
        finite even when a(L) rounds to exactly 0 or 1.
    Y : ndarray, shape (K, m)
    output, loss : str

    Returns
    -------
    float

    Notes
    -----
    Sigmoid outputs, summed over the K outputs and averaged over m:

    .. math:: J = -\frac1m \sum_{t=1}^{m}\sum_{k=1}^{K}
              \Bigl[y_k \log a^{(L)}_k + (1 - y_k)\log\bigl(1 - a^{(L)}_k\bigr)\Bigr]

    using :math:`-\log g(z) = \mathrm{softplus}(-z)` and :math:`-\log(1 - g(z)) = \mathrm{softplus}(z)`.
    Softmax outputs: :math:`J = -\frac1m\sum_t\sum_k y_k \log a^{(L)}_k`.
    Mean squared error: :math:`J = \frac{1}{2m}\sum_t \lVert a^{(L)} - y\rVert^2`.
    """
    m = Y.shape[1]
    if loss == "mse":
        diff = a_L - Y
        return float(np.sum(diff * diff) / (2 * m))
    if output == "softmax":
        log_a = z_L - z_L.max(axis=0, keepdims=True)
        log_a -= np.log(np.exp(log_a).sum(axis=0, keepdims=True))
        return float(-np.sum(Y * log_a) / m)
    return float(np.sum(Y * _softplus(-z_L) + (1.0 - Y) * _softplus(z_L)) / m)


def regularization_cost(Theta, lambda_, m):
    r"""The penalty :math:`\frac{\lambda}{2m}\sum_l \sum_{i,\,j \ge 1} \Theta^{(l)}_{ij}{}^2`.

    Column j = 0 (the bias weights) is not penalized.
    """
    if lambda_ == 0:
        return 0.0
    total = sum(float(np.sum(Theta[l][:, 1:] ** 2)) for l in Theta)
    return lambda_ / (2 * m) * total


def output_delta(a_L, z_L, Y, output, loss, out=None):
    r"""d(L), the derivative of one example's cost with respect to z(L).

    Parameters
    ----------
    a_L, z_L, Y : ndarray, shape (K, m)
    out : ndarray of shape (K, m), optional
        Where to write d(L).

    Returns
    -------
    ndarray, shape (K, m)

    Notes
    -----
    For the three "matched" pairs (sigmoid or softmax with cross-entropy, identity with mse) the
    chain rule collapses to :math:`d^{(L)} = a^{(L)} - y` (BP1). A sigmoid output with mse keeps
    the factor :math:`g'(z^{(L)}) = a^{(L)}(1 - a^{(L)})`.
    """
    d_L = np.subtract(a_L, Y, out=out)                         # (BP1)
    if output == "sigmoid" and loss == "mse":
        d_L *= a_L * (1.0 - a_L)                               # (BP1, mse form)
    return d_L
