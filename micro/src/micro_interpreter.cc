#include "edgelite/micro/micro_interpreter.h"

#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>

#include "edgelite/interpreter.h"
#include "edgelite/micro/micro_log.h"
#include "edgelite/model.h"
#include "src/runtime/subgraph.h"

namespace edgelite {
namespace micro {

MicroInterpreter::MicroInterpreter(const void* model_data, size_t model_size,
                                   const OpResolver& resolver, uint8_t* arena, size_t arena_size)
    : model_data_(model_data),
      model_size_(model_size),
      resolver_(resolver),
      heap_(arena, arena == nullptr ? 0 : arena_size) {}

StatusCode MicroInterpreter::Fail(StatusCode code, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(error_, sizeof(error_), fmt, args);
  va_end(args);
  Log("edgelite: %s", error_);
  return code;
}

StatusCode MicroInterpreter::Fail(const Status& s) {
  return Fail(s.code(), "%s", s.message().c_str());
}

namespace {
// Sum of the activation plans of the subgraphs sharing the main arena.
size_t PlannedActivationBytes(Interpreter* interp) {
  size_t total = 0;
  for (int i = 0; interp != nullptr && i < interp->num_subgraphs(); ++i)
    if (!interp->subgraph(i)->is_callee()) total += interp->subgraph(i)->arena_bytes();
  return total;
}
}  // namespace

// Kept out of line: the setjmp frame in AllocateTensors/Invoke must hold no live C++ objects.
__attribute__((noinline)) static StatusCode BuildAndAllocate(
    MicroInterpreter* self, const void* data, size_t size, const OpResolver& resolver,
    Model** model, Interpreter** interp, Status* error) {
  if (*model == nullptr) {
    auto m = Model::FromBuffer(data, size);
    if (!m.ok()) {
      *error = m.status();
      return error->code();
    }
    *model = m.value().release();
  }
  if (*interp == nullptr) {
    auto it = Interpreter::Create(**model, resolver);
    if (!it.ok()) {
      *error = it.status();
      return error->code();
    }
    *interp = it.value().release();
  }
  Status s = (*interp)->AllocateTensors();
  if (!s.ok()) {
    *error = s;
    return s.code();
  }
  return StatusCode::kOk;
}

StatusCode MicroInterpreter::AllocateTensors() {
  if (failed_) return StatusCode::kFailedPrecondition;
  std::jmp_buf recover;
  ArenaScope scope(&heap_, &recover);
  if (setjmp(recover) != 0) {
    // A std container ran out of arena while building: nothing built survives.
    failed_ = true;
    const size_t need = heap_.first_failure_need() > heap_.high_water_bytes()
                            ? heap_.first_failure_need()
                            : heap_.high_water_bytes();
    heap_.Reset();
    needed_ = need;  // a lower bound
    return Fail(StatusCode::kResourceExhausted,
                "arena too small: %u bytes given, the model needs at least %u bytes "
                "(bookkeeping ran out; `edgelite inspect --micro` gives the size)",
                static_cast<unsigned>(heap_.capacity()), static_cast<unsigned>(need));
  }
  Status* error = new (std::nothrow) Status();
  StatusCode code = StatusCode::kResourceExhausted;
  if (error != nullptr)
    code = BuildAndAllocate(this, model_data_, model_size_, resolver_, &model_, &interp_, error);
  if (code == StatusCode::kOk) {
    delete error;
    ready_ = true;
    return code;
  }
  failed_ = true;
  if (heap_.first_failure_need() != 0) {
    // Out of arena. When the failed request was the activation arena (the last allocation of
    // AllocateTensors), the figure is exact; otherwise a lower bound.
    const size_t need = heap_.first_failure_need() > heap_.high_water_bytes()
                            ? heap_.first_failure_need()
                            : heap_.high_water_bytes();
    const size_t planned = PlannedActivationBytes(interp_);
    const bool exact = planned > 0 && heap_.first_failure_request() >= planned;
    delete error;
    needed_ = need;
    need_exact_ = exact;
    return Fail(StatusCode::kResourceExhausted,
                "arena too small: %u bytes given, the model needs %s%u bytes (%u more)",
                static_cast<unsigned>(heap_.capacity()), exact ? "" : "at least ",
                static_cast<unsigned>(need), static_cast<unsigned>(need - heap_.capacity()));
  }
  const StatusCode c = Fail(*error);
  delete error;
  return c;
}

StatusCode MicroInterpreter::Invoke() {
  if (!ready_)
    return Fail(StatusCode::kFailedPrecondition, "Invoke before a successful AllocateTensors");
  std::jmp_buf recover;
  ArenaScope scope(&heap_, &recover);
  if (setjmp(recover) != 0) {
    ready_ = false;
    failed_ = true;
    return Fail(StatusCode::kResourceExhausted,
                "arena too small for a dynamic tensor during Invoke (needs more than %u bytes)",
                static_cast<unsigned>(heap_.first_failure_need()));
  }
  Status s = interp_->Invoke();
  if (s.ok()) return StatusCode::kOk;
  const StatusCode c = Fail(s);
  return c;
}

StatusCode MicroInterpreter::Reset() {
  if (!ready_)
    return Fail(StatusCode::kFailedPrecondition, "Reset before a successful AllocateTensors");
  Status s = interp_->ResetVariables();
  return s.ok() ? StatusCode::kOk : Fail(s);
}

size_t MicroInterpreter::inputs_size() const {
  return ready_ ? static_cast<size_t>(interp_->num_inputs()) : 0;
}
size_t MicroInterpreter::outputs_size() const {
  return ready_ ? static_cast<size_t>(interp_->num_outputs()) : 0;
}
Tensor* MicroInterpreter::input(size_t i) {
  return i < inputs_size() ? interp_->input(static_cast<int>(i)) : nullptr;
}
Tensor* MicroInterpreter::output(size_t i) {
  return i < outputs_size() ? interp_->output(static_cast<int>(i)) : nullptr;
}
size_t MicroInterpreter::activation_bytes() const { return ready_ ? interp_->arena_bytes() : 0; }

}  // namespace micro
}  // namespace edgelite
