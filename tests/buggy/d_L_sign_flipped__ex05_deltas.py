"""Output error written y - a(L)."""
from ex01_sigmoid import sigmoid_gradient
from ex02_forward import forward


def deltas(Theta, x, y):
    L = len(Theta) + 1
    a, z = forward(Theta, x)
    d = {L: y - a[L]}
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * sigmoid_gradient(z[l])
    return d
