"""Tests of backprop_course.playground: the playground's logic, without any drawing.

The state is checked against the library it drives: a step equals bp.train from the same weights,
Reset returns to bit-identical initial weights, presets replay to the same Theta every time, a
snapshot restores weights, history and shuffling, and the exported file reads back exactly.
"""

import json
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp
from backprop_course.playground import (
    DEFAULTS,
    PRESET_DESCRIPTIONS,
    PRESETS,
    PlaygroundState,
    check_state,
    load_theta,
)


def assert_same_Theta(A, B, what):
    assert sorted(A) == sorted(B), f"{what}: Theta has layers {sorted(A)} vs {sorted(B)}"
    for l in A:
        assert_array_equal(A[l], B[l], err_msg=f"{what}: Theta[{l}] differs")


@pytest.fixture
def pg():
    return PlaygroundState()


# -- construction and data ------------------------------------------------------------------------

def test_default_network_shapes_follow_the_settings(pg):
    assert pg.sizes == [2, 4, 4, 1], "moons is two classes with a sigmoid output: K = 1"
    for l, T in pg.Theta.items():
        assert T.shape == (pg.sizes[l], pg.sizes[l - 1] + 1), f"Theta[{l}] must be (s_{l + 1}, s_{l} + 1)"
    m = DEFAULTS["m"]
    assert pg.X_train.shape[1] + pg.X_test.shape[1] == m
    assert pg.X_test.shape[1] == round(DEFAULTS["test_fraction"] * m)
    assert pg.Y_train.shape == (1, pg.X_train.shape[1])
    assert pg.epoch == 0 and pg.history["epoch"] == [0]


@pytest.mark.parametrize("data", ["xor", "circles", "moons", "spirals", "blobs"])
def test_every_data_set_builds_and_trains(data):
    pg = PlaygroundState(data=data, m=80)
    assert pg.X.shape == (2, 80)
    J0 = pg.cost
    pg.step(30)
    assert np.isfinite(pg.cost) and pg.cost < J0, f"{data}: 30 epochs should lower J from {J0}"


def test_xor_cloud_is_the_four_corners_with_noise():
    pg = PlaygroundState(data="xor", noise=0.0, m=40, test_fraction=0.0)
    corners = {tuple(c) for c in np.round(pg.X.T, 9)}
    assert corners == {(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)}
    # label 1 exactly where the signs differ: XOR
    assert_array_equal(pg.labels, (np.sign(pg.X[0]) != np.sign(pg.X[1])).astype(int))


def test_softmax_output_gets_one_hot_targets():
    pg = PlaygroundState(data="moons", output="softmax")
    assert pg.K == 2 and pg.Y_train.shape == (2, pg.X_train.shape[1])
    assert_array_equal(pg.Y_train.sum(axis=0), 1.0)
    blobs = PlaygroundState(data="blobs")
    assert blobs.K == 3, "three blobs are three classes: one output unit each"


def test_noise_and_seed_change_the_data(pg):
    X = pg.X.copy()
    pg.update(noise=0.3)
    assert not np.allclose(X, pg.X)
    pg.update(noise=DEFAULTS["noise"])
    assert_array_equal(X, pg.X, err_msg="the same noise and seed must give the same points")


def test_own_points_train(pg):
    X = np.array([[0.0, 1.0, 0.0, 1.0, 0.2, 0.8], [0.0, 0.0, 1.0, 1.0, 0.1, 0.9]])
    labels = np.array([0, 1, 1, 0, 0, 0])
    pg.set_points(X, labels)
    assert pg.data == "custom"
    assert_array_equal(pg.X, X)
    assert pg.state()["points"] == {"X": X.tolist(), "labels": labels.tolist()}
    pg.step(5)
    assert pg.epoch == 5


def test_add_point_appends_to_the_current_data(pg):
    m = pg.X.shape[1]
    pg.add_point(0.5, -0.25, 1)
    assert pg.data == "custom" and pg.X.shape[1] == m + 1
    assert_array_equal(pg.X[:, -1], [0.5, -0.25])
    assert pg.labels[-1] == 1


def test_bad_settings_are_refused_with_the_name(pg):
    with pytest.raises(ValueError, match="alpha"):
        pg.update(alpha=-1.0)
    with pytest.raises(ValueError, match="unknown data"):
        pg.update(data="mnist")
    with pytest.raises(ValueError, match="hidden"):
        pg.update(hidden="four")
    with pytest.raises(ValueError, match="unknown playground setting"):
        pg.update(learning_rate=0.1)
    with pytest.raises(ValueError, match=r"shape \(2, m\)"):
        pg.set_points(np.zeros((3, 4)), [0, 1, 0, 1])
    assert pg.alpha == DEFAULTS["alpha"], "a refused update must leave the settings alone"


