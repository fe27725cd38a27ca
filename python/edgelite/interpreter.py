"""The edgelite Interpreter: a drop-in for ``tflite_runtime.interpreter``.

Code written for TensorFlow Lite's Python API runs unchanged but for the
import::

    from edgelite.interpreter import Interpreter   # was: from tflite_runtime.interpreter import Interpreter

    interpreter = Interpreter(model_path="model.tflite")
    interpreter.allocate_tensors()
    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()
    interpreter.set_tensor(input_details[0]['index'], input_data)
    interpreter.invoke()
    output_data = interpreter.get_tensor(output_details[0]['index'])

Methods, argument names, return types and dictionary keys are those of
``tflite_runtime.interpreter.Interpreter``. Errors raise ``ValueError``
(invalid arguments or models) or ``RuntimeError`` (failures while allocating
or running) carrying the runtime's message, which names the subgraph,
operator and tensor at fault.
"""

from __future__ import annotations

import enum
import sys
import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import numpy as np

from edgelite import _edgelite

__all__ = [
    "Interpreter",
    "SignatureRunner",
    "OpResolverType",
    "Delegate",
    "load_delegate",
]

TensorDetails = Dict[str, Any]


class OpResolverType(enum.Enum):
    """Op resolver choices, as in TFLite. edgelite has one set of kernels
    (its reference kernels), so every value selects the same resolver."""

    AUTO = 0
    BUILTIN = 1
    BUILTIN_REF = 2
    BUILTIN_WITHOUT_DEFAULT_DELEGATES = 3


class Delegate:
    """Placeholder for TFLite's delegate wrapper: edgelite has no delegates.

    Constructing one raises ``ValueError``, as TFLite does when a delegate
    library fails to load, so code that falls back to the CPU on
    ``ValueError`` keeps working.
    """

    def __init__(self, library: str, options: Optional[Dict[str, Any]] = None) -> None:
        raise ValueError(
            "Failed to load delegate from {}\nedgelite does not support delegates "
            "(external delegate libraries such as the Edge TPU's cannot be loaded); "
            "run the model on the CPU by creating the Interpreter without "
            "experimental_delegates".format(library))


def load_delegate(library: str, options: Optional[Dict[str, Any]] = None) -> Delegate:
    """Always raises ``ValueError``: edgelite does not support delegates.

    TFLite raises ``ValueError`` when a delegate fails to load; tutorials catch
    it to fall back to the CPU, which is what edgelite always runs on.
    """
    return Delegate(library, options)


class _ViewAnchor:
    """The numpy base object of every view returned by ``tensor()``.

    Each live view (and anything derived from it) holds a reference, so the
    anchor's reference count tells whether views into the arena exist.
    It also keeps the native interpreter (and its memory) alive.
    """

    __slots__ = ("native", "__weakref__")

    def __init__(self, native: Any) -> None:
        self.native = native


