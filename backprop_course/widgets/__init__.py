"""Interactive widgets (ipywidgets) for the notebooks and live demos.

Widgets hold no math: their callbacks call library functions, and the logic they show lives in
plain, tested modules. Every widget class offers ``state() -> dict`` and ``set_state(dict)``
(JSON-serializable presets) and takes ``presenter=True`` for projector-sized drawing.

Names are imported lazily from their submodules, so ``import backprop_course.widgets`` is cheap.
"""

import importlib

# public name -> submodule that defines it
_WHERE = {
    "StepThrough": "step_through",
    "NeuronExplorer": "explore",
    "ForwardExplorer": "explore",
    "CostExplorer": "explore",
    "ChainRuleExplorer": "explore",
    "BatchExplorer": "training",
    "DepthExplorer": "training",
    "EpsilonExplorer": "training",
    "LambdaExplorer": "training",
    "LearningRateExplorer": "training",
    "SymmetryExplorer": "training",
    "VectorizationExplorer": "training",
    "Playground": "playground",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'backprop_course.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
