// Shared test helpers: locating ../shared, reading files, one-op models.
#ifndef EDGELITE_TESTS_TEST_UTIL_H_
#define EDGELITE_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/model_builder.h"
#include "src/base/cpu_features.h"
#if EDGELITE_TEST_MICRO_CORE
#include "edgelite/micro/micro_interpreter.h"
#endif

namespace edgelite {
namespace testing {

// ../shared beside the source tree (or $EDGELITE_SHARED); "" if absent.
std::string SharedDir();
// Skips the current test with a clear message when ../shared is missing.
#define EDGELITE_REQUIRE_SHARED()                                                 \
  do {                                                                            \
    if (::edgelite::testing::SharedDir().empty())                                 \
      GTEST_SKIP() << "../shared not found (set EDGELITE_SHARED); skipping test"; \
  } while (0)

bool ReadFile(const std::string& path, std::vector<uint8_t>* out);
bool FileExists(const std::string& path);

// A random seed for randomized tests: $EDGELITE_TEST_SEED or a fixed default;
// printed by the caller via SCOPED_TRACE so failures can be replayed.
uint32_t TestSeed();

// The TFLite WebAssembly oracle (../shared/oracles, installed at
// $EDGELITE_ORACLES or ~/.cache/edgelite-oracles) driven by
// bench/tflite_oracle_batch.js: runs `model` (one input, one output) on
// samples of input 0 given back to back in `inputs` (raw bytes), in one
// interpreter, so variable tensors (recurrent state) carry over between
// samples. Returns false with *why set when the oracle is not installed or
// fails; *outputs receives the samples of output 0 back to back.
bool RunTfliteOracle(const std::vector<uint8_t>& model, const std::vector<uint8_t>& inputs,
                     std::vector<uint8_t>* outputs, std::string* why);
// True if the oracle and node are present (else *why says what is missing).
bool TfliteOracleAvailable(std::string* why);

// Builds a model holding one operator, runs it, reads outputs.
//
//   SingleOpModel m;
//   int a = m.Input(DataType::kFloat32, {2, 3});
//   int w = m.Const<float>(DataType::kFloat32, {3}, {1, 2, 3});
//   int y = m.Output(DataType::kFloat32);
//   m.Op(fb::BuiltinOperator::MUL, {a, w}, {y}, MakeOptions(fb::MulOptionsT{}));
//   ASSERT_TRUE(m.Build().ok());
//   m.Set<float>(a, {...}); ASSERT_TRUE(m.Invoke().ok()); auto out = m.Get<float>(y);
class SingleOpModel {
 public:
  int Input(DataType type, const std::vector<int32_t>& shape, const QuantSpec* q = nullptr,
            const std::string& name = "");
  template <typename T>
  int Const(DataType type, const std::vector<int32_t>& shape, const std::vector<T>& values,
            const QuantSpec* q = nullptr) {
    return builder_.AddConstTensor<T>(type, shape, values, "const" + std::to_string(counter_++),
                                      q);
  }
  // The declared shape is only a placeholder: ops compute output shapes.
  int Output(DataType type, const std::vector<int32_t>& shape = {}, const QuantSpec* q = nullptr);
  void Op(fb::BuiltinOperator op, const std::vector<int32_t>& inputs,
          const std::vector<int32_t>& outputs,
          fb::BuiltinOptionsUnion options = fb::BuiltinOptionsUnion(), int version = 1);
  ModelBuilder& builder() { return builder_; }

#if EDGELITE_TEST_MICRO_CORE
  // The op-test firmware of the micro core (micro/tests/CMakeLists.txt): the model runs in a
  // MicroInterpreter (micro/src/micro_interpreter.cc), the firmware's interpreter, with every
  // op it runs. interpreter() gives the few Interpreter calls op tests make.
  class MicroRunner {
   public:
    explicit MicroRunner(SingleOpModel* m) : m_(m) {}
    Status ResetVariables();
    Status AllocateTensors();  // already allocated by Build: OK
    Status ResizeInputTensor(int, const edgelite::Shape&);  // kUnsupported: no dynamic shapes
   private:
    SingleOpModel* m_;
  };
  Status Build(int num_threads = 1);
  Status Invoke();
  MicroRunner* interpreter() { return &runner_; }
  Tensor* tensor(int index);
#else
  // Serializes, loads, creates the interpreter and allocates tensors.
  Status Build(int num_threads = 1);
  Status Invoke() { return interpreter_->Invoke(); }
  Interpreter* interpreter() { return interpreter_.get(); }
  Tensor* tensor(int index) { return interpreter_->tensor(index); }
#endif

  template <typename T>
  void Set(int index, const std::vector<T>& values) {
    Tensor* t = tensor(index);
    ASSERT_EQ(t->bytes, values.size() * sizeof(T)) << "input " << index << " size mismatch";
    if (!values.empty()) memcpy(t->data, values.data(), t->bytes);
  }
  template <typename T>
  std::vector<T> Get(int index) {
    const Tensor* t = tensor(index);
    const T* p = t->data_as<T>();
    return std::vector<T>(p, p + t->num_elements());
  }
  std::vector<int32_t> Shape(int index) {
    const Tensor* t = tensor(index);
    return std::vector<int32_t>(t->shape.dims, t->shape.dims + t->shape.rank);
  }

 private:
  ModelBuilder builder_;
  std::vector<int32_t> inputs_, outputs_;
  int counter_ = 0;
  std::vector<uint8_t> bytes_;
#if EDGELITE_TEST_MICRO_CORE
  Status MicroStatus(StatusCode code) const;
  std::vector<uint64_t> model_words_;  // the model, 8-byte aligned
  std::vector<uint64_t> arena_;
  std::unique_ptr<micro::MicroInterpreter> micro_;
  MicroRunner runner_{this};
#else
  std::unique_ptr<Model> model_;
  BuiltinOpResolver resolver_;
  std::unique_ptr<Interpreter> interpreter_;
#endif
};

// Uniform random floats in [lo, hi).
std::vector<float> RandomFloats(std::mt19937& rng, size_t n, float lo = -1.0f, float hi = 1.0f);

// Max |a-b| / max(|b|, floor) over two equal-length vectors.
double MaxRelativeError(const std::vector<float>& a, const std::vector<double>& b,
                        double floor = 1e-3);

// A Shape with these dims.
Shape ToShape(const std::vector<int32_t>& dims);

// The ISA levels this CPU can run (SetIsaCapForTesting cannot raise it), in increasing order.
std::vector<Isa> RunnableIsas();

// Caps the ISA for its lifetime (kernels selected meanwhile use at most `isa`), then lifts the cap.
struct IsaCapGuard {
  explicit IsaCapGuard(Isa isa) { SetIsaCapForTesting(isa, true); }
  ~IsaCapGuard() {
#if defined(__aarch64__)
    SetIsaCapForTesting(Isa::kNeon, true);
#else
    SetIsaCapForTesting(Isa::kAvx512, true);
#endif
  }
};

}  // namespace testing
}  // namespace edgelite

#endif  // EDGELITE_TESTS_TEST_UTIL_H_
