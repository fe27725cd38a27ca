"""Every method of the Interpreter against an independent expectation:
TensorFlow Lite's own meta.json and outputs (../shared/goldens), arithmetic
worked out by hand, or another path through the API."""

import json
import sys
import threading
import time

import numpy as np
import pytest
from conftest import SHARED, Golden, assert_matches_golden, model_path, shared_path

from edgelite.interpreter import Interpreter, SignatureRunner

HELLO = "tflm/hello_world/hello_world_float.tflite"
HELLO_INT8 = "tflm/hello_world/hello_world_int8.tflite"
MUL_ADD = "litert/java_testdata/mul_add_signature_def.bin"
MULTI_SIG = "litert/java_testdata/multi_signature_def.bin"
LSTM = "litert/tflite_testdata/unidirectional_sequence_lstm.bin"
MOBILENET = "tflite_support/mobilenet_v1_0.25_224_1_default_1.tflite"

DETAIL_KEYS = {"name", "index", "shape", "shape_signature", "dtype", "quantization",
               "quantization_parameters", "sparsity_parameters"}


def allocated(rel, **kwargs):
    it = Interpreter(model_path=model_path(rel), **kwargs)
    it.allocate_tensors()
    return it


# ------------------------------------------------------------------ details

# Models whose meta.json (written by TFLite's Python API) lists the I/O.
DETAIL_MODELS = [HELLO, HELLO_INT8, "litert/java_testdata/quantized.bin",
                 "litert/java_testdata/uint8.bin", "litert/java_testdata/int64.bin",
                 "nnstreamer/sample_4x4x4x4x4_two_input_one_output.tflite", MOBILENET,
                 "coral/mobilenet_v1_0.25_128_quant.tflite",
                 "tflite_support/mobilenet_v1_0.25_224_quant.tflite",
                 "litert/tflite_testdata/reverse_signature_model.bin"]


@pytest.mark.parametrize("rel", DETAIL_MODELS)
def test_io_details_match_tflite_meta(rel):
    """Names, positions, shapes, dtypes and quantization equal TFLite's."""
    golden = Golden(rel)
    it = Interpreter(model_path=model_path(rel))
    for details, meta in ((it.get_input_details(), golden.meta["inputs"]),
                          (it.get_output_details(), golden.meta["outputs"])):
        assert len(details) == len(meta)
        for d, m in zip(details, meta):
            assert set(d) == DETAIL_KEYS
            assert d["name"] == m["name"]
            assert d["shape"].dtype == np.int32 and d["shape_signature"].dtype == np.int32
            assert list(d["shape"]) == m["shape"]
            assert d["dtype"] is np.dtype(m["dtype"]).type
            assert isinstance(d["index"], int)
            qp = d["quantization_parameters"]
            assert set(qp) == {"scales", "zero_points", "quantized_dimension"}
            assert qp["scales"].dtype == np.float32 and qp["zero_points"].dtype == np.int32
            assert d["sparsity_parameters"] == {}
            if m["quantization"] is None:
                assert d["quantization"] == (0.0, 0)
                assert qp["scales"].size == 0 and qp["zero_points"].size == 0
            else:
                q = m["quantization"]
                np.testing.assert_array_equal(qp["scales"], np.array(q["scale"], np.float32))
                np.testing.assert_array_equal(qp["zero_points"], q["zero_point"])
                assert qp["quantized_dimension"] == q.get("quantized_dimension", 0)
                if len(q["scale"]) == 1:
                    scale, zp = d["quantization"]
                    assert np.float32(scale) == np.float32(q["scale"][0])
                    assert zp == q["zero_point"][0]


def test_input_index_is_the_tensor_index():
    """'index' is the tensor index in subgraph 0: the tensor listed by
    get_tensor_details under that index has the same name."""
    it = Interpreter(model_path=model_path("litert/tflite_testdata/reverse_signature_model.bin"))
    by_index = {d["index"]: d for d in it.get_tensor_details()}
    assert sorted(by_index) == list(range(len(by_index)))
    for d in it.get_input_details() + it.get_output_details():
        assert by_index[d["index"]]["name"] == d["name"]
    # reverse_signature_model: inputs are tensors 1 ('x') and 0 ('y')... in
    # the order the model lists them; outputs 3 and 2 (see its signature).
    sig = it._get_full_signature_list()["serving_default"]
    assert sig == {"inputs": {"x": 1, "y": 0}, "outputs": {"prod": 3, "sum": 2}}


