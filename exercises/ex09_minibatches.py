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
    # Hint: No equation: the shuffle-and-cut rule of the section 'Math: the gradient of a batch' (one
    # permutation of the m columns from a generator seeded with seed, applied to X and Y alike, cut
    # into consecutive pieces). Result: a list of (X_batch (n, b), Y_batch (K, b)). Size: about 6
    # lines.
    raise NotImplementedError(
        'ex09_minibatches.minibatches is not implemented yet: write it with the rule of '
        'notebooks/09_batches_and_training.ipynb.'
    )
