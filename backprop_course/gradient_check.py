r"""Gradient checking: the numerical gradient by central differences, and relative error.

A backpropagation implementation is only trusted once its D agrees with
:math:`(J(\Theta + \epsilon E_{ij}) - J(\Theta - \epsilon E_{ij})) / (2\epsilon)` for every weight.
Explained in ``notebooks/07_gradient_checking.ipynb``.
"""

import numpy as np

from . import _checks
from .network import _checked, _cost


def numerical_gradient(Theta, X, Y, lambda_=0.0, epsilon=1e-4, activation="sigmoid",
                       output="sigmoid", loss="cross_entropy"):
    r"""The gradient of J by central differences, one weight at a time.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    epsilon : float > 0
        The step. 1e-4 balances the truncation error (about epsilon^2) against the round-off
        error (about 1e-16 / epsilon) in float64.
    activation, output, loss : str

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}

    Notes
    -----
    .. math::
        \frac{\partial J}{\partial \Theta^{(l)}_{ij}} \approx
        \frac{J(\Theta + \epsilon E_{ij}) - J(\Theta - \epsilon E_{ij})}{2\epsilon}  \quad (NG)

    It costs two forward passes per weight, so use it on small networks only. Theta is never
    modified: the function perturbs a private copy and restores each weight after use.
    """
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, activation, output, loss)
    epsilon = _checks.check_number("epsilon", epsilon, low=0.0, low_open=True,
                                   hint="a typical step is 1e-4 (float64).")
    work = {l: T.astype(np.float64, copy=True) for l, T in Theta.items()}
    X = X.astype(np.float64, copy=False)
    Y = Y.astype(np.float64, copy=False)

    def J():
        return _cost(work, X, Y, lambda_, activation, output, loss)

    D = {}
    for l, T in work.items():
        D[l] = np.zeros_like(T)
        for i, j in np.ndindex(*T.shape):
            original = T[i, j]
            T[i, j] = original + epsilon
            J_plus = J()
            T[i, j] = original - epsilon
            J_minus = J()
            T[i, j] = original                                           # restore before moving on
            D[l][i, j] = (J_plus - J_minus) / (2 * epsilon)              # (NG)
    return D


def relative_error(A, B):
    r"""Relative error :math:`\lVert A - B\rVert / \max(\lVert A\rVert + \lVert B\rVert, 10^{-300})`.

    Parameters
    ----------
    A, B : ndarray of the same shape, or dicts of such arrays with the same keys (all blocks
        are then measured together).

    Returns
    -------
    float
        0 for identical inputs; around 1e-9 or less for a correct float64 gradient against
        the numerical one; around 1 when they have nothing in common.
    """
    if isinstance(A, dict) or isinstance(B, dict):
        if not (isinstance(A, dict) and isinstance(B, dict)) or sorted(A) != sorted(B):
            raise ValueError("relative_error needs two arrays, or two dicts with the same keys.")
        A = np.concatenate([np.ravel(A[k]) for k in sorted(A)])
        B = np.concatenate([np.ravel(B[k]) for k in sorted(B)])
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if A.shape != B.shape:
        raise ValueError(f"relative_error needs arrays of one shape; got {A.shape} and {B.shape}.")
    return float(np.linalg.norm(A - B) / max(np.linalg.norm(A) + np.linalg.norm(B), 1e-300))
