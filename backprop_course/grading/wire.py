"""What travels from a grading child process to the parent: length-prefixed JSON frames.

The child runs untrusted learner code, so the parent never unpickles anything from it. Values are
encoded as JSON (arrays as shape + dtype + flat list; dicts with integer keys as key/value pairs) and
decoded by a strict, size-limited reader that rejects anything else.
"""

import json
import math
import os
import struct

import numpy as np

MAX_FRAME = 8 * 1024 * 1024          # one frame (one case) at most 8 MB
MAX_TOTAL = 64 * 1024 * 1024         # everything a child may send
MAX_ELEMENTS = 1_000_000             # an array larger than this is reported by shape only
_HEADER = struct.Struct(">I")


class WireError(ValueError):
    """A malformed frame: the parent treats the child's output as invalid."""


# -- encoding (child side) -----------------------------------------------------------------------

def encode(value, depth=0):
    """A JSON-ready form of `value`; unknown objects become ``{"__type__": name}``."""
    if depth > 12:
        return {"__type__": "too deeply nested"}
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else value[:2000]
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value) if abs(int(value)) < 2 ** 62 else float(value)
    if isinstance(value, (float, np.floating)):
        return {"__f__": float(value)}
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            return {"__type__": f"ndarray of dtype {arr.dtype}"}
        if arr.size > MAX_ELEMENTS:
            return {"__big__": list(arr.shape)}
        return {"__nd__": list(arr.shape), "dtype": arr.dtype.kind,
                "data": arr.astype(np.float64).ravel().tolist()}
    if isinstance(value, dict):
        items = []
        for k, v in list(value.items())[:1000]:
            items.append([encode(k, depth + 1), encode(v, depth + 1)])
        return {"__dict__": items}
    if isinstance(value, (list, tuple)):
        return {"__seq__": [encode(v, depth + 1) for v in list(value)[:10000]],
                "kind": "tuple" if isinstance(value, tuple) else "list"}
    return {"__type__": type(value).__name__[:100]}


def write_frame(fd, obj):
    """Send one frame: 4-byte big-endian length, then UTF-8 JSON."""
    data = json.dumps(obj, allow_nan=True).encode()
    if len(data) > MAX_FRAME:
        data = json.dumps({"type": "case", "id": obj.get("id"), "ok": False, "error_type": "OutputTooLarge",
                           "error": "the result was too large to send back"}).encode()
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# -- decoding (parent side) ----------------------------------------------------------------------

class Opaque:
    """A value the child could not encode (e.g. a string or a custom object): known by its type only."""

    def __init__(self, description):
        self.description = description

    def __repr__(self):
        return f"<{self.description}>"


def decode(obj, depth=0):
    """Rebuild a value from :func:`encode`'s form, strictly."""
    if depth > 14:
        raise WireError("nesting too deep")
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj
    if isinstance(obj, list):
        raise WireError("bare list")
    if not isinstance(obj, dict) or len(obj) > 3:
        raise WireError("unexpected object")
    if "__f__" in obj:
        value = obj["__f__"]
        if not isinstance(value, (int, float)):
            raise WireError("bad float")
        return float(value)
    if "__nd__" in obj:
        shape, data = obj["__nd__"], obj.get("data")
        if (not isinstance(shape, list) or not all(isinstance(s, int) and s >= 0 for s in shape)
                or not isinstance(data, list) or len(data) != math.prod(shape)
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data)):
            raise WireError("bad array")
        arr = np.array(data, dtype=np.float64).reshape(shape)
        kind = obj.get("dtype")
        if kind == "b":
            return arr.astype(bool)
        if kind in ("i", "u"):
            return arr.astype(np.int64)
        return arr
    if "__big__" in obj:
        return Opaque(f"array of shape {tuple(obj['__big__'])}, too large to check")
    if "__dict__" in obj:
        items = obj["__dict__"]
        if not isinstance(items, list):
            raise WireError("bad dict")
        out = {}
        for pair in items:
            if not isinstance(pair, list) or len(pair) != 2:
                raise WireError("bad dict item")
            key = decode(pair[0], depth + 1)
            if isinstance(key, np.ndarray) or isinstance(key, Opaque):
                key = repr(key)
            out[key] = decode(pair[1], depth + 1)
        return out
    if "__seq__" in obj:
        seq = obj["__seq__"]
        if not isinstance(seq, list):
            raise WireError("bad sequence")
        items = [decode(v, depth + 1) for v in seq]
        return tuple(items) if obj.get("kind") == "tuple" else items
    if "__type__" in obj:
        return Opaque(str(obj["__type__"])[:100])
    raise WireError("unknown object")


def split_frames(buffer):
    """Parse a byte string into a list of JSON frames; a truncated tail is ignored."""
    frames, pos = [], 0
    while pos + _HEADER.size <= len(buffer):
        (size,) = _HEADER.unpack_from(buffer, pos)
        if size > MAX_FRAME:
            raise WireError("frame too large")
        if pos + _HEADER.size + size > len(buffer):
            break
        raw = buffer[pos + _HEADER.size: pos + _HEADER.size + size]
        pos += _HEADER.size + size
        try:
            frame = json.loads(raw)
        except (ValueError, RecursionError) as exc:           # RecursionError: absurdly nested JSON
            raise WireError(f"invalid JSON frame: {type(exc).__name__}") from None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise WireError("frame without a type")
        frames.append(frame)
    return frames
