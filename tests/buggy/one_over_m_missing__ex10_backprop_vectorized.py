"""Forgets the 1/m (the short article prints it as '1m')."""
from ex01_sigmoid import sigmoid_gradient
from ex02_forward import forward


def backprop(Theta, X, Y, lambda_):
    L = len(Theta) + 1
    a, z = forward(Theta, X)
    d = {L: a[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * sigmoid_gradient(z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1] @ a[l].T
        D[l][:, 1:] += lambda_ * Theta[l][:, 1:]
    return D
