"""The short article's slip: multiplies by g(z) instead of g'(z) in (BP2)."""
from ex01_sigmoid import sigmoid
from ex02_forward import forward


def deltas(Theta, x, y):
    L = len(Theta) + 1
    a, z = forward(Theta, x)
    d = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * sigmoid(z[l])
    return d
