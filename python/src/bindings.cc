// edgelite._edgelite: the native half of the Python package.
//
// A thin layer over the public C++ API (include/edgelite/*.h). The Python
// class edgelite.interpreter.Interpreter gives it the tflite_runtime API; this
// file owns the objects (Model, resolver, Interpreter), converts tensors to
// and from numpy arrays, and turns every error Status into a Python exception
// carrying the runtime's message:
//   ValueError    invalid arguments, invalid/unloadable models (and every
//                 failure while constructing the interpreter, as TFLite does)
//   RuntimeError  everything else (allocate/invoke failures, call order)
//
// Unlike the runtime core, this file is compiled with exceptions and RTTI
// (pybind11 needs them); no exception ever crosses into the core.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/model.h"
#include "edgelite/op_resolver.h"
#include "edgelite/status.h"
#include "edgelite/tensor.h"
#include "quantizer/quantizer.h"
#include "schema/tflite_generated.h"
#ifdef EDGELITE_HAVE_CONVERTER
#include "converter/converter.h"
#endif

namespace py = pybind11;

namespace edgelite {
namespace python {
namespace {

#ifndef EDGELITE_VERSION_STRING
#define EDGELITE_VERSION_STRING "0.0.0"
#endif

// ------------------------------------------------------------------ errors

[[noreturn]] void ThrowValue(const std::string& msg) { throw py::value_error(msg); }
[[noreturn]] void ThrowRuntime(const std::string& msg) {
  PyErr_SetString(PyExc_RuntimeError, msg.c_str());
  throw py::error_already_set();
}

// After construction: invalid arguments are the caller's ValueError, the rest
// RuntimeError (as TFLite's wrapper does for AllocateTensors/Invoke failures).
void Check(const Status& s) {
  if (s.ok()) return;
  if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound)
    ThrowValue(s.ToString());
  ThrowRuntime(s.ToString());
}

// ------------------------------------------------------------------- types

// TfLiteTypeGetName-style names (TFLite's set_tensor messages use these).
const char* TfLiteName(int type) {
  switch (static_cast<DataType>(type)) {
    case DataType::kFloat32: return "FLOAT32";
    case DataType::kFloat16: return "FLOAT16";
    case DataType::kInt32: return "INT32";
    case DataType::kUInt8: return "UINT8";
    case DataType::kInt64: return "INT64";
    case DataType::kString: return "STRING";
    case DataType::kBool: return "BOOL";
    case DataType::kInt16: return "INT16";
    case DataType::kComplex64: return "COMPLEX64";
    case DataType::kInt8: return "INT8";
    case DataType::kFloat64: return "FLOAT64";
    case DataType::kComplex128: return "COMPLEX128";
    case DataType::kUInt64: return "UINT64";
    case DataType::kResource: return "RESOURCE";
    case DataType::kVariant: return "VARIANT";
    case DataType::kUInt32: return "UINT32";
    case DataType::kUInt16: return "UINT16";
    case DataType::kInt4: return "INT4";
    case DataType::kBFloat16: return "BFLOAT16";
    default: return "NOTYPE";
  }
}

// numpy dtype of a tensor type; false if numpy has no equivalent (sub-byte
// types, bfloat16, float8) or the type has no fixed element size.
bool NumpyDtype(DataType t, py::dtype* out) {
  const char* fmt = nullptr;
  switch (t) {
    case DataType::kFloat32: fmt = "float32"; break;
    case DataType::kFloat16: fmt = "float16"; break;
    case DataType::kFloat64: fmt = "float64"; break;
    case DataType::kInt8: fmt = "int8"; break;
    case DataType::kInt16: fmt = "int16"; break;
    case DataType::kInt32: fmt = "int32"; break;
    case DataType::kInt64: fmt = "int64"; break;
    case DataType::kUInt8: fmt = "uint8"; break;
    case DataType::kUInt16: fmt = "uint16"; break;
    case DataType::kUInt32: fmt = "uint32"; break;
    case DataType::kUInt64: fmt = "uint64"; break;
    case DataType::kBool: fmt = "bool"; break;
    case DataType::kComplex64: fmt = "complex64"; break;
    case DataType::kComplex128: fmt = "complex128"; break;
    default: return false;
  }
  *out = py::dtype(fmt);
  return true;
}

// The numpy type class for 'dtype' in tensor details (numpy.float32, ...).
// Types numpy cannot hold: numpy.object_ for string/resource/variant (as
// TFLite), numpy.int8 for int4 (TFLite unpacks int4 into int8), numpy.uint8
// for uint4, else numpy.void.
py::object NumpyTypeClass(DataType t) {
  py::dtype dt;
  if (NumpyDtype(t, &dt)) return dt.attr("type");
  py::module_ np = py::module_::import("numpy");
  switch (t) {
    case DataType::kString:
    case DataType::kResource:
    case DataType::kVariant: return np.attr("object_");
    case DataType::kInt4:
    case DataType::kInt2: return np.attr("int8");
    case DataType::kUInt4: return np.attr("uint8");
    default: return np.attr("void");
  }
}

// The tensor type a numpy array corresponds to, or -1.
int TypeOfArray(const py::array& a) {
  const py::dtype dt = a.dtype();
  const char kind = dt.kind();
  const auto size = dt.itemsize();
  switch (kind) {
    case 'f':
      if (size == 4) return static_cast<int>(DataType::kFloat32);
      if (size == 8) return static_cast<int>(DataType::kFloat64);
      if (size == 2) return static_cast<int>(DataType::kFloat16);
      return -1;
    case 'i':
      if (size == 1) return static_cast<int>(DataType::kInt8);
      if (size == 2) return static_cast<int>(DataType::kInt16);
      if (size == 4) return static_cast<int>(DataType::kInt32);
      if (size == 8) return static_cast<int>(DataType::kInt64);
      return -1;
    case 'u':
      if (size == 1) return static_cast<int>(DataType::kUInt8);
      if (size == 2) return static_cast<int>(DataType::kUInt16);
      if (size == 4) return static_cast<int>(DataType::kUInt32);
      if (size == 8) return static_cast<int>(DataType::kUInt64);
      return -1;
    case 'b': return static_cast<int>(DataType::kBool);
    case 'c':
      if (size == 8) return static_cast<int>(DataType::kComplex64);
      if (size == 16) return static_cast<int>(DataType::kComplex128);
      return -1;
    case 'S':
    case 'U':
    case 'O': return static_cast<int>(DataType::kString);
    default: return -1;
  }
}

template <typename T>
py::array_t<T> ArrayOf(const T* data, size_t n) {
  py::array_t<T> a(static_cast<py::ssize_t>(n));
  if (n) std::memcpy(a.mutable_data(), data, n * sizeof(T));
  return a;
}

py::array_t<int32_t> ShapeArray(const int32_t* dims, int rank) {
  return ArrayOf<int32_t>(dims, static_cast<size_t>(rank > 0 ? rank : 0));
}

template <typename Vec>
py::array_t<int32_t> IntArrayOfVector(const Vec* v) {
  std::vector<int32_t> out;
  if (v)
    for (auto x : *v) out.push_back(static_cast<int32_t>(x));
  return ArrayOf<int32_t>(out.data(), out.size());
}

py::array_t<int32_t> SparseIndexArray(fb::SparseIndexVector type, const void* v) {
  switch (type) {
    case fb::SparseIndexVector::Int32Vector:
      return IntArrayOfVector(static_cast<const fb::Int32Vector*>(v)->values());
    case fb::SparseIndexVector::Uint16Vector:
      return IntArrayOfVector(static_cast<const fb::Uint16Vector*>(v)->values());
    case fb::SparseIndexVector::Uint8Vector:
      return IntArrayOfVector(static_cast<const fb::Uint8Vector*>(v)->values());
    default: return ArrayOf<int32_t>(nullptr, 0);
  }
}

// TFLite's sparsity_parameters dict ({} for dense tensors).
py::dict SparsityDict(const void* p) {
  py::dict d;
  const auto* sp = static_cast<const fb::SparsityParameters*>(p);
  if (sp == nullptr) return d;
  d["traversal_order"] = IntArrayOfVector(sp->traversal_order());
  d["block_map"] = IntArrayOfVector(sp->block_map());
  py::list dims;
  if (sp->dim_metadata()) {
    for (const fb::DimensionMetadata* m : *sp->dim_metadata()) {
      py::dict dm;
      dm["format"] = static_cast<int>(m->format());
      if (m->format() == fb::DimensionType::DENSE) {
        dm["dense_size"] = m->dense_size();
      } else {
        dm["array_segments"] = m->array_segments()
                                   ? SparseIndexArray(m->array_segments_type(), m->array_segments())
                                   : ArrayOf<int32_t>(nullptr, 0);
        dm["array_indices"] = m->array_indices()
                                  ? SparseIndexArray(m->array_indices_type(), m->array_indices())
                                  : ArrayOf<int32_t>(nullptr, 0);
      }
      dims.append(dm);
    }
  }
  d["dim_metadata"] = dims;
  return d;
}

// ------------------------------------------------------------- signatures

struct SignatureInfo {
  std::string key;
  int subgraph = 0;
  SignatureRunner* runner = nullptr;
  // name -> tensor index within `subgraph`, in the model's order.
  std::vector<std::pair<std::string, int32_t>> inputs, outputs;
};

// Marks a call in progress so that a second thread using the same
// interpreter during invoke() gets an exception instead of a data race.
class BusyScope {
 public:
  explicit BusyScope(std::atomic<bool>* busy) : busy_(busy) {
    bool expected = false;
    if (!busy_->compare_exchange_strong(expected, true))
      ThrowRuntime(
          "the interpreter is in use by another thread (invoke() is running); an Interpreter "
          "must be used by one thread at a time");
  }
  ~BusyScope() { busy_->store(false); }
  BusyScope(const BusyScope&) = delete;
  BusyScope& operator=(const BusyScope&) = delete;

