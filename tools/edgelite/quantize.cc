// `edgelite quantize` (and the quantization options of `edgelite convert`):
// post-training quantization with the quantizer library (quantizer/).
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "quantizer/quantizer.h"
#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"
#include "tools/edgelite/image.h"

namespace edgelite {
namespace cli {
namespace {

bool IsDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> ImageFiles(const std::string& dir) {
  std::vector<std::string> v;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return v;
  while (dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (!n.empty() && n[0] != '.' && IsImagePath(n)) v.push_back(dir + "/" + n);
  }
  ::closedir(d);
  std::sort(v.begin(), v.end());
  return v;
}

DataType DataTypeFromSchemaName(const std::string& s) {
  if (s == "FLOAT32") return DataType::kFloat32;
  if (s == "UINT8") return DataType::kUInt8;
  if (s == "INT8") return DataType::kInt8;
  if (s == "INT16") return DataType::kInt16;
  throw CliError("image calibration data for an input of type " + s + " is not supported");
}

// --calibration sources: a directory of images (single-input image models)
// is decoded here; everything else goes to the quantizer's loader.
std::vector<quantizer::Sample> LoadSamples(const QuantizeCliOptions& o,
                                           const std::vector<uint8_t>& model) {
  if (o.calibration.size() == 1 && IsDir(o.calibration[0])) {
    const auto images = ImageFiles(o.calibration[0]);
    if (!images.empty()) {
      const auto inputs = quantizer::ModelInputs(model);
      if (inputs.size() != 1)
        throw CliError("a directory of images calibrates single-input models only; this one has " +
                       std::to_string(inputs.size()) + " inputs (give N=PATH raw sources)");
      Shape shape;
      shape.rank = static_cast<int32_t>(inputs[0].shape.size());
      for (int i = 0; i < shape.rank; ++i) shape.dims[i] = inputs[0].shape[i];
      const DataType type = DataTypeFromSchemaName(inputs[0].dtype);
      std::vector<quantizer::Sample> samples;
      for (const auto& path : images) {
        if (o.max_samples > 0 && static_cast<int>(samples.size()) >= o.max_samples) break;
        quantizer::Sample s;
        s.inputs.emplace_back(inputs[0].bytes);
        ImageToTensor(path, type, shape, s.inputs[0].data(), s.inputs[0].size(), o.image_mean,
                      o.image_std);
        samples.push_back(std::move(s));
      }
      return samples;
    }
  }
  auto samples = quantizer::LoadCalibration(o.calibration, model);
  if (o.max_samples > 0 && static_cast<int>(samples.size()) > o.max_samples)
    samples.resize(static_cast<size_t>(o.max_samples));
  return samples;
}

}  // namespace

std::vector<uint8_t> QuantizeBytes(const std::vector<uint8_t>& model, const QuantizeCliOptions& o,
                                   const std::string& what) {
  try {
    quantizer::QuantizeOptions qo;
    qo.mode = quantizer::ParseMode(o.mode);
    qo.per_tensor = o.per_tensor;
    qo.allow_float_fallback = o.allow_float;
    qo.input_type = quantizer::ParseIoType(o.input_type.empty() ? o.io : o.input_type);
    qo.output_type = quantizer::ParseIoType(o.output_type.empty() ? o.io : o.output_type);
    qo.report = !o.report.empty();
    if (!o.calibration.empty()) qo.calibration = LoadSamples(o, model);
    if (!o.quiet) {
      qo.progress = [](const std::string& line) { std::cerr << "quantize: " << line << "\n"; };
      if (!qo.calibration.empty())
        std::cerr << "quantize: " << qo.calibration.size() << " calibration samples\n";
    }
    auto res = quantizer::QuantizeModel(model, qo);
    if (!o.report.empty()) {
      const bool json = o.report.size() >= 5 && o.report.substr(o.report.size() - 5) == ".json";
      std::ofstream f(o.report);
      if (!f) throw CliError("cannot write '" + o.report + "'");
      f << (json ? res.report.ToJson() : res.report.ToText());
      if (!f) throw CliError("error writing '" + o.report + "'");
    }
    return std::move(res.tflite);
  } catch (const quantizer::QuantizeError& e) {
    throw CliError(what + ": " + e.what());
  }
}

int QuantizeCommand(const QuantizeCliOptions& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<uint8_t> in;
  try {
    in = quantizer::ReadFileBytes(opts.model);
  } catch (const quantizer::QuantizeError& e) {
    throw CliError(e.what());
  }
  auto out = QuantizeBytes(in, opts, opts.model);
  std::ofstream f(opts.out, std::ios::binary);
  if (!f) throw CliError("cannot write '" + opts.out + "'");
  f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  f.close();
  if (!f) throw CliError("error writing '" + opts.out + "'");
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2f", out.empty() ? 0.0 : static_cast<double>(in.size()) / out.size());
  std::cout << opts.out << ": " << opts.mode << ", " << in.size() << " -> " << out.size()
            << " bytes (" << ratio << "x smaller) in " << static_cast<long>(ms) << " ms\n";
  return 0;
}

}  // namespace cli
}  // namespace edgelite
