#include "src/kernels/conv_int8/conv_int8.h"

#include <algorithm>
#include <cstring>

namespace edgelite {
namespace kernels {
namespace conv_int8 {
namespace {

using gemm_int8::kKr;
using gemm_int8::kNr;

size_t Align64(size_t n) { return (n + 63) & ~size_t{63}; }

int32_t PaddedN(int32_t n) { return (n + kNr - 1) / kNr * kNr; }
int32_t PaddedK(int32_t k) { return (k + kKr - 1) / kKr * kKr; }

// Target bytes of one chunk of A: about half of L2 per core is left for the weights.
constexpr size_t kChunkBytes = 64 * 1024;

// dst[i] = src[i] ^ x, eight bytes at a time (the compiler does not vectorize the byte loop at -O2).
// From 8 bytes on, the last (partial) step is one more 8-byte step ending at n, which rewrites
// some bytes with the same values: no byte loop for the short spans of im2col.
inline void XorCopy(uint8_t* dst, const uint8_t* src, int32_t n, uint8_t x) {
  const uint64_t x8 = 0x0101010101010101ull * x;
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, src + i, 8);
    v ^= x8;
    std::memcpy(dst + i, &v, 8);
  }
  if (i == n) return;
  if (n >= 8) {
    uint64_t v;
    std::memcpy(&v, src + n - 8, 8);
    v ^= x8;
    std::memcpy(dst + n - 8, &v, 8);
    return;
  }
  for (; i < n; ++i) dst[i] = src[i] ^ x;
}

// One im2col row: the patch of output pixel (b, oy, ox), k_h * k_w * in_c bytes. Where the
// window's columns are all inside the image (and undilated), each kernel row is one contiguous
// span of the input row: one copy of k_w * in_c bytes instead of k_w copies of in_c.
void GatherRow(const ConvPlan& plan, const uint8_t* input, int64_t b, int32_t oy, int32_t ox,
               uint8_t* dst) {
  const ConvGeometry& g = plan.g;
  const uint8_t x = plan.a_xor;
  const int32_t ix0 = ox * g.stride_w - g.pad_left;
  const bool x_inside = g.dilation_w == 1 && ix0 >= 0 && ix0 + g.k_w - 1 < g.in_w;
  const int32_t span = g.k_w * g.in_c;
  for (int32_t ky = 0; ky < g.k_h; ++ky) {
    const int32_t iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
    uint8_t* d = dst + static_cast<int64_t>(ky) * span;
    if (iy < 0 || iy >= g.in_h) {
      std::memset(d, plan.pad_byte, static_cast<size_t>(span));
      continue;
    }
    const uint8_t* row = input + (b * g.in_h + iy) * static_cast<int64_t>(g.in_w) * g.in_c;
    if (x_inside) {
      XorCopy(d, row + static_cast<int64_t>(ix0) * g.in_c, span, x);
      continue;
    }
    for (int32_t kx = 0; kx < g.k_w; ++kx) {
      const int32_t ix = ix0 + kx * g.dilation_w;
      uint8_t* dk = d + kx * g.in_c;
      if (ix < 0 || ix >= g.in_w) {
        std::memset(dk, plan.pad_byte, static_cast<size_t>(g.in_c));
      } else {
        XorCopy(dk, row + static_cast<int64_t>(ix) * g.in_c, g.in_c, x);
      }
    }
  }
}

// Sum of n bytes. Eight at a time: pairs of bytes are added into 16-bit fields, then the four
// fields are added by one multiply (each field <= 4 * 255 * 2, no carry between fields).
uint32_t RowSum(const uint8_t* row, int32_t n) {
  constexpr uint64_t kLow = 0x00FF00FF00FF00FFull;
  uint32_t s = 0;
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, row + i, 8);
    const uint64_t pairs = (v & kLow) + ((v >> 8) & kLow);
    s += static_cast<uint32_t>((pairs * 0x0001000100010001ull) >> 48);
  }
  for (; i < n; ++i) s += row[i];
  return s;
}

// [lo, hi): the output coordinates whose undilated window [o * stride - pad, + k) lies inside
// [0, in); empty when dilated (those rows take GatherRow's checks).
void InsideRange(int32_t out, int32_t in, int32_t k, int32_t stride, int32_t pad, int32_t dilation,
                 int32_t* lo, int32_t* hi) {
  *lo = *hi = 0;
  if (dilation != 1) return;
  *lo = (pad + stride - 1) / stride;
  const int32_t last = in - k + pad;  // o * stride <= last
  *hi = last < 0 ? 0 : std::min(out, last / stride + 1);
  *hi = std::max(*hi, *lo);
}

}  // namespace

namespace {
// Whether the plan keeps the weights as int16 only (the AVX2 path; decided like the GEMM).
bool WideWeights(const ConvGeometry& g) {
  return gemm_int8::WantsWideWeights() && PaddedK(g.depth()) <= gemm_int8::kWideMaxDepth;
}
}  // namespace