def test_hidden_accepts_text_and_none():
    assert PlaygroundState(hidden="3, 2").sizes == [2, 3, 2, 1]
    assert PlaygroundState(hidden="").sizes == [2, 1], "no hidden layer is logistic regression"


# -- training ------------------------------------------------------------------------------------------

def test_step_is_bp_train_from_the_current_weights(pg):
    Theta0 = {l: T.copy() for l, T in pg.Theta.items()}
    pg.step(7)
    rng = np.random.default_rng([DEFAULTS["seed"], 1])
    expected, history = bp.train(Theta0, pg.X_train, pg.Y_train, pg.alpha, pg.lambda_, epochs=7, seed=rng,
                                 activation=pg.activation, output=pg.output)
    assert_same_Theta(pg.Theta, expected, "one step(7) against bp.train(epochs=7)")
    assert_allclose(pg.history["cost"], history["cost"], rtol=1e-12)
    assert pg.history["epoch"] == list(range(8)) and pg.epoch == 7


def test_ten_steps_of_one_equal_one_step_of_ten_with_minibatches():
    a = PlaygroundState(batch_size=16)
    b = PlaygroundState(batch_size=16)
    a.step(10)
    for _ in range(10):
        b.step(1)
    assert_same_Theta(a.Theta, b.Theta, "the shuffling generator must carry over between steps")
    assert_allclose(a.history["cost"], b.history["cost"], rtol=1e-12)


@pytest.mark.parametrize("batch_size", [None, 16])
@pytest.mark.parametrize("optimizer, options", [("momentum", {"beta": 0.8}),
                                                ("adam", {"beta1": 0.85, "beta2": 0.99})])
def test_steps_with_an_optimizer_are_one_bp_train_call(optimizer, options, batch_size):
    # bp.train keeps the velocity / Adam's state over its epochs; the playground must keep it over
    # its steps, so that 3 + 4 + 5 epochs are the 12 epochs of one train call
    pg = PlaygroundState(optimizer=optimizer, alpha=0.05, lambda_=0.1, batch_size=batch_size, **options)
    Theta0 = {l: T.copy() for l, T in pg.Theta.items()}
    for n in (3, 4, 5):
        pg.step(n)
    expected, history = bp.train(Theta0, pg.X_train, pg.Y_train, 0.05, 0.1, epochs=12, batch_size=batch_size,
                                 seed=np.random.default_rng([DEFAULTS["seed"], 1]), activation=pg.activation,
                                 output=pg.output, optimizer=optimizer, optimizer_options=options)
    for l in expected:
        assert_allclose(pg.Theta[l], expected[l], rtol=1e-12, atol=1e-14,
                        err_msg=f"{optimizer}: Theta[{l}] after steps of 3, 4 and 5 epochs vs train(epochs=12)")
    assert_allclose(pg.history["cost"], history["cost"], rtol=1e-12)


def test_a_new_optimizer_keeps_the_weights_and_starts_with_an_empty_memory():
    pg = PlaygroundState(optimizer="adam", alpha=0.03)
    pg.step(5)
    Theta5 = {l: T.copy() for l, T in pg.Theta.items()}
    pg.optimizer = "momentum"
    assert pg.epoch == 5
    assert_same_Theta(pg.Theta, Theta5, "choosing another optimizer")
    pg.step(1)
    velocity = None
    D = bp.backprop(Theta5, pg.X_train, pg.Y_train, pg.lambda_, pg.activation, pg.output)
    expected, velocity = bp.momentum_step(Theta5, D, velocity, 0.03, beta=pg.beta)
    assert_same_Theta(pg.Theta, expected, "the first momentum step after Adam starts from velocity 0")


def test_new_betas_keep_the_memory():
    a = PlaygroundState(optimizer="momentum", alpha=0.1)
    b = PlaygroundState(optimizer="momentum", alpha=0.1)
    a.step(4)
    b.step(4)
    a.beta = 0.5
    a.step(1)
    b.update(beta=0.0)                                       # beta = 0 forgets the velocity: plain descent
    b.step(1)
    assert not np.allclose(a.Theta[1], b.Theta[1]), "with beta 0.5 the velocity of 4 epochs still counts"


