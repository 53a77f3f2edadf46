"""Drops the last, smaller batch."""
import numpy as np


def minibatches(X, Y, batch_size, seed):
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)
    return [(X[:, order[s:s + batch_size]], Y[:, order[s:s + batch_size]])
            for s in range(0, m - batch_size + 1, batch_size)]
