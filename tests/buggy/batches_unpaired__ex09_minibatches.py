"""Shuffles X and Y with two different permutations."""
import numpy as np


def minibatches(X, Y, batch_size, seed):
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    order_x, order_y = rng.permutation(m), rng.permutation(m)
    return [(X[:, order_x[s:s + batch_size]], Y[:, order_y[s:s + batch_size]]) for s in range(0, m, batch_size)]
