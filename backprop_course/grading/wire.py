"""What travels between the grader and a graded process: length-prefixed JSON frames.

Both sides use this module. It is standalone (the standard library and numpy only, no relative
imports) because the graded process imports it from the sandbox's runtime folder, where nothing
else of the course exists.

Values are encoded exactly: arrays (0-d ones too) as shape, dtype kind and the base64 of their
float64 (or int64, or bool) bytes; floats as JSON numbers (``repr`` round-trips) or the strings "nan", "inf", "-inf";
dicts as key/value pairs. The parent never unpickles anything. Its :func:`decode` accepts arrays,
floats, ints, ``None``, and dicts and lists of them whose keys are ints or strings; anything else
the graded code returned arrives as an :class:`Opaque` description (a wrong answer with a clear
message), and anything malformed raises :class:`WireError`.

:func:`canonical` turns call arguments into a key (a signature plus a hash of the float64 values)
and a flat float64 vector; the oracle of earlier exercises' helpers looks calls up by it on the
graded side, and the parent builds its tables with the same function.
"""

import base64
import hashlib
import json
import math
import os
import socket
import struct

import numpy as np

MAX_FRAME = 2 * 1024 * 1024          # one frame (one case) at most 2 MB
MAX_TOTAL = 16 * 1024 * 1024         # everything a graded process may send
MAX_ELEMENTS = 100_000               # an array larger than this is reported by its shape only
MAX_DEPTH = 12
MAX_ITEMS = 10_000
_HEADER = struct.Struct(">I")
_WIRE_DTYPES = {"f": np.dtype("<f8"), "i": np.dtype("<i8"), "b": np.dtype("|b1")}


class WireError(ValueError):
    """A malformed frame or value: the parent treats it as invalid output, never as a crash."""


class Opaque:
    """A value the graded process could not send as numbers (a string, an object, ...): its description."""

    def __init__(self, description):
        self.description = str(description)[:120]

    def __repr__(self):
        return f"<{self.description}>"


# -- encoding (both sides) ------------------------------------------------------------------------

