// Corpus test: every model with a golden in ../shared/goldens runs on the
// golden's inputs and its outputs are compared with TensorFlow Lite's
// (native build, reference kernels; see ../shared/goldens/README.md).
//
// For each folder G holding meta.json under goldens/, the model is
// models/<same relative path>. Outcomes:
//   pass         outputs within the bound below
//   unsupported  Interpreter::Create, AllocateTensors or Invoke returned
//                StatusCode::kUnsupported (ops or types not implemented yet):
//                recorded, not a failure
//   skipped      inputs larger than kMaxInputBytes (runtime), or no input file
//   FAIL         any other error, an output of the wrong shape, or an output
//                outside the bound
//
// Bound. Integer and bool outputs: exact. float32 outputs: per output,
//   max_i |ours_i - golden_i| <= kFloatTolerance * max(1, max_i |golden_i|).
// Both sides run float32 reference kernels; they differ only in summation
// order and in libm (exp/tanh/...), so the error is a few ULP of the largest
// magnitudes accumulated, growing with depth; 1e-4 of the output's scale
// leaves room for deep models (DeepLab, MobileNet: ~50 layers) while still
// catching any real mistake (a wrong padding, stride or activation changes
// outputs by a sizeable fraction of their scale). The table also prints
// max relative error = max_i |ours_i - golden_i| / max_i |golden_i| (error
// relative to the output's scale) so the actual figures can be quoted.
#include <ftw.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
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

constexpr double kFloatTolerance = 1e-4;
constexpr size_t kMaxInputBytes = size_t{50} << 20;  // 50 MB

// Models whose load or run must fail for reasons of their own (deliberately
// broken files that nevertheless have a golden folder). None known today.
const char* const kKnownBroken[] = {""};

// Goldens that are not TFLite's real answer: its reference resolver has no
// path for the model, and its output is an artefact. These are compared
// with an independent computation elsewhere (named in the reason).
struct Divergence {
  const char* model;
  const char* reason;
};
const Divergence kGoldenDiverges[] = {
    {"litert/litert_testdata/qwen_fc_blockwise_quantized.tflite",
     "TFLite's reference FULLY_CONNECTED has no blockwise-int4 path and outputs all zeros; "
     "checked against dequantized math in blockwise_fc_test.cc"},
};

struct Row {
  std::string model;
  std::string status;  // "pass", "FAIL: ...", "unsupported: ...", "skipped: ..."
  double max_abs = 0, max_rel = 0;
  bool compared = false;
  double ms = 0;
};

std::vector<std::string>* g_found = nullptr;
int CollectMeta(const char* path, const struct stat*, int type, struct FTW*) {
  if (type == FTW_F) {
    const size_t n = strlen(path);
    if (n >= 10 && strcmp(path + n - 10, "/meta.json") == 0)
      g_found->push_back(std::string(path, n - 10));
  }
  return 0;
}

// The golden input shapes, from meta.json ("inputs" come before "outputs"),
// for models with dynamic dimensions. A minimal scan: tests build without
// exceptions, so no JSON library; meta.json is written by a fixed script.
std::vector<std::vector<int32_t>> InputShapesFromMeta(const std::string& dir) {
  std::vector<std::vector<int32_t>> shapes;
  std::vector<uint8_t> bytes;
  if (!testing::ReadFile(dir + "/meta.json", &bytes)) return shapes;
  const std::string text(bytes.begin(), bytes.end());
  const size_t outputs = text.find("\"outputs\"");
  size_t pos = 0;
  while ((pos = text.find("\"shape\"", pos)) != std::string::npos && pos < outputs) {
    const size_t open = text.find('[', pos), close = text.find(']', pos);
    if (open == std::string::npos || close == std::string::npos || close < open) break;
    std::vector<int32_t> dims;
    const char* p = text.c_str() + open + 1;
    const char* end = text.c_str() + close;
    while (p < end) {
      char* next = nullptr;
      const long v = strtol(p, &next, 10);
      if (next == p) {
        ++p;
        continue;
      }
      dims.push_back(static_cast<int32_t>(v));
      p = next;
    }
    shapes.push_back(dims);
    pos = close;
  }
  return shapes;
}

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

