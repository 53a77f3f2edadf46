"""Uses a hard-coded step instead of the epsilon argument."""
import numpy as np
from ex03_cost import cost


def numerical_gradient(Theta, X, Y, lambda_, epsilon):
    step = 1e-4
    work = {l: T.copy() for l, T in Theta.items()}
    D = {}
    for l, T in work.items():
        D[l] = np.zeros_like(T)
        for i, j in np.ndindex(*T.shape):
            original = T[i, j]
            T[i, j] = original + step
            J_plus = cost(work, X, Y, lambda_)
            T[i, j] = original - step
            J_minus = cost(work, X, Y, lambda_)
            T[i, j] = original
            D[l][i, j] = (J_plus - J_minus) / (2 * step)
    return D
