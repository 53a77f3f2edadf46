"""Headless tests of the Playground widget and the presenter helpers.

Every control is driven as a user would (set ``.value``, ``button.click()``) and the test checks
both the logic's state and what is shown (the PNG views and the status line). Play is checked on a
real asyncio loop: it trains in the background and Pause stops the epoch counter.
"""

import asyncio
import io
import json
import re

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from PIL import Image

from backprop_course.playground import PRESETS, load_theta
from backprop_course.widgets import Playground

VIEWS = ("network", "units", "boundary", "cost")


@pytest.fixture
def w(tmp_path):
    return Playground(export_path=str(tmp_path / "theta.npz"))


def shown(w):
    """The bytes of every view, to tell whether a view changed."""
    return {name: w.images[name].value for name in VIEWS}


def epoch_shown(w):
    return int(re.search(r"class='bpc-epoch'>(\d+)<", w.status.value).group(1))


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_opens_with_four_png_views_and_the_epoch(w):
    for name in VIEWS:
        img = pixels(w.images[name].value)
        assert img.shape[0] > 100 and img.shape[1] > 100, f"the {name} view is too small: {img.shape}"
        assert img.std() > 10, f"the {name} view looks blank"
    assert epoch_shown(w) == 0
    assert "J = " in w.status.value and "accuracy" in w.status.value


def test_step_button_trains_one_epoch_and_redraws(w):
    before = shown(w)
    w.controls["step"].click()
    assert w.pg.epoch == 1 and epoch_shown(w) == 1
    after = shown(w)
    for name in VIEWS:
        assert after[name] != before[name], f"the {name} view did not change after a training step"


def test_reset_button_restores_the_initial_theta_and_views(w):
    start = {l: T.copy() for l, T in w.pg.Theta.items()}
    first_boundary = w.images["boundary"].value
    for _ in range(3):
        w.controls["step"].click()
    w.step(30)
    w.controls["reset"].click()
    for l in start:
        assert_array_equal(w.pg.Theta[l], start[l], err_msg=f"Reset must give back the same Theta[{l}]")
    assert w.pg.epoch == 0 and epoch_shown(w) == 0
    assert w.images["boundary"].value == first_boundary, "the same weights must draw the same boundary"


@pytest.mark.parametrize("name, value, check", [
    ("data", "circles", lambda pg: pg.data == "circles"),
    ("noise", 0.3, lambda pg: pg.noise == 0.3),
    ("test_fraction", 0.5, lambda pg: pg.X_test.shape[1] == 100),
    ("hidden", "3", lambda pg: pg.sizes == [2, 3, 1]),
    ("activation", "relu", lambda pg: pg.activation == "relu"),
    ("output", "softmax", lambda pg: pg.K == 2),
])


def test_data_and_network_controls_rebuild_and_redraw(w, name, value, check):
    w.step(10)
    before = shown(w)
    w.controls[name].value = value
    assert check(w.pg), f"setting {name} = {value!r} did not reach the logic"
    assert w.pg.epoch == 0, f"changing {name} starts training over"
    assert shown(w)["boundary"] != before["boundary"]
    assert w.message.value == "", f"no warning expected, got {w.message.value}"


@pytest.mark.parametrize("name, value", [("alpha", 1.0), ("lambda_", 0.1), ("batch_size", 16)])
def test_training_controls_keep_the_weights(w, name, value):
    w.step(10)
    Theta = {l: T.copy() for l, T in w.pg.Theta.items()}
    w.controls[name].value = value
    assert getattr(w.pg, name) == value
    assert w.pg.epoch == 10
    for l in Theta:
        assert_array_equal(w.pg.Theta[l], Theta[l])
    w.controls["step"].click()
    assert w.pg.epoch == 11