def _float(value):
    value = float(value)
    if math.isfinite(value):
        return {"__f__": value}
    return {"__f__": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


def _array(arr):
    kind = arr.dtype.kind
    if kind not in "biuf":
        return {"__type__": f"an array of dtype {arr.dtype}"}
    if arr.size > MAX_ELEMENTS:
        return {"__big__": [int(s) for s in arr.shape]}
    kind = "i" if kind == "u" else kind
    data = np.ascontiguousarray(arr).astype(_WIRE_DTYPES[kind], copy=False)
    return {"__nd__": [int(s) for s in arr.shape], "dtype": kind, "b64": base64.b64encode(data.tobytes()).decode()}


def encode(value, depth=0):
    """A JSON-ready form of `value`; what cannot be sent as numbers becomes ``{"__type__": description}``."""
    if depth > MAX_DEPTH:
        return {"__type__": "a value nested too deeply"}
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return {"__type__": "a bool"}
    if type(value) is int or isinstance(value, np.integer):
        number = int(value)
        return number if abs(number) < 2 ** 62 else _float(number)
    if type(value) is float or isinstance(value, np.floating):
        return _float(value)
    if isinstance(value, np.ndarray):                # a 0-d array stays an array: "a float" means a float
        return _array(value)
    if isinstance(value, dict):
        items = []
        for k, v in list(dict.items(value))[:MAX_ITEMS]:
            if isinstance(k, np.integer):
                k = int(k)
            if type(k) not in (int, str):
                return {"__type__": f"a dict with a key of type {type(k).__name__}"}
            items.append([k if type(k) is int else k[:200], encode(v, depth + 1)])
        return {"__dict__": items}
    if isinstance(value, (list, tuple)):
        return {"__seq__": [encode(v, depth + 1) for v in list(value)[:MAX_ITEMS]],
                "kind": "tuple" if isinstance(value, tuple) else "list"}
    if isinstance(value, str):
        return {"__type__": "a string"}
    return {"__type__": f"an object of type {type(value).__name__[:60]}"}


# -- decoding -----------------------------------------------------------------------------------------

def _decode_array(obj):
    shape, kind, data = obj.get("__nd__"), obj.get("dtype"), obj.get("b64")
    if (not isinstance(shape, list) or len(shape) > 32 or kind not in ("f", "i", "b") or not isinstance(data, str)
            or not all(type(s) is int and 0 <= s <= MAX_ELEMENTS for s in shape)):
        raise WireError("bad array")
    size = math.prod(shape)
    if size > MAX_ELEMENTS:
        raise WireError("array too large")
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise WireError("bad array data") from None
    dtype = _WIRE_DTYPES[kind]
    if len(raw) != size * dtype.itemsize:
        raise WireError("array data of the wrong length")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def decode(obj, depth=0):
    """Rebuild a value from :func:`encode`'s form, strictly (raises :class:`WireError`)."""
    if depth > MAX_DEPTH + 2:
        raise WireError("nesting too deep")
    if obj is None or type(obj) is int:
        return obj
    if type(obj) is float:                       # a bare JSON number where a float was expected
        return obj
    if type(obj) is not dict or not 1 <= len(obj) <= 3:
        raise WireError("unexpected object")
    if "__f__" in obj:
        value = obj["__f__"]
        if type(value) in (int, float):
            return float(value)
        if value in ("nan", "inf", "-inf"):
            return float(value)
        raise WireError("bad float")
    if "__nd__" in obj:
        return _decode_array(obj)
    if "__big__" in obj:
        shape = obj["__big__"]
        if not isinstance(shape, list) or not all(type(s) is int for s in shape[:32]):
            raise WireError("bad shape")
        return Opaque(f"an array of shape {tuple(shape[:32])}, too large to check")
    if "__dict__" in obj:
        items = obj["__dict__"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise WireError("bad dict")
        out = {}
        for pair in items:
            if not isinstance(pair, list) or len(pair) != 2 or type(pair[0]) not in (int, str):
                raise WireError("bad dict item")
            out[pair[0]] = decode(pair[1], depth + 1)
        return out
    if "__seq__" in obj:
        seq = obj["__seq__"]
        if not isinstance(seq, list) or len(seq) > MAX_ITEMS or obj.get("kind") not in ("tuple", "list"):
            raise WireError("bad sequence")
        items = [decode(v, depth + 1) for v in seq]
        return tuple(items) if obj["kind"] == "tuple" else items
    if "__type__" in obj:
        return Opaque(obj["__type__"]) if isinstance(obj["__type__"], str) else Opaque("an unknown value")
    raise WireError("unknown object")


# -- frames -------------------------------------------------------------------------------------------

def frame_bytes(obj):
    """One frame: a 4-byte big-endian length, then UTF-8 JSON."""
    data = json.dumps(obj, allow_nan=False, separators=(",", ":")).encode()
    if len(data) > MAX_FRAME:
        data = json.dumps({"type": obj.get("type", "case"), "id": obj.get("id"), "ok": False,
                           "error_type": "ResultTooLarge",
                           "error": "the result is too large to send back to the grader"}).encode()
    return _HEADER.pack(len(data)) + data


def write_frame(fd, obj):
    """Send one frame on file descriptor `fd`."""
    view = memoryview(frame_bytes(obj))
    while view:
        view = view[os.write(fd, view):]


def split_frames(buffer):
    """The JSON frames in a byte string (a truncated last frame is ignored); raises :class:`WireError`."""
    frames, pos = [], 0
    while pos + _HEADER.size <= len(buffer):
        (size,) = _HEADER.unpack_from(buffer, pos)
        if size > MAX_FRAME:
            raise WireError("frame too large")
        if pos + _HEADER.size + size > len(buffer):
            break
        raw = bytes(buffer[pos + _HEADER.size: pos + _HEADER.size + size])
        pos += _HEADER.size + size
        try:
            frame = json.loads(raw)
        except (ValueError, RecursionError) as exc:           # RecursionError: absurdly nested JSON
            raise WireError(f"invalid JSON frame ({type(exc).__name__})") from None
        if type(frame) is not dict or type(frame.get("type")) is not str:
            raise WireError("frame without a type")
        frames.append(frame)
    return frames


# -- the control socket between the grader and a submission's server (trusted on both ends) ---------------

def send_message(sock, obj, fds=()):
    """Send one control message (a line of JSON) on a stream socket, passing `fds` along with it."""
    data = json.dumps(obj, separators=(",", ":")).encode() + b"\n"
    sent = socket.send_fds(sock, [data], list(fds)) if fds else sock.send(data)
    sock.sendall(data[sent:])


def recv_message(sock, maxfds=0):
    """The next control message and the file descriptors that came with it; (None, []) once the peer is gone."""
    buffer, fds = b"", []
    while not buffer.endswith(b"\n"):
        data, got, _, _ = socket.recv_fds(sock, 1 << 16, maxfds) if maxfds else (sock.recv(1 << 16), [], 0, None)
        fds += got
        if not data:
            for fd in fds:
                os.close(fd)
            return None, []
        buffer += data
    return json.loads(buffer), fds


# -- canonical call arguments (the oracle's keys) ----------------------------------------------------

def _flatten(value, parts, signature):
    if isinstance(value, dict):
        keys = list(value)
        if not all(type(k) is int or isinstance(k, np.integer) for k in keys):
            raise TypeError("dict keys must be layer numbers")
        keys = sorted(int(k) for k in keys)
        signature.append(("dict", tuple(keys)))
        for k in keys:
            _flatten(value[k], parts, signature)
        return
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf" or arr.size > MAX_ELEMENTS:
        raise TypeError("not a numeric array")
    signature.append(("array", arr.shape))
    parts.append(np.ascontiguousarray(arr, dtype=np.float64).ravel())


def canonical(args):
    """(key, signature, flat) for a tuple of call arguments: dicts of arrays, arrays and numbers.

    `key` is equal for equal float64 values; `signature` (structure and shapes) groups calls that can
    be compared element by element through `flat`. Raises TypeError for anything else.
    """
    parts, signature = [], []
    for value in args:
        _flatten(value, parts, signature)
    flat = np.concatenate(parts) if parts else np.zeros(0)
    signature = repr(signature)
    key = hashlib.blake2b(signature.encode() + flat.tobytes(), digest_size=16).hexdigest()
    return key, signature, flat
