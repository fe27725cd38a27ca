// TFLM's seanet integration tests (../shared/models/tflm/integration_tests_seanet):
// single-layer int16 models (16x8 CONV_2D and TRANSPOSE_CONV, int16<->int32
// QUANTIZE) with inputs and TFLM's outputs as CSV files beside each model:
//   NAME.tflite, NAME_input<i>_<type>.csv (one per model input, in order),
//   NAME_golden_<type>.csv (the single output).
// Every output must match byte for byte (TFLM runs TFLite's reference
// integer kernels with the default double rounding).
#include <dirent.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

bool ReadCsvInts(const std::string& path, std::vector<int64_t>* out) {
  std::vector<uint8_t> bytes;
  if (!testing::ReadFile(path, &bytes)) return false;
  std::string text(bytes.begin(), bytes.end());
  out->clear();
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    const long long v = strtoll(p, &end, 10);
    if (end == p) {
      ++p;  // separator
      continue;
    }
    out->push_back(v);
    p = end;
  }
  return true;
}

// The file in `dir` whose name starts with `prefix` and ends in ".csv".
std::string FindCsv(const std::string& dir, const std::string& prefix) {
  std::string found;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.compare(0, prefix.size(), prefix) == 0 && name.size() > 4 &&
          name.compare(name.size() - 4, 4, ".csv") == 0)
        found = dir + "/" + name;
    }
    closedir(d);
  }
  return found;
}

template <typename T>
void Store(Tensor* t, const std::vector<int64_t>& v) {
  for (size_t i = 0; i < v.size(); ++i) t->data_as<T>()[i] = static_cast<T>(v[i]);
}

template <typename T>
int64_t CountDiffs(const Tensor* t, const std::vector<int64_t>& v, int64_t* max_diff) {
  int64_t n = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const int64_t d = static_cast<int64_t>(t->data_as<T>()[i]) - v[i];
    if (d != 0) ++n;
    if (std::llabs(d) > *max_diff) *max_diff = std::llabs(d);
  }
  return n;
}

void RunFolder(const std::string& folder, int* models_run) {
  const std::string dir =
      testing::SharedDir() + "/models/tflm/integration_tests_seanet/" + folder;
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 7 && name.compare(name.size() - 7, 7, ".tflite") == 0)
        names.push_back(name.substr(0, name.size() - 7));
    }
    closedir(d);
  }
  ASSERT_FALSE(names.empty()) << "no models in " << dir;
  for (const std::string& name : names) {
    SCOPED_TRACE(folder + "/" + name);
    auto model = Model::FromFile((dir + "/" + name + ".tflite").c_str());
    ASSERT_TRUE(model.ok()) << model.status().message();
    BuiltinOpResolver resolver;
    auto interp = Interpreter::Create(**model, resolver);
    ASSERT_TRUE(interp.ok()) << interp.status().message();
    Interpreter& it = **interp;
    const Status alloc = it.AllocateTensors();
    ASSERT_TRUE(alloc.ok()) << alloc.message();
    for (int i = 0; i < it.num_inputs(); ++i) {
      const std::string csv = FindCsv(dir, name + "_input" + std::to_string(i) + "_");
      ASSERT_FALSE(csv.empty()) << "missing input " << i;
      std::vector<int64_t> values;
      ASSERT_TRUE(ReadCsvInts(csv, &values));
      Tensor* t = it.input(i);
      ASSERT_EQ(static_cast<int64_t>(values.size()), t->num_elements()) << csv;
      switch (t->type) {
        case DataType::kInt16: Store<int16_t>(t, values); break;
        case DataType::kInt32: Store<int32_t>(t, values); break;
        case DataType::kInt8: Store<int8_t>(t, values); break;
        default: FAIL() << "unexpected input type " << DataTypeName(t->type);
      }
    }
    const Status st = it.Invoke();
    ASSERT_TRUE(st.ok()) << st.message();
    std::vector<int64_t> golden;
    ASSERT_TRUE(ReadCsvInts(FindCsv(dir, name + "_golden_"), &golden));
    const Tensor* out = it.output(0);
    ASSERT_EQ(static_cast<int64_t>(golden.size()), out->num_elements());
    int64_t max_diff = 0, diffs = 0;
    switch (out->type) {
      case DataType::kInt16: diffs = CountDiffs<int16_t>(out, golden, &max_diff); break;
      case DataType::kInt32: diffs = CountDiffs<int32_t>(out, golden, &max_diff); break;
      case DataType::kInt8: diffs = CountDiffs<int8_t>(out, golden, &max_diff); break;
      default: FAIL() << "unexpected output type " << DataTypeName(out->type);
    }
    EXPECT_EQ(diffs, 0) << diffs << " of " << golden.size() << " elements differ (max "
                        << max_diff << ")";
    ++*models_run;
  }
}

TEST(SeanetLayersTest, Conv16x8MatchesTflmBitExact) {
  EDGELITE_REQUIRE_SHARED();
  int n = 0;
  RunFolder("conv", &n);
  EXPECT_EQ(n, 22);
}

TEST(SeanetLayersTest, TransposeConv16x8MatchesTflmBitExact) {
  EDGELITE_REQUIRE_SHARED();
  int n = 0;
  RunFolder("transpose_conv", &n);
  EXPECT_EQ(n, 5);
}

TEST(SeanetLayersTest, QuantizeInt16Int32MatchesTflmBitExact) {
  EDGELITE_REQUIRE_SHARED();
  int n = 0;
  RunFolder("quantize", &n);
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace edgelite
