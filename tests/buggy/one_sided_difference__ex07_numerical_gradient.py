"""Forward differences (J(Theta + eps) - J(Theta)) / eps."""
import numpy as np
from ex03_cost import cost


def numerical_gradient(Theta, X, Y, lambda_, epsilon):
    work = {l: T.copy() for l, T in Theta.items()}
    J0 = cost(work, X, Y, lambda_)
    D = {}
    for l, T in work.items():
        D[l] = np.zeros_like(T)
        for i, j in np.ndindex(*T.shape):
            original = T[i, j]
            T[i, j] = original + epsilon
            D[l][i, j] = (cost(work, X, Y, lambda_) - J0) / epsilon
            T[i, j] = original
    return D
