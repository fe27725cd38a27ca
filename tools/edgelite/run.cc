// `edgelite run MODEL ...`: fills the inputs (raw files, images or the seeded
// pattern shared with ../shared/oracles), invokes, prints a summary, writes
// input_N.bin / output_N.bin / meta.json like the oracles, prints top-K labels.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"
#include "tools/edgelite/image.h"

namespace edgelite {
namespace cli {
namespace {

using nlohmann::ordered_json;

constexpr int kHeadValues = 8;  // values shown per output (as the oracle's "head")

ordered_json QuantJson(const Tensor* t) {
  if (!t->quant.is_quantized()) return nullptr;
  ordered_json j;
  ordered_json s = ordered_json::array(), z = ordered_json::array();
  for (int i = 0; i < t->quant.count; ++i) {
    s.push_back(t->quant.scale[i]);
    z.push_back(t->quant.zero_point ? t->quant.zero_point[i] : 0);
  }
  j["scale"] = s;
  j["zero_point"] = z;
  j["quantized_dimension"] = t->quant.quantized_dimension;
  return j;
}

ordered_json HeadJson(const Tensor* t) {
  ordered_json head = ordered_json::array();
  const int64_t n = std::min<int64_t>(t->num_elements(), kHeadValues);
  if (t->type == DataType::kString) {
    const int32_t count = NumStrings(*t);
    for (int32_t i = 0; i < count && i < n; ++i) {
      const StringRef r = GetString(*t, i);
      head.push_back(std::string(r.data, r.size));
    }
    return head;
  }
  for (int64_t i = 0; i < n; ++i) {
    double v;
    if (!ElementAsDouble(t->type, t->data, i, &v)) break;
    if (t->type == DataType::kFloat32 || t->type == DataType::kFloat64 ||
        t->type == DataType::kFloat16) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.6g", v);
      head.push_back(std::strtod(buf, nullptr));
    } else {
      head.push_back(static_cast<int64_t>(v));
    }
  }
  return head;
}

std::string HeadText(const ordered_json& head, int64_t total) {
  std::string s = "[";
  for (size_t i = 0; i < head.size(); ++i) s += (i ? ", " : "") + head[i].dump();
  if (total > static_cast<int64_t>(head.size())) s += ", ...";
  return s + "]";
}

// Resolves "N" or "NAME" of --input N=FILE to an input position.
int ResolveInput(Interpreter& interp, const std::string& key) {
  char* end = nullptr;
  const long v = std::strtol(key.c_str(), &end, 10);
  if (!key.empty() && end && *end == '\0') {
    if (v < 0 || v >= interp.num_inputs())
      throw CliError("--input " + key + "=...: the model has " + std::to_string(interp.num_inputs()) +
                     " input(s), numbered 0.." + std::to_string(interp.num_inputs() - 1));
    return static_cast<int>(v);
  }
  const int i = interp.FindInput(key.c_str());
  if (i < 0) throw CliError("--input " + key + "=...: no input is named '" + key + "'");
  return i;
}

std::vector<std::string> ReadLabels(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw CliError("cannot open labels file '" + path + "'");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(f, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  // "ID  label" files (coral style): use the IDs when every line has one.
  std::map<long, std::string> by_id;
  bool numbered = !lines.empty();
  for (const std::string& l : lines) {
    if (l.empty()) continue;
    char* end = nullptr;
    const long id = std::strtol(l.c_str(), &end, 10);
    if (end == l.c_str() || !(*end == ' ' || *end == '\t' || *end == ':') || id < 0) {
      numbered = false;
      break;
    }
    size_t p = static_cast<size_t>(end - l.c_str());
    while (p < l.size() && (l[p] == ' ' || l[p] == '\t' || l[p] == ':')) ++p;
    by_id[id] = l.substr(p);
  }
  if (!numbered) return lines;
  std::vector<std::string> out;
  for (const auto& kv : by_id) {
    if (kv.first > 1000000) throw CliError("labels file '" + path + "': id " + std::to_string(kv.first) + " is too large");
    if (out.size() <= static_cast<size_t>(kv.first)) out.resize(kv.first + 1);
    out[kv.first] = kv.second;
  }
  return out;
}

bool MakeDirs(const std::string& dir) {
  std::string cur;
  std::stringstream ss(dir);
  std::string part;
  if (!dir.empty() && dir[0] == '/') cur = "/";
  while (std::getline(ss, part, '/')) {
    if (part.empty()) continue;
    cur += part + "/";
    struct stat st;
    if (stat(cur.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return false;
      continue;
    }
    if (mkdir(cur.c_str(), 0777) != 0) return false;
  }
  return true;
}

}  // namespace

int RunCommand(const RunOptions& opts) {
  if (opts.threads < 1) throw CliError("--threads must be >= 1");
  if (opts.runs < 1) throw CliError("--runs must be >= 1");
  if (opts.warmup < 0) throw CliError("--warmup must be >= 0");
  if (opts.top < 1) throw CliError("--top must be >= 1");

  using Clock = std::chrono::steady_clock;
  const auto t_load0 = Clock::now();
  std::unique_ptr<Model> model = LoadModel(opts.model);
  BuiltinOpResolver resolver;
  InterpreterOptions io;
  io.num_threads = opts.threads;
  io.max_arena_bytes = static_cast<size_t>(opts.max_arena_bytes);
  io.max_tensor_bytes = static_cast<size_t>(opts.max_tensor_bytes);
  auto created = Interpreter::Create(*model, resolver, io);
  if (!created.ok()) throw CliError("cannot create an interpreter for '" + opts.model + "': " +
                                    created.status().ToString());
  std::unique_ptr<Interpreter> interp = std::move(created).value();
  Check(interp->AllocateTensors(), "AllocateTensors");
  const double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t_load0).count();

  // Inputs.
  std::map<int, std::string> files;
  for (const std::string& spec : opts.inputs) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw CliError("--input expects N=FILE (N: input index or name), got '" + spec + "'");
    const int i = ResolveInput(*interp, spec.substr(0, eq));
    if (files.count(i)) throw CliError("input " + std::to_string(i) + " is given twice");
    files[i] = spec.substr(eq + 1);
  }
  if (!opts.out_dir.empty() && !MakeDirs(opts.out_dir))
    throw CliError("cannot create output directory '" + opts.out_dir + "'");

