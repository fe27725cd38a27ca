// The interpreter: runs a Model.
//
//   auto model = edgelite::Model::FromFile("m.tflite");        // verify+validate
//   edgelite::BuiltinOpResolver resolver;
//   auto interp = edgelite::Interpreter::Create(**model, resolver);
//   (*interp)->AllocateTensors();   // plan one arena from tensor lifetimes
//   fill (*interp)->input(0)->data ...
//   (*interp)->Invoke();
//   read (*interp)->output(0)->data ...
//
// Contracts:
// - The Model and the OpResolver must outlive the Interpreter.
// - An Interpreter is not thread-safe: one thread at a time. Several
//   interpreters may share one Model.
// - Tensor pointers stay valid for the interpreter's life; their `data`
//   pointers are valid after AllocateTensors until the next
//   ResizeInputTensor/AllocateTensors (dynamic outputs: until the next Invoke).
// - input()/output() refer to the primary subgraph (subgraph 0).
#ifndef EDGELITE_INTERPRETER_H_
#define EDGELITE_INTERPRETER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "edgelite/model.h"
#include "edgelite/op.h"
#include "edgelite/op_resolver.h"
#include "edgelite/status.h"
#include "edgelite/strings.h"
#include "edgelite/tensor.h"

namespace edgelite {

struct InterpreterOptions {
  int num_threads = 1;
  // Refuse to hold activation arenas larger than this in total (0: no
  // limit). Covers the shared arena and the own arenas of subgraphs called
  // by control-flow ops (WHILE/IF/CALL_ONCE bodies), also when a callee's
  // arena grows during Invoke. Exceeding it fails AllocateTensors (or the
  // Invoke that would grow a callee arena) with kResourceExhausted.
  size_t max_arena_bytes = 0;
  // Refuse any single non-constant tensor (activation, dynamic output,
  // variable) larger than this many bytes (0: no limit). Checked when shapes
  // are planned or resized; the error names the tensor and the bytes.
  // Constant tensors are views into the model and are not counted.
  size_t max_tensor_bytes = 0;
  // Optional profiling hook. When set, every subgraph's Invoke times each
  // node with std::chrono::steady_clock (its eval, plus its re-prepare if it
  // is deferred) and calls on_node(on_node_user, subgraph, node, op_name, ns)
  // right after it. Nodes of subgraphs called by control-flow ops are
  // reported too (their time is also inside the calling node's). op_name is
  // the registration's name (custom ops: their custom name) and is static.
  // nullptr (the default): no timing at all.
  void (*on_node)(void* user, int subgraph, int node, const char* op_name,
                  uint64_t nanoseconds) = nullptr;
  void* on_node_user = nullptr;
};

class SignatureRunner;
class PersistentAllocator;
class ResourceStore;
class ThreadPool;

class Interpreter {
 public:
  static Result<std::unique_ptr<Interpreter>> Create(const Model& model,
                                                     const OpResolver& resolver,
                                                     const InterpreterOptions& options = {});
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Plans and allocates the arena, prepares every op. Must precede Invoke and
  // follow any ResizeInputTensor.
  Status AllocateTensors();
  // Changes the shape of input `i` (position in inputs()). Call
  // AllocateTensors afterwards. With strict, only dimensions that the model's
  // shape_signature marks unknown (-1) may change.
  Status ResizeInputTensor(int i, const Shape& shape, bool strict = false);
  Status Invoke();
  // Sets the contents of a string tensor of the primary subgraph (a graph
  // input, typically): `count` must equal its number of elements. The strings
  // are copied; storage is sized here. See edgelite/strings.h.
  Status SetStringTensor(int32_t tensor_index, const StringRef* strings, int32_t count);
  // Resets variable tensors to their initial values, and the state ops keep
  // across invokes (OpRegistration::reset, e.g. the Signal noise estimate).
  Status ResetVariables();

  int num_inputs() const;
  int num_outputs() const;
  Tensor* input(int i);
  Tensor* output(int i);
  // Tensor indices (into tensor()) of inputs and outputs.
  int32_t input_tensor_index(int i) const;
  int32_t output_tensor_index(int i) const;
  // -1 if no input/output has this name.
  int FindInput(const char* name) const;
  int FindOutput(const char* name) const;
  // Input/output by tensor name; nullptr if there is none.
  Tensor* input(const char* name) { return input(FindInput(name)); }
  Tensor* output(const char* name) { return output(FindOutput(name)); }
  size_t num_tensors() const;
  Tensor* tensor(int32_t index);