size_t ConvPlanPersistentBytes(const ConvGeometry& g) {
  const size_t pn = static_cast<size_t>(PaddedN(g.out_c));
  const size_t weights = WideWeights(g) ? gemm_int8::WideDataBytes(g.out_c, g.depth())
                                        : gemm_int8::PackedDataBytes(g.out_c, g.depth());
  return Align64(weights) + 7 * Align64(pn * 4) + 64;
}

void PrepareConvPlan(const ConvGeometry& g, const uint8_t* weights, const ConvQuant& q,
                     void* persistent, ConvPlan* plan) {
  plan->g = g;
  const int32_t n = g.out_c, k = g.depth(), pn = PaddedN(n);
  auto base = reinterpret_cast<uintptr_t>(persistent);
  base = (base + 63) & ~uintptr_t{63};
  // The weights first: int16 only (packed as bytes into the second half, then widened in place),
  // or the 8-bit layout.
  const bool wide = WideWeights(g);
  const size_t weight_bytes =
      wide ? gemm_int8::WideDataBytes(n, k) : gemm_int8::PackedDataBytes(n, k);
  auto* data = reinterpret_cast<int8_t*>(base) + (wide ? weight_bytes / 2 : 0);
  auto* col_sum = reinterpret_cast<int32_t*>(base + Align64(weight_bytes));
  int32_t* col_bias = col_sum + Align64(pn * 4) / 4;
  int32_t* mult = col_bias + Align64(pn * 4) / 4;
  int32_t* shift = mult + Align64(pn * 4) / 4;
  int32_t* left = shift + Align64(pn * 4) / 4;
  int32_t* right = left + Align64(pn * 4) / 4;
  int32_t* round_mask = right + Align64(pn * 4) / 4;
  // uint8 weights w become the int8 value w - 128 (xor 0x80), so their zero point moves too.
  gemm_int8::PackWeights(weights, n, k, k, q.unsigned_8bit, data, col_sum, &plan->w);
  plan->w.data16 = nullptr;
  if (wide) gemm_int8::PackWideWeightsInPlace(&plan->w, reinterpret_cast<int16_t*>(base));
  // Activations: int8 x becomes the unsigned byte x + 128 (xor 0x80).
  plan->a_xor = q.unsigned_8bit ? 0x00 : 0x80;
  const int32_t zx = q.input_zero_point + (q.unsigned_8bit ? 0 : 128);  // in [0, 255]
  const int32_t zw = q.weights_zero_point - (q.unsigned_8bit ? 128 : 0);
  plan->pad_byte = static_cast<uint8_t>(zx);
  plan->row_zw = zw;
  // sum_k (a - zx)(w - zw) = sum a*w - zw*sum(a) - zx*sum(w) + k*zx*zw: everything but the
  // row term is a per-column constant. Unsigned arithmetic wraps like the int32 accumulator.
  bool min_free = true;
  for (int32_t c = 0; c < pn; ++c) {
    uint32_t v = 0;
    if (c < n) {
      v = q.bias ? static_cast<uint32_t>(q.bias[c]) : 0u;
      v -= static_cast<uint32_t>(zx) * static_cast<uint32_t>(col_sum[c]);
      v += static_cast<uint32_t>(k) * static_cast<uint32_t>(zx) * static_cast<uint32_t>(zw);
    }
    col_bias[c] = static_cast<int32_t>(v);
    mult[c] = (c < n && !q.raw_int32) ? q.multiplier[c] : 0;
    shift[c] = (c < n && !q.raw_int32) ? q.shift[c] : 0;
    left[c] = shift[c] > 0 ? shift[c] : 0;
    right[c] = shift[c] > 0 ? 0 : -shift[c];
    round_mask[c] = static_cast<int32_t>((int64_t{1} << right[c]) - 1);
    if (mult[c] == INT32_MIN) min_free = false;
  }
  plan->raw_int32 = q.raw_int32;
  plan->stage.col_bias = col_bias;
  plan->stage.multiplier = mult;
  plan->stage.shift = shift;
  plan->stage.left_shift = left;
  plan->stage.right_shift = right;
  plan->stage.round_mask = round_mask;
  plan->stage.multiplier_min_free = min_free;
  plan->stage.out_offset = q.output_zero_point;
  plan->stage.act_min = q.act_min;
  plan->stage.act_max = q.act_max;
  plan->stage.out_unsigned = q.unsigned_8bit;
  const bool one_by_one = g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
                          g.pad_top == 0 && g.pad_left == 0 && g.out_h == g.in_h &&
                          g.out_w == g.in_w;
  if (one_by_one) {
    // In place when the rows need no xor, or when the GEMM applies it as it widens the rows
    // (the AVX2 int16 path: GemmArgs::a_xor); else through an xor-copy.
    const bool xor_in_gemm = plan->w.data16 != nullptr;
    plan->mode = ((plan->a_xor == 0 || xor_in_gemm) && k % kKr == 0) ? AMode::kDirect
                                                                     : AMode::kCopyRows;
  } else {
    plan->mode = AMode::kIm2col;
  }
  const size_t row_bytes = static_cast<size_t>(PaddedK(k));
  int64_t rows = static_cast<int64_t>(kChunkBytes / (row_bytes ? row_bytes : 1));
  rows = std::max<int64_t>(8, std::min<int64_t>(512, rows)) & ~int64_t{7};
  plan->chunk_rows = static_cast<int32_t>(rows);
  plan->gemm = gemm_int8::SelectGemm();
}

