// Reference BATCH_MATMUL (float32): out[b] = op(lhs[b]) x op(rhs[b]) for
// every batch index b of the broadcast batch shape, op = transpose when the
// adjoint flag is set.
#ifndef EDGELITE_REF_BATCH_MATMUL_H_
#define EDGELITE_REF_BATCH_MATMUL_H_

#include <algorithm>
#include <cstdint>

#include "edgelite/tensor.h"
#include "src/quant/fixed_point.h"

namespace edgelite {
namespace ref {

// Matrix offsets into lhs and rhs for each index of the broadcast output batch
// shape (batch shapes right-aligned; a missing or size-1 dim is repeated).
class BatchBroadcast {
 public:
  BatchBroadcast(const Shape& lhs_batch, const Shape& rhs_batch, const Shape& out_batch,
                 int64_t lhs_matrix, int64_t rhs_matrix)
      : out_batch_(out_batch), batches_(out_batch.NumElements()) {
    const int rank = out_batch.rank;
    int64_t ls = lhs_matrix, rs = rhs_matrix;
    for (int a = rank - 1; a >= 0; --a) {
      const int la = lhs_batch.rank - rank + a, ra = rhs_batch.rank - rank + a;
      const int32_t ld = la >= 0 ? lhs_batch.dims[la] : 1;
      const int32_t rd = ra >= 0 ? rhs_batch.dims[ra] : 1;
      lhs_stride_[a] = ld == 1 ? 0 : ls;  // 0: broadcast along this axis
      rhs_stride_[a] = rd == 1 ? 0 : rs;
      ls *= ld;
      rs *= rd;
    }
  }
  int64_t batches() const { return batches_; }
  void Offsets(int64_t b, int64_t* lhs_off, int64_t* rhs_off) const {
    *lhs_off = 0;
    *rhs_off = 0;
    for (int a = out_batch_.rank - 1; a >= 0; --a) {
      const int64_t i = b % out_batch_.dims[a];
      b /= out_batch_.dims[a];
      *lhs_off += i * lhs_stride_[a];
      *rhs_off += i * rhs_stride_[a];
    }
  }

 private:
  Shape out_batch_;
  int64_t batches_;
  int64_t lhs_stride_[kMaxRank] = {}, rhs_stride_[kMaxRank] = {};
};

// lhs [lhs_batch..., M, K] ([..., K, M] if adj_x); rhs [rhs_batch..., K, N]
// ([..., N, K] if adj_y); out [out_batch..., M, N]. Batch shapes are
// right-aligned and broadcast NumPy-style into `out_batch` (rank
// out_batch.rank; a missing or size-1 lhs/rhs batch dim is repeated).
// Products accumulate in float in increasing k, like TFLite's reference.
inline void BatchMatMulFloat(const float* lhs, const Shape& lhs_batch, const float* rhs,
                             const Shape& rhs_batch, const Shape& out_batch, int64_t m, int64_t k,
                             int64_t n, bool adj_x, bool adj_y, float* out) {
  const BatchBroadcast bb(lhs_batch, rhs_batch, out_batch, m * k, k * n);
  for (int64_t b = 0; b < bb.batches(); ++b) {
    int64_t lhs_off, rhs_off;
    bb.Offsets(b, &lhs_off, &rhs_off);
    const float* l = lhs + lhs_off;
    const float* r = rhs + rhs_off;
    float* o = out + b * m * n;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int64_t p = 0; p < k; ++p) {
          const float x = adj_x ? l[p * m + i] : l[i * k + p];
          const float y = adj_y ? r[j * k + p] : r[p * n + j];
          acc += x * y;
        }
        o[i * n + j] = acc;
      }
    }
  }
}

// Quantized BATCH_MATMUL (TFLite's reference integer kernel), same layout
// and broadcasting as BatchMatMulFloat:
//   acc = sum_k (x + lhs_offset) * (y + rhs_offset)       (AccT: int32 or int64)
//   out = clamp(MultiplyByQuantizedMultiplier(acc) + output_offset)
// with offsets = -zero points. requantize == false (int8 x int8 -> int32)
// writes the raw sum of products instead, as TFLite does.
struct QuantizedBatchMatMulParams {
  int32_t lhs_offset = 0, rhs_offset = 0, output_offset = 0;
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t act_min = 0, act_max = 0;
  bool requantize = true;
};