def test_initialization_is_bp_init_thetas_and_rebuilds():
    for epsilon_init in (0.12, "glorot", "he"):
        pg = PlaygroundState(epsilon_init=epsilon_init)
        assert_same_Theta(pg.Theta0, bp.init_thetas(pg.sizes, epsilon_init=epsilon_init, seed=DEFAULTS["seed"]),
                          f"epsilon_init={epsilon_init!r}")
    pg = PlaygroundState()
    pg.step(3)
    pg.epsilon_init = 0.12
    assert pg.epoch == 0 and np.abs(pg.Theta[1]).max() <= 0.12, "a new initialization starts over"


def test_bad_optimizer_and_initialization_settings_are_refused(pg):
    with pytest.raises(ValueError, match=r"unknown optimizer 'adamw'.*Did you mean 'adam'"):
        pg.update(optimizer="adamw")
    with pytest.raises(ValueError, match="beta2 must be >= 0 and < 1"):
        pg.update(beta2=1.0)
    with pytest.raises(ValueError, match="unknown epsilon_init 'xavier'"):
        pg.update(epsilon_init="xavier")
    with pytest.raises(ValueError, match="epsilon_init must be >= 0"):
        pg.update(epsilon_init=-0.1)
    assert pg.optimizer == "gd" and pg.beta2 == DEFAULTS["beta2"] and pg.epsilon_init == DEFAULTS["epsilon_init"]


def test_an_unknown_setting_names_the_closest_ones():
    with pytest.raises(ValueError, match=r"unknown playground setting 'aplha' \(did you mean 'alpha'\?\)"):
        check_state({"aplha": 0.1})
    full = check_state({"alpha": 1})
    assert set(full) == set(DEFAULTS) and full["alpha"] == 1.0 and full["epoch"] == 0


def test_snapshot_keeps_the_optimizer_memory():
    pg = PlaygroundState(optimizer="adam", alpha=0.03)
    pg.step(5)
    pg.snapshot("five")
    pg.step(5)
    Theta_10 = {l: T.copy() for l, T in pg.Theta.items()}
    pg.restore("five")
    pg.step(5)
    assert_same_Theta(pg.Theta, Theta_10, "Adam continues from the snapshot with its m, v and t")


def test_test_cost_is_the_unregularized_cost_on_the_test_columns():
    pg = PlaygroundState(lambda_=1.0)
    pg.step(3)
    expected = bp.cost(pg.Theta, pg.X_test, pg.Y_test, 0.0, pg.activation, pg.output)
    assert_allclose(pg.test_cost, expected, rtol=1e-12)
    regularized = bp.cost(pg.Theta, pg.X_train, pg.Y_train, 1.0, pg.activation, pg.output)
    assert_allclose(pg.cost, regularized, rtol=1e-12, err_msg="the training curve is the J that is minimized")


def test_reset_returns_the_same_initial_theta(pg):
    first = {l: T.copy() for l, T in pg.Theta.items()}
    pg.step(50)
    pg.reset()
    assert_same_Theta(pg.Theta, first, "Reset")
    assert pg.epoch == 0 and len(pg.history["cost"]) == 1
    # and a fresh playground with the same settings starts from the same weights
    assert_same_Theta(PlaygroundState().Theta, first, "a new playground with the same seed")


def test_changing_alpha_keeps_the_weights_and_reset_compares_fairly(pg):
    pg.step(20)
    Theta = {l: T.copy() for l, T in pg.Theta.items()}
    pg.update(alpha=1.0)
    assert_same_Theta(pg.Theta, Theta, "changing alpha mid-run")
    assert pg.epoch == 20
    pg.reset()
    assert_same_Theta(pg.Theta, pg.Theta0, "after Reset")
    assert_same_Theta(pg.Theta0, PlaygroundState().Theta0, "the initial weights do not depend on alpha")


def test_changing_the_network_starts_over(pg):
    pg.step(20)
    pg.update(hidden=[3])
    assert pg.epoch == 0 and pg.sizes == [2, 3, 1]


def test_learning_lowers_the_cost_and_separates_moons(pg):
    pg.step(400)
    train_acc, test_acc = pg.accuracy()
    assert pg.cost < 0.5 * pg.history["cost"][0]
    assert train_acc > 0.9 and test_acc > 0.85, f"moons should be learned: accuracy {train_acc}, {test_acc}"


def test_divergence_is_reported_not_raised():
    pg = PlaygroundState(data="xor", hidden=[2], activation="identity", alpha=50.0)
    pg.step(200)
    assert pg.diverged and "diverged" in pg.diverged
    epoch = pg.epoch
    pg.step(5)
    assert pg.epoch == epoch, "after divergence step does nothing until Reset"
    pg.reset()
    assert pg.diverged is None


