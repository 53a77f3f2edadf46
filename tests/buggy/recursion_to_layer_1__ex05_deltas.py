"""Issue 15: the layer loop runs down to l = 1, where z has no layer (KeyError: 1)."""
import numpy as np  # noqa: F401
from ex01_sigmoid import sigmoid_gradient
from ex02_forward import forward


def deltas(Theta, x, y):
    L = len(Theta) + 1
    a, z = forward(Theta, x)
    d = {L: a[L] - y}
    for l in range(L - 1, 0, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * sigmoid_gradient(z[l])
    return d
