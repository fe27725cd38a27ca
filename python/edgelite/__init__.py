"""edgelite: run TensorFlow Lite models with edgelite's runtime.

A drop-in for ``tflite_runtime``::

    import edgelite as tflite
    interpreter = tflite.Interpreter(model_path="model.tflite")

and converts ONNX models to .tflite without TensorFlow::

    tflite_bytes = edgelite.Converter.from_onnx("model.onnx").convert()

or ``from edgelite.interpreter import Interpreter``.
"""

from edgelite._edgelite import __version__
from edgelite.converter import Converter, ConverterError
from edgelite.interpreter import (
    Delegate,
    Interpreter,
    OpResolverType,
    SignatureRunner,
    load_delegate,
)

__all__ = [
    "Interpreter",
    "Converter",
    "ConverterError",
    "SignatureRunner",
    "OpResolverType",
    "Delegate",
    "load_delegate",
    "__version__",
]
