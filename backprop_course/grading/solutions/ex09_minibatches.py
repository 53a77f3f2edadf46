r"""Exercise 9: shuffled mini-batches that cover every example once per epoch.

Work it out in ``notebooks/09_batches_and_training.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex09``.
"""

import numpy as np  # noqa: F401


def minibatches(X, Y, batch_size, seed):
    r"""Shuffle the m columns once and cut them into batches of `batch_size`.

    Parameters
    ----------
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    batch_size : int, 1 <= batch_size <= m
        The last batch is smaller when batch_size does not divide m.
    seed : int
        The same seed gives the same batches.

    Returns
    -------
    list of (X_batch, Y_batch)
        ``X_batch`` of shape (n, b), ``Y_batch`` of shape (K, b); every example appears in exactly
        one batch, next to its own target.
    """
    # BEGIN SOLUTION
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)                  # one shuffle for X and Y
    batches = []
    for start in range(0, m, batch_size):
        columns = order[start:start + batch_size]
        batches.append((X[:, columns], Y[:, columns]))
    return batches
    # END SOLUTION
