r"""Exercise 16: momentum and Adam, one step each.

Work it out in ``notebooks/16_optimizers.ipynb`` and grade it there with the check cell of its
Exercise section, or in a terminal where the course's environment is active (README.md, "Self-study
quick start") with ``backprop-course grade --exercise ex16``.
"""

import numpy as np  # noqa: F401


def momentum_step(Theta, D, velocity, alpha, beta=0.9):
    r"""One step of gradient descent with momentum (the heavy ball) for every layer.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    D : dict {l: ndarray}, same keys and shapes as Theta
    velocity : dict {l: ndarray} like Theta, or None
        The velocity the previous step returned; None starts from zeros.
    alpha : float > 0
        The learning rate.
    beta : float in [0, 1)
        The fraction of the velocity kept from one step to the next.

    Returns
    -------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        The new weights.
    velocity : dict {l: ndarray}
        The new velocity, for the next step. Theta, D and velocity are not modified.

    Notes
    -----
    .. math::
        v^{(l)} := \beta\, v^{(l)} + D^{(l)}  \quad (M1) \qquad
        \Theta^{(l)} := \Theta^{(l)} - \alpha\, v^{(l)}  \quad (M2)
    """
    # Hint: (M1), (M2). A velocity of None stands for zeros; the new velocity moves the weights.
    # Result: (Theta, velocity), two new dicts like Theta. Size: about 5 lines.
    raise NotImplementedError(
        'ex16_optimizers.momentum_step is not implemented yet: write it with equations (M1), (M2) '
        'from notebooks/16_optimizers.ipynb.'
    )


def adam_step(Theta, D, state, alpha, beta1=0.9, beta2=0.999, epsilon=1e-8):
    r"""One Adam step for every layer, with bias correction.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    D : dict {l: ndarray}, same keys and shapes as Theta
    state : dict or None
        ``{"t": steps taken so far, "m": {l: ndarray like Theta[l]}, "v": {l: ndarray like Theta[l]}}``
        as the previous step returned it; None starts at t = 0 with m = v = 0. Here m and v are the
        moving averages of D and of D squared, not the number of examples.
    alpha : float > 0
        The step size.
    beta1, beta2 : float in [0, 1)
        The decay rates of the moving averages of D and of D squared.
    epsilon : float > 0
        Keeps the division finite where D has been 0.

    Returns
    -------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        The new weights.
    state : dict
        ``{"t": t + 1, "m": ..., "v": ...}``, for the next step. Theta, D and state are not modified.

    Notes
    -----
    With :math:`t := t + 1`, elementwise:

    .. math::
        m^{(l)} := \beta_1 m^{(l)} + (1 - \beta_1) D^{(l)}  \quad (A1) \qquad
        v^{(l)} := \beta_2 v^{(l)} + (1 - \beta_2) \bigl(D^{(l)}\bigr)^2  \quad (A2)

        \hat m^{(l)} = \frac{m^{(l)}}{1 - \beta_1^t}  \quad (A3) \qquad
        \hat v^{(l)} = \frac{v^{(l)}}{1 - \beta_2^t}  \quad (A4) \qquad
        \Theta^{(l)} := \Theta^{(l)} - \alpha\, \frac{\hat m^{(l)}}{\sqrt{\hat v^{(l)}} + \epsilon}  \quad (A5)
    """
    # Hint: (A1), (A2), (A3), (A4), (A5). A state of None stands for t = 0 and m = v = 0; t counts the
    # steps from 1, and the returned state holds the new t, m and v. Result: (Theta, state), a new
    # dict like Theta and a new state with keys t, m and v. Size: about 12 lines.
    raise NotImplementedError(
        'ex16_optimizers.adam_step is not implemented yet: write it with equations (A1), (A2), (A3), '
        '(A4), (A5) from notebooks/16_optimizers.ipynb.'
    )
