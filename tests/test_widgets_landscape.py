"""widgets.landscape: the LearningRateExplorer names the regimes and finds a network's bowl."""

import json

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import widgets as bw


@pytest.fixture(scope="module")
def moons():
    return bp.datasets.moons(m=60, noise=0.1, seed=0)


def test_learning_rate_explorer_names_every_regime():
    H = np.array([[4.0, 0.0], [0.0, 1.0]])
    w = bw.LearningRateExplorer(H, (0.0, 0.0), (1.0, 1.0), alpha=0.01, steps=10)
    seen = {}
    for alpha in (0.01, 0.2, 0.4, 0.5, 0.6):
        w.controls["alpha"].value = alpha
        seen[alpha] = w.regime
        assert f"<b>{w.regime}</b>" in w.label.value
    assert seen == {0.01: "too small", 0.2: "good", 0.4: "oscillating", 0.5: "steady oscillation",
                    0.6: "diverging"}
    assert "μ<sub>max</sub>" in w.label.value and "λ" not in w.label.value, (
        "eigenvalues are mu: lambda is the regularization strength")
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


def test_state_round_trips_through_json_and_hide_and_presenter_work():
    H = np.array([[2.0, 0.3], [0.3, 1.0]])
    w = bw.LearningRateExplorer(H, (0, 0), (1, 1), alpha=0.1, hide=("steps",), presenter=True)
    assert w.controls["steps"].layout.display == "none" and w.image.layout.width == "896px"
    preset = json.loads(json.dumps(w.state()))
    other = bw.LearningRateExplorer(H, (0, 0), (1, 1), alpha=0.5)
    other.set_state(preset)
    assert other.state() == preset and other.regime == w.regime
    with pytest.raises(ValueError, match="unknown keys"):
        other.set_state({"beta": 1})
    with pytest.raises(ValueError, match="unknown control"):
        bw.LearningRateExplorer(H, (0, 0), (1, 1), hide=("nope",))
