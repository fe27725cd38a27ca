// Lazy verification of builtin options tables (ModelLimits::lazy_options_verification, always
// on in the micro profile): load verifies every table but the options tables' fields; the op
// verifies its options table on first read (ops::Options<T>), and a malformed table fails
// AllocateTensors with an error naming the op. The malformed files are valid models patched
// by hand (one length or offset word), so the expected outcome is known exactly.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace edgelite {
namespace {

#if EDGELITE_MICRO
constexpr bool kFullVerification = false;  // the micro profile always verifies lazily
#else
constexpr bool kFullVerification = true;
#endif

ModelLimits Lazy() {
  ModelLimits l;
  l.lazy_options_verification = true;
  return l;
}

// float [1, 2, 1, 3] -> SQUEEZE(squeeze_dims = {-2}) -> [1, 2, 3].
std::vector<uint8_t> SqueezeModel() {
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {1, 2, 1, 3}, "x");
  const int y = b.AddTensor(DataType::kFloat32, {1, 2, 3}, "y");
  fb::SqueezeOptionsT o;
  o.squeeze_dims = {-2};
  b.AddOperator(fb::BuiltinOperator::SQUEEZE, {x}, {y}, MakeOptions(o));
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

const fb::Operator* FirstOp(std::vector<uint8_t>& bytes) {
  return fb::GetModel(bytes.data())->subgraphs()->Get(0)->operators()->Get(0);
}

Status LoadAllocateInvoke(const std::vector<uint8_t>& bytes, const ModelLimits& limits,
                          Status* load = nullptr) {
  auto m = Model::FromBuffer(bytes.data(), bytes.size(), limits);
  if (load != nullptr) *load = m.ok() ? Status::Ok() : m.status();
  if (!m.ok()) return m.status();
  static const BuiltinOpResolver* resolver = new BuiltinOpResolver();  // built once: ~200 ops
  auto i = Interpreter::Create(**m, *resolver);
  if (!i.ok()) return i.status();
  EDGELITE_RETURN_IF_ERROR((*i)->AllocateTensors());
  return (*i)->Invoke();
}

void ExpectMentions(const Status& s, const std::vector<std::string>& parts) {
  for (const auto& p : parts)
    EXPECT_NE(s.message().find(p), std::string::npos) << "'" << p << "' not in: " << s.ToString();
}

TEST(LazyOptions, ValidModelRunsAndIsMarkedLazy) {
  std::vector<uint8_t> bytes = SqueezeModel();
  auto full = Model::FromBuffer(bytes.data(), bytes.size());
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ((*full)->options_verified(), kFullVerification);
  auto lazy = Model::FromBuffer(bytes.data(), bytes.size(), Lazy());
  ASSERT_TRUE(lazy.ok()) << lazy.status().ToString();
  EXPECT_FALSE((*lazy)->options_verified());
  BuiltinOpResolver resolver;
  auto interp = Interpreter::Create(**lazy, resolver);
  ASSERT_TRUE(interp.ok());
  ASSERT_TRUE((*interp)->AllocateTensors().ok());
  const Tensor* y = (*interp)->output(0);
  ASSERT_EQ(y->shape.rank, 3);
  EXPECT_EQ(y->shape.dims[2], 3);
  ASSERT_TRUE((*interp)->Invoke().ok());
  ASSERT_TRUE((*interp)->Invoke().ok());  // eval reads the options again: cached, still fine
}

// squeeze_dims' length word says 2^30 elements: the vector runs past the end
// of the file. The full verifier rejects the file at load; the lazy one loads
// it and SQUEEZE's prepare, the first reader, fails with an error naming it.
TEST(LazyOptions, MalformedOptionsVectorFailsAllocateNamingTheOp) {
  std::vector<uint8_t> bytes = SqueezeModel();
  const auto* opts = FirstOp(bytes)->builtin_options_as_SqueezeOptions();
  ASSERT_NE(opts, nullptr);
  ASSERT_NE(opts->squeeze_dims(), nullptr);
  auto* len = reinterpret_cast<uint8_t*>(const_cast<flatbuffers::Vector<int32_t>*>(
      opts->squeeze_dims()));
  const uint32_t huge = 1u << 30;
  memcpy(len, &huge, sizeof(huge));

  Status load;
  Status s = LoadAllocateInvoke(bytes, ModelLimits(), &load);
  if (kFullVerification) {
    EXPECT_EQ(load.code(), StatusCode::kInvalidModel) << load.ToString();
  }

  s = LoadAllocateInvoke(bytes, Lazy(), &load);
  ASSERT_TRUE(load.ok()) << load.ToString();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  ExpectMentions(s, {"subgraph 0", "operator 0", "SQUEEZE", "options", "malformed"});
}

// The options reference itself points past the end of the file: even the lazy
// verifier checks that the reference is a well-formed table, so load fails.
TEST(LazyOptions, OptionsReferenceOutOfBoundsFailsLoad) {
  std::vector<uint8_t> bytes = SqueezeModel();
  const fb::Operator* op = FirstOp(bytes);
  const auto* table = reinterpret_cast<const flatbuffers::Table*>(op);
  const flatbuffers::voffset_t field =
      table->GetOptionalFieldOffset(fb::Operator::VT_BUILTIN_OPTIONS);
  ASSERT_NE(field, 0);
  uint8_t* where = const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(op)) + field;
  const uint32_t far = static_cast<uint32_t>(bytes.size()) * 4;
  memcpy(where, &far, sizeof(far));
  Status load;
  (void)LoadAllocateInvoke(bytes, Lazy(), &load);
  EXPECT_EQ(load.code(), StatusCode::kInvalidModel) << load.ToString();
  (void)LoadAllocateInvoke(bytes, ModelLimits(), &load);
  EXPECT_EQ(load.code(), StatusCode::kInvalidModel) << load.ToString();
}

