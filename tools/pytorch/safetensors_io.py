"""Hand-written safetensors writer and reader (no `safetensors` package on Debian bookworm).

Format (https://github.com/huggingface/safetensors, "Format" section):
  8 bytes   little-endian unsigned header length N
  N bytes   UTF-8 JSON: {name: {"dtype": "F64"|"F32"|"I64"|..., "shape": [...], "data_offsets": [begin, end]},
                         "__metadata__": {str: str}}
            padded with spaces so that 8 + N is a multiple of 8
  rest      the tensors' raw little-endian C-contiguous bytes; offsets are relative to the start of this part.

This writer sorts names, packs the data contiguously from offset 0 in that order, and writes
"__metadata__" first. The reader checks all of that (and fails loudly on anything else).
Needs only the standard library and numpy.
"""
import json
import struct

import numpy as np

# safetensors dtype name <-> little-endian numpy dtype
DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}
_BY_NUMPY = {v.newbyteorder("<") if v.itemsize > 1 else v: k for k, v in DTYPES.items()}

MAX_HEADER = 100 * 1024 * 1024  # safetensors' own limit


def _dtype_name(arr):
    dt = arr.dtype.newbyteorder("<") if arr.dtype.itemsize > 1 else arr.dtype
    try:
        return _BY_NUMPY[dt]
    except KeyError:
        raise ValueError(f"unsupported dtype {arr.dtype}") from None


def save(path, tensors, metadata=None):
    """Write {name: numpy array} to `path`. Returns the number of bytes written."""
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise TypeError("metadata must map str to str")
    if "__metadata__" in tensors:
        raise ValueError("'__metadata__' is reserved")
    header = {}
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    blobs = []
    offset = 0
    for name in sorted(tensors):
        arr = np.asarray(tensors[name])
        dtype = _dtype_name(arr)
        data = np.ascontiguousarray(arr, dtype=DTYPES[dtype]).tobytes(order="C")
        header[name] = {"dtype": dtype, "shape": [int(d) for d in arr.shape],
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    return 8 + len(text) + offset


class SafetensorsError(ValueError):
    pass


def _begin(entry):
    try:
        return int(entry["data_offsets"][0])
    except Exception:
        return -1


def load(path, strict=True):
    """Read a safetensors file. Returns (tensors: {name: numpy array}, metadata: {str: str}, entries: header dict).

    strict=True also checks what this project's writer guarantees: sorted names, contiguous offsets from 0,
    padding to a multiple of 8 with spaces.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise SafetensorsError("file shorter than the 8-byte header length")
    (n,) = struct.unpack_from("<Q", raw, 0)
    if n > MAX_HEADER or 8 + n > len(raw):
        raise SafetensorsError(f"header length {n} does not fit in a file of {len(raw)} bytes")
    text = raw[8:8 + n]
    try:
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafetensorsError(f"header is not UTF-8 JSON: {e}") from None
    if not isinstance(header, dict):
        raise SafetensorsError("header is not a JSON object")
    metadata = header.pop("__metadata__", {}) or {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise SafetensorsError("__metadata__ must map strings to strings")
    data = memoryview(raw)[8 + n:]
    tensors = {}
    expected = 0
    names = list(header)
    if strict:
        if (8 + n) % 8 or not text.rstrip(b" ").endswith(b"}"):
            raise SafetensorsError("header is not padded with spaces so that 8 + length is a multiple of 8")
        if names != sorted(names):
            raise SafetensorsError("tensor names are not sorted")
    # strict: walk in name order, which must also be the data order; otherwise walk in data order
    order = sorted(names) if strict else sorted(names, key=lambda k: _begin(header[k]))
    for name in order:
        e = header[name]
        if not isinstance(e, dict) or set(e) != {"dtype", "shape", "data_offsets"}:
            raise SafetensorsError(f"{name}: entry must have exactly dtype, shape, data_offsets")
        if e["dtype"] not in DTYPES:
            raise SafetensorsError(f"{name}: unknown dtype {e['dtype']!r}")
        shape = e["shape"]
        if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
            raise SafetensorsError(f"{name}: bad shape {shape!r}")
        offs = e["data_offsets"]
        if not (isinstance(offs, list) and len(offs) == 2 and all(isinstance(o, int) for o in offs)):
            raise SafetensorsError(f"{name}: bad data_offsets {offs!r}")
        begin, end = offs
        dt = DTYPES[e["dtype"]]
        count = int(np.prod(shape, dtype=np.int64))
        if not (0 <= begin <= end <= len(data)) or end - begin != count * dt.itemsize:
            raise SafetensorsError(f"{name}: data_offsets {[begin, end]} do not match shape {shape} x {dt.itemsize} bytes "
                                   f"in a data section of {len(data)} bytes")
        if strict and begin != expected:
            raise SafetensorsError(f"{name}: begins at {begin}, expected {expected} (offsets must be contiguous)")
        expected = end
        tensors[name] = np.frombuffer(data[begin:end], dtype=dt).reshape(shape)
    if strict and expected != len(data):
        raise SafetensorsError(f"{len(data) - expected} trailing bytes after the last tensor")
    return tensors, metadata, header
