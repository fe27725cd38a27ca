// SignalRfft (TFLM custom op): real FFT of each frame, zero-padded to
// fft_length, bit-exact with TFLM for int16 and int32 (KISS FFT fixed point,
// see src/ref/signal_fft.h) and float32.
// Input: [..., L] int16, int32 or float32 with L <= fft_length.
// Output: same type, [..., fft_length + 2]: fft_length / 2 + 1 complex bins,
//         interleaved (re, im).
// Options (FlexBuffer map): fft_length (even, >= 4, fft_length / 2 a product
// of 2, 3 and 5), T (the TensorType; must match the input when present).
#include <cstring>

#include "src/ops/signal_util.h"
#include "src/ref/signal_fft.h"

namespace edgelite {
namespace ops {
namespace {

using ref::signal::Cpx;
using ref::signal::RealFft;

constexpr int32_t kMaxFftLength = 1 << 20;

struct OpData {
  int32_t fft_length = 0;
  int32_t type_option = -1;  // T, or -1 if absent
  DataType type = DataType::kFloat32;
  int32_t input_length = 0;  // L
  int scratch_id = -1;
  void* tables = nullptr;
  size_t tables_capacity = 0;
  RealFft<int16_t> fft16;
  RealFft<int32_t> fft32;
  RealFft<float> fftf;
};

Status Init(OpContext& ctx) {
  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  SignalOptions opts;
  EDGELITE_RETURN_IF_ERROR(opts.Parse(ctx));
  EDGELITE_RETURN_IF_ERROR(opts.Int(ctx, "fft_length", 4, kMaxFftLength, &d->fft_length));
  if (!RealFft<float>::Supported(d->fft_length))
    return ctx.Fail(StatusCode::kUnsupported,
                    "fft_length %d: must be even with fft_length / 2 a product of 2, 3 and 5",
                    d->fft_length);
  // T is added by TensorFlow when the op's type is resolved; optional here.
  int32_t t = -1;
  if (opts.Int(ctx, "T", 0, 255, &t).ok()) d->type_option = t;
  return Status::Ok();
}

template <typename T>
Status PrepareFft(OpContext& ctx, OpData* d, RealFft<T>* fft) {
  const size_t bytes = RealFft<T>::TableBytes(d->fft_length);
  if (fft->length() != d->fft_length) {
    EDGELITE_RETURN_IF_ERROR(GrowPersistent(ctx, bytes, &d->tables, &d->tables_capacity));
    if (!fft->Init(d->fft_length, d->tables))
      return ctx.Fail(StatusCode::kUnsupported, "fft_length %d is not supported", d->fft_length);
  }
  // Packed input and the complex FFT's output, n/2 complex values each.
  const size_t half = static_cast<size_t>(d->fft_length / 2);
  return ctx.RequestScratch(2 * half * sizeof(Cpx<T>), &d->scratch_id);
}

Status Prepare(OpContext& ctx) {
  auto* d = static_cast<OpData*>(ctx.user_data());
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *in, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, in, 1, kMaxRank, "input"));
  fb::TensorType expected;
  switch (in->type) {
    case DataType::kInt16:
      expected = fb::TensorType::INT16;
      break;
    case DataType::kInt32:
      expected = fb::TensorType::INT32;
      break;
    case DataType::kFloat32:
      expected = fb::TensorType::FLOAT32;
      break;
    default:
      return ctx.Fail(StatusCode::kUnsupported,
                      "input '%s' has type %s; expected int16, int32 or float32", in->name,
                      DataTypeName(in->type));
  }
  if (d->type_option >= 0 && d->type_option != static_cast<int32_t>(expected))
    return ctx.Invalid("option T (%d) does not match input '%s' of type %s", d->type_option,
                       in->name, DataTypeName(in->type));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, in, out));
  d->type = in->type;
  d->input_length = in->shape[in->shape.rank - 1];
  if (d->input_length > d->fft_length)
    return ctx.Invalid("input '%s' frames have %d samples, more than fft_length %d", in->name,
                       d->input_length, d->fft_length);
  Shape out_shape = in->shape;
  out_shape[out_shape.rank - 1] = d->fft_length + 2;
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(out, out_shape));
  switch (d->type) {
    case DataType::kInt16:
      return PrepareFft(ctx, d, &d->fft16);
    case DataType::kInt32:
      return PrepareFft(ctx, d, &d->fft32);
    default:
      return PrepareFft(ctx, d, &d->fftf);
  }
}

template <typename T>
void RunFft(OpContext& ctx, const OpData& d, const RealFft<T>& fft) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  const int32_t half = d.fft_length / 2, len = d.input_length;
  auto* packed = static_cast<Cpx<T>*>(ctx.scratch(d.scratch_id));
  Cpx<T>* work = packed + half;
  const int64_t frames = len > 0 ? in->num_elements() / len : 0;
  const T* x = in->data_as<T>();
  T* y = out->data_as<T>();
  for (int64_t f = 0; f < frames; ++f, x += len, y += d.fft_length + 2) {
    for (int32_t k = 0; k < half; ++k) {
      packed[k].r = 2 * k < len ? x[2 * k] : T(0);
      packed[k].i = 2 * k + 1 < len ? x[2 * k + 1] : T(0);
    }
    // The output row is n/2 + 1 (re, im) pairs of T: write them as Cpx<T>.
    fft.Apply(packed, reinterpret_cast<Cpx<T>*>(y), work);
  }
  if (frames == 0 && out->bytes) memset(out->data, 0, out->bytes);
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  switch (d->type) {
    case DataType::kInt16:
      RunFft(ctx, *d, d->fft16);
      break;
    case DataType::kInt32:
      RunFft(ctx, *d, d->fft32);
      break;
    default:
      RunFft(ctx, *d, d->fftf);
      break;
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_RFFT() {
  static const OpRegistration r = {"SignalRfft", Init, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