bool IsUnsupported(const Status& s) { return s.code() == StatusCode::kUnsupported; }

Row RunOne(const std::string& shared, const std::string& rel) {
  Row row;
  row.model = rel;
  const std::string gdir = shared + "/goldens/" + rel;
  const std::string mpath = shared + "/models/" + rel;
  const bool known_broken =
      std::any_of(std::begin(kKnownBroken), std::end(kKnownBroken),
                  [&](const char* k) { return *k && rel == k; });
  auto model = Model::FromFile(mpath.c_str());
  if (!model.ok()) {
    row.status = (known_broken ? "known broken: " : "FAIL: load: ") + model.status().ToString();
    return row;
  }
  BuiltinOpResolver resolver;
  auto interp = Interpreter::Create(**model, resolver);
  if (!interp.ok()) {
    if (IsUnsupported(interp.status()))
      row.status = "unsupported: " + interp.status().message();
    else
      row.status = (known_broken ? "known broken: " : "FAIL: create: ") + interp.status().ToString();
    return row;
  }
  Interpreter& in = **interp;
  // Inputs: sizes first (skip huge ones), then resize dynamic inputs to the
  // golden's shapes if the files do not fit the declared ones.
  std::vector<std::vector<uint8_t>> inputs(in.num_inputs());
  size_t total = 0;
  for (int i = 0; i < in.num_inputs(); ++i) {
    struct stat st;
    const std::string f = gdir + "/input_" + std::to_string(i) + ".bin";
    if (stat(f.c_str(), &st) != 0) {
      row.status = "skipped: no " + f.substr(gdir.size() + 1);
      return row;
    }
    total += static_cast<size_t>(st.st_size);
  }
  if (total > kMaxInputBytes) {
    row.status = "skipped: inputs are " + std::to_string(total >> 20) + " MB (limit 50 MB)";
    return row;
  }
  for (int i = 0; i < in.num_inputs(); ++i)
    testing::ReadFile(gdir + "/input_" + std::to_string(i) + ".bin", &inputs[i]);
  Status s = in.AllocateTensors();
  if (s.ok()) {
    bool resized = false;
    const auto shapes = InputShapesFromMeta(gdir);
    for (int i = 0; i < in.num_inputs(); ++i) {
      if (in.input(i)->bytes == inputs[i].size() || i >= static_cast<int>(shapes.size())) continue;
      Shape shape;
      shape.rank = static_cast<int32_t>(shapes[i].size());
      if (shape.rank > kMaxRank) continue;
      for (int d = 0; d < shape.rank; ++d) shape.dims[d] = shapes[i][d];
      if (shape == in.input(i)->shape) continue;
      s = in.ResizeInputTensor(i, shape);
      if (!s.ok()) break;
      resized = true;
    }
    if (s.ok() && resized) s = in.AllocateTensors();
  }
  if (!s.ok()) {
    row.status = IsUnsupported(s) ? "unsupported: " + s.message()
                                  : (known_broken ? "known broken: " : "FAIL: allocate: ") + s.ToString();
    return row;
  }
  for (int i = 0; i < in.num_inputs(); ++i) {
    Tensor* t = in.input(i);
    if (t->bytes != inputs[i].size()) {
      row.status = "FAIL: input " + std::to_string(i) + " needs " + std::to_string(t->bytes) +
                   " bytes, golden has " + std::to_string(inputs[i].size());
      return row;
    }
    if (t->bytes) memcpy(t->data, inputs[i].data(), t->bytes);
  }
  const auto t0 = std::chrono::steady_clock::now();
  s = in.Invoke();
  row.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!s.ok()) {
    row.status = IsUnsupported(s) ? "unsupported: " + s.message()
                                  : (known_broken ? "known broken: " : "FAIL: invoke: ") + s.ToString();
    return row;
  }
  std::string problems;
  for (int o = 0; o < in.num_outputs(); ++o) {
    const Tensor* t = in.output(o);
    std::vector<uint8_t> golden;
    const std::string f = gdir + "/output_" + std::to_string(o) + ".bin";
    if (!testing::ReadFile(f, &golden)) {
      problems += " output " + std::to_string(o) + ": no golden file;";
      continue;
    }
    if (golden.size() != t->bytes) {
      char shape[64];
      problems += " output " + std::to_string(o) + " " + t->shape.ToString(shape, sizeof(shape)) +
                  " has " + std::to_string(t->bytes) + " bytes, golden " +
                  std::to_string(golden.size()) + ";";
      continue;
    }
    row.compared = true;
    if (t->type == DataType::kFloat32) {
      const size_t n = golden.size() / sizeof(float);
      std::vector<float> g(n);
      if (n) memcpy(g.data(), golden.data(), golden.size());
      const float* a = t->data_as<float>();
      double max_abs = 0, scale = 0;
      size_t nan_mismatch = 0;
      for (size_t k = 0; k < n; ++k) {
        if (std::isnan(g[k]) || std::isnan(a[k])) {
          if (std::isnan(g[k]) != std::isnan(a[k])) ++nan_mismatch;
          continue;
        }
        if (std::isinf(g[k]) || std::isinf(a[k])) {
          if (g[k] != a[k]) ++nan_mismatch;
          continue;
        }
        max_abs = std::max(max_abs, std::fabs(static_cast<double>(a[k]) - g[k]));
        scale = std::max(scale, std::fabs(static_cast<double>(g[k])));
      }
      const double rel = scale > 0 ? max_abs / scale : max_abs;
      row.max_abs = std::max(row.max_abs, max_abs);
      row.max_rel = std::max(row.max_rel, rel);
      if (nan_mismatch)
        problems += " output " + std::to_string(o) + ": " + std::to_string(nan_mismatch) +
                    " NaN/Inf mismatches;";
      if (max_abs > kFloatTolerance * std::max(1.0, scale))
        problems += " output " + std::to_string(o) + ": max abs err " + Fmt("%.3g", max_abs) +
                    " > bound " + Fmt("%.3g", kFloatTolerance * std::max(1.0, scale)) + ";";
    } else if (memcmp(golden.data(), t->data, golden.size()) != 0) {
      // Integer, bool and other exact types: report the largest difference.
      double max_abs = 0;
      size_t diffs = 0;
      const size_t es = DataTypeSize(t->type);
      for (size_t k = 0; es && k < golden.size() / es; ++k) {
        if (memcmp(golden.data() + k * es, static_cast<const uint8_t*>(t->data) + k * es, es) == 0)
          continue;
        ++diffs;
        int64_t x = 0, y = 0;
        switch (t->type) {
          case DataType::kInt8: x = static_cast<const int8_t*>(t->data)[k]; y = reinterpret_cast<const int8_t*>(golden.data())[k]; break;
          case DataType::kUInt8: case DataType::kBool: x = static_cast<const uint8_t*>(t->data)[k]; y = golden[k]; break;
          case DataType::kInt16: { int16_t u, v; memcpy(&u, static_cast<const uint8_t*>(t->data) + 2 * k, 2); memcpy(&v, golden.data() + 2 * k, 2); x = u; y = v; break; }
          case DataType::kInt32: { int32_t u, v; memcpy(&u, static_cast<const uint8_t*>(t->data) + 4 * k, 4); memcpy(&v, golden.data() + 4 * k, 4); x = u; y = v; break; }
          case DataType::kInt64: { memcpy(&x, static_cast<const uint8_t*>(t->data) + 8 * k, 8); memcpy(&y, golden.data() + 8 * k, 8); break; }
          default: x = 1; y = 0; break;
        }
        max_abs = std::max(max_abs, std::fabs(static_cast<double>(x) - static_cast<double>(y)));
      }
      row.max_abs = std::max(row.max_abs, max_abs);
      problems += " output " + std::to_string(o) + " (" + DataTypeName(t->type) + "): " +
                  std::to_string(diffs) + " elements differ (max " + Fmt("%.0f", max_abs) + ");";
    }
  }
  const Divergence* diverges = nullptr;
  for (const Divergence& d : kGoldenDiverges)
    if (rel == d.model) diverges = &d;
  if (!problems.empty() && diverges != nullptr) {
    row.status = std::string("golden diverges: ") + diverges->reason + " (" + problems + ")";
    return row;
  }
  row.status = problems.empty() ? "pass" : (known_broken ? "known broken:" : "FAIL:") + problems;
  return row;
}

