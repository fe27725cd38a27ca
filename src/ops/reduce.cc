// The reduction family: MEAN, SUM, REDUCE_PROD, REDUCE_MAX, REDUCE_MIN,
// REDUCE_ANY, REDUCE_ALL. Inputs: data, axis (int32/int64, scalar or 1-D;
// negative axes count from the end, duplicates are ignored, an empty axis list
// reduces nothing). Option keep_dims keeps reduced axes as size 1.
//
// Numerics: float sums, means and products accumulate in double and round once
// at the end, so the result is within about 1 ulp of the exact value plus
// n * 2^-53 * sum|x| (TFLite accumulates in float; differences from it are of
// the order of its own rounding error). Integer SUM/PROD wrap around like
// TFLite's; integer MEAN sums in int64 and truncates toward zero.
// Reductions over zero elements give: SUM 0, PROD 1, MAX lowest, MIN highest,
// ANY false, ALL true, float MEAN NaN, integer MEAN 0.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "src/kernels/reduce/reduce_fast.h"
#include "src/ops/op_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/quant/quantization.h"
#include "src/ref/reduce.h"

namespace edgelite {
namespace ops {
namespace {

// The contiguous-axes kernel (same fold order, same results) or the reference.
template <typename In, typename Out, typename Acc, typename Step, typename Finish>
void Reduce(const In* input, const Shape& s, const bool* reduced, Out* output, Acc init,
            Step step, Finish finish) {
  if (!kernels::ReduceContiguous(input, s, reduced, output, init, step, finish))
    ref::Reduce(input, s, reduced, output, init, step, finish);
}

constexpr int kInput = 0, kAxis = 1;

enum class Kind { kMean, kSum, kProd, kMax, kMin, kAny, kAll };

// Quantized MEAN/SUM (TFLite's reference QuantizedMeanOrSum): the int32 sum
// of the raw values, re-centred by zero_point * count, rescaled by
// s_in / s_out (and 1/count for MEAN, folded into the multiplier at eval).
struct QuantReduceData {
  int32_t multiplier;
  int shift;
  int32_t input_zero_point, output_zero_point;
};

bool IsQuantizedReduce(const Tensor* input) { return IsQuantizedSmallInt(input); }

bool SameQuantization(const Tensor* a, const Tensor* b) {
  if (a->quant.count != b->quant.count) return false;
  for (int i = 0; i < a->quant.count; ++i) {
    if (a->quant.scale[i] != b->quant.scale[i]) return false;
    const int64_t za = a->quant.zero_point ? a->quant.zero_point[i] : 0;
    const int64_t zb = b->quant.zero_point ? b->quant.zero_point[i] : 0;
    if (za != zb) return false;
  }
  return true;
}

// Marks the reduced axes from the axis tensor's values and computes the
// output shape. Errors use `code` (invalid model at prepare, runtime error
// when the axis values only arrive at eval).
Status ResolveAxes(OpContext& ctx, const Tensor* input, const Tensor* axis, bool keep_dims,
                   StatusCode code, bool* reduced, Shape* out_shape) {
  const int rank = input->shape.rank;
  for (int a = 0; a < kMaxRank; ++a) reduced[a] = false;
  const int64_t n = axis->num_elements();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v = ReadIndex(axis, i);
    if (v < -rank || v >= rank)
      return ctx.Fail(code, "axis tensor '%s' holds %lld, out of range for input '%s' of rank %d",
                      axis->name, static_cast<long long>(v), input->name, rank);
    reduced[v < 0 ? v + rank : v] = true;
  }
  Shape out;
  for (int a = 0; a < rank; ++a) {
    if (!reduced[a])
      out.dims[out.rank++] = input->shape.dims[a];
    else if (keep_dims)
      out.dims[out.rank++] = 1;
  }
  *out_shape = out;
  return Status::Ok();
}

bool KeepDims(const OpContext& ctx) {
  const auto* opts = Options<fb::ReducerOptions>(ctx);
  return opts != nullptr && opts->keep_dims();
}

template <Kind K>
Status CheckTypes(OpContext& ctx, const Tensor* input, const Tensor* output) {
  const DataType t = input->type;
  if (K == Kind::kAny || K == Kind::kAll) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kBool, "input"));
    return CheckType(ctx, output, DataType::kBool, "output");
  }
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  if (K == Kind::kMax || K == Kind::kMin) {
    // Pure selection: any ordered numeric type; quantized values compare
    // like reals when input and output share their quantization.
    if (t != DataType::kFloat32 && t != DataType::kInt32 && t != DataType::kInt64 &&
        t != DataType::kInt8 && t != DataType::kUInt8 && t != DataType::kInt16)
      return ctx.Fail(StatusCode::kUnsupported, "input '%s' has unsupported type %s", input->name,
                      DataTypeName(t));
    if (input->quant.per_channel() || output->quant.per_channel() ||
        !SameQuantization(input, output))
      return ctx.Fail(StatusCode::kUnsupported,
                      "input '%s' and output '%s' must share one per-tensor quantization",
                      input->name, output->name);
    return Status::Ok();
  }
  if ((K == Kind::kMean || K == Kind::kSum) && IsQuantizedReduce(input)) {
    EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, input, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, output, "output"));
    QuantReduceData* d;
    EDGELITE_RETURN_IF_ERROR(GetOrAllocOpData(ctx, &d));
    quant::QuantizeMultiplier(
        static_cast<double>(quant::Scale(*input)) / static_cast<double>(quant::Scale(*output)),
        &d->multiplier, &d->shift);
    if (d->shift > 30 || d->shift < -31)
      return ctx.Fail(StatusCode::kUnsupported, "rescale factor s_in/s_out is out of range");
    d->input_zero_point = quant::ZeroPoint(*input);
    d->output_zero_point = quant::ZeroPoint(*output);
    return Status::Ok();
  }
  if (t != DataType::kFloat32 && t != DataType::kInt32 && t != DataType::kInt64)
    return ctx.Fail(StatusCode::kUnsupported,
                    "input '%s' has type %s; only float32, int32 and int64 are supported "
                    "(quantized reductions are not implemented yet)",
                    input->name, DataTypeName(t));
  if (input->quant.is_quantized() || output->quant.is_quantized())
    return ctx.Fail(StatusCode::kUnsupported, "quantized %s is not supported yet",
                    DataTypeName(t));
  return Status::Ok();
}