 private:
  std::atomic<bool>* busy_;
};

// ------------------------------------------------------------ interpreter

class NativeInterpreter {
 public:
  // From a file: memory-mapped, zero-copy.
  static std::unique_ptr<NativeInterpreter> FromFile(const std::string& path, int num_threads) {
    std::unique_ptr<NativeInterpreter> self(new NativeInterpreter());
    auto model = Model::FromFile(path.c_str());
    if (!model.ok()) ThrowValue(model.status().ToString());
    self->model_ = std::move(model.value());
    self->Build(num_threads);
    return self;
  }

  // From a buffer object. `bytes` (immutable) are used in place when aligned
  // as the loader needs, the object being kept alive by this interpreter;
  // anything else (unaligned bytes, bytearray, memoryview, ...) is copied
  // once into a buffer the Model owns.
  static std::unique_ptr<NativeInterpreter> FromBuffer(py::object content, int num_threads) {
    std::unique_ptr<NativeInterpreter> self(new NativeInterpreter());
    Result<std::unique_ptr<Model>> model = Status(StatusCode::kInternal, "not loaded");
    if (PyBytes_Check(content.ptr())) {
      const char* data = PyBytes_AS_STRING(content.ptr());
      const size_t size = static_cast<size_t>(PyBytes_GET_SIZE(content.ptr()));
      if (reinterpret_cast<uintptr_t>(data) % 16 == 0) {
        model = Model::FromBuffer(data, size);
        self->zero_copy_ = true;
        self->content_ = content;  // keeps the bytes alive and unchanged
      } else {
        model = Model::FromBufferCopy(data, size);
      }
    } else if (PyObject_CheckBuffer(content.ptr())) {
      py::buffer buf = py::reinterpret_borrow<py::buffer>(content);
      py::buffer_info info = buf.request();
      if (info.ndim > 1 && !PyBuffer_IsContiguous(info.view(), 'C'))
        ThrowValue("model_content must be a contiguous buffer");
      model = Model::FromBufferCopy(info.ptr, static_cast<size_t>(info.size * info.itemsize));
    } else {
      ThrowValue(std::string("model_content must be bytes (or another buffer object), not ") +
                 py::str(py::type::handle_of(content).attr("__name__")).cast<std::string>());
    }
    if (!model.ok()) ThrowValue(model.status().ToString());
    self->model_ = std::move(model.value());
    self->Build(num_threads);
    return self;
  }

