"""Post-training quantization with an API shaped like ``tf.lite.TFLiteConverter``::

    import numpy as np
    import edgelite

    converter = edgelite.TFLiteConverter.from_tflite("model_float.tflite")
    # or edgelite.TFLiteConverter.from_onnx("model.onnx")
    converter.optimizations = [edgelite.Optimize.DEFAULT]

    def representative_dataset():
        for x in calibration_images:             # each yield: a list, one array per input
            yield [x[np.newaxis].astype(np.float32)]

    converter.representative_dataset = representative_dataset
    converter.inference_input_type = np.int8     # or edgelite.int8 / np.uint8; default float32
    converter.inference_output_type = np.int8
    tflite_model = converter.convert()           # bytes

How the mode is chosen (as TensorFlow Lite does):

- no optimizations: the float model unchanged;
- ``Optimize.DEFAULT`` and ``target_spec.supported_types == [float16]``: float16 weights;
- ``Optimize.DEFAULT`` with a ``representative_dataset``: full integer (int8), or 16x8 when
  ``target_spec.supported_ops`` holds
  ``OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8``;
- ``Optimize.DEFAULT`` without one: dynamic range (int8 weights, float activations).

Ops without an integer kernel stay float (DEQUANTIZE before, QUANTIZE after)
unless ``target_spec.supported_ops == {OpsSet.TFLITE_BUILTINS_INT8}``, which
makes them an error, as in TensorFlow Lite. ``converter.per_tensor = True`` keeps one scale per weight tensor. After
``convert()``, ``converter.report`` holds the quantization report (sizes and,
with a representative dataset, the per-tensor error against the float model) as
a dict, ``converter.report_text`` as text. Errors raise
``edgelite.QuantizerError`` (a ``ValueError``). See docs/quantizer.md.
"""

from __future__ import annotations

import enum
import json
import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence

import numpy as np

from edgelite import _edgelite

QuantizerError = _edgelite.QuantizerError

# The dtypes of tf.lite (tf.float16, tf.int8, ...), as numpy types.
float32 = np.float32
float16 = np.float16
int8 = np.int8
uint8 = np.uint8
int16 = np.int16


class Optimize(enum.Enum):
    """``tf.lite.Optimize``: DEFAULT turns quantization on (the other two are
    TensorFlow's deprecated aliases of DEFAULT)."""

    DEFAULT = "DEFAULT"
    OPTIMIZE_FOR_SIZE = "OPTIMIZE_FOR_SIZE"
    OPTIMIZE_FOR_LATENCY = "OPTIMIZE_FOR_LATENCY"


class OpsSet(enum.Enum):
    """``tf.lite.OpsSet``: the values that choose a quantization mode."""

    TFLITE_BUILTINS = "TFLITE_BUILTINS"
    TFLITE_BUILTINS_INT8 = "TFLITE_BUILTINS_INT8"
    EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 = (
        "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8")


class TargetSpec:
    """``tf.lite.TargetSpec``: ``supported_types`` ([float16] selects float16
    quantization) and ``supported_ops``."""

    def __init__(self) -> None:
        self.supported_types: List[Any] = []
        self.supported_ops: set = {OpsSet.TFLITE_BUILTINS}


def _dtype_name(t: Any, what: str) -> str:
    """'float', 'int8', 'uint8' or 'int16' for a numpy dtype (or type, or a name)."""
    if t is None:
        return "float"
    try:
        dt = np.dtype(t)
    except TypeError:
        raise QuantizerError(f"{what}: {t!r} is not a dtype")
    names = {np.dtype(np.float32): "float", np.dtype(np.int8): "int8",
             np.dtype(np.uint8): "uint8", np.dtype(np.int16): "int16"}
    if dt not in names:
        raise QuantizerError(f"{what}: {dt} is not supported (float32, int8, uint8 or int16)")
    return names[dt]


def _is_float16(t: Any) -> bool:
    try:
        return np.dtype(t) == np.float16
    except TypeError:
        return False


