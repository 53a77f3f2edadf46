"""The textbook formula: exp(-z) overflows for z below about -710."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_gradient(z):
    g = sigmoid(z)
    return g * (1.0 - g)