class Interpreter:
    """Interpreter interface for running TensorFlow Lite models with edgelite.

    Call ``allocate_tensors()`` before any inference (and again after
    ``resize_tensor_input()``).
    """

    def __init__(
        self,
        model_path: Optional[str] = None,
        model_content: Optional[bytes] = None,
        experimental_delegates: Optional[Sequence[Any]] = None,
        num_threads: Optional[int] = None,
        experimental_op_resolver_type: OpResolverType = OpResolverType.AUTO,
        experimental_preserve_all_tensors: bool = False,
        experimental_disable_delegate_clustering: bool = False,
        experimental_default_delegate_latest_features: bool = False,
    ) -> None:
        """Loads a model and builds an interpreter for it.

        Args:
          model_path: Path to a .tflite file (memory-mapped: weights are not
            copied).
          model_content: The model's bytes. A ``bytes`` object is used in place
            (a reference is kept; weights are not copied); other buffer
            objects (``bytearray``, ``memoryview``) are copied once.
          experimental_delegates: Must be empty: edgelite has no delegates.
          num_threads: Number of threads (>= 1) passed to the runtime: the
            convolution, fully connected and depthwise kernels (float and
            8-bit) and the larger elementwise, softmax and pooling ops split
            their work over them; 1 (the default) runs everything on the
            calling thread.
          experimental_op_resolver_type: An ``OpResolverType``; all values use
            edgelite's builtin kernels.
          experimental_preserve_all_tensors: Accepted for compatibility;
            edgelite always reuses arena memory between intermediate tensors,
            so a warning is issued when True.
          experimental_disable_delegate_clustering: Ignored (no delegates).
          experimental_default_delegate_latest_features: Ignored (no delegates).

        Raises:
          ValueError: The model could not be loaded (unreadable or invalid
            file, unsupported ops) or an argument is invalid.
        """
        if not isinstance(experimental_op_resolver_type, OpResolverType):
            raise ValueError("Unrecognized passed in op resolver type: {}".format(
                experimental_op_resolver_type))
        if num_threads is not None:
            if not isinstance(num_threads, int) or isinstance(num_threads, bool):
                raise ValueError("type of num_threads should be int")
            if num_threads < 1:
                raise ValueError("num_threads should >= 1")
        if experimental_delegates:
            raise ValueError(
                "edgelite does not support delegates: pass experimental_delegates=None")
        if experimental_preserve_all_tensors:
            warnings.warn(
                "edgelite does not preserve intermediate tensors: "
                "experimental_preserve_all_tensors is ignored and get_tensor() on an "
                "intermediate tensor returns whatever its arena memory holds",
                RuntimeWarning, stacklevel=2)

        threads = int(num_threads or 1)
        self._model_content = None
        if model_path and not model_content:
            self._native = _edgelite.NativeInterpreter.from_file(str(model_path), threads)
        elif model_content and not model_path:
            # The native side keeps a reference to bytes it uses in place.
            self._model_content = model_content
            self._native = _edgelite.NativeInterpreter.from_buffer(model_content, threads)
        elif not model_content and not model_path:
            raise ValueError("`model_path` or `model_content` must be specified.")
        else:
            raise ValueError("Can't both provide `model_path` and `model_content`")
        self._anchor = _ViewAnchor(self._native)
        self._signature_defs = self.get_signature_list()

    # ------------------------------------------------------------- helpers

    def _safe_to_run(self) -> bool:
        """True if no numpy view from ``tensor()`` is alive."""
        # References: self._anchor and getrefcount's argument.
        return sys.getrefcount(self._anchor) == 2

    def _ensure_safe(self) -> None:
        """Raises RuntimeError if numpy views into the arena are alive.

        Called before anything that may move or free tensor memory
        (``allocate_tensors``, ``resize_tensor_input``, ``invoke``)."""
        if not self._safe_to_run():
            raise RuntimeError(
                "There is at least 1 reference to internal data\n"
                "      in the interpreter in the form of a numpy array or slice. Be sure to\n"
                "      only hold the function returned from tensor() if you are using raw\n"
                "      data access.")

    def _get_tensor_details(self, tensor_index: int, subgraph_index: int) -> TensorDetails:
        """Details of one tensor (see ``get_input_details``)."""
        return self._native.tensor_details(int(tensor_index), int(subgraph_index))

    def _get_full_signature_list(self) -> Dict[str, Dict[str, Dict[str, int]]]:
        """Signatures with tensor indices: ``{key: {'inputs': {name: index},
        'outputs': {name: index}}}``."""
        defs = self._native.signature_defs()
        return {k: {"inputs": v["inputs"], "outputs": v["outputs"]} for k, v in defs.items()}

    # ----------------------------------------------------------------- API

    def allocate_tensors(self) -> None:
        """Plans and allocates tensor memory and prepares every op.

        Raises:
          RuntimeError: On failure (the message names the op and tensor), or
            when numpy views from ``tensor()`` are alive.
        """
        self._ensure_safe()
        self._native.allocate_tensors()

    def invoke(self) -> None:
        """Runs the model. Releases the GIL while it runs.

        Raises:
          RuntimeError: If ``allocate_tensors()`` was not called (or must be
            called again after a resize), if an op fails, or when numpy views
            from ``tensor()`` are alive.
        """
        self._ensure_safe()
        self._native.invoke(0)

    def reset_all_variables(self) -> None:
        """Resets the model's variable tensors to their initial values."""
        self._native.reset_variables()

    def num_subgraphs(self) -> int:
        """Number of subgraphs in the model."""
        return self._native.num_subgraphs()

    def get_tensor_details(self, subgraph_index: int = 0) -> List[TensorDetails]:
        """Details of every tensor of a subgraph (see ``get_input_details``).

        For subgraphs other than 0, edgelite lists the inputs and outputs of
        their signatures only.
        """
        n = self.num_subgraphs()
        if subgraph_index < 0 or subgraph_index >= n:
            raise ValueError(
                f"subgraph_index is out of range: {subgraph_index} for the model,"
                f" which has {n} subgraphs.")
        details = []
        for idx in range(self._native.num_tensors(subgraph_index)):
            try:
                details.append(self._get_tensor_details(idx, subgraph_index))
            except ValueError:
                pass
        return details

    def get_input_details(self) -> List[TensorDetails]:
        """Details of the model's inputs, in order.

        Each is a dict with:

        + ``name``: the tensor name.
        + ``index``: the tensor index in the interpreter (for ``set_tensor``).
        + ``shape``: the shape (``numpy.int32`` array).
        + ``shape_signature``: the shape with ``-1`` for dimensions unknown
          when the model was converted.
        + ``dtype``: the numpy type (``numpy.float32``, ``numpy.uint8``, ...).
        + ``quantization``: ``(scale, zero_point)`` for per-tensor quantized
          tensors, ``(0.0, 0)`` otherwise (deprecated in TFLite).
        + ``quantization_parameters``: ``{'scales': float32 array,
          'zero_points': int32 array, 'quantized_dimension': int}``.
        + ``sparsity_parameters``: ``{}`` for dense tensors.
        """
        return [self._get_tensor_details(i, 0) for i in self._native.input_indices()]

    def get_output_details(self) -> List[TensorDetails]:
        """Details of the model's outputs, in order (keys as in
        ``get_input_details``)."""
        return [self._get_tensor_details(i, 0) for i in self._native.output_indices()]

    def set_tensor(self, tensor_index: int, value: Any) -> None:
        """Copies ``value`` into a tensor.

        Args:
          tensor_index: The tensor index, from ``get_input_details()[k]['index']``.
          value: A numpy array (or anything ``numpy.asarray`` accepts) of the
            tensor's exact dtype and shape.

        Raises:
          ValueError: Wrong dtype or shape, unallocated tensor, bad index.
        """
        self._native.set_tensor(int(tensor_index), value, 0)

    def get_tensor(self, tensor_index: int, subgraph_index: int = 0) -> np.ndarray:
        """Returns a copy of a tensor's value.

        Args:
          tensor_index: The tensor index, from ``get_output_details()[k]['index']``.
          subgraph_index: The subgraph (0: the primary one). For other
            subgraphs, the inputs and outputs of their signatures.
        """
        return self._native.get_tensor(int(tensor_index), int(subgraph_index))

    def tensor(self, tensor_index: int) -> Callable[[], np.ndarray]:
        """Returns a function that returns a numpy view of a tensor's memory.

        The view reads and writes the interpreter's arena without copying.
        Do not hold a view across ``allocate_tensors()``, ``invoke()`` or
        ``resize_tensor_input()``: those raise ``RuntimeError`` while any view
        is alive. Views of constant tensors are read-only.
        """
        index = int(tensor_index)
        return lambda: self._native.tensor_view(index, self._anchor)

    def resize_tensor_input(self, input_index: int, tensor_size: Union[Sequence[int], np.ndarray],
                            strict: bool = False) -> None:
        """Resizes an input tensor. Call ``allocate_tensors()`` afterwards.

        Args:
          input_index: The tensor index of the input (``'index'`` in
            ``get_input_details``).
          tensor_size: The new shape.
          strict: If True, only dimensions that are ``-1`` in the input's
            ``shape_signature`` may change.

        Raises:
          ValueError: Not an input, invalid shape, or a strict resize of a
            fixed dimension.
        """
        self._ensure_safe()
        dims = np.array(tensor_size, dtype=np.int32)
        if dims.ndim != 1:
            raise ValueError("ResizeInputTensor: Expected a 1D array of int32 as tensor_size, "
                             "got shape {}".format(dims.shape))
        self._native.resize_input(int(input_index), [int(d) for d in dims], bool(strict), 0)

    def get_signature_list(self) -> Dict[str, Dict[str, List[str]]]:
        """The model's signatures: ``{key: {'inputs': [names], 'outputs': [names]}}``
        (names sorted, as in TFLite)."""
        return {k: {"inputs": list(v["inputs"].keys()), "outputs": list(v["outputs"].keys())}
                for k, v in self._get_full_signature_list().items()}

    def get_signature_runner(self, signature_key: Optional[str] = None) -> "SignatureRunner":
        """Returns a callable that runs one signature with keyword inputs.

        Args:
          signature_key: The signature's key; may be None only when the model
            has exactly one signature.

        Raises:
          ValueError: Unknown key, or None with a number of signatures other
            than one.
        """
        if signature_key is None:
            if len(self._signature_defs) != 1:
                raise ValueError(
                    "SignatureDef signature_key is None and model has {0} Signatures. "
                    "None is only allowed when the model has 1 SignatureDef".format(
                        len(self._signature_defs)))
            signature_key = next(iter(self._signature_defs))
        return SignatureRunner(interpreter=self, signature_key=signature_key)

    @property
    def arena_bytes(self) -> int:
        """Bytes of the activation arena after ``allocate_tensors()`` (edgelite only)."""
        return self._native.arena_bytes


