#include "tests/test_util.h"

#if EDGELITE_TEST_MICRO_CORE
#include "edgelite/micro/micro_all_ops.h"
#endif

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace edgelite {
namespace testing {

std::string SharedDir() {
  const char* env = getenv("EDGELITE_SHARED");
  std::string dir = env && *env ? env : EDGELITE_SHARED_DIR;
  struct stat st;
  if (stat((dir + "/models").c_str(), &st) != 0) return "";
  return dir;
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool ReadFile(const std::string& path, std::vector<uint8_t>* out) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return false;
  out->clear();
  uint8_t buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out->insert(out->end(), buf, buf + n);
  fclose(f);
  return true;
}

#if defined(EDGELITE_MICRO)
// Firmware under QEMU has no processes, no node and no temporary directories.
bool TfliteOracleAvailable(std::string* why) {
  *why = "no TFLite oracle in the micro profile (firmware has no processes)";
  return false;
}

bool RunTfliteOracle(const std::vector<uint8_t>&, const std::vector<uint8_t>&,
                     std::vector<uint8_t>*, std::string* why) {
  return TfliteOracleAvailable(why);
}
#else
namespace {
std::string OracleHome() {
  const char* env = getenv("EDGELITE_ORACLES");
  if (env && *env) return env;
  const char* home = getenv("HOME");
  return std::string(home ? home : "") + "/.cache/edgelite-oracles";
}
}  // namespace

bool TfliteOracleAvailable(std::string* why) {
  const std::string runner = OracleHome() + "/tfjs-tflite/tflite_node.js";
  if (!FileExists(runner)) {
    *why = "TFLite oracle not installed (" + runner +
           " missing; bash ../shared/oracles/install.sh installs it)";
    return false;
  }
  if (system("command -v node >/dev/null 2>&1") != 0) {
    *why = "node not found on PATH (needed by the TFLite oracle)";
    return false;
  }
  return true;
}

bool RunTfliteOracle(const std::vector<uint8_t>& model, const std::vector<uint8_t>& inputs,
                     std::vector<uint8_t>* outputs, std::string* why) {
  if (!TfliteOracleAvailable(why)) return false;
  char dir_template[] = "/tmp/edgelite_oracle_XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    *why = "mkdtemp failed";
    return false;
  }
  const std::string d = dir;
  auto write = [](const std::string& path, const std::vector<uint8_t>& bytes) {
    FILE* f = fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool ok = fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    return fclose(f) == 0 && ok;
  };
  if (!write(d + "/model.tflite", model) || !write(d + "/in.bin", inputs)) {
    *why = "cannot write to " + d;
    return false;
  }
  const std::string cmd = "EDGELITE_ORACLES='" + OracleHome() + "' node '" EDGELITE_SOURCE_DIR
                          "/bench/tflite_oracle_batch.js' '" + d + "/model.tflite' '" + d +
                          "/in.bin' '" + d + "/out.bin' >'" + d + "/log.txt' 2>&1";
  const int rc = system(cmd.c_str());
  std::vector<uint8_t> log;
  ReadFile(d + "/log.txt", &log);
  const bool ok = rc == 0 && ReadFile(d + "/out.bin", outputs);
  if (!ok) *why = "oracle failed: " + std::string(log.begin(), log.end());
  for (const char* f : {"/model.tflite", "/in.bin", "/out.bin", "/log.txt"})
    remove((d + f).c_str());
  rmdir(d.c_str());
  return ok;
}
#endif  // EDGELITE_MICRO

uint32_t TestSeed() {
  const char* env = getenv("EDGELITE_TEST_SEED");
  return env && *env ? static_cast<uint32_t>(strtoul(env, nullptr, 10)) : 20261121u;
}

int SingleOpModel::Input(DataType type, const std::vector<int32_t>& shape, const QuantSpec* q,
                         const std::string& name) {
  int t = builder_.AddTensor(type, shape, name.empty() ? "in" + std::to_string(counter_++) : name,
                             0, q);
  inputs_.push_back(t);
  return t;
}

int SingleOpModel::Output(DataType type, const std::vector<int32_t>& shape, const QuantSpec* q) {
  int t = builder_.AddTensor(type, shape, "out" + std::to_string(counter_++), 0, q);
  outputs_.push_back(t);
  return t;
}

void SingleOpModel::Op(fb::BuiltinOperator op, const std::vector<int32_t>& inputs,
                       const std::vector<int32_t>& outputs, fb::BuiltinOptionsUnion options,
                       int version) {
  builder_.AddOperator(op, inputs, outputs, std::move(options), version);
}

#if EDGELITE_TEST_MICRO_CORE
Status SingleOpModel::MicroStatus(StatusCode code) const {
  if (code == StatusCode::kOk) return Status::Ok();
  const char* error = micro_ != nullptr ? micro_->error() : "no interpreter";
  // What the micro core refuses by design (micro_interpreter.h): the test shim reports such a
  // test as needing the desktop runtime rather than as failed (op_test_main.cc).
  if (code == StatusCode::kUnsupported &&
      (strstr(error, "dynamic tensors") != nullptr || strstr(error, "string tensors") != nullptr))
    ::testing::g_micro_core_limit = error;
  return Status(code, error);
}

Status SingleOpModel::Build(int /*num_threads: the micro core has one*/) {
  builder_.SetInputs(inputs_);
  builder_.SetOutputs(outputs_);
  bytes_ = builder_.Finish();
  model_words_.assign(bytes_.size() / 8 + 1, 0);
  memcpy(model_words_.data(), bytes_.data(), bytes_.size());
  // An arena from the test heap: 64 KiB first, then what the micro core says it needs.
  size_t arena_bytes = 64 << 10;
  for (int attempt = 0; attempt < 4; ++attempt) {
    micro_.reset();
    arena_.assign(arena_bytes / 8 + 2, 0);
    micro_.reset(new micro::MicroInterpreter(model_words_.data(), bytes_.size(), micro::AllOps(),
                                             reinterpret_cast<uint8_t*>(arena_.data()),
                                             arena_bytes));
    const StatusCode c = micro_->AllocateTensors();
    if (c != StatusCode::kResourceExhausted || micro_->arena_needed_bytes() == 0)
      return MicroStatus(c);
    arena_bytes = micro_->arena_needed_bytes() + (arena_bytes >> 1);
  }
  return MicroStatus(micro_->AllocateTensors());
}

Status SingleOpModel::Invoke() {
  return MicroStatus(micro_ != nullptr ? micro_->Invoke() : StatusCode::kFailedPrecondition);
}

Tensor* SingleOpModel::tensor(int index) {
  return micro_ != nullptr ? micro_->tensor(static_cast<size_t>(index)) : nullptr;
}

Status SingleOpModel::MicroRunner::ResetVariables() {
  return m_->MicroStatus(m_->micro_ != nullptr ? m_->micro_->Reset()
                                               : StatusCode::kFailedPrecondition);
}
Status SingleOpModel::MicroRunner::AllocateTensors() {
  return m_->MicroStatus(m_->micro_ != nullptr ? m_->micro_->AllocateTensors()
                                               : StatusCode::kFailedPrecondition);
}
Status SingleOpModel::MicroRunner::ResizeInputTensor(int, const edgelite::Shape&) {
  ::testing::g_micro_core_limit = "the micro core has no input resizing";
  return Status(StatusCode::kUnsupported, "the micro core has no input resizing");
}
#else
Status SingleOpModel::Build(int num_threads) {
  builder_.SetInputs(inputs_);
  builder_.SetOutputs(outputs_);
  bytes_ = builder_.Finish();
  // Loaded as the micro profile loads: options tables verified by the op on
  // first read (ops::Options<T>), so every op test runs that path.
  ModelLimits limits;
  limits.lazy_options_verification = true;
  auto m = Model::FromBuffer(bytes_.data(), bytes_.size(), limits);
  if (!m.ok()) return m.status();
  model_ = std::move(m.value());
  InterpreterOptions opts;
  opts.num_threads = num_threads;
  auto i = Interpreter::Create(*model_, resolver_, opts);
  if (!i.ok()) return i.status();
  interpreter_ = std::move(i.value());
  return interpreter_->AllocateTensors();
}

#endif  // EDGELITE_TEST_MICRO_CORE

std::vector<float> RandomFloats(std::mt19937& rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

double MaxRelativeError(const std::vector<float>& a, const std::vector<double>& b, double floor) {
  double worst = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double e = std::fabs(a[i] - b[i]) / std::max(std::fabs(b[i]), floor);
    worst = std::max(worst, e);
  }
  if (a.size() != b.size()) return INFINITY;
  return worst;
}

Shape ToShape(const std::vector<int32_t>& dims) {
  Shape s;
  s.rank = static_cast<int>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) s.dims[i] = dims[i];
  return s;
}

std::vector<Isa> RunnableIsas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
    SetIsaCapForTesting(isa, true);
    if (ActiveIsa() == isa) out.push_back(isa);
  }
  SetIsaCapForTesting(Isa::kAvx512, true);
  SetIsaCapForTesting(Isa::kNeon, true);
  return out;
}

}  // namespace testing
}  // namespace edgelite
