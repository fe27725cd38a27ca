// Per-op conformance of the converter + runtime against ONNX's own node test
// cases (Debian's libonnx-testdata): for every test whose nodes all use ops
// the converter maps, convert model.onnx, run it on edgelite with each
// test_data_set's inputs and compare with its expected outputs.
//
// usage: edgelite_onnx_conformance [DATA_DIR] [--verbose] [--filter SUBSTR]
//   DATA_DIR defaults to /usr/share/libonnx-testdata/data/node.
// A test is "skipped" when the converter rejects it with a reason (an
// attribute, dtype or input form it does not map: printed), "failed" when the
// converted model does not load/run on edgelite or its outputs differ
// (float: |a-b| <= 1e-4 + 1e-3*|b|, ONNX's backend-test rtol; others exact).
// Exit status 1 if any test failed or none ran; 77 if DATA_DIR is absent.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "converter/converter.h"
#include "edgelite/interpreter.h"
#include "edgelite/model.h"
#include "edgelite/op_resolver.h"

namespace fs = std::filesystem;
using edgelite::converter::ConvertError;
using edgelite::converter::Value;

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

Value ReadTensor(const fs::path& p) {
  onnx::TensorProto t;
  if (!t.ParseFromString(ReadFile(p))) throw ConvertError("cannot parse " + p.string());
  Value v;
  edgelite::converter::DecodeTensorProto(t, &v);
  return v;
}

// Copies `v` into the edgelite tensor `t`; returns an error message or "".
std::string Fill(edgelite::Tensor* t, const Value& v) {
  if (t->num_elements() != v.NumElements()) return "input element count differs";
  const int64_t n = v.NumElements();
  switch (t->type) {
    case edgelite::DataType::kFloat32:
      std::copy(v.f.begin(), v.f.end(), t->data_as<float>());
      return "";
    case edgelite::DataType::kInt64:
      std::copy(v.i.begin(), v.i.end(), t->data_as<int64_t>());
      return "";
    case edgelite::DataType::kInt32:
      for (int64_t k = 0; k < n; ++k) t->data_as<int32_t>()[k] = static_cast<int32_t>(v.i[k]);
      return "";
    case edgelite::DataType::kBool:
    case edgelite::DataType::kUInt8:
      for (int64_t k = 0; k < n; ++k) t->data_as<uint8_t>()[k] = static_cast<uint8_t>(v.i[k]);
      return "";
    case edgelite::DataType::kInt8:
      for (int64_t k = 0; k < n; ++k) t->data_as<int8_t>()[k] = static_cast<int8_t>(v.i[k]);
      return "";
    default:
      return "unsupported input type";
  }
}

