// `edgelite inspect MODEL [--json]`: what a .tflite file holds and whether
// edgelite can run it. Reads the FlatBuffer through the generated schema
// (after the loader has verified and validated it) for the parts the public
// interpreter API does not expose (every subgraph, op codes, metadata).
#include "tools/edgelite/commands.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "schema/tflite_generated.h"
#include "tools/edgelite/common.h"

namespace edgelite {
namespace cli {
namespace {

using nlohmann::ordered_json;

// Per-channel quantization: show this many values, then "...".
constexpr size_t kQuantValuesShown = 4;
// inspect refuses to allocate arenas above this (it reports the size instead).
constexpr size_t kInspectArenaLimit = size_t{2} << 30;

std::string TypeName(int type) {
  if (!IsKnownDataType(type)) return "type" + std::to_string(type);
  return DataTypeName(static_cast<DataType>(type));
}

std::string OpName(const fb::OperatorCode* oc) {
  const int32_t code = std::max<int32_t>(oc->deprecated_builtin_code(),
                                         static_cast<int32_t>(oc->builtin_code()));
  if (code == kBuiltinCustom) return oc->custom_code() ? oc->custom_code()->str() : "CUSTOM";
  return BuiltinOperatorName(code);
}

bool IsCustom(const fb::OperatorCode* oc) {
  return std::max<int32_t>(oc->deprecated_builtin_code(), static_cast<int32_t>(oc->builtin_code())) ==
         kBuiltinCustom;
}

ordered_json QuantJson(const fb::QuantizationParameters* q) {
  if (q == nullptr || q->scale() == nullptr || q->scale()->size() == 0) return nullptr;
  ordered_json j;
  const size_t n = q->scale()->size();
  j["count"] = n;
  ordered_json scales = ordered_json::array(), zps = ordered_json::array();
  for (size_t i = 0; i < n; ++i) scales.push_back(q->scale()->Get(static_cast<uint32_t>(i)));
  if (q->zero_point())
    for (size_t i = 0; i < q->zero_point()->size(); ++i)
      zps.push_back(q->zero_point()->Get(static_cast<uint32_t>(i)));
  j["scale"] = scales;
  j["zero_point"] = zps;
  j["quantized_dimension"] = q->quantized_dimension();
  return j;
}

std::string QuantText(const fb::QuantizationParameters* q) {
  if (q == nullptr || q->scale() == nullptr || q->scale()->size() == 0) return "";
  std::ostringstream s;
  const uint32_t n = q->scale()->size();
  const uint32_t nz = q->zero_point() ? q->zero_point()->size() : 0;
  if (n == 1) {
    s << "scale=" << q->scale()->Get(0) << " zero_point=" << (nz ? q->zero_point()->Get(0) : 0);
    return s.str();
  }
  s << "per-channel(dim " << q->quantized_dimension() << ", " << n << " channels) scale=[";
  for (uint32_t i = 0; i < std::min<uint32_t>(n, kQuantValuesShown); ++i)
    s << (i ? "," : "") << q->scale()->Get(i);
  s << (n > kQuantValuesShown ? ",...]" : "]") << " zero_point=[";
  for (uint32_t i = 0; i < std::min<uint32_t>(nz, kQuantValuesShown); ++i)
    s << (i ? "," : "") << q->zero_point()->Get(i);
  s << (nz > kQuantValuesShown ? ",...]" : "]");
  return s.str();
}

ordered_json TensorJson(const fb::SubGraph* sg, int position, int32_t index) {
  ordered_json j;
  j["index"] = position;
  j["tensor"] = index;
  const auto* tensors = sg->tensors();
  if (index < 0 || tensors == nullptr || static_cast<uint32_t>(index) >= tensors->size()) {
    j["name"] = nullptr;
    return j;
  }
  const fb::Tensor* t = tensors->Get(static_cast<uint32_t>(index));
  j["name"] = t->name() ? t->name()->str() : "";
  j["dtype"] = TypeName(static_cast<int>(t->type()));
  ordered_json shape = ordered_json::array();
  if (t->shape())
    for (int32_t d : *t->shape()) shape.push_back(d);
  j["shape"] = shape;
  if (t->shape_signature()) {
    ordered_json sig = ordered_json::array();
    for (int32_t d : *t->shape_signature()) sig.push_back(d);
    j["shape_signature"] = sig;
  } else {
    j["shape_signature"] = shape;
  }
  j["quantization"] = QuantJson(t->quantization());
  return j;
}

std::string DimsText(const ordered_json& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + dims[i].dump();
  return s + "]";
}

}  // namespace

int InspectCommand(const InspectOptions& opts) {
  const uint64_t file_bytes = FileSize(opts.model);
  std::unique_ptr<Model> model = LoadModel(opts.model);
  const fb::Model* m = model->fb();
  const auto* codes = m->operator_codes();

  ordered_json out;
  out["model"] = opts.model;
  out["file_bytes"] = file_bytes;
  out["schema_version"] = model->version();
  out["description"] = model->description();

  BuiltinOpResolver resolver;
  std::map<std::string, bool> unsupported;  // name -> is custom
  ordered_json subgraphs = ordered_json::array();
  const uint32_t num_sg = m->subgraphs() ? m->subgraphs()->size() : 0;
  for (uint32_t s = 0; s < num_sg; ++s) {
    const fb::SubGraph* sg = m->subgraphs()->Get(s);
    ordered_json js;
    js["index"] = s;
    js["name"] = sg->name() ? sg->name()->str() : "";
    js["tensors"] = sg->tensors() ? sg->tensors()->size() : 0;
    js["operators"] = sg->operators() ? sg->operators()->size() : 0;
    ordered_json ins = ordered_json::array(), outs = ordered_json::array();
    if (sg->inputs())
      for (uint32_t i = 0; i < sg->inputs()->size(); ++i)
        ins.push_back(TensorJson(sg, static_cast<int>(i), sg->inputs()->Get(i)));
    if (sg->outputs())
      for (uint32_t i = 0; i < sg->outputs()->size(); ++i)
        outs.push_back(TensorJson(sg, static_cast<int>(i), sg->outputs()->Get(i)));
    js["inputs"] = ins;
    js["outputs"] = outs;
    // Op histogram, in first-use order for the JSON and sorted by count for text.
    std::vector<std::pair<std::string, int>> hist;
    if (sg->operators()) {
      for (const fb::Operator* op : *sg->operators()) {
        const fb::OperatorCode* oc = codes->Get(op->opcode_index());
        const std::string name = OpName(oc);
        auto it = std::find_if(hist.begin(), hist.end(),
                               [&](const std::pair<std::string, int>& p) { return p.first == name; });
        if (it == hist.end())
          hist.emplace_back(name, 1);
        else
          ++it->second;
        const int32_t code = std::max<int32_t>(oc->deprecated_builtin_code(),
                                               static_cast<int32_t>(oc->builtin_code()));
        const bool custom = IsCustom(oc);
        const bool have = custom ? resolver.FindCustom(name.c_str(), oc->version()) != nullptr
                                 : resolver.FindBuiltin(code, oc->version()) != nullptr;
        if (!have) unsupported[name] = custom;
      }
    }
    ordered_json jh = ordered_json::object();
    for (const auto& p : hist) jh[p.first] = p.second;
    js["op_histogram"] = jh;
    subgraphs.push_back(js);
  }
  out["subgraphs"] = subgraphs;

  ordered_json sigs = ordered_json::array();
  if (m->signature_defs()) {
    for (const fb::SignatureDef* sd : *m->signature_defs()) {
      ordered_json j;
      j["key"] = sd->signature_key() ? sd->signature_key()->str() : "";
      j["subgraph"] = sd->subgraph_index();
      ordered_json ins = ordered_json::array(), outs = ordered_json::array();
      if (sd->inputs())
        for (const fb::TensorMap* tm : *sd->inputs()) ins.push_back(tm->name() ? tm->name()->str() : "");
      if (sd->outputs())
        for (const fb::TensorMap* tm : *sd->outputs()) outs.push_back(tm->name() ? tm->name()->str() : "");
      j["inputs"] = ins;
      j["outputs"] = outs;
      sigs.push_back(j);
    }
  }
  out["signature_defs"] = sigs;

  ordered_json meta = ordered_json::array();
  if (m->metadata())
    for (const fb::Metadata* md : *m->metadata()) meta.push_back(md->name() ? md->name()->str() : "");
  out["metadata"] = meta;

  ordered_json unsup = ordered_json::array();
  for (const auto& p : unsupported) unsup.push_back(p.second ? p.first + " (custom)" : p.first);
  out["unsupported_ops"] = unsup;

  // Only a model whose ops are all available can be planned.
  ordered_json alloc;
  if (!unsupported.empty()) {
    alloc["status"] = "skipped: unsupported ops";
  } else {
    InterpreterOptions io;
    io.max_arena_bytes = kInspectArenaLimit;
    auto interp = Interpreter::Create(*model, resolver, io);
    if (!interp.ok()) {
      alloc["status"] = "interpreter error: " + interp.status().ToString();
    } else {
      Status s = (*interp)->AllocateTensors();
      if (!s.ok()) {
        alloc["status"] = "AllocateTensors failed: " + s.ToString();
      } else {
        alloc["status"] = "ok";
        alloc["arena_bytes"] = (*interp)->arena_bytes();
        alloc["persistent_bytes"] = (*interp)->persistent_bytes();
      }
    }
  }
  out["allocation"] = alloc;

  if (opts.json) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }

