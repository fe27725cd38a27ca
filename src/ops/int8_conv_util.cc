#include "src/ops/int8_conv_util.h"

#include <algorithm>

namespace edgelite {
namespace ops {
namespace {

namespace ck = kernels::conv_int8;

size_t SliceBytes(const ck::ConvPlan& plan) {
  return (ck::ConvScratchBytes(plan) + 63) & ~size_t{63};
}

// Rows per task when splitting rows: a multiple of 8 (the GEMM row tiles divide it), at most one
// im2col chunk, about four tasks per thread so that uneven tasks balance.
int64_t RowsPerTask(const ck::ConvPlan& plan, int64_t rows, int threads) {
  int64_t per = (rows + int64_t{threads} * 4 - 1) / (int64_t{threads} * 4);
  per = (per + 7) & ~int64_t{7};
  return std::max<int64_t>(8, std::min<int64_t>(per, plan.chunk_rows));
}

}  // namespace

size_t Int8ConvScratchBytes(const ck::ConvPlan& plan, int threads) {
  return SliceBytes(plan) * static_cast<size_t>(threads < 1 ? 1 : threads);
}

void RunInt8Conv(OpContext& ctx, const ck::ConvPlan& plan, const uint8_t* input, void* output,
                 void* scratch) {
  const int64_t rows = plan.g.rows();
  if (rows <= 0) return;
  const int threads = ctx.num_threads();
  const double ops = 2.0 * static_cast<double>(rows) * plan.g.out_c * plan.g.depth();
  if (threads <= 1 || ops < kMinParallelIntOps) {
    ck::RunConv(plan, input, output, scratch, 0, rows);
    return;
  }
  auto* base = static_cast<uint8_t*>(scratch);
  const size_t slice = SliceBytes(plan);
  const int32_t n_blocks = plan.w.n_blocks;
  // Few rows: every task would stream all the weights for little work; split the columns instead
  // (each task gathers the rows again, which is cheap next to its share of the product).
  if (rows < int64_t{64} * threads && n_blocks >= 2) {
    const int32_t tasks = std::min<int32_t>(n_blocks, threads * 4);
    ctx.ParallelFor(tasks, [&](int32_t t, int32_t worker) {
      const int32_t b0 = static_cast<int32_t>(int64_t{n_blocks} * t / tasks);
      const int32_t b1 = static_cast<int32_t>(int64_t{n_blocks} * (t + 1) / tasks);
      ck::RunConvBlocks(plan, input, output, base + slice * static_cast<size_t>(worker), 0, rows,
                        b0, b1);
    });
    return;
  }
  const int64_t per = RowsPerTask(plan, rows, threads);
  const int64_t tasks = (rows + per - 1) / per;
  ctx.ParallelFor(static_cast<int32_t>(tasks), [&](int32_t t, int32_t worker) {
    const int64_t m0 = t * per;
    ck::RunConv(plan, input, output, base + slice * static_cast<size_t>(worker), m0,
                std::min(rows, m0 + per));
  });
}

}  // namespace ops
}  // namespace edgelite
