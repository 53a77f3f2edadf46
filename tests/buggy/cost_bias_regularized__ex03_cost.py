"""Penalizes the bias column in the cost."""
import numpy as np
from ex02_forward import forward


def cost(Theta, X, Y, lambda_):
    L = len(Theta) + 1
    m = X.shape[1]
    h = forward(Theta, X)[0][L]
    data = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m
    return float(data + lambda_ / (2 * m) * sum(np.sum(T ** 2) for T in Theta.values()))