  ~NativeInterpreter() {
    // The interpreter refers to the model and resolver: it goes first.
    interp_.reset();
    model_.reset();
  }

  bool zero_copy() const { return zero_copy_; }

  void AllocateTensors() {
    BusyScope busy(&busy_);
    Check(interp_->AllocateTensors());
  }

  void Invoke(int subgraph) {
    BusyScope busy(&busy_);
    SignatureInfo* sig = subgraph == 0 ? nullptr : SignatureForSubgraph(subgraph);
    Status s;
    {
      py::gil_scoped_release release;
      s = sig ? sig->runner->Invoke() : interp_->Invoke();
    }
    Check(s);
  }

  void ResetVariables() {
    BusyScope busy(&busy_);
    Check(interp_->ResetVariables());
  }

  int num_tensors(int subgraph) const {
    CheckSubgraph(subgraph);
    if (subgraph == 0) return static_cast<int>(interp_->num_tensors());
    return static_cast<int>(model_->fb()->subgraphs()->Get(subgraph)->tensors()->size());
  }
  int num_subgraphs() const { return interp_->num_subgraphs(); }

  std::vector<int32_t> input_indices() const {
    std::vector<int32_t> v;
    for (int i = 0; i < interp_->num_inputs(); ++i) v.push_back(interp_->input_tensor_index(i));
    return v;
  }
  std::vector<int32_t> output_indices() const {
    std::vector<int32_t> v;
    for (int i = 0; i < interp_->num_outputs(); ++i) v.push_back(interp_->output_tensor_index(i));
    return v;
  }

