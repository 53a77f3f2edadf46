"""Weights as pictures: each hidden unit's incoming weights as an image, a layer's weights as a heat map.

``notebooks/13_handwritten_digits.ipynb`` shows what digit-detecting units learned; notebook 15 shows
identical rows when the symmetry between hidden units is never broken.
"""

import matplotlib
import numpy as np

from .style import DIVERGING_CMAP, axes_or_new

__all__ = ["plot_hidden_weights", "update_hidden_weights", "plot_unit_weights", "update_unit_weights"]


def _tile(images, columns):
    """Tile equally shaped images into one array with a one-pixel NaN gap between them."""
    count, h, w = images.shape
    rows = int(np.ceil(count / columns))
    canvas = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    for k in range(count):
        r, c = divmod(k, columns)
        canvas[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = images[k]
    return canvas


def _hidden_units(Theta1, image_shape, columns):
    """Theta1's rows without the bias column as (s_2, h, w) pictures, and the pictures per row of tiles."""
    Theta1 = np.asarray(Theta1, dtype=np.float64)
    h, w = image_shape
    if Theta1.ndim != 2 or Theta1.shape[1] - 1 != h * w:
        raise ValueError(f"Theta1 must have shape (s_2, {h * w} + 1) for {h}x{w} images (bias column first); "
                         f"got {Theta1.shape}.")
    units = Theta1[:, 1:].reshape(-1, h, w)
    return units, columns or int(np.ceil(np.sqrt(units.shape[0])))


def plot_hidden_weights(Theta1, image_shape=(8, 8), ax=None, columns=None, title=None, limit=None):
    """Each hidden unit's incoming weights drawn as an image the size of the input picture.

    Parameters
    ----------
    Theta1 : ndarray, shape (s_2, n + 1)
        Theta[1]; the bias column 0 is dropped, the remaining n = h * w weights are reshaped
        to ``image_shape``.
    image_shape : pair of int (h, w)
    ax : matplotlib Axes, optional
    columns : int, optional
        Images per row (default: about the square root of s_2).
    title : str, optional
    limit : float, optional
        The color scale runs from -limit to limit (default: the largest |weight|); fix it to
        compare several networks.

    Returns
    -------
    matplotlib Axes
        Blue pixels excite the unit, red ones inhibit it; one color scale, symmetric around 0,
        is shared by all units.
    """
    units, columns = _hidden_units(Theta1, image_shape, columns)
    ax = axes_or_new(ax, 5.0, 5.0)
    limit = limit or float(np.max(np.abs(units))) or 1.0
    cmap = matplotlib.colormaps[DIVERGING_CMAP.replace("_r", "")].with_extremes(bad="white")   # white gaps
    image = ax.imshow(_tile(units, columns), cmap=cmap, vmin=-limit, vmax=limit, gid="bpc-hidden-weights")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.7, label="weight Θ⁽¹⁾")
    ax.set_title(title or f"{units.shape[0]} hidden units' incoming weights")
    return ax


def plot_unit_weights(Theta_l, ax=None, title=None, limit=None, colorbar=True):
    """One layer's weights as a heat map: row i holds the weights into unit i+1 of the next layer.

    For Theta(1), identical rows mean identical hidden units; for Theta(2), identical columns
    (after the bias) mean the hidden units' outgoing weights are the same.

    Parameters
    ----------
    Theta_l : ndarray, shape (s_{l+1}, s_l + 1)
    ax : matplotlib Axes, optional
    title : str, optional
    limit : float, optional
        Color scale from -limit to limit (default: the largest |weight|).
    colorbar : bool
        Draw the color scale beside the map (a live view that writes the values leaves it out).

    Returns
    -------
    matplotlib Axes
    """
    T = _weight_matrix(Theta_l)
    ax = axes_or_new(ax, 5.0, 3.6)
    limit = limit or float(np.max(np.abs(T))) or 1.0
    image = ax.imshow(T, cmap=DIVERGING_CMAP.replace("_r", ""), vmin=-limit, vmax=limit, aspect="auto",
                      gid="bpc-unit-weights")
    if T.size <= 60:                                   # small enough to write every value in its cell
        for i in range(T.shape[0]):
            for j in range(T.shape[1]):
                ax.text(j, i, f"{T[i, j]:.3g}", ha="center", va="center", fontsize="x-small", gid=f"bpc-w-{i}-{j}")
    ax.set_xticks(range(T.shape[1]), ["bias"] + [f"from {j}" for j in range(1, T.shape[1])])
    ax.set_yticks(range(T.shape[0]), [f"to {i}" for i in range(1, T.shape[0] + 1)])
    if colorbar:
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label="weight")
    if title:
        ax.set_title(title)
    return ax


def _weight_matrix(Theta_l):
    T = np.asarray(Theta_l, dtype=np.float64)
    if T.ndim != 2:
        raise ValueError(f"Theta_l must be a 2-D weight matrix; got shape {T.shape}.")
    return T


def update_unit_weights(ax, Theta_l, limit=None):
    """New weights (same shape) in the map :func:`plot_unit_weights` drew; returns the changed artists."""
    T = _weight_matrix(Theta_l)
    image = next((im for im in ax.images if im.get_gid() == "bpc-unit-weights"), None)
    if image is None or image.get_array().shape != T.shape:
        raise ValueError(f"ax has no weight map of shape {T.shape}; draw it with plot_unit_weights first.")
    limit = limit or float(np.max(np.abs(T))) or 1.0
    image.set_data(T)
    image.set_clim(-limit, limit)
    texts = {t.get_gid(): t for t in ax.texts if str(t.get_gid()).startswith("bpc-w-")}
    for (i, j), v in np.ndenumerate(T):
        if f"bpc-w-{i}-{j}" in texts:
            texts[f"bpc-w-{i}-{j}"].set_text(f"{v:.3g}")
    return [image, *texts.values()]


def update_hidden_weights(ax, Theta1, image_shape=(8, 8)):
    """Show new weights in the picture :func:`plot_hidden_weights` drew (same shapes, same color scale).

    Returns the image artist.
    """
    image = next((im for im in ax.images if im.get_gid() == "bpc-hidden-weights"), None)
    if image is None:
        raise ValueError("ax has no hidden-unit picture; draw it with plot_hidden_weights first.")
    width = image_shape[1]
    units, columns = _hidden_units(Theta1, image_shape, (image.get_array().shape[1] + 1) // (width + 1))
    tiles = _tile(units, columns)
    if tiles.shape != image.get_array().shape:
        raise ValueError(f"Theta1 has {units.shape[0]} units; the picture shows {image.get_array().shape} pixels.")
    image.set_data(tiles)
    return image