  // Text report.
  std::ostream& o = std::cout;
  o << "model:          " << opts.model << " (" << file_bytes << " bytes)\n";
  o << "schema version: " << model->version() << "\n";
  if (!model->description().empty()) o << "description:    " << model->description() << "\n";
  o << "subgraphs:      " << num_sg << "\n";
  for (const auto& js : subgraphs) {
    o << "\nsubgraph " << js["index"].get<int>() << " \"" << js["name"].get<std::string>()
      << "\": " << js["tensors"].get<int>() << " tensors, " << js["operators"].get<int>()
      << " operators\n";
    for (const char* kind : {"inputs", "outputs"}) {
      o << "  " << kind << ":\n";
      if (js[kind].empty()) o << "    (none)\n";
      for (const auto& t : js[kind]) {
        if (t["name"].is_null()) {
          o << "    " << t["index"].get<int>() << ": tensor " << t["tensor"].get<int>() << "\n";
          continue;
        }
        o << "    " << t["index"].get<int>() << ": '" << t["name"].get<std::string>() << "' "
          << t["dtype"].get<std::string>() << " " << DimsText(t["shape"]);
        if (t["shape_signature"] != t["shape"])
          o << " (signature " << DimsText(t["shape_signature"]) << ")";
        const fb::SubGraph* sg = m->subgraphs()->Get(js["index"].get<uint32_t>());
        const std::string q =
            QuantText(sg->tensors()->Get(t["tensor"].get<uint32_t>())->quantization());
        if (!q.empty()) o << " " << q;
        o << "\n";
      }
    }
    o << "  ops:";
    std::vector<std::pair<std::string, int>> hist;
    for (auto it = js["op_histogram"].begin(); it != js["op_histogram"].end(); ++it)
      hist.emplace_back(it.key(), it.value().get<int>());
    std::stable_sort(hist.begin(), hist.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (hist.empty()) o << " (none)";
    o << "\n";
    for (const auto& p : hist) o << "    " << p.second << " x " << p.first << "\n";
  }
  o << "\nsignature defs:" << (sigs.empty() ? " (none)" : "") << "\n";
  for (const auto& j : sigs) {
    o << "  '" << j["key"].get<std::string>() << "' -> subgraph " << j["subgraph"].get<int>()
      << ", inputs " << j["inputs"].dump() << ", outputs " << j["outputs"].dump() << "\n";
  }
  o << "metadata:       ";
  if (meta.empty()) o << "(none)";
  for (size_t i = 0; i < meta.size(); ++i) o << (i ? ", " : "") << meta[i].get<std::string>();
  o << "\nunsupported ops: ";
  if (unsup.empty()) o << "none";
  for (size_t i = 0; i < unsup.size(); ++i) o << (i ? ", " : "") << unsup[i].get<std::string>();
  o << "\n";
  if (alloc["status"] == "ok") {
    o << "arena:          " << alloc["arena_bytes"].get<size_t>() << " bytes (persistent "
      << alloc["persistent_bytes"].get<size_t>() << " bytes)\n";
  } else {
    o << "arena:          " << alloc["status"].get<std::string>() << "\n";
  }
  return 0;
}

}  // namespace cli
}  // namespace edgelite
