"""Data sets in the course's column layout: X of shape (n, m), Y of shape (K, m).

Every loader returns ``(X, Y)`` with one example per column. Two-class problems give Y of
shape (1, m) holding 0/1; K > 2 classes give one-hot columns, Y of shape (K, m). Everything is
generated from a seed or read from a file inside the package: nothing is downloaded.

=====================  ==========================================================================
``xor()``              the four XOR points, (2, 4): the smallest problem that needs a hidden layer
``xor_clouds(...)``    the four XOR corners as noisy clouds, (2, m), centered on the origin
``moons(...)``         two interleaving half circles, (2, m)
``circles(...)``       a ring around a disc, (2, m)
``spirals(...)``       interleaved spiral arms, (2, m), 2 or more classes
``blobs(...)``         Gaussian clouds, (2, m), 2 or more classes; linearly separable
``digits()``           1,797 handwritten digits, 8x8 pixels: X (64, 1797) in [0, 1], Y (10, 1797)
``digit_images(X)``    image columns (64, m) back to 8x8 pictures (m, 8, 8) for plotting
``train_test_split``   seeded, stratified split into training and test columns
=====================  ==========================================================================
"""

from .digits import DIGITS_CITATION, digit_images, digits
from .split import train_test_split
from .toys import blobs, circles, moons, spirals, xor, xor_clouds

__all__ = ["xor", "xor_clouds", "moons", "circles", "spirals", "blobs", "digits", "digit_images",
           "DIGITS_CITATION", "train_test_split"]
