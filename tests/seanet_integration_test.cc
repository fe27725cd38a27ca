// TFLM's SEANet integration tests (../shared/models/tflm/integration_tests_seanet):
// one-op int16 models, each folder NAME.tflite with its inputs and TFLM's
// outputs as CSV lines (NAME_input<N>_<type>.csv, NAME_golden_<type>.csv).
// Integer outputs must match exactly.
//
// This test covers the elementwise and data-movement folders (kFolders);
// tests/seanet_layers_test.cc covers CONV_2D, TRANSPOSE_CONV and QUANTIZE.
// Every model in kFolders must run and match exactly.
#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

const char* const kFolders[] = {"add", "leaky_relu", "pad", "strided_slice", "sub"};

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') names.push_back(e->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

bool ReadCsv(const std::string& path, std::vector<int64_t>* values) {
  std::vector<uint8_t> bytes;
  if (!testing::ReadFile(path, &bytes)) return false;
  std::string text(bytes.begin(), bytes.end());
  values->clear();
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    const long long v = strtoll(p, &end, 10);
    if (end == p) {
      ++p;
      continue;
    }
    values->push_back(v);
    p = end;
  }
  return true;
}

// Finds "<stem>_<kind>_<type>.csv" in `files`; returns the type ("" if none).
std::string FindCsv(const std::vector<std::string>& files, const std::string& prefix) {
  for (const std::string& f : files) {
    if (f.rfind(prefix, 0) == 0 && f.size() > 4 && f.compare(f.size() - 4, 4, ".csv") == 0)
      return f;
  }
  return "";
}

template <typename T>
void Store(Tensor* t, const std::vector<int64_t>& v) {
  T* p = t->data_as<T>();
  for (size_t i = 0; i < v.size(); ++i) p[i] = static_cast<T>(v[i]);
}

int64_t Load(const Tensor* t, int64_t i) {
  switch (t->type) {
    case DataType::kInt8:
      return t->data_as<int8_t>()[i];
    case DataType::kUInt8:
      return t->data_as<uint8_t>()[i];
    case DataType::kInt16:
      return t->data_as<int16_t>()[i];
    case DataType::kInt32:
      return t->data_as<int32_t>()[i];
    case DataType::kInt64:
      return t->data_as<int64_t>()[i];
    default:
      return 0;
  }
}

bool StoreAny(Tensor* t, const std::vector<int64_t>& v) {
  if (static_cast<int64_t>(v.size()) != t->num_elements()) return false;
  switch (t->type) {
    case DataType::kInt8:
      Store<int8_t>(t, v);
      return true;
    case DataType::kUInt8:
      Store<uint8_t>(t, v);
      return true;
    case DataType::kInt16:
      Store<int16_t>(t, v);
      return true;
    case DataType::kInt32:
      Store<int32_t>(t, v);
      return true;
    case DataType::kInt64:
      Store<int64_t>(t, v);
      return true;
    default:
      return false;
  }
}

TEST(SeanetIntegrationTest, Int16ModelsMatchTflmGoldensExactly) {
  EDGELITE_REQUIRE_SHARED();
  const std::string root = testing::SharedDir() + "/models/tflm/integration_tests_seanet";
  if (ListDir(root).empty()) GTEST_SKIP() << "no " << root;
  int pass = 0, unsupported = 0, total = 0;
  for (const std::string folder : kFolders) {
    const std::string dir = root + "/" + folder;
    const std::vector<std::string> files = ListDir(dir);
    int folder_pass = 0;
    for (const std::string& f : files) {
      if (f.size() < 8 || f.compare(f.size() - 7, 7, ".tflite") != 0) continue;
      const std::string stem = f.substr(0, f.size() - 7);
      SCOPED_TRACE(folder + "/" + f);
      ++total;
      auto model = Model::FromFile((dir + "/" + f).c_str());
      ASSERT_TRUE(model.ok()) << model.status().ToString();
      BuiltinOpResolver resolver;
      auto interp = Interpreter::Create(**model, resolver);
      Status s = interp.ok() ? (*interp)->AllocateTensors() : interp.status();
      if (s.ok()) {
        Interpreter& in = **interp;
        for (int i = 0; i < in.num_inputs(); ++i) {
          const std::string csv = FindCsv(files, stem + "_input" + std::to_string(i) + "_");
          ASSERT_FALSE(csv.empty()) << "no CSV for input " << i;
          std::vector<int64_t> v;
          ASSERT_TRUE(ReadCsv(dir + "/" + csv, &v));
          ASSERT_TRUE(StoreAny(in.input(i), v))
              << csv << ": " << v.size() << " values for " << in.input(i)->num_elements()
              << " elements of " << DataTypeName(in.input(i)->type);
        }
        s = in.Invoke();
      }
      if (s.code() == StatusCode::kUnsupported) {
        ++unsupported;
        printf("  unsupported %s/%s: %s\n", folder.c_str(), f.c_str(), s.message().c_str());
        ADD_FAILURE() << s.ToString();
        continue;
      }
      ASSERT_TRUE(s.ok()) << s.ToString();
      Interpreter& in = **interp;
      ASSERT_EQ(in.num_outputs(), 1);
      const std::string csv = FindCsv(files, stem + "_golden_");
      ASSERT_FALSE(csv.empty());
      std::vector<int64_t> golden;
      ASSERT_TRUE(ReadCsv(dir + "/" + csv, &golden));
      const Tensor* out = in.output(0);
      ASSERT_EQ(static_cast<int64_t>(golden.size()), out->num_elements());
      int64_t diffs = 0, max_diff = 0;
      for (int64_t i = 0; i < out->num_elements(); ++i) {
        const int64_t d = std::llabs(Load(out, i) - golden[i]);
        diffs += d != 0;
        max_diff = std::max(max_diff, d);
      }
      EXPECT_EQ(diffs, 0) << diffs << " of " << out->num_elements() << " outputs differ, max by "
                          << max_diff;
      if (diffs == 0) {
        ++pass;
        ++folder_pass;
      }
    }
    printf("  %-16s %d exact\n", folder.c_str(), folder_pass);
    EXPECT_GT(folder_pass, 0) << "no model found in " << dir;
  }
  printf("seanet: %d models, %d exact, %d unsupported\n", total, pass, unsupported);
  EXPECT_GT(pass, 0);
}

}  // namespace
}  // namespace edgelite
