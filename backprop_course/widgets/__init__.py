"""Interactive widgets (ipywidgets) for the notebooks and live demos.

Widgets hold no math: their callbacks call library functions, and the logic they show lives in
plain, tested modules. Every widget is an :class:`~backprop_course.widgets._base.Explorer`: it offers
``state() -> dict`` and ``set_state(dict)`` (JSON-serializable presets), ``hide=(...)`` and
``presenter=True`` for projector-sized drawing. One file per family, named after the core module it shows:

===================  ==================================================================================
``stepper``          StepThrough: backpropagation one equation at a time (notebooks 02, 05, 06)
``chain_rule``       ChainRuleExplorer: the chain rule on the graph of one neuron (notebook 04)
``network``          NeuronExplorer, ForwardExplorer, CostExplorer (notebooks 01-03)
``gradient_check``   EpsilonExplorer: the step of the central difference (notebook 07)
``landscape``        LearningRateExplorer: descent on a two-weight bowl (notebook 08)
``optimizers``       OptimizerExplorer: two optimizers side by side on one bowl (notebook 16)
``experiments``      BatchExplorer, VectorizationExplorer, LambdaExplorer, SymmetryExplorer, DepthExplorer
                     (notebooks 09, 10, 13 and 15)
``playground``       Playground: the live training dashboard (notebook 18, ``backprop-course demo``)
``presenter``        presets (apply_preset, save_preset, load_preset) and the presenter CSS
===================  ==================================================================================

Names are imported lazily from their submodules, so ``import backprop_course.widgets`` is cheap; the
submodule of each name is read from the modules' ``__all__``.
"""

import ast
import importlib
from pathlib import Path


def _public_names():
    """{public name: submodule}, read from the ``__all__`` of every widget module without importing it.

    So a new widget family is one file here (with its ``__all__``): nothing else names it.
    """
    where = {}
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.stem.startswith("_") or path.stem == "presenter":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
                where.update(dict.fromkeys(ast.literal_eval(node.value), path.stem))
    return where


_WHERE = _public_names()

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'backprop_course.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