  // True after a successful AllocateTensors that no ResizeInputTensor has
  // invalidated since (false after a failed AllocateTensors).
  bool tensors_allocated() const;
  // Checked copies into input `i` / out of output `i`. Errors (never a
  // partial copy): i out of range (kInvalidArgument); tensors not allocated
  // or output not yet computed (kFailedPrecondition); `bytes` other than the
  // tensor's byte size, `data` null, or, for the typed overloads, a tensor
  // type other than `type` (kInvalidArgument); string tensors
  // (kUnsupported).
  Status CopyToInput(int i, const void* data, size_t bytes);
  Status CopyToInput(int i, DataType type, const void* data, size_t bytes);
  Status CopyFromOutput(int i, void* data, size_t bytes);
  Status CopyFromOutput(int i, DataType type, void* data, size_t bytes);

  // Bytes of the activation arena after AllocateTensors (all subgraphs,
  // including the own arenas of subgraphs called by control-flow ops).
  size_t arena_bytes() const;
  // Bytes currently held by all activation arenas (capacity of the shared
  // arena plus every callee arena): the quantity max_arena_bytes caps.
  size_t arena_held_bytes() const;
  // Bytes allocated for persistent op state and variables.
  size_t persistent_bytes() const;

  int num_subgraphs() const;
  Subgraph* subgraph(int i);
  // State shared by all subgraphs for the interpreter's life: resource
  // variables and CALL_ONCE status (src/runtime/resources.h). Not reset by
  // ResetVariables, as in TFLite.
  ResourceStore* resources();
  const Model& model() const { return model_; }
  const InterpreterOptions& options() const { return options_; }
  // The kernels' worker threads (src/runtime/thread_pool.h); nullptr when num_threads == 1 or
  // the build has no threads. Kernels use OpContext::ParallelFor instead.
  ThreadPool* thread_pool() { return thread_pool_.get(); }

  // Signature defs ("serving_default", ...).
  int num_signatures() const;
  const char* signature_key(int i) const;
  // nullptr if there is no signature with this key. Owned by the interpreter.
  SignatureRunner* GetSignatureRunner(const char* key);

 private:
  Interpreter(const Model& model, const OpResolver& resolver, const InterpreterOptions& o);
  Status Build();

  const Model& model_;
  const OpResolver& resolver_;
  InterpreterOptions options_;
  std::vector<std::unique_ptr<Subgraph>> subgraphs_;
  std::vector<std::unique_ptr<SignatureRunner>> signatures_;
  std::unique_ptr<PersistentAllocator> persistent_;
  std::unique_ptr<ResourceStore> resources_;
  std::unique_ptr<ThreadPool> thread_pool_;
  std::unique_ptr<uint8_t[]> arena_storage_;
  size_t arena_capacity_ = 0;
  size_t arena_bytes_ = 0;
};

// Runs one signature: inputs and outputs by their signature names.
class SignatureRunner {
 public:
  SignatureRunner(Interpreter* interp, const void* signature_def);  // fb::SignatureDef

  const char* key() const { return key_; }
  size_t num_inputs() const { return input_names_.size(); }
  size_t num_outputs() const { return output_names_.size(); }
  const char* input_name(size_t i) const { return input_names_[i]; }
  const char* output_name(size_t i) const { return output_names_[i]; }
  // nullptr if no such name.
  Tensor* input(const char* name);
  Tensor* output(const char* name);
  Status ResizeInputTensor(const char* name, const Shape& shape, bool strict = false);
  Status AllocateTensors();
  Status Invoke();
  int subgraph_index() const { return subgraph_index_; }

 private:
  Interpreter* interp_;
  const char* key_ = "";
  int subgraph_index_ = 0;
  std::vector<const char*> input_names_, output_names_;
  std::vector<int32_t> input_tensors_, output_tensors_;
};

}  // namespace edgelite

#endif  // EDGELITE_INTERPRETER_H_
