// The op (kernel) interface: what a builtin or custom op implements, and the
// context through which it sees its node, tensors and memory.
//
// Life of an op in an interpreter:
//   init     once per node, after the graph is built: parse options, allocate
//            persistent state (ctx.AllocatePersistent, ctx.set_user_data).
//   prepare  at every AllocateTensors (after a resize, again): validate every
//            model-provided parameter, compute output shapes (ctx.ResizeOutput),
//            request scratch memory, compute constants. Errors here name the op.
//   eval     at every Invoke: run. Trust what prepare validated.
// Outputs whose shape depends on input *values* that are not constant are
// marked dynamic in prepare (ctx.SetOutputDynamic) and sized in eval with
// ctx.ResizeOutput, which then also allocates their storage.
#ifndef EDGELITE_OP_H_
#define EDGELITE_OP_H_

#include <cstddef>
#include <cstdint>
#include <new>

#include "edgelite/status.h"
#include "edgelite/tensor.h"

namespace edgelite {

class OpContext;
class Subgraph;
class Interpreter;

struct OpRegistration {
  const char* name = nullptr;  // "CONV_2D", or the custom op's name
  Status (*init)(OpContext& ctx) = nullptr;     // optional
  Status (*prepare)(OpContext& ctx) = nullptr;  // optional
  Status (*eval)(OpContext& ctx) = nullptr;     // required
  // Optional, for ops that keep state across invokes in their own persistent
  // memory (not in variable tensors): restores the initial state. Called by
  // Interpreter::ResetVariables for every node that has been initialized.
  Status (*reset)(OpContext& ctx) = nullptr;
};

// Marks an absent optional input in a node's input list (as in TFLite).
constexpr int32_t kOptionalTensor = -1;

// One operator instance in a subgraph. Index arrays view the model buffer.
struct Node {
  int32_t index = 0;  // position in the subgraph's operator list
  const int32_t* inputs = nullptr;
  int32_t num_inputs = 0;
  const int32_t* outputs = nullptr;
  int32_t num_outputs = 0;
  const int32_t* intermediates = nullptr;
  int32_t num_intermediates = 0;
  const void* op = nullptr;  // const edgelite::fb::Operator*
  const uint8_t* custom_options = nullptr;
  size_t custom_options_size = 0;
  int32_t builtin_code = 0;  // BuiltinOperator value (32 = CUSTOM)
  int32_t version = 1;
  const OpRegistration* reg = nullptr;
  void* user_data = nullptr;
  // Set by the runtime: the node has an input whose shape is only known at
  // Invoke, so it is prepared again just before each eval.
  bool deferred = false;
  // Verification state of the operator's builtin options tables (bits of
  // kOptionsVerified / kOptions2Verified / kOptionsMalformed), kept by the
  // runtime and ops::Options<T>: a model verified lazily has its options
  // tables verified on first read (see ModelLimits::lazy_options_verification).
  uint8_t options_state = 0;
};
constexpr uint8_t kOptionsVerified = 1;   // builtin_options
constexpr uint8_t kOptions2Verified = 2;  // builtin_options_2
constexpr uint8_t kOptionsMalformed = 4;  // a read found a malformed table

enum class Phase : uint8_t { kInit, kPrepare, kEval };

// A parallel task: called once per task index in [0, n_tasks); `worker` in [0, num_threads())
// identifies the thread (0 = the caller); see OpContext::ParallelFor.
using ParallelTaskFn = void (*)(void* user, int32_t task, int32_t worker);

class OpContext {
 public:
  OpContext(Subgraph* subgraph, Node* node, Phase phase)
      : subgraph_(subgraph), node_(node), phase_(phase) {}

  Node& node() { return *node_; }
  Phase phase() const { return phase_; }
  int num_inputs() const { return node_->num_inputs; }
  int num_outputs() const { return node_->num_outputs; }
  // nullptr if i is out of range or the input is an absent optional one.
  Tensor* input(int i);
  Tensor* output(int i);
  Tensor* tensor(int32_t index);
  int32_t input_index(int i) const;
  int32_t output_index(int i) const;

