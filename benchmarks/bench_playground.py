"""How responsive is the training playground? Milliseconds per frame, measured in one run.

    python benchmarks/bench_playground.py            # 60 frames per case
    python benchmarks/bench_playground.py --quick    # 20 frames per case

Target (issues 6 and 12, 2-core CPU): one training step plus a redraw at the default setting under
100 ms, with each optimizer. What is timed is exactly what a click does in the widget, without the
browser:

  * ``Step`` button: one epoch of training on the training points (the steps ``bp.train`` takes),
    the grid of every unit's output, and the four views (network, units, boundary, cost) rendered
    to PNG; with plain gradient descent (the default), momentum and Adam;
  * one ``Play`` frame: ``epochs_per_frame`` epochs (default 5) and the same redraw;
  * the same with "show the gradients" on (one more ``bp.backprop`` per frame);
  * larger presets for scale: spirals-deep (3 hidden layers of 8 units, mini-batches of 16),
    adam-vs-gd (2 hidden layers of 8, Adam) and deep-sigmoid-vanishing (5 hidden layers of 6, with
    the gradients shown).

The widget's own time is measured (``Playground.step``); the browser's time to show the PNGs and the
network's time to carry them are not in these numbers (the browser test checks Play end to end).
Each case prints the median and the 90th percentile and the ratio median / 100 ms.
"""

import sys
import time

from timing import arguments, machine, report, timed

TARGET_MS = 100.0


def frames(widget, epochs):
    """widget.step(epochs) (train + redraw) as a timed action."""
    return lambda k: widget.step(epochs)


def main(argv=None):
    n = 20 if arguments(__doc__, argv).quick else 60

    from backprop_course.widgets import Playground

    print(machine())
    started = time.perf_counter()
    widget = Playground()
    print(f"opening the playground (first draw of the four views): {1000 * (time.perf_counter() - started):.0f} ms")
    widget.step(5)                                   # warm up caches and the blitting backgrounds
    per_frame = widget.controls["epochs_per_frame"].value

    step = report("Step: 1 epoch + redraw (default setting)", timed(frames(widget, 1), n), TARGET_MS)
    steps = {"gd": step}
    for optimizer in ("momentum", "adam"):
        widget.pg.optimizer = optimizer
        widget.step(1)                               # its first step starts the optimizer's memory
        steps[optimizer] = report(f"Step with {optimizer}: 1 epoch + redraw", timed(frames(widget, 1), n),
                                  TARGET_MS)
    widget.pg.optimizer = "gd"
    report(f"Play frame: {per_frame} epochs + redraw", timed(frames(widget, per_frame), n), TARGET_MS)
    widget.controls["show_gradients"].value = True
    report("Play frame with the gradients shown", timed(frames(widget, per_frame), n), TARGET_MS)
    widget.controls["show_gradients"].value = False

    big = Playground(preset="spirals-deep")
    big.step(1)
    report("spirals-deep: 1 epoch + redraw", timed(frames(big, 1), max(10, n // 3)), TARGET_MS)
    adam = Playground(preset="adam-vs-gd")
    adam.step(1)
    report("adam-vs-gd: 1 epoch of Adam + redraw", timed(frames(adam, 1), max(10, n // 3)), TARGET_MS)
    deep = Playground(preset="deep-sigmoid-vanishing")
    deep.controls["show_gradients"].value = True
    deep.step(1)
    report("deep-sigmoid-vanishing, gradients shown: 1 epoch", timed(frames(deep, 1), max(10, n // 3)), TARGET_MS)

    # where the time of one default step goes: the same training on a model no view listens to
    from backprop_course.playground import PlaygroundState

    for optimizer in steps:
        alone = PlaygroundState(optimizer=optimizer)
        t0 = time.perf_counter()
        for _ in range(n):
            alone.step(1)
        train_ms = 1000 * (time.perf_counter() - t0) / n
        print(f"  of which training one epoch alone with {optimizer}: {train_ms:.2f} ms "
              f"({alone.X_train.shape[1]} training points, layer sizes {alone.sizes})")
    print()
    for optimizer, ms in steps.items():
        print(f"result: Step + redraw at the default setting with {optimizer} takes {ms:.1f} ms, "
              f"{ms / TARGET_MS:.2f} x the {TARGET_MS:.0f} ms target")
    return 0 if max(steps.values()) < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