// An options table of a type the op does not read (ADD with a malformed
// SqueezeOptions table): no op reads it, so the lazy path never verifies it and
// the model runs with ADD's defaults, as TFLite runs it; the full verifier
// rejects the file.
TEST(LazyOptions, UnreadMalformedTableIsNeverRead) {
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {2}, "x");
  const int y = b.AddTensor(DataType::kFloat32, {2}, "y");
  fb::SqueezeOptionsT o;
  o.squeeze_dims = {0};
  b.AddOperator(fb::BuiltinOperator::ADD, {x, x}, {y}, MakeOptions(o));
  b.SetInputs({x});
  b.SetOutputs({y});
  std::vector<uint8_t> bytes = b.Finish();
  const auto* opts = FirstOp(bytes)->builtin_options_as_SqueezeOptions();
  ASSERT_NE(opts, nullptr);
  auto* len = reinterpret_cast<uint8_t*>(const_cast<flatbuffers::Vector<int32_t>*>(
      opts->squeeze_dims()));
  const uint32_t huge = 1u << 30;
  memcpy(len, &huge, sizeof(huge));
  Status load;
  (void)LoadAllocateInvoke(bytes, ModelLimits(), &load);
  if (kFullVerification) {
    EXPECT_EQ(load.code(), StatusCode::kInvalidModel);
  }
  Status s = LoadAllocateInvoke(bytes, Lazy(), &load);
  ASSERT_TRUE(load.ok()) << load.ToString();
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// A scalar field of CONCATENATION's options whose vtable entry points past the
// end of the file (an out-of-bounds read if it were read unverified): the lazy
// path fails AllocateTensors naming CONCATENATION.
TEST(LazyOptions, OutOfBoundsScalarFieldFailsAllocate) {
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {1, 2}, "x");
  const int y = b.AddTensor(DataType::kFloat32, {1, 4}, "y");
  fb::ConcatenationOptionsT o;
  o.axis = 1;
  b.AddOperator(fb::BuiltinOperator::CONCATENATION, {x, x}, {y}, MakeOptions(o));
  b.SetInputs({x});
  b.SetOutputs({y});
  std::vector<uint8_t> bytes = b.Finish();
  {
    Status s = LoadAllocateInvoke(bytes, Lazy());
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  const auto* opts = FirstOp(bytes)->builtin_options_as_ConcatenationOptions();
  ASSERT_NE(opts, nullptr);
  // The vtable: table start minus the signed offset stored at the table start.
  const uint8_t* table = reinterpret_cast<const uint8_t*>(opts);
  int32_t soff = 0;
  memcpy(&soff, table, sizeof(soff));
  uint8_t* vtable = const_cast<uint8_t*>(table - soff);
  uint16_t vsize = 0;
  memcpy(&vsize, vtable, sizeof(vsize));
  const size_t axis_entry = fb::ConcatenationOptions::VT_AXIS;
  ASSERT_LT(axis_entry + sizeof(uint16_t), static_cast<size_t>(vsize) + 1);
  const uint16_t past_end = 0xFFF0;  // the table starts well below bytes.size() - 0xFFF0
  ASSERT_LT(bytes.size(), static_cast<size_t>(table - bytes.data()) + past_end);
  memcpy(vtable + axis_entry, &past_end, sizeof(past_end));
  Status load;
  (void)LoadAllocateInvoke(bytes, ModelLimits(), &load);
  if (kFullVerification) {
    EXPECT_EQ(load.code(), StatusCode::kInvalidModel);
  }
  Status s = LoadAllocateInvoke(bytes, Lazy(), &load);
  ASSERT_TRUE(load.ok()) << load.ToString();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  ExpectMentions(s, {"operator 0", "CONCATENATION", "options", "malformed"});
}

// Bit flips of the SQUEEZE model (one per byte) fail or run on the lazy path too (under
// ASan: no out-of-bounds read), and whatever the full verifier accepts, the
// lazy path loads and runs too.
#if !EDGELITE_MICRO  // hundreds of loads: the desktop (and ASan) run it
TEST(LazyOptions, BitFlipsNeverCrashAndAgreeWithFullVerification) {
  const std::vector<uint8_t> bytes = SqueezeModel();
  int lazy_only = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {  // one bit per byte, all bit positions
    std::vector<uint8_t> mutated = bytes;
    mutated[i] ^= static_cast<uint8_t>(1u << (i % 8));
    const Status full = LoadAllocateInvoke(mutated, ModelLimits());
    const Status lazy = LoadAllocateInvoke(mutated, Lazy());
    if (full.ok()) {
      EXPECT_TRUE(lazy.ok()) << "bit " << i << ": " << lazy.ToString();
    } else if (lazy.ok()) {
      ++lazy_only;  // e.g. a flip in an options field no op reads
    }
  }
  printf("lazy options bit flips: %d accepted only by the lazy path\n", lazy_only);
}
#endif

}  // namespace
}  // namespace edgelite
