r"""Handwritten digits: 1,797 images of 8x8 pixels, the course's first real data set.

The images ship inside the package (``datasets/data/digits.npz``, 45 kB), so they load offline.
They are the test part of the UCI "Optical Recognition of Handwritten Digits" data set, licensed
under CC BY 4.0; see ``datasets/data/README.md`` for the license, the citation and how the file
was made.
"""

import functools
from importlib import resources

import numpy as np

from .. import _checks
from ..labels import one_hot

__all__ = ["digits", "digit_images", "DIGITS_CITATION"]

DIGITS_CITATION = (
    "Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten Digits. "
    "UCI Machine Learning Repository. https://doi.org/10.24432/C50P49 (CC BY 4.0)"
)

_SIDE = 8          # images are 8 x 8 pixels
_N_PIXELS = _SIDE * _SIDE
_MAX_PIXEL = 16    # each pixel counts the ink in a 4 x 4 block of a 32 x 32 bitmap: 0 .. 16


@functools.lru_cache(maxsize=1)
def _load_raw():
    """The stored arrays: images uint8 (1797, 8, 8) with values 0..16 and labels uint8 (1797,)."""
    source = resources.files(__package__).joinpath("data", "digits.npz")
    try:
        with source.open("rb") as f, np.load(f) as npz:
            images, labels = npz["images"], npz["labels"]
    except FileNotFoundError:
        raise FileNotFoundError(
            f"the digits data file is missing from the installed package (looked for {source}). "
            "It ships as package data in backprop_course/datasets/data/; reinstall the package "
            "(pip install backprop-course, or pip install -e . in a checkout)."
        ) from None
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def digits():
    r"""The UCI handwritten digits: 1,797 images of 8x8 pixels, ten classes 0-9.

    Returns
    -------
    X : ndarray of float64, shape (64, 1797)
        One image per column, its 8 rows of 8 pixels read left to right, top to bottom
        (``X[:, t].reshape(8, 8)`` is image t; :func:`digit_images` does this for all columns).
        Pixels are ink counts 0..16 divided by 16, so they lie in [0, 1] and need no further scaling.
    Y : ndarray of float64, shape (10, 1797)
        One-hot targets: ``Y[k, t] = 1`` when image t shows digit k. About 180 images per digit
        (174 to 183). :func:`backprop_course.labels_from_outputs` turns Y back into digits 0..9.

    Notes
    -----
    What it teaches: a real classification problem with K = 10 output units, where the pieces
    built on the toy problems (one-hot targets, a hidden layer, the cost, backprop, a train/test
    split) have to work together. A 64-25-10 sigmoid network trained for a few seconds reaches
    about 97% accuracy on held-out images (see ``notebooks/13_handwritten_digits.ipynb``), and the
    rows of Theta(1), reshaped to 8x8, show what the hidden units look for.

    The images were made by NIST's preprocessing programs: each digit was scanned from a form as a
    32x32 bitmap, and every 4x4 block was replaced by its count of inked pixels (0..16). These
    1,797 images are the UCI *test* part, written by 13 people; the original training part
    (3,823 images, 30 other writers) is not included. The columns are in the original file's order,
    so shuffle (e.g. with :func:`train_test_split`) before cutting off a test set.

    Source and license: Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten Digits.
    UCI Machine Learning Repository. https://doi.org/10.24432/C50P49. Licensed under CC BY 4.0
    (https://creativecommons.org/licenses/by/4.0/); cite it if you publish results on it
    (:data:`DIGITS_CITATION`). Nothing is downloaded: the file ships inside the package.

    Examples
    --------
    >>> X, Y = digits()
    >>> X.shape, Y.shape
    ((64, 1797), (10, 1797))
    """
    images, digit = _load_raw()
    X = images.reshape(len(images), _N_PIXELS).T / _MAX_PIXEL
    Y = one_hot(digit, 10)
    return np.ascontiguousarray(X), Y


def digit_images(X):
    """Turn image columns back into 8x8 pictures for plotting (e.g. with ``ax.imshow``).

    Parameters
    ----------
    X : ndarray, shape (64, m)
        Images as columns, as :func:`digits` returns them (or any (64, m) array, such as
        ``Theta[1][:, 1:].T``: each hidden unit's input weights, shown as the pattern it responds to).

    Returns
    -------
    ndarray, shape (m, 8, 8)
        ``images[t]`` is column t with its pixels in 8 rows of 8; a new array, dtype of X kept
        (float64 for integer input).
    """
    X = _checks.as_matrix("X", X, hint_1d="A single image is one column: use X.reshape(64, 1).")
    if X.shape[0] != _N_PIXELS:
        hint = " Images as rows? Pass X.T." if X.shape[1] == _N_PIXELS else ""
        raise ValueError(
            f"X must have 64 rows (8 x 8 pixels per column); got shape {X.shape}.{hint}"
        )
    return X.T.reshape(X.shape[1], _SIDE, _SIDE).copy()
