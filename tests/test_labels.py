"""labels: one-hot targets, the one rule that reads labels off outputs, accuracy and the confusion matrix."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import backprop_course as bp


def test_one_hot_puts_a_one_in_row_label():
    Y = bp.one_hot([2, 0, 1, 2], 3)
    assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    assert Y.dtype == np.float64
    assert_array_equal(bp.one_hot(np.array([[1, 0]]), 2), [[0, 1], [1, 0]], err_msg="a (1, m) row of labels")


def test_labels_from_outputs_thresholds_binary_and_argmaxes_one_hot():
    np.testing.assert_array_equal(bp.labels_from_outputs([[0.2, 0.5, 0.49, 1.0]]), [0, 1, 0, 1])
    Y = bp.one_hot([2, 0, 1, 2], 3)
    np.testing.assert_array_equal(bp.labels_from_outputs(Y), [2, 0, 1, 2])
    assert bp.labels_from_outputs(Y).dtype == np.int64


def test_labels_from_outputs_agrees_with_predict():
    X, Y = bp.datasets.blobs(m=30, seed=1)
    Theta = bp.init_thetas([2, 4, 3], seed=0, epsilon_init=1.0)
    a, _ = bp.forward(Theta, X, output="softmax")
    np.testing.assert_array_equal(bp.labels_from_outputs(a[3]), bp.predict(Theta, X, output="softmax"))


def test_labels_from_outputs_rejects_one_dimensional_input_with_a_hint():
    with pytest.raises(ValueError, match=r"Y must be 2-D.*reshape"):
        bp.labels_from_outputs(np.array([0.0, 1.0]))


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    C = bp.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], K=3)
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert C.trace() == 4 and C.sum() == 6, "the diagonal counts the correct predictions"
    with pytest.raises(ValueError, match="0 .. 2"):
        bp.confusion_matrix([0, 3], [0, 1], K=3)
    with pytest.raises(ValueError, match="labels_from_outputs"):
        bp.confusion_matrix(np.eye(3), np.eye(3), K=3)


def test_accuracy_is_the_fraction_of_equal_labels():
    assert bp.accuracy([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2]) == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="non-empty"):
        bp.accuracy([0, 1], [0, 1, 1])
