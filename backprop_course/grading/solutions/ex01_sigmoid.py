r"""Exercise 1: the sigmoid g and its derivative g'.

Work it out in ``notebooks/01_neuron_and_sigmoid.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex01``.
"""

import numpy as np  # noqa: F401


def sigmoid(z):
    r"""The logistic sigmoid g(z) = 1 / (1 + exp(-z)), elementwise.

    Parameters
    ----------
    z : float or ndarray, any shape

    Returns
    -------
    float or ndarray, same shape as `z`
        Values in [0, 1], with no overflow warning for any z (try z = -1000).

    Notes
    -----
    .. math:: g(z) = \frac{1}{1 + e^{-z}}  \quad (G1)
    """
    # BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))                              # at most 1: never overflows
    g = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # (G1), written two equivalent ways
    return g[()] if g.ndim == 0 else g
    # END SOLUTION


def sigmoid_gradient(z):
    r"""The derivative of the sigmoid, g'(z) = g(z) (1 - g(z)), elementwise.

    Parameters
    ----------
    z : float or ndarray, any shape

    Returns
    -------
    float or ndarray, same shape as `z`
        Values in [0, 1/4]; 1/4 at z = 0.

    Notes
    -----
    .. math:: g'(z) = g(z)\,\bigl(1 - g(z)\bigr)  \quad (G2)
    """
    # BEGIN SOLUTION
    g = sigmoid(z)
    return g * (1.0 - g)                                # (G2)
    # END SOLUTION