class TFLiteConverter:
    """Quantizes a float .tflite model (or an ONNX model, converted first)."""

    def __init__(self, model_bytes: bytes) -> None:
        self._float_model = bytes(model_bytes)
        self.optimizations: List[Optimize] = []
        self.target_spec = TargetSpec()
        self.representative_dataset: Optional[Callable[[], Iterable[Any]]] = None
        self.inference_input_type: Any = np.float32
        self.inference_output_type: Any = np.float32
        self.per_tensor = False
        self.report: Optional[Dict[str, Any]] = None
        self.report_text: Optional[str] = None

    @classmethod
    def from_tflite(cls, path: str) -> "TFLiteConverter":
        """A converter for the float .tflite model at `path`."""
        with open(os.fspath(path), "rb") as f:
            return cls(f.read())

    @classmethod
    def from_tflite_model(cls, model_bytes: bytes) -> "TFLiteConverter":
        """A converter for float .tflite model bytes."""
        return cls(model_bytes)

    @classmethod
    def from_onnx(cls, path: str,
                  input_shapes: Optional[Mapping[str, Sequence[int]]] = None,
                  nhwc_io: bool = False) -> "TFLiteConverter":
        """Converts the ONNX model at `path` (see edgelite.Converter), to be quantized."""
        from edgelite.converter import Converter
        c = Converter.from_onnx(path, input_shapes)
        c.nhwc_io = nhwc_io
        return cls(c.convert())

    def _mode(self) -> Optional[str]:
        if not self.optimizations:
            return None
        for o in self.optimizations:
            if not isinstance(o, Optimize):
                raise QuantizerError(f"optimizations: {o!r} is not an edgelite.Optimize value")
        types = list(self.target_spec.supported_types)
        if types and all(_is_float16(t) for t in types):
            return "float16"
        if self.representative_dataset is not None:
            if OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 in \
                    set(self.target_spec.supported_ops):
                return "int16x8"
            return "int8"
        return "dynamic"

    def _samples(self) -> List[List[bytes]]:
        from edgelite.interpreter import Interpreter
        details = Interpreter(model_content=self._float_model).get_input_details()
        samples = []
        for n, sample in enumerate(self.representative_dataset()):
            if isinstance(sample, Mapping):
                sample = [sample[d["name"]] for d in details]
            if not isinstance(sample, (list, tuple)):
                sample = [sample]
            if len(sample) != len(details):
                raise QuantizerError(f"representative_dataset sample {n} has {len(sample)} inputs, "
                                     f"the model {len(details)}")
            row = []
            for d, x in zip(details, sample):
                a = np.ascontiguousarray(np.asarray(x, dtype=d["dtype"]))
                if a.size != int(np.prod(d["shape"])):
                    raise QuantizerError(
                        f"representative_dataset sample {n}, input '{d['name']}': shape "
                        f"{list(a.shape)}, the model wants {list(d['shape'])}")
                row.append(a.tobytes())
            samples.append(row)
        if not samples:
            raise QuantizerError("representative_dataset yielded no samples")
        return samples

    def convert(self) -> bytes:
        """Returns the (quantized) .tflite model as bytes."""
        in_t = _dtype_name(self.inference_input_type, "inference_input_type")
        out_t = _dtype_name(self.inference_output_type, "inference_output_type")
        mode = self._mode()
        if mode is None:
            if in_t != "float" or out_t != "float":
                raise QuantizerError("integer inference types need optimizations=[Optimize.DEFAULT] "
                                     "and a representative_dataset")
            return self._float_model
        samples = self._samples() if self.representative_dataset is not None else []
        # As TFLite: ops without an integer kernel stay float unless the target is
        # TFLITE_BUILTINS_INT8 only.
        allow_float = OpsSet.TFLITE_BUILTINS_INT8 not in set(self.target_spec.supported_ops)
        out, report_json, report_text = _edgelite.quantize(
            self._float_model, mode, samples, bool(self.per_tensor), in_t, out_t, bool(samples),
            allow_float)
        self.report = json.loads(report_json)
        self.report_text = report_text
        return out


__all__ = ["TFLiteConverter", "Optimize", "OpsSet", "TargetSpec", "QuantizerError",
           "float32", "float16", "int8", "uint8", "int16"]
