"""edgelite: run TensorFlow Lite models with edgelite's runtime.

A drop-in for ``tflite_runtime``::

    import edgelite as tflite
    interpreter = tflite.Interpreter(model_path="model.tflite")

or ``from edgelite.interpreter import Interpreter``.
"""

from edgelite._edgelite import __version__
from edgelite.interpreter import (
    Delegate,
    Interpreter,
    OpResolverType,
    SignatureRunner,
    load_delegate,
)

__all__ = [
    "Interpreter",
    "SignatureRunner",
    "OpResolverType",
    "Delegate",
    "load_delegate",
    "__version__",
]
