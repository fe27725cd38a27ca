// The converter's in-memory graph: a plain, mutable copy of an ONNX graph with
// shapes and constant values attached. Host tool code: exceptions and the
// standard library are used freely.
#ifndef EDGELITE_CONVERTER_IR_H_
#define EDGELITE_CONVERTER_IR_H_

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "onnx/onnx_pb.h"

namespace edgelite {
namespace converter {

class ConvertError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ONNX TensorProto element types the converter handles.
enum OnnxType : int {
  kOnnxUndefined = 0,
  kOnnxFloat = 1,
  kOnnxUint8 = 2,
  kOnnxInt8 = 3,
  kOnnxInt32 = 6,
  kOnnxInt64 = 7,
  kOnnxBool = 9,
  kOnnxDouble = 11,
};
bool IsFloatType(int onnx_type);

// A tensor value of the ONNX graph. Constants keep their data: floating types
// in `f`, integer and bool types in `i` (int64 holds every ONNX integer type
// the converter folds).
struct Value {
  std::string name;
  int dtype = kOnnxUndefined;
  std::vector<int64_t> shape;
  bool shape_known = false;
  bool is_const = false;
  std::vector<float> f;
  std::vector<int64_t> i;

  int64_t NumElements() const;
  int rank() const { return static_cast<int>(shape.size()); }
};

struct Node {
  std::string name;
  std::string op;
  std::vector<std::string> inputs;   // "" for an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, onnx::AttributeProto> attrs;
  bool removed = false;  // folded away or fused into another node

  bool Has(const std::string& a) const { return attrs.count(a) != 0; }
  int64_t Int(const std::string& a, int64_t def) const;
  float Float(const std::string& a, float def) const;
  std::string Str(const std::string& a, const std::string& def) const;
  std::vector<int64_t> Ints(const std::string& a, const std::vector<int64_t>& def = {}) const;
  std::vector<float> Floats(const std::string& a) const;
  // "Conv 'name'" for messages.
  std::string Describe() const;
  // Input i, or "" when absent.
  const std::string& In(size_t i) const;
};

struct Graph {
  std::map<std::string, Value> values;
  std::vector<Node> nodes;
  std::vector<std::string> inputs;   // graph inputs that are not initializers
  std::vector<std::string> outputs;
  int64_t opset = 0;
  std::string producer;

  Value& At(const std::string& name);
  const Value* Find(const std::string& name) const;
  bool IsConst(const std::string& name) const;
  bool IsGraphOutput(const std::string& name) const;
  // Number of live (not removed) nodes reading `name`.
  int Consumers(const std::string& name) const;
  // The only live node reading `name`, or nullptr if zero or several.
  Node* SoleConsumer(const std::string& name);
};

// Constant data decoded from an ONNX TensorProto into `v` (dtype, shape, data).
void DecodeTensorProto(const onnx::TensorProto& t, Value* v);

// Loads an ONNX model (file bytes) into a Graph. `input_shapes` overrides the
// shape of named inputs; remaining symbolic/unknown dimensions become 1.
Graph ImportOnnx(const std::string& bytes,
                 const std::map<std::string, std::vector<int64_t>>& input_shapes);

// Shape inference and constant folding in one topological sweep: every value
// gets its dtype and static shape; nodes whose inputs are all constant (and
// shape-only nodes such as Shape) are evaluated and removed. Nodes the sweep
// cannot type are collected as "op: why" in `unsupported` rather than thrown,
// so that one error can name all of them.
void InferAndFold(Graph* g, std::vector<std::string>* unsupported);

// ONNX-level fusions that keep NCHW semantics: Conv+BatchNormalization,
// Conv/Gemm/MatMul + constant bias Add, HardSigmoid*x -> HardSwish.
// Returns how many nodes were fused away.
int FuseGraph(Graph* g);

// Helpers shared by the passes.
std::vector<int64_t> BroadcastShapes(const std::vector<int64_t>& a,
                                     const std::vector<int64_t>& b);
std::string ShapeStr(const std::vector<int64_t>& s);

}  // namespace converter
}  // namespace edgelite

#endif  // EDGELITE_CONVERTER_IR_H_
