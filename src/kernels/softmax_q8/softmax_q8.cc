#include "src/kernels/softmax_q8/softmax_q8.h"

#include <algorithm>
#include <limits>

#include "src/quant/fixed_point.h"
#include "src/quant/fixed_point_math.h"

namespace edgelite {
namespace kernels {
namespace softmax_q8 {
namespace {

template <typename In, typename Out>
void Run(const SoftmaxQ8Table& t, const In* input, Out* output, int64_t depth, int64_t row_begin,
         int64_t row_end) {
  const int32_t out_min = std::numeric_limits<Out>::min();
  const int32_t out_max = std::numeric_limits<Out>::max();
  const int32_t max_index = t.max_index;
  for (int64_t r = row_begin; r < row_end; ++r) {
    const In* x = input + r * depth;
    Out* y = output + r * depth;
    int32_t m = std::numeric_limits<In>::min();
    for (int64_t c = 0; c < depth; ++c) m = std::max<int32_t>(m, x[c]);
    int32_t sum_of_exps = 0;  // Q12, the reference's saturating sum in the same order
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t j = m - static_cast<int32_t>(x[c]);
      if (j <= max_index) sum_of_exps = quant::fp::Add(sum_of_exps, t.exp_acc[j]);
    }
    int num_bits_over_unit = 0;
    const int32_t reciprocal = quant::fp::GetReciprocal(
        sum_of_exps, ref::kSoftmaxAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - static_cast<int>(sizeof(Out) * 8);
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t j = m - static_cast<int32_t>(x[c]);
      if (j <= max_index) {
        const int32_t unsat =
            quant::RoundingDivideByPOT(quant::fp::Mul(reciprocal, t.exp[j]), exponent);
        y[c] = static_cast<Out>(std::max(std::min(unsat + out_min, out_max), out_min));
      } else {
        y[c] = static_cast<Out>(out_min);
      }
    }
  }
}

}  // namespace

void PrepareSoftmaxQ8(const ref::QuantizedSoftmaxParams& p, SoftmaxQ8Table* t) {
  t->max_index = -1;
  for (int32_t j = 0; j < 256; ++j) {
    const int32_t diff = -j;
    if (diff < p.diff_min) {
      t->exp[j] = 0;
      t->exp_acc[j] = 0;
      continue;
    }
    const int32_t rescaled =
        quant::MultiplyByQuantizedMultiplier(diff, p.input_multiplier, p.input_left_shift);
    const int32_t e =
        quant::fp::ExpOnNegativeValues(rescaled, ref::kSoftmaxScaledDiffIntegerBits);
    t->exp[j] = e;
    t->exp_acc[j] = quant::fp::Rescale(e, 0, ref::kSoftmaxAccumulationIntegerBits);
    t->max_index = j;
  }
}

void RunSoftmaxQ8(const SoftmaxQ8Table& t, Q8Types types, const void* input, void* output,
                  int64_t depth, int64_t row_begin, int64_t row_end) {
  switch (types) {
    case Q8Types::kInt8ToInt8:
      Run(t, static_cast<const int8_t*>(input), static_cast<int8_t*>(output), depth, row_begin,
          row_end);
      break;
    case Q8Types::kInt8ToInt16:
      Run(t, static_cast<const int8_t*>(input), static_cast<int16_t*>(output), depth, row_begin,
          row_end);
      break;
    case Q8Types::kUInt8ToUInt8:
      Run(t, static_cast<const uint8_t*>(input), static_cast<uint8_t*>(output), depth, row_begin,
          row_end);
      break;
    case Q8Types::kUInt8ToInt16:
      Run(t, static_cast<const uint8_t*>(input), static_cast<int16_t*>(output), depth, row_begin,
          row_end);
      break;
  }
}

}  // namespace softmax_q8
}  // namespace kernels
}  // namespace edgelite
