"""Forgets the bias row of ones on the hidden layers."""
import numpy as np
from ex01_sigmoid import sigmoid


def forward(Theta, X):
    L = len(Theta) + 1
    a = {1: np.vstack([np.ones((1, X.shape[1])), X])}
    z = {}
    for l in range(1, L):
        z[l + 1] = Theta[l] @ a[l]
        a[l + 1] = sigmoid(z[l + 1])
    return a, z
