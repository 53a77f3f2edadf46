r"""Small 2-D classification problems that show what a hidden layer buys.

Every function returns ``(X, Y)`` in the course's column layout: ``X`` of shape (2, m) (one
example per column, float64) and ``Y`` of shape (1, m) holding 0/1 for two classes or one-hot
columns of shape (K, m) for K > 2 classes. The points are centered on the origin and stay within
about [-1.5, 1.5], so a sigmoid network learns from them without feature scaling. The classes are
balanced (their sizes differ by at most one) and the columns are shuffled, so any slice of the
data holds a mix of classes. The same seed always gives the same data; nothing is downloaded.

Which problem teaches what:

==============  =============================================================================
``xor``         four points no straight line separates: the smallest problem that needs a hidden layer
``xor_clouds``  the same four corners as noisy clouds of m points, centered on the origin
``blobs``       Gaussian clouds; separable by straight lines, the warm-up for softmax with K > 2
``moons``       two interleaving half circles: a gently curved boundary, a few hidden units suffice
``circles``     a ring around a disc: a closed boundary, which no single line can draw
``spirals``     interleaved arms: a boundary that winds; needs many hidden units and patience
==============  =============================================================================
"""

import numpy as np

from .. import _checks
from ..labels import one_hot

__all__ = ["xor", "xor_clouds", "moons", "circles", "spirals", "blobs"]


