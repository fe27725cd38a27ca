// 8-bit GEMM for the integer convolution family and FULLY_CONNECTED:
//   D[m][n] = sum_k A[m][k] * W[n][k]      (A unsigned bytes, W signed bytes, int32 wrap-around)
// followed by either the project's requantization (one multiplier/shift per column, output
// offset, clamp, one byte per output) or a raw int32 store.
//
// Why unsigned x signed: that is what the x86 dot-product instruction (AVX-512 VNNI vpdpbusd)
// multiplies. Callers map their int8/uint8 tensors into this form exactly (docs/numerics.md,
// "Integer kernels"): activations become unsigned by xor 0x80 when they are int8, weights become
// signed by xor 0x80 when they are uint8, and the zero points of both move with them; the
// zero-point cross terms are folded into a per-column constant (computed once in Prepare) and,
// when the weights' zero point is nonzero, a per-row constant computed from row sums of A.
// Every variant (scalar, AVX2, AVX-512 VNNI, NEON, NEON dot product) computes the same integers: the sums wrap modulo 2^32
// exactly like the reference kernels' int32 accumulator.
//
// Weights are packed once (PackWeights, in Prepare, into OpContext::AllocatePersistent memory)
// into blocks of kNr columns; inside a block, groups of kKr consecutive k for each column are
// adjacent (the VNNI operand layout). Columns past n and k past the depth are zero.
//
// Variants without an 8-bit dot product may want the weights in a second layout instead
// (WantsWideWeights(): the AVX2 variant, for padded K <= kWideMaxDepth): the same blocks of kNr
// columns widened to int16, in pairs of consecutive k per column (one vpmaddwd operand per pair:
// columns 0..7 then 8..15), so that the inner loop loads them instead of sign-extending every
// byte again for every row tile. Such weights have data16 and no 8-bit data (only that variant
// may then be called with them).
//
// Threading contract: a GemmFn call reads only its arguments and writes only the output rows
// [m_begin, m_end) x column blocks [nb_begin, nb_end); disjoint ranges may run concurrently.
#ifndef EDGELITE_KERNELS_GEMM_INT8_GEMM_INT8_H_
#define EDGELITE_KERNELS_GEMM_INT8_GEMM_INT8_H_

#include <cstddef>
#include <cstdint>

#include "src/base/cpu_features.h"

