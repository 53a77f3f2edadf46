import numpy as np


def deltas(Theta, x, y):
    """Everything with explicit loops over units (slow, but right)."""
    L = len(Theta) + 1
    a = {1: [1.0] + [float(v) for v in x[:, 0]]}
    for l in range(1, L):
        zs = [sum(Theta[l][i, j] * a[l][j] for j in range(len(a[l]))) for i in range(Theta[l].shape[0])]
        gs = [1 / (1 + np.exp(-v)) for v in zs]
        a[l + 1] = gs if l + 1 == L else [1.0] + gs
    d = {L: np.array([[a[L][k] - y[k, 0]] for k in range(len(a[L]))])}
    for l in range(L - 1, 1, -1):
        rows = []
        for j in range(1, Theta[l].shape[1]):
            back = sum(Theta[l][i, j] * d[l + 1][i, 0] for i in range(Theta[l].shape[0]))
            rows.append([back * a[l][j] * (1 - a[l][j])])
        d[l] = np.array(rows)
    return d
