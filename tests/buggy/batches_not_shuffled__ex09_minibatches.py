"""Cuts the batches in the original order."""


def minibatches(X, Y, batch_size, seed):
    m = X.shape[1]
    return [(X[:, s:s + batch_size], Y[:, s:s + batch_size]) for s in range(0, m, batch_size)]
