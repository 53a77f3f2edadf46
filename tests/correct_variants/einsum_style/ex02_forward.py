import numpy as np

from backprop_course import sigmoid  # a library helper from an earlier exercise: allowed


def forward(Theta, X):
    a, z = {1: np.insert(X, 0, 1.0, axis=0)}, {}
    L = len(Theta) + 1
    for l in sorted(Theta):
        z[l + 1] = np.einsum("ij,jt->it", Theta[l], a[l])
        h = sigmoid(z[l + 1])
        a[l + 1] = h if l + 1 == L else np.insert(h, 0, 1.0, axis=0)
    return a, z
