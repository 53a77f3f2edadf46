"""Issue 15: a stable sigmoid, but sigmoid_gradient exponentiates z itself and overflows."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    g = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g[()] if g.ndim == 0 else g


def sigmoid_gradient(z):
    e = np.exp(-np.asarray(z, dtype=float))
    return e / (1 + e) ** 2
