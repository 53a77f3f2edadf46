"""widgets._base: one base for every widget; the package registry names each widget once."""

import ipywidgets as widgets
import numpy as np
import pytest

from backprop_course import widgets as bw
from backprop_course.widgets._base import Explorer


def test_every_public_widget_is_registered():
    import importlib
    for module in ("stepper", "chain_rule", "network", "gradient_check", "landscape", "experiments", "playground"):
        family = importlib.import_module(f"backprop_course.widgets.{module}")
        for name in family.__all__:
            assert getattr(bw, name) is getattr(family, name), f"{name} missing from _WHERE in widgets/__init__.py"
    assert sorted(bw.__all__) == sorted(bw._WHERE)


def test_widgets_display_as_their_box():
    H = np.array([[2.0, 0.0], [0.0, 1.0]])
    w = bw.LearningRateExplorer(H, (0, 0), (1, 1))
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id


class _Counter(Explorer):
    """A minimal widget: a slider and the step player over five steps."""

    def __init__(self, presenter=False, hide=()):
        super().__init__(presenter)
        self.shown = []
        player = self._player(5)
        self.size = self._control("size", widgets.IntSlider(value=3, min=0, max=10))
        self._finish([player, self.size], hide)
        self._show_step()

    def _show_step(self):
        self.shown.append(self.slider.value)
        self._player_buttons()


def test_the_step_player_moves_and_disables_its_ends():
    w = _Counter()
    assert w.prev.disabled and not w.next.disabled and w.shown == [0]
    for _ in range(4):
        w.next.click()
    assert w.slider.value == 4 and w.next.disabled and not w.prev.disabled
    w.next.click()
    assert w.slider.value == 4, "Next on the last step stays there"
    w.prev.click()
    w.reset.click()
    assert w.shown == [0, 1, 2, 3, 4, 3, 0]


def test_hide_names_controls_and_leaves_the_others_working():
    w = _Counter(hide=("prev",))
    assert w.prev.layout.display == "none" and w.next.layout.display != "none"
    assert w.hidden_controls == ("prev",)
    w.next.click()
    assert w.slider.value == 1, "a hidden control's neighbours still work"
    with pytest.raises(ValueError, match=r"unknown control.*'nxt'.*no such control. The controls are"):
        _Counter(hide=("nxt",))


def test_state_is_every_control_with_a_value_and_set_state_refuses_unknown_keys():
    w = _Counter()
    assert w.state() == {"slider": 0, "size": 3}
    w.set_state({"size": 7, "slider": 2})
    assert w.state() == {"slider": 2, "size": 7} and w.shown[-1] == 2
    with pytest.raises(ValueError, match="unknown keys"):
        w.set_state({"colour": 1})


def test_presenter_mode_marks_the_widget_for_the_projector_css():
    big, small = _Counter(presenter=True), _Counter()
    assert "bpc-presenter" in big._dom_classes and "bpc-presenter" not in small._dom_classes
    assert "--jp-widgets-font-size" in big.children[-1].value
    assert not any("--jp-widgets-font-size" in str(getattr(c, "value", "")) for c in small.children)
