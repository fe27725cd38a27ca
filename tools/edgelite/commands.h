// The edgelite CLI's commands. Each returns the process exit status and
// throws CliError (see common.h) for failures.
#ifndef EDGELITE_TOOLS_EDGELITE_COMMANDS_H_
#define EDGELITE_TOOLS_EDGELITE_COMMANDS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace edgelite {
namespace cli {

struct InspectOptions {
  std::string model;
  bool json = false;
  bool micro = false;        // --micro: the micro profile's arena and resolver lines
  std::string micro_probe;   // --micro-probe: the arena probe firmware (micro.cc)
};
int InspectCommand(const InspectOptions& opts);
int InspectMicroCommand(const InspectOptions& opts);

struct ExportCOptions {
  std::string model;
  std::string out;             // -o model_data.cc
  std::string name = "g_model";
};
int ExportCCommand(const ExportCOptions& opts);

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;  // "N=FILE" (N: input position or name)
  std::string out_dir;
  int threads = 1;
  std::string labels;
  int top = 5;
  int64_t seed = 1;
  int warmup = 0;
  int runs = 1;
  // Float inputs fed from images: value = (pixel - mean) / std.
  float image_mean = 0.0f;
  float image_std = 1.0f;
  int output_index = 0;  // output used for --labels
  // InterpreterOptions caps (0: none).
  uint64_t max_arena_bytes = 0;
  uint64_t max_tensor_bytes = 0;
};
int RunCommand(const RunOptions& opts);

struct BenchOptions {
  std::string model;
  int threads = 1;
  int warmup = 1;   // as TFLite's benchmark_model
  int runs = 50;
  int64_t seed = 1;
  bool profile = false;
  bool json = false;
  // InterpreterOptions caps (0: none).
  uint64_t max_arena_bytes = 0;
  uint64_t max_tensor_bytes = 0;
};
int BenchCommand(const BenchOptions& opts);

struct PeakOptions {
  double seconds = 0.25;  // per measurement round
  int rounds = 5;
  bool json = false;
};
int PeakCommand(const PeakOptions& opts);

struct DemoOptions {
  std::string out;        // OUT.tflite
  std::string kind;       // "cnn", "mlp" or "" (best available)
  int digit = 7;          // digit drawn in the sample image
};
int MakeDemoCommand(const DemoOptions& opts);

// Post-training quantization options (`quantize`, and `convert --mode`).
struct QuantizeCliOptions {
  std::string model;                     // IN.tflite
  std::string out;                       // -o OUT.tflite
  std::string mode;                      // float16, dynamic, int8, int16x8 ("" with convert: none)
  std::vector<std::string> calibration;  // PATH or N=PATH (raw file, directory, image directory)
  bool per_tensor = false;
  bool allow_float = false;              // ops without an integer rule stay float
  std::string io = "float";              // --io: inputs and outputs
  std::string input_type, output_type;   // override --io for one side ("" = --io)
  std::string report;                    // --report FILE (.json: JSON, else text)
  int max_samples = 0;                   // 0: every sample
  float image_mean = 0.0f;               // image calibration: (pixel - mean) / std
  float image_std = 1.0f;
  bool quiet = false;
};
int QuantizeCommand(const QuantizeCliOptions& opts);
// Quantizes model bytes as `opts` says (mode must be set); `what` names the
// model in errors. Writes the report file if asked. Throws CliError.
std::vector<uint8_t> QuantizeBytes(const std::vector<uint8_t>& model, const QuantizeCliOptions& opts,
                                   const std::string& what);

struct ConvertCommandOptions {
  std::string model;                      // MODEL.onnx
  std::string out;                        // -o OUT.tflite
  std::vector<std::string> input_shapes;  // "NAME=1,3,224,224"
  bool nhwc_io = false;
  bool quiet = false;
  QuantizeCliOptions quant;               // quant.mode non-empty: quantize the result
};
// Defined only when the converter is built (EDGELITE_HAVE_CONVERTER).
int ConvertCommand(const ConvertCommandOptions& opts);

}  // namespace cli
}  // namespace edgelite

#endif  // EDGELITE_TOOLS_EDGELITE_COMMANDS_H_
