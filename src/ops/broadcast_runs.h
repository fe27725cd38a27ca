// The broadcast of two inputs to an output, cut into runs for the elementwise kernels
// (src/kernels/elementwise_f32, src/kernels/elementwise_int8): along the innermost output
// dimensions where each input is either contiguous (step 1) or one repeated element (step 0), a
// run is out[i] = f(a[i * a_step], b[i * b_step]). Output ranges are split over the threads.
#ifndef EDGELITE_OPS_BROADCAST_RUNS_H_
#define EDGELITE_OPS_BROADCAST_RUNS_H_

#include <algorithm>
#include <cstdint>

#include "edgelite/op.h"
#include "edgelite/tensor.h"

namespace edgelite {
namespace ops {

struct BroadcastRuns {
  int64_t od[kMaxRank] = {};  // output dims
  int64_t as[kMaxRank] = {};  // input strides per output dim (0: broadcast)
  int64_t bs[kMaxRank] = {};
  int outer = 0;     // dimensions [0, outer) are iterated; [outer, rank) form the run
  int64_t run = 1;   // elements per run
  int a_step = 0, b_step = 0;
  int64_t total = 0;  // output elements

  // Shapes broadcast to `out` (validated by the op's prepare).
  BroadcastRuns(const Shape& a, const Shape& b, const Shape& out) {
    const int rank = out.rank;
    total = out.NumElements();
    int64_t sa = 1, sb = 1;
    for (int i = rank - 1; i >= 0; --i) {
      const int ia = i - (rank - a.rank), ib = i - (rank - b.rank);
      const int64_t ad = ia >= 0 ? a[ia] : 1, bd = ib >= 0 ? b[ib] : 1;
      od[i] = out[i];
      as[i] = ad == 1 ? 0 : sa;
      bs[i] = bd == 1 ? 0 : sb;
      sa *= ad;
      sb *= bd;
    }
    // Size-1 output dimensions fit any access pattern.
    outer = rank;
    a_step = b_step = -1;
    while (outer > 0) {
      const int i = outer - 1;
      if (od[i] != 1) {
        const int sa_i = as[i] != 0 ? 1 : 0, sb_i = bs[i] != 0 ? 1 : 0;
        if (a_step < 0) {
          a_step = sa_i;
          b_step = sb_i;
        } else if (sa_i != a_step || sb_i != b_step) {
          break;
        }
        run *= od[i];
      }
      --outer;
    }
    if (a_step < 0) a_step = b_step = 0;  // a single element
  }

  // Calls f(a_offset, b_offset, out_index, len) for the pieces of runs covering output
  // elements [i0, i1): input a at a_offset (then a_step per element), b likewise.
  template <typename F>
  void ForEach(int64_t i0, int64_t i1, F f) const {
    for (int64_t i = i0; i < i1;) {
      int64_t rest = i / run;
      const int64_t in_run = i - rest * run;
      const int64_t len = std::min(run - in_run, i1 - i);
      int64_t ao = 0, bo = 0;
      for (int k = outer - 1; k >= 0 && rest > 0; --k) {
        const int64_t idx = rest % od[k];
        rest /= od[k];
        ao += idx * as[k];
        bo += idx * bs[k];
      }
      f(ao + in_run * a_step, bo + in_run * b_step, i, len);
      i += len;
    }
  }
};

// Elements below which one thread does the whole elementwise op (waking a worker costs a few
// microseconds and these kernels move 1-3 elements per nanosecond).
constexpr int64_t kMinParallelElements = 1 << 15;

// Calls range(i0, i1) over [0, total): once, or on up to 4 ranges per thread when the tensor is
// large enough.
template <typename F>
void ParallelRanges(OpContext& ctx, int64_t total, F range) {
  const int threads = ctx.num_threads();
  if (threads <= 1 || total < kMinParallelElements) {
    range(0, total);
    return;
  }
  const int32_t tasks = static_cast<int32_t>(
      std::min<int64_t>(int64_t{threads} * 4, total / (kMinParallelElements / 4)));
  ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
    range(total * t / tasks, total * (t + 1) / tasks);
  });
}

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_BROADCAST_RUNS_H_
