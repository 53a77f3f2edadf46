"""Data sets in the column layout: X of shape (n, m), Y of shape (K, m). (Being written.)"""

import numpy as np


def xor():
    """The four XOR points: X of shape (2, 4), Y of shape (1, 4)."""
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return X, Y
