// The micro core (micro/src/micro_interpreter.cc) built for the host, where ASan and UBSan can
// watch it: real models from ../shared give TensorFlow Lite's outputs (the goldens), and
// malformed bytes (every truncation, bit flips, byte patches) give errors, never a crash or a
// read outside the model. The firmware runs the same source under QEMU (micro/).
//
// This binary links the micro core's OpContext, not the desktop Interpreter's: it must not use
// tests/test_util (which builds desktop interpreters).
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "edgelite/micro/micro_all_ops.h"
#include "edgelite/micro/micro_interpreter.h"
#include "edgelite/micro/micro_log.h"
#include "edgelite/micro/micro_op_resolver.h"

namespace edgelite {
namespace {

using micro::MicroInterpreter;

const micro::AllOpsResolver& Resolver() { return micro::AllOps(); }

std::string Shared() {
  const char* env = getenv("EDGELITE_SHARED_DIR");
  return env != nullptr ? env : EDGELITE_SHARED_DIR;
}

bool ReadFile(const std::string& path, std::vector<uint8_t>* out) {
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  fseek(f, 0, SEEK_END);
  const long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  out->resize(n > 0 ? static_cast<size_t>(n) : 0);
  const bool ok = n >= 0 && fread(out->data(), 1, out->size(), f) == out->size();
  fclose(f);
  return ok;
}

// Model bytes at an 8-aligned address, as a firmware's const array is.
struct Bytes {
  std::unique_ptr<uint64_t[]> storage;
  size_t size = 0;
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(storage.get()); }
  uint8_t* data() { return reinterpret_cast<uint8_t*>(storage.get()); }
};
Bytes Aligned(const std::vector<uint8_t>& v, size_t size) {
  Bytes b;
  b.storage.reset(new uint64_t[(size + 7) / 8 + 1]());
  b.size = size;
  memcpy(b.data(), v.data(), size < v.size() ? size : v.size());
  return b;
}

struct Case {
  const char* model;  // relative to models/ and goldens/
  bool float_out;     // compare within 1e-4 of the output's scale instead of exactly
};
// Models of ../shared that fit a microcontroller (or nearly), one or more of each kind the micro
// core handles: int8 and float, conv/depthwise/pool/FC/softmax networks, an LSTM, variable
// tensors (the streaming wakeword model keeps its state in them).
const Case kCases[] = {
    {"tflm/hello_world/hello_world_int8.tflite", false},
    {"tflm/hello_world/hello_world_float.tflite", true},
    {"tflm/micro_speech/micro_speech_quantized.tflite", false},
    {"tflm/magic_wand/magic_wand.tflite", true},
    {"tflm/benchmark_models/keyword_scrambled.tflite", false},
    {"tflm/network_tester/network_model.tflite", false},
    {"tflm/mnist_lstm/trained_lstm_int8.tflite", false},
    {"mlperf_tiny/kws/kws_ref_model.tflite", false},
    {"mlperf_tiny/kws/kws_ref_model_float32.tflite", true},
    {"mlperf_tiny/vww/vww_96_int8.tflite", false},
    {"mlperf_tiny/vww/vww_96_float.tflite", true},
    {"mlperf_tiny/ic/pretrainedResnet_quant.tflite", false},
    {"mlperf_tiny/ic/pretrainedResnet.tflite", true},
    {"mlperf_tiny/sww/str_ww_ref_model.tflite", false},
};

class MicroCoreGoldens : public testing::TestWithParam<Case> {};

TEST_P(MicroCoreGoldens, MatchesTfLite) {
  const Case& c = GetParam();
  const std::string model_path = Shared() + "/models/" + c.model;
  const std::string golden = Shared() + "/goldens/" + c.model;
  std::vector<uint8_t> file;
  if (!ReadFile(model_path, &file)) GTEST_SKIP() << "no " << model_path;
  const Bytes model = Aligned(file, file.size());
  std::vector<uint8_t> arena(4 << 20);
  MicroInterpreter interp(model.data(), model.size, Resolver(), arena.data(), arena.size());
  ASSERT_EQ(interp.AllocateTensors(), StatusCode::kOk) << interp.error();
  EXPECT_GT(interp.arena_used_bytes(), interp.activation_bytes());
  for (size_t i = 0; i < interp.inputs_size(); ++i) {
    std::vector<uint8_t> in;
    ASSERT_TRUE(ReadFile(golden + "/input_" + std::to_string(i) + ".bin", &in));
    Tensor* t = interp.input(i);
    ASSERT_EQ(t->bytes, in.size()) << "input " << i;
    memcpy(t->data, in.data(), in.size());
  }
  ASSERT_EQ(interp.Invoke(), StatusCode::kOk) << interp.error();
  ASSERT_GT(interp.outputs_size(), 0u);
  for (size_t o = 0; o < interp.outputs_size(); ++o) {
    std::vector<uint8_t> want;
    ASSERT_TRUE(ReadFile(golden + "/output_" + std::to_string(o) + ".bin", &want));
    const Tensor* t = interp.output(o);
    ASSERT_EQ(t->bytes, want.size()) << "output " << o;
    if (c.float_out && t->type == DataType::kFloat32) {
      const float* got = t->data_as<float>();
      const float* ref = reinterpret_cast<const float*>(want.data());
      const size_t n = want.size() / sizeof(float);
      double scale = 1, err = 0;
      for (size_t k = 0; k < n; ++k) scale = std::max(scale, std::fabs(double{ref[k]}));
      for (size_t k = 0; k < n; ++k) err = std::max(err, std::fabs(double{got[k]} - ref[k]));
      EXPECT_LE(err, 1e-4 * scale) << "output " << o;
    } else {
      EXPECT_EQ(memcmp(t->data, want.data(), want.size()), 0) << "output " << o;
    }
  }
  // Reset restores the initial state: the same input gives the same output again.
  std::vector<uint8_t> first(interp.output(0)->bytes);
  memcpy(first.data(), interp.output(0)->data, first.size());
  ASSERT_EQ(interp.Reset(), StatusCode::kOk);
  ASSERT_EQ(interp.Invoke(), StatusCode::kOk);
  EXPECT_EQ(memcmp(first.data(), interp.output(0)->data, first.size()), 0);

  // The arena it reported is exactly enough; one alignment step less is not, and says so.
  const size_t need = interp.arena_used_bytes();
  {
    std::vector<uint8_t> exact(need + 16);
    uint8_t* base = exact.data() + (16 - reinterpret_cast<uintptr_t>(exact.data()) % 16) % 16;
    MicroInterpreter fits(model.data(), model.size, Resolver(), base, need);
    EXPECT_EQ(fits.AllocateTensors(), StatusCode::kOk) << fits.error();
    MicroInterpreter short_one(model.data(), model.size, Resolver(), base, need - 16);
    EXPECT_EQ(short_one.AllocateTensors(), StatusCode::kResourceExhausted);
    EXPECT_GT(short_one.arena_needed_bytes(), need - 16);
    EXPECT_LE(short_one.arena_needed_bytes(), need);
    EXPECT_NE(strstr(short_one.error(), "arena too small"), nullptr) << short_one.error();
  }
}

INSTANTIATE_TEST_SUITE_P(Models, MicroCoreGoldens, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.model;
                           for (char& ch : name)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

// Runs bytes through AllocateTensors and Invoke; only the absence of a crash (under the
// sanitizers) and a consistent answer are checked: an error or kOk, never anything else.
StatusCode Try(const uint8_t* data, size_t size, std::vector<uint8_t>* arena) {
  MicroInterpreter interp(data, size, Resolver(), arena->data(), arena->size());
  const StatusCode c = interp.AllocateTensors();
  if (c != StatusCode::kOk) {
    EXPECT_NE(interp.error()[0], '\0');
    return c;
  }
  for (size_t i = 0; i < interp.inputs_size(); ++i)
    memset(interp.input(i)->data, 0, interp.input(i)->bytes);
  return interp.Invoke();
}

std::vector<uint8_t> HelloWorld() {
  std::vector<uint8_t> file;
  ReadFile(Shared() + "/models/tflm/hello_world/hello_world_int8.tflite", &file);
  return file;
}

// Models mutated byte by byte: a FULLY_CONNECTED one, and one with CONV_2D, DEPTHWISE_CONV_2D,
// RESHAPE and SOFTMAX (options tables the ops verify on first read).
class MicroCoreMutations : public testing::TestWithParam<const char*> {};

TEST_P(MicroCoreMutations, EveryTruncationIsRefused) {
  std::vector<uint8_t> file;
  if (!ReadFile(Shared() + "/models/" + GetParam(), &file)) GTEST_SKIP() << "no model";
  std::vector<uint8_t> arena(256 << 10);
  int refused = 0;
  for (size_t size = 0; size < file.size(); ++size) {
    const Bytes b = Aligned(file, size);
    if (Try(b.data(), size, &arena) != StatusCode::kOk) ++refused;
  }
  // The root and model tables are at the start, the weights the tensors reference at the end:
  // any cut loses something the micro core reads, so every truncation must be refused.
  EXPECT_EQ(refused, static_cast<int>(file.size()));
}

TEST_P(MicroCoreMutations, BitFlipsNeverCrash) {
  std::vector<uint8_t> file;
  if (!ReadFile(Shared() + "/models/" + GetParam(), &file)) GTEST_SKIP() << "no model";
  std::vector<uint8_t> arena(256 << 10);
  int refused = 0, runs = 0;
  Bytes b = Aligned(file, file.size());
  // Small models: bits 0, 3 and 6 of every byte; larger ones (each run costs more): one bit
  // of every other byte, a different bit each time.
  const bool small = file.size() < 8192;
  for (size_t at = 0; at < file.size(); at += small ? 1 : 2) {
    for (int bit = small ? 0 : static_cast<int>(at / 2 % 8); bit < 8; bit += small ? 3 : 8) {
      b.data()[at] ^= static_cast<uint8_t>(1u << bit);
      ++runs;
      if (Try(b.data(), b.size, &arena) != StatusCode::kOk) ++refused;
      b.data()[at] ^= static_cast<uint8_t>(1u << bit);
    }
  }
  // Flips in weights or names leave a valid model; flips in the tables mostly do not.
  EXPECT_GT(refused, 0);
  EXPECT_LT(refused, runs);
  EXPECT_EQ(Try(b.data(), b.size, &arena), StatusCode::kOk);  // restored
  printf("[ mutations ] %s: %d of %d bit flips refused\n", GetParam(), refused, runs);
}

INSTANTIATE_TEST_SUITE_P(Models, MicroCoreMutations,
                         testing::Values("tflm/hello_world/hello_world_int8.tflite",
                                         "tflm/micro_speech/micro_speech_quantized.tflite"));

TEST(MicroCoreMalformed, GarbageAndHostileWords) {
  std::vector<uint8_t> arena(64 << 10);
  // Not a model at all.
  alignas(8) static const uint8_t zeros[64] = {};
  EXPECT_EQ(Try(zeros, sizeof(zeros), &arena), StatusCode::kInvalidModel);
  // Every 4-byte word of a real model replaced by values that break offsets, counts and sizes.
  const std::vector<uint8_t> file = HelloWorld();
  if (file.empty()) GTEST_SKIP() << "no hello_world model";
  Bytes b = Aligned(file, file.size());
  const uint32_t hostile[] = {0xffffffffu, 0x80000000u, 0x7fffffffu, 0xfffffffcu, 0x10000u};
  for (size_t at = 0; at + 4 <= file.size(); at += 4) {
    uint32_t saved;
    memcpy(&saved, b.data() + at, 4);
    for (uint32_t v : hostile) {
      memcpy(b.data() + at, &v, 4);
      Try(b.data(), b.size, &arena);
    }
    memcpy(b.data() + at, &saved, 4);
  }
}

TEST(MicroCore, ContractErrors) {
  const std::vector<uint8_t> file = HelloWorld();
  if (file.empty()) GTEST_SKIP() << "no hello_world model";
  const Bytes b = Aligned(file, file.size());
  std::vector<uint8_t> arena(64 << 10);
  {
    MicroInterpreter interp(nullptr, 100, Resolver(), arena.data(), arena.size());
    EXPECT_EQ(interp.AllocateTensors(), StatusCode::kInvalidArgument);
    EXPECT_EQ(interp.Invoke(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(interp.input(0), nullptr);
  }
  {
    MicroInterpreter interp(b.data() + 4, b.size - 4, Resolver(), arena.data(), arena.size());
    EXPECT_EQ(interp.AllocateTensors(), StatusCode::kInvalidArgument);  // not 8-byte aligned
  }
  {
    micro::MicroOpResolver<1> none;
    MicroInterpreter interp(b.data(), b.size, none, arena.data(), arena.size());
    EXPECT_EQ(interp.AllocateTensors(), StatusCode::kUnsupported);
    EXPECT_NE(strstr(interp.error(), "operator 0 (builtin code 9 v4)"), nullptr) << interp.error();
    EXPECT_EQ(interp.AllocateTensors(), StatusCode::kFailedPrecondition);  // only reports now
  }
  {
    OpResolver maps;  // not a MicroOpResolver
    MicroInterpreter interp(b.data(), b.size, maps, arena.data(), arena.size());
    EXPECT_EQ(interp.AllocateTensors(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace edgelite

// The micro log's output (micro/platform on firmware): stderr on the host.
extern "C" void edgelite_micro_write(const char* s) { fputs(s, stderr); }