namespace edgelite {
namespace kernels {
namespace gemm_int8 {

constexpr int32_t kNr = 16;  // columns per packed block (one 512-bit vector of int32)
constexpr int32_t kKr = 4;   // k values per 32-bit lane (vpdpbusd)
// Deepest padded K the AVX2 int16 path takes (its activation tile buffer lives on the stack);
// deeper products use the 8-bit layout and path.
constexpr int32_t kWideMaxDepth = 4096;

struct PackedWeights {
  int32_t n = 0, k = 0;
  int32_t k_groups = 0;  // ceil(k / kKr)
  int32_t n_blocks = 0;  // ceil(n / kNr)
  const int8_t* data = nullptr;  // n_blocks * k_groups * kNr * kKr bytes (null: int16 only)
  const int32_t* col_sum = nullptr;  // n_blocks * kNr: sum over k of the packed (signed) weights
  // Optional (PackWideWeights): n_blocks * k_pairs() * kNr * 2 int16; block b, pair p, column j,
  // t in {0,1} at ((b * k_pairs() + p) * kNr + j) * 2 + t holds weight (b * kNr + j, 2p + t).
  const int16_t* data16 = nullptr;
  int32_t k_pairs() const { return k_groups * (kKr / 2); }
  int32_t padded_k() const { return k_groups * kKr; }
  int32_t padded_n() const { return n_blocks * kNr; }
};

// Bytes PackWeights writes to `data` for an n x k matrix.
size_t PackedDataBytes(int32_t n, int32_t k);

// Packs W (row-major [n][k], rows `row_stride` bytes apart) into `data` (PackedDataBytes bytes)
// and `col_sum` (padded_n entries). `flip` xors every weight byte with 0x80 (uint8 weights w
// become the int8 value w - 128). Fills `out`'s fields to point at data/col_sum.
void PackWeights(const uint8_t* w, int32_t n, int32_t k, int64_t row_stride, bool flip,
                 int8_t* data, int32_t* col_sum, PackedWeights* out);

// Whether the GEMM variant SelectGemm() returns now reads the int16 layout (data16) when present.
bool WantsWideWeights();
// Bytes of the int16 layout for an n x k matrix (2 * PackedDataBytes).
size_t WideDataBytes(int32_t n, int32_t k);
// Fills `data16` (WideDataBytes bytes) from the already packed 8-bit layout of `w` and points
// w->data16 at it (the 8-bit layout stays).
void PackWideWeights(PackedWeights* w, int16_t* data16);
// The same in place: w->data must be the second half of data16's WideDataBytes (PackWeights
// into it first); afterwards only data16 holds the weights and w->data is null.
void PackWideWeightsInPlace(PackedWeights* w, int16_t* data16);

// Per-column output stage; every array has padded_n entries (padding columns are never stored).
struct OutputStage {
  const int32_t* col_bias = nullptr;    // added to D (bias with the zero-point terms folded in)
  const int32_t* multiplier = nullptr;  // Q31, as quant::MultiplyByQuantizedMultiplier
  const int32_t* shift = nullptr;
  // The same shifts split for the vector code: max(shift, 0), max(-shift, 0), 2^right - 1.
  const int32_t* left_shift = nullptr;
  const int32_t* right_shift = nullptr;
  const int32_t* round_mask = nullptr;
  bool multiplier_min_free = false;  // no multiplier is INT32_MIN (SRDHM cannot saturate)
  int32_t out_offset = 0, act_min = 0, act_max = 0;
  bool out_unsigned = false;  // output bytes are uint8 (else int8); the clamp range already fits
};

struct GemmArgs {
  const uint8_t* a = nullptr;  // row m at a + m * a_stride; padded_k() bytes readable per row
  int64_t a_stride = 0;
  // Every byte of A is used as (byte ^ a_xor): lets int8 activations (xor 0x80) be read in place.
  // Honoured by the scalar, AVX2 and AVX-512 VNNI variants; the NEON variants require 0.
  uint8_t a_xor = 0;
  const int32_t* row_corr = nullptr;  // optional per-row int32 added to D
  const PackedWeights* w = nullptr;
  const OutputStage* stage = nullptr;  // null: store raw int32 D (+ row_corr + col_bias if given)
  const int32_t* col_bias = nullptr;   // used only when stage == nullptr (may be null)
  uint8_t* out = nullptr;              // bytes, row m at out + m * out_stride (stage != null)
  int32_t* out32 = nullptr;            // int32, row m at out32 + m * out_stride (stage == null)
  int64_t out_stride = 0;              // in elements
};

using GemmFn = void (*)(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
                        int32_t nb_end);

// The variant for the active ISA (src/base/cpu_features.h), chosen when called (Prepare).
GemmFn SelectGemm();
// Which variant SelectGemm() returns now: "scalar", "avx2", "avx512vnni", "neon", "neondot".
const char* SelectedGemmName();

// Requantizes n int32 values with per-element multiplier/shift (quant::MultiplyByQuantizedMultiplier
// semantics) using the vector code of the active ISA; exposed for tests of the vector rounding.
void RequantizeForTesting(const int32_t* x, const int32_t* multiplier, const int32_t* shift,
                          int32_t n, int32_t* out);

// Variants (defined in the ISA files; each only on its architecture).
void GemmScalar(const GemmArgs&, int64_t, int64_t, int32_t, int32_t);
#if defined(__x86_64__) || defined(_M_X64)
void GemmAvx2(const GemmArgs&, int64_t, int64_t, int32_t, int32_t);
void GemmAvx512Vnni(const GemmArgs&, int64_t, int64_t, int32_t, int32_t);
void RequantizeAvx2(const int32_t* x, const int32_t* m, const int32_t* s, int32_t n, int32_t* out);
void RequantizeAvx512(const int32_t* x, const int32_t* m, const int32_t* s, int32_t n,
                      int32_t* out);
#endif
#if defined(__aarch64__)
void GemmNeon(const GemmArgs&, int64_t, int64_t, int32_t, int32_t);     // SMULL/SADALP
void GemmNeonDot(const GemmArgs&, int64_t, int64_t, int32_t, int32_t);  // SDOT (+dotprod)
void RequantizeNeon(const int32_t* x, const int32_t* m, const int32_t* s, int32_t n, int32_t* out);
#endif

// Shared scalar output step: requantize one accumulator for column `col` (quant scheme), add the
// output offset, clamp. Used by the scalar variant and the vector variants' tails.
int32_t OutputValue(const OutputStage& st, int32_t acc, int32_t col);

}  // namespace gemm_int8
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_GEMM_INT8_GEMM_INT8_H_
