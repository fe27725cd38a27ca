// MicroInterpreter: runs a .tflite model entirely inside one caller-provided arena, for
// microcontrollers (no OS, no heap, no file system, no threads).
//
//   alignas(16) static uint8_t arena[kArenaBytes];
//   edgelite::micro::MicroOpResolver<3> resolver;  resolver.Add_FULLY_CONNECTED(); ...
//   edgelite::micro::MicroInterpreter interp(g_model, g_model_len, resolver, arena, sizeof arena);
//   if (interp.AllocateTensors() != edgelite::StatusCode::kOk) { ... interp.error() ... }
//   memcpy(interp.input(0)->data, ..., interp.input(0)->bytes);  interp.Invoke();
//
// It is the micro core (micro/src/micro_interpreter.cc): the desktop's ops, kernels, Tensor,
// Node and OpContext, driven by a small interpreter of its own that verifies and validates the
// model as it reads it, keeps its tables in the arena and allocates nothing else (docs/micro.md).
//
// Contract:
// - The model bytes are read in place (a const array in flash, 8-byte aligned: export-c writes
//   it so) and must outlive the interpreter; so must the resolver and the arena. The bytes are
//   untrusted: every table, vector, index, shape, buffer size and quantization parameter the
//   interpreter or an op reads is checked first.
// - The arena (16-byte aligned; a misaligned start loses the bytes up to the next 16) holds
//   everything the model needs: at its end the tensor and node tables, op persistent data,
//   variable tensors and scratch records; at its start the activations and op scratch (planned
//   from lifetimes, greedy by size). Nothing is allocated anywhere else.
// - arena_used_bytes() after AllocateTensors is the exact arena this model needs on this
//   target: one 16-byte step less and AllocateTensors fails. Arena too small: AllocateTensors
//   returns kResourceExhausted, error() and arena_needed_bytes() give the bytes needed: exact
//   (arena_need_exact()) when the tables and op data fit and the activation plan did not,
//   otherwise a lower bound (what was in use plus the request that failed).
// - Runs subgraph 0 of the model. Not in the micro core: ops that call other subgraphs or use
//   resource variables (IF, WHILE, CALL_ONCE, STABLEHLO_COMPOSITE, VAR_HANDLE, READ_VARIABLE,
//   ASSIGN_VARIABLE; MicroOpResolver has no Add_ for them), outputs whose shape depends on
//   input values (dynamic tensors: kUnsupported at AllocateTensors), string tensors and sparse
//   constant tensors (kUnsupported). Variable tensors (is_variable) are supported.
// - Errors are returned as StatusCode plus a message in a fixed buffer (error()), and also
//   sent to the logging hook (micro_log.h). After a failed AllocateTensors the object can only
//   report; create a new one (with a larger arena) to retry.
// - Not thread-safe.
#ifndef EDGELITE_MICRO_MICRO_INTERPRETER_H_
#define EDGELITE_MICRO_MICRO_INTERPRETER_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/op.h"
#include "edgelite/op_resolver.h"
#include "edgelite/status.h"
#include "edgelite/tensor.h"

namespace edgelite {
namespace micro {

namespace internal {
// The micro core's graph: what OpContext reaches (the OpContext of micro/src/micro_interpreter.cc). Every
// pointer into the arena or the model.
struct Graph {
  const uint8_t* model = nullptr;
  uint32_t model_size = 0;   // the FlatBuffer's bytes (external buffers may follow)
  size_t file_size = 0;      // all the bytes given
  uint8_t* begin = nullptr;  // arena start (16-byte aligned)
  uint8_t* tail = nullptr;   // lowest byte in use at the end of the arena
  uint8_t* end = nullptr;    // arena end (16-byte aligned)
  Tensor* tensors = nullptr;
  int32_t num_tensors = 0;
  Node* nodes = nullptr;
  int32_t num_nodes = 0;
  const int32_t* inputs = nullptr;
  int32_t num_inputs = 0;
  const int32_t* outputs = nullptr;
  int32_t num_outputs = 0;
  struct Scratch* scratch = nullptr;  // requested in prepare, newest first
  int32_t num_scratch = 0;
  void** scratch_data = nullptr;      // by id, after planning
  void* variables = nullptr;          // variable tensors and their initial values
  size_t failed_need = 0;             // tail bytes that would have been in use at a failure
};
}  // namespace internal

class MicroInterpreter {
 public:
  MicroInterpreter(const void* model_data, size_t model_size, const OpResolver& resolver,
                   uint8_t* arena, size_t arena_size);
  ~MicroInterpreter() = default;  // everything lives in the caller's arena
  MicroInterpreter(const MicroInterpreter&) = delete;
  MicroInterpreter& operator=(const MicroInterpreter&) = delete;

  // Verifies and validates the model, builds the tensor and node tables, runs every op's
  // init and prepare and plans the activations, all in the arena. Again after success: kOk.
  StatusCode AllocateTensors();
  StatusCode Invoke();
  // Restores variable tensors and the state ops keep across invokes (the Signal ops' noise
  // estimate) to their initial values, like TFLM's MicroInterpreter::Reset().
  StatusCode Reset();

  size_t inputs_size() const { return ready_ ? static_cast<size_t>(g_.num_inputs) : 0; }
  size_t outputs_size() const { return ready_ ? static_cast<size_t>(g_.num_outputs) : 0; }
  Tensor* input(size_t i) { return i < inputs_size() ? &g_.tensors[g_.inputs[i]] : nullptr; }
  Tensor* output(size_t i) { return i < outputs_size() ? &g_.tensors[g_.outputs[i]] : nullptr; }
  size_t tensors_size() const { return ready_ ? static_cast<size_t>(g_.num_tensors) : 0; }
  Tensor* tensor(size_t i) { return i < tensors_size() ? &g_.tensors[i] : nullptr; }

  // The exact arena this model needs (after a successful AllocateTensors).
  size_t arena_used_bytes() const { return used_; }
  // The activation plan alone (part of arena_used_bytes()).
  size_t activation_bytes() const { return activations_; }
  const char* error() const { return error_; }
  // After AllocateTensors failed for lack of arena: the bytes needed (exact when
  // arena_need_exact(), else a lower bound); 0 otherwise.
  size_t arena_needed_bytes() const { return needed_; }
  bool arena_need_exact() const { return need_exact_; }

 private:
  StatusCode Build();
  StatusCode Plan();
  StatusCode RunNode(Status (*fn)(OpContext&), Node& n, Phase phase);
  StatusCode Fail(StatusCode code, const char* fmt, ...);
  // "tensor INDEX 'NAME': " + the message.
  StatusCode FailTensor(StatusCode code, int index, const char* name, const char* fmt, ...);
  // Logs error_ and returns code.
  StatusCode Report(StatusCode code);
  StatusCode OutOfArena(size_t need, bool exact);
  void* TailAlloc(size_t bytes);
  StatusCode ResetState();

  const OpResolver& resolver_;
  internal::Graph g_;
  size_t used_ = 0;
  size_t activations_ = 0;
  size_t needed_ = 0;
  bool ready_ = false;
  bool failed_ = false;
  bool need_exact_ = false;
  char error_[160] = {};
};

}  // namespace micro
}  // namespace edgelite

#endif  // EDGELITE_MICRO_MICRO_INTERPRETER_H_
