// The micro profile's host commands:
//   `edgelite inspect --micro MODEL`: the exact arena the model needs in the micro profile and
//     the MicroOpResolver lines to paste into the application;
//   `edgelite export-c MODEL -o model_data.cc`: the model as an aligned const C array.
//
// The arena is measured, not estimated: the micro profile's bookkeeping holds pointers and
// size_t, so its size on a 32-bit Cortex-M differs from any host figure. inspect --micro runs
// the micro build's arena probe (micro/tools/arena_probe.cc: the same MicroInterpreter, every
// op) in qemu-system-arm and reads back arena_used_bytes(). The probe is found through
// --micro-probe, $EDGELITE_MICRO_PROBE, or beside this build (build/micro-m4/micro/).
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "edgelite/micro/micro_op_resolver.h"
#include "edgelite/op_resolver.h"
#include "schema/tflite_generated.h"
#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"

namespace edgelite {
namespace cli {
namespace {

bool IsFile(const std::string& p) { return !p.empty() && access(p.c_str(), R_OK) == 0; }

std::string ExeDir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  std::string s(buf, static_cast<size_t>(n));
  const size_t slash = s.rfind('/');
  return slash == std::string::npos ? "" : s.substr(0, slash);
}

std::string FindProbe(const std::string& given) {
  if (!given.empty()) {
    if (!IsFile(given)) throw CliError("--micro-probe '" + given + "' is not a readable file");
    return given;
  }
  if (const char* env = std::getenv("EDGELITE_MICRO_PROBE")) {
    if (!IsFile(env)) throw CliError(std::string("$EDGELITE_MICRO_PROBE '") + env +
                                     "' is not a readable file");
    return env;
  }
  // build/<preset>/tools/edgelite -> build/micro-m4/micro/arena_probe.elf
  const std::string dir = ExeDir();
  for (const char* rel : {"/../../micro-m4/micro/arena_probe.elf",
                          "/../../micro-m3/micro/arena_probe.elf"}) {
    if (IsFile(dir + rel)) {
      char* real = realpath((dir + rel).c_str(), nullptr);
      const std::string path = real ? real : dir + rel;
      free(real);
      return path;
    }
  }
  return "";
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct ProbeResult {
  bool ok = false;
  uint64_t arena_bytes = 0;
  uint64_t activation_bytes = 0;
  std::string error;
};

ProbeResult RunProbe(const std::string& probe, const std::string& model_path) {
  ProbeResult r;
  // The probe's machine: M3 firmware on mps2-an385, M4 on mps2-an386 (same arena either way).
  const bool m3 = probe.find("micro-m3") != std::string::npos;
  const std::string cmd = std::string("qemu-system-arm -M ") +
                          (m3 ? "mps2-an385 -cpu cortex-m3" : "mps2-an386 -cpu cortex-m4") +
                          " -nographic -monitor none -serial none"
                          " -semihosting-config enable=on,target=native -kernel " +
                          ShellQuote(probe) + " -append " + ShellQuote(model_path) + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    r.error = "cannot run qemu-system-arm";
    return r;
  }
  std::string text;
  std::array<char, 512> buf;
  while (fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) text += buf.data();
  const int status = pclose(p);
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("arena_bytes ", 0) == 0) r.arena_bytes = std::stoull(line.substr(12));
    if (line.rfind("activation_bytes ", 0) == 0) r.activation_bytes = std::stoull(line.substr(17));
    if (line.rfind("error ", 0) == 0) r.error = line.substr(6);
  }
  r.ok = status == 0 && r.arena_bytes > 0;
  if (!r.ok && r.error.empty())
    r.error = "the arena probe failed (exit status " + std::to_string(status) + "): " + text;
  return r;
}

}  // namespace