TEST(ModelsTest, GoldensMatchTfliteReferenceKernels) {
  EDGELITE_REQUIRE_SHARED();
  const std::string shared = testing::SharedDir();
  std::vector<std::string> dirs;
  g_found = &dirs;
  const std::string root = shared + "/goldens";
  nftw(root.c_str(), CollectMeta, 16, FTW_PHYS);
  g_found = nullptr;
  std::sort(dirs.begin(), dirs.end());
  ASSERT_FALSE(dirs.empty()) << "no meta.json under " << root;
  // EDGELITE_MODELS_FILTER=a,b: only goldens whose path contains one of the comma-separated
  // strings (the qemu-aarch64 runs use a few small integer models; tests/CMakeLists.txt).
  if (const char* filter = std::getenv("EDGELITE_MODELS_FILTER")) {
    std::vector<std::string> keys;
    for (const char* p = filter; *p != '\0';) {
      const char* e = std::strchr(p, ',');
      const size_t len = e ? static_cast<size_t>(e - p) : std::strlen(p);
      if (len > 0) keys.emplace_back(p, len);
      p += len + (e ? 1 : 0);
    }
    std::vector<std::string> kept;
    for (const std::string& d : dirs)
      for (const std::string& k : keys)
        if (d.find(k, root.size()) != std::string::npos) {
          kept.push_back(d);
          break;
        }
    printf("EDGELITE_MODELS_FILTER=%s: %zu of %zu goldens\n", filter, kept.size(), dirs.size());
    ASSERT_FALSE(kept.empty()) << "EDGELITE_MODELS_FILTER=" << filter << " matches no golden";
    dirs.swap(kept);
  }

  std::vector<Row> rows;
  for (const std::string& d : dirs) {
    const std::string rel = d.substr(root.size() + 1);
    rows.push_back(RunOne(shared, rel));
    const Row& r = rows.back();
    EXPECT_EQ(r.status.rfind("FAIL", 0), std::string::npos) << r.model << ": " << r.status;
  }

  int pass = 0, fail = 0, unsup = 0, skipped = 0, broken = 0, diverges = 0;
  printf("\n%-80s  %-11s  %11s  %11s  %9s\n", "model (goldens/...)", "status", "max abs err",
         "max rel err", "invoke ms");
  for (const Row& r : rows) {
    const std::string kind = r.status.substr(0, r.status.find(':'));
    if (kind == "pass") ++pass;
    else if (kind == "FAIL") ++fail;
    else if (kind == "unsupported") ++unsup;
    else if (kind == "skipped") ++skipped;
    else if (kind == "golden diverges") ++diverges;
    else ++broken;
    const bool numbers = r.compared;
    printf("%-80s  %-11s  %11s  %11s  %9s\n", r.model.c_str(), kind.c_str(),
           numbers ? Fmt("%.3g", r.max_abs).c_str() : "-",
           numbers ? Fmt("%.3g", r.max_rel).c_str() : "-",
           numbers ? Fmt("%.2f", r.ms).c_str() : "-");
    if (kind != "pass") printf("    %s\n", r.status.c_str());
  }
  printf("\n%zu models: %d pass, %d FAIL, %d unsupported, %d skipped, %d known broken, "
         "%d golden diverges\n",
         rows.size(), pass, fail, unsup, skipped, broken, diverges);
  printf("float bound: max|ours-golden| <= %.0e * max(1, max|golden|) per output; integers exact\n",
         kFloatTolerance);
}

}  // namespace
}  // namespace edgelite
