// Helpers shared by the quantizer's files and its unit tests (not a public API).
#ifndef EDGELITE_QUANTIZER_INTERNAL_H_
#define EDGELITE_QUANTIZER_INTERNAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "schema/tflite_generated.h"

namespace edgelite {
namespace quantizer {
namespace internal {

// Quantization parameters of one tensor (one entry per channel when per-channel).
struct QParams {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t dim = 0;
};

// TFLite's asymmetric activation parameters for the range [mn, mx] widened to
// include 0, quantized to [qmin, qmax].
QParams Asymmetric(double mn, double mx, int qmin, int qmax);
// Symmetric parameters (zero point 0): scale = max(|mn|, |mx|) / qmax.
QParams Symmetric(double mn, double mx, int qmax);
// round half away from zero, clamped to [lo, hi].
int32_t ClampRound(double v, int64_t lo, int64_t hi);

fb::BuiltinOperator OpCode(const fb::ModelT& m, const fb::OperatorT& op);
std::string OpName(fb::BuiltinOperator c);
bool IsConst(const fb::ModelT& m, int32_t t);
int64_t NumElements(const std::vector<int32_t>& shape);
std::vector<float> ConstFloats(const fb::ModelT& m, int32_t t);
int OpCodeIndex(fb::ModelT& m, fb::BuiltinOperator code, int version);
int AddBuffer(fb::ModelT& m, std::vector<uint8_t> bytes);
int AddTensor(fb::ModelT& m, fb::TensorType type, const std::vector<int32_t>& shape,
              const std::string& name, int buffer);
void SetQuant(fb::TensorT& t, const QParams& q);
std::unique_ptr<fb::OperatorT> MakeOp(fb::ModelT& m, fb::BuiltinOperator code, int version,
                                      std::vector<int32_t> inputs, std::vector<int32_t> outputs);

}  // namespace internal
}  // namespace quantizer
}  // namespace edgelite

#endif  // EDGELITE_QUANTIZER_INTERNAL_H_