int InspectMicroCommand(const InspectOptions& opts) {
  std::unique_ptr<Model> model = LoadModel(opts.model);
  const fb::Model* m = model->fb();
  // The ops the model uses (in any subgraph), as MicroOpResolver methods.
  std::set<std::string> builtins, customs, unsupported, not_micro;
  BuiltinOpResolver all;
  const auto* codes = m->operator_codes();
  const uint32_t num_sg = m->subgraphs() ? m->subgraphs()->size() : 0;
  for (uint32_t s = 0; s < num_sg; ++s) {
    const auto* ops = m->subgraphs()->Get(s)->operators();
    if (ops == nullptr) continue;
    for (const fb::Operator* op : *ops) {
      const fb::OperatorCode* oc = codes->Get(op->opcode_index());
      const int32_t code = std::max<int32_t>(oc->deprecated_builtin_code(),
                                             static_cast<int32_t>(oc->builtin_code()));
      if (code == kBuiltinCustom) {
        const std::string name = oc->custom_code() ? oc->custom_code()->str() : "";
        (all.FindCustom(name.c_str(), oc->version()) ? customs : unsupported).insert(name);
      } else {
        const std::string name = BuiltinOperatorName(code);
        if (!edgelite::micro::MicroCoreRuns(static_cast<fb::BuiltinOperator>(code)))
          not_micro.insert(name);
        else
          (all.FindBuiltin(code, oc->version()) ? builtins : unsupported).insert(name);
      }
    }
  }
  const std::string probe = FindProbe(opts.micro_probe);
  ProbeResult r;
  if (!unsupported.empty()) {
    r.error = "the model uses ops edgelite does not implement";
  } else if (!not_micro.empty()) {
    r.error = "the model uses ops that call other subgraphs or use resource variables, which "
              "the micro core (MicroInterpreter) does not run";
  } else if (probe.empty()) {
    r.error = "no arena probe found: build the micro-m4 preset (cmake --preset micro-m4 && "
              "cmake --build --preset micro-m4) or pass --micro-probe build/micro-m4/micro/"
              "arena_probe.elf";
  } else {
    r = RunProbe(probe, opts.model);
  }

  std::vector<std::string> lines;
  lines.push_back("edgelite::micro::MicroOpResolver<" +
                  std::to_string(builtins.size() + customs.size()) + "> resolver;");
  for (const auto& b : builtins) lines.push_back("resolver.Add_" + b + "();");
  for (const auto& c : customs) lines.push_back("resolver.Add_" + c + "();");

  if (opts.json) {
    nlohmann::ordered_json out;
    out["model"] = opts.model;
    out["arena_bytes"] = r.ok ? nlohmann::ordered_json(r.arena_bytes) : nullptr;
    out["activation_bytes"] = r.ok ? nlohmann::ordered_json(r.activation_bytes) : nullptr;
    out["probe"] = probe;
    out["ops"] = builtins;
    out["custom_ops"] = customs;
    out["unsupported_ops"] = unsupported;
    out["not_in_micro_core"] = not_micro;
    out["resolver"] = lines;
    if (!r.ok) out["error"] = r.error;
    std::cout << out.dump(2) << "\n";
    return r.ok ? 0 : 1;
  }
  std::cout << "micro profile (Cortex-M, 32-bit):\n";
  if (r.ok) {
    std::cout << "  arena:      " << r.arena_bytes << " bytes (activations " << r.activation_bytes
              << ", interpreter bookkeeping and op data " << r.arena_bytes - r.activation_bytes
              << "); measured on the target by " << probe << " in qemu-system-arm\n";
  } else {
    std::cout << "  arena:      unknown: " << r.error << "\n";
  }
  if (!unsupported.empty()) {
    std::cout << "  unsupported:";
    for (const auto& u : unsupported) std::cout << " " << u;
    std::cout << "\n";
  }
  if (!not_micro.empty()) {
    std::cout << "  not in the micro core:";
    for (const auto& u : not_micro) std::cout << " " << u;
    std::cout << "\n";
  }
  std::cout << "  resolver (paste into the application):\n";
  for (const auto& l : lines) std::cout << "    " << l << "\n";
  if (r.ok)
    std::cout << "    alignas(16) static uint8_t arena[" << r.arena_bytes << "];\n";
  return r.ok ? 0 : 1;
}

int ExportCCommand(const ExportCOptions& opts) {
  const std::vector<uint8_t> bytes = ReadBinaryFile(opts.model);
  // Refuse what the runtime would refuse: the array is only useful if it loads.
  auto loaded = Model::FromBuffer(bytes.data(), bytes.size());
  Check(loaded.status(), "model '" + opts.model + "'");
  std::string name = opts.name;
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
          std::string::npos)
    throw CliError("--name '" + name + "' is not a C identifier");
  std::ostringstream o;
  const size_t slash = opts.model.rfind('/');
  const std::string base = slash == std::string::npos ? opts.model : opts.model.substr(slash + 1);
  o << "// " << base << " (" << bytes.size() << " bytes) as a const array, written by "
    << "`edgelite export-c`.\n"
    << "// 16-byte aligned (FlatBuffers and the runtime read it in place: Model::FromBuffer\n"
    << "// needs 8), const (stays in flash), with its length as size_t. Declare it with:\n"
    << "//   extern const unsigned char " << name << "[];\n"
    << "//   extern const size_t " << name << "_len;\n"
    << "#include <cstddef>\n\n"
    << "extern const unsigned char " << name << "[];\n"
    << "extern const size_t " << name << "_len;\n\n"
    << "alignas(16) const unsigned char " << name << "[] = {";
  static const char* hex = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i % 12 == 0) o << "\n   ";
    o << " 0x" << hex[bytes[i] >> 4] << hex[bytes[i] & 15] << ",";
  }
  o << "\n};\n"
    << "const size_t " << name << "_len = " << bytes.size() << ";\n";
  WriteTextFile(opts.out, o.str());
  std::cout << "wrote " << opts.out << ": " << name << "[" << bytes.size() << "] (16-byte aligned), "
            << name << "_len\n";
  return 0;
}

}  // namespace cli
}  // namespace edgelite