def test_full_batch_is_a_real_selection_not_an_empty_dropdown(w):
    # a Dropdown whose value is None shows nothing selected in the browser; "full batch" must show
    assert w.controls["batch_size"].index is not None and w.controls["batch_size"].label == "full batch"
    w.controls["batch_size"].value = 16
    assert w.pg.batch_size == 16
    w.controls["batch_size"].value = 0
    assert w.pg.batch_size is None and w.controls["batch_size"].label == "full batch"
    w.apply_preset("spirals-deep")
    assert w.controls["batch_size"].label == "16"
    w.apply_preset("default")
    assert w.controls["batch_size"].label == "full batch"


def test_bad_hidden_text_shows_a_message_and_changes_nothing(w):
    w.controls["hidden"].value = "four"
    assert "hidden" in w.message.value and "⚠" in w.message.value
    assert w.pg.sizes == [2, 4, 4, 1]
    assert w.controls["hidden"].value == "4, 4", "the control goes back to the valid setting"


def test_show_gradients_colors_the_edges_by_D(w):
    w.step(5)
    theta_view = w.images["network"].value
    w.controls["show_gradients"].value = True
    assert w.images["network"].value != theta_view
    ax = w._views["network"][1]
    assert ax.get_title().startswith("gradient D")
    picture = ax.network
    D = w.pg.gradient()
    widest = max(picture.edge_keys, key=lambda e: picture.edge_style(e)[1])
    l, i, j = widest
    assert abs(D[l][i, j]) == max(np.abs(M).max() for M in D.values()), "the widest edge is the largest |D|"
    w.controls["show_gradients"].value = False
    assert w.images["network"].value == theta_view


def test_edge_width_follows_the_weight_magnitude_and_color_its_sign(w):
    picture = w._views["network"][1].network
    edges = picture.edge_keys
    assert len(edges) == sum(T.size for T in w.pg.Theta.values()), "one line per weight, bias included"
    for (l, i, j) in edges:
        v = w.pg.Theta[l][i, j]
        assert (picture.edge_style((l, i, j))[0] == "#0072b2") == (v >= 0), \
            f"edge {(l, i, j)}: blue for +, vermillion for -"
    widths = {e: picture.edge_style(e)[1] for e in edges}
    values = {e: abs(w.pg.Theta[e[0]][e[1], e[2]]) for e in edges}
    order = sorted(edges, key=values.get)
    assert [widths[e] for e in order] == sorted(widths.values()), "wider edges for larger |Theta|"


def test_epochs_per_frame_sets_the_play_chunk(w):
    w.controls["epochs_per_frame"].value = 7

    async def one_frame():
        w.controls["play"].click()
        while w.pg.epoch == 0:
            await asyncio.sleep(0.01)
        w.controls["pause"].click()
        await asyncio.sleep(0.05)

    asyncio.run(one_frame())
    assert w.pg.epoch % 7 == 0 and w.pg.epoch > 0


def test_play_trains_in_the_background_and_pause_stops_it(w):
    async def scenario():
        assert w.play() is not None
        assert w.controls["play"].disabled and not w.controls["pause"].disabled
        for _ in range(200):                 # the loop runs between our awaits: the kernel stays free
            await asyncio.sleep(0.02)
            if w.pg.epoch >= 15:
                break
        playing_epoch = w.pg.epoch
        shown_epoch = epoch_shown(w)
        w.controls["pause"].click()
        await asyncio.sleep(0.2)
        paused_epoch = w.pg.epoch
        await asyncio.sleep(0.3)
        return playing_epoch, shown_epoch, paused_epoch, w.pg.epoch

    playing, shown_epoch, paused, later = asyncio.run(scenario())
    assert playing >= 15 and shown_epoch > 0, "Play must train and redraw while the loop is free"
    assert later == paused, "after Pause the epoch counter must stop"
    assert not w.controls["play"].disabled and "paused" in w.status.value


def test_play_without_an_event_loop_explains_itself(w):
    assert w.play() is None
    assert "event loop" in w.message.value and w.pg.epoch == 0


def test_play_stops_when_training_diverges(tmp_path):
    w = Playground(data="xor", hidden=[2], activation="identity", alpha=10.0, epochs_per_frame=50)

    async def scenario():
        w.play()
        for _ in range(300):
            await asyncio.sleep(0.01)
            if not w.playing:
                break

    asyncio.run(scenario())
    assert not w.playing and w.pg.diverged
    assert "diverged" in w.status.value


