r"""Exercise 14: find the bug. Seven backpropagations, each with one realistic bug on one line.

Work it out with the method of ``notebooks/14_find_the_bug.ipynb`` (check block by block with
``bp.check_gradients(Theta, X, Y, lambda_, D=backprop_a)``, read the pattern, compare one example
with the step-through). Grade it in a notebook with ``bp.check("ex14")``, or in a terminal where
the course's environment is active (README.md, "Self-study quick start") with
``backprop-course grade --exercise ex14``.

For each function ``backprop_a`` .. ``backprop_g``:

1. find its bug and fix that one line in place (the function must then return the right gradient D
   for every network, every m and every lambda_);
2. set its answer ``BUG_IN_A`` .. ``BUG_IN_G`` (next to the function) to the label of the equation
   the bug breaks, as a string: one of

   ========  ==========================================================================
   "BP1"     :math:`d^{(L)} = a^{(L)} - y`, the output error
   "BP2"     :math:`d^{(l)} = [\Theta^{(l)\top} d^{(l+1)}]_{1:} \odot g'(z^{(l)})`, for l = L-1 .. 2
   "BP3"     :math:`\Delta^{(l)} := \Delta^{(l)} + d^{(l+1)} a^{(l)\top}`, summed over the examples
   "BP4"     :math:`D^{(l)}_{ij} = \frac1m(\Delta^{(l)}_{ij} + \lambda\Theta^{(l)}_{ij})` for j >= 1
   "BP5"     :math:`D^{(l)}_{i0} = \frac1m\Delta^{(l)}_{i0}`, the bias column j = 0
   ========  ==========================================================================

   ``None`` means "not answered yet". A line may carry two labels in its comment; the answer is the
   one equation the bug breaks.

Some bugs only show on a network with two hidden layers, with more than one example, or with
lambda_ > 0: test on such a network (notebook 14, section "The practice bugs", says why).
"""

import numpy as np

import backprop_course as bp


def backprop_a(Theta, X, Y, lambda_=0.0):
    r"""The gradient D of the regularized cost, one example at a time.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    """
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}                        # (BP0)
    for t in range(m):
        a, z = bp.forward(Theta, X[:, [t]])                                     # (F1)-(F4)
        d = {L: a[L] - Y[:, [t]]}                                               # (BP1)
        for l in range(L - 1, 1, -1):
            d[l] = (Theta[l].T @ d[l + 1])[1:] * bp.sigmoid_gradient(z[l])      # (BP2)
        for l in range(1, L):
            Delta[l] = Delta[l] + d[l + 1] @ a[l].T                             # (BP3)
    D = {}
    for l in Theta:
        D[l] = Delta[l] / m                                                     # (BP4), (BP5)
        D[l] += lambda_ / m * Theta[l]                                          # (BP4), (BP5)
    return D


BUG_IN_A = None


def backprop_b(Theta, X, Y, lambda_=0.0):
    r"""The gradient D of the regularized cost, with all m examples as columns at once.

    Parameters and returns as :func:`backprop_a`.
    """
    L = len(Theta) + 1
    m = X.shape[1]
    a, z = bp.forward(Theta, X)                                                 # (F1)-(F4), all columns
    d = {L: a[L] - Y}                                                           # (BP1)
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * a[l][1:]                           # (BP2)
    D = {}
    for l in range(1, L):
        Delta = d[l + 1] @ a[l].T                                               # (BP3), summed over t
        penalty = lambda_ * Theta[l]
        penalty[:, 0] = 0.0                                                     # the bias column: (BP5)
        D[l] = (Delta + penalty) / m                                            # (BP4)
    return D


BUG_IN_B = None


