r"""backprop-course: backpropagation in the Theta / a / z / d notation, exact, vectorized and checked.

>>> import backprop_course as bp
>>> Theta = bp.init_thetas([2, 3, 1], seed=0)
>>> X, Y = bp.datasets.xor()
>>> D = bp.backprop(Theta, X, Y)

The core (this namespace) needs numpy only. ``bp.plotting`` (matplotlib) and ``bp.widgets``
(ipywidgets) are imported on first use, so ``import backprop_course`` stays light. So is the grader:
``bp.check("ex05_deltas")`` grades your exercise file and loads ``backprop_course.grading`` only when
called, and ``bp.exercises.load("ex05_deltas")`` runs your own function in the notebook.
"""

import importlib

from . import autodiff, datasets
from ._checks import TrainingDiverged
from .activations import (
    identity,
    identity_gradient,
    relu,
    relu_gradient,
    sigmoid,
    sigmoid_gradient,
    softmax,
    softsign,
    softsign_gradient,
    tanh,
    tanh_gradient,
)
from .equations import EQUATIONS
from .gradient_check import check_gradients, numerical_gradient, relative_error
from .labels import accuracy, confusion_matrix, labels_from_outputs, one_hot
from .network import add_bias_row, backprop, backprop_loop, cost, deltas, forward, init_thetas, predict
from .training import adam_step, clip_by_norm, gradient_descent_step, minibatches, momentum_step, train

__version__ = "0.1.0"

__all__ = [
    "EQUATIONS", "TrainingDiverged", "accuracy", "adam_step", "add_bias_row", "autodiff", "backprop",
    "backprop_loop", "check_gradients", "clip_by_norm", "confusion_matrix", "cost", "datasets", "deltas", "forward",
    "gradient_descent_step", "identity", "identity_gradient", "init_thetas", "labels_from_outputs", "minibatches",
    "momentum_step", "numerical_gradient", "one_hot", "predict", "relative_error", "relu", "relu_gradient",
    "sigmoid", "sigmoid_gradient", "softmax", "softsign", "softsign_gradient", "tanh", "tanh_gradient", "train",
]

# Submodules loaded on first use: plotting and widgets pull in matplotlib and ipywidgets (over a
# second); the others are numpy only but are not needed to train a network.
_LAZY = {"plotting", "widgets", "landscape", "experiments", "misconceptions", "stepper", "chain_rule",
         "playground", "grading", "exercises"}


def _check(exercise, submission_dir=None, timeout=None):
    """Grade one exercise of your ``exercises/`` folder and show the feedback: ``bp.check("ex05_deltas")``.

    The same as :func:`backprop_course.grading.check` (see there for the parameters); the grader is
    imported at the first call, not with ``backprop_course``.
    """
    from .grading import check

    return check(exercise, submission_dir) if timeout is None else check(exercise, submission_dir, timeout)


def __getattr__(name):
    if name == "check":
        return _check
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'backprop_course' has no attribute {name!r}")
