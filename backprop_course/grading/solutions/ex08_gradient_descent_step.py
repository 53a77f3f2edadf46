r"""Exercise 8: one step of gradient descent.

Work it out in ``notebooks/08_gradient_descent.ipynb`` and grade it there with the check cell of its
Exercise section, or in a terminal where the course's environment is active (README.md, "Self-study
quick start") with ``backprop-course grade --exercise ex08``.
"""

import numpy as np  # noqa: F401


def gradient_descent_step(Theta, D, alpha):
    r"""The updated weights Theta(l) - alpha D(l) for every layer.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    D : dict {l: ndarray}, same keys and shapes as Theta
    alpha : float > 0
        The learning rate.

    Returns
    -------
    dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        New arrays; Theta and D are not modified.

    Notes
    -----
    .. math:: \Theta^{(l)} := \Theta^{(l)} - \alpha\, D^{(l)}  \quad (GD)
    """
    # BEGIN SOLUTION
    return {l: Theta[l] - alpha * D[l] for l in Theta}                  # (GD)
    # END SOLUTION
