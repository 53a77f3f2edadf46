"""widgets.experiments: the batch, vectorization, lambda, symmetry and depth explorers, driven without a browser.

Each test builds a widget on small deterministic data, moves its controls the way a learner would
(setting slider values fires the same callbacks as dragging), and asserts on its state and on what it
shows: the label's text and the PNG in its image.
"""

import numpy as np

import backprop_course as bp
from backprop_course import experiments
from backprop_course import widgets as bw
from backprop_course.widgets import experiments as wx


def test_batch_explorer_retrains_and_shows_progress(moons, small_net):
    X, Y = moons
    w = bw.BatchExplorer(small_net, X, Y, batch_sizes=[1, 10, 60], alpha=0.5, epochs=5)
    assert w.progress.value == w.progress.max == 5
    assert "full batch" in w.label.value and "1 update(s) per epoch, 5 in all" in w.label.value
    full = w.history["cost"][-1]
    first_image = w.image.value
    w.controls["batch_size"].value = 10
    assert "mini-batch, m_B = 10" in w.label.value and "6 update(s) per epoch, 30 in all" in w.label.value
    assert w.history["cost"][-1] < full, "more updates on the same examples learn more"
    assert w.previous is w.history and w.image.value != first_image
    w.controls["epochs"].value = 8
    assert len(w.history["epoch"]) == 9 and w.progress.value == 8


def test_batch_explorer_draws_while_a_long_run_trains(moons, small_net, monkeypatch):
    X, Y = moons
    w = bw.BatchExplorer(small_net, X, Y, batch_sizes=[1, 60], alpha=0.5, epochs=3)
    clock = iter(np.arange(0.0, 1000.0, 0.6))                  # every epoch "takes" 0.6 s
    monkeypatch.setattr(wx.time, "perf_counter", lambda: next(clock))
    redraws = w.redraws
    w.controls["epochs"].value = 6
    assert w.redraws - redraws >= 3, "a slow run must redraw the curve during training, not only at the end"


def test_vectorization_explorer_times_the_chosen_m(moons, small_net, is_png):
    X, Y = moons
    w = bw.VectorizationExplorer(small_net, X, Y, m_options=[1, 10, 60], m=1, repeats=1)
    assert w.label.value.startswith("m = 1:") and is_png(w.image.value)
    w.controls["m"].value = 60
    assert w.label.value.startswith("m = 60:") and w.timing["loop"] > 0 and w.timing["vectorized"] > 0


def test_lambda_explorer_looks_up_the_sweep(small_net):
    X = np.sin(np.arange(18.0)).reshape(3, 6) + 0.5
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])
    Theta = {1: np.sin(np.arange(8.0)).reshape(2, 4), 2: np.cos(np.arange(3.0)).reshape(1, 3)}
    sweep = experiments.lambda_sweep(Theta, X, Y, X, Y, [0.0, 0.3, 3.0], alpha=1.0, epochs=20)
    w = bw.LambdaExplorer(sweep, image_shape=(1, 3), lambda_=0.25)
    assert w.state() == {"lambda_": 0.3, "measure": "cost"}, "the start snaps to the nearest grid value"
    assert w.label.value.startswith("λ = 0.3:")
    before = w.image.value
    w.controls["lambda_"].value = 3.0
    k = 2
    assert f"validation accuracy <b>{sweep['val_accuracy'][k]:.1%}</b>" in w.label.value
    assert w.image.value != before
    w.controls["measure"].value = "accuracy"
    assert w.state()["measure"] == "accuracy"


def test_symmetry_explorer_zero_init_keeps_units_identical():
    X, Y = bp.datasets.blobs(m=60, centers=3, seed=0)
    w = bw.SymmetryExplorer([2, 3, 3], X, Y, epsilon_init=0.0, epochs=50)
    assert w.spread < 1e-6 and "identical" in w.label.value
    assert np.allclose(w.Theta[1], w.Theta[1][0]), "every row of Theta(1) is the same unit"
    w.controls["epsilon_init"].value = 0.5
    assert w.spread > 0.1 and "differ" in w.label.value
    w.controls["epochs"].value = 0
    assert w.Theta is w.Theta_init and w.progress.value == w.progress.max


def test_depth_explorer_sigmoid_gradient_shrinks_with_depth(moons):
    X, Y = moons
    w = bw.DepthExplorer(X, Y, width=6, depth=1)
    shallow = w.norms["sigmoid"]
    w.controls["depth"].value = 8
    deep = w.norms["sigmoid"]
    assert len(deep) == 9 and deep[0] / deep[-1] < shallow[0] / shallow[-1]
    w.controls["activation"].value = "tanh"
    assert w.label.value.startswith("tanh, 8 hidden layer(s)")


def test_depth_explorer_with_the_he_range_shows_the_library_s_norms(moons):
    # Notebook 17's explorer: epsilon_init="he" is passed to init_thetas; the norms are the library's
    X, Y = moons
    w = bw.DepthExplorer(X, Y, width=12, depth=5, activation="relu", epsilon_init="he", seed=3)
    for g in ("relu", "tanh", "sigmoid"):
        Theta = bp.init_thetas([2] + [12] * 5 + [1], epsilon_init="he", seed=3)
        np.testing.assert_allclose(w.norms[g], experiments.gradient_norms(bp.backprop(Theta, X, Y, activation=g)),
                                   rtol=1e-12, err_msg=f"||D(l)|| per layer, {g}, He range")
    n = w.norms["relu"]
    assert f"{n[0] / n[-1]:.2e}" in w.label.value and w.label.value.startswith("relu, 5 hidden layer(s)")
    w.controls["activation"].value = "sigmoid"
    assert w.label.value.startswith("sigmoid, 5 hidden layer(s)")
