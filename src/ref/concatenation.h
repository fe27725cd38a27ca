// Reference CONCATENATION / SPLIT (also PACK / UNPACK, which are a concat or
// split along a new axis), type-agnostic. Tensors are viewed as
// [outer, axis_i * inner]: each input contributes one contiguous block per
// outer index.
#ifndef EDGELITE_REF_CONCATENATION_H_
#define EDGELITE_REF_CONCATENATION_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace edgelite {
namespace ref {

// block[i] = bytes of input i per outer index (axis_i * inner * elem).
inline void Concatenate(const uint8_t* const* inputs, const size_t* block, int n, int64_t outer,
                        uint8_t* output) {
  for (int64_t o = 0; o < outer; ++o)
    for (int i = 0; i < n; ++i) {
      memcpy(output, inputs[i] + o * block[i], block[i]);
      output += block[i];
    }
}

// Inverse of Concatenate.
inline void Split(const uint8_t* input, const size_t* block, int n, int64_t outer,
                  uint8_t* const* outputs) {
  for (int64_t o = 0; o < outer; ++o)
    for (int i = 0; i < n; ++i) {
      memcpy(outputs[i] + o * block[i], input, block[i]);
      input += block[i];
    }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_CONCATENATION_H_