def xor():
    r"""The four XOR points: the smallest problem a single neuron cannot solve.

    Returns
    -------
    X : ndarray of float64, shape (2, 4)
        The corners of the unit square as columns: (0, 0), (0, 1), (1, 0), (1, 1).
    Y : ndarray of float64, shape (1, 4)
        :math:`y = x_1 \oplus x_2`: 1 when exactly one input is 1, so ``[[0, 1, 1, 0]]``.

    Notes
    -----
    One sigmoid unit draws a single straight line through the plane, and no line puts (0, 1)
    and (1, 0) on one side with (0, 0) and (1, 1) on the other: XOR is not linearly separable.
    A hidden layer of two units can draw two lines (an OR and a NAND) whose AND is XOR, so the
    network 2-2-1 (or, trained more reliably, 2-3-1) is the smallest that learns it.
    The inputs are kept at 0 and 1 so the truth table reads off directly.

    Examples
    --------
    >>> X, Y = xor()
    >>> X.shape, Y.shape
    ((2, 4), (1, 4))
    """
    X = np.array([[0.0, 0.0, 1.0, 1.0],
                  [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return X, Y


# -- shared helpers ------------------------------------------------------------------------------

def _check_m(m, classes, name="m"):
    return _checks.check_number(
        name, m, low=classes, integer=True,
        hint=f"every one of the {classes} classes needs at least one example.",
    )


def _check_noise(noise):
    return _checks.check_number(
        "noise", noise, low=0.0,
        hint="noise is a standard deviation: 0 gives the exact shapes, larger values blur them.",
    )


def _check_classes(name, value):
    return _checks.check_number(
        name, value, low=2, integer=True,
        hint="A classification problem needs at least 2 classes.",
    )


def _class_sizes(m, K):
    """Split m examples into K balanced classes: sizes differ by at most one, earlier classes first."""
    return [m // K + (1 if k < m % K else 0) for k in range(K)]


def _targets(labels, K):
    """Y of shape (1, m) with 0/1 for K = 2, one-hot (K, m) otherwise."""
    if K == 2:
        return labels.astype(np.float64).reshape(1, -1)
    return one_hot(labels, K)


def _shuffled(X, labels, K, rng):
    """Shuffle the columns (so the classes are mixed) and build Y."""
    order = rng.permutation(X.shape[1])
    return np.ascontiguousarray(X[:, order]), _targets(labels[order], K)


# -- the data sets -------------------------------------------------------------------------------

def xor_clouds(m=200, noise=0.2, seed=0):
    r"""XOR as four noisy clouds: the corners (+-1, +-1), each repeated with Gaussian noise.

    Parameters
    ----------
    m : int >= 4, default 200
        Number of examples, shared out over the four corners as evenly as possible.
    noise : float >= 0, default 0.2
        Standard deviation of the Gaussian noise added to each coordinate; 0 gives the bare corners.
    seed : None, int or numpy.random.Generator, default 0

    Returns
    -------
    X : ndarray of float64, shape (2, m)
        Points around the corners (-1, -1), (-1, 1), (1, -1) and (1, 1) of :func:`xor`'s square,
        stretched to [-1, 1] so they are centered on the origin; the corners come in shuffled order.
    Y : ndarray of float64, shape (1, m)
        1 around (-1, 1) and (1, -1), where exactly one input is high; 0 around the other two.

    Notes
    -----
    The truth table of :func:`xor` with many examples per row: still no straight line separates the
    classes, and the noise shows how a trained boundary generalizes between the clouds. The
    playground's "xor" data set.
    """
    m = _check_m(m, 4)
    noise = _check_noise(noise)
    rng = _checks.make_rng(seed)
    X4, Y4 = xor()
    corner = np.arange(m) % 4
    rng.shuffle(corner)
    X = (2.0 * X4 - 1.0)[:, corner] + noise * rng.standard_normal((2, m))
    return X, Y4[:, corner].copy()


def moons(m=200, noise=0.1, seed=0):
    r"""Two interleaving half circles ("moons"), one per class.

    Parameters
    ----------
    m : int >= 2, default 200
        Number of examples; class 0 gets ``ceil(m / 2)`` of them, class 1 the rest.
    noise : float >= 0, default 0.1
        Standard deviation of the Gaussian noise added to each coordinate. 0 puts every point
        exactly on its arc; at about 0.3 the moons start to overlap.
    seed : None, int or numpy.random.Generator, default 0

    Returns
    -------
    X : ndarray of float64, shape (2, m)
        Class 0 lies on the upper arc :math:`(\cos t, \sin t) - c`, class 1 on the lower arc
        :math:`(1 - \cos t, \tfrac12 - \sin t) - c`, for t evenly spaced in [0, pi], where
        :math:`c = (\tfrac12, \tfrac14)` centers the data: x_1 in [-1.5, 1.5], x_2 in [-0.75, 0.75]
        before noise.
    Y : ndarray of float64, shape (1, m)
        0 for the upper moon, 1 for the lower one.

    Notes
    -----
    Each moon reaches into the hollow of the other, so no straight line separates them (logistic
    regression tops out near 85-90% accuracy), while a network with a few sigmoid hidden units
    bends its boundary around the tips. A good first problem after XOR: nonlinear, but easy.
    """
    m = _check_m(m, 2)
    noise = _check_noise(noise)
    rng = _checks.make_rng(seed)
    m0, m1 = _class_sizes(m, 2)
    t0 = np.linspace(0.0, np.pi, m0)
    t1 = np.linspace(0.0, np.pi, m1)
    upper = np.vstack([np.cos(t0), np.sin(t0)])
    lower = np.vstack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    center = np.array([[0.5], [0.25]])
    X = np.hstack([upper, lower]) - center
    X += noise * rng.standard_normal(X.shape)
    labels = np.repeat([0, 1], [m0, m1])
    return _shuffled(X, labels, 2, rng)


def circles(m=200, noise=0.05, factor=0.5, seed=0):
    r"""A ring around a disc: two concentric circles, one per class.

    Parameters
    ----------
    m : int >= 2, default 200
        Number of examples; the outer circle gets ``ceil(m / 2)`` of them.
    noise : float >= 0, default 0.05
        Standard deviation of the Gaussian noise added to each coordinate.
    factor : float in (0, 1), default 0.5
        Radius of the inner circle; the outer circle has radius 1. Closer to 1 is harder.
    seed : None, int or numpy.random.Generator, default 0

    Returns
    -------
    X : ndarray of float64, shape (2, m)
        Points at evenly spaced angles on the circle of radius 1 (class 0) and of radius
        ``factor`` (class 1), centered on the origin, plus noise.
    Y : ndarray of float64, shape (1, m)
        0 on the outer circle, 1 on the inner one.

    Notes
    -----
    The boundary must be closed around the inner class, which no single line (and no single
    sigmoid unit) can draw. Three hidden units can cut out a triangle around the inner circle;
    a few more make it round. Good for watching hidden units become the sides of a polygon.
    """
    m = _check_m(m, 2)
    noise = _check_noise(noise)
    factor = _checks.check_number(
        "factor", factor, low=0.0, low_open=True, high=1.0,
        hint="factor is the inner radius as a fraction of the outer radius 1, e.g. 0.5.",
    )
    if factor == 1.0:
        raise ValueError("factor must be < 1 (the inner circle must be smaller than the outer one); got 1.0.")
    rng = _checks.make_rng(seed)
    m0, m1 = _class_sizes(m, 2)
    t0 = np.linspace(0.0, 2.0 * np.pi, m0, endpoint=False)
    t1 = np.linspace(0.0, 2.0 * np.pi, m1, endpoint=False)
    outer = np.vstack([np.cos(t0), np.sin(t0)])
    inner = factor * np.vstack([np.cos(t1), np.sin(t1)])
    X = np.hstack([outer, inner])
    X += noise * rng.standard_normal(X.shape)
    labels = np.repeat([0, 1], [m0, m1])
    return _shuffled(X, labels, 2, rng)


def spirals(m=300, noise=0.2, classes=2, seed=0, turns=1.0):
    r"""Interleaved spiral arms, one arm per class.

    Parameters
    ----------
    m : int >= classes, default 300
        Number of examples, shared out evenly between the arms.
    noise : float >= 0, default 0.2
        Standard deviation of the Gaussian noise added to each point's **angle**, in radians.
        Because the angle is jittered, points near the center move little and points on the
        rim move more, so the arms stay recognizable everywhere; 0 gives exact arms.
    classes : int >= 2, default 2
        Number of arms (K). K = 2 gives Y of shape (1, m); K > 2 gives one-hot Y of shape (K, m).
    seed : None, int or numpy.random.Generator, default 0
    turns : float > 0, default 1.0
        How far each arm winds around the center (1.0 = one full turn). More turns, harder problem.

    Returns
    -------
    X : ndarray of float64, shape (2, m)
        Arm k consists of the points :math:`r (\cos\phi, \sin\phi)` with radius r evenly spaced
        in [0.1, 1] and angle :math:`\phi = 2\pi k / K + 2\pi\,\text{turns}\, r` (+ noise).
    Y : ndarray of float64, shape (1, m) or (classes, m)
        Arm index: 0/1 for two arms, one-hot columns for more.

    Notes
    -----
    The class changes again and again as you walk outward from the center, so the boundary has
    to wind with the arms. Linear models stay near chance (50% for two arms); a sigmoid network
    needs tens of hidden units (or a second hidden layer) and many epochs, which makes this the
    problem where learning rate, width and depth visibly matter.
    """
    classes = _check_classes("classes", classes)
    m = _check_m(m, classes)
    noise = _check_noise(noise)
    turns = _checks.check_number("turns", turns, low=0.0, low_open=True,
                                 hint="turns is how far each arm winds, e.g. 1.0 for one full turn.")
    rng = _checks.make_rng(seed)
    sizes = _class_sizes(m, classes)
    arms = []
    for k, m_k in enumerate(sizes):
        r = np.linspace(0.1, 1.0, m_k)
        phi = 2.0 * np.pi * k / classes + 2.0 * np.pi * turns * r
        phi = phi + noise * rng.standard_normal(m_k)
        arms.append(r * np.vstack([np.cos(phi), np.sin(phi)]))
    X = np.hstack(arms)
    labels = np.repeat(np.arange(classes), sizes)
    return _shuffled(X, labels, classes, rng)


def blobs(m=200, centers=3, std=1.0, seed=0):
    r"""Round Gaussian clouds ("blobs") around centers evenly spaced on the unit circle.

    Parameters
    ----------
    m : int >= centers, default 200
        Number of examples, shared out evenly between the blobs.
    centers : int >= 2, default 3
        Number of blobs = number of classes K. 2 gives Y of shape (1, m); more gives one-hot Y.
    std : float >= 0, default 1.0
        Spread of each blob. The centers lie on the unit circle and each coordinate gets Gaussian
        noise of standard deviation ``std / 4`` (think of a picture drawn with centers at radius 4
        and unit-variance blobs, then shrunk 4 times to fit a sigmoid's comfortable input range).
        With std = 1 and up to six blobs, neighbouring centers are at least 4 standard deviations
        apart (the clouds barely touch); std = 2 makes them overlap.
    seed : None, int or numpy.random.Generator, default 0

    Returns
    -------
    X : ndarray of float64, shape (2, m)
        Blob k is centered at :math:`(\cos(2\pi k/K + \pi/2),\ \sin(2\pi k/K + \pi/2))`.
    Y : ndarray of float64, shape (1, m) or (centers, m)
        Blob index: 0/1 for two blobs, one-hot columns for more.

    Notes
    -----
    Each blob can be cut off from the rest by straight lines, so a network *without* a hidden
    layer (logistic regression, or softmax regression for K > 2) already does well: the
    baseline against which the nonlinear problems show what hidden units add, and the first
    multi-class problem for the softmax output.
    """
    centers = _check_classes("centers", centers)
    m = _check_m(m, centers)
    std = _checks.check_number("std", std, low=0.0,
                               hint="std is the spread of each blob; 1.0 gives nearly separable blobs.")
    rng = _checks.make_rng(seed)
    sizes = _class_sizes(m, centers)
    angle = 2.0 * np.pi * np.arange(centers) / centers + np.pi / 2.0
    mu = np.vstack([np.cos(angle), np.sin(angle)])                       # (2, K), one center per column
    labels = np.repeat(np.arange(centers), sizes)
    X = mu[:, labels] + (std / 4.0) * rng.standard_normal((2, m))
    return _shuffled(X, labels, centers, rng)