  // The details dict of tflite_runtime's _get_tensor_details.
  py::dict TensorDetails(int index, int subgraph) {
    const Tensor* t = Lookup(index, subgraph);
    py::dict d;
    d["name"] = py::str(t->name ? t->name : "");
    d["index"] = index;
    d["shape"] = ShapeArray(t->shape.dims, t->shape.rank);
    if (t->shape_signature != nullptr && t->shape_signature_rank > 0)
      d["shape_signature"] = ShapeArray(t->shape_signature, t->shape_signature_rank);
    else
      d["shape_signature"] = ShapeArray(t->shape.dims, t->shape.rank);
    d["dtype"] = NumpyTypeClass(t->type);
    const Quantization& q = t->quant;
    if (q.count == 1)
      d["quantization"] = py::make_tuple(q.scale[0], q.zero_point ? q.zero_point[0] : 0);
    else
      d["quantization"] = py::make_tuple(0.0f, 0);
    py::dict qp;
    std::vector<float> scales;
    std::vector<int32_t> zps;
    for (int i = 0; i < q.count; ++i) {
      scales.push_back(q.scale[i]);
      if (q.zero_point) zps.push_back(static_cast<int32_t>(q.zero_point[i]));
    }
    qp["scales"] = ArrayOf<float>(scales.data(), scales.size());
    qp["zero_points"] = ArrayOf<int32_t>(zps.data(), zps.size());
    qp["quantized_dimension"] = q.count > 0 ? q.quantized_dimension : 0;
    d["quantization_parameters"] = qp;
    d["sparsity_parameters"] = SparsityDict(t->sparsity);
    return d;
  }

  // String tensors: any array-like of bytes or str (encoded as UTF-8), shaped
  // like the tensor (as tflite_runtime accepts).
  void SetStrings(int index, py::handle value, int subgraph, Tensor* t) {
    if (subgraph != 0)
      ThrowValue("Cannot set tensor: string tensors can be set in the primary subgraph only");
    py::module_ np = py::module_::import("numpy");
    py::array a = np.attr("asarray")(value, py::arg("dtype") = np.attr("object_"));
    if (a.ndim() != t->shape.rank)
      ThrowValue("Cannot set tensor: Dimension mismatch. Got " + std::to_string(a.ndim()) +
                 " but expected " + std::to_string(t->shape.rank) + " for input " +
                 std::to_string(index) + ".");
    for (int j = 0; j < t->shape.rank; ++j)
      if (a.shape(j) != t->shape.dims[j])
        ThrowValue("Cannot set tensor: Dimension mismatch. Got " + std::to_string(a.shape(j)) +
                   " but expected " + std::to_string(t->shape.dims[j]) + " for dimension " +
                   std::to_string(j) + " of input " + std::to_string(index) + ".");
    py::list items = a.attr("reshape")(-1).attr("tolist")();
    std::vector<std::string> strings;
    strings.reserve(items.size());
    for (py::handle item : items) {
      if (py::isinstance<py::bytes>(item)) {
        strings.push_back(item.cast<std::string>());
      } else if (py::isinstance<py::str>(item)) {
        strings.push_back(py::str(item).cast<std::string>());  // UTF-8
      } else {
        ThrowValue("Cannot set tensor: string tensors take bytes or str values, got " +
                   std::string(py::str(py::type::of(item))));
      }
    }
    std::vector<StringRef> refs(strings.size());
    for (size_t i = 0; i < strings.size(); ++i) refs[i] = {strings[i].data(), strings[i].size()};
    Check(interp_->SetStringTensor(index, refs.data(), static_cast<int32_t>(refs.size())));
  }

