// Prepare/eval of the quantized (int8/uint8/int16) paths of ADD, SUB, MUL
// and (int8 only) SQUARED_DIFFERENCE, shared by those op files. Multipliers, shifts and the
// activation range are computed once in prepare (TFLite's add.cc/sub.cc/mul.cc derivations); eval
// runs src/ref/quantized_binary.h with broadcasting.
#ifndef EDGELITE_OPS_QUANTIZED_BINARY_UTIL_H_
#define EDGELITE_OPS_QUANTIZED_BINARY_UTIL_H_

#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {

enum class QuantizedBinaryKind : uint8_t { kAdd, kSub, kMul, kSquaredDifference };

// True if the op's inputs take the quantized path: int8/uint8/int16 inputs
// carrying quantization parameters.
bool IsQuantizedBinary(OpContext& ctx);

// Validates and prepares the quantized path (sets ctx.user_data to the op's
// parameters and sizes the output). `pot_scale_int16` is the ADD/SUB option
// of that name (ignored for MUL).
Status PrepareQuantizedBinary(OpContext& ctx, QuantizedBinaryKind kind,
                              fb::ActivationFunctionType activation, bool pot_scale_int16);
Status EvalQuantizedBinary(OpContext& ctx, QuantizedBinaryKind kind);

// TFLite's CheckedLog2: true if `x` is a power of two (log2 within 1e-3 of
// an integer), with that integer in *log2.
bool CheckedLog2(float x, int* log2);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_QUANTIZED_BINARY_UTIL_H_
