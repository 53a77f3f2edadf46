"""What the notebooks' text says about their numbers, checked by running the notebooks' own code.

Each test executes a notebook's code cells in order (leaving out the widgets, which tests/test_widgets_*
drive) up to the cell that computes what a sentence of the text describes, and checks that sentence:
notebook 09 over-fits by far more than its noise, notebook 13's lambda curve on validation data has its
minimum strictly inside the grid and its early stopping stops at a real minimum, notebook 15's
vanishing-gradient evidence measures what the text says.
"""

import contextlib
import io
import json
import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run_until(name, marker):
    """The namespace after running notebook `name`'s code cells up to the one containing `marker`."""
    matplotlib.use("Agg")
    notebook = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text())
    namespace = {}
    cwd = os.getcwd()
    os.chdir(NOTEBOOKS)
    try:
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] != "code" or "bp.widgets." in source or ".image.value" in source:
                continue
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"{name} cell", "exec"), namespace)  # noqa: S102 - the notebook's own code
            if marker in source:
                return namespace
    finally:
        os.chdir(cwd)
    raise AssertionError(f"no code cell of {name} contains {marker!r}")


def test_05_nudging_the_weight_up_raises_J_as_the_text_says():
    ns = run_until("05_backprop_one_example", "nudged[1][0, 2] += 0.01")
    bp, Theta, x, y = ns["bp"], ns["Theta"], ns["x"], ns["y"]
    assert ns["d"][2][0, 0] < 0 and ns["D"][1][0, 2] > 0, "d(2)_1 < 0 and a positive gradient"
    assert ns["z_nudged"][2][0, 0] < ns["z"][2][0, 0], "a larger weight on a negative input lowers z(2)_1"
    assert bp.cost(ns["nudged"], x, y) > bp.cost(Theta, x, y), "... and a lower z(2)_1 raises J"


def test_09_the_validation_cost_rises_far_beyond_its_noise_and_patience_matters():
    ns = run_until("09_batches_and_training", "for patience in (20, 300)")
    val, train = np.array(ns["h_full"]["val_cost"]), np.array(ns["h_full"]["cost"])
    best = int(np.argmin(val))
    wiggle = np.median(np.abs(np.diff(val)))
    assert 100 < best < 0.5 * len(val), "a real minimum, well inside the run"
    assert val[-1] - val[best] > 100 * wiggle, "the rise after the minimum dwarfs the epoch-to-epoch noise"
    assert np.all(np.diff(val[best + 100:]) > -wiggle), "after the minimum the validation cost keeps rising"
    assert train[-1] < 0.6 * train[best], "while the training cost keeps falling: over-fitting"
    short, long = ns["stopped"][20]["epoch"][-1], ns["stopped"][300]["epoch"][-1]
    assert short < best < long == best + 300, "patience 20 stops at the early dip, patience 300 after the minimum"


@pytest.fixture(scope="module")
def notebook_13():
    return run_until("13_handwritten_digits", "epochs_best = np.array")


def test_13_the_lambda_curve_on_validation_data_is_a_U_over_every_seed(notebook_13):
    ns = notebook_13
    val = ns["results"]["val_cost"]                                 # (seeds, lambdas)
    mean = val.mean(axis=0)
    best = int(np.argmin(mean))
    assert 0 < best < len(ns["lambdas"]) - 1, "the lowest mean validation cost lies strictly inside the grid"
    assert np.all(np.argmin(val, axis=1) == best), "every seed has its lowest validation cost at the same lambda"
    for side in (0, best + 1):
        gap = val[:, side] - val[:, best]
        assert gap.mean() > 2 * gap.std() / np.sqrt(len(gap)) and np.all(gap > 0), (
            f"lambda = {ns['lambdas'][side]} is worse than the chosen one for every seed, beyond the spread")
    train = ns["results"]["train_accuracy"].mean(axis=0)
    assert train[0] == 1.0 and mean[0] > 10 * ns["results"]["train_cost"].mean(axis=0)[0], "over-fitting at 0"
    assert train[-1] < 0.8, "under-fitting at the largest lambda"


def test_13_early_stopping_stops_at_a_real_minimum(notebook_13):
    ns = notebook_13
    for seed, (epoch, value, stopped_early) in ns["stopped"].items():
        assert stopped_early and 100 < epoch < 900, f"seed {seed}: best epoch {epoch}"
        assert value < ns["results"]["val_cost"][seed, 0], "lower than training on for 1,000 epochs"


def test_15_the_error_vanishes_layer_by_layer_and_the_forward_signal_collapses():
    ns = run_until("15_beyond_sigmoid", "for g in (\"sigmoid\", \"tanh\"):\n    a_deep")
    errors, L, bp = ns["errors"], ns["L"], ns["bp"]
    shrink = errors["sigmoid"][1:] / errors["sigmoid"][:-1]
    assert np.all(shrink > 3), "sigmoid: the error loses a factor of several at every layer"
    overall = {g: e[-1] / e[0] for g, e in errors.items()}
    assert 1e4 < overall["sigmoid"] < 1e5, "'a factor in the tens of thousands'"
    assert 10 < overall["tanh"] < 16 and 30 < overall["relu"] < 50, "'about 13' (tanh) and 'about 40' (ReLU)"
    spread = {}
    for g in ("sigmoid", "tanh"):
        a, _ = bp.forward(ns["Theta_deep"], ns["X"], activation=g)
        spread[g] = a[L - 1][1:].std(axis=1).mean()
    assert spread["sigmoid"] < 1e-3 < 0.1 < spread["tanh"], "the sigmoid stack's last hidden layer barely varies"
    norms = ns["norms"]
    assert norms["sigmoid"][-1] < 0.01 * norms["tanh"][-1], "so even its last layer's gradient is small"
