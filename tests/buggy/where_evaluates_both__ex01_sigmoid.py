"""Issue 15: both forms of (G1) under numpy's where, which evaluates both before it picks one."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def sigmoid_gradient(z):
    g = sigmoid(z)
    return g * (1 - g)
