// Calibration data from files: raw sample files and directories of them.
#include <algorithm>
#include <dirent.h>
#include <sys/stat.h>

#include "quantizer/quantizer.h"

namespace edgelite {
namespace quantizer {
namespace {

bool IsDirectory(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string Describe(const InputInfo& in) {
  std::string s = in.dtype + "[";
  for (size_t i = 0; i < in.shape.size(); ++i) s += (i ? "," : "") + std::to_string(in.shape[i]);
  return s + "]";
}

// Samples of one input from a raw file (several samples back to back) or a
// directory (one sample per regular file, sorted by name).
std::vector<std::vector<uint8_t>> LoadSource(const std::string& path, const InputInfo& in) {
  std::vector<std::vector<uint8_t>> out;
  if (in.bytes == 0)
    throw QuantizeError("input '" + in.name + "' (" + Describe(in) + ") has no fixed byte size");
  if (IsDirectory(path)) {
    DIR* d = ::opendir(path.c_str());
    if (!d) throw QuantizeError("cannot open directory '" + path + "'");
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n.empty() || n[0] == '.') continue;
      const std::string full = path + "/" + n;
      if (!IsDirectory(full)) names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    if (names.empty()) throw QuantizeError("calibration directory '" + path + "' holds no files");
    for (const auto& n : names) {
      auto bytes = ReadFileBytes(path + "/" + n);
      if (bytes.size() != in.bytes)
        throw QuantizeError("calibration file '" + path + "/" + n + "' has " +
                            std::to_string(bytes.size()) + " bytes; input '" + in.name + "' (" +
                            Describe(in) + ") needs " + std::to_string(in.bytes) +
                            " bytes per sample");
      out.push_back(std::move(bytes));
    }
    return out;
  }
  auto bytes = ReadFileBytes(path);
  if (bytes.empty() || bytes.size() % in.bytes != 0)
    throw QuantizeError("calibration file '" + path + "' has " + std::to_string(bytes.size()) +
                        " bytes, not a multiple of input '" + in.name + "' (" + Describe(in) +
                        ": " + std::to_string(in.bytes) + " bytes per sample)");
  for (size_t off = 0; off < bytes.size(); off += in.bytes)
    out.emplace_back(bytes.begin() + static_cast<std::ptrdiff_t>(off),
                     bytes.begin() + static_cast<std::ptrdiff_t>(off + in.bytes));
  return out;
}

}  // namespace

std::vector<Sample> LoadCalibration(const std::vector<std::string>& specs,
                                    const std::vector<uint8_t>& float_model) {
  const auto inputs = ModelInputs(float_model);
  std::vector<std::vector<std::vector<uint8_t>>> per_input(inputs.size());
  std::vector<bool> given(inputs.size(), false);
  for (const auto& spec : specs) {
    size_t idx = 0;
    std::string path = spec;
    const auto eq = spec.find('=');
    if (eq != std::string::npos && eq > 0 &&
        std::all_of(spec.begin(), spec.begin() + static_cast<std::ptrdiff_t>(eq), ::isdigit)) {
      idx = std::stoul(spec.substr(0, eq));
      path = spec.substr(eq + 1);
    }
    if (idx >= inputs.size())
      throw QuantizeError("calibration '" + spec + "': the model has " +
                          std::to_string(inputs.size()) + " input(s)");
    if (given[idx]) throw QuantizeError("calibration data for input " + std::to_string(idx) + " given twice");
    given[idx] = true;
    per_input[idx] = LoadSource(path, inputs[idx]);
  }
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!given[i])
      throw QuantizeError("no calibration data for input " + std::to_string(i) + " ('" +
                          inputs[i].name + "', " + Describe(inputs[i]) + "); give N=PATH");
  const size_t n = per_input.empty() ? 0 : per_input[0].size();
  for (size_t i = 1; i < per_input.size(); ++i)
    if (per_input[i].size() != n)
      throw QuantizeError("calibration sources hold different sample counts (input 0: " +
                          std::to_string(n) + ", input " + std::to_string(i) + ": " +
                          std::to_string(per_input[i].size()) + ")");
  std::vector<Sample> samples(n);
  for (size_t s = 0; s < n; ++s)
    for (size_t i = 0; i < inputs.size(); ++i) samples[s].inputs.push_back(std::move(per_input[i][s]));
  return samples;
}

}  // namespace quantizer
}  // namespace edgelite