  void SetTensor(int index, py::handle value, int subgraph) {
    BusyScope busy(&busy_);
    Tensor* t = Lookup(index, subgraph);
    if (t->type == DataType::kString) return SetStrings(index, value, subgraph, t);
    py::array a;
    try {
      a = py::array::ensure(value, py::array::c_style);
    } catch (py::error_already_set&) {
    }
    if (!a) ThrowValue("Failed to convert value into readable tensor.");
    const int incoming = TypeOfArray(a);
    if (incoming != static_cast<int>(t->type)) {
      ThrowValue(std::string("Cannot set tensor: Got value of type ") +
                 (incoming < 0 ? std::string(py::str(a.dtype())) : TfLiteName(incoming)) +
                 " but expected type " + TfLiteName(static_cast<int>(t->type)) + " for input " +
                 std::to_string(index) + ", name: " + (t->name ? t->name : "") + " ");
    }
    if (a.ndim() != t->shape.rank) {
      ThrowValue("Cannot set tensor: Dimension mismatch. Got " + std::to_string(a.ndim()) +
                 " but expected " + std::to_string(t->shape.rank) + " for input " +
                 std::to_string(index) + ".");
    }
    for (int j = 0; j < t->shape.rank; ++j) {
      if (a.shape(j) != t->shape.dims[j]) {
        ThrowValue("Cannot set tensor: Dimension mismatch. Got " + std::to_string(a.shape(j)) +
                   " but expected " + std::to_string(t->shape.dims[j]) + " for dimension " +
                   std::to_string(j) + " of input " + std::to_string(index) + ".");
      }
    }
    if (DataTypeSize(t->type) == 0)
      ThrowValue(std::string("Cannot set tensor: tensors of type ") + TfLiteName(static_cast<int>(t->type)) +
                 " are not supported by edgelite's Python API");
    if (t->data == nullptr && (t->bytes || t->num_elements() > 0))
      ThrowValue("Cannot set tensor: Tensor is unallocated. Try calling allocate_tensors() first");
    if (t->is_constant())
      ThrowValue("Cannot set tensor: tensor " + std::to_string(index) +
                 " is a constant of the model (read-only)");
    const size_t size = static_cast<size_t>(a.nbytes());
    if (size != t->bytes)
      ThrowValue("numpy array had " + std::to_string(size) + " bytes but expected " +
                 std::to_string(t->bytes) + " bytes.");
    if (size) std::memcpy(t->data, a.data(), size);
  }

  // A copy of the tensor's contents.
  py::array GetTensor(int index, int subgraph) {
    BusyScope busy(&busy_);
    Tensor* t = Lookup(index, subgraph);
    if (t->type == DataType::kString) {
      // An object array of bytes, as tflite_runtime returns.
      const int32_t n = NumStrings(*t);
      if (n < 0 || n != t->num_elements())
        ThrowValue(std::string("string tensor '") + t->name +
                   "' has no contents yet (set it, or run invoke() first)");
      py::list items;
      for (int32_t i = 0; i < n; ++i) {
        const StringRef r = GetString(*t, i);
        items.append(py::bytes(r.data, r.size));
      }
      py::module_ np = py::module_::import("numpy");
      py::array a = np.attr("array")(items, py::arg("dtype") = np.attr("object_"));
      return a.attr("reshape")(py::cast(Dims(*t)));
    }
    py::dtype dt = CheckReadable(*t);
    py::array a(dt, Dims(*t));
    if (t->bytes) std::memcpy(a.mutable_data(), t->data, t->bytes);
    return a;
  }

  // A numpy view of the tensor's memory; `base` is kept alive by the view
  // (the Python side counts its references to refuse reallocating while
  // views exist). Constant tensors (model bytes, possibly a read-only
  // mapping) give read-only views.
  py::array TensorView(int index, py::handle base) {
    BusyScope busy(&busy_);
    Tensor* t = Lookup(index, 0);
    py::dtype dt = CheckReadable(*t);
    std::vector<py::ssize_t> dims = Dims(*t);
    std::vector<py::ssize_t> strides(dims.size());
    py::ssize_t stride = dt.itemsize();
    for (size_t i = dims.size(); i-- > 0;) {
      strides[i] = stride;
      stride *= dims[i];
    }
    static uint8_t empty = 0;  // numpy wants a non-null pointer even for 0 elements
    void* data = t->data ? t->data : &empty;
    py::array a(dt, dims, strides, data, base);
    if (t->is_constant() || t->data == nullptr) a.attr("setflags")(py::arg("write") = false);
    return a;
  }