  // Raw `const edgelite::fb::Operator*`; see src/ops/op_util.h for typed access
  // (ops::Options<T>: builtin options are read only through it).
  const void* op() const { return node_->op; }
  // The model's FlatBuffer bytes (for verifying options tables on first read).
  const uint8_t* model_flatbuffer(size_t* size) const;
  uint8_t& options_state() const { return node_->options_state; }
  const uint8_t* custom_options(size_t* size) const {
    *size = node_->custom_options_size;
    return node_->custom_options;
  }
  void* user_data() const { return node_->user_data; }
  void set_user_data(void* p) { node_->user_data = p; }

  // Memory that lives as long as the interpreter, 16-byte aligned and zeroed.
  // Returns nullptr (after recording why) if a memory limit is hit.
  void* AllocatePersistent(size_t bytes);
  template <typename T>
  T* AllocatePersistent() {
    void* p = AllocatePersistent(sizeof(T));
    return p ? new (p) T() : nullptr;
  }

  // Sets the shape of a tensor this op produces. In prepare, storage is
  // planned afterwards; in eval (dynamic tensors only) storage is allocated now.
  Status ResizeOutput(Tensor* t, const Shape& shape);
  // Eval only, string outputs: sizes `t`'s storage to `bytes` (the packed
  // layout of edgelite/strings.h) after ResizeOutput set its shape.
  Status ResizeStringOutput(Tensor* t, size_t bytes);
  // Declares that `t`'s shape is known only at eval.
  void SetOutputDynamic(Tensor* t) {
    if (t->allocation != Allocation::kConstant && t->allocation != Allocation::kPersistent)
      t->allocation = Allocation::kDynamic;
  }
  // True if a tensor's values can be read now (constants always; anything in eval).
  bool HasData(const Tensor* t) const {
    return phase_ == Phase::kEval || t->allocation == Allocation::kConstant ||
           t->allocation == Allocation::kPersistent;
  }

  // Scratch memory for this node's eval, planned in the arena (prepare only).
  Status RequestScratch(size_t bytes, int* scratch_id);
  void* scratch(int scratch_id);

  // The interpreter's InterpreterOptions::num_threads (>= 1).
  int num_threads() const;

  // Runs fn(user, task, worker) for every task in [0, n_tasks) on the interpreter's thread pool
  // and returns when all have finished (eval only). The calling thread takes part; `worker` is
  // in [0, num_threads()) and no two concurrent calls share a worker, so per-worker scratch
  // (RequestScratch of num_threads() slices in prepare) needs no locking. Tasks are handed out
  // dynamically: results must not depend on which worker ran a task. Tasks must not fail (do
  // the validation in prepare) and must write disjoint outputs. With num_threads() == 1, or a
  // build without threads (EDGELITE_THREADS=OFF), it is a plain loop on the caller's thread.
  // Typical use: split a kernel's output rows into about num_threads() chunks, or more when
  // chunk costs differ; don't split work below ~10 microseconds (waking a worker costs a few).
  void ParallelFor(int32_t n_tasks, ParallelTaskFn fn, void* user);
  // The same with a callable f(int32_t task, int32_t worker), e.g. a capturing lambda (no
  // allocation: f is referenced, not copied).
  template <typename F>
  void ParallelFor(int32_t n_tasks, const F& f) {
    ParallelFor(
        n_tasks,
        [](void* u, int32_t task, int32_t worker) { (*static_cast<const F*>(u))(task, worker); },
        const_cast<void*>(static_cast<const void*>(&f)));
  }
  Subgraph* subgraph() { return subgraph_; }
  Interpreter* interpreter();

  // An error Status prefixed with "subgraph S, operator N (NAME): ".
  Status Fail(StatusCode code, const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 3, 4)))
#endif
      ;
  // Same, with kInvalidModel.
  Status Invalid(const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;

 private:
  Subgraph* subgraph_;
  Node* node_;
  Phase phase_;
};

}  // namespace edgelite

#endif  // EDGELITE_OP_H_
