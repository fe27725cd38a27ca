// The real FFT of TensorFlow Lite Micro's SignalRfft, reproduced step for step
// so that the fixed-point variants are bit-exact: TFLM runs KISS FFT (v1.3.0)
// compiled with FIXED_POINT=16 (int16), FIXED_POINT=32 (int32) or as float.
//
// Algorithm (an n-point real FFT, n even, through an n/2-point complex FFT):
//   1. the input is read as n/2 complex values z[k] = x[2k] + i x[2k+1];
//   2. Z = mixed-radix decimation-in-time FFT of z, radices taken in the order
//      4 (as long as n/2 divides), 2, 3, 5 (then larger primes, which TFLM's
//      build cannot run: rejected here); twiddles w_j = exp(-2 pi i j / (n/2));
//   3. X[k] = ((Z[k] + conj Z[n/2-k]) + (Z[k] - conj Z[n/2-k]) * s_k) / 2 with
//      s_k = exp(-i pi (k / (n/2) + 1/2)), k = 1..n/4, and its mirror
//      X[n/2-k]; X[0] and X[n/2] from the DC term.
// Fixed-point conventions (Q15 for int16, Q31 for int32, "F" fraction bits):
//   * a twiddle is floor(0.5 + (2^F - 1) * cos/sin(phase)) computed in double;
//   * a product a*b of two values is rounded: (a*b + 2^(F-1)) >> F in the
//     wide type (int32 / int64); a complex product rounds each of its real and
//     imaginary sums once;
//   * every radix-p butterfly first divides its p inputs by p, as
//     round(x * floor((2^F - 1) / p)); step 3 divides both terms by 2 the same
//     way and halves sums by an arithmetic shift;
//   * sums and differences wrap to the scalar type (two's complement).
// Floats use plain float arithmetic with no scaling.
#ifndef EDGELITE_REF_SIGNAL_FFT_H_
#define EDGELITE_REF_SIGNAL_FFT_H_

#include <cstddef>
#include <cstdint>

namespace edgelite {
namespace ref {
namespace signal {

template <typename T>
struct Cpx {
  T r, i;
};

// Radix plan of an n-point complex FFT: pairs (radix p, remaining length m).
struct FftPlan {
  static constexpr int kMaxStages = 32;
  int32_t n = 0;
  int32_t num_stages = 0;
  int32_t radix[kMaxStages] = {};
  int32_t rest[kMaxStages] = {};
};

// Factors n as KISS FFT does. Returns false if n < 1 or a radix other than
// 2, 3, 4 or 5 is needed (TFLM's build of KISS FFT has no working generic
// butterfly: it needs a heap buffer, which that build does not provide).
bool MakeFftPlan(int32_t n, FftPlan* plan);

// A real FFT of length n (even, >= 4). Memory is the caller's: twiddles
// (n/2 complex for the complex FFT, n/4 for the real post-processing) are
// filled once by Init; Apply uses a caller-provided work buffer of n/2
// complex values.
template <typename T>
class RealFft {
 public:
  // Bytes of the twiddle tables for length n (aligned to 16).
  static size_t TableBytes(int32_t n);
  // False if n is odd, < 4 or has an unsupported radix (see MakeFftPlan).
  static bool Supported(int32_t n);
  // `tables` holds TableBytes(n) bytes, 16-aligned, and must outlive this.
  bool Init(int32_t n, void* tables);
  // packed: the n real inputs as n/2 complex values (x[2k] + i x[2k+1]);
  // output: n/2 + 1 complex values; work: n/2 complex values. The three
  // buffers must not overlap.
  void Apply(const Cpx<T>* packed, Cpx<T>* output, Cpx<T>* work) const;
  int32_t length() const { return n_; }

 private:
  void Work(Cpx<T>* out, const Cpx<T>* in, size_t stride, int stage) const;
  int32_t n_ = 0;
  FftPlan plan_;
  Cpx<T>* twiddles_ = nullptr;        // n/2
  Cpx<T>* super_twiddles_ = nullptr;  // n/4
};

extern template class RealFft<int16_t>;
extern template class RealFft<int32_t>;
extern template class RealFft<float>;

}  // namespace signal
}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SIGNAL_FFT_H_
