"""Issue 15: g(z)(1 - z), z where (G2) has g(z). At z = 0 it equals g itself, so that case names no mistake."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    g = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g[()] if g.ndim == 0 else g


def sigmoid_gradient(z):
    g = sigmoid(z)
    return g * (1 - z)
