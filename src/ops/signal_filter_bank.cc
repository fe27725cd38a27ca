// SignalFilterBank (TFLM custom op): triangular (mel) filter bank over a power
// spectrum; see ref::signal::FilterBank for the band layout.
// Inputs: uint32 [B] spectrum, int16 weights [K], int16 unweights [K],
//         int16 channel frequency starts, weight starts and widths (each at
//         least num_channels + 1 entries). Output: uint64 [num_channels].
// Options (FlexBuffer map): num_channels >= 1.
// Every band must stay inside the spectrum and the weight arrays; this is
// checked in prepare when the tables are constants (they are in converted
// models), else before each eval.
#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kSpectrum = 0, kWeights = 1, kUnweights = 2, kFreqStarts = 3, kWeightStarts = 4,
              kWidths = 5;
constexpr int32_t kMaxChannels = 1 << 16;

struct OpData {
  int32_t num_channels = 0;
  bool tables_checked = false;
};

Status Init(OpContext& ctx) {
  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  SignalOptions opts;
  EDGELITE_RETURN_IF_ERROR(opts.Parse(ctx));
  return opts.Int(ctx, "num_channels", 1, kMaxChannels, &d->num_channels);
}

Status CheckTables(OpContext& ctx, int32_t num_channels) {
  const Tensor* spectrum = ctx.input(kSpectrum);
  const Tensor* weights = ctx.input(kWeights);
  const int16_t* freq = ctx.input(kFreqStarts)->data_as<int16_t>();
  const int16_t* wstart = ctx.input(kWeightStarts)->data_as<int16_t>();
  const int16_t* width = ctx.input(kWidths)->data_as<int16_t>();
  const int64_t bins = spectrum->num_elements(), nw = weights->num_elements();
  for (int32_t b = 0; b <= num_channels; ++b) {
    if (freq[b] < 0 || wstart[b] < 0 || width[b] < 0 || freq[b] + width[b] > bins ||
        wstart[b] + width[b] > nw)
      return ctx.Invalid(
          "band %d (frequency start %d, weight start %d, width %d) exceeds the %lld-bin "
          "spectrum or the %lld weights",
          b, freq[b], wstart[b], width[b], static_cast<long long>(bins),
          static_cast<long long>(nw));
  }
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  auto* d = static_cast<OpData*>(ctx.user_data());
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 6, 6, 1));
  Tensor* t[6];
  static const char* const kNames[6] = {"spectrum",          "weights",
                                        "unweights",         "channel frequency starts",
                                        "channel weight starts", "channel widths"};
  for (int i = 0; i < 6; ++i) {
    EDGELITE_RETURN_IF_ERROR(GetInput(ctx, i, &t[i]));
    EDGELITE_RETURN_IF_ERROR(
        CheckVector(ctx, t[i], i == kSpectrum ? DataType::kUInt32 : DataType::kInt16, kNames[i]));
  }
  if (t[kUnweights]->shape[0] != t[kWeights]->shape[0])
    return ctx.Invalid("unweights '%s' (%d) and weights '%s' (%d) differ in size",
                       t[kUnweights]->name, t[kUnweights]->shape[0], t[kWeights]->name,
                       t[kWeights]->shape[0]);
  for (int i = kFreqStarts; i <= kWidths; ++i)
    if (t[i]->shape[0] < d->num_channels + 1)
      return ctx.Invalid("%s '%s' has %d entries; num_channels %d needs %d", kNames[i],
                         t[i]->name, t[i]->shape[0], d->num_channels, d->num_channels + 1);
  Tensor* out;
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kUInt64, "output"));
  d->tables_checked = false;
  if (ctx.HasData(t[kFreqStarts]) && ctx.HasData(t[kWeightStarts]) && ctx.HasData(t[kWidths])) {
    EDGELITE_RETURN_IF_ERROR(CheckTables(ctx, d->num_channels));
    d->tables_checked = true;
  }
  return ctx.ResizeOutput(out, Shape{d->num_channels});
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  if (!d->tables_checked) EDGELITE_RETURN_IF_ERROR(CheckTables(ctx, d->num_channels));
  ref::signal::FilterBank(
      ctx.input(kSpectrum)->data_as<uint32_t>(), ctx.input(kWeights)->data_as<int16_t>(),
      ctx.input(kUnweights)->data_as<int16_t>(), ctx.input(kFreqStarts)->data_as<int16_t>(),
      ctx.input(kWeightStarts)->data_as<int16_t>(), ctx.input(kWidths)->data_as<int16_t>(),
      d->num_channels, ctx.output(0)->data_as<uint64_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_FILTER_BANK() {
  static const OpRegistration r = {"SignalFilterBank", Init, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
