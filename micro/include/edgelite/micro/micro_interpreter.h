// MicroInterpreter: the desktop runtime (same Model, Interpreter, ops) run entirely inside one
// caller-provided arena, for microcontrollers (no OS, no heap, no file system, no threads).
//
//   alignas(16) static uint8_t arena[kArenaBytes];
//   edgelite::micro::MicroOpResolver<3> resolver;  resolver.Add_FULLY_CONNECTED(); ...
//   edgelite::micro::MicroInterpreter interp(g_model, g_model_len, resolver, arena, sizeof arena);
//   if (interp.AllocateTensors() != edgelite::StatusCode::kOk) { ... interp.error() ... }
//   memcpy(interp.input(0)->data, ..., interp.input(0)->bytes());  interp.Invoke();
//
// Contract:
// - The model bytes are read in place (a const array in flash, 8-byte aligned: export-c writes
//   it so) and must outlive the interpreter; so must the resolver and the arena.
// - Everything the model needs comes from the arena: the core's bookkeeping (tensor and node
//   tables, shapes: the same code as on the desktop, its allocations routed to the arena by
//   arena_heap.h), op persistent data, scratch and all activations. Nothing is allocated
//   outside AllocateTensors (and dynamic-shape ops during Invoke, within the same arena).
// - arena_used_bytes() after AllocateTensors is the exact arena this model needs on this
//   target (the high-water mark). Arena too small: AllocateTensors returns
//   kResourceExhausted and error() says how many bytes are needed ("needs N bytes" when the
//   activation plan failed to fit: exact; "needs at least N bytes" when bookkeeping already
//   ran out: a lower bound — retry with it, or use `edgelite inspect --micro`).
// - Errors are returned as StatusCode plus a message in a fixed buffer (error()), and also
//   sent to the logging hook (micro_log.h). After a failed AllocateTensors the object can only
//   report; create a new one (with a larger arena) to retry.
// - Not thread-safe; one MicroInterpreter runs at a time (the allocator's arena is global
//   during each call).
#ifndef EDGELITE_MICRO_MICRO_INTERPRETER_H_
#define EDGELITE_MICRO_MICRO_INTERPRETER_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/micro/arena_heap.h"
#include "edgelite/op_resolver.h"
#include "edgelite/status.h"
#include "edgelite/tensor.h"

namespace edgelite {
class Interpreter;
class Model;

namespace micro {

class MicroInterpreter {
 public:
  MicroInterpreter(const void* model_data, size_t model_size, const OpResolver& resolver,
                   uint8_t* arena, size_t arena_size);
  ~MicroInterpreter() = default;  // everything lives in the caller's arena
  MicroInterpreter(const MicroInterpreter&) = delete;
  MicroInterpreter& operator=(const MicroInterpreter&) = delete;

  // Verifies and validates the model, builds the interpreter, prepares every op and plans the
  // activations, all in the arena.
  StatusCode AllocateTensors();
  StatusCode Invoke();
  // Restores variable tensors and the state ops keep across invokes (the Signal ops' noise
  // estimate) to their initial values, like TFLM's MicroInterpreter::Reset().
  StatusCode Reset();

  size_t inputs_size() const;
  size_t outputs_size() const;
  Tensor* input(size_t i);
  Tensor* output(size_t i);

  size_t arena_used_bytes() const { return heap_.high_water_bytes(); }
  // The activation plan alone (part of arena_used_bytes()).
  size_t activation_bytes() const;
  const char* error() const { return error_; }
  // After AllocateTensors failed for lack of arena: the bytes needed (exact when
  // arena_need_exact(), else a lower bound); 0 otherwise.
  size_t arena_needed_bytes() const { return needed_; }
  bool arena_need_exact() const { return need_exact_; }
  // The desktop API underneath (same tensor access, signatures, ...); null before a
  // successful AllocateTensors.
  Interpreter* interpreter() { return ready_ ? interp_ : nullptr; }

 private:
  StatusCode Fail(const Status& s);
  StatusCode Fail(StatusCode code, const char* fmt, ...);

  const void* model_data_;
  size_t model_size_;
  const OpResolver& resolver_;
  ArenaHeap heap_;
  Model* model_ = nullptr;
  Interpreter* interp_ = nullptr;
  bool ready_ = false;
  bool failed_ = false;
  size_t needed_ = 0;
  bool need_exact_ = false;
  char error_[192] = {};
};

}  // namespace micro
}  // namespace edgelite

#endif  // EDGELITE_MICRO_MICRO_INTERPRETER_H_