  // Resizes the input whose tensor index (within `subgraph`) is `index`.
  void ResizeInput(int index, const std::vector<int64_t>& dims, bool strict, int subgraph) {
    BusyScope busy(&busy_);
    Lookup(index, subgraph);
    if (dims.size() > static_cast<size_t>(kMaxRank))
      ThrowValue("cannot resize tensor " + std::to_string(index) + " to rank " +
                 std::to_string(dims.size()) + ": edgelite supports ranks up to " +
                 std::to_string(kMaxRank));
    Shape shape;
    shape.rank = static_cast<int32_t>(dims.size());
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] < 0 || dims[i] > INT32_MAX)
        ThrowValue("cannot resize tensor " + std::to_string(index) + ": dimension " +
                   std::to_string(i) + " is " + std::to_string(dims[i]));
      shape.dims[i] = static_cast<int32_t>(dims[i]);
    }
    if (subgraph == 0) {
      for (int i = 0; i < interp_->num_inputs(); ++i) {
        if (interp_->input_tensor_index(i) == index) {
          Check(interp_->ResizeInputTensor(i, shape, strict));
          return;
        }
      }
    }
    // An input of a signature (possibly of another subgraph).
    for (SignatureInfo& s : signatures_) {
      if (s.subgraph != subgraph) continue;
      for (const auto& in : s.inputs) {
        if (in.second == index) {
          Check(s.runner->ResizeInputTensor(in.first.c_str(), shape, strict));
          return;
        }
      }
    }
    ThrowValue("tensor " + std::to_string(index) + " is not an input of subgraph " +
               std::to_string(subgraph) + ": only inputs can be resized");
  }

  // {key: {'inputs': {name: index}, 'outputs': {name: index}, 'subgraph_index': n}}
  py::dict SignatureDefs() const {
    py::dict out;
    for (const SignatureInfo& s : signatures_) {
      py::dict def, ins, outs;
      // TFLite keeps signature tensors in std::maps: names sorted.
      auto sorted_in = s.inputs, sorted_out = s.outputs;
      std::sort(sorted_in.begin(), sorted_in.end());
      std::sort(sorted_out.begin(), sorted_out.end());
      for (const auto& p : sorted_in) ins[py::str(p.first)] = p.second;
      for (const auto& p : sorted_out) outs[py::str(p.first)] = p.second;
      def["inputs"] = ins;
      def["outputs"] = outs;
      def["subgraph_index"] = s.subgraph;
      out[py::str(s.key)] = def;
    }
    return out;
  }

  size_t arena_bytes() const { return interp_->arena_bytes(); }

 private:
  NativeInterpreter() = default;

  void Build(int num_threads) {
    InterpreterOptions options;
    options.num_threads = num_threads < 1 ? 1 : num_threads;
    auto interp = Interpreter::Create(*model_, resolver_, options);
    if (!interp.ok()) ThrowValue(interp.status().ToString());
    interp_ = std::move(interp.value());
    // Signature tensor indices come from the model (validated by the loader).
    const auto* defs = model_->fb()->signature_defs();
    if (defs == nullptr) return;
    for (uint32_t i = 0; i < defs->size(); ++i) {
      const fb::SignatureDef* def = defs->Get(i);
      SignatureInfo s;
      s.key = def->signature_key() ? def->signature_key()->str() : "";
      s.subgraph = static_cast<int>(def->subgraph_index());
      s.runner = interp_->GetSignatureRunner(s.key.c_str());
      if (s.runner == nullptr) continue;
      if (def->inputs())
        for (const fb::TensorMap* m : *def->inputs())
          s.inputs.emplace_back(m->name() ? m->name()->str() : "",
                                static_cast<int32_t>(m->tensor_index()));
      if (def->outputs())
        for (const fb::TensorMap* m : *def->outputs())
          s.outputs.emplace_back(m->name() ? m->name()->str() : "",
                                 static_cast<int32_t>(m->tensor_index()));
      signatures_.push_back(std::move(s));
    }
  }

  void CheckSubgraph(int subgraph) const {
    if (subgraph < 0 || subgraph >= interp_->num_subgraphs())
      ThrowValue("Invalid subgraph index " + std::to_string(subgraph) + " exceeds max subgraph index " +
                 std::to_string(interp_->num_subgraphs() - 1));
  }

  SignatureInfo* SignatureForSubgraph(int subgraph) {
    CheckSubgraph(subgraph);
    for (SignatureInfo& s : signatures_)
      if (s.subgraph == subgraph) return &s;
    ThrowValue("subgraph " + std::to_string(subgraph) +
               " is not the subgraph of a signature: edgelite's Python API reaches other "
               "subgraphs through their signatures only");
  }

  // The tensor `index` of `subgraph`. Subgraph 0: any tensor. Others: the
  // inputs and outputs of their signatures (the public API's reach).
  Tensor* Lookup(int index, int subgraph) {
    CheckSubgraph(subgraph);
    if (subgraph == 0) {
      Tensor* t = interp_->tensor(index);
      if (t == nullptr)
        ThrowValue("Invalid tensor index " + std::to_string(index) + " exceeds max tensor index " +
                   std::to_string(static_cast<long long>(interp_->num_tensors()) - 1));
      return t;
    }
    for (SignatureInfo& s : signatures_) {
      if (s.subgraph != subgraph) continue;
      for (const auto& in : s.inputs)
        if (in.second == index) return s.runner->input(in.first.c_str());
      for (const auto& out : s.outputs)
        if (out.second == index) return s.runner->output(out.first.c_str());
    }
    ThrowValue("tensor " + std::to_string(index) + " of subgraph " + std::to_string(subgraph) +
               " is not reachable: edgelite's Python API reaches subgraphs other than 0 only "
               "through the inputs and outputs of their signatures");
  }

  static std::vector<py::ssize_t> Dims(const Tensor& t) {
    std::vector<py::ssize_t> dims;
    for (int i = 0; i < t.shape.rank; ++i) dims.push_back(t.shape.dims[i]);
    return dims;
  }

  static py::dtype CheckReadable(const Tensor& t) {
    py::dtype dt;
    if (!NumpyDtype(t.type, &dt))
      ThrowValue(std::string("tensors of type ") + TfLiteName(static_cast<int>(t.type)) +
                 " cannot be read as numpy arrays by edgelite (tensor '" + t.name + "')");
    if (t.data == nullptr && (t.bytes || t.num_elements() > 0))
      ThrowValue("Tensor data is null. Run allocate_tensors() first");
    if (static_cast<size_t>(t.num_elements()) * static_cast<size_t>(dt.itemsize()) != t.bytes)
      ThrowValue(std::string("tensor '") + t.name + "' holds " + std::to_string(t.bytes) +
                 " bytes, not the " + std::to_string(t.num_elements() * dt.itemsize()) +
                 " its shape needs. Run allocate_tensors() first");
    return dt;
  }

  std::unique_ptr<Model> model_;
  BuiltinOpResolver resolver_;
  std::unique_ptr<Interpreter> interp_;
  std::vector<SignatureInfo> signatures_;
  py::object content_;  // the caller's bytes when used in place
  bool zero_copy_ = false;
  std::atomic<bool> busy_{false};
};

}  // namespace
}  // namespace python
}  // namespace edgelite

