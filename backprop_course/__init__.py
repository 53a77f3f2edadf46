r"""backprop-course: backpropagation as the seed writes it, exact, vectorized and checked.

>>> import backprop_course as bp
>>> Theta = bp.init_thetas([2, 3, 1], seed=0)
>>> X, Y = bp.datasets.xor()
>>> D = bp.backprop(Theta, X, Y)

The core (this namespace) needs numpy only. ``bp.plotting`` (matplotlib) and ``bp.widgets``
(ipywidgets) are imported on first use, so ``import backprop_course`` stays light.
"""

import importlib

from . import autodiff, datasets
from .activations import (
    identity,
    identity_gradient,
    relu,
    relu_gradient,
    sigmoid,
    sigmoid_gradient,
    softmax,
    tanh,
    tanh_gradient,
)
from .equations import EQUATIONS
from .gradient_check import check_gradients, numerical_gradient, relative_error
from .network import add_bias_row, backprop, backprop_loop, cost, forward, init_thetas, one_hot, predict
from .training import (
    TrainingDiverged,
    adam_step,
    clip_by_norm,
    gradient_descent_step,
    minibatches,
    momentum_step,
    train,
)

__version__ = "0.1.0"

__all__ = [
    "EQUATIONS", "TrainingDiverged", "add_bias_row", "backprop", "backprop_loop", "check_gradients", "cost",
    "datasets", "forward", "gradient_descent_step", "identity", "identity_gradient", "init_thetas",
    "minibatches", "numerical_gradient", "one_hot", "predict", "relative_error", "relu", "relu_gradient", "sigmoid",
    "sigmoid_gradient", "softmax", "tanh", "tanh_gradient", "train",
    "autodiff", "momentum_step", "adam_step", "clip_by_norm",
]

# Submodules loaded on first use: plotting and widgets pull in matplotlib and ipywidgets (over a
# second); the others are numpy only but are not needed to train a network.
_LAZY = {"plotting", "widgets", "analysis", "diagnosis", "stepper", "playground", "grading", "timing"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'backprop_course' has no attribute {name!r}")
