"""Keeps the bias row of Theta' d (uses a(1 - a) with a's bias row, so the shapes fit)."""
from ex02_forward import forward


def deltas(Theta, x, y):
    L = len(Theta) + 1
    a, z = forward(Theta, x)
    d = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1]) * a[l] * (1 - a[l])
    return d
