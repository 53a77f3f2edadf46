r"""Class labels and targets: one-hot columns, the one rule that reads a label off an output, accuracy.

A classifier's targets Y and outputs a(L) are columns of K numbers; its labels are integers 0 .. K-1.

- :func:`one_hot` turns labels into targets Y of shape (K, m);
- :func:`labels_from_outputs` turns targets or outputs back into labels, by the course's one rule
  (K = 1: a >= 0.5 is class 1; K > 1: the largest entry wins), the rule :func:`~backprop_course.predict`
  uses;
- :func:`accuracy` and :func:`confusion_matrix` compare true and predicted labels
  (``notebooks/13_handwritten_digits.ipynb``).

numpy only, like the rest of the core.
"""

import numpy as np

from . import _checks

__all__ = ["one_hot", "labels_from_outputs", "accuracy", "confusion_matrix"]


def one_hot(labels, K):
    """Targets Y of shape (K, m) from integer labels 0 .. K-1: Y[labels[t], t] = 1.

    Parameters
    ----------
    labels : array-like of int, shape (m,)
    K : int >= 1, the number of classes

    Returns
    -------
    Y : ndarray of float64, shape (K, m)
    """
    K = _checks.check_number("K", K, low=1, integer=True)
    labels = np.asarray(labels)
    if labels.ndim == 2 and 1 in labels.shape:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, one label per example; got shape {labels.shape}.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not np.issubdtype(labels.dtype, np.number) or not np.all(np.isfinite(labels)) \
                or not np.all(labels == np.round(labels)):
            numeric = np.issubdtype(labels.dtype, np.number)
            bad = labels[~(np.isfinite(labels) & (labels == np.round(labels)))] if numeric else labels
            raise TypeError(f"labels must be whole numbers 0 .. K-1; got dtype {labels.dtype} "
                            f"with values such as {bad.ravel()[0].item()!r}. "
                            f"Class labels are integers: use np.asarray(labels, dtype=int) if they are.")
        labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= K):
        hint = ""
        if labels.min() >= 1 and labels.max() == K:
            hint = " Labels numbered 1 .. K? Subtract 1."
        raise ValueError(f"labels must lie in 0 .. {K - 1} for K = {K} classes; "
                         f"got values from {labels.min()} to {labels.max()}.{hint}")
    Y = np.zeros((K, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def labels_from_outputs(Y):
    """Integer class labels from targets Y or from network outputs a(L).

    Parameters
    ----------
    Y : ndarray, shape (K, m)
        Targets or outputs, one column per example.

    Returns
    -------
    ndarray of int64, shape (m,)
        K = 1 (binary): 1 where Y >= 0.5, else 0. K > 1 (one-hot or softmax columns): the row
        index of the largest entry, 0 .. K-1. :func:`~backprop_course.predict` applies the same rule
        to a(L), so ``labels_from_outputs(Y) == predict(Theta, X)`` is the per-example "correct" mask.

    Examples
    --------
    >>> labels_from_outputs(np.array([[0.2, 0.7, 0.5]]))
    array([0, 1, 1])
    >>> labels_from_outputs(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]))
    array([0, 2])
    """
    Y = _checks.as_matrix("Y", Y, np.float64, hint_1d=(
        "Targets are one column per example: a row of 0/1 targets is Y.reshape(1, -1) "
        "(a 1-D array of class numbers already is the labels)."))
    if Y.shape[0] == 1:
        return (Y[0] >= 0.5).astype(np.int64)
    return np.argmax(Y, axis=0).astype(np.int64)


def _check_labels(name, labels):
    labels = np.asarray(labels)
    if labels.ndim != 1 or (labels.size and not np.issubdtype(labels.dtype, np.integer)):
        raise ValueError(f"{name} must be a 1-D array of integer class labels; got dtype {labels.dtype}, "
                         f"shape {labels.shape}. From targets or outputs Y use labels_from_outputs(Y).")
    return labels


def accuracy(labels_true, labels_pred):
    """The fraction of examples whose predicted label equals the true one (0 .. 1).

    Parameters
    ----------
    labels_true, labels_pred : array of int, shape (m,), m >= 1

    Returns
    -------
    float
    """
    t, p = _check_labels("labels_true", labels_true), _check_labels("labels_pred", labels_pred)
    if t.shape != p.shape or t.size == 0:
        raise ValueError(f"accuracy needs two label arrays of one non-empty shape; got {t.shape} and {p.shape}.")
    return float(np.mean(t == p))


def confusion_matrix(labels_true, labels_pred, K):
    """Counts C[i, j] of examples of true class i predicted as class j.

    Parameters
    ----------
    labels_true, labels_pred : array of int, shape (m,), values 0 .. K-1
    K : int >= 1

    Returns
    -------
    C : ndarray of int, shape (K, K)
        Rows are true classes, columns predictions; the diagonal counts the correct ones.

    Used in ``notebooks/13_handwritten_digits.ipynb``.
    """
    t, p = _check_labels("labels_true", labels_true), _check_labels("labels_pred", labels_pred)
    K = _checks.check_number("K", K, low=1, integer=True)
    if t.shape != p.shape:
        raise ValueError(f"labels_true and labels_pred need one label per example each; got shapes "
                         f"{t.shape} and {p.shape}.")
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= K):
        raise ValueError(f"labels must lie in 0 .. {K - 1}; got values from {min(t.min(), p.min())} "
                         f"to {max(t.max(), p.max())}.")
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (t, p), 1)
    return C
