#include "src/ops/float_gemm_util.h"

#include <algorithm>

namespace edgelite {
namespace ops {

Status PreparePackedGemmF32(OpContext& ctx, PackedGemmF32* s, const float* w, const float* bias,
                            int32_t n, int32_t k) {
  const kernels::GemmF32Kernel* kernel = &kernels::SelectGemmF32Kernel();
  if (s->kernel == kernel && s->source_w == w && s->source_bias == bias && s->n == n &&
      s->k == k)
    return Status::Ok();  // already packed for this kernel
  const size_t w_floats = kernels::GemmF32PackedWeightFloats(n, k, kernel->nr);
  const size_t b_floats = kernels::GemmF32PackedBiasFloats(n, kernel->nr);
  if (s->packed_w == nullptr || s->w_capacity < w_floats) {
    s->packed_w = static_cast<float*>(ctx.AllocatePersistent(std::max<size_t>(w_floats, 1) * 4));
    if (s->packed_w == nullptr)
      return ctx.Fail(StatusCode::kResourceExhausted, "out of memory packing %zu weights",
                      w_floats);
    s->w_capacity = w_floats;
  }
  if (s->packed_bias == nullptr || s->bias_capacity < b_floats) {
    s->packed_bias =
        static_cast<float*>(ctx.AllocatePersistent(std::max<size_t>(b_floats, 1) * 4));
    if (s->packed_bias == nullptr)
      return ctx.Fail(StatusCode::kResourceExhausted, "out of memory packing the bias");
    s->bias_capacity = b_floats;
  }
  kernels::GemmF32Pack(w, bias, n, k, kernel->nr, s->packed_w, s->packed_bias);
  s->kernel = kernel;
  s->source_w = w;
  s->source_bias = bias;
  s->n = n;
  s->k = k;
  return Status::Ok();
}

int64_t Im2colBlockRows(const PackedGemmF32& s, int32_t k) {
  // About 160 KiB of input rows per block: the block stays in L2 while every weight panel
  // (k x nr floats, L1) passes over it, so the weights are read from L3 once per block.
  constexpr int64_t kBlockBytes = 160 * 1024;
  const int64_t mr = s.kernel->mr;
  const int64_t row_bytes = static_cast<int64_t>(std::max<int32_t>(k, 1)) * 4;
  const int64_t tiles = std::max<int64_t>(1, std::min<int64_t>(64, kBlockBytes / (row_bytes * mr)));
  return tiles * mr;
}

void RunPackedGemmF32(OpContext& ctx, const PackedGemmF32& s, const float* a, int64_t lda,
                      int64_t rows, float* c, int64_t ldc, float act_min, float act_max) {
  if (rows <= 0 || s.n <= 0) return;
  kernels::GemmF32Args g;
  g.a = a;
  g.lda = lda;
  g.packed_w = s.packed_w;
  g.packed_bias = s.packed_bias;
  g.k = s.k;
  g.n = s.n;
  g.c = c;
  g.ldc = ldc;
  g.act_min = act_min;
  g.act_max = act_max;
  const kernels::GemmF32Fn run = s.kernel->run;
  const int32_t panels = kernels::GemmF32NumPanels(s.n, s.kernel->nr);
  const int threads = ctx.num_threads();
  const double flops = 2.0 * static_cast<double>(rows) * s.n * s.k;
  const int64_t a_bytes = rows * static_cast<int64_t>(s.k) * 4;
  if (a_bytes <= 256 * 1024) {
    // Few rows (FULLY_CONNECTED, the last layers of a CNN): keep all of A in cache and stream
    // the weights once, split over column panels.
    if (threads <= 1 || flops < kMinParallelFlops || panels < 2) {
      run(g, 0, rows, 0, panels);
      return;
    }
    const int32_t tasks = std::min<int32_t>(panels, threads * 4);
    ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
      const int32_t p0 = static_cast<int32_t>(static_cast<int64_t>(panels) * t / tasks);
      const int32_t p1 = static_cast<int32_t>(static_cast<int64_t>(panels) * (t + 1) / tasks);
      run(g, 0, rows, p0, p1);
    });
    return;
  }
  // Many rows: blocks of rows small enough to stay in cache while every panel passes over them.
  const int64_t block = Im2colBlockRows(s, s.k);
  const int64_t blocks = (rows + block - 1) / block;
  if (threads <= 1 || flops < kMinParallelFlops) {
    for (int64_t b = 0; b < blocks; ++b)
      run(g, b * block, std::min(rows, (b + 1) * block), 0, panels);
    return;
  }
  ctx.ParallelFor(static_cast<int32_t>(blocks), [&](int32_t b, int32_t) {
    run(g, b * block, std::min<int64_t>(rows, (b + 1) * block), 0, panels);
  });
}

}  // namespace ops
}  // namespace edgelite
