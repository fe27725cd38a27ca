// The C API (include/edgelite/c/c_api.h) on the public C++ API.
//
// Every entry point checks its pointers and arguments first and turns each
// failure into an edgelite_status plus a message kept per thread and, for
// interpreter and tensor calls, on the interpreter. No C++ type crosses the
// boundary; the runtime's Status messages are passed through unchanged.
#include "edgelite/c/c_api.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "edgelite/interpreter.h"
#include "edgelite/model.h"
#include "edgelite/op_resolver.h"
#include "edgelite/status.h"

struct edgelite_model {
  std::unique_ptr<edgelite::Model> model;
};

struct edgelite_interpreter_options {
  edgelite::InterpreterOptions options;
};

// A handle on input or output `index` of an interpreter. The handles live in
// the interpreter (one per input and output), so the pointers the caller
// holds stay valid for the interpreter's life.
struct edgelite_tensor {
  edgelite_interpreter* owner = nullptr;
  bool is_input = true;
  int32_t index = 0;
};

struct edgelite_interpreter {
  edgelite::BuiltinOpResolver resolver;
  std::unique_ptr<edgelite::Interpreter> interp;
  std::unique_ptr<edgelite_tensor[]> inputs, outputs;
  std::string error;
};

namespace {

using edgelite::DataType;
using edgelite::Status;
using edgelite::StatusCode;

thread_local std::string g_last_error;

edgelite_status ToC(StatusCode code) { return static_cast<edgelite_status>(code); }

// Records `s` (an error) for this thread and, if given, on `owner`.
edgelite_status Fail(const edgelite_interpreter* owner, const Status& s) {
  g_last_error = s.ToString();
  if (owner != nullptr) const_cast<edgelite_interpreter*>(owner)->error = g_last_error;
  return ToC(s.code());
}

edgelite_status Fail(const edgelite_interpreter* owner, StatusCode code, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
edgelite_status Fail(const edgelite_interpreter* owner, StatusCode code, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = Status::ErrorV(code, fmt, args);
  va_end(args);
  return Fail(owner, s);
}

edgelite_status Check(const edgelite_interpreter* owner, const Status& s) {
  return s.ok() ? EDGELITE_OK : Fail(owner, s);
}

const edgelite::Tensor* Resolve(const edgelite_tensor* t) {
  if (t == nullptr || t->owner == nullptr || !t->owner->interp) return nullptr;
  return t->is_input ? t->owner->interp->input(t->index) : t->owner->interp->output(t->index);
}

}  // namespace

extern "C" {

const char* edgelite_status_name(edgelite_status status) {
  const int v = static_cast<int>(status);
  if (v < 0 || v > static_cast<int>(StatusCode::kRuntimeError)) return "unknown status";
  return edgelite::StatusCodeName(static_cast<StatusCode>(v));
}

const char* edgelite_last_error_message(void) { return g_last_error.c_str(); }

const char* edgelite_version(void) { return "0.1.0"; }

// ---- model

static edgelite_status FinishModel(edgelite::Result<std::unique_ptr<edgelite::Model>> r,
                                   edgelite_model** out) {
  if (!r.ok()) return Fail(nullptr, r.status());
  edgelite_model* m = new (std::nothrow) edgelite_model;
  if (m == nullptr) return Fail(nullptr, StatusCode::kResourceExhausted, "out of memory");
  m->model = std::move(r).value();
  *out = m;
  return EDGELITE_OK;
}

edgelite_status edgelite_model_create_from_file(const char* path, edgelite_model** out_model) {
  if (out_model == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "model_create_from_file: out_model is NULL");
  *out_model = nullptr;
  if (path == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "model_create_from_file: path is NULL");
  return FinishModel(edgelite::Model::FromFile(path), out_model);
}

edgelite_status edgelite_model_create_from_buffer(const void* data, size_t size,
                                                  edgelite_model** out_model) {
  if (out_model == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument,
                "model_create_from_buffer: out_model is NULL");
  *out_model = nullptr;
  if (data == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "model_create_from_buffer: data is NULL");
  return FinishModel(edgelite::Model::FromBufferCopy(data, size), out_model);
}

void edgelite_model_delete(edgelite_model* model) { delete model; }

// ---- options

edgelite_interpreter_options* edgelite_interpreter_options_create(void) {
  return new (std::nothrow) edgelite_interpreter_options;
}

void edgelite_interpreter_options_delete(edgelite_interpreter_options* options) {
  delete options;
}

edgelite_status edgelite_interpreter_options_set_num_threads(edgelite_interpreter_options* options,
                                                             int32_t num_threads) {
  if (options == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "options_set_num_threads: options is NULL");
  if (num_threads < 1)
    return Fail(nullptr, StatusCode::kInvalidArgument, "num_threads must be >= 1 (got %d)",
                static_cast<int>(num_threads));
  options->options.num_threads = num_threads;
  return EDGELITE_OK;
}

edgelite_status edgelite_interpreter_options_set_max_arena_bytes(
    edgelite_interpreter_options* options, size_t max_arena_bytes) {
  if (options == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument,
                "options_set_max_arena_bytes: options is NULL");
  options->options.max_arena_bytes = max_arena_bytes;
  return EDGELITE_OK;
}

edgelite_status edgelite_interpreter_options_set_max_tensor_bytes(
    edgelite_interpreter_options* options, size_t max_tensor_bytes) {
  if (options == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument,
                "options_set_max_tensor_bytes: options is NULL");
  options->options.max_tensor_bytes = max_tensor_bytes;
  return EDGELITE_OK;
}

// ---- interpreter

edgelite_status edgelite_interpreter_create(const edgelite_model* model,
                                            const edgelite_interpreter_options* options,
                                            edgelite_interpreter** out_interpreter) {
  if (out_interpreter == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument,
                "interpreter_create: out_interpreter is NULL");
  *out_interpreter = nullptr;
  if (model == nullptr || !model->model)
    return Fail(nullptr, StatusCode::kInvalidArgument, "interpreter_create: model is NULL");
  std::unique_ptr<edgelite_interpreter> h(new (std::nothrow) edgelite_interpreter);
  if (!h) return Fail(nullptr, StatusCode::kResourceExhausted, "out of memory");
  const edgelite::InterpreterOptions o =
      options != nullptr ? options->options : edgelite::InterpreterOptions{};
  auto r = edgelite::Interpreter::Create(*model->model, h->resolver, o);
  if (!r.ok()) return Fail(nullptr, r.status());
  h->interp = std::move(r).value();
  const int ni = h->interp->num_inputs(), no = h->interp->num_outputs();
  h->inputs.reset(new (std::nothrow) edgelite_tensor[ni > 0 ? ni : 1]);
  h->outputs.reset(new (std::nothrow) edgelite_tensor[no > 0 ? no : 1]);
  if (!h->inputs || !h->outputs)
    return Fail(nullptr, StatusCode::kResourceExhausted, "out of memory");
  for (int i = 0; i < ni; ++i) h->inputs[i] = {h.get(), true, i};
  for (int i = 0; i < no; ++i) h->outputs[i] = {h.get(), false, i};
  *out_interpreter = h.release();
  return EDGELITE_OK;
}

void edgelite_interpreter_delete(edgelite_interpreter* interpreter) { delete interpreter; }

edgelite_status edgelite_interpreter_allocate_tensors(edgelite_interpreter* interpreter) {
  if (interpreter == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "allocate_tensors: interpreter is NULL");
  return Check(interpreter, interpreter->interp->AllocateTensors());
}

edgelite_status edgelite_interpreter_invoke(edgelite_interpreter* interpreter) {
  if (interpreter == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "invoke: interpreter is NULL");
  if (!interpreter->interp->tensors_allocated())
    return Fail(interpreter, StatusCode::kFailedPrecondition,
                "invoke: allocate_tensors must succeed first (also after a failed allocate or a "
                "resize)");
  return Check(interpreter, interpreter->interp->Invoke());
}

edgelite_status edgelite_interpreter_resize_input_tensor(edgelite_interpreter* interpreter,
                                                         int32_t input_index,
                                                         const int32_t* dims, int32_t num_dims) {
  if (interpreter == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "resize_input_tensor: interpreter is NULL");
  if (num_dims < 0 || num_dims > edgelite::kMaxRank)
    return Fail(interpreter, StatusCode::kInvalidArgument,
                "resize_input_tensor: num_dims %d is out of range [0, %d]",
                static_cast<int>(num_dims), edgelite::kMaxRank);
  if (dims == nullptr && num_dims > 0)
    return Fail(interpreter, StatusCode::kInvalidArgument, "resize_input_tensor: dims is NULL");
  edgelite::Shape shape;
  shape.rank = num_dims;
  for (int32_t i = 0; i < num_dims; ++i) shape.dims[i] = dims[i];
  return Check(interpreter, interpreter->interp->ResizeInputTensor(input_index, shape));
}

int32_t edgelite_interpreter_input_tensor_count(const edgelite_interpreter* interpreter) {
  return interpreter ? interpreter->interp->num_inputs() : -1;
}

int32_t edgelite_interpreter_output_tensor_count(const edgelite_interpreter* interpreter) {
  return interpreter ? interpreter->interp->num_outputs() : -1;
}

edgelite_tensor* edgelite_interpreter_input_tensor(edgelite_interpreter* interpreter,
                                                   int32_t input_index) {
  if (interpreter == nullptr) {
    Fail(nullptr, StatusCode::kInvalidArgument, "input_tensor: interpreter is NULL");
    return nullptr;
  }
  const int32_t n = interpreter->interp->num_inputs();
  if (input_index < 0 || input_index >= n) {
    Fail(interpreter, StatusCode::kInvalidArgument, "input %d does not exist (the model has %d)",
         static_cast<int>(input_index), static_cast<int>(n));
    return nullptr;
  }
  return &interpreter->inputs[input_index];
}

const edgelite_tensor* edgelite_interpreter_output_tensor(const edgelite_interpreter* interpreter,
                                                          int32_t output_index) {
  if (interpreter == nullptr) {
    Fail(nullptr, StatusCode::kInvalidArgument, "output_tensor: interpreter is NULL");
    return nullptr;
  }
  const int32_t n = interpreter->interp->num_outputs();
  if (output_index < 0 || output_index >= n) {
    Fail(interpreter, StatusCode::kInvalidArgument, "output %d does not exist (the model has %d)",
         static_cast<int>(output_index), static_cast<int>(n));
    return nullptr;
  }
  return &interpreter->outputs[output_index];
}

const char* edgelite_interpreter_error_message(const edgelite_interpreter* interpreter) {
  return interpreter ? interpreter->error.c_str() : "";
}

// ---- tensors

edgelite_type edgelite_tensor_type(const edgelite_tensor* tensor) {
  const edgelite::Tensor* t = Resolve(tensor);
  return t ? static_cast<edgelite_type>(static_cast<int>(t->type)) : EDGELITE_FLOAT32;
}

int32_t edgelite_tensor_num_dims(const edgelite_tensor* tensor) {
  const edgelite::Tensor* t = Resolve(tensor);
  return t ? t->shape.rank : -1;
}

int32_t edgelite_tensor_dim(const edgelite_tensor* tensor, int32_t dim_index) {
  const edgelite::Tensor* t = Resolve(tensor);
  if (t == nullptr || dim_index < 0 || dim_index >= t->shape.rank) return -1;
  return t->shape.dims[dim_index];
}

size_t edgelite_tensor_byte_size(const edgelite_tensor* tensor) {
  const edgelite::Tensor* t = Resolve(tensor);
  if (t == nullptr) return 0;
  size_t bytes = 0;
  // The byte size of the current shape (which a resize changes before
  // allocate does), not of the storage: copies check both agree.
  if (!edgelite::DataTypeBytes(t->type, t->shape.NumElements(), &bytes)) return t->bytes;
  return bytes;
}

void* edgelite_tensor_data(const edgelite_tensor* tensor) {
  const edgelite::Tensor* t = Resolve(tensor);
  if (t == nullptr || !tensor->owner->interp->tensors_allocated()) return nullptr;
  return t->data;
}

const char* edgelite_tensor_name(const edgelite_tensor* tensor) {
  const edgelite::Tensor* t = Resolve(tensor);
  return t && t->name ? t->name : "";
}

edgelite_quantization_params edgelite_tensor_quantization_params(const edgelite_tensor* tensor) {
  edgelite_quantization_params p = {0.0f, 0};
  const edgelite::Tensor* t = Resolve(tensor);
  if (t == nullptr || t->quant.count < 1) return p;
  p.scale = t->quant.scale[0];
  p.zero_point = static_cast<int32_t>(t->quant.zero_point[0]);
  return p;
}

int32_t edgelite_tensor_quantization_channels(const edgelite_tensor* tensor) {
  const edgelite::Tensor* t = Resolve(tensor);
  return t ? t->quant.count : -1;
}

edgelite_status edgelite_tensor_quantization_channel(const edgelite_tensor* tensor,
                                                     int32_t channel, float* scale,
                                                     int64_t* zero_point,
                                                     int32_t* quantized_dimension) {
  const edgelite::Tensor* t = Resolve(tensor);
  if (t == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "quantization_channel: tensor is NULL");
  if (channel < 0 || channel >= t->quant.count)
    return Fail(tensor->owner, StatusCode::kInvalidArgument,
                "tensor '%s' has %d quantization channels; channel %d does not exist", t->name,
                static_cast<int>(t->quant.count), static_cast<int>(channel));
  if (scale) *scale = t->quant.scale[channel];
  if (zero_point) *zero_point = t->quant.zero_point[channel];
  if (quantized_dimension) *quantized_dimension = t->quant.quantized_dimension;
  return EDGELITE_OK;
}

static edgelite_status CopyIn(edgelite_tensor* tensor, const edgelite_type* type,
                              const void* data, size_t size) {
  if (tensor == nullptr || Resolve(tensor) == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "copy_from_buffer: tensor is NULL");
  if (!tensor->is_input)
    return Fail(tensor->owner, StatusCode::kInvalidArgument,
                "copy_from_buffer: output %d is not an input tensor",
                static_cast<int>(tensor->index));
  edgelite::Interpreter& in = *tensor->owner->interp;
  if (type == nullptr) return Check(tensor->owner, in.CopyToInput(tensor->index, data, size));
  return Check(tensor->owner,
               in.CopyToInput(tensor->index, static_cast<DataType>(static_cast<int>(*type)), data,
                              size));
}

edgelite_status edgelite_tensor_copy_from_buffer(edgelite_tensor* tensor, const void* data,
                                                 size_t size) {
  return CopyIn(tensor, nullptr, data, size);
}

edgelite_status edgelite_tensor_copy_from_buffer_typed(edgelite_tensor* tensor,
                                                       edgelite_type type, const void* data,
                                                       size_t size) {
  return CopyIn(tensor, &type, data, size);
}

edgelite_status edgelite_tensor_copy_to_buffer(const edgelite_tensor* tensor, void* data,
                                               size_t size) {
  if (tensor == nullptr || Resolve(tensor) == nullptr)
    return Fail(nullptr, StatusCode::kInvalidArgument, "copy_to_buffer: tensor is NULL");
  edgelite::Interpreter& in = *tensor->owner->interp;
  if (tensor->is_input) {
    // Reading an input back is allowed (TFLite allows it too).
    const edgelite::Tensor* t = in.input(tensor->index);
    if (!in.tensors_allocated() || t->data == nullptr)
      return Fail(tensor->owner, StatusCode::kFailedPrecondition,
                  "copy_to_buffer: input %d '%s' is not allocated", static_cast<int>(tensor->index),
                  t->name);
    if (size != t->bytes || (data == nullptr && size != 0))
      return Fail(tensor->owner, StatusCode::kInvalidArgument,
                  "copy_to_buffer: input %d '%s' holds %zu bytes, but the buffer has %zu%s",
                  static_cast<int>(tensor->index), t->name, t->bytes, size,
                  data == nullptr ? " (and is NULL)" : "");
    if (size != 0) memcpy(data, t->data, size);
    return EDGELITE_OK;
  }
  return Check(tensor->owner, in.CopyFromOutput(tensor->index, data, size));
}

}  // extern "C"