template <Kind K>
Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *axis, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kAxis, &axis));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckTypes<K>(ctx, input, output));
  if (axis->type != DataType::kInt32 && axis->type != DataType::kInt64)
    return ctx.Invalid("axis tensor '%s' must be int32 or int64, is %s", axis->name,
                       DataTypeName(axis->type));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, axis, 0, 1, "axis"));
  if (!ctx.HasData(axis)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  bool reduced[kMaxRank];
  Shape out;
  EDGELITE_RETURN_IF_ERROR(ResolveAxes(ctx, input, axis, KeepDims(ctx), StatusCode::kInvalidModel,
                                       reduced, &out));
  return ctx.ResizeOutput(output, out);
}

// Accumulator of SUM/PROD: double for floats, the unsigned type of the same
// width for integers (wrap-around is defined there).
template <typename T, bool kFloat = std::is_floating_point<T>::value>
struct WideOf {
  using type = double;
};
template <typename T>
struct WideOf<T, false> {
  using type = typename std::make_unsigned<T>::type;
};

// Folds by kind. Float accumulates in double; integers in the unsigned type of
// their width (defined wrap-around, as TFLite's int arithmetic does in practice).
template <Kind K, typename T>
void Run(const Tensor* input, const bool* reduced, Tensor* output) {
  const T* in = input->data_as<T>();
  T* out = output->data_as<T>();
  const Shape& s = input->shape;
  using Wide = typename WideOf<T>::type;
  if (K == Kind::kSum) {
    Reduce(in, s, reduced, out, Wide(0), [](Wide a, T v) { return Wide(a + Wide(v)); },
                [](Wide a, int64_t) { return static_cast<T>(a); });
  } else if (K == Kind::kProd) {
    Reduce(in, s, reduced, out, Wide(1), [](Wide a, T v) { return Wide(a * Wide(v)); },
                [](Wide a, int64_t) { return static_cast<T>(a); });
  } else if (K == Kind::kMean) {
    if (std::is_floating_point<T>::value) {
      Reduce(in, s, reduced, out, 0.0, [](double a, T v) { return a + double(v); },
                  [](double a, int64_t n) { return static_cast<T>(a / double(n)); });
    } else {
      Reduce(in, s, reduced, out, int64_t{0},
                  [](int64_t a, T v) {
                    return static_cast<int64_t>(static_cast<uint64_t>(a) +
                                                static_cast<uint64_t>(static_cast<int64_t>(v)));
                  },
                  [](int64_t a, int64_t n) { return n ? static_cast<T>(a / n) : T(0); });
    }
  } else if (K == Kind::kMax) {
    Reduce(in, s, reduced, out, std::numeric_limits<T>::lowest(),
                [](T a, T v) { return v > a ? v : a; }, [](T a, int64_t) { return a; });
  } else if (K == Kind::kMin) {
    Reduce(in, s, reduced, out, std::numeric_limits<T>::max(),
                [](T a, T v) { return v < a ? v : a; }, [](T a, int64_t) { return a; });
  }
}

// MEAN folds 1/count into the multiplier: shift it up by floor(log2(count))
// (at most 32, and keeping the final shift >= -31), divide, truncating.
void MeanMultiplier(int64_t count, int32_t* multiplier, int* shift) {
  if (count <= 0) return;
  int log2 = 0;
  while ((count >> (log2 + 1)) != 0) ++log2;
  log2 = std::min(log2, 32);
  log2 = std::min(log2, 31 + *shift);
  *multiplier = static_cast<int32_t>((static_cast<int64_t>(*multiplier) << log2) / count);
  *shift -= log2;
}

