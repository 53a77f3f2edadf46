r"""The training playground's logic: data, network, settings, training, snapshots (numpy and traitlets).

:class:`PlaygroundState` is everything the live demo shows, without any drawing: the data set
(split into training and test columns), the network's shape and activations, the learning rate
alpha, lambda, the batch size, the current weights Theta, the epoch and the cost history. It is a
``traitlets.HasTraits`` model: every setting is a trait, checked with the course's teaching errors,
and ``changes`` counts every change of what the views show. The widget
:class:`backprop_course.widgets.Playground` is a thin view that links its controls to the settings
(``traitlets.link``) and redraws when ``changes`` moves; tests drive the model directly.

>>> from backprop_course.playground import PlaygroundState
>>> pg = PlaygroundState(data="xor", hidden=(2,), activation="sigmoid", alpha=3.0)
>>> pg.step(100)                      # 100 epochs of gradient descent, as bp.train takes them
>>> pg.reset()                        # back to the same initial Theta, epoch 0
>>> pg.set_state(PRESETS["lr-too-high"])   # a prepared lecture moment

Fair comparisons: :meth:`PlaygroundState.reset` restores *the same* initial Theta, so a run with
alpha = 0.1 and a run with alpha = 1 start from identical weights. Changing alpha, lambda or the
batch size keeps the current weights (as a lecturer expects when turning a knob mid-run); changing
the data, the network or the initialization draws new initial weights from ``seed``.

Training takes the steps :func:`backprop_course.train` takes (the same mini-batches, the same D, the
same update: :func:`~backprop_course.gradient_descent_step`, :func:`~backprop_course.momentum_step` or
:func:`~backprop_course.adam_step`), but keeps the optimizer's memory (the velocity, Adam's m, v and t)
from one :meth:`~PlaygroundState.step` to the next, which ``train`` starts afresh at every call. The
mini-batch shuffling uses one random generator owned by the state, so ``step(10)`` and ten
``step(1)`` give the same weights, and both give what one ``train(..., epochs=10)`` gives.
"""

import copy
import difflib
import json

import numpy as np
from traitlets import Any, HasTraits, Int, observe, validate

from . import _checks, datasets
from ._checks import TrainingDiverged
from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .labels import labels_from_outputs, one_hot
from .losses import SUPPORTED_PAIRS
from .network import backprop, cost, forward, init_thetas
from .training import OPTIMIZERS, adam_step, gradient_descent_step, minibatches, momentum_step

__all__ = ["PlaygroundState", "DATASETS", "DEFAULTS", "INITIALIZATIONS", "OPTIMIZERS", "PRESETS",
           "PRESET_DESCRIPTIONS", "check_state", "load_theta"]

DATASETS = ("xor", "circles", "moons", "spirals", "blobs", "custom")
# The outputs of a classifier: those that pair with the cross-entropy cost the playground trains.
OUTPUTS = tuple(o for o in OUTPUT_ACTIVATIONS if (o, "cross_entropy") in SUPPORTED_PAIRS)
BATCH_SIZES = (None, 1, 4, 8, 16, 32, 64)
# The initial weights' ranges bp.init_thetas offers: the course's 0.12 for every layer, or one per layer.
INITIALIZATIONS = (0.12, "glorot", "he")

# The default setting: what the notebook opens with and what the benchmark measures.
DEFAULTS = {
    "data": "moons",
    "noise": 0.15,
    "m": 200,
    "test_fraction": 0.25,
    "points": None,            # the learner's own points: {"X": [[x1...], [x2...]], "labels": [...]}
    "hidden": [4, 4],
    "activation": "tanh",
    "output": "sigmoid",
    "epsilon_init": "glorot",  # the initial weights' range: a number, "glorot" or "he" (bp.init_thetas)
    "alpha": 0.3,
    "lambda_": 0.0,
    "batch_size": None,        # None: full batch, one update per epoch
    "optimizer": "gd",         # the update: "gd", "momentum" or "adam" (bp.train's optimizer)
    "beta": 0.9,               # momentum's decay (bp.momentum_step)
    "beta1": 0.9,              # Adam's decays of the averages of D and of D squared (bp.adam_step)
    "beta2": 0.999,
    "seed": 0,                 # initial weights, data and shuffling
    "epoch": 0,                # set_state trains this many epochs from the initial Theta
}

