"""ONNX -> .tflite conversion, shaped like ``tf.lite.TFLiteConverter``::

    import edgelite
    converter = edgelite.Converter.from_onnx("model.onnx",
                                             input_shapes={"input": [1, 3, 224, 224]})
    tflite_model = converter.convert()          # bytes
    open("model.tflite", "wb").write(tflite_model)

Set ``converter.nhwc_io = True`` before ``convert()`` to expose image inputs
and outputs channels-last (NHWC) instead of the ONNX model's NCHW. Errors raise
``edgelite.ConverterError`` (a ``ValueError``); when ops are unsupported, one
error names every such node, its op type and why. See docs/converter.md.
"""

from __future__ import annotations

import os
from typing import Dict, Mapping, Optional, Sequence

from edgelite import _edgelite

if getattr(_edgelite, "HAS_CONVERTER", False):
    ConverterError = _edgelite.ConverterError
else:  # built without libonnx-dev: keep the names importable

    class ConverterError(ValueError):  # type: ignore[no-redef]
        """Raised when an ONNX model cannot be converted."""


class Converter:
    """Converts one ONNX model to TensorFlow Lite flatbuffer bytes."""

    def __init__(self, onnx_path: str, input_shapes: Optional[Mapping[str, Sequence[int]]] = None) -> None:
        self.onnx_path = os.fspath(onnx_path)
        self.input_shapes: Dict[str, list] = {k: [int(d) for d in v] for k, v in (input_shapes or {}).items()}
        self.nhwc_io = False

    @classmethod
    def from_onnx(cls, path: str, input_shapes: Optional[Mapping[str, Sequence[int]]] = None) -> "Converter":
        """A converter for the ONNX model at `path` (opsets 11 to 17)."""
        return cls(path, input_shapes)

    def convert(self) -> bytes:
        """Runs the conversion; returns the .tflite model as bytes."""
        if not getattr(_edgelite, "HAS_CONVERTER", False):
            raise ConverterError("this edgelite was built without the ONNX converter (needs libonnx-dev)")
        return _edgelite.convert_onnx(self.onnx_path, self.input_shapes, bool(self.nhwc_io))
