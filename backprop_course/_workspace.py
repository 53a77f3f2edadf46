"""Scratch arrays that the vectorized hot path reuses from call to call.

A fresh array of a few hundred kilobytes or more is handed out by the C allocator as pages the
operating system has not touched yet, and on a small network touching them costs as much as the
arithmetic. Training asks for the same shapes thousands of times, so the hot path keeps its
intermediates (a, z, d and temporaries) here. Arrays returned to a caller never live here.
"""

import threading

import numpy as np


class Workspace:
    """A keyed store of reusable arrays: ``ws.empty(key, shape, dtype)`` returns uninitialized memory."""

    def __init__(self):
        self._arrays = {}

    def empty(self, key, shape, dtype):
        arr = self._arrays.get(key)
        if arr is None or arr.shape != shape or arr.dtype != dtype:
            arr = np.empty(shape, dtype)
            self._arrays[key] = arr
        return arr


_local = threading.local()


def default_workspace():
    """This thread's workspace (threads never share scratch arrays)."""
    if not hasattr(_local, "workspace"):
        _local.workspace = Workspace()
    return _local.workspace


class Fresh:
    """A stand-in for Workspace that always allocates: for results handed to the caller."""

    @staticmethod
    def empty(key, shape, dtype):
        return np.empty(shape, dtype)