size_t ConvScratchBytes(const ConvPlan& plan) {
  const size_t rows = static_cast<size_t>(plan.chunk_rows);
  size_t bytes = Align64(rows * sizeof(int32_t));  // row terms
  if (plan.mode != AMode::kDirect) bytes += rows * static_cast<size_t>(plan.w.padded_k());
  return bytes;
}

void RunConv(const ConvPlan& plan, const uint8_t* input, void* output, void* scratch,
             int64_t m_begin, int64_t m_end) {
  RunConvBlocks(plan, input, output, scratch, m_begin, m_end, 0, plan.w.n_blocks);
}

void RunConvBlocks(const ConvPlan& plan, const uint8_t* input, void* output, void* scratch,
                   int64_t m_begin, int64_t m_end, int32_t nb_begin, int32_t nb_end) {
  const ConvGeometry& g = plan.g;
  const int32_t k = g.depth(), kp = plan.w.padded_k(), n = g.out_c;
  const size_t rows_cap = static_cast<size_t>(plan.chunk_rows);
  auto* row_corr = static_cast<int32_t*>(scratch);
  uint8_t* abuf = static_cast<uint8_t*>(scratch) + Align64(rows_cap * sizeof(int32_t));
  const uint8_t x = plan.a_xor;
  const int64_t pixels = static_cast<int64_t>(g.out_h) * g.out_w;
  for (int64_t c0 = m_begin; c0 < m_end; c0 += plan.chunk_rows) {
    const int64_t rows = std::min<int64_t>(m_end - c0, plan.chunk_rows);
    const uint8_t* a;
    int64_t a_stride;
    if (plan.mode == AMode::kDirect) {
      a = input + c0 * k;
      a_stride = k;
    } else {
      a = abuf;
      a_stride = kp;
      // Pixels whose whole window is inside the image: k_h copies of k_w * in_c contiguous bytes,
      // no bounds checks.
      int32_t ox_lo, ox_hi, oy_lo, oy_hi;
      InsideRange(g.out_w, g.in_w, g.k_w, g.stride_w, g.pad_left, g.dilation_w, &ox_lo, &ox_hi);
      InsideRange(g.out_h, g.in_h, g.k_h, g.stride_h, g.pad_top, g.dilation_h, &oy_lo, &oy_hi);
      const int32_t span = g.k_w * g.in_c;
      const int64_t in_row = static_cast<int64_t>(g.in_w) * g.in_c;
      // The first row's pixel, then stepped along (no divisions per row).
      int64_t b = c0 / pixels;
      const int64_t p0 = c0 % pixels;
      int32_t oy = static_cast<int32_t>(p0 / g.out_w), ox = static_cast<int32_t>(p0 % g.out_w);
      for (int64_t r = 0; r < rows; ++r) {
        uint8_t* dst = abuf + r * kp;
        if (plan.mode == AMode::kCopyRows) {
          XorCopy(dst, input + (c0 + r) * k, k, x);
        } else {
          if (ox >= ox_lo && ox < ox_hi && oy >= oy_lo && oy < oy_hi) {
            const uint8_t* src = input + (b * g.in_h + oy * g.stride_h - g.pad_top) * in_row +
                                 static_cast<int64_t>(ox * g.stride_w - g.pad_left) * g.in_c;
            for (int32_t ky = 0; ky < g.k_h; ++ky) XorCopy(dst + ky * span, src + ky * in_row, span, x);
          } else {
            GatherRow(plan, input, b, oy, ox, dst);
          }
          if (++ox == g.out_w) {
            ox = 0;
            if (++oy == g.out_h) {
              oy = 0;
              ++b;
            }
          }
        }
        // The packed weights are 0 past k, so these bytes only need to be defined.
        for (int32_t i = k; i < kp; ++i) dst[i] = 0;
      }
    }
    if (plan.row_zw != 0) {
      const uint32_t f = 0u - static_cast<uint32_t>(plan.row_zw);
      for (int64_t r = 0; r < rows; ++r) {
        row_corr[r] = static_cast<int32_t>(RowSum(a + r * a_stride, k) * f);
      }
    }
    gemm_int8::GemmArgs args;
    args.a = a;
    args.a_stride = a_stride;
    if (plan.mode == AMode::kDirect) args.a_xor = plan.a_xor;
    args.row_corr = plan.row_zw != 0 ? row_corr : nullptr;
    args.w = &plan.w;
    args.out_stride = n;
    if (plan.raw_int32) {
      args.col_bias = plan.stage.col_bias;
      args.out32 = static_cast<int32_t*>(output) + c0 * n;
    } else {
      args.stage = &plan.stage;
      args.out = static_cast<uint8_t*>(output) + c0 * n;
    }
    plan.gemm(args, 0, rows, nb_begin, nb_end);
  }
}

}  // namespace conv_int8
}  // namespace kernels
}  // namespace edgelite
