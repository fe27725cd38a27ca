// GEMM-based 8-bit convolution (CONV_2D int8 per-channel and legacy uint8) and the integer
// FULLY_CONNECTED product, on top of src/kernels/gemm_int8.
//
// The convolution is a GEMM with M = output pixels, K = KH*KW*C (the OHWI filter row), N = output
// channels. A 1x1 stride-1 unpadded convolution reads its input rows in place when K % 4 == 0 and
// either the activations are uint8 or the GEMM applies the int8 -> unsigned xor itself as it
// widens the rows (the AVX2 int16-weight path, GemmArgs::a_xor), else through a streaming xor-copy
// (int8 activations, which vpdpbusd needs as unsigned bytes); every other geometry gathers patches (im2col) chunk by chunk into per-task
// scratch, filling taps outside the image with the input zero point (those taps then contribute
// exactly 0, as the reference's skipped taps).
//
// Prepare-time: ConvPlanPersistentBytes + PrepareConvPlan (weights packed once, zero-point terms
// folded into a per-column constant). Eval: RunConv on any range of output rows, with
// ConvScratchBytes of scratch per concurrently running range (see the threading contract in
// gemm_int8.h: disjoint row ranges with distinct scratch may run in parallel).
#ifndef EDGELITE_KERNELS_CONV_INT8_CONV_INT8_H_
#define EDGELITE_KERNELS_CONV_INT8_CONV_INT8_H_

#include <cstddef>
#include <cstdint>

#include "src/kernels/gemm_int8/gemm_int8.h"

namespace edgelite {
namespace kernels {
namespace conv_int8 {

struct ConvGeometry {
  int32_t batches = 1, in_h = 1, in_w = 1, in_c = 0;
  int32_t out_h = 1, out_w = 1, out_c = 0;
  int32_t k_h = 1, k_w = 1;
  int32_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_left = 0;
  int64_t rows() const { return static_cast<int64_t>(batches) * out_h * out_w; }
  int32_t depth() const { return k_h * k_w * in_c; }
};

// The integer parameters in the tensors' own terms (not the flipped GEMM domain).
struct ConvQuant {
  bool unsigned_8bit = false;  // uint8 activations and weights (legacy); else int8
  int32_t input_zero_point = 0;
  int32_t weights_zero_point = 0;   // per tensor (0 for int8 per-channel weights)
  const int32_t* bias = nullptr;    // out_c entries or null
  // Requantization (ignored with raw_int32): per output channel.
  const int32_t* multiplier = nullptr;
  const int32_t* shift = nullptr;
  int32_t output_zero_point = 0, act_min = 0, act_max = 0;
  bool raw_int32 = false;  // RunConv stores the full int32 accumulator instead of bytes
};

enum class AMode : uint8_t { kDirect, kCopyRows, kIm2col };

struct ConvPlan {
  ConvGeometry g;
  AMode mode = AMode::kIm2col;
  uint8_t a_xor = 0;     // 0x80: int8 activations become unsigned bytes
  uint8_t pad_byte = 0;  // the input zero point in the unsigned domain
  int32_t row_zw = 0;    // weights zero point in the signed domain: row term -row_zw * sum(A row)
  int32_t chunk_rows = 0;
  gemm_int8::PackedWeights w;
  gemm_int8::OutputStage stage;
  bool raw_int32 = false;
  gemm_int8::GemmFn gemm = nullptr;
};

// Persistent bytes PrepareConvPlan needs for an out_c x depth filter.
size_t ConvPlanPersistentBytes(const ConvGeometry& g);

// Packs `weights` (OHWI bytes, out_c rows of depth()) into `persistent` (ConvPlanPersistentBytes,
// any alignment), folds the zero points into the bias and chooses the GEMM variant for the
// active ISA. Pointers in `q` must stay valid only for the duration of the call.
void PrepareConvPlan(const ConvGeometry& g, const uint8_t* weights, const ConvQuant& q,
                     void* persistent, ConvPlan* plan);

// Scratch bytes one RunConv call needs.
size_t ConvScratchBytes(const ConvPlan& plan);

// Computes output rows [m_begin, m_end) (row = (batch, y, x)). `output` is the NHWC output
// tensor's bytes (or, with raw_int32, an int32 [rows][out_c] buffer). `scratch` is
// ConvScratchBytes bytes, 4-byte aligned, owned by this call while it runs.
void RunConv(const ConvPlan& plan, const uint8_t* input, void* output, void* scratch,
             int64_t m_begin, int64_t m_end);

// The same restricted to the output columns of packed blocks [nb_begin, nb_end) (columns
// nb * gemm_int8::kNr ...; the tail block stops at out_c). Calls with disjoint (row range, block
// range) pairs and distinct scratch may run concurrently; each call gathers its own im2col rows.
void RunConvBlocks(const ConvPlan& plan, const uint8_t* input, void* output, void* scratch,
                   int64_t m_begin, int64_t m_end, int32_t nb_begin, int32_t nb_end);

}  // namespace conv_int8
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_CONV_INT8_CONV_INT8_H_
