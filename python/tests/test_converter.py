"""edgelite.Converter: ONNX -> .tflite from Python (docs/converter.md).

Models are made here with Debian's PyTorch (random weights) and checked
against PyTorch's own outputs; skipped when torch/onnx are not importable.
"""

import io

import numpy as np
import pytest

import edgelite

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")

if not edgelite._edgelite.HAS_CONVERTER:
    pytest.skip("built without the ONNX converter", allow_module_level=True)


class _Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(8)
        self.fc = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1)), x


def _export(tmp_path, model, x, **kw):
    path = tmp_path / "m.onnx"
    torch.onnx.export(model, x, str(path), opset_version=13, input_names=["input"], **kw)
    return path


def test_convert_matches_pytorch(tmp_path):
    torch.manual_seed(3)
    model = _Net().eval()
    with torch.no_grad():
        model.bn.running_mean.uniform_(-0.2, 0.2)
        model.bn.running_var.uniform_(0.5, 1.5)
    x = torch.rand(1, 3, 12, 10) * 2 - 1
    path = _export(tmp_path, model, x, output_names=["logits", "features"])
    tflite_model = edgelite.Converter.from_onnx(str(path)).convert()
    assert isinstance(tflite_model, bytes) and tflite_model[4:8] == b"TFL3"
    interp = edgelite.Interpreter(model_content=tflite_model)
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]
    assert inp["name"] == "input" and list(inp["shape"]) == [1, 3, 12, 10]  # the user's NCHW
    interp.set_tensor(inp["index"], x.numpy())
    interp.invoke()
    with torch.no_grad():
        want_logits, want_feat = model(x)
    outs = {d["name"]: interp.get_tensor(d["index"]) for d in interp.get_output_details()}
    # float32 bound of the converter tests: 1e-4 * max(1, max|reference|)
    np.testing.assert_allclose(outs["logits"], want_logits.numpy(), atol=1e-4, rtol=0)
    np.testing.assert_allclose(outs["features"], want_feat.numpy(), atol=1e-4, rtol=0)
    assert "serving_default" in interp.get_signature_list()


def test_nhwc_io_and_input_shapes(tmp_path):
    torch.manual_seed(4)
    model = _Net().eval()
    x = torch.rand(1, 3, 8, 8)
    path = _export(tmp_path, model, x, output_names=["logits", "features"],
                   dynamic_axes={"input": {2: "h", 3: "w"}})
    conv = edgelite.Converter.from_onnx(str(path), input_shapes={"input": [1, 3, 6, 7]})
    conv.nhwc_io = True
    interp = edgelite.Interpreter(model_content=conv.convert())
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]
    assert list(inp["shape"]) == [1, 6, 7, 3]
    x2 = torch.rand(1, 3, 6, 7)
    interp.set_tensor(inp["index"], np.ascontiguousarray(x2.numpy().transpose(0, 2, 3, 1)))
    interp.invoke()
    with torch.no_grad():
        want_logits, want_feat = model(x2)
    outs = {d["name"]: interp.get_tensor(d["index"]) for d in interp.get_output_details()}
    np.testing.assert_allclose(outs["logits"], want_logits.numpy(), atol=1e-4, rtol=0)
    np.testing.assert_allclose(outs["features"], want_feat.numpy().transpose(0, 2, 3, 1), atol=1e-4, rtol=0)


def test_unsupported_ops_are_all_named(tmp_path):
    class Bad(torch.nn.Module):
        def forward(self, x):
            y = torch.nn.functional.interpolate(x, scale_factor=2.0, mode="nearest")
            return torch.nn.functional.conv_transpose2d(y, torch.ones(3, 2, 2, 2))

    path = _export(tmp_path, Bad(), torch.rand(1, 3, 4, 4))
    with pytest.raises(edgelite.ConverterError) as e:
        edgelite.Converter.from_onnx(str(path)).convert()
    msg = str(e.value)
    assert "2 node(s) cannot be converted" in msg
    assert "Resize" in msg and "ConvTranspose" in msg


def test_missing_file_raises():
    with pytest.raises(edgelite.ConverterError, match="cannot open"):
        edgelite.Converter.from_onnx("/nonexistent/model.onnx").convert()