def test_tensor_details_and_shape_signature():
    it = Interpreter(model_path=model_path(HELLO))
    details = it.get_tensor_details()
    assert len(details) == 10
    assert all(set(d) == DETAIL_KEYS for d in details)
    inp = it.get_input_details()[0]
    # hello_world was converted with a dynamic batch: signature [-1, 1].
    assert list(inp["shape_signature"]) == [-1, 1]
    assert list(inp["shape"]) == [1, 1]
    with pytest.raises(ValueError, match="subgraph_index is out of range"):
        it.get_tensor_details(subgraph_index=5)


def test_per_channel_quantization_parameters():
    """pc_conv.bin: a CONV_2D with per-channel int8 weights (128 output
    channels along dimension 3) and an int32 bias. TFLite's quantization spec
    gives an independent expectation: bias scale[c] = input scale x weight
    scale[c], zero points 0; the legacy 'quantization' tuple is (0.0, 0) for
    per-channel tensors and (scale, zero_point) for per-tensor ones."""
    it = Interpreter(model_path=model_path("litert/python_testdata/pc_conv.bin"))
    by_name = {d["name"]: d for d in it.get_tensor_details()}
    w, bias, x = by_name["Conv/weights"], by_name["Conv/Conv2D_bias"], by_name["input_int8"]
    wq, bq = w["quantization_parameters"], bias["quantization_parameters"]
    assert w["dtype"] is np.int8 and bias["dtype"] is np.int32
    assert wq["quantized_dimension"] == 3 and wq["scales"].shape == (128,)
    assert list(w["shape"]) == [1, 3, 3, 128]
    assert w["quantization"] == (0.0, 0) and bias["quantization"] == (0.0, 0)
    np.testing.assert_array_equal(wq["zero_points"], np.zeros(128, np.int32))
    in_scale, in_zp = x["quantization"]
    assert in_zp == -128 and in_scale == pytest.approx(1 / 255, rel=1e-6)
    np.testing.assert_allclose(bq["scales"], in_scale * wq["scales"], rtol=1e-6)


# ---------------------------------------------------------- set/get/tensor

def test_get_tensor_returns_a_copy():
    golden = Golden(HELLO)
    it = allocated(HELLO)
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    it.set_tensor(inp["index"], golden.input(0))
    it.invoke()
    a = it.get_tensor(out["index"])
    a[...] = 12345.0
    b = it.get_tensor(out["index"])
    assert_matches_golden(b, golden.output(0))
    assert a.flags.owndata or a.base is not None  # an independent array
    assert not np.shares_memory(a, b)


def test_set_tensor_copies_value():
    golden = Golden(HELLO)
    it = allocated(HELLO)
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    x = golden.input(0).copy()
    it.set_tensor(inp["index"], x)
    x[...] = 99.0  # must not affect the interpreter
    it.invoke()
    assert_matches_golden(it.get_tensor(out["index"]), golden.output(0))
    np.testing.assert_array_equal(it.get_tensor(inp["index"]), golden.input(0))


def test_tensor_zero_copy_view():
    golden = Golden(HELLO)
    it = allocated(HELLO)
    in_idx = it.get_input_details()[0]["index"]
    out_idx = it.get_output_details()[0]["index"]
    input_fn, output_fn = it.tensor(in_idx), it.tensor(out_idx)
    # Write through the view: the interpreter sees it without set_tensor.
    input_fn()[...] = golden.input(0)
    np.testing.assert_array_equal(it.get_tensor(in_idx), golden.input(0))
    it.invoke()  # no view alive: the temporaries above are gone
    assert_matches_golden(output_fn().copy(), golden.output(0))
    # Two views of one tensor share memory (zero-copy), and see later writes.
    v1, v2 = input_fn(), input_fn()
    assert np.shares_memory(v1, v2)
    v1[...] = 0.25
    assert v2[0, 0] == np.float32(0.25)
    it.set_tensor(in_idx, np.full((1, 1), 0.5, np.float32))
    assert v1[0, 0] == np.float32(0.5)
    del v1, v2


