r"""Exercise 15: backpropagation for any hidden activation and any output layer of the course.

Work it out in ``notebooks/15_beyond_sigmoid.ipynb`` (the output layers are derived in
``notebooks/12_softmax_cross_entropy.ipynb``) and grade it there with the check cell of its Exercise
section, or in a terminal where the course's environment is active (README.md, "Self-study quick
start") with ``backprop-course grade --exercise ex15``.

While it is graded, the sigmoid of exercise 1 and the softmax of exercise 12 answer with correct values
(imported below); tanh and ReLU, and their derivatives, you write with numpy.
"""

import numpy as np  # noqa: F401
from ex01_sigmoid import sigmoid  # noqa: F401  (your exercise 1)
from ex12_softmax import softmax  # noqa: F401  (your exercise 12)


def backprop_general(Theta, X, Y, lambda_, activation, output):
    r"""The gradient D of the regularized cost for a chosen hidden activation g and output layer h.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
        0/1 targets for "sigmoid", one-hot columns for "softmax", any real numbers for "identity".
    lambda_ : float >= 0
    activation : {"sigmoid", "tanh", "relu"}
        g of every hidden layer: g'(z) is g(1 - g), 1 - g^2, and 1 for z > 0 else 0 (the course gives
        ReLU's kink at exactly z = 0 the slope 0).
    output : {"sigmoid", "softmax", "identity"}
        h of the output layer, each with its own cost: binary cross-entropy, categorical cross-entropy
        and the squared error J = (1/2m) sum_t ||a(L) - y||^2.

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        :math:`\partial J / \partial \Theta^{(l)}`, the bias column unregularized.

    Notes
    -----
    Forward: (F1)-(F3) with g, then :math:`a^{(L)} = h(z^{(L)})` (F4). Each of the three output
    layers with its cost gives :math:`d^{(L)} = a^{(L)} - y` (BP1); then (BP2) with this g', and
    (BP3)-(BP5) unchanged.
    """
    # Hint: (BP2). Exercise 10 with g and g' chosen by activation and the output layer chosen by
    # output; each output with its own cost has the output error (BP1) a(L) - y (notebook 12), and the
    # forward pass (F3), (F4) of notebook 02 uses the output's own activation. Result: D[l] of the
    # shape of Theta[l]. Size: about 20 lines.
    raise NotImplementedError(
        'ex15_backprop_general.backprop_general is not implemented yet: write it with equations (BP2)'
        ' from notebooks/15_beyond_sigmoid.ipynb.'
    )