def test_gradient_is_backprop_at_the_current_weights(pg):
    pg.step(3)
    D = pg.gradient()
    expected = bp.backprop(pg.Theta, pg.X_train, pg.Y_train, pg.lambda_, pg.activation, pg.output)
    assert_same_Theta(D, expected, "gradient()")


# -- views' data ---------------------------------------------------------------------------------------

def test_grid_activations_match_forward_on_grid_points(pg):
    pg.step(10)
    res = 7
    x1, x2, X_grid = pg.grid(res)
    maps = pg.grid_activations(res)
    a, _ = bp.forward(pg.Theta, X_grid, pg.activation, pg.output)
    r, c = 3, 5
    point = np.array([[x1[c]], [x2[r]]])
    a_point, _ = bp.forward(pg.Theta, point, pg.activation, pg.output)
    assert_allclose(maps[2][:, r, c], a_point[2][1:, 0], rtol=1e-12,
                    err_msg="map row r, column c is the grid point (x1[c], x2[r]), bias unit left out")
    assert_allclose(maps[4][0], a[4][0].reshape(res, res), rtol=1e-12)
    assert set(maps) == {2, 3, 4}
    assert pg.decision_grid(res).shape == (res, res)


def test_grid_covers_the_data(pg):
    x1, x2, _ = pg.grid(10)
    assert x1[0] < pg.X[0].min() and x1[-1] > pg.X[0].max()
    assert x2[0] < pg.X[1].min() and x2[-1] > pg.X[1].max()


# -- presets, state, snapshots, export -----------------------------------------------------------------

def test_state_is_json_and_round_trips(pg):
    pg.update(alpha=1.0, batch_size=16)
    pg.step(12)
    state = json.loads(json.dumps(pg.state()))
    again = PlaygroundState(state)
    assert again.state() == pg.state()
    assert_same_Theta(again.Theta, pg.Theta, "set_state replays the epochs from the seeded start")


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_restore_their_settings(name):
    pg = PlaygroundState(name)
    for key, value in PRESETS[name].items():
        if key != "points":
            assert pg.state()[key] == value, f"preset {name!r}: {key}"
    assert name in PRESET_DESCRIPTIONS


def test_preset_moments_show_what_they_promise():
    high = PlaygroundState("lr-too-high")
    costs = np.array(high.history["cost"])
    assert costs[-1] > costs[0] or high.diverged, "alpha too high: the cost ends above where it started"
    assert np.sum(np.diff(costs) > 0) > 5, "alpha too high: the cost goes up again and again"
    over = PlaygroundState("overfitting")
    test = np.array(over.history["test_cost"])
    assert test[-1] > 1.3 * test.min() and over.history["cost"][-1] < over.history["cost"][0] / 3, \
        "overfitting: the training cost falls while the test cost climbs from its minimum"
    reg = PlaygroundState("regularized")
    assert reg.test_cost < over.test_cost, "lambda > 0 must end with a lower test cost than lambda = 0"
    flat = PlaygroundState("xor-no-hidden")
    assert flat.cost > 0.6, "xor without hidden units cannot beat log 2 = 0.693 by much"


def test_adam_vs_gd_shows_adam_ahead_of_plain_descent_at_its_best_alphas():
    # the preset's promise, seed by seed: 100 epochs of Adam beat 100 epochs of plain descent at
    # each of the learning rates that work best for it on these spirals
    preset = {**PRESETS["adam-vs-gd"], "epoch": 0}
    for seed in (0, 1, 2):
        adam = PlaygroundState({**preset, "seed": seed})
        adam.step(100)
        assert adam.accuracy()[0] >= 0.95, f"seed {seed}: Adam separates the spirals in 100 epochs"
        for alpha in (1.0, 2.0, 3.0):
            gd = PlaygroundState({**preset, "seed": seed, "optimizer": "gd", "alpha": alpha})
            gd.step(100)
            assert gd.diverged or gd.cost > 3 * adam.cost, \
                f"seed {seed}: gd at alpha {alpha} reached J = {gd.cost:.3f}, Adam {adam.cost:.3f}"