def test_views_block_reallocation_and_invoke():
    it = allocated(HELLO)
    idx = it.get_input_details()[0]["index"]
    view = it.tensor(idx)()
    sliced = view[0]  # derived arrays count too
    del view
    with pytest.raises(RuntimeError, match="reference to internal data"):
        it.invoke()
    with pytest.raises(RuntimeError, match="reference to internal data"):
        it.allocate_tensors()
    with pytest.raises(RuntimeError, match="reference to internal data"):
        it.resize_tensor_input(idx, [2, 1])
    del sliced
    it.invoke()
    it.allocate_tensors()


def test_view_keeps_memory_alive_after_interpreter_is_gone():
    it = allocated(HELLO)
    view = it.tensor(it.get_input_details()[0]["index"])()
    view[...] = 3.0
    del it
    import gc
    gc.collect()
    assert view[0, 0] == np.float32(3.0)  # still valid memory


def test_constant_tensor_views_are_read_only():
    it = allocated(HELLO)
    io = {d["index"] for d in it.get_input_details() + it.get_output_details()}
    const = [d for d in it.get_tensor_details()
             if d["index"] not in io and "MatMul" in d["name"] and d["shape"].size == 2]
    assert const, "hello_world has constant weight matrices"
    view = it.tensor(const[0]["index"])()
    assert not view.flags.writeable
    with pytest.raises(ValueError):
        view[...] = 0
    np.testing.assert_array_equal(view, it.get_tensor(const[0]["index"]))
    del view


# -------------------------------------------------------------------- resize

def test_resize_tensor_input_batch():
    """A batch of 5 gives, row by row, the outputs of 5 single runs."""
    xs = np.linspace(0, 6, 5, dtype=np.float32).reshape(5, 1)
    single = allocated(HELLO)
    i0, o0 = single.get_input_details()[0]["index"], single.get_output_details()[0]["index"]
    expected = []
    for x in xs:
        single.set_tensor(i0, x.reshape(1, 1))
        single.invoke()
        expected.append(single.get_tensor(o0)[0])
    it = allocated(HELLO)
    it.resize_tensor_input(i0, [5, 1])
    assert list(it.get_input_details()[0]["shape"]) == [5, 1]
    it.allocate_tensors()
    assert list(it.get_output_details()[0]["shape"]) == [5, 1]
    it.set_tensor(i0, xs)
    it.invoke()
    out = it.get_tensor(o0)
    np.testing.assert_allclose(out, np.array(expected), rtol=1e-6, atol=1e-6)
    # hello_world approximates sin(x) on [0, 2pi]: a sanity bound.
    assert np.max(np.abs(out[:, 0] - np.sin(xs[:, 0]))) < 0.25


def test_resize_strict():
    it = allocated(HELLO)
    idx = it.get_input_details()[0]["index"]
    it.resize_tensor_input(idx, np.array([3, 1]), strict=True)  # -1 dim: allowed
    with pytest.raises(ValueError):
        it.resize_tensor_input(idx, [3, 2], strict=True)  # fixed dim: refused
    it.resize_tensor_input(idx, [3, 2], strict=False)  # not strict: accepted
    assert list(it.get_input_details()[0]["shape"]) == [3, 2]
    # FULLY_CONNECTED flattens [3, 2] into 6 rows of its 1 feature.
    it.allocate_tensors()
    assert it.get_output_details()[0]["shape"].prod() == 6


def test_resize_then_invoke_without_allocate_raises():
    it = allocated(HELLO)
    it.resize_tensor_input(it.get_input_details()[0]["index"], [4, 1])
    with pytest.raises(RuntimeError, match="AllocateTensors"):
        it.invoke()


