// The threaded driver of the 8-bit GEMM convolution kernel (src/kernels/conv_int8) shared by
// CONV_2D and FULLY_CONNECTED: one scratch slice per worker, planned in the arena in Prepare, and
// Eval split into tasks for OpContext::ParallelFor over output row ranges (many rows) or column
// blocks (few rows: FULLY_CONNECTED, the last layers of a CNN). Every output element is computed
// by exactly one task with the same integer arithmetic, so the result does not depend on the
// number of threads.
#ifndef EDGELITE_OPS_INT8_CONV_UTIL_H_
#define EDGELITE_OPS_INT8_CONV_UTIL_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/op.h"
#include "src/kernels/conv_int8/conv_int8.h"

namespace edgelite {
namespace ops {

// Scratch bytes RunInt8Conv needs with `threads` workers (one slice each, 64-byte multiples).
size_t Int8ConvScratchBytes(const kernels::conv_int8::ConvPlan& plan, int threads);

// Computes every output row of `plan` (RunConv over [0, plan.g.rows())) on the interpreter's
// threads. `scratch` holds Int8ConvScratchBytes(plan, ctx.num_threads()) bytes, 4-byte aligned
// (arena scratch is).
void RunInt8Conv(OpContext& ctx, const kernels::conv_int8::ConvPlan& plan, const uint8_t* input,
                 void* output, void* scratch);

// Integer operations (2 per multiply-add) below which an 8-bit kernel stays on one thread:
// waking a worker costs a few microseconds.
constexpr double kMinParallelIntOps = 1.5e6;

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_INT8_CONV_UTIL_H_