# Presets: short names for prepared lecture moments. Each is a full state (missing keys take
# DEFAULTS); applying one rebuilds the data and network and replays `epoch` epochs.
_PRESETS = {
    "default": ({}, "moons, 2 hidden layers of 4 tanh units, alpha = 0.3: learns in a few hundred epochs"),
    "xor-minimal": (
        {"data": "xor", "noise": 0.2, "hidden": [2], "activation": "sigmoid", "alpha": 3.0},
        "XOR with the smallest network that can solve it: one hidden layer of 2 sigmoid units",
    ),
    "xor-no-hidden": (
        {"data": "xor", "noise": 0.2, "hidden": [], "activation": "sigmoid", "alpha": 3.0, "epoch": 300},
        "XOR without a hidden layer: a straight line cannot separate it, the cost stalls at log 2",
    ),
    "lr-too-high": (
        {"alpha": 10.0, "epoch": 40},
        "the learning rate is too high: alpha = 10 overshoots, the cost jumps instead of falling",
    ),
    "lr-too-low": (
        {"alpha": 0.003, "epoch": 200},
        "the learning rate is too low: alpha = 0.003, after 200 epochs the boundary has barely moved",
    ),
    "spirals-deep": (
        {"data": "spirals", "noise": 0.1, "m": 300, "hidden": [8, 8, 8], "activation": "tanh",
         "alpha": 0.1, "batch_size": 16},
        "two spirals need depth: 3 hidden layers of 8 tanh units, mini-batches of 16",
    ),
    "circles-linear": (
        {"data": "circles", "hidden": [], "alpha": 1.0, "epoch": 100},
        "a ring around a disc with no hidden layer: logistic regression draws one line and fails",
    ),
    "overfitting": (
        {"data": "moons", "noise": 0.35, "m": 60, "test_fraction": 0.5, "hidden": [8, 8],
         "activation": "tanh", "alpha": 0.3, "lambda_": 0.0, "epoch": 2000},
        "too many weights for 30 noisy points: the training cost keeps falling, the test cost rises",
    ),
    "regularized": (
        {"data": "moons", "noise": 0.35, "m": 60, "test_fraction": 0.5, "hidden": [8, 8],
         "activation": "tanh", "alpha": 0.3, "lambda_": 0.3, "epoch": 2000},
        "the same network with lambda = 0.3: smaller weights, a smoother boundary, a lower test cost",
    ),
    "blobs-softmax": (
        {"data": "blobs", "noise": 0.6, "hidden": [4], "output": "softmax", "alpha": 0.5},
        "three classes with a softmax output: one output unit per class",
    ),
    "adam-vs-gd": (
        {"data": "spirals", "noise": 0.1, "m": 300, "hidden": [8, 8], "activation": "tanh",
         "optimizer": "adam", "alpha": 0.03, "epoch": 100},
        "100 epochs of Adam (alpha = 0.03) separate two spirals; choose gd, Reset, alpha 1 or 3 and train "
        "100 epochs: plain descent ends with a J at least 3 times higher",
    ),
    "deep-sigmoid-vanishing": (
        {"data": "circles", "hidden": [6, 6, 6, 6, 6], "activation": "sigmoid", "alpha": 1.0},
        "5 hidden layers of sigmoid units: D shrinks layer by layer going back, D(1) over 1000 times smaller "
        "than D(6) (show the gradients D); Play 300 epochs: the first layers move by under 1%, J stays near "
        "log 2; choose tanh and the same network learns",
    ),
}
PRESETS = {name: {**DEFAULTS, **settings} for name, (settings, _) in _PRESETS.items()}
PRESET_DESCRIPTIONS = {name: text for name, (_, text) in _PRESETS.items()}

_SETTINGS = tuple(key for key in DEFAULTS if key != "epoch")
_NETWORK_KEYS = ("data", "noise", "m", "test_fraction", "points", "hidden", "activation", "output",
                 "epsilon_init", "seed")
_TRAINING_KEYS = ("alpha", "lambda_", "batch_size", "optimizer", "beta", "beta1", "beta2")
_MAX_HIDDEN_LAYERS = 6
_MAX_UNITS = 32


