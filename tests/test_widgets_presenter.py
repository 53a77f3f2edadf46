"""widgets.presenter: presets by name, dict or saved file, for any widget with state()."""

import pytest

from backprop_course.widgets import Playground
from backprop_course.widgets.presenter import apply_preset, save_preset


@pytest.fixture
def w(tmp_path):
    return Playground(export_path=str(tmp_path / "theta.npz"))


def test_apply_preset_accepts_names_dicts_and_saved_files(w, tmp_path):
    w.apply_preset({"data": "circles", "hidden": [3], "epoch": 4})
    assert w.pg.data == "circles" and w.pg.epoch == 4
    path = save_preset(w, tmp_path / "moment.json")
    w.apply_preset("xor-minimal")
    assert w.pg.data == "xor"
    w.apply_preset(str(path))
    assert w.pg.data == "circles" and w.pg.epoch == 4
    with pytest.raises(ValueError, match="unknown preset"):
        w.apply_preset("no-such-moment")


def test_apply_preset_works_for_any_widget_with_state():
    class Stepper:
        PRESETS = {"backward": {"phase": "backward", "step": 3}}

        def __init__(self):
            self._state = {"phase": "forward", "step": 0}

        def state(self):
            return dict(self._state)

        def set_state(self, state):
            self._state = dict(state)

    s = Stepper()
    apply_preset(s, "backward")
    assert s.state() == {"phase": "backward", "step": 3}
    apply_preset(s, {"phase": "forward", "step": 1})
    assert s.state()["step"] == 1
    with pytest.raises(TypeError, match="state"):
        apply_preset(object(), "backward")
