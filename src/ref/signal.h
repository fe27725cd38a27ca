// Reference integer math of the TensorFlow Lite Micro "Signal" audio front-end
// ops (SignalWindow, SignalFftAutoScale, SignalEnergy, SignalFilterBank*,
// SignalPCAN). Each function states the arithmetic it performs; all of it is
// defined on unsigned or widened types so that results match TFLM bit for bit
// (TFLM relies on two's-complement wrap-around in the same places).
// The FFT lives in src/ref/signal_fft.h.
#ifndef EDGELITE_REF_SIGNAL_H_
#define EDGELITE_REF_SIGNAL_H_

#include <cstdint>

namespace edgelite {
namespace ref {
namespace signal {

// Number of significant bits of x (0 for 0, 1 for 1, 32 for 0x80000000).
inline int BitLength32(uint32_t x) {
  int n = 0;
  while (x != 0) {
    x >>= 1;
    ++n;
  }
  return n;
}
inline int BitLength64(uint64_t x) {
  int n = 0;
  while (x != 0) {
    x >>= 1;
    ++n;
  }
  return n;
}

inline int16_t SaturateInt16(int32_t v) {
  return static_cast<int16_t>(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
}

// output[i] = saturate_int16((input[i] * window[i]) >> shift), arithmetic shift.
inline void Window(const int16_t* input, const int16_t* window, int32_t n, int32_t shift,
                   int16_t* output) {
  for (int32_t i = 0; i < n; ++i)
    output[i] = SaturateInt16((static_cast<int32_t>(input[i]) * window[i]) >> shift);
}

// Scales a frame up by the largest power of two that keeps its peak magnitude
// below 2^15: shift = max(0, 15 - bit_length(max|x|)); returns the shift.
// max|x| is taken in int16 arithmetic, so -32768 counts as 32768 -> -32768
// (bit length 32 as an unsigned value: no shift), and a later value above that
// replaces it, as in TFLM. An all-zero frame (or a peak that ends at 0) is not
// shifted.
inline int32_t FftAutoScale(const int16_t* input, int32_t n, int16_t* output) {
  int16_t peak = 0;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = input[i];
    // Compared in int, stored back in int16 (so -(-32768) is kept as -32768).
    if (v > peak)
      peak = static_cast<int16_t>(v);
    else if (-v > peak)
      peak = static_cast<int16_t>(-v);
  }
  // TFLM's bit length of 0 is 32 (its __builtin_clz path), so silence is not shifted.
  const int bits =
      peak == 0 ? 32 : BitLength32(static_cast<uint32_t>(static_cast<int32_t>(peak)));
  int32_t shift = 15 - bits;
  if (shift < 0) shift = 0;
  for (int32_t i = 0; i < n; ++i)
    output[i] = static_cast<int16_t>(static_cast<int32_t>(input[i]) * (1 << shift));
  return shift;
}

// Power spectrum of int16 complex bins [start, end): re^2 + im^2 (< 2^31).
inline void Energy(const int16_t* complex_in, int32_t start, int32_t end, uint32_t* out) {
  for (int32_t i = start; i < end; ++i) {
    const int32_t re = complex_in[2 * i], im = complex_in[2 * i + 1];
    out[i] = static_cast<uint32_t>(re * re) + static_cast<uint32_t>(im * im);
  }
}

// Triangular mel filter bank with num_channels + 1 bands (band 0 is only the
// left half of channel 0). Band b covers spectrum bins
// [freq_starts[b], freq_starts[b] + widths[b]) with weights taken from
// weight_starts[b]: channel c (output[c]) = sum over band c+1 of weight * energy
// + sum over band c of unweight * energy (the falling edge of the previous
// band). Products and sums are modulo 2^64, weights converted as int16 ->
// uint64 (as TFLM does). The caller has checked every index.
inline void FilterBank(const uint32_t* energy, const int16_t* weights, const int16_t* unweights,
                       const int16_t* freq_starts, const int16_t* weight_starts,
                       const int16_t* widths, int32_t num_channels, uint64_t* output) {
  uint64_t carried = 0;  // unweighted sum of the previous band
  for (int32_t b = 0; b <= num_channels; ++b) {
    uint64_t rising = carried, falling = 0;
    for (int32_t j = 0; j < widths[b]; ++j) {
      const uint64_t e = energy[freq_starts[b] + j];
      const int32_t w = weight_starts[b] + j;
      rising += static_cast<uint64_t>(static_cast<int64_t>(weights[w])) * e;
      falling += static_cast<uint64_t>(static_cast<int64_t>(unweights[w])) * e;
    }
    if (b > 0) output[b - 1] = rising;
    carried = falling;
  }
}

// floor(sqrt(x)) by the binary digit-by-digit method; also returns x - r^2.
inline uint64_t FloorSqrt64(uint64_t x, uint64_t* remainder) {
  uint64_t root = 0;
  // The highest power of four not above x.
  uint64_t bit = x == 0 ? 0 : uint64_t{1} << ((BitLength64(x) - 1) & ~1);
  while (bit != 0) {
    if (x >= root + bit) {
      x -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  *remainder = x;
  return root;
}

// sqrt rounded to nearest (up when x - r^2 > r, i.e. x > r^2 + r), as TFLM's
// Sqrt32/Sqrt64: values below 2^32 use the 32-bit routine, whose result is
// capped at 0xFFFF (so 0xFFFF * 0x10000 <= x < 2^32 gives 0xFFFF); larger
// values are capped at 0xFFFFFFFF.
inline uint32_t RoundedSqrt64(uint64_t x) {
  uint64_t rem = 0;
  uint64_t r = FloorSqrt64(x, &rem);
  const uint64_t cap = (x >> 32) == 0 ? 0xFFFFu : 0xFFFFFFFFu;
  if (rem > r && r != cap) ++r;
  return static_cast<uint32_t>(r);
}

// output[i] = rounded_sqrt(input[i]) >> shift (shift in [0, 31]).
inline void FilterBankSquareRoot(const uint64_t* input, int32_t n, int32_t shift,
                                 uint32_t* output) {
  for (int32_t i = 0; i < n; ++i) output[i] = RoundedSqrt64(input[i]) >> shift;
}

struct SpectralSubtractionParams {
  int32_t num_channels = 0;
  uint32_t smoothing = 0, one_minus_smoothing = 0;
  uint32_t alternate_smoothing = 0, alternate_one_minus_smoothing = 0;
  uint32_t min_signal_remaining = 0;
  uint32_t smoothing_bits = 0;             // < 32
  uint32_t spectral_subtraction_bits = 0;  // < 64
  bool clamping = false;
};

// Noise-floor subtraction with a one-pole noise tracker per channel (even
// channels use `smoothing`, odd ones `alternate_smoothing`):
//   s = x << smoothing_bits                            (mod 2^32)
//   noise = (s * a + noise * (1 - a)) >> ss_bits       (64-bit, then mod 2^32)
//   e = min(noise, s); if clamping, noise = e
//   out = max((s - e) >> smoothing_bits, (x * min_remaining) >> ss_bits)
// `noise` (num_channels values) is the state carried across frames.
inline void SpectralSubtraction(const SpectralSubtractionParams& p, const uint32_t* input,
                                uint32_t* output, uint32_t* noise) {
  for (int32_t i = 0; i < p.num_channels; ++i) {
    const bool odd = (i & 1) != 0;
    const uint64_t a = odd ? p.alternate_smoothing : p.smoothing;
    const uint64_t one_minus_a = odd ? p.alternate_one_minus_smoothing : p.one_minus_smoothing;
    const uint32_t s = input[i] << p.smoothing_bits;
    noise[i] = static_cast<uint32_t>((s * a + noise[i] * one_minus_a) >>
                                     p.spectral_subtraction_bits);
    uint32_t e = noise[i];
    if (e > s) {
      e = s;
      if (p.clamping) noise[i] = e;
    }
    const uint32_t floor = static_cast<uint32_t>(
        (static_cast<uint64_t>(input[i]) * p.min_signal_remaining) >> p.spectral_subtraction_bits);
    const uint32_t kept = (s - e) >> p.smoothing_bits;
    output[i] = kept > floor ? kept : floor;
  }
}

// PCAN (per-channel amplitude normalization) fixed-point constants: the SNR has
// 12 fractional bits, the output 6.
constexpr int kPcanSnrBits = 12;
constexpr int kPcanOutputBits = 6;
// Entries of the gain table a noise estimate of up to 32 bits can reach:
// 3 direct entries (x = 0, 1, 2) then 3 coefficients per power-of-two interval
// placed at 4 * bit_length - 6 (bit lengths 2..32).
constexpr int32_t kPcanGainLutMinSize = 4 * 32 - 6 + 3;

// The gain for noise level x: a quadratic per octave of x, evaluated in fixed
// point on the 10 bits of x below its leading one (frac, 0..1023):
//   g = ((((c2 * frac) >> 5) + (c1 << 5)) * frac + 2^14) >> 15) + c0   (int32)
// with (c0, c1, c2) = lut[4 * bit_length(x) - 6 ...]; x <= 2 reads lut[x].
inline int16_t PcanGain(uint32_t x, const int16_t* lut) {
  if (x <= 2) return lut[x];
  const int bits = BitLength32(x);
  const int16_t* c = lut + 4 * bits - 6;
  const uint32_t aligned = bits < 11 ? (x << (11 - bits)) : (x >> (bits - 11));
  const int32_t frac = static_cast<int32_t>(aligned & 0x3FF);
  // Wrapping 32-bit arithmetic (as TFLM's int32 expression on sane tables).
  uint32_t acc = static_cast<uint32_t>((static_cast<int32_t>(c[2]) * frac) >> 5);
  acc += static_cast<uint32_t>(static_cast<int32_t>(c[1])) << 5;
  acc *= static_cast<uint32_t>(frac);
  int32_t g = static_cast<int32_t>(acc + (1u << 14)) >> 15;
  g += c[0];
  return static_cast<int16_t>(g);
}

// shrink(snr) with snr in Q12, result in Q6: snr^2 / 4 below 2, snr - 1 above.
inline uint32_t PcanShrink(uint32_t snr) {
  if (snr < (2u << kPcanSnrBits))
    return (snr * snr) >> (2 + 2 * kPcanSnrBits - kPcanOutputBits);
  return (snr >> (kPcanSnrBits - kPcanOutputBits)) - (1u << kPcanOutputBits);
}

// output[i] = shrink((input[i] * gain(noise[i])) >> snr_shift), the gain read
// as an unsigned 32-bit value (a negative table entry wraps, as in TFLM).
inline void Pcan(const uint32_t* input, const uint32_t* noise, const int16_t* lut,
                 int32_t snr_shift, int32_t n, uint32_t* output) {
  for (int32_t i = 0; i < n; ++i) {
    const uint32_t gain = static_cast<uint32_t>(static_cast<int32_t>(PcanGain(noise[i], lut)));
    const uint32_t snr =
        static_cast<uint32_t>((static_cast<uint64_t>(input[i]) * gain) >> snr_shift);
    output[i] = PcanShrink(snr);
  }
}

// Correction table of the piecewise-linear log2 on [1, 2): entry i is
// round(2^16 * (log2(1 + i/128) - i/128)), i = 0..128 (computed offline from
// that formula; the last entry is 0 since log2(2) = 1).
extern const uint16_t kLog2Correction[129];

// log(x) * out_scale in Q16 -> integer, for x >= 1, with TFLM's fixed-point
// steps: log2 in Q16 = (floor_log2 << 16) + the fractional part from a
// linearly interpolated correction table; ln = (log2 * round(2^16 ln 2) + 2^15)
// >> 16; result = (out_scale * ln + 2^15) >> 16 computed modulo 2^32.
inline uint32_t ScaledLog(uint32_t x, uint32_t out_scale) {
  const uint32_t ilog2 = static_cast<uint32_t>(BitLength32(x) - 1);
  // Fractional part of x / 2^ilog2 in Q16.
  int32_t frac = static_cast<int32_t>(x - (uint32_t{1} << ilog2));
  if (ilog2 < 16)
    frac <<= 16 - ilog2;
  else
    frac >>= ilog2 - 16;
  const int32_t seg = frac >> 9;  // 128 segments of 512
  const int32_t c0 = kLog2Correction[seg], c1 = kLog2Correction[seg + 1];
  const int32_t interp = ((c1 - c0) * (frac - seg * 512)) >> 16;
  const uint32_t log2_q16 = (ilog2 << 16) + static_cast<uint32_t>(frac + c0 + interp);
  constexpr uint64_t kLn2Q16 = 45426;  // round(2^16 * ln 2)
  const uint32_t ln_q16 = static_cast<uint32_t>((kLn2Q16 * log2_q16 + 32768) >> 16);
  return (out_scale * ln_q16 + 32768u) >> 16;
}

// output[i] = min(ScaledLog(input[i] << correction_bits), 32767), or 0 when the
// shifted value is 0 or 1.
inline void FilterBankLog(const uint32_t* input, int32_t n, uint32_t out_scale,
                          uint32_t correction_bits, int16_t* output) {
  for (int32_t i = 0; i < n; ++i) {
    const uint32_t v = input[i] << correction_bits;
    if (v > 1) {
      const uint32_t l = ScaledLog(v, out_scale);
      output[i] = static_cast<int16_t>(l < 32767u ? l : 32767u);
    } else {
      output[i] = 0;
    }
  }
}

}  // namespace signal
}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SIGNAL_H_