template <Kind K, typename T>
void RunQuantized(const QuantReduceData& d, const Tensor* input, const bool* reduced,
                  Tensor* output) {
  if (input->num_elements() == 0) {
    // TFLite writes raw zeros when the input is empty.
    T* out = output->data_as<T>();
    for (int64_t i = 0, n = output->num_elements(); i < n; ++i) out[i] = T(0);
    return;
  }
  int64_t count = 1;
  for (int a = 0; a < input->shape.rank; ++a)
    if (reduced[a]) count *= input->shape.dims[a];
  int32_t multiplier = d.multiplier;
  int shift = d.shift;
  if (K == Kind::kMean) MeanMultiplier(count, &multiplier, &shift);
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  Reduce(
      input->data_as<T>(), input->shape, reduced, output->data_as<T>(), int32_t{0},
      [](int32_t a, T v) {
        return static_cast<int32_t>(static_cast<uint32_t>(a) +
                                    static_cast<uint32_t>(static_cast<int32_t>(v)));
      },
      [&](int32_t sum, int64_t n) -> T {
        const int32_t centred =
            static_cast<int32_t>(sum - static_cast<int64_t>(d.input_zero_point) * n);
        const int32_t v =
            quant::MultiplyByQuantizedMultiplier(centred, multiplier, shift) + d.output_zero_point;
        return static_cast<T>(std::min(std::max(v, lo), hi));
      });
}

template <Kind K>
Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* axis = ctx.input(kAxis);
  Tensor* output = ctx.output(0);
  bool reduced[kMaxRank];
  Shape out;
  const bool dynamic = output->allocation == Allocation::kDynamic;
  EDGELITE_RETURN_IF_ERROR(ResolveAxes(ctx, input, axis, KeepDims(ctx),
                                       StatusCode::kRuntimeError, reduced, &out));
  if (dynamic) EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, out));
  if (K == Kind::kAny || K == Kind::kAll) {
    const bool init = K == Kind::kAll;
    Reduce(input->data_as<bool>(), input->shape, reduced, output->data_as<bool>(), init,
                [](bool a, bool v) { return K == Kind::kAll ? (a && v) : (a || v); },
                [](bool a, int64_t) { return a; });
    return Status::Ok();
  }
  if ((K == Kind::kMean || K == Kind::kSum) && IsQuantizedReduce(input)) {
    const auto& d = *static_cast<const QuantReduceData*>(ctx.user_data());
    switch (input->type) {
      case DataType::kInt8: RunQuantized<K, int8_t>(d, input, reduced, output); break;
      case DataType::kUInt8: RunQuantized<K, uint8_t>(d, input, reduced, output); break;
      default: RunQuantized<K, int16_t>(d, input, reduced, output); break;
    }
    return Status::Ok();
  }
  switch (input->type) {
    case DataType::kFloat32: Run<K, float>(input, reduced, output); break;
    case DataType::kInt32: Run<K, int32_t>(input, reduced, output); break;
    case DataType::kInt64: Run<K, int64_t>(input, reduced, output); break;
    case DataType::kInt8:
      if (K == Kind::kMax || K == Kind::kMin) Run<K, int8_t>(input, reduced, output);
      break;
    case DataType::kUInt8:
      if (K == Kind::kMax || K == Kind::kMin) Run<K, uint8_t>(input, reduced, output);
      break;
    case DataType::kInt16:
      if (K == Kind::kMax || K == Kind::kMin) Run<K, int16_t>(input, reduced, output);
      break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type %s", DataTypeName(input->type));
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_MEAN() {
  static const OpRegistration reg = {"MEAN", nullptr, Prepare<Kind::kMean>, Eval<Kind::kMean>};
  return &reg;
}
const OpRegistration* Register_SUM() {
  static const OpRegistration reg = {"SUM", nullptr, Prepare<Kind::kSum>, Eval<Kind::kSum>};
  return &reg;
}
const OpRegistration* Register_REDUCE_PROD() {
  static const OpRegistration reg = {"REDUCE_PROD", nullptr, Prepare<Kind::kProd>,
                                     Eval<Kind::kProd>};
  return &reg;
}
const OpRegistration* Register_REDUCE_MAX() {
  static const OpRegistration reg = {"REDUCE_MAX", nullptr, Prepare<Kind::kMax>,
                                     Eval<Kind::kMax>};
  return &reg;
}
const OpRegistration* Register_REDUCE_MIN() {
  static const OpRegistration reg = {"REDUCE_MIN", nullptr, Prepare<Kind::kMin>,
                                     Eval<Kind::kMin>};
  return &reg;
}
const OpRegistration* Register_REDUCE_ANY() {
  static const OpRegistration reg = {"REDUCE_ANY", nullptr, Prepare<Kind::kAny>,
                                     Eval<Kind::kAny>};
  return &reg;
}
const OpRegistration* Register_REDUCE_ALL() {
  static const OpRegistration reg = {"REDUCE_ALL", nullptr, Prepare<Kind::kAll>,
                                     Eval<Kind::kAll>};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
