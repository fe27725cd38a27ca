// Helpers shared by the TFLM "Signal" custom ops (src/ops/signal_*.cc): their
// options are a FlexBuffer map in custom_options, and their tensors are 1-D
// (or, for SignalWindow / SignalRfft, batches of 1-D frames).
#ifndef EDGELITE_OPS_SIGNAL_UTIL_H_
#define EDGELITE_OPS_SIGNAL_UTIL_H_

#include <cstddef>
#include <cstdint>

#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {

// A verified FlexBuffer map of custom options. TFLM reads every key its op
// defines, so a missing key is an error here too.
class SignalOptions {
 public:
  // Verifies the buffer; fails if it is absent, malformed or not a map.
  Status Parse(OpContext& ctx);
  // An integer (or bool) option in [lo, hi].
  Status Int(OpContext& ctx, const char* key, int64_t lo, int64_t hi, int32_t* out) const;
  Status Bool(OpContext& ctx, const char* key, bool* out) const;

 private:
  const uint8_t* buf_ = nullptr;
  size_t size_ = 0;
};

// t has rank 1 and type `type`.
Status CheckVector(OpContext& ctx, const Tensor* t, DataType type, const char* what);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_SIGNAL_UTIL_H_