def _check_hidden(hidden):
    """Hidden layer sizes as a list of ints, e.g. "4, 4" or (4, 4) -> [4, 4]; [] for no hidden layer."""
    if isinstance(hidden, str):
        text = hidden.replace(";", ",").strip()
        parts = [p for p in text.replace(" ", ",").split(",") if p] if text else []
        try:
            hidden = [int(p) for p in parts]
        except ValueError:
            raise ValueError(
                f"hidden must list the units of each hidden layer, e.g. '4, 4' or '' for none; got {text!r}."
            ) from None
    if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
        hidden = [int(hidden)]
    if not isinstance(hidden, (list, tuple)):
        raise TypeError(f"hidden must be a list of unit counts such as [4, 4]; got {hidden!r}.")
    if len(hidden) > _MAX_HIDDEN_LAYERS:
        raise ValueError(f"hidden has {len(hidden)} layers; the playground draws at most {_MAX_HIDDEN_LAYERS}.")
    return [_checks.check_number(f"hidden[{i}]", s, low=1, high=_MAX_UNITS, integer=True,
                                 hint=f"each hidden layer needs 1 to {_MAX_UNITS} units.")
            for i, s in enumerate(hidden)]


def _check_points(points):
    """The learner's own points as (X of shape (2, m), labels of shape (m,)), or None."""
    if points is None:
        return None
    if not isinstance(points, dict) or set(points) != {"X", "labels"}:
        raise TypeError("points must be None or a dict {'X': (2, m) array, 'labels': m class numbers}.")
    X = _checks.as_matrix("points['X']", points["X"], np.float64)
    labels = np.asarray(points["labels"])
    if X.shape[0] != 2:
        hint = " Did you pass one point per row? Use X.T." if X.shape[1] == 2 else ""
        raise ValueError(f"points['X'] must have shape (2, m), one point per column; got {X.shape}.{hint}")
    if labels.shape != (X.shape[1],):
        raise ValueError(f"points['labels'] must hold one class number per point, shape ({X.shape[1]},); "
                         f"got shape {labels.shape}.")
    if labels.size and (not np.all(np.equal(np.mod(labels, 1), 0)) or labels.min() < 0):
        raise ValueError(f"points['labels'] must be class numbers 0, 1, ...; got {labels.tolist()}.")
    return X, labels.astype(np.int64)


def _check_decay(name, value):
    """A decay rate of momentum or Adam: at 1 a moving average would never forget its start."""
    value = _checks.check_number(name, value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be >= 0 and < 1; got {value!r}. It is the fraction of the moving "
                         f"average kept from one step to the next: 0.9 is usual, and beta2 0.999.")
    return value


def _check_epsilon_init(epsilon_init):
    """The initial weights' range: a number for every layer, or "glorot" / "he" for one per layer."""
    if isinstance(epsilon_init, str):
        return _checks.check_choice("epsilon_init", epsilon_init, [e for e in INITIALIZATIONS if isinstance(e, str)])
    return _checks.check_number("epsilon_init", epsilon_init, low=0.0, high=10.0,
                                hint="the initial weights are uniform in [-epsilon_init, epsilon_init]; "
                                     "0.12 is the course's default, 'glorot' and 'he' choose one range per layer.")


def unknown_names_error(kind, names, known):
    """A ValueError naming each unknown name with the closest known ones (difflib), and listing them all."""
    parts = []
    for name in sorted(names, key=str):
        close = difflib.get_close_matches(str(name), [str(k) for k in known], n=3, cutoff=0.6)
        parts.append(f"{name!r}" + (f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""))
    plural = "s" if len(parts) > 1 else ""
    return ValueError(f"unknown {kind}{plural} {', '.join(parts)}; the {kind}s are {', '.join(map(str, known))}.")


