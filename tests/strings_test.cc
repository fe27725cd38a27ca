// String tensors: the packed layout (edgelite/strings.h), SetStringTensor, and
// the ops that move strings (RESHAPE, GATHER) on the corpus's string models.
// Expected values are the models' defined semantics applied to our inputs.
#include <string>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "edgelite/strings.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

std::vector<std::string> ReadStrings(const Tensor& t) {
  std::vector<std::string> out;
  const int32_t n = NumStrings(t);
  for (int32_t i = 0; i < n; ++i) {
    const StringRef r = GetString(t, i);
    out.emplace_back(r.data, r.size);
  }
  return out;
}

TEST(Strings, PackAndReadBack) {
  const StringRef in[] = {{"", 0}, {"abc", 3}, {"\0x", 2}};
  std::vector<uint8_t> buf(PackedStringBytes(in, 3));
  // Layout: count, 4 offsets, 5 bytes.
  ASSERT_EQ(buf.size(), 4u + 4 * 4 + 5);
  PackStrings(in, 3, buf.data());
  ASSERT_EQ(NumPackedStrings(buf.data(), buf.size()), 3);
  EXPECT_EQ(GetPackedString(buf.data(), 0).size, 0u);
  EXPECT_EQ(std::string(GetPackedString(buf.data(), 1).data, 3), "abc");
  EXPECT_EQ(std::string(GetPackedString(buf.data(), 2).data, 2), std::string("\0x", 2));
  // Malformed buffers are refused.
  EXPECT_EQ(NumPackedStrings(buf.data(), 3), -1);
  buf[8] = 0xFF;  // second offset past the end
  EXPECT_EQ(NumPackedStrings(buf.data(), buf.size()), -1);
}

TEST(Strings, GatherStringModel) {
  EDGELITE_REQUIRE_SHARED();
  const std::string path =
      testing::SharedDir() + "/models/litert/litert_testdata/gather_string.tflite";
  auto model = Model::FromFile(path.c_str());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  BuiltinOpResolver resolver;
  auto created = Interpreter::Create(**model, resolver);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Interpreter& in = **created;
  ASSERT_TRUE(in.AllocateTensors().ok());
  // Invoking before the strings are set is an error, not a crash.
  EXPECT_FALSE(in.Invoke().ok());
  std::vector<std::string> words = {"zero", "one", "two", "", "four", "five", "six", "seven",
                                    "eight", "nine"};
  std::vector<StringRef> refs;
  for (const auto& w : words) refs.push_back({w.data(), w.size()});
  EXPECT_FALSE(in.SetStringTensor(in.input_tensor_index(0), refs.data(), 3).ok());  // count
  EXPECT_FALSE(in.SetStringTensor(in.input_tensor_index(1), refs.data(), 3).ok());  // not string
  ASSERT_TRUE(in.SetStringTensor(in.input_tensor_index(0), refs.data(), 10).ok());
  int64_t* idx = in.input(1)->data_as<int64_t>();
  idx[0] = 7;
  idx[1] = 3;
  idx[2] = 0;
  ASSERT_TRUE(in.Invoke().ok());
  EXPECT_EQ(ReadStrings(*in.output(0)), (std::vector<std::string>{"seven", "", "zero"}));
  idx[1] = 10;  // out of range
  EXPECT_FALSE(in.Invoke().ok());
}

TEST(Strings, ReshapeStringModel) {
  EDGELITE_REQUIRE_SHARED();
  const std::string path = testing::SharedDir() + "/models/litert/java_testdata/string.bin";
  auto model = Model::FromFile(path.c_str());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  BuiltinOpResolver resolver;
  auto created = Interpreter::Create(**model, resolver);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Interpreter& in = **created;
  ASSERT_TRUE(in.AllocateTensors().ok());
  const int64_t n = in.input(0)->num_elements();
  std::vector<std::string> words;
  for (int64_t k = 0; k < n; ++k) words.push_back("w" + std::to_string(k * 7));
  std::vector<StringRef> refs;
  for (const auto& w : words) refs.push_back({w.data(), w.size()});
  ASSERT_TRUE(in.SetStringTensor(in.input_tensor_index(0), refs.data(),
                                 static_cast<int32_t>(n)).ok());
  ASSERT_TRUE(in.Invoke().ok());
  // A reshape keeps the row-major order of the elements.
  EXPECT_EQ(in.output(0)->num_elements(), n);
  EXPECT_EQ(ReadStrings(*in.output(0)), words);
}

}  // namespace
}  // namespace edgelite
