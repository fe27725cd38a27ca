// State an interpreter shares across all of its subgraphs and keeps for its
// whole life: resource variables (VAR_HANDLE / ASSIGN_VARIABLE /
// READ_VARIABLE) and which CALL_ONCE initialization subgraphs have run.
//
// As in TensorFlow Lite, Interpreter::ResetVariables does not touch this
// state: it resets variable *tensors* only; resource variables keep their
// values and CALL_ONCE init subgraphs run once per interpreter.
//
// Threading: like the interpreter, one thread at a time.
#ifndef EDGELITE_RUNTIME_RESOURCES_H_
#define EDGELITE_RUNTIME_RESOURCES_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "edgelite/status.h"
#include "edgelite/tensor.h"

namespace edgelite {

class ResourceStore {
 public:
  // A resource variable: created (unassigned) by the first VAR_HANDLE naming
  // it; holds a value once assigned. Storage grows, never shrinks.
  struct Variable {
    bool assigned = false;
    DataType type = DataType::kFloat32;
    Shape shape;
    size_t bytes = 0;
    size_t capacity = 0;
    std::unique_ptr<uint8_t[]> data;
  };

  // The id of the variable named (container, shared_name); the same pair
  // always gives the same id, in every subgraph. Ids are 0, 1, 2, ...
  int32_t HandleId(const char* container, const char* shared_name);
  // nullptr if `id` was never handed out.
  Variable* Find(int32_t id);
  // Makes room for `bytes` in variable `id` ahead of time (prepare), so
  // that assigning a value of that size at eval needs no allocation.
  Status Reserve(int32_t id, size_t bytes);
  // Copies `value` (type, shape and bytes) into variable `id`.
  Status Assign(int32_t id, const Tensor& value);

  // CALL_ONCE bookkeeping, keyed by the init subgraph's index. Sized once
  // (SetNumSubgraphs) so that marking needs no allocation at eval.
  void SetNumSubgraphs(int n) { initialized_.assign(n > 0 ? n : 0, 0); }
  bool initialized(int subgraph) const;
  void MarkInitialized(int subgraph);

 private:
  std::map<std::string, int32_t> ids_;
  std::vector<std::unique_ptr<Variable>> variables_;
  std::vector<uint8_t> initialized_;
};

}  // namespace edgelite

#endif  // EDGELITE_RUNTIME_RESOURCES_H_
