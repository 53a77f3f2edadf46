"""The Explore widgets of notebooks 07-12, driven without a browser.

Each test builds a widget on small deterministic data, moves its controls the way a learner would
(setting slider values fires the same callbacks as dragging), and asserts on its state and on what it
shows: the label's text and the PNG in its image.
"""

import json

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import experiments
from backprop_course import widgets as bw
from backprop_course.widgets import training as wt


@pytest.fixture(scope="module")
def moons():
    return bp.datasets.moons(m=60, noise=0.1, seed=0)


@pytest.fixture(scope="module")
def small_net():
    return {1: np.sin(np.arange(9.0)).reshape(3, 3), 2: np.cos(np.arange(4.0)).reshape(1, 4)}


def _is_png(data):
    return bytes(data[:8]) == b"\x89PNG\r\n\x1a\n"


def test_every_public_widget_is_registered():
    for name in wt.__all__:
        assert getattr(bw, name) is getattr(wt, name), f"{name} missing from _WHERE in widgets/__init__.py"


def test_epsilon_explorer_marks_the_error_at_the_chosen_step(moons, small_net):
    X, Y = moons
    w = bw.EpsilonExplorer(small_net, X[:, :8], Y[:, :8], epsilons=np.logspace(-10, -1, 10))
    assert _is_png(w.image.value) and "ε = 1.0e-04 in float64" in w.label.value
    assert w.errors["float64"] < 1e-8 and "trustworthy" in w.label.value
    before = w.image.value
    w.controls["epsilon"].value = 1e-10
    assert w.errors["float64"] > 1e-7, "round-off dominates at epsilon = 1e-10"
    assert "ε = 1.0e-10" in w.label.value and w.image.value != before
    w.controls["precision"].value = "both"
    assert set(w.errors) == {"float64", "float32"} and w.errors["float32"] > 0.1
    assert "float32" in w.label.value and "too coarse" in w.label.value
    # the number shown is computed at that step, not interpolated from the curve
    assert w.errors["float64"] == pytest.approx(w.error_at(1e-10))


def test_learning_rate_explorer_names_all_four_regimes():
    H = np.array([[4.0, 0.0], [0.0, 1.0]])
    w = bw.LearningRateExplorer(H, (0.0, 0.0), (1.0, 1.0), alpha=0.01, steps=10)
    seen = {}
    for alpha in (0.01, 0.2, 0.4, 0.6):
        w.controls["alpha"].value = alpha
        seen[alpha] = w.regime
        assert f"<b>{w.regime}</b>" in w.label.value
    assert seen == {0.01: "too small", 0.2: "good", 0.4: "oscillating", 0.6: "diverging"}
    assert np.linalg.norm(w.path[-1]) > np.linalg.norm(w.path[0]), "diverging moves away from the minimum"
    w.controls["steps"].value = 3
    assert len(w.path) == 4


def test_learning_rate_explorer_from_network_finds_the_minimum(moons):
    X, Y = moons
    Theta, _ = bp.train(bp.init_thetas([2, 3, 1], epsilon_init=1.0, seed=0), X, Y, alpha=1.0, epochs=200)
    w = bw.LearningRateExplorer.from_network(Theta, X, Y, ((1, 0, 1), (1, 0, 2)), start_offset=(1.0, -1.0))
    moved = {l: T.copy() for l, T in Theta.items()}
    moved[1][0, 1], moved[1][0, 2] = w.center
    D = bp.backprop(moved, X, Y)
    assert abs(D[1][0, 1]) < 1e-5 and abs(D[1][0, 2]) < 1e-5, "w* must be where both partials vanish"
    assert np.all(np.linalg.eigvalsh(w.H) > 0)
    np.testing.assert_allclose(w.start, w.center + [1.0, -1.0])


def test_batch_explorer_retrains_and_shows_progress(moons, small_net):
    X, Y = moons
    w = bw.BatchExplorer(small_net, X, Y, batch_sizes=[1, 10, 60], alpha=0.5, epochs=5)
    assert w.progress.value == w.progress.max == 5
    assert "full batch" in w.label.value and "1 update(s) per epoch, 5 in all" in w.label.value
    full = w.history["cost"][-1]
    first_image = w.image.value
    w.controls["batch_size"].value = 10
    assert "mini-batch, b = 10" in w.label.value and "6 update(s) per epoch, 30 in all" in w.label.value
    assert w.history["cost"][-1] < full, "more updates on the same examples learn more"
    assert w.previous is w.history and w.image.value != first_image
    w.controls["epochs"].value = 8
    assert len(w.history["epoch"]) == 9 and w.progress.value == 8


def test_batch_explorer_draws_while_a_long_run_trains(moons, small_net, monkeypatch):
    X, Y = moons
    w = bw.BatchExplorer(small_net, X, Y, batch_sizes=[1, 60], alpha=0.5, epochs=3)
    clock = iter(np.arange(0.0, 1000.0, 0.6))                  # every epoch "takes" 0.6 s
    monkeypatch.setattr(wt.time, "perf_counter", lambda: next(clock))
    redraws = w.redraws
    w.controls["epochs"].value = 6
    assert w.redraws - redraws >= 3, "a slow run must redraw the curve during training, not only at the end"


def test_vectorization_explorer_times_the_chosen_m(moons, small_net):
    X, Y = moons
    w = bw.VectorizationExplorer(small_net, X, Y, m_options=[1, 10, 60], m=1, repeats=1)
    assert w.label.value.startswith("m = 1:") and _is_png(w.image.value)
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
    assert f"test accuracy <b>{sweep['test_accuracy'][k]:.1%}</b>" in w.label.value
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


def test_state_round_trips_through_json_and_hide_and_presenter_work():
    H = np.array([[2.0, 0.3], [0.3, 1.0]])
    w = bw.LearningRateExplorer(H, (0, 0), (1, 1), alpha=0.1, hide=("steps",), presenter=True)
    assert w.controls["steps"].layout.display == "none" and w.image.layout.width == "896px"
    preset = json.loads(json.dumps(w.state()))
    other = bw.LearningRateExplorer(H, (0, 0), (1, 1), alpha=0.5)
    other.set_state(preset)
    assert other.state() == preset and other.regime == w.regime
    with pytest.raises(ValueError, match="unknown controls"):
        other.set_state({"beta": 1})
    with pytest.raises(ValueError, match="hide names unknown controls"):
        bw.LearningRateExplorer(H, (0, 0), (1, 1), hide=("nope",))


def test_widgets_display_as_their_box():
    H = np.array([[2.0, 0.0], [0.0, 1.0]])
    w = bw.LearningRateExplorer(H, (0, 0), (1, 1))
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == w.box.model_id