def backprop_c(Theta, X, Y, lambda_=0.0):
    r"""The gradient D of the regularized cost, one example at a time.

    Parameters and returns as :func:`backprop_a`.
    """
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in range(1, L)}                  # (BP0)
    for t in range(m):
        x, y = X[:, [t]], Y[:, [t]]                                             # one column each
        a, z = bp.forward(Theta, x)                                             # (F1)-(F4)
        d = {L: a[L] - y}                                                       # (BP1)
        for l in range(L - 1, 1, -1):
            back = Theta[l].T @ d[l + 1]
            d[l] = back[1:] * bp.sigmoid_gradient(z[l])                         # (BP2)
        for l in range(1, L):
            Delta[l] = d[l + 1] @ a[l].T                                        # (BP3)
    D = {}
    for l in range(1, L):
        D[l] = Delta[l] / m                                                     # (BP5), and 1/m of (BP4)
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]                            # (BP4)
    return D


BUG_IN_C = None


def backprop_d(Theta, X, Y, lambda_=0.0):
    r"""The gradient D of the regularized cost, with all m examples as columns at once.

    Parameters and returns as :func:`backprop_a`.
    """
    L = len(Theta) + 1
    m = X.shape[1]
    a, z = bp.forward(Theta, X)                                                 # (F1)-(F4), all columns
    d = {L: a[L] - Y}                                                           # (BP1)
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * bp.sigmoid_gradient(z[l])          # (BP2)
    D = {}
    for l in range(1, L):
        D[l] = (d[l + 1] @ a[l].T) / m                                          # (BP3), (BP5)
        D[l][:, 1:] += lambda_ * Theta[l][:, 1:]                                # (BP4)
    return D


BUG_IN_D = None


def backprop_e(Theta, X, Y, lambda_=0.0):
    r"""The gradient D of the regularized cost, one example at a time.

    Parameters and returns as :func:`backprop_a`.
    """
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}                        # (BP0)
    for t in range(m):
        a, z = bp.forward(Theta, X[:, [t]])                                     # (F1)-(F4)
        d = {L: a[L] - Y[:, [t]]}                                               # (BP1)
        for l in range(L - 1, 1, -1):
            back = (Theta[l].T @ d[l + 1])[:-1]                                 # drop the bias row
            d[l] = back * bp.sigmoid_gradient(z[l])                             # (BP2)
        for l in range(1, L):
            Delta[l] = Delta[l] + d[l + 1] @ a[l].T                             # (BP3)
    D = {}
    for l in Theta:
        D[l] = Delta[l] / m                                                     # (BP4), (BP5)
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]                            # (BP4)
    return D


BUG_IN_E = None


def backprop_f(Theta, X, Y, lambda_=0.0):
    r"""The gradient D of the regularized cost, one example at a time.

    Parameters and returns as :func:`backprop_a`.
    """
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}                        # (BP0)
    for t in range(m):
        a, z = bp.forward(Theta, X[:, [t]])                                     # (F1)-(F4)
        d = {l: np.zeros((Theta[l - 1].shape[0], 1)) for l in range(2, L + 1)}  # one column per layer
        d[L] = a[L] - Y[:, [t]]                                                 # (BP1)
        for l in range(L - 1, 2, -1):
            d[l] = (Theta[l].T @ d[l + 1])[1:] * bp.sigmoid_gradient(z[l])      # (BP2)
        for l in range(1, L):
            Delta[l] += d[l + 1] @ a[l].T                                       # (BP3)
    D = {}
    for l in Theta:
        D[l] = Delta[l] / m                                                     # (BP4), (BP5)
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]                            # (BP4)
    return D


BUG_IN_F = None


def backprop_g(Theta, X, Y, lambda_=0.0):
    r"""The gradient D of the regularized cost, with all m examples as columns at once.

    Parameters and returns as :func:`backprop_a`.
    """
    L = len(Theta) + 1
    m = X.shape[1]
    a, z = bp.forward(Theta, X)                                                 # (F1)-(F4), all columns
    d = {L: a[L] - Y}                                                           # (BP1)
    for l in range(L - 1, 1, -1):
        g_prime = bp.sigmoid_gradient(z[l])
        d[l] = (Theta[l][:, 1:] @ d[l + 1]) * g_prime                           # (BP2), bias column left out
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1] @ a[l].T / m                                            # (BP3), (BP5)
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]                            # (BP4)
    return D


BUG_IN_G = None
