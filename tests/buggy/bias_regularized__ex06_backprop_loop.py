"""Regularizes the bias column too."""
import numpy as np
from ex02_forward import forward
from ex05_deltas import deltas


def backprop_loop(Theta, X, Y, lambda_):
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in range(1, L)}
    for t in range(m):
        x, y = X[:, [t]], Y[:, [t]]
        a, _ = forward(Theta, x)
        d = deltas(Theta, x, y)
        for l in range(1, L):
            Delta[l] += d[l + 1] @ a[l].T
    return {l: (Delta[l] + lambda_ * Theta[l]) / m for l in range(1, L)}