def test_snapshot_and_restore_buttons(w):
    w.step(10)
    w.controls["snapshot"].click()
    name = w._restore_choice.value
    assert "epoch 10" in name and not w._restore_button.disabled
    boundary_10 = w.images["boundary"].value
    w.step(40)
    w.controls["data"].value = "spirals"
    w._restore_button.click()
    assert w.pg.epoch == 10 and w.pg.data == "moons" and w.controls["data"].value == "moons"
    assert w.images["boundary"].value == boundary_10


def test_export_button_writes_the_trained_theta(w, tmp_path):
    w.step(8)
    w.controls["export"].click()
    Theta, model = load_theta(tmp_path / "theta.npz")
    for l in Theta:
        assert_array_equal(Theta[l], w.pg.Theta[l])
        assert_array_equal(w.exported[l], w.pg.Theta[l])
    assert model["epoch"] == 8 and "theta.npz" in w.message.value


def test_add_point_button_adds_a_point_of_the_chosen_class(w):
    m = w.pg.X.shape[1]
    w._point["x1"].value = 0.25
    w._point["x2"].value = -0.5
    w._point["label"].value = 0
    w._point["button"].click()
    assert w.pg.data == "custom" and w.pg.X.shape[1] == m + 1 and w.pg.labels[-1] == 0
    assert w.controls["data"].value == "custom"


def test_set_points_from_an_array():
    w = Playground(data="xor")
    X = np.array([[0.0, 1.0, 2.0, 3.0, 0.5, 2.5], [0.0, 1.0, 0.0, 1.0, 0.5, 0.5]])
    w.set_points(X, [0, 0, 1, 1, 0, 1])
    assert w.pg.X.shape == (2, 6) and w.controls["data"].value == "custom"
    w.step(3)
    assert epoch_shown(w) == 3


# -- presets and presenter mode ---------------------------------------------------------------------------


def test_preset_dropdown_applies_the_preset_and_says_what_it_shows(w):
    w.controls["preset"].value = "lr-too-high"
    assert w.pg.alpha == 10.0 and w.pg.epoch == PRESETS["lr-too-high"]["epoch"]
    assert w.controls["alpha"].value == 10.0
    assert "learning rate is too high" in w.message.value
    assert w.controls["preset"].value == "", "the dropdown is ready for the next preset"


@pytest.mark.parametrize("name", ["xor-minimal", "lr-too-high", "blobs-softmax"])
def test_presets_round_trip_through_state(name):
    w = Playground(preset=name)
    state = json.loads(json.dumps(w.state()))
    assert {k: state[k] for k in PRESETS[name]} == PRESETS[name]
    other = Playground()
    other.set_state(state)
    assert other.state() == w.state()
    for l in w.pg.Theta:
        assert_array_equal(other.pg.Theta[l], w.pg.Theta[l])
    assert other.images["boundary"].value == w.images["boundary"].value


def test_controls_show_a_preset_value_that_is_not_in_their_list():
    w = Playground(alpha=0.7, lambda_=0.05)
    assert w.controls["alpha"].value == 0.7 and w.controls["lambda_"].value == 0.05


def test_hide_removes_the_named_controls_from_view():
    w = Playground(hide=("output", "batch_size", "add_point"))
    for name in ("output", "batch_size", "add_point"):
        assert w.controls[name].layout.display == "none"
    assert w.controls["alpha"].layout.display != "none"
    w.controls["output"].value = "softmax"          # hidden controls still work from code
    assert w.pg.output == "softmax"
    with pytest.raises(ValueError, match="no such control"):
        Playground(hide=("learning_rate",))
    with pytest.raises(ValueError, match="alpha"):
        w.hide(("alhpa",))
    assert set(w.controls) == set(Playground.CONTROLS), "from_query checks hide= against CONTROLS"