template <typename LhsT, typename RhsT, typename AccT, typename OutT>
inline void BatchMatMulQuantized(const QuantizedBatchMatMulParams& p, const LhsT* lhs,
                                 const Shape& lhs_batch, const RhsT* rhs, const Shape& rhs_batch,
                                 const Shape& out_batch, int64_t m, int64_t k, int64_t n,
                                 bool adj_x, bool adj_y, OutT* out) {
  const BatchBroadcast bb(lhs_batch, rhs_batch, out_batch, m * k, k * n);
  // Raw int32 output (requantize == false) ignores the zero points.
  const AccT lhs_offset = p.requantize ? p.lhs_offset : 0;
  const AccT rhs_offset = p.requantize ? p.rhs_offset : 0;
  for (int64_t b = 0; b < bb.batches(); ++b) {
    int64_t lhs_off, rhs_off;
    bb.Offsets(b, &lhs_off, &rhs_off);
    const LhsT* l = lhs + lhs_off;
    const RhsT* r = rhs + rhs_off;
    OutT* o = out + b * m * n;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        AccT acc = 0;
        for (int64_t q = 0; q < k; ++q) {
          const AccT x = adj_x ? l[q * m + i] : l[i * k + q];
          const AccT y = adj_y ? r[j * k + q] : r[q * n + j];
          acc += (x + lhs_offset) * (y + rhs_offset);
        }
        if (!p.requantize) {
          o[i * n + j] = static_cast<OutT>(acc);
          continue;
        }
        int32_t v;
        if constexpr (sizeof(AccT) == 8)
          v = quant::MultiplyByQuantizedMultiplier64(acc, p.output_multiplier, p.output_shift);
        else
          v = quant::MultiplyByQuantizedMultiplier(acc, p.output_multiplier, p.output_shift);
        v += p.output_offset;
        o[i * n + j] = static_cast<OutT>(std::min(std::max(v, p.act_min), p.act_max));
      }
    }
  }
}

// Hybrid BATCH_MATMUL (TFLite's EvalHybrid with the reference kernel): the
// float lhs rows (row-major [lhs batches * m, k], i.e. after any adj_x
// transpose) were quantized per row into q with zero point zp[row]; factor
// [row] = row scale * rhs scale (formed in float). rhs: int8, layout as in
// BatchMatMulFloat. TFLite's arithmetic per output:
//   total = int32 sum_p q * rhs;  total -= row_sum * float(zp)  (in float,
//   truncated back to int32, so |total| > 2^24 loses low bits as in TFLite);
//   out = 0.0f + factor[row] * float(total).
// Each lhs row uses its own factor and zero point (TFLite's reference
// indexes them correctly only while a single batch axis varies; see
// docs/numerics.md).
inline void BatchMatMulHybrid(const int8_t* q, const float* factor, const int32_t* zp,
                              const Shape& lhs_batch, const int8_t* rhs, const Shape& rhs_batch,
                              const Shape& out_batch, int64_t m, int64_t k, int64_t n,
                              bool adj_y, float* out) {
  const BatchBroadcast bb(lhs_batch, rhs_batch, out_batch, m * k, k * n);
  for (int64_t b = 0; b < bb.batches(); ++b) {
    int64_t lhs_off, rhs_off;
    bb.Offsets(b, &lhs_off, &rhs_off);
    const int64_t row0 = k > 0 ? lhs_off / k : 0;
    const int8_t* r = rhs + rhs_off;
    float* o = out + b * m * n;
    for (int64_t i = 0; i < m; ++i) {
      const int8_t* x = q + (row0 + i) * k;
      const float batch_offset = static_cast<float>(zp[row0 + i]);
      for (int64_t j = 0; j < n; ++j) {
        uint32_t total = 0, row_sum = 0;
        for (int64_t p = 0; p < k; ++p) {
          const int32_t y = adj_y ? r[j * k + p] : r[p * n + j];
          total += static_cast<uint32_t>(static_cast<int32_t>(x[p]) * y);
          row_sum += static_cast<uint32_t>(y);
        }
        const float corrected = static_cast<float>(static_cast<int32_t>(total)) -
                                static_cast<float>(static_cast<int32_t>(row_sum)) * batch_offset;
        // In range for any depth below ~44k; clamped so that a larger one
        // cannot make the conversion undefined (TFLite's would be).
        const float kLimit = 2147483520.0f;  // largest float below 2^31
        const int32_t t =
            corrected != corrected
                ? 0
                : static_cast<int32_t>(std::min(kLimit, std::max(-kLimit, corrected)));
        o[i * n + j] = 0.0f + factor[row0 + i] * static_cast<float>(t);
      }
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_BATCH_MATMUL_H_
