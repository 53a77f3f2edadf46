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
    # BEGIN SOLUTION
    if velocity is None:
        velocity = {l: np.zeros_like(Theta[l]) for l in Theta}
    velocity = {l: beta * velocity[l] + D[l] for l in Theta}                # (M1)
    Theta = {l: Theta[l] - alpha * velocity[l] for l in Theta}              # (M2)
    return Theta, velocity
    # END SOLUTION


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
    # BEGIN SOLUTION
    if state is None:
        state = {"t": 0, "m": {l: np.zeros_like(Theta[l]) for l in Theta},
                 "v": {l: np.zeros_like(Theta[l]) for l in Theta}}
    t = state["t"] + 1
    m = {l: beta1 * state["m"][l] + (1 - beta1) * D[l] for l in Theta}             # (A1)
    v = {l: beta2 * state["v"][l] + (1 - beta2) * D[l] ** 2 for l in Theta}        # (A2)
    new_Theta = {}
    for l in Theta:
        m_hat = m[l] / (1 - beta1 ** t)                                            # (A3)
        v_hat = v[l] / (1 - beta2 ** t)                                            # (A4)
        new_Theta[l] = Theta[l] - alpha * m_hat / (np.sqrt(v_hat) + epsilon)       # (A5)
    return new_Theta, {"t": t, "m": m, "v": v}
    # END SOLUTION