def check_state(state, base=None):
    """A playground state checked and completed: every key of :data:`DEFAULTS`, each value normalized.

    Parameters
    ----------
    state : dict
        Settings (keys of :data:`DEFAULTS`); the missing ones come from `base`.
    base : dict, optional
        The settings `state` changes (default :data:`DEFAULTS`).

    Returns
    -------
    dict
        The full state, ``epoch`` included (0 unless `state` gives it).

    Raises
    ------
    TypeError, ValueError
        Naming the setting and what it accepts; an unknown name is listed with the closest ones.
    """
    if not isinstance(state, dict):
        raise TypeError(f"a playground state must be a dict of settings (see DEFAULTS); got {type(state).__name__}.")
    unknown = set(state) - set(DEFAULTS)
    if unknown:
        raise unknown_names_error("playground setting", unknown, list(DEFAULTS))
    s = {"epoch": 0, **(DEFAULTS if base is None else base), **state}
    _checks.check_choice("data", s["data"], DATASETS)
    s["noise"] = _checks.check_number("noise", s["noise"], low=0.0, high=1.0,
                                      hint="noise is the spread added to each point; 0 to 0.5 is typical.")
    s["m"] = _checks.check_number("m", s["m"], low=8, high=2000, integer=True,
                                  hint="m is the number of generated points.")
    s["test_fraction"] = _checks.check_number("test_fraction", s["test_fraction"], low=0.0, high=0.9,
                                              hint="The share of points held out for the test cost.")
    s["hidden"] = _check_hidden(s["hidden"])
    _checks.check_choice("activation", s["activation"], HIDDEN_ACTIVATIONS)
    _checks.check_choice("output", s["output"], OUTPUTS)
    s["epsilon_init"] = _check_epsilon_init(s["epsilon_init"])
    _checks.check_choice("optimizer", s["optimizer"], OPTIMIZERS)
    for name in ("beta", "beta1", "beta2"):
        s[name] = _check_decay(name, s[name])
    s["alpha"] = _checks.check_alpha(s["alpha"])
    s["lambda_"] = _checks.check_lambda(s["lambda_"])
    if s["batch_size"] is not None:
        s["batch_size"] = _checks.check_number("batch_size", s["batch_size"], low=1, integer=True,
                                               hint="Use None for full-batch gradient descent.")
    s["seed"] = _checks.check_number("seed", s["seed"], low=0, integer=True)
    s["epoch"] = _checks.check_number("epoch", s["epoch"], low=0, high=100_000, integer=True)
    points = _check_points(s["points"])
    if s["data"] == "custom" and (points is None or points[0].shape[1] < 2):
        raise ValueError("data='custom' needs at least 2 points of your own: "
                         "use set_points(X, labels) or add_point(x1, x2, label).")
    if points is not None:
        s["points"] = {"X": points[0].tolist(), "labels": points[1].tolist()}
    return s


def _accuracy(Theta, X, labels, activation, output):
    if X.shape[1] == 0:
        return float("nan")
    a, _ = forward(Theta, X, activation, output)
    L = len(Theta) + 1
    predicted = labels_from_outputs(a[L])
    return float(np.mean(predicted == labels))


