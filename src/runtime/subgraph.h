// A subgraph: its tensors, its nodes in execution order, its memory plan.
// Internal to the runtime; ops reach it through OpContext.
#ifndef EDGELITE_RUNTIME_SUBGRAPH_H_
#define EDGELITE_RUNTIME_SUBGRAPH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/op.h"
#include "edgelite/op_resolver.h"
#include "edgelite/tensor.h"
#include "src/memory/planner.h"

namespace edgelite {

namespace fb {
struct SubGraph;
}

// Bump allocator for state that lives as long as the interpreter (op data,
// packed weights, variables). Grows in chunks; never frees individually.
class PersistentAllocator {
 public:
  void* Allocate(size_t bytes, size_t alignment);
  size_t used_bytes() const { return used_; }

 private:
  std::vector<std::unique_ptr<uint8_t[]>> chunks_;
  uint8_t* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t used_ = 0;
};

class Subgraph {
 public:
  Subgraph(Interpreter* interp, int index, PersistentAllocator* persistent)
      : interp_(interp), index_(index), persistent_(persistent) {}

  // Creates tensors and nodes from the model and runs every op's init.
  Status Build(const Model& model, const fb::SubGraph* sg, const OpResolver& resolver);
  // Runs one of a node's functions (init, prepare, eval, reset) and turns a
  // malformed options table found by it (Node::options_state) into the error.
  Status RunNode(Status (*fn)(OpContext&), Node& n, Phase phase);
  // Runs prepare on every node (shape propagation) and computes this
  // subgraph's arena plan. Does not assign memory: see BindArena.
  Status Prepare();
  size_t arena_bytes() const { return plan_.peak_bytes; }
  // Points arena tensors and scratch buffers at `base` (arena_bytes() long).
  void BindArena(uint8_t* base);
  Status Invoke();
  Status ResetVariables();

  int index() const { return index_; }
  Interpreter* interpreter() { return interp_; }
  std::vector<Tensor>& tensors() { return tensors_; }
  std::vector<Node>& nodes() { return nodes_; }
  const std::vector<int32_t>& inputs() const { return inputs_; }
  const std::vector<int32_t>& outputs() const { return outputs_; }
  Tensor* tensor(int32_t i) {
    return (i >= 0 && static_cast<size_t>(i) < tensors_.size()) ? &tensors_[i] : nullptr;
  }
  const char* name() const { return name_.c_str(); }
  bool allocated() const { return allocated_; }
  void set_allocated(bool v) { allocated_ = v; }
  // Marks the plan stale (after an input resize).
  void Invalidate() { allocated_ = false; }

  // Used by OpContext.
  void* AllocatePersistent(size_t bytes);
  Status ResizeTensor(Tensor* t, const Shape& shape, Phase phase);
  Status ResizeTensorBytes(Tensor* t, size_t bytes);
  Status RequestScratch(Node* node, size_t bytes, bool defer, int* id);
  void* scratch(int id);
  std::string NodeLabel(const Node& node) const;
  // The model the interpreter was built from (nullptr without an interpreter).
  const Model* model() const { return interp_ != nullptr ? &interp_->model() : nullptr; }
  const memory::ArenaPlan& plan() const { return plan_; }
  const std::vector<memory::BufferRequest>& requests() const { return requests_; }

  // ---- Being called by an op (WHILE, IF, CALL_ONCE, STABLEHLO_COMPOSITE) ----
  //
  // A subgraph that some control-flow op calls is a *callee*: the op marks it
  // in init (MarkCallee), Interpreter::AllocateTensors then leaves it out of
  // the shared arena, and the calling op prepares it with the shapes of the
  // values it passes (PrepareAsCallee). A callee keeps its activations in an
  // arena of its own, owned by the subgraph and grown (never shrunk) when a
  // re-prepare needs more, e.g. a WHILE body whose shapes change between
  // iterations. Its tensors are live while its caller's are, so this costs
  // nothing over one concatenated arena.
  void MarkCallee() { is_callee_ = true; }
  bool is_callee() const { return is_callee_; }
  // Gives input i the shape of args[i] (types must match, counts too) and, if
  // a shape changed or the subgraph is not allocated, prepares it and binds
  // its own arena. Storage of inputs stays valid until the next such call.
  // Errors (no recursion) if the subgraph is already being prepared or run
  // through these calls, i.e. if it would call itself directly or indirectly.
  Status PrepareAsCallee(const Tensor* const* args, int num_args);
  // Invoke(), refusing recursion the same way.
  Status InvokeAsCallee();
  // True while being prepared or run through the two calls above.
  bool busy() const { return busy_; }
  // Bytes of this subgraph's own arena in use (0 if it has none).
  size_t own_arena_bytes() const { return own_arena_ ? plan_.peak_bytes : 0; }
  // Bytes this subgraph's own arena holds (its capacity; 0 if it has none).
  size_t own_arena_capacity() const { return own_arena_capacity_; }

 private:
  Status PlanMemory();
  // kResourceExhausted if `bytes` for tensor `index` exceeds
  // InterpreterOptions::max_tensor_bytes.
  Status CheckTensorBytes(size_t index, size_t bytes) const;
  Status AllocateVariables();

  Interpreter* interp_;
  int index_;
  PersistentAllocator* persistent_;
  std::string name_;
  std::vector<Tensor> tensors_;
  std::vector<Node> nodes_;
  std::vector<int32_t> inputs_, outputs_;
  // Initial values of variable tensors (views into the model; null = zeros).
  std::vector<const uint8_t*> variable_init_;
  bool variables_allocated_ = false;

  // Per-tensor heap storage for dynamic tensors (index = tensor index).
  std::vector<std::unique_ptr<uint8_t[]>> dynamic_data_;
  std::vector<size_t> dynamic_capacity_;

  struct Scratch {
    size_t bytes = 0;
    int32_t node = 0;
    bool dynamic = false;  // requested by a deferred node at eval
    void* data = nullptr;
    std::unique_ptr<uint8_t[]> heap;
    int request = -1;  // index into requests_ when planned
  };
  std::vector<Scratch> scratch_;
  std::vector<memory::BufferRequest> requests_;
  std::vector<int32_t> request_tensor_;  // tensor per request, -1 for scratch
  memory::ArenaPlan plan_;
  bool allocated_ = false;

  // Callee state (see PrepareAsCallee).
  bool is_callee_ = false;
  bool busy_ = false;
  std::unique_ptr<uint8_t[]> own_arena_;
  size_t own_arena_capacity_ = 0;
};

}  // namespace edgelite

#endif  // EDGELITE_RUNTIME_SUBGRAPH_H_
