// Reference softmax and log-softmax (float32) over the last axis.
//
// Both subtract the row maximum first so exp never overflows:
//   softmax(x)_c     = exp((x_c - max) * beta) / sum_k exp((x_k - max) * beta)
//   log_softmax(x)_c = x_c - max - log(sum_k exp(x_k - max))
#ifndef EDGELITE_REF_SOFTMAX_H_
#define EDGELITE_REF_SOFTMAX_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "src/quant/fixed_point_math.h"
#include "src/quant/lut.h"

namespace edgelite {
namespace ref {

inline float RowMax(const float* x, int64_t depth) {
  float m = std::numeric_limits<float>::lowest();
  for (int64_t c = 0; c < depth; ++c) m = std::max(m, x[c]);
  return m;
}

// input/output [rows, depth].
inline void SoftmaxFloat(const float* input, float* output, int64_t rows, int64_t depth,
                         float beta) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = input + r * depth;
    float* y = output + r * depth;
    const float m = RowMax(x, depth);
    float sum = 0.0f;
    for (int64_t c = 0; c < depth; ++c) sum += std::exp((x[c] - m) * beta);
    for (int64_t c = 0; c < depth; ++c) y[c] = std::exp((x[c] - m) * beta) / sum;
  }
}

inline void LogSoftmaxFloat(const float* input, float* output, int64_t rows, int64_t depth) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = input + r * depth;
    float* y = output + r * depth;
    const float m = RowMax(x, depth);
    float sum = 0.0f;
    for (int64_t c = 0; c < depth; ++c) sum += std::exp(x[c] - m);
    const float log_sum = std::log(sum);
    for (int64_t c = 0; c < depth; ++c) y[c] = x[c] - m - log_sum;
  }
}

// Quantized SOFTMAX, 8-bit input (TFLite's reference fixed-point kernel):
// per row, d = q - max(q) (<= 0). Rows entries with d < diff_min contribute
// nothing (their exp is negligible) and output the type minimum. The others
// are rescaled to Q5.26 by input_multiplier * 2^input_left_shift (beta and
// the input scale folded in), exponentiated in fixed point, summed in Q12,
// and each exp is multiplied by the sum's reciprocal and written with
// output scale 1/2^bits(Out) and zero point = the type minimum.
struct QuantizedSoftmaxParams {
  int32_t input_multiplier = 0;
  int input_left_shift = 0;
  int32_t diff_min = 0;
  // int16 only: exp over [-10, 0] and 1/(1+x) over [0, 1], 513 entries each.
  const int16_t* exp_lut = nullptr;
  const int16_t* one_over_one_plus_x_lut = nullptr;
};

constexpr int kSoftmaxScaledDiffIntegerBits = 5;
constexpr int kSoftmaxAccumulationIntegerBits = 12;

template <typename In, typename Out>
inline void SoftmaxQuantized8(const QuantizedSoftmaxParams& p, const In* input, Out* output,
                              int64_t rows, int64_t depth) {
  using quant::fp::ExpOnNegativeValues;
  for (int64_t r = 0; r < rows; ++r) {
    const In* x = input + r * depth;
    Out* y = output + r * depth;
    In max_in_row = std::numeric_limits<In>::min();
    for (int64_t c = 0; c < depth; ++c) max_in_row = std::max(max_in_row, x[c]);
    auto scaled_exp = [&](int32_t diff) {
      // diff * multiplier * 2^left_shift, a Q5.26 value in [-32, 0].
      const int32_t rescaled =
          quant::MultiplyByQuantizedMultiplier(diff, p.input_multiplier, p.input_left_shift);
      return ExpOnNegativeValues(rescaled, kSoftmaxScaledDiffIntegerBits);  // Q0
    };
    int32_t sum_of_exps = 0;  // Q12
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(x[c]) - max_in_row;
      if (diff >= p.diff_min)
        sum_of_exps = quant::fp::Add(
            sum_of_exps, quant::fp::Rescale(scaled_exp(diff), 0, kSoftmaxAccumulationIntegerBits));
    }
    int num_bits_over_unit = 0;
    const int32_t reciprocal =
        quant::fp::GetReciprocal(sum_of_exps, kSoftmaxAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - static_cast<int>(sizeof(Out) * 8);
    const int32_t out_min = std::numeric_limits<Out>::min();
    const int32_t out_max = std::numeric_limits<Out>::max();
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(x[c]) - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t unsat =
            quant::RoundingDivideByPOT(quant::fp::Mul(reciprocal, scaled_exp(diff)), exponent);
        y[c] = static_cast<Out>(std::max(std::min(unsat + out_min, out_max), out_min));
      } else {
        y[c] = static_cast<Out>(out_min);
      }
    }
  }
}

