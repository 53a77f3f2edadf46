"""The exercises: which file, which functions, which notebook and equations, and what is forbidden.

One entry per exercise file in ``exercises/``, in notebook order. The stub generator
(:mod:`backprop_course.grading.make_stubs`) takes the hints from here, and the grader takes the
forbidden library functions (a graded function may not call the library's own version of itself or
its vectorized twin; helpers from earlier exercises are fine).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hint:
    """What a stub says about one function: equations, expected result shape and size of the answer."""

    equations: tuple
    shape: str
    size: str
    idea: str


@dataclass(frozen=True)
class Exercise:
    name: str
    notebook: str
    title: str
    hints: dict
    forbidden: tuple = field(default_factory=tuple)
    points: int = 10

    @property
    def filename(self):
        return f"{self.name}.py"

    @property
    def notebook_path(self):
        return f"notebooks/{self.notebook}.ipynb"

    @property
    def functions(self):
        return tuple(self.hints)


_BACKPROP = ("backprop_course.network.backprop", "backprop_course.network.backprop_loop",
             "backprop_course.network.backprop_unchecked", "backprop_course.network.backprop_loop_unchecked",
             "backprop_course.network.deltas", "backprop_course.network.deltas_unchecked",
             "backprop_course.gradient_check.numerical_gradient",
             "backprop_course.gradient_check.numerical_gradient_unchecked")

EXERCISES = (
    Exercise(
        "ex01_sigmoid", "01_neuron_and_sigmoid", "The sigmoid and its derivative",
        {
            "sigmoid": Hint(("G1",), "same shape as z (a float for a float)", "about 3 lines",
                            "e^{-z} overflows for z below about -710: use a form that only ever "
                            "exponentiates -|z|"),
            "sigmoid_gradient": Hint(("G2",), "same shape as z", "about 2 lines",
                                     "reuse your sigmoid"),
        },
        forbidden=("backprop_course.activations.sigmoid", "backprop_course.activations.sigmoid_gradient",
                   "backprop_course.activations._sigmoid_into",
                   "backprop_course.activations._sigmoid_prime_from_a"),
    ),
    Exercise(
        "ex02_forward", "02_forward_propagation", "Forward propagation",
        {"forward": Hint(("F1", "F2", "F3", "F4"), "a[l] (s_l + 1, m) for l < L, a[L] (K, m), z[l] (s_l, m)",
                         "about 8 lines", "one loop over l = 1 .. L-1; the bias row of ones goes on top "
                                          "of every a(l) except the output")},
        forbidden=("backprop_course.network.forward", "backprop_course.network.forward_unchecked"),
    ),
    Exercise(
        "ex03_cost", "03_cost", "The regularized cost",
        {"cost": Hint(("J",), "a float", "about 5 lines",
                      "average the cross-entropy over m, then add lambda/(2m) times the squares of "
                      "every weight except the bias column")},
        forbidden=("backprop_course.network.cost", "backprop_course.network.cost_unchecked",
                   "backprop_course.losses.data_cost", "backprop_course.losses.regularization_cost"),
    ),
    Exercise(
        "ex05_deltas", "05_backprop_one_example", "The errors d(l) of one example",
        {"deltas": Hint(("BP1", "BP2"), "d[l] of shape (s_l, 1) for l = 2 .. L", "about 5 lines",
                        "start from the output error and walk back to l = 2; the bias row has no "
                        "error to pass back, and the derivative of g multiplies")},
        forbidden=_BACKPROP,
    ),
    Exercise(
        "ex06_backprop_loop", "06_m_examples_regularization", "Backpropagation, one example at a time",
        {"backprop_loop": Hint(("BP0", "BP3", "BP4", "BP5"), "D[l] of the shape of Theta[l]", "about 12 lines",
                               "the seed's steps 1-3: start every Delta(l) at 0, add each example's "
                               "contribution, then average and regularize all but the bias column")},
        forbidden=_BACKPROP,
    ),
    Exercise(
        "ex07_numerical_gradient", "07_gradient_checking", "The numerical gradient",
        {"numerical_gradient": Hint(("NG",), "D[l] of the shape of Theta[l]", "about 12 lines",
                                    "perturb one weight at a time on a copy, on both sides, and put "
                                    "it back before moving on")},
        forbidden=_BACKPROP,
    ),
    Exercise(
        "ex08_gradient_descent_step", "08_gradient_descent", "One gradient-descent step",
        {"gradient_descent_step": Hint(("GD",), "a new dict like Theta", "about 1 line",
                                       "D points uphill; return new arrays and leave Theta and D as they were")},
        forbidden=("backprop_course.training.gradient_descent_step",),
    ),
    Exercise(
        "ex09_minibatches", "09_batches_and_training", "Shuffled mini-batches",
        {"minibatches": Hint(("GD",), "a list of (X_batch (n, b), Y_batch (K, b))", "about 6 lines",
                             "one permutation of the m columns from a generator seeded with seed, "
                             "applied to X and Y alike, cut into consecutive pieces")},
        forbidden=("backprop_course.training.minibatches", "backprop_course.training._minibatches"),
    ),
    Exercise(
        "ex10_backprop_vectorized", "10_vectorization", "Backpropagation, vectorized",
        {"backprop": Hint(("BP1", "BP2", "BP3", "BP4", "BP5"), "D[l] of the shape of Theta[l]", "about 10 lines",
                          "the same equations with all m examples as columns: one matrix product "
                          "sums over the examples")},
        forbidden=_BACKPROP,
    ),
)

BY_NAME = {ex.name: ex for ex in EXERCISES}
EXERCISE_NAMES = tuple(BY_NAME)


def get(name):
    """The exercise called `name` (also accepts "ex05" or "5"), with a clear error otherwise."""
    if name in BY_NAME:
        return BY_NAME[name]
    key = str(name).removesuffix(".py")
    for ex in EXERCISES:
        number = ex.name.split("_")[0]
        if key in (number, number[2:], number[2:].lstrip("0")):
            return ex
    raise ValueError(f"unknown exercise {name!r}; choose one of {list(BY_NAME)}.")