def test_resize_errors():
    it = allocated(HELLO)
    out_idx = it.get_output_details()[0]["index"]
    with pytest.raises(ValueError, match="not an input"):
        it.resize_tensor_input(out_idx, [2, 1])
    with pytest.raises(ValueError):
        it.resize_tensor_input(0, [-2, 1])
    with pytest.raises(ValueError):
        it.resize_tensor_input(0, [[1, 1]])
    with pytest.raises(ValueError):
        it.resize_tensor_input(1000, [1, 1])


# ---------------------------------------------------------------- signatures

def test_signature_list_and_runner_mul_add():
    golden = Golden(MUL_ADD)
    it = Interpreter(model_path=model_path(MUL_ADD))
    assert it.get_signature_list() == {"mul_add": {"inputs": ["x", "y"], "outputs": ["output_0"]}}
    runner = it.get_signature_runner()  # the only signature
    assert isinstance(runner, SignatureRunner)
    ins, outs = runner.get_input_details(), runner.get_output_details()
    assert set(ins) == {"x", "y"} and set(outs) == {"output_0"}
    assert all(set(d) == DETAIL_KEYS for d in list(ins.values()) + list(outs.values()))
    assert ins["x"]["index"] == 1 and ins["y"]["index"] == 0 and outs["output_0"]["index"] == 4
    # The model computes output = 3 * x + y (MUL by a constant 3, then ADD):
    # 3*2 + 3 = 9, 3*5 + 7 = 22 worked by hand.
    res = runner(x=np.array([2.0], np.float32), y=np.array([3.0], np.float32))
    assert list(res) == ["output_0"]
    np.testing.assert_array_equal(res["output_0"], np.array([9.0], np.float32))
    res = runner(x=np.array([5.0], np.float32), y=np.array([7.0], np.float32))
    np.testing.assert_array_equal(res["output_0"], np.array([22.0], np.float32))
    # Inputs are resized to the arrays given: a batch of 3.
    x = np.array([1.0, -2.0, 0.5], np.float32)
    y = np.array([4.0, 1.0, -1.5], np.float32)
    np.testing.assert_array_equal(runner(x=x, y=y)["output_0"], 3 * x + y)
    # TFLite's golden: model input k is the tensor input_details()[k].
    it2 = Interpreter(model_path=model_path(MUL_ADD))
    r2 = it2.get_signature_runner("mul_add")
    names = {d["index"]: n for n, d in r2.get_input_details().items()}
    feeds = {names[d["index"]]: golden.input(k) for k, d in enumerate(it2.get_input_details())}
    assert_matches_golden(r2(**feeds)["output_0"], golden.output(0))


def test_multi_signature_runner_on_second_subgraph():
    it = Interpreter(model_path=model_path(MULTI_SIG))
    assert it.num_subgraphs() == 2
    assert it.get_signature_list() == {
        "add": {"inputs": ["a", "b"], "outputs": ["add_result"]},
        "sub": {"inputs": ["x", "y"], "outputs": ["sub_result"]},
    }
    with pytest.raises(ValueError, match="None is only allowed"):
        it.get_signature_runner()
    add, sub = it.get_signature_runner("add"), it.get_signature_runner("sub")
    a, b = np.float32(1.5), np.float32(-4.0)
    np.testing.assert_array_equal(add(a=np.array(a), b=np.array(b))["add_result"], a + b)
    np.testing.assert_array_equal(sub(x=np.array(a), y=np.array(b))["sub_result"], a - b)
    # Batches, alternating runners.
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = np.full((2, 3), 10, np.float32)
    np.testing.assert_array_equal(sub(x=x, y=y)["sub_result"], x - y)
    np.testing.assert_array_equal(add(a=x, b=y)["add_result"], x + y)
    # The signature's subgraph tensors are reachable by index.
    sub_sg = 1 if it._native.signature_defs()["sub"]["subgraph_index"] == 1 else 0
    out_index = sub.get_output_details()["sub_result"]["index"]
    np.testing.assert_array_equal(it.get_tensor(out_index, subgraph_index=sub_sg),
                                  (x - y) if sub_sg == 1 else it.get_tensor(out_index))