// Compares output `t` with `want`; returns "" or what differs.
std::string Compare(const edgelite::Tensor* t, const Value& want) {
  if (t->num_elements() != want.NumElements())
    return "output has " + std::to_string(t->num_elements()) + " elements, expected " +
           std::to_string(want.NumElements());
  const int64_t n = want.NumElements();
  for (int64_t k = 0; k < n; ++k) {
    double got;
    switch (t->type) {
      case edgelite::DataType::kFloat32: got = t->data_as<float>()[k]; break;
      case edgelite::DataType::kInt64: got = static_cast<double>(t->data_as<int64_t>()[k]); break;
      case edgelite::DataType::kInt32: got = t->data_as<int32_t>()[k]; break;
      case edgelite::DataType::kBool:
      case edgelite::DataType::kUInt8: got = t->data_as<uint8_t>()[k]; break;
      case edgelite::DataType::kInt8: got = t->data_as<int8_t>()[k]; break;
      default: return "unsupported output type";
    }
    const bool fl = edgelite::converter::IsFloatType(want.dtype);
    const double w = fl ? want.f[k] : static_cast<double>(want.i[k]);
    if (fl && std::isnan(w) && std::isnan(got)) continue;
    const double tol = fl ? 1e-4 + 1e-3 * std::fabs(w) : 0.0;
    if (!(std::fabs(got - w) <= tol) && !(fl && std::isinf(w) && got == w)) {
      std::ostringstream s;
      s << "element " << k << ": got " << got << ", expected " << w;
      return s.str();
    }
  }
  return "";
}

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "/usr/share/libonnx-testdata/data/node";
  std::string filter;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verbose") verbose = true;
    else if (a == "--filter" && i + 1 < argc) filter = argv[++i];
    else dir = a;
  }
  if (!fs::is_directory(dir)) {
    std::cout << "SKIP: " << dir << " not found (apt install libonnx-testdata)\n";
    return 77;
  }
  std::vector<fs::path> tests;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && fs::exists(e.path() / "model.onnx")) tests.push_back(e.path());
  std::sort(tests.begin(), tests.end());
  const auto& mapped = edgelite::converter::MappedOnnxOps();
  edgelite::BuiltinOpResolver resolver;
  std::map<std::string, Counts> per_op;
  Counts total;
  std::vector<std::string> failures, skips;
  int frozen_tests = 0;
  for (const auto& tp : tests) {
    const std::string name = tp.filename().string();
    if (!filter.empty() && name.find(filter) == std::string::npos) continue;
    const std::string bytes = ReadFile(tp / "model.onnx");
    onnx::ModelProto mp;
    if (!mp.ParseFromString(bytes)) continue;
    // The op under test: the single node's type, or for multi-node graphs
    // (function expansions) the test counts only if every op is mapped.
    std::set<std::string> ops;
    bool all_mapped = true;
    for (const auto& n : mp.graph().node()) {
      ops.insert(n.op_type());
      if (!n.domain().empty() && n.domain() != "ai.onnx") all_mapped = false;
      if (!mapped.count(n.op_type())) all_mapped = false;
    }
    if (!all_mapped || ops.empty()) continue;
    std::string key = mp.graph().node(0).op_type();
    if (mp.graph().node_size() > 1) key += " (expanded)";
    Counts& c = per_op[key];
    std::vector<uint8_t> tfl;
    // ONNX's tests pass weights, shapes, axes and bounds as graph inputs; real
    // models have them as initializers, and the converter needs them constant.
    // When it asks for that, freeze every input but the first with the values
    // of test_data_set_0 (and run only that data set).
    int frozen_inputs = 0;
    try {
      try {
        tfl = edgelite::converter::ConvertOnnxBytes(bytes).tflite;
      } catch (const ConvertError& e) {
        const std::string w = e.what();
        if (w.find("constant") == std::string::npos && w.find("run-time") == std::string::npos) throw;
        onnx::ModelProto frozen = mp;
        auto* g = frozen.mutable_graph();
        google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> keep;
        for (int k = 0; k < g->input_size(); ++k) {
          const fs::path f = tp / "test_data_set_0" / ("input_" + std::to_string(k) + ".pb");
          if (k == 0 || !fs::exists(f)) {
            *keep.Add() = g->input(k);
            continue;
          }
          onnx::TensorProto t;
          t.ParseFromString(ReadFile(f));
          t.set_name(g->input(k).name());
          *g->add_initializer() = t;
          ++frozen_inputs;
        }
        *g->mutable_input() = keep;
        std::string fb;
        frozen.SerializeToString(&fb);
        tfl = edgelite::converter::ConvertOnnxBytes(fb).tflite;
      }
    } catch (const std::exception& e) {
      std::string why = e.what();
      std::replace(why.begin(), why.end(), '\n', ' ');
      skips.push_back(name + ": " + why);
      ++c.skipped;
      ++total.skipped;
      continue;
    }
    if (frozen_inputs) ++frozen_tests;
    std::string err;
    int sets = 0;
    for (const auto& ds : fs::directory_iterator(tp)) {
      if (!ds.is_directory() || !err.empty()) continue;
      if (frozen_inputs && ds.path().filename() != "test_data_set_0") continue;
      ++sets;
      auto model = edgelite::Model::FromBuffer(tfl.data(), tfl.size());
      if (!model.ok()) {
        err = "load: " + model.status().ToString();
        break;
      }
      auto interp = edgelite::Interpreter::Create(*model.value(), resolver);
      if (!interp.ok()) {
        err = "create: " + interp.status().ToString();
        break;
      }
      auto& ip = *interp.value();
      if (auto s = ip.AllocateTensors(); !s.ok()) {
        err = "allocate: " + s.ToString();
        break;
      }
      for (int k = 0; k < ip.num_inputs() && err.empty(); ++k) {  // frozen inputs were the last ones
        const fs::path f = ds.path() / ("input_" + std::to_string(k) + ".pb");
        if (!fs::exists(f)) err = "missing " + f.string();
        else err = Fill(ip.input(k), ReadTensor(f));
      }
      if (!err.empty()) break;
      if (auto s = ip.Invoke(); !s.ok()) {
        err = "invoke: " + s.ToString();
        break;
      }
      for (int k = 0; k < ip.num_outputs() && err.empty(); ++k) {
        const fs::path f = ds.path() / ("output_" + std::to_string(k) + ".pb");
        if (!fs::exists(f)) continue;
        err = Compare(ip.output(k), ReadTensor(f));
        if (!err.empty()) err = "output " + std::to_string(k) + ": " + err;
      }
    }
    if (sets == 0) err = "no test_data_set";
    if (err.empty()) {
      ++c.passed;
      ++total.passed;
      if (verbose) std::cout << "PASS " << name << "\n";
    } else {
      ++c.failed;
      ++total.failed;
      failures.push_back(name + ": " + err);
    }
  }
  std::cout << "per-op results (passed / failed / skipped):\n";
  for (const auto& kv : per_op)
    std::cout << "  " << kv.first << ": " << kv.second.passed << " / " << kv.second.failed << " / "
              << kv.second.skipped << "\n";
  if (verbose || true) {
    for (const auto& s : skips) std::cout << "SKIP " << s << "\n";
  }
  for (const auto& f : failures) std::cout << "FAIL " << f << "\n";
  std::cout << "onnx node tests for mapped ops: " << total.passed << " passed, " << total.failed
            << " failed, " << total.skipped << " skipped (" << frozen_tests
            << " converted with their non-first inputs frozen as constants)\n";
  return (total.failed > 0 || total.passed == 0) ? 1 : 0;
}
