import numpy as np


def minibatches(X, Y, batch_size, seed):
    m = X.shape[1]
    rng = np.random.RandomState(seed)
    order = rng.choice(m, size=m, replace=False)
    n_batches = int(np.ceil(m / batch_size))
    return [(X[:, idx], Y[:, idx]) for idx in np.array_split(order, np.arange(batch_size, m, batch_size))][:n_batches]
