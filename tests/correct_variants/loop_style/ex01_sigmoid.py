import math

import numpy as np


def _g(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def sigmoid(z):
    if np.ndim(z) == 0:
        return _g(float(z))
    return np.vectorize(_g, otypes=[float])(z)


def sigmoid_gradient(z):
    g = sigmoid(z)
    return g * (1 - g)
