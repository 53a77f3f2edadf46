r"""Exercise 12: the softmax output layer and its error with the cross-entropy.

Work it out in ``notebooks/12_softmax_cross_entropy.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md, "Self-study
quick start") with ``backprop-course grade --exercise ex12``.
"""

import numpy as np  # noqa: F401


def softmax(z):
    r"""The softmax of every column of `z`: K weighted inputs become K probabilities that sum to 1.

    Parameters
    ----------
    z : ndarray, shape (K, m)
        One column per example, one row per class.

    Returns
    -------
    a : ndarray, shape (K, m)
        Every entry in [0, 1], every column summing to 1; no overflow warning, inf or nan for any
        finite z (try a column of z around 1000).

    Notes
    -----
    .. math:: a_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}} = \frac{e^{z_k - c}}{\sum_{j} e^{z_j - c}},
              \quad c = \max_j z_j \quad (SM)

    The second form is the same number (the factor e^{-c} cancels) and never exponentiates anything
    above e^0 = 1.
    """
    # Hint: (SM). The sum runs over the classes of one example (a column); subtract each column's
    # maximum first so that no exponential overflows. Result: a (K, m), every column summing to 1.
    # Size: about 3 lines.
    raise NotImplementedError(
        'ex12_softmax.softmax is not implemented yet: write it with equations (SM) from '
        'notebooks/12_softmax_cross_entropy.ipynb.'
    )


def softmax_cross_entropy_delta(a, Y):
    r"""The output error d(L) of a softmax output layer with the cross-entropy cost.

    Parameters
    ----------
    a : ndarray, shape (K, m)
        The softmax outputs a(L), one column per example.
    Y : ndarray, shape (K, m)
        One-hot targets: each column has a single 1, in the row of the true class.

    Returns
    -------
    d : ndarray, shape (K, m)
        Column t is dJ_t/dz(L) of example t, where J_t = -sum_k y_k log a_k (no 1/m: that belongs to D).

    Notes
    -----
    The chain rule through every a_k (each depends on every z_j, by the Jacobian (SMJ)) and
    :math:`\sum_k y_k = 1` give

    .. math:: d_j = \sum_k \Bigl(-\frac{y_k}{a_k}\Bigr) a_k (\delta_{kj} - a_j) = a_j - y_j \quad (BP1)
    """
    # Hint: (BP1), (SMJ). The chain rule through every a_k (the Jacobian (SMJ)) collapses when the
    # targets of a column sum to 1. Result: d (K, m). Size: about 1 line.
    raise NotImplementedError(
        'ex12_softmax.softmax_cross_entropy_delta is not implemented yet: write it with equations '
        '(BP1), (SMJ) from notebooks/12_softmax_cross_entropy.ipynb.'
    )
