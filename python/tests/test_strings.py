"""String tensors through the Python API, as tflite_runtime handles them:
set_tensor takes an array of bytes/str objects, get_tensor returns an object
array of bytes. Expected values: GATHER's and RESHAPE's definitions."""

import numpy as np
import pytest
from conftest import model_path

import edgelite


def test_gather_strings():
    it = edgelite.Interpreter(model_path=model_path("litert/litert_testdata/gather_string.tflite"))
    it.allocate_tensors()
    params, indices = it.get_input_details()
    assert params["dtype"] is np.object_
    words = [b"zero", b"one", "two", b"", b"four", b"five", b"six", b"seven", b"eight", "nine\u00e9"]
    it.set_tensor(params["index"], np.array(words, dtype=object))
    it.set_tensor(indices["index"], np.array([9, 3, 2], dtype=np.int64))
    it.invoke()
    out = it.get_tensor(it.get_output_details()[0]["index"])
    assert out.dtype == object and out.shape == (3,)
    assert list(out) == ["nine\u00e9".encode(), b"", b"two"]


def test_reshape_strings_keeps_order():
    it = edgelite.Interpreter(model_path=model_path("litert/java_testdata/string.bin"))
    it.allocate_tensors()
    d = it.get_input_details()[0]
    n = int(np.prod(d["shape"]))
    words = np.array([f"w{k}".encode() for k in range(n)], dtype=object).reshape(d["shape"])
    it.set_tensor(d["index"], words)
    it.invoke()
    o = it.get_output_details()[0]
    out = it.get_tensor(o["index"])
    assert tuple(out.shape) == tuple(o["shape"])
    assert list(out.reshape(-1)) == list(words.reshape(-1))


def test_string_errors():
    it = edgelite.Interpreter(model_path=model_path("litert/litert_testdata/gather_string.tflite"))
    it.allocate_tensors()
    params = it.get_input_details()[0]
    with pytest.raises(ValueError):
        it.set_tensor(params["index"], np.array([b"a", b"b"], dtype=object))  # wrong shape
    with pytest.raises(ValueError):
        it.set_tensor(params["index"], np.arange(10))  # not strings