def test_signature_runner_errors():
    it = Interpreter(model_path=model_path(MULTI_SIG))
    with pytest.raises(ValueError, match="Invalid signature_key"):
        it.get_signature_runner("nope")
    add = it.get_signature_runner("add")
    with pytest.raises(ValueError, match="Invalid number of inputs"):
        add(a=np.array(1.0, np.float32))
    with pytest.raises(ValueError, match="Invalid Input name"):
        add(a=np.array(1.0, np.float32), c=np.array(1.0, np.float32))
    with pytest.raises(ValueError, match="Got value of type FLOAT64 but expected type FLOAT32"):
        add(a=np.array(1.0), b=np.array(2.0))


# ---------------------------------------------------------------- variables

def test_reset_all_variables():
    """The LSTM's state lives in variable tensors: a second run on the same
    input differs; after reset_all_variables it equals the first run."""
    golden = Golden(LSTM)
    it = allocated(LSTM)
    i, o = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
    outs = []
    for _ in range(2):
        it.set_tensor(i, golden.input(0))
        it.invoke()
        outs.append(it.get_tensor(o))
    assert_matches_golden(outs[0], golden.output(0))  # TFLite's first run
    assert np.max(np.abs(outs[1] - outs[0])) > 1e-3  # the state carried over
    assert it.reset_all_variables() is None
    it.set_tensor(i, golden.input(0))
    it.invoke()
    np.testing.assert_array_equal(it.get_tensor(o), outs[0])


# ------------------------------------------------------------- model_content

def test_model_content_bytes_zero_copy():
    golden = Golden(HELLO)
    with open(model_path(HELLO), "rb") as f:
        content = f.read()
    it = Interpreter(model_content=content)
    assert it._model_content is content  # the reference the weights live in
    if it._native.zero_copy:
        # Used in place: the bytes object is referenced, not copied.
        assert sys.getrefcount(content) >= 4  # local + interpreter + native + arg
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], golden.input(0))
    it.invoke()
    assert_matches_golden(it.get_tensor(it.get_output_details()[0]["index"]), golden.output(0))


@pytest.mark.parametrize("wrap", [bytearray, lambda b: memoryview(b"x" + b)[1:]])
def test_model_content_other_buffers_are_copied_once(wrap):
    golden = Golden(HELLO)
    with open(model_path(HELLO), "rb") as f:
        content = wrap(f.read())
    it = Interpreter(model_content=content)
    assert not it._native.zero_copy
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], golden.input(0))
    it.invoke()
    assert_matches_golden(it.get_tensor(it.get_output_details()[0]["index"]), golden.output(0))


# -------------------------------------------------------------------- errors

def test_constructor_errors(tmp_path):
    with pytest.raises(ValueError, match="must be specified"):
        Interpreter()
    with pytest.raises(ValueError, match="Can't both provide"):
        Interpreter(model_path="a.tflite", model_content=b"abc")
    with pytest.raises(ValueError, match="nonexistent"):
        Interpreter(model_path=str(tmp_path / "nonexistent.tflite"))
    bad = tmp_path / "garbage.tflite"
    bad.write_bytes(b"\x00\x01not a flatbuffer" * 10)
    with pytest.raises(ValueError):
        Interpreter(model_path=str(bad))
    with pytest.raises(ValueError):
        Interpreter(model_content=b"\x10\x00\x00\x00TFL3" + b"\xff" * 64)
    with pytest.raises(ValueError):
        Interpreter(model_content=12345)
    with pytest.raises(ValueError):
        Interpreter(model_content=bytearray(b"TFL3" * 100))


def test_constructor_argument_errors():
    with pytest.raises(ValueError, match="num_threads should >= 1"):
        Interpreter(model_path=model_path(HELLO), num_threads=0)
    with pytest.raises(ValueError, match="type of num_threads should be int"):
        Interpreter(model_path=model_path(HELLO), num_threads=1.5)
    with pytest.raises(ValueError, match="delegates"):
        Interpreter(model_path=model_path(HELLO), experimental_delegates=[object()])
    with pytest.raises(ValueError, match="op resolver type"):
        Interpreter(model_path=model_path(HELLO), experimental_op_resolver_type=7)