// Quantized LOG_SOFTMAX, 8-bit (TFLite's reference kernels): exps summed
// as for SOFTMAX, log of the Q12 sum in Q5, outputs (d - log sum) written
// with scale 16/256 and zero point at the type's maximum; entries whose
// difference is below the representable range give the type's minimum.
struct QuantizedLogSoftmaxParams {
  int32_t input_multiplier = 0;
  int input_left_shift = 0;
  int32_t reverse_multiplier = 0;  // ~ 1 / (input multiplier), Q31
  int reverse_shift = 0;
  int32_t diff_min = 0;
};

template <typename T>
inline void LogSoftmaxQuantized8(const QuantizedLogSoftmaxParams& p, const T* input, T* output,
                                 int64_t rows, int64_t depth) {
  constexpr int kInputBits = kSoftmaxScaledDiffIntegerBits;  // Q5.26 differences
  constexpr int kOutputBits = 4;
  const int32_t out_min = std::numeric_limits<T>::min(), out_max = std::numeric_limits<T>::max();
  for (int64_t r = 0; r < rows; ++r) {
    const T* x = input + r * depth;
    T* y = output + r * depth;
    T max_in_row = std::numeric_limits<T>::min();
    for (int64_t c = 0; c < depth; ++c) max_in_row = std::max(max_in_row, x[c]);
    int32_t sum_of_exps = 0;  // Q12
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(x[c]) - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t scaled =
            quant::MultiplyByQuantizedMultiplier(diff, p.input_multiplier, p.input_left_shift);
        sum_of_exps = quant::fp::Add(
            sum_of_exps, quant::fp::Rescale(quant::fp::ExpOnNegativeValues(scaled, kInputBits), 0,
                                            kSoftmaxAccumulationIntegerBits));
      }
    }
    const int32_t log_sum = quant::fp::LogXForXGreaterThanOrEqualTo1(
        sum_of_exps, kSoftmaxAccumulationIntegerBits, kInputBits);  // Q5
    // Differences at or below this cannot reach the output range.
    const int32_t shifted_log_sum = quant::fp::Add(log_sum, std::numeric_limits<int32_t>::min());
    const int32_t adjusted_diff_min =
        std::max(p.diff_min - 1, quant::MultiplyByQuantizedMultiplier(
                                     shifted_log_sum, p.reverse_multiplier, p.reverse_shift));
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(x[c]) - max_in_row;
      if (diff > adjusted_diff_min) {
        const int32_t scaled =
            quant::MultiplyByQuantizedMultiplier(diff, p.input_multiplier, p.input_left_shift);
        const int32_t v = quant::RoundingDivideByPOT(quant::fp::Sub(scaled, log_sum),
                                                     31 - kInputBits - kOutputBits) +
                          out_max;
        y[c] = static_cast<T>(std::max(std::min(v, out_max), out_min));
      } else {
        y[c] = static_cast<T>(out_min);
      }
    }
  }
}

// Quantized SOFTMAX, int16 in and out (TFLite's LUT kernel): d = q - max is
// mapped to [-32768, 32767] ~ [-10, 0], exp comes from exp_lut, the row sum's
// reciprocal from one_over_one_plus_x_lut, and outputs are Q0.15 in [0, 32767].
inline void SoftmaxQuantized16(const QuantizedSoftmaxParams& p, const int16_t* input,
                               int16_t* output, int64_t rows, int64_t depth) {
  for (int64_t r = 0; r < rows; ++r) {
    const int16_t* x = input + r * depth;
    int16_t* y = output + r * depth;
    int16_t max_in_row = std::numeric_limits<int16_t>::min();
    for (int64_t c = 0; c < depth; ++c) max_in_row = std::max(max_in_row, x[c]);
    // The exps are kept in the output row until the reciprocal is known.
    int32_t sum_of_exps = 0;
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(x[c]) - max_in_row;
      const int32_t scaled =
          quant::MultiplyByQuantizedMultiplier(diff, p.input_multiplier, p.input_left_shift);
      const int32_t centred = std::min<int32_t>(std::max<int32_t>(scaled + 32767, -32768), 32767);
      y[c] = quant::LookupLut16(static_cast<int16_t>(centred), p.exp_lut);
      sum_of_exps += y[c];
    }
    const int headroom_plus_one =
        quant::fp::CountLeadingZeros32(static_cast<uint32_t>(sum_of_exps));
    const int32_t shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum_of_exps) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    // 1/(1+x) table: x = sum - 1, re-centred from [0, 65535] to [-32768, 32767].
    const int32_t centred_sum =
        std::min<int32_t>(std::max<int32_t>(shifted_sum - ((1 << 15) + (1 << 16)), -32768), 32767);
    const int16_t reciprocal =
        quant::LookupLut16(static_cast<int16_t>(centred_sum), p.one_over_one_plus_x_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t v =
          static_cast<int32_t>((static_cast<int64_t>(y[c]) * reciprocal + round) >> right_shift);
      y[c] = static_cast<int16_t>(std::min<int32_t>(std::max<int32_t>(v, 0), 32767));
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SOFTMAX_H_