def test_deep_sigmoid_vanishing_leaves_the_first_layers_almost_where_they_started():
    from backprop_course.experiments import gradient_norms

    for seed in (0, 1, 2):
        deep = PlaygroundState({**PRESETS["deep-sigmoid-vanishing"], "seed": seed})
        D = gradient_norms(deep.gradient())
        assert np.all(np.diff(D) > 0) and D[0] < D[-1] / 1000, f"seed {seed}: ||D(l)|| = {D} must shrink going back"
        deep.step(300)
        L = len(deep.sizes)
        moved = [np.linalg.norm(deep.Theta[l] - deep.Theta0[l]) / np.linalg.norm(deep.Theta0[l]) for l in range(1, L)]
        assert moved[0] < 0.01 and moved[0] < moved[-1] / 5, f"seed {seed}: Theta(l) moved by {np.round(moved, 4)}"
        assert deep.cost > 0.68, f"seed {seed}: J = {deep.cost:.3f} should stay near log 2 = 0.693"
        tanh = PlaygroundState({**PRESETS["deep-sigmoid-vanishing"], "seed": seed, "activation": "tanh", "epoch": 300})
        assert tanh.cost < 0.4, f"seed {seed}: the same network with tanh learns (J = {tanh.cost:.3f})"


def test_snapshot_and_restore_bring_back_weights_history_and_shuffling():
    pg = PlaygroundState(batch_size=8)
    pg.step(10)
    name = pg.snapshot("ten")
    pg.step(10)
    Theta_20 = {l: T.copy() for l, T in pg.Theta.items()}
    pg.update(hidden=[3])
    pg.restore(name)
    assert pg.epoch == 10 and pg.sizes == [2, 4, 4, 1] and len(pg.history["cost"]) == 11
    pg.step(10)
    assert_same_Theta(pg.Theta, Theta_20, "continuing from a snapshot repeats the same mini-batches")
    with pytest.raises(ValueError, match="unknown snapshot"):
        pg.restore("nope")


def test_export_writes_theta_that_reads_back(pg, tmp_path):
    pg.step(5)
    path = tmp_path / "theta.npz"
    Theta = pg.export_theta(path)
    assert_same_Theta(Theta, pg.Theta, "export_theta's return value")
    back, model = load_theta(path)
    assert_same_Theta(back, pg.Theta, "the .npz file")
    assert model["sizes"] == pg.sizes and model["activation"] == pg.activation and model["epoch"] == 5
    assert_array_equal(bp.predict(back, pg.X_test, model["activation"], model["output"]),
                       bp.predict(pg.Theta, pg.X_test, pg.activation, pg.output))


def test_unknown_preset_lists_the_names():
    with pytest.raises(ValueError, match="lr-too-high"):
        PlaygroundState("lr-too-hihg")


def test_playground_logic_imports_no_matplotlib_or_ipywidgets():
    code = ("import sys, backprop_course.playground; "
            "print(any(m.split('.')[0] in ('matplotlib', 'ipywidgets') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False", "the playground's logic is core code: numpy only"


# -- the settings are traits: views link to them ------------------------------------------------------

def test_settings_are_traits_checked_like_update(pg):
    pg.step(5)
    Theta = {l: T.copy() for l, T in pg.Theta.items()}
    pg.alpha = 1.0                                        # what a linked control does
    assert pg.alpha == 1.0 and pg.epoch == 5, "alpha keeps the weights"
    assert_same_Theta(pg.Theta, Theta, "setting the alpha trait")
    with pytest.raises(ValueError, match="alpha must be > 0"):
        pg.alpha = -1.0
    assert pg.alpha == 1.0, "a refused value leaves the trait alone"
    pg.hidden = "3"                                       # text is normalized like update(hidden="3")
    assert pg.hidden == [3] and pg.sizes == [2, 3, 1] and pg.epoch == 0, "a network setting rebuilds"
    with pytest.raises(ValueError, match="data='custom' needs at least 2 points"):
        pg.data = "custom"


def test_views_hear_one_change_per_action():
    pg = PlaygroundState()
    heard = []
    pg.observe(lambda change: heard.append(change["new"]), names="changes")
    pg.update(data="circles", hidden=[3], noise=0.2)      # three network settings, one rebuild
    assert len(heard) == 1 and pg.data == "circles" and pg.sizes == [2, 3, 1]
    pg.step(3)
    assert len(heard) == 2
    pg.set_state(PRESETS["xor-minimal"])
    assert len(heard) == 3, "a state without epochs is one rebuild"
    pg.update(alpha=1.0)
    assert len(heard) == 3, "a new alpha changes nothing that is shown"


def test_a_diverged_run_can_go_on_with_a_smaller_alpha_after_reset():
    pg = PlaygroundState(data="xor", hidden=[2], activation="identity", alpha=50.0, epoch=200)
    assert pg.diverged, "set_state replays the epochs and keeps the divergence it met"
    pg.reset()
    pg.alpha = 0.5
    pg.step(10)
    assert pg.diverged is None and pg.epoch == 10
