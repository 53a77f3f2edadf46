r"""Exercise 7: the numerical gradient by central differences.

Work it out in ``notebooks/07_gradient_checking.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex07``.
"""

import numpy as np  # noqa: F401
from ex03_cost import cost  # noqa: F401  (your exercise 3; backprop_course.cost works too)


def numerical_gradient(Theta, X, Y, lambda_, epsilon):
    r"""dJ/dTheta estimated by central differences, one weight at a time.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
        Not modified.
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    epsilon : float > 0
        The step, e.g. 1e-4.

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}

    Notes
    -----
    .. math::
        \frac{\partial J}{\partial \Theta^{(l)}_{ij}} \approx
        \frac{J(\Theta + \epsilon E_{ij}) - J(\Theta - \epsilon E_{ij})}{2\epsilon}  \quad (NG)
    """
    # Hint: (NG). Perturb one weight at a time on a copy, on both sides, and put it back before moving
    # on. Result: D[l] of the shape of Theta[l]. Size: about 12 lines.
    raise NotImplementedError(
        'ex07_numerical_gradient.numerical_gradient is not implemented yet: write it with equations '
        '(NG) from notebooks/07_gradient_checking.ipynb.'
    )