class PlaygroundState(HasTraits):
    """The playground: data, network, settings and training history, without drawing.

    Parameters
    ----------
    preset : None, str or dict
        A name from :data:`PRESETS` or a state dict (see :meth:`set_state`).
    **settings
        Any key of :data:`DEFAULTS`, overriding the preset.

    Every setting of :data:`DEFAULTS` but ``epoch`` is a trait (``pg.alpha``, ``pg.hidden``, ...).
    Setting one (``pg.alpha = 1.0``, or a linked control) checks it like :meth:`update` does; a
    data, network, initialization or seed setting rebuilds the data and the network (epoch 0); the
    training settings (alpha, lambda_, batch_size, optimizer and its betas) keep the current
    weights. A new optimizer starts with an empty memory; new betas keep the memory.

    Attributes
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        The current weights.
    Theta0 : dict
        The initial weights that :meth:`reset` returns to.
    epoch : int
    history : dict of lists
        ``"epoch"``, ``"cost"`` (J on the training columns, the regularized cost that training
        minimizes) and ``"test_cost"`` (J on the test columns without the lambda term, which
        measures the fit to unseen points), one entry per epoch from epoch 0.
    X_train, Y_train, X_test, Y_test : ndarray
        The data in the column layout; Y as the output layer needs it (see :attr:`K`).
    diverged : None or str
        The message of :class:`backprop_course.TrainingDiverged` if training blew up.
    changes : int (trait)
        Counts the changes of what the views show (data, weights, history); observe it to redraw.
    """

    data = Any(DEFAULTS["data"], help="the data set, one of DATASETS")
    noise = Any(DEFAULTS["noise"], help="the spread added to each generated point")
    m = Any(DEFAULTS["m"], help="the number of generated points")
    test_fraction = Any(DEFAULTS["test_fraction"], help="the share of points held out for the test cost")
    points = Any(DEFAULTS["points"], help="the learner's own points {'X': (2, m), 'labels': (m,)}, or None")
    hidden = Any(DEFAULTS["hidden"], help="units per hidden layer, e.g. [4, 4]")
    activation = Any(DEFAULTS["activation"], help="the hidden activation g")
    output = Any(DEFAULTS["output"], help="the output activation")
    epsilon_init = Any(DEFAULTS["epsilon_init"], help="the initial weights' range: a number, 'glorot' or 'he'")
    alpha = Any(DEFAULTS["alpha"], help="the learning rate")
    lambda_ = Any(DEFAULTS["lambda_"], help="the regularization strength")
    batch_size = Any(DEFAULTS["batch_size"], help="examples per update; None is full-batch descent")
    optimizer = Any(DEFAULTS["optimizer"], help="the update: 'gd', 'momentum' or 'adam'")
    beta = Any(DEFAULTS["beta"], help="momentum: the fraction of the velocity kept from step to step")
    beta1 = Any(DEFAULTS["beta1"], help="Adam: the decay of the moving average of D")
    beta2 = Any(DEFAULTS["beta2"], help="Adam: the decay of the moving average of D squared")
    seed = Any(DEFAULTS["seed"], help="seeds the initial weights, the data and the shuffling")
    changes = Int(0, help="counts the changes of what the views show")

    def __init__(self, preset=None, **settings):
        super().__init__()
        self.snapshots = {}
        self.diverged = None
        self._built_for = None
        base = self._resolve(preset) if preset is not None else {}
        self.set_state({**base, **settings})

    # -- settings -------------------------------------------------------------------------------

    @staticmethod
    def _resolve(preset):
        if isinstance(preset, str):
            if preset not in PRESETS:
                raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}.")
            return PRESETS[preset]
        if isinstance(preset, dict):
            return preset
        raise TypeError(f"preset must be a name from {sorted(PRESETS)} or a state dict; got {preset!r}.")

    def settings(self):
        """The current settings (every key of :data:`DEFAULTS` but ``epoch``)."""
        return {key: getattr(self, key) for key in _SETTINGS}

    def _check_settings(self, settings, base=None):
        """`settings` merged into `base` (default: the current settings), checked and normalized."""
        return check_state(settings, self.settings() if base is None else base)

    @validate(*_SETTINGS)
    def _valid_setting(self, proposal):
        name = proposal["trait"].name
        return self._check_settings({name: proposal["value"]})[name]

    @observe(*_NETWORK_KEYS)
    def _network_changed(self, change):
        if self._built_for is not None and self._network_settings() != self._built_for:
            self._build()

    @observe(*_TRAINING_KEYS)
    def _training_changed(self, change):
        if self._built_for is None:
            return
        if change["name"] == "optimizer":
            self._memory = None                   # a velocity is not an Adam state: the new optimizer starts afresh
        self._clamp_batch()
        if self.diverged and self._finite():
            self.diverged = None                  # a new alpha may train again from these weights
            self.changes += 1

    def state(self):
        """The settings and the epoch as a JSON-serializable dict (what presets are made of)."""
        s = copy.deepcopy(self.settings())
        s["epoch"] = self.epoch
        return s

    def set_state(self, state):
        """Restore a state: rebuild data and network from the settings, then train to ``state["epoch"]``.

        Keys missing from `state` take :data:`DEFAULTS`, so a preset lists only what it changes.
        Replaying the epochs from the seeded initial Theta gives the same weights every time.
        """
        if not isinstance(state, dict):
            raise TypeError(f"state must be a dict of settings (see DEFAULTS); got {type(state).__name__}.")
        s = self._check_settings(state, base=DEFAULTS)
        with self.hold_trait_notifications():          # one rebuild for all the settings
            for key in _SETTINGS:
                setattr(self, key, s[key])
            self._build()
        if s["epoch"]:
            self.step(s["epoch"])

    def update(self, **settings):
        """Change settings. Data, network or seed changes rebuild (epoch 0); alpha, lambda_ and
        batch_size keep the current weights and history."""
        settings.pop("epoch", None)
        s = self._check_settings(settings)
        with self.hold_trait_notifications():          # several settings, one rebuild
            for key in settings:
                setattr(self, key, s[key])

    def _network_settings(self):
        return json.dumps({key: getattr(self, key) for key in _NETWORK_KEYS}, sort_keys=True)

    # -- data and network -------------------------------------------------------------------

    def _make_data(self):
        """X of shape (2, m) and integer labels (m,) for the chosen data set, from :mod:`backprop_course.datasets`."""
        m, noise, seed = self.m, self.noise, self.seed
        if self.data == "custom":
            return _check_points(self.points)
        if self.data == "blobs":
            X, Y = datasets.blobs(m=m, std=max(noise, 0.05) * 2, seed=seed)
        else:
            load = {"xor": datasets.xor_clouds, "moons": datasets.moons, "circles": datasets.circles,
                    "spirals": datasets.spirals}[self.data]
            X, Y = load(m=m, noise=noise, seed=seed)
        return X, labels_from_outputs(Y)

    def _targets(self, labels):
        """Y for the output layer: (1, m) of 0/1 for two classes with a sigmoid, one-hot (K, m) otherwise."""
        if self.K == 1:
            return labels.reshape(1, -1).astype(np.float64)
        return one_hot(labels, self.K)

    def _build(self):
        """Data, split, targets and initial weights from the current settings; then epoch 0."""
        X, labels = self._make_data()
        self.classes = max(int(labels.max()) + 1, 2) if labels.size else 2
        self.K = 1 if (self.classes == 2 and self.output == "sigmoid") else self.classes
        self.X, self.labels = X, labels
        if self.test_fraction > 0 and X.shape[1] >= 8:
            X_tr, Y_tr, X_te, Y_te = datasets.train_test_split(
                X, one_hot(labels, self.classes), test_fraction=self.test_fraction, seed=self.seed)
            l_tr, l_te = labels_from_outputs(Y_tr), labels_from_outputs(Y_te)
        else:
            X_tr, l_tr, X_te, l_te = X, labels, X[:, :0], labels[:0]
        self.X_train, self.labels_train, self.X_test, self.labels_test = X_tr, l_tr, X_te, l_te
        self.Y_train, self.Y_test = self._targets(l_tr), self._targets(l_te)
        self.sizes = [2, *self.hidden, self.K]
        # "glorot" (the default) is one range per layer: tanh and sigmoid units stay out of saturation at any width
        self.Theta0 = init_thetas(self.sizes, epsilon_init=self.epsilon_init, seed=self.seed)
        pad = 0.15 * (X.max(axis=1) - X.min(axis=1)) + 0.1
        self.bounds = (float(X[0].min() - pad[0]), float(X[0].max() + pad[0]),
                       float(X[1].min() - pad[1]), float(X[1].max() + pad[1]))
        self._built_for = self._network_settings()
        self._clamp_batch()
        self.reset()

    def _clamp_batch(self):
        if self.batch_size is not None and self.batch_size >= self.X_train.shape[1]:
            self.batch_size = None                  # a batch as large as m is full-batch descent

    def set_points(self, X, labels):
        """Train on your own 2-D points: X of shape (2, m), labels of shape (m,) (class numbers)."""
        self.update(data="custom", points={"X": X, "labels": labels})

    def add_point(self, x1, x2, label):
        """Add one point of class `label` to the data (the data set becomes "custom")."""
        x1 = _checks.check_number("x1", x1)
        x2 = _checks.check_number("x2", x2)
        label = _checks.check_number("label", label, low=0, high=9, integer=True)
        X = np.concatenate([self.X, [[x1], [x2]]], axis=1)
        self.update(data="custom", points={"X": X, "labels": np.append(self.labels, label)},
                    test_fraction=self.test_fraction if self.X.shape[1] >= 16 else 0.0)

    # -- training -----------------------------------------------------------------------------

    def _finite(self):
        return all(np.all(np.isfinite(T)) for T in self.Theta.values())

    def _test_cost(self, Theta):
        """J on the test columns without the regularization term (NaN without test columns)."""
        if not self.X_test.shape[1]:
            return float("nan")
        with np.errstate(over="ignore", invalid="ignore"):
            return cost(Theta, self.X_test, self.Y_test, 0.0, activation=self.activation, output=self.output)

    def _costs(self):
        J = cost(self.Theta, self.X_train, self.Y_train, self.lambda_, activation=self.activation, output=self.output)
        return J, self._test_cost(self.Theta)

    def reset(self):
        """Back to the initial Theta (the same one every time for this data, network and seed), epoch 0."""
        self.Theta = {l: T.copy() for l, T in self.Theta0.items()}
        self.epoch = 0
        self.diverged = None
        self._rng = np.random.default_rng([self.seed, 1])
        self._memory = None                       # the optimizer's: momentum's velocity or Adam's {t, m, v}
        J, J_test = self._costs()
        self.history = {"epoch": [0], "cost": [J], "test_cost": [J_test]}
        self.changes += 1

    def step(self, n_epochs=1):
        """Train `n_epochs` more epochs, as :func:`backprop_course.train` would; returns the new cost J.

        Each epoch walks the mini-batches of :func:`backprop_course.minibatches` (one full batch when
        ``batch_size`` is None) and takes one update per batch with the chosen optimizer's step
        function, whose memory carries over to the next call. Does nothing once training has diverged
        (see :attr:`diverged`); :meth:`reset` starts over.
        """
        n_epochs = _checks.check_number("n_epochs", n_epochs, low=1, integer=True)
        if self.diverged:
            return self.history["cost"][-1]
        Theta, memory = self.Theta, self._memory
        try:
            for _ in range(n_epochs):
                for X_b, Y_b in self._batches():
                    # the penalty belongs to the whole training set (lambda/m, as in bp.train): scaled to the batch
                    b, m = X_b.shape[1], self.X_train.shape[1]
                    D = backprop(Theta, X_b, Y_b, self.lambda_ * b / m, self.activation, self.output)
                    Theta, memory = self._update(Theta, D, memory)
                # bp.cost raises TrainingDiverged when J is no longer finite
                J = cost(Theta, self.X_train, self.Y_train, self.lambda_, self.activation, self.output)
                self.epoch += 1
                self.history["epoch"].append(self.epoch)
                self.history["cost"].append(J)
                # the test cost is the data term only (lambda = 0): it measures fit to unseen points, and
                # stays comparable between runs with different lambda
                self.history["test_cost"].append(self._test_cost(Theta))
                self.Theta, self._memory = Theta, memory
        except TrainingDiverged as exc:
            self.diverged = f"training diverged after epoch {self.epoch} (alpha = {self.alpha:g}): {exc}"
        self.changes += 1
        return self.history["cost"][-1]

    def _batches(self):
        """This epoch's batches of training columns: one full batch, or a fresh shuffle into mini-batches."""
        if self.batch_size is None:
            return [(self.X_train, self.Y_train)]
        return minibatches(self.X_train, self.Y_train, self.batch_size, seed=self._rng)

    def _update(self, Theta, D, memory):
        """One step of the chosen optimizer: (new Theta, its new memory)."""
        if self.optimizer == "momentum":
            return momentum_step(Theta, D, memory, self.alpha, beta=self.beta)                    # (M1), (M2)
        if self.optimizer == "adam":
            return adam_step(Theta, D, memory, self.alpha, beta1=self.beta1, beta2=self.beta2)    # (A1)-(A5)
        return gradient_descent_step(Theta, D, self.alpha), None                                   # (GD)

    @property
    def cost(self):
        """J on the training columns at the current epoch."""
        return self.history["cost"][-1]

    @property
    def test_cost(self):
        """J on the test columns at the current epoch, lambda term left out (NaN without test columns)."""
        return self.history["test_cost"][-1]

    def accuracy(self):
        """(training accuracy, test accuracy) as fractions in [0, 1]; NaN without test columns."""
        return (_accuracy(self.Theta, self.X_train, self.labels_train, self.activation, self.output),
                _accuracy(self.Theta, self.X_test, self.labels_test, self.activation, self.output))

    def gradient(self):
        """D at the current Theta on the training columns: the step the next update takes (times -alpha)."""
        return backprop(self.Theta, self.X_train, self.Y_train, self.lambda_, self.activation, self.output)

    # -- what the views show ------------------------------------------------------------------

    def grid(self, resolution=60):
        """Input points on a regular grid over the data.

        Returns
        -------
        x1, x2 : ndarray, shape (resolution,)
            The grid's coordinates along each axis.
        X_grid : ndarray, shape (2, resolution**2)
            All grid points as columns, row-major (x2 varies slowest), ready for ``forward``.
        """
        resolution = _checks.check_number("resolution", resolution, low=2, high=400, integer=True)
        x_min, x_max, y_min, y_max = self.bounds
        x1 = np.linspace(x_min, x_max, resolution)
        x2 = np.linspace(y_min, y_max, resolution)
        g1, g2 = np.meshgrid(x1, x2)
        return x1, x2, np.vstack([g1.ravel(), g2.ravel()])

    def grid_activations(self, resolution=60):
        """Every unit's output over the input plane: the boundary and the per-neuron heatmaps.

        Returns
        -------
        dict {l: ndarray of shape (s_l, resolution, resolution)} for l = 2 .. L
            ``[l][i]`` is unit i+1 of layer l (the bias unit left out); ``[L]`` is the output a(L),
            whose 0.5 level is the decision boundary for one sigmoid output. Row r, column c of
            each map is the grid point (x1[c], x2[r]).
        """
        _, _, X_grid = self.grid(resolution)
        with np.errstate(over="ignore", invalid="ignore"):
            a, _ = forward(self.Theta, X_grid, self.activation, self.output)
        L = len(self.Theta) + 1
        maps = {}
        for l in range(2, L + 1):
            units = a[l] if l == L else a[l][1:]
            maps[l] = units.reshape(units.shape[0], resolution, resolution)
        return maps

    def decision_grid(self, resolution=60):
        """The output a(L) over the grid: (resolution, resolution) for K = 1, else (K, resolution, resolution)."""
        out = self.grid_activations(resolution)[len(self.Theta) + 1]
        return out[0] if self.K == 1 else out

    # -- snapshots and export -------------------------------------------------------------------

    def snapshot(self, name=None):
        """Keep the whole current state (weights, history, shuffling) under `name`; returns the name."""
        name = f"snapshot {len(self.snapshots) + 1} (epoch {self.epoch})" if name is None else str(name)
        self.snapshots[name] = copy.deepcopy({
            "settings": self.settings(), "Theta": self.Theta, "Theta0": self.Theta0, "epoch": self.epoch,
            "history": self.history, "rng": self._rng.bit_generator.state, "diverged": self.diverged,
            "memory": self._memory,
        })
        return name

    def restore(self, name=None):
        """Return to a snapshot (the latest one when `name` is None)."""
        if not self.snapshots:
            raise ValueError("there is no snapshot to restore; take one first with snapshot().")
        if name is None:
            name = list(self.snapshots)[-1]
        if name not in self.snapshots:
            raise ValueError(f"unknown snapshot {name!r}; the snapshots are {list(self.snapshots)}.")
        snap = copy.deepcopy(self.snapshots[name])
        if snap["settings"] != self.settings():
            with self.hold_trait_notifications():      # one rebuild for all the settings
                for key, value in snap["settings"].items():
                    setattr(self, key, value)
                self._build()
        self.Theta, self.Theta0, self.epoch = snap["Theta"], snap["Theta0"], snap["epoch"]
        self.history, self.diverged, self._memory = snap["history"], snap["diverged"], snap["memory"]
        self._rng = np.random.default_rng()
        self._rng.bit_generator.state = snap["rng"]
        self.changes += 1

    def export_theta(self, path=None):
        """The trained weights: a copy of Theta, and with `path`, an ``.npz`` file of them.

        The file holds ``Theta1``, ``Theta2``, ... and ``model`` (JSON with the layer sizes,
        activation and output); read it back with :func:`load_theta`.
        """
        Theta = {l: T.copy() for l, T in self.Theta.items()}
        if path is not None:
            model = {"sizes": self.sizes, "activation": self.activation, "output": self.output,
                     "epoch": self.epoch, "state": self.state()}
            np.savez(path, model=json.dumps(model), **{f"Theta{l}": T for l, T in Theta.items()})
        return Theta


def load_theta(path):
    """Read weights written by :meth:`PlaygroundState.export_theta`: returns (Theta, model dict)."""
    with np.load(path) as data:
        model = json.loads(str(data["model"]))
        Theta = {l: data[f"Theta{l}"] for l in range(1, len(model["sizes"]))}
    return Theta, model