def test_presenter_mode_is_larger_and_styled():
    normal, big = Playground(), Playground(presenter=True)
    assert "bpc-presenter" in big._dom_classes and "bpc-presenter" not in normal._dom_classes
    assert "--jp-widgets-font-size" in big.children[-1].value
    for name in VIEWS:
        a, b = pixels(normal.images[name].value), pixels(big.images[name].value)
        assert b.shape[1] > a.shape[1], f"presenter {name} view must be wider ({b.shape} vs {a.shape})"
    assert "26px" in big.status.value


def test_text_repr_is_short_and_stable(w):
    text = w._repr_mimebundle_()["text/plain"]
    assert text == "Playground(data='moons', hidden=[4, 4], activation='tanh', alpha=0.3, lambda_=0, epoch=0)"


def test_from_query_reads_preset_presenter_and_hide():
    w = Playground.from_query("preset=xor-minimal&presenter=1&hide=output,batch_size")
    assert w.pg.data == "xor" and w.presenter
    assert w.controls["output"].layout.display == "none" and w.controls["batch_size"].layout.display == "none"
    assert "xor-minimal" in w.message.value
    plain = Playground.from_query("")
    assert not plain.presenter and plain.state() == Playground().state()


def test_from_query_with_bad_values_still_opens_and_says_why():
    w = Playground.from_query("preset=nope&hide=alhpa")
    assert w.pg.data == "moons"
    assert "unknown preset 'nope'" in w.message.value and "alhpa" in w.message.value


# -- optimizer and initialization (issue 12) ------------------------------------------------------------

def test_optimizer_and_betas_are_linked_and_the_others_greyed_out(w):
    fold = w.controls["advanced"]
    assert fold.get_title(0) == "advanced" and fold.selected_index is None, "the betas sit in a closed fold"
    assert {w.controls[n] for n in ("beta", "beta1", "beta2")} <= set(fold.children[0].children)
    assert w.controls["beta"].disabled and w.controls["beta1"].disabled, "gd uses no beta"
    w.controls["optimizer"].value = "adam"
    assert w.pg.optimizer == "adam"
    assert not w.controls["beta1"].disabled and not w.controls["beta2"].disabled and w.controls["beta"].disabled
    w.controls["beta2"].value = 0.99
    assert w.pg.beta2 == 0.99
    w.pg.beta1 = 0.8                                     # and back: the model drives the control
    assert w.controls["beta1"].value == 0.8
    w.controls["alpha"].value = 0.03
    w.controls["step"].click()
    assert w.pg.epoch == 1 and epoch_shown(w) == 1
    assert w.state()["optimizer"] == "adam" and w.state()["beta2"] == 0.99


def test_initialization_control_draws_new_initial_weights(w):
    w.controls["step"].click()
    w.controls["epsilon_init"].value = 0.12
    assert w.pg.epsilon_init == 0.12 and w.pg.epoch == 0
    assert np.abs(w.pg.Theta0[1]).max() <= 0.12
    w.pg.epsilon_init = 0.5                              # a range the menu lacks is offered, as alpha's are
    assert w.controls["epsilon_init"].value == 0.5


def test_show_gradients_lists_the_size_of_each_layers_D():
    from backprop_course.experiments import gradient_norms

    w = Playground(preset="deep-sigmoid-vanishing")
    assert "bpc-gradient-norms" not in w.status.value
    w.controls["show_gradients"].value = True
    norms = [float(x) for x in re.findall(r"‖ = ([0-9.e+-]+)", w.status.value)]
    assert len(norms) == len(w.pg.Theta) == 6
    np.testing.assert_allclose(norms, gradient_norms(w.pg.gradient()), rtol=0.06)
    assert norms[0] < norms[-1] / 1000, "the readout shows D vanishing towards the first layer"


# -- saved presets and the page address -----------------------------------------------------------------

