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

uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void FillTensor(Tensor* t, uint64_t* state) {
  if (t == nullptr || t->data == nullptr || t->bytes == 0) return;
  if (t->type == DataType::kFloat32) {
    float* p = static_cast<float*>(t->data);
    for (size_t i = 0; i < t->bytes / sizeof(float); ++i)
      p[i] = static_cast<float>(static_cast<int64_t>(SplitMix(state) % 8001) - 4000) / 1000.0f;
    return;
  }
  if (t->type == DataType::kString) return;  // strings are sized by their writer
  uint8_t* p = static_cast<uint8_t*>(t->data);
  for (size_t i = 0; i < t->bytes; ++i) p[i] = static_cast<uint8_t>(SplitMix(state));
  if (t->type == DataType::kBool)
    for (size_t i = 0; i < t->bytes; ++i) p[i] &= 1;  // a bool byte other than 0/1 is UB
}

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