PYBIND11_MODULE(_edgelite, m) {
  using edgelite::python::NativeInterpreter;
  m.doc() = "Native part of the edgelite Python package (use edgelite.Interpreter).";
  m.attr("__version__") = EDGELITE_VERSION_STRING;

#ifdef EDGELITE_HAVE_CONVERTER
  // The ONNX converter (edgelite.Converter wraps this). Conversion errors
  // become edgelite.ConverterError (a ValueError).
  static py::exception<edgelite::converter::ConvertError> converter_error(m, "ConverterError",
                                                                          PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const edgelite::converter::ConvertError& e) {
      converter_error(e.what());
    }
  });
  m.def(
      "convert_onnx",
      [](const std::string& path, const std::map<std::string, std::vector<int64_t>>& input_shapes,
         bool nhwc_io) {
        edgelite::converter::ConvertOptions o;
        o.input_shapes = input_shapes;
        o.nhwc_io = nhwc_io;
        std::vector<uint8_t> out;
        {
          py::gil_scoped_release release;  // pure C++ work
          out = edgelite::converter::ConvertOnnxFile(path, o).tflite;
        }
        return py::bytes(reinterpret_cast<const char*>(out.data()), out.size());
      },
      py::arg("path"), py::arg("input_shapes") = std::map<std::string, std::vector<int64_t>>{},
      py::arg("nhwc_io") = false,
      "Converts the ONNX model at `path` to .tflite bytes (see docs/converter.md).");
  m.attr("HAS_CONVERTER") = true;
