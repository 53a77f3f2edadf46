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
    # Hint: (G1). E^{-z} overflows for z below about -710: use a form that only ever exponentiates
    # -|z|. Result: same shape as z (a float for a float). Size: about 3 lines.
    raise NotImplementedError(
        'ex01_sigmoid.sigmoid is not implemented yet: write it with equations (G1) from '
        'notebooks/01_neuron_and_sigmoid.ipynb.'
    )


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
    # Hint: (G2). Reuse your sigmoid. Result: same shape as z. Size: about 2 lines.
    raise NotImplementedError(
        'ex01_sigmoid.sigmoid_gradient is not implemented yet: write it with equations (G2) from '
        'notebooks/01_neuron_and_sigmoid.ipynb.'
    )
