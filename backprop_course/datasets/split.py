"""A seeded, stratified train/test split in the column layout."""

import numpy as np

from .. import _checks
from ..labels import labels_from_outputs

__all__ = ["train_test_split"]


def _is_class_targets(Y):
    """True when Y is 0/1 (K = 1) or one-hot (K > 1): then stratifying by class makes sense."""
    if Y.shape[0] == 1:
        return bool(np.all((Y == 0.0) | (Y == 1.0)))
    return bool(np.all((Y == 0.0) | (Y == 1.0)) and np.all(Y.sum(axis=0) == 1.0))


def _test_counts(class_sizes, n_test):
    """How many test examples each class gives so the total is n_test and each share is proportional.

    Largest-remainder rounding: every class first gets floor(n_test * m_c / m), then the
    remaining examples go to the classes with the largest fractional parts (ties: lower class first).
    """
    class_sizes = np.asarray(class_sizes)
    quota = n_test * class_sizes / class_sizes.sum()
    counts = np.floor(quota).astype(np.int64)
    left = n_test - int(counts.sum())
    by_remainder = np.argsort(-(quota - counts), kind="stable")
    counts[by_remainder[:left]] += 1
    return counts


def train_test_split(X, Y, test_fraction=0.25, seed=0, stratify=True):
    """Split the m columns into a training set and a held-out test set, shuffled and seeded.

    Parameters
    ----------
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    test_fraction : float, 0 < test_fraction < 1, default 0.25
        Share of the examples held out; the test set gets ``round(test_fraction * m)`` of them,
        and both sets must end up with at least one example.
    seed : None, int or numpy.random.Generator, default 0
        The same seed gives the same split.
    stratify : bool, default True
        When Y holds class targets (0/1 with K = 1, or one-hot columns), each class is split in
        the same proportion, so the test set's class mix matches the whole set's (up to rounding
        by one example per class). For other targets (e.g. regression) the split is a plain shuffle.

    Returns
    -------
    X_train : ndarray of float64, shape (n, m - m_test)
    Y_train : ndarray of float64, shape (K, m - m_test)
    X_test : ndarray of float64, shape (n, m_test)
    Y_test : ndarray of float64, shape (K, m_test)
        New arrays (changing them never changes X or Y); column t of X_train still belongs to
        column t of Y_train. Each part is in shuffled order.

    Notes
    -----
    The test set estimates how the trained network does on examples it has never seen. Touch it
    once, at the end: tuning alpha or lambda on it makes the estimate optimistic (use a third,
    validation split for tuning, e.g. by splitting X_train again).
    """
    X = _checks.as_matrix("X", X, np.float64, hint_1d="One feature for m examples is a row: use X.reshape(1, -1).")
    Y = _checks.as_matrix("Y", Y, np.float64, hint_1d="One target per example is a row: use Y.reshape(1, -1).")
    m = X.shape[1]
    if Y.shape[1] != m:
        hint = " Did you pass examples as rows? Examples are columns here: use .T." if Y.shape[0] == m else ""
        raise ValueError(
            f"X has m = {m} columns (examples) but Y has {Y.shape[1]} (Y has shape {Y.shape}); "
            f"each example (column of X) needs its target (the same column of Y).{hint}"
        )
    test_fraction = _checks.check_number(
        "test_fraction", test_fraction, low=0.0, low_open=True, high=1.0,
        hint="It is the share of examples held out for testing, e.g. 0.25.",
    )
    if test_fraction == 1.0:
        raise ValueError("test_fraction must be < 1 (some examples must be left to train on); got 1.0. Try 0.25.")
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(f"stratify must be True or False; got {stratify!r}.")
    rng = _checks.make_rng(seed)
    m_test = int(round(test_fraction * m))
    if m_test < 1 or m_test > m - 1:
        side = "test" if m_test < 1 else "training"
        raise ValueError(
            f"test_fraction={test_fraction:g} of m = {m} examples leaves {m_test} for testing and "
            f"{m - m_test} for training, but both sets need at least one example (the {side} set is "
            f"empty). Use more examples or a test_fraction between {1.5 / m:.3g} and {1 - 1.5 / m:.3g}."
        )

    if stratify and _is_class_targets(Y):
        y = labels_from_outputs(Y)
        classes = np.unique(y)
        members = [np.flatnonzero(y == c) for c in classes]
        counts = _test_counts([len(idx) for idx in members], m_test)
        test_parts, train_parts = [], []
        for idx, n_c in zip(members, counts, strict=True):
            idx = rng.permutation(idx)
            test_parts.append(idx[:n_c])
            train_parts.append(idx[n_c:])
        test_idx = rng.permutation(np.concatenate(test_parts))
        train_idx = rng.permutation(np.concatenate(train_parts))
    else:
        order = rng.permutation(m)
        test_idx, train_idx = order[:m_test], order[m_test:]

    # Fancy indexing copies, so the four results share no memory with X and Y.
    return X[:, train_idx], Y[:, train_idx], X[:, test_idx], Y[:, test_idx]