class SignatureRunner:
    """Runs one signature of a model by its input and output names.

    Obtained from ``Interpreter.get_signature_runner``::

        runner = interpreter.get_signature_runner("serving_default")
        result = runner(x=np.array([1.0], dtype=np.float32))
        print(result["output_0"])
    """

    def __init__(self, interpreter: Optional[Interpreter] = None,
                 signature_key: Optional[str] = None) -> None:
        if not interpreter:
            raise ValueError("None interpreter provided.")
        if not signature_key:
            raise ValueError("None signature_key provided.")
        self._interpreter = interpreter
        self._signature_key = signature_key
        defs = interpreter._native.signature_defs()
        if signature_key not in defs:
            raise ValueError("Invalid signature_key provided.")
        self._inputs: Dict[str, int] = dict(defs[signature_key]["inputs"])
        self._outputs: Dict[str, int] = dict(defs[signature_key]["outputs"])
        self._subgraph_index: int = int(defs[signature_key]["subgraph_index"])

    def __call__(self, **kwargs: Any) -> Dict[str, np.ndarray]:
        """Runs the signature.

        Args:
          **kwargs: One numpy array per signature input, by name. Inputs are
            resized to the arrays' shapes.

        Returns:
          ``{output name: numpy array}`` (copies).

        Raises:
          ValueError: Missing, extra or unknown inputs, wrong dtypes.
          RuntimeError: Allocation or execution failure.
        """
        if len(kwargs) != len(self._inputs):
            raise ValueError(
                "Invalid number of inputs provided for running a SignatureDef, "
                "expected %s vs provided %s" % (len(self._inputs), len(kwargs)))
        native = self._interpreter._native
        self._interpreter._ensure_safe()
        values = {}
        for name, value in kwargs.items():
            if name not in self._inputs:
                raise ValueError("Invalid Input name (%s) for SignatureDef" % name)
            value = np.asarray(value)
            values[name] = value
            native.resize_input(self._inputs[name], [int(d) for d in value.shape], False,
                                self._subgraph_index)
        native.allocate_tensors()
        for name, value in values.items():
            native.set_tensor(self._inputs[name], value, self._subgraph_index)
        native.invoke(self._subgraph_index)
        return {name: native.get_tensor(index, self._subgraph_index)
                for name, index in self._outputs.items()}

    def get_input_details(self) -> Dict[str, TensorDetails]:
        """``{input name: tensor details}`` (keys as in
        ``Interpreter.get_input_details``; ``index`` is within the signature's
        subgraph)."""
        return {name: self._interpreter._get_tensor_details(index, self._subgraph_index)
                for name, index in self._inputs.items()}

    def get_output_details(self) -> Dict[str, TensorDetails]:
        """``{output name: tensor details}``."""
        return {name: self._interpreter._get_tensor_details(index, self._subgraph_index)
                for name, index in self._outputs.items()}