  ordered_json meta;
  meta["model"] = opts.model;
  meta["producer"] = "edgelite run (reference kernels)";
  meta["threads"] = opts.threads;
  meta["seed"] = opts.seed;
  meta["inputs"] = ordered_json::array();
  meta["outputs"] = ordered_json::array();

  std::cout << "model " << opts.model << "  threads=" << opts.threads << "\n";
  for (int i = 0; i < interp->num_inputs(); ++i) {
    Tensor* t = interp->input(i);
    if (t == nullptr) throw CliError("input " + std::to_string(i) + " is missing");
    std::string source;
    auto it = files.find(i);
    if (t->type == DataType::kString) {
      // Strings: a text file with one string per line, or "0", "1", ... (the
      // oracles have no seeded pattern for strings; this one is ours).
      std::vector<std::string> lines;
      if (it != files.end()) {
        std::ifstream f(it->second);
        if (!f) throw CliError("cannot read '" + it->second + "'");
        for (std::string line; std::getline(f, line);) lines.push_back(line);
        source = it->second;
      } else {
        for (int64_t k = 0; k < t->num_elements(); ++k) lines.push_back(std::to_string(k));
        source = "strings \"0\", \"1\", ...";
      }
      if (static_cast<int64_t>(lines.size()) != t->num_elements())
        throw CliError("input " + std::to_string(i) + " ('" + t->name + "') holds " +
                       std::to_string(t->num_elements()) + " strings; '" + source + "' has " +
                       std::to_string(lines.size()) + " lines");
      std::vector<StringRef> refs;
      for (const std::string& l : lines) refs.push_back({l.data(), l.size()});
      Check(interp->SetStringTensor(interp->input_tensor_index(i), refs.data(),
                                    static_cast<int32_t>(refs.size())),
            "set string input");
    } else if (it != files.end()) {
      const std::string& path = it->second;
      if (IsImagePath(path)) {
        source = ImageToTensor(path, t->type, t->shape, t->data, t->bytes, opts.image_mean,
                               opts.image_std);
      } else {
        const std::vector<uint8_t> bytes = ReadBinaryFile(path);
        if (bytes.size() != t->bytes)
          throw CliError("input " + std::to_string(i) + " ('" + t->name + "', " +
                         DataTypeName(t->type) + " " + ShapeString(t->shape) + ") needs " +
                         std::to_string(t->bytes) + " bytes of raw little-endian data, but '" +
                         path + "' has " + std::to_string(bytes.size()));
        if (!bytes.empty()) std::memcpy(t->data, bytes.data(), bytes.size());
        source = path;
      }
    } else {
      if (!FillSeededPattern(t->type, opts.seed, i, t->data, t->num_elements()))
        throw CliError("input " + std::to_string(i) + " ('" + t->name + "') has type " +
                       DataTypeName(t->type) +
                       ", for which there is no seeded pattern: give it with --input " +
                       std::to_string(i) + "=FILE");
      source = "pattern seed=" + std::to_string(opts.seed);
    }
    ordered_json j;
    j["index"] = i;
    j["name"] = t->name;
    j["dtype"] = DataTypeName(t->type);
    j["shape"] = ShapeVector(t->shape);
    j["quantization"] = QuantJson(t);
    j["source"] = source;
    meta["inputs"].push_back(j);
    std::cout << "  input  " << i << " '" << t->name << "' " << DataTypeName(t->type) << " "
              << ShapeString(t->shape) << "  <- " << source << "\n";
    if (!opts.out_dir.empty())
      WriteBinaryFile(opts.out_dir + "/input_" + std::to_string(i) + ".bin", t->data, t->bytes);
  }

