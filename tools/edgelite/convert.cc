// `edgelite convert`: ONNX -> .tflite with the converter library (converter/).
#include <chrono>
#include <fstream>
#include <iostream>

#include "converter/converter.h"
#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"

namespace edgelite {
namespace cli {

int ConvertCommand(const ConvertCommandOptions& opts) {
  converter::ConvertOptions co;
  co.nhwc_io = opts.nhwc_io;
  try {
    for (const auto& s : opts.input_shapes) converter::ParseInputShape(s, &co);
    if (!opts.quiet) co.progress = [](const std::string& line) { std::cerr << "convert: " << line << "\n"; };
    const auto t0 = std::chrono::steady_clock::now();
    auto res = converter::ConvertOnnxFile(opts.model, co);
    const size_t float_bytes = res.tflite.size();
    if (!opts.quant.mode.empty()) {
      QuantizeCliOptions q = opts.quant;
      q.quiet = opts.quiet;
      res.tflite = QuantizeBytes(res.tflite, q, opts.model);
    }
    std::ofstream f(opts.out, std::ios::binary);
    if (!f) throw CliError("cannot write '" + opts.out + "'");
    f.write(reinterpret_cast<const char*>(res.tflite.data()), static_cast<std::streamsize>(res.tflite.size()));
    f.close();
    if (!f) throw CliError("error writing '" + opts.out + "'");
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::cout << opts.out << ": " << res.tflite.size() << " bytes";
    if (!opts.quant.mode.empty())
      std::cout << " (" << opts.quant.mode << "; float: " << float_bytes << " bytes)";
    std::cout << ", " << res.stats.tflite_ops
              << " ops (" << res.stats.runtime_transposes << " layout transposes) from "
              << res.stats.onnx_nodes << " ONNX nodes in " << static_cast<long>(ms) << " ms\n";
  } catch (const converter::ConvertError& e) {
    throw CliError(opts.model + ": " + e.what());
  }
  return 0;
}

}  // namespace cli
}  // namespace edgelite
