#include "tests/fuzz/fuzz_util.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "edgelite/interpreter.h"
#include "edgelite/model.h"
#include "edgelite/op_resolver.h"

namespace edgelite {
namespace fuzz {
namespace {

}  // namespace

bool RunModelBytes(const uint8_t* data, size_t size, uint64_t seed) {
  ModelLimits limits;
  limits.max_tensor_elements = kMaxTensorElements;
  // Half the inputs take the lazy options verification of the micro profile
  // (options tables verified by the op that reads them), half the full one.
  limits.lazy_options_verification = (seed & 1) != 0;
  auto model = Model::FromBufferCopy(data, size, limits);
  if (!model.ok()) return false;
  BuiltinOpResolver resolver;
  InterpreterOptions options;
  options.max_arena_bytes = kMaxArenaBytes;
  options.max_tensor_bytes = kMaxTensorBytes;
  auto interp = Interpreter::Create(**model, resolver, options);
  if (!interp.ok()) return false;
  Interpreter& in = **interp;
  Status allocated = in.AllocateTensors();
  // EDGELITE_FUZZ_VERBOSE=1: describe what a reproducer builds (debugging).
  if (getenv("EDGELITE_FUZZ_VERBOSE") != nullptr) {
    fprintf(stderr, "allocate: %s\n", allocated.ok() ? "ok" : allocated.ToString().c_str());
    for (size_t t = 0; t < in.num_tensors(); ++t) {
      const Tensor* x = in.tensor(static_cast<int32_t>(t));
      char buf[96];
      fprintf(stderr, "  tensor %zu '%s' %s %s bytes=%zu alloc=%d quant=%d\n", t, x->name,
              DataTypeName(x->type), x->shape.ToString(buf, sizeof(buf)), x->bytes,
              static_cast<int>(x->allocation), x->quant.count);
    }
  }
  if (!allocated.ok()) return false;
  uint64_t state = seed;
  for (int i = 0; i < in.num_inputs(); ++i) FillTensor(in.input(i), &state);
  if (!in.Invoke().ok()) return false;
  // Outputs must be readable in full (ASan checks the bytes are ours).
  volatile uint8_t sink = 0;
  for (int i = 0; i < in.num_outputs(); ++i) {
    const Tensor* t = in.output(i);
    if (t == nullptr || t->data == nullptr) continue;
    const uint8_t* p = static_cast<const uint8_t*>(t->data);
    for (size_t k = 0; k < t->bytes; ++k) sink = sink ^ p[k];
  }
  (void)sink;
  return in.Invoke().ok();
}

}  // namespace fuzz
}  // namespace edgelite