#else
  m.attr("HAS_CONVERTER") = false;
#endif

  // The post-training quantizer (edgelite.TFLiteConverter wraps this). Its
  // errors become edgelite.QuantizerError (a ValueError).
  static py::exception<edgelite::quantizer::QuantizeError> quantizer_error(m, "QuantizerError",
                                                                           PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const edgelite::quantizer::QuantizeError& e) {
      quantizer_error(e.what());
    }
  });
  m.def(
      "quantize",
      [](const py::bytes& model, const std::string& mode,
         const std::vector<std::vector<py::bytes>>& samples, bool per_tensor,
         const std::string& input_type, const std::string& output_type, bool report,
         bool allow_float) {
        namespace q = edgelite::quantizer;
        q::QuantizeOptions o;
        o.mode = q::ParseMode(mode);
        o.per_tensor = per_tensor;
        o.input_type = q::ParseIoType(input_type);
        o.output_type = q::ParseIoType(output_type);
        o.report = report;
        o.allow_float_fallback = allow_float;
        for (const auto& sample : samples) {
          q::Sample s;
          for (const auto& in : sample) {
            const std::string b = in;
            s.inputs.emplace_back(b.begin(), b.end());
          }
          o.calibration.push_back(std::move(s));
        }
        const std::string m_bytes = model;
        const std::vector<uint8_t> in(m_bytes.begin(), m_bytes.end());
        q::QuantizeResult r;
        {
          py::gil_scoped_release release;  // pure C++ work
          r = q::QuantizeModel(in, o);
        }
        return py::make_tuple(py::bytes(reinterpret_cast<const char*>(r.tflite.data()), r.tflite.size()),
                              r.report.ToJson(), r.report.ToText());
      },
      py::arg("model"), py::arg("mode"), py::arg("samples"), py::arg("per_tensor") = false,
      py::arg("input_type") = "float", py::arg("output_type") = "float", py::arg("report") = false,
      py::arg("allow_float") = false,
      "Quantizes .tflite bytes (see docs/quantizer.md); returns (bytes, report JSON, report text).");

  py::class_<NativeInterpreter>(m, "NativeInterpreter")
      .def_static("from_file", &NativeInterpreter::FromFile, py::arg("path"),
                  py::arg("num_threads") = 1)
      .def_static("from_buffer", &NativeInterpreter::FromBuffer, py::arg("content"),
                  py::arg("num_threads") = 1)
      .def_property_readonly("zero_copy", &NativeInterpreter::zero_copy)
      .def("allocate_tensors", &NativeInterpreter::AllocateTensors)
      .def("invoke", &NativeInterpreter::Invoke, py::arg("subgraph_index") = 0)
      .def("reset_variables", &NativeInterpreter::ResetVariables)
      .def("num_tensors", &NativeInterpreter::num_tensors, py::arg("subgraph_index") = 0)
      .def("num_subgraphs", &NativeInterpreter::num_subgraphs)
      .def("input_indices", &NativeInterpreter::input_indices)
      .def("output_indices", &NativeInterpreter::output_indices)
      .def("tensor_details", &NativeInterpreter::TensorDetails, py::arg("index"),
           py::arg("subgraph_index") = 0)
      .def("set_tensor", &NativeInterpreter::SetTensor, py::arg("index"), py::arg("value"),
           py::arg("subgraph_index") = 0)
      .def("get_tensor", &NativeInterpreter::GetTensor, py::arg("index"),
           py::arg("subgraph_index") = 0)
      .def("tensor_view", &NativeInterpreter::TensorView, py::arg("index"), py::arg("base"))
      .def("resize_input", &NativeInterpreter::ResizeInput, py::arg("index"), py::arg("dims"),
           py::arg("strict") = false, py::arg("subgraph_index") = 0)
      .def("signature_defs", &NativeInterpreter::SignatureDefs)
      .def_property_readonly("arena_bytes", &NativeInterpreter::arena_bytes);
}
