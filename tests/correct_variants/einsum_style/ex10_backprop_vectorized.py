import numpy as np
from ex02_forward import forward


def backprop(Theta, X, Y, lambda_):
    L = len(Theta) + 1
    m = X.shape[1]
    a, z = forward(Theta, X)
    d = a[L] - Y
    D = {}
    for l in range(L - 1, 0, -1):
        D[l] = np.einsum("it,jt->ij", d, a[l]) / m
        reg = Theta[l].copy()
        reg[:, 0] = 0
        D[l] += (lambda_ / m) * reg
        if l > 1:
            g = a[l][1:]
            d = np.einsum("ij,it->jt", Theta[l][:, 1:], d) * g * (1 - g)
    return D