  // Invoke.
  for (int r = 0; r < opts.warmup; ++r) Check(interp->Invoke(), "Invoke (warm-up)");
  std::vector<double> times;
  for (int r = 0; r < opts.runs; ++r) {
    const auto t0 = Clock::now();
    Check(interp->Invoke(), "Invoke");
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double t : times) sum += t;
  auto r4 = [](double v) { return std::round(v * 1e4) / 1e4; };
  meta["timing_ms"] = {{"load_and_prepare", r4(load_ms)},
                       {"runs", static_cast<int>(times.size())},
                       {"min", r4(sorted.front())},
                       {"median", r4(sorted[sorted.size() / 2])},
                       {"mean", r4(sum / times.size())}};
  meta["arena_bytes"] = interp->arena_bytes();

  // Outputs.
  for (int i = 0; i < interp->num_outputs(); ++i) {
    Tensor* t = interp->output(i);
    if (t == nullptr) throw CliError("output " + std::to_string(i) + " is missing");
    ordered_json j;
    j["index"] = i;
    j["name"] = t->name;
    j["dtype"] = DataTypeName(t->type);
    j["shape"] = ShapeVector(t->shape);
    j["quantization"] = QuantJson(t);
    j["bytes"] = t->bytes;
    j["head"] = HeadJson(t);
    std::cout << "  output " << i << " '" << t->name << "' " << DataTypeName(t->type) << " "
              << ShapeString(t->shape) << "  " << HeadText(j["head"], t->num_elements()) << "\n";
    meta["outputs"].push_back(j);
    if (!opts.out_dir.empty())
      WriteBinaryFile(opts.out_dir + "/output_" + std::to_string(i) + ".bin", t->data, t->bytes);
  }
  std::cout << std::fixed << std::setprecision(3) << "  invoke: " << sorted[sorted.size() / 2]
            << " ms (median of " << times.size() << ", min " << sorted.front()
            << "), load+prepare " << load_ms << " ms, arena " << interp->arena_bytes()
            << " bytes\n";
  std::cout.unsetf(std::ios::fixed);

  // Top-K classes.
  if (!opts.labels.empty()) {
    if (opts.output_index < 0 || opts.output_index >= interp->num_outputs())
      throw CliError("--output " + std::to_string(opts.output_index) + ": the model has " +
                     std::to_string(interp->num_outputs()) + " output(s)");
    const std::vector<std::string> labels = ReadLabels(opts.labels);
    const Tensor* t = interp->output(opts.output_index);
    const int64_t n = t->num_elements();
    std::vector<std::pair<double, int64_t>> scores;
    const bool quantized = t->quant.is_quantized();
    if (quantized && t->quant.per_channel())
      throw CliError("output " + std::to_string(opts.output_index) + " is quantized per channel; "
                     "cannot rank its classes");
    for (int64_t k = 0; k < n; ++k) {
      double v;
      if (!ElementAsDouble(t->type, t->data, k, &v))
        throw CliError(std::string("output of type ") + DataTypeName(t->type) + " cannot be ranked");
      if (quantized)
        v = t->quant.scale[0] * (v - (t->quant.zero_point ? t->quant.zero_point[0] : 0));
      scores.emplace_back(v, k);
    }
    const size_t k = std::min<size_t>(static_cast<size_t>(opts.top), scores.size());
    std::partial_sort(scores.begin(), scores.begin() + k, scores.end(),
                      [](const auto& a, const auto& b) {
                        return a.first > b.first || (a.first == b.first && a.second < b.second);
                      });
    if (static_cast<int64_t>(labels.size()) != n)
      std::cout << "  note: " << labels.size() << " labels for " << n << " scores\n";
    std::cout << "top " << k << " of output " << opts.output_index
              << (quantized ? " (dequantized)" : "") << ":\n";
    ordered_json top = ordered_json::array();
    for (size_t r = 0; r < k; ++r) {
      const int64_t c = scores[r].second;
      const std::string label =
          c < static_cast<int64_t>(labels.size()) ? labels[c] : std::string("?");
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.6f", scores[r].first);
      std::cout << "  " << std::setw(5) << c << "  " << buf << "  " << label << "\n";
      top.push_back({{"class", c}, {"score", scores[r].first}, {"label", label}});
    }
    meta["top"] = top;
  }

  if (!opts.out_dir.empty()) WriteTextFile(opts.out_dir + "/meta.json", meta.dump(2) + "\n");
  return 0;
}

}  // namespace cli
}  // namespace edgelite