def test_a_saved_preset_keeps_presenter_mode_and_hidden_controls(tmp_path):
    from backprop_course.widgets.presenter import save_preset

    w = Playground(presenter=True, hide=("output", "add_point"), optimizer="momentum", alpha=0.1, epoch=3)
    path = save_preset(w, tmp_path / "moment.json")
    saved = json.loads(path.read_text())
    assert saved["widget"] == "Playground" and saved["presenter"] is True
    assert saved["hide"] == ["output", "add_point"] and saved["state"]["optimizer"] == "momentum"
    again = Playground(preset=str(path))
    assert again.presenter and again.hidden_controls == ("output", "add_point")
    assert again.state() == w.state()
    for l in w.pg.Theta:
        assert_array_equal(again.pg.Theta[l], w.pg.Theta[l])


def test_from_query_takes_settings_and_names_the_closest_key():
    w = Playground.from_query("preset=xor-minimal&optimizer=adam&alpha=0.03&hidden=3,2")
    assert w.pg.data == "xor" and w.pg.optimizer == "adam" and w.pg.alpha == 0.03 and w.pg.hidden == [3, 2]
    bad = Playground.from_query("aplha=0.1&optimizer=adamw&hide=outptu")
    assert "'aplha' (did you mean 'alpha'" in bad.message.value
    assert "outptu" in bad.message.value and "'output'" in bad.message.value
    assert bad.pg.optimizer == "gd", "a refused setting is left out"


def test_from_query_opens_a_preset_file_the_demo_was_given(tmp_path, monkeypatch):
    from backprop_course.plan import DEMO_FILES
    from backprop_course.widgets.presenter import save_preset

    path = save_preset(Playground(presenter=True, hide=("output",), data="circles"), tmp_path / "circ.json")
    monkeypatch.setenv(DEMO_FILES, str(path))
    monkeypatch.chdir(tmp_path.parent)
    w = Playground.from_query("preset=circ.json")
    assert w.pg.data == "circles" and w.presenter and w.hidden_controls == ("output",)
    monkeypatch.delenv(DEMO_FILES)
    nowhere = Playground.from_query(f"preset={path}")          # a path in an address is never opened
    assert nowhere.pg.data == "moons" and "unknown preset" in nowhere.message.value


# -- a lecture plan -------------------------------------------------------------------------------------

PLAN = """
title = "test lecture"
hide = ["export"]

[[moment]]
title = "first"
preset = "xor-minimal"
note = "two hidden units"

[[moment]]
title = "faster"
alpha = 1.0
epoch = 5
hide = ["output"]

[[moment]]
title = "adam"
preset = "default"
optimizer = "adam"
alpha = 0.03
"""


def test_plan_steps_with_next_and_previous(tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(PLAN)
    w = Playground(plan=str(path))
    assert w.moment == 1 and w.pg.data == "xor" and w.pg.alpha == 3.0
    assert "first" in w.plan_title.value and "two hidden units" in w.plan_note.value
    assert w.plan_previous.disabled and not w.plan_next.disabled
    assert w.hidden_controls == ("export",)
    w.plan_next.click()
    assert w.moment == 2 and w.pg.data == "xor" and w.pg.alpha == 1.0 and w.pg.epoch == 5, \
        "a moment without a preset changes the previous moment's settings"
    assert w.controls["alpha"].value == 1.0 and epoch_shown(w) == 5
    assert w.hidden_controls == ("output",) and w.controls["export"].layout.display != "none"
    w.plan_next.click()
    assert w.moment == 3 and w.pg.data == "moons" and w.pg.optimizer == "adam"
    assert w.plan_next.disabled
    w.plan_previous.click()
    w.plan_previous.click()
    assert w.moment == 1 and w.pg.alpha == 3.0 and w.pg.epoch == 0
    assert "bpc-plan-next" in w.plan_next._dom_classes, "the keys find the buttons by these classes"


def test_from_query_opens_a_plan_at_a_moment(tmp_path, monkeypatch):
    (tmp_path / "lecture.toml").write_text(PLAN)
    monkeypatch.chdir(tmp_path)                              # a bare file name in the notebook's folder
    w = Playground.from_query("plan=lecture.toml&moment=3")
    assert w.moment == 3 and w.pg.optimizer == "adam"
    beyond = Playground.from_query("plan=lecture.toml&moment=9")
    assert beyond.moment == 1 and "moments 1 to 3" in beyond.message.value