def test_extra_constructor_arguments_accepted():
    from edgelite.interpreter import OpResolverType
    it = Interpreter(model_path=model_path(HELLO), num_threads=2,
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    with pytest.warns(RuntimeWarning, match="preserve"):
        Interpreter(model_path=model_path(HELLO), experimental_preserve_all_tensors=True)


def test_load_delegate_raises_value_error():
    import edgelite
    with pytest.raises(ValueError, match="Failed to load delegate from libedgetpu.so.1"):
        edgelite.load_delegate("libedgetpu.so.1")


def test_invalid_model_files_never_crash():
    """Every deliberately broken model of the corpus raises ValueError."""
    d = SHARED / "models" / "coral" / "invalid_models"
    if not d.is_dir():
        pytest.skip(f"{d} not found")
    files = sorted(p for p in d.rglob("*") if p.is_file())
    assert files
    for p in files:
        try:
            it = Interpreter(model_path=str(p))
        except ValueError:
            continue
        # Loadable after all (the file may only be invalid for the Edge TPU).
        try:
            it.allocate_tensors()
        except RuntimeError:
            pass


def test_truncated_models_raise_value_error():
    with open(model_path(MOBILENET), "rb") as f:
        content = f.read()
    for n in (0, 8, 100, len(content) // 2, len(content) - 1):
        with pytest.raises(ValueError):
            Interpreter(model_content=content[:n] if n else b"")


def test_unsupported_model_raises_value_error_with_message():
    # A model whose custom op ("Sinh") edgelite does not implement.
    rel = "litert/tflite_testdata/custom_sinh.bin"
    with pytest.raises(ValueError, match="Sinh"):
        Interpreter(model_path=model_path(rel))


def test_invoke_before_allocate_raises_runtime_error():
    it = Interpreter(model_path=model_path(HELLO))
    with pytest.raises(RuntimeError, match="AllocateTensors"):
        it.invoke()


def test_set_tensor_errors_like_tflite():
    it = allocated(HELLO)
    d = it.get_input_details()[0]
    idx = d["index"]
    with pytest.raises(ValueError) as e:
        it.set_tensor(idx, np.zeros((1, 1), np.float64))
    assert str(e.value) == ("Cannot set tensor: Got value of type FLOAT64 but expected type "
                            "FLOAT32 for input %d, name: %s " % (idx, d["name"]))
    with pytest.raises(ValueError, match="Got value of type INT32 but expected type FLOAT32"):
        it.set_tensor(idx, np.zeros((1, 1), np.int32))
    with pytest.raises(ValueError, match=r"Dimension mismatch. Got 1 but expected 2 for input"):
        it.set_tensor(idx, np.zeros((1,), np.float32))
    with pytest.raises(ValueError, match=r"Got 3 but expected 1 for dimension 0 of input"):
        it.set_tensor(idx, np.zeros((3, 1), np.float32))
    with pytest.raises(ValueError, match="Invalid tensor index"):
        it.set_tensor(10000, np.zeros((1, 1), np.float32))
    with pytest.raises(ValueError, match="Invalid tensor index"):
        it.set_tensor(-1, np.zeros((1, 1), np.float32))
    with pytest.raises(ValueError):
        it.set_tensor(idx, "not a number")
    # Non-contiguous input arrays are fine (copied to C order first).
    x = np.arange(4, dtype=np.float32).reshape(2, 2)[:1, 1:]
    it.set_tensor(idx, x)
    assert it.get_tensor(idx)[0, 0] == 1.0


def test_set_tensor_on_constant_refused():
    it = allocated(HELLO)
    io = {d["index"] for d in it.get_input_details() + it.get_output_details()}
    const = [d for d in it.get_tensor_details()
             if d["index"] not in io and "MatMul" in d["name"]][0]
    with pytest.raises(ValueError, match="constant"):
        it.set_tensor(const["index"], np.zeros(const["shape"], const["dtype"]))


def test_get_tensor_errors():
    it = Interpreter(model_path=model_path(MOBILENET))
    out = it.get_output_details()[0]["index"]
    with pytest.raises(ValueError, match="allocate_tensors"):
        it.get_tensor(out)  # not allocated yet
    with pytest.raises(ValueError, match="allocate_tensors"):
        it.tensor(out)()
    with pytest.raises(ValueError, match="allocate_tensors"):
        it.set_tensor(it.get_input_details()[0]["index"],
                      np.zeros((1, 224, 224, 3), np.float32))
    with pytest.raises(ValueError, match="Invalid tensor index"):
        it.get_tensor(100000)
    with pytest.raises(ValueError, match="subgraph"):
        it.get_tensor(0, subgraph_index=3)


# ----------------------------------------------------------------------- GIL

def test_invoke_releases_the_gil():
    """While invoke() runs in a thread, the main thread keeps running Python.

    Behavioural, not a timing threshold: the worker records when each invoke
    starts and ends; the main thread stamps the clock in a pure-Python loop
    (which needs the GIL). If invoke held the GIL, no stamp could fall inside
    the middle of an invoke interval."""
    golden = Golden(MOBILENET)
    it = allocated(MOBILENET)
    it.set_tensor(it.get_input_details()[0]["index"], golden.input(0))
    runs = 3
    intervals = []

    def work():
        for _ in range(runs):
            t0 = time.perf_counter()
            it.invoke()
            intervals.append((t0, time.perf_counter()))

    worker = threading.Thread(target=work)
    stamps = []
    worker.start()
    while worker.is_alive():
        stamps.append(time.perf_counter())
        sum(range(200))  # pure-Python work that needs the GIL
    worker.join()
    # Only the middle half of each interval counts: the interpreter may switch
    # threads between taking t0 and entering invoke(), which is not evidence.
    inside = sum(1 for t in stamps for a, b in intervals
                 if a + 0.25 * (b - a) < t < b - 0.25 * (b - a))
    assert len(intervals) == runs
    assert inside >= 5, (inside, len(stamps))
    assert_matches_golden(it.get_tensor(it.get_output_details()[0]["index"]), golden.output(0))


def test_concurrent_use_raises_instead_of_racing():
    golden = Golden(MOBILENET)
    it = allocated(MOBILENET)
    in_idx = it.get_input_details()[0]["index"]
    out_idx = it.get_output_details()[0]["index"]
    it.set_tensor(in_idx, golden.input(0))
    errors = []
    worker = threading.Thread(target=lambda: [it.invoke() for _ in range(3)])
    worker.start()
    while worker.is_alive():
        try:
            it.get_tensor(out_idx)
        except RuntimeError as e:
            errors.append(str(e))
        time.sleep(0.001)
    worker.join()
    assert errors and "another thread" in errors[0]
    assert_matches_golden(it.get_tensor(out_idx), golden.output(0))


# ------------------------------------------------------------------- overhead

def test_overhead_report(capsys):
    """set_tensor + invoke + get_tensor from Python on hello_world, next to
    the C++ CLI's timing of the same model (printed with -s; not asserted)."""
    import os
    import subprocess
    golden = Golden(HELLO)
    it = allocated(HELLO)
    i, o = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
    x = golden.input(0)
    n = 2000
    for _ in range(100):
        it.set_tensor(i, x)
        it.invoke()
        it.get_tensor(o)
    t0 = time.perf_counter()
    for _ in range(n):
        it.set_tensor(i, x)
        it.invoke()
        it.get_tensor(o)
    py_us = (time.perf_counter() - t0) / n * 1e6
    assert py_us > 0
    line = f"python set_tensor+invoke+get_tensor on hello_world: {py_us:.2f} us/iter"
    cli = os.environ.get("EDGELITE_CLI")
    if cli and os.path.exists(cli):
        r = subprocess.run([cli, "run", model_path(HELLO), "--input",
                            f"0={golden.dir / 'input_0.bin'}", "--warmup", "100", "--runs",
                            str(n)], capture_output=True, text=True)
        out = [ln.strip() for ln in (r.stdout + r.stderr).splitlines() if "invoke" in ln]
        line += f"; C++ CLI: {out[-1] if out else '?'}"
    with capsys.disabled():
        print("\n" + line)
