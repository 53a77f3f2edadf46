"""Works on Theta itself and never puts the perturbed weight back."""
import numpy as np
from ex03_cost import cost


def numerical_gradient(Theta, X, Y, lambda_, epsilon):
    D = {}
    for l, T in Theta.items():
        D[l] = np.zeros_like(T)
        for i, j in np.ndindex(*T.shape):
            original = T[i, j]
            T[i, j] = original + epsilon
            J_plus = cost(Theta, X, Y, lambda_)
            T[i, j] = original - epsilon
            J_minus = cost(Theta, X, Y, lambda_)
            D[l][i, j] = (J_plus - J_minus) / (2 * epsilon)
    return D
