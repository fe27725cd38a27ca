"""edgelite: run TensorFlow Lite models with edgelite's runtime.

A drop-in for ``tflite_runtime``::

    import edgelite as tflite
    interpreter = tflite.Interpreter(model_path="model.tflite")

and converts ONNX models to .tflite without TensorFlow::

    tflite_bytes = edgelite.Converter.from_onnx("model.onnx").convert()

quantizes models after training with an API shaped like ``tf.lite.TFLiteConverter``::

    converter = edgelite.TFLiteConverter.from_tflite("model_float.tflite")
    converter.optimizations = [edgelite.Optimize.DEFAULT]
    converter.representative_dataset = representative_dataset   # full int8
    tflite_bytes = converter.convert()

or ``from edgelite.interpreter import Interpreter``.
"""

from edgelite._edgelite import __version__
from edgelite.converter import Converter, ConverterError
from edgelite.quantizer import (
    OpsSet,
    Optimize,
    QuantizerError,
    TargetSpec,
    TFLiteConverter,
    float16,
    float32,
    int8,
    int16,
    uint8,
)
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
    "TFLiteConverter",
    "Optimize",
    "OpsSet",
    "TargetSpec",
    "QuantizerError",
    "float32",
    "float16",
    "int8",
    "uint8",
    "int16",
    "SignatureRunner",
    "OpResolverType",
    "Delegate",
    "load_delegate",
    "__version__",
]
