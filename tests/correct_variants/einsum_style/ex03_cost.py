import numpy as np


def cost(Theta, X, Y, lambda_):
    m = X.shape[1]
    a = np.vstack([np.ones(m), X])
    for l in range(1, len(Theta) + 1):
        z = Theta[l] @ a
        a = np.vstack([np.ones(m), 1 / (1 + np.exp(-z))]) if l < len(Theta) else z
    # -log g(z) = log(1 + e^-z), written with logaddexp
    J = np.sum(Y * np.logaddexp(0, -a) + (1 - Y) * np.logaddexp(0, a)) / m
    J += lambda_ / (2 * m) * sum(np.einsum("ij,ij->", T[:, 1:], T[:, 1:]) for T in Theta.values())
    return J
