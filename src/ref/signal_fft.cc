// See signal_fft.h for the arithmetic this reproduces.
#include "src/ref/signal_fft.h"

#include <cmath>
#include <type_traits>

namespace edgelite {
namespace ref {
namespace signal {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Fixed-point formats: Q15 in int16 with int32 products, Q31 in int32 with
// int64 products; kOne is the largest value (2^F - 1), the scale of twiddles.
template <typename T>
struct Fixed;
template <>
struct Fixed<int16_t> {
  using Wide = int32_t;
  static constexpr int kFrac = 15;
  static constexpr Wide kOne = 32767;
};
template <>
struct Fixed<int32_t> {
  using Wide = int64_t;
  static constexpr int kFrac = 31;
  static constexpr Wide kOne = 2147483647;
};

template <typename T>
constexpr bool kIsFloat = std::is_floating_point<T>::value;

// Sums wrap to T; C promotes int16 operands to int (no overflow there) and
// adds int32 operands modulo 2^32, so 32-bit unsigned arithmetic gives both.
template <typename T>
inline T Add(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return a + b;
  } else {
    return static_cast<T>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
  }
}
template <typename T>
inline T Sub(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return a - b;
  } else {
    return static_cast<T>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
  }
}
template <typename T>
inline T Neg(T a) {
  return Sub<T>(T(0), a);
}
// x / 2: an arithmetic shift of the (int-promoted) value for integers.
template <typename T>
inline T Half(T a) {
  if constexpr (kIsFloat<T>) {
    return a * 0.5f;
  } else {
    return static_cast<T>(static_cast<int32_t>(a) >> 1);
  }
}
// (a + b) / 2 and (a - b) / 2, the sum formed in int (wrapping for int32).
template <typename T>
inline T HalfSum(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return (a + b) * 0.5f;
  } else {
    return static_cast<T>(
        static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)) >> 1);
  }
}
template <typename T>
inline T HalfDiff(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return (a - b) * 0.5f;
  } else {
    return static_cast<T>(
        static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)) >> 1);
  }
}

template <typename T, typename W>
inline T RoundFrac(W x) {
  return static_cast<T>((x + (W{1} << (Fixed<T>::kFrac - 1))) >> Fixed<T>::kFrac);
}

// a * b for a value and a twiddle component, rounded back to T.
template <typename T>
inline T MulFrac(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return a * b;
  } else {
    using W = typename Fixed<T>::Wide;
    return RoundFrac<T, W>(static_cast<W>(a) * b);
  }
}

template <typename T>
inline Cpx<T> CMul(const Cpx<T>& a, const Cpx<T>& b) {
  if constexpr (kIsFloat<T>) {
    return {a.r * b.r - a.i * b.i, a.r * b.i + a.i * b.r};
  } else {
    using W = typename Fixed<T>::Wide;
    return {RoundFrac<T, W>(static_cast<W>(a.r) * b.r - static_cast<W>(a.i) * b.i),
            RoundFrac<T, W>(static_cast<W>(a.r) * b.i + static_cast<W>(a.i) * b.r)};
  }
}

// Divides by p before a radix-p butterfly (integers only): x * floor(kOne / p),
// rounded.
template <typename T>
inline void DivideBy(Cpx<T>* c, int p) {
  if constexpr (!kIsFloat<T>) {
    using W = typename Fixed<T>::Wide;
    const W f = Fixed<T>::kOne / p;
    c->r = RoundFrac<T, W>(static_cast<W>(c->r) * f);
    c->i = RoundFrac<T, W>(static_cast<W>(c->i) * f);
  }
}

template <typename T>
inline Cpx<T> CAdd(const Cpx<T>& a, const Cpx<T>& b) {
  return {Add(a.r, b.r), Add(a.i, b.i)};
}
template <typename T>
inline Cpx<T> CSub(const Cpx<T>& a, const Cpx<T>& b) {
  return {Sub(a.r, b.r), Sub(a.i, b.i)};
}

template <typename T>
Cpx<T> Twiddle(double phase) {
  if constexpr (kIsFloat<T>) {
    return {static_cast<T>(std::cos(phase)), static_cast<T>(std::sin(phase))};
  } else {
    const double one = static_cast<double>(Fixed<T>::kOne);
    return {static_cast<T>(std::floor(0.5 + one * std::cos(phase))),
            static_cast<T>(std::floor(0.5 + one * std::sin(phase)))};
  }
}

// Radix-2 step over m pairs (f[k], f[k + m]).
template <typename T>
void Radix2(Cpx<T>* f, size_t stride, const Cpx<T>* tw, size_t m) {
  for (size_t k = 0; k < m; ++k) {
    Cpx<T>& a = f[k];
    Cpx<T>& b = f[k + m];
    DivideBy(&a, 2);
    DivideBy(&b, 2);
    const Cpx<T> t = CMul(b, tw[k * stride]);
    b = CSub(a, t);
    a = CAdd(a, t);
  }
}

// Radix-4 step (forward transform).
template <typename T>
void Radix4(Cpx<T>* f, size_t stride, const Cpx<T>* tw, size_t m) {
  for (size_t k = 0; k < m; ++k) {
    Cpx<T>& a0 = f[k];
    Cpx<T>& a1 = f[k + m];
    Cpx<T>& a2 = f[k + 2 * m];
    Cpx<T>& a3 = f[k + 3 * m];
    DivideBy(&a0, 4);
    DivideBy(&a1, 4);
    DivideBy(&a2, 4);
    DivideBy(&a3, 4);
    const Cpx<T> b1 = CMul(a1, tw[k * stride]);
    const Cpx<T> b2 = CMul(a2, tw[2 * k * stride]);
    const Cpx<T> b3 = CMul(a3, tw[3 * k * stride]);
    const Cpx<T> d02 = CSub(a0, b2);
    a0 = CAdd(a0, b2);
    const Cpx<T> s13 = CAdd(b1, b3);
    const Cpx<T> d13 = CSub(b1, b3);
    a2 = CSub(a0, s13);
    a0 = CAdd(a0, s13);
    // d02 -/+ i * d13
    a1 = {Add(d02.r, d13.i), Sub(d02.i, d13.r)};
    a3 = {Sub(d02.r, d13.i), Add(d02.i, d13.r)};
  }
}

// Radix-3 step: uses sin(-2 pi / 3) (twiddle at n/3) for the odd part.
template <typename T>
void Radix3(Cpx<T>* f, size_t stride, const Cpx<T>* tw, size_t m) {
  const T s = tw[stride * m].i;
  for (size_t k = 0; k < m; ++k) {
    Cpx<T>& a0 = f[k];
    Cpx<T>& a1 = f[k + m];
    Cpx<T>& a2 = f[k + 2 * m];
    DivideBy(&a0, 3);
    DivideBy(&a1, 3);
    DivideBy(&a2, 3);
    const Cpx<T> b1 = CMul(a1, tw[k * stride]);
    const Cpx<T> b2 = CMul(a2, tw[2 * k * stride]);
    const Cpx<T> sum = CAdd(b1, b2);
    Cpx<T> diff = CSub(b1, b2);
    a1 = {Sub(a0.r, Half(sum.r)), Sub(a0.i, Half(sum.i))};
    diff = {MulFrac(diff.r, s), MulFrac(diff.i, s)};
    a0 = CAdd(a0, sum);
    a2 = {Add(a1.r, diff.i), Sub(a1.i, diff.r)};
    a1 = {Sub(a1.r, diff.i), Add(a1.i, diff.r)};
  }
}

// Radix-5 step: ya, yb are the twiddles at n/5 and 2n/5.
template <typename T>
void Radix5(Cpx<T>* f, size_t stride, const Cpx<T>* tw, size_t m) {
  const Cpx<T> ya = tw[stride * m];
  const Cpx<T> yb = tw[stride * 2 * m];
  for (size_t u = 0; u < m; ++u) {
    Cpx<T>* a[5] = {&f[u], &f[u + m], &f[u + 2 * m], &f[u + 3 * m], &f[u + 4 * m]};
    for (Cpx<T>* x : a) DivideBy(x, 5);
    const Cpx<T> x0 = *a[0];
    const Cpx<T> b1 = CMul(*a[1], tw[u * stride]);
    const Cpx<T> b2 = CMul(*a[2], tw[2 * u * stride]);
    const Cpx<T> b3 = CMul(*a[3], tw[3 * u * stride]);
    const Cpx<T> b4 = CMul(*a[4], tw[4 * u * stride]);
    const Cpx<T> s14 = CAdd(b1, b4), d14 = CSub(b1, b4);
    const Cpx<T> s23 = CAdd(b2, b3), d23 = CSub(b2, b3);
    a[0]->r = Add(a[0]->r, Add(s14.r, s23.r));
    a[0]->i = Add(a[0]->i, Add(s14.i, s23.i));
    const Cpx<T> e1 = {Add(Add(x0.r, MulFrac(s14.r, ya.r)), MulFrac(s23.r, yb.r)),
                       Add(Add(x0.i, MulFrac(s14.i, ya.r)), MulFrac(s23.i, yb.r))};
    const Cpx<T> o1 = {Add(MulFrac(d14.i, ya.i), MulFrac(d23.i, yb.i)),
                       Sub(Neg(MulFrac(d14.r, ya.i)), MulFrac(d23.r, yb.i))};
    *a[1] = CSub(e1, o1);
    *a[4] = CAdd(e1, o1);
    const Cpx<T> e2 = {Add(Add(x0.r, MulFrac(s14.r, yb.r)), MulFrac(s23.r, ya.r)),
                       Add(Add(x0.i, MulFrac(s14.i, yb.r)), MulFrac(s23.i, ya.r))};
    const Cpx<T> o2 = {Add(Neg(MulFrac(d14.i, yb.i)), MulFrac(d23.i, ya.i)),
                       Sub(MulFrac(d14.r, yb.i), MulFrac(d23.r, ya.i))};
    *a[2] = CAdd(e2, o2);
    *a[3] = CSub(e2, o2);
  }
}

int32_t FloorSqrtInt(int32_t n) {
  int32_t s = 0;
  while (static_cast<int64_t>(s + 1) * (s + 1) <= n) ++s;
  return s;
}

size_t Align16(size_t x) { return (x + 15) & ~size_t{15}; }

}  // namespace

bool MakeFftPlan(int32_t n, FftPlan* plan) {
  if (n < 1) return false;
  *plan = FftPlan();
  plan->n = n;
  // Powers of 4 first, then 2, then odd numbers from 3; once the candidate
  // passes floor(sqrt(original n)) the remainder is taken as one prime radix.
  const int32_t limit = FloorSqrtInt(n);
  int32_t p = 4;
  do {
    while (n % p != 0) {
      p = p == 4 ? 2 : (p == 2 ? 3 : p + 2);
      if (p > limit) p = n;
    }
    n /= p;
    if (plan->num_stages >= FftPlan::kMaxStages) return false;
    if (p != 2 && p != 3 && p != 4 && p != 5) return false;
    plan->radix[plan->num_stages] = p;
    plan->rest[plan->num_stages] = n;
    ++plan->num_stages;
  } while (n > 1);
  return true;
}

template <typename T>
size_t RealFft<T>::TableBytes(int32_t n) {
  const size_t half = static_cast<size_t>(n / 2);
  return Align16(half * sizeof(Cpx<T>)) + Align16((half / 2) * sizeof(Cpx<T>));
}

template <typename T>
bool RealFft<T>::Supported(int32_t n) {
  FftPlan plan;
  return n >= 4 && n % 2 == 0 && MakeFftPlan(n / 2, &plan);
}

template <typename T>
bool RealFft<T>::Init(int32_t n, void* tables) {
  if (!Supported(n) || tables == nullptr) return false;
  n_ = n;
  const int32_t half = n / 2;
  if (!MakeFftPlan(half, &plan_)) return false;
  twiddles_ = static_cast<Cpx<T>*>(tables);
  super_twiddles_ = reinterpret_cast<Cpx<T>*>(static_cast<uint8_t*>(tables) +
                                              Align16(static_cast<size_t>(half) * sizeof(Cpx<T>)));
  for (int32_t j = 0; j < half; ++j)
    twiddles_[j] = Twiddle<T>(-2.0 * kPi * j / half);
  for (int32_t j = 0; j < half / 2; ++j)
    super_twiddles_[j] = Twiddle<T>(-kPi * (static_cast<double>(j + 1) / half + 0.5));
  return true;
}

// One level of the decimation-in-time recursion: `out` receives the
// (radix * rest)-point transform of in[0], in[stride], in[2 * stride], ...
template <typename T>
void RealFft<T>::Work(Cpx<T>* out, const Cpx<T>* in, size_t stride, int stage) const {
  const int32_t p = plan_.radix[stage];
  const size_t m = static_cast<size_t>(plan_.rest[stage]);
  if (m == 1) {
    for (int32_t j = 0; j < p; ++j) out[j] = in[j * stride];
  } else {
    for (int32_t j = 0; j < p; ++j) Work(out + j * m, in + j * stride, stride * p, stage + 1);
  }
  switch (p) {
    case 2:
      Radix2(out, stride, twiddles_, m);
      break;
    case 3:
      Radix3(out, stride, twiddles_, m);
      break;
    case 4:
      Radix4(out, stride, twiddles_, m);
      break;
    default:
      Radix5(out, stride, twiddles_, m);
      break;
  }
}

template <typename T>
void RealFft<T>::Apply(const Cpx<T>* packed, Cpx<T>* output, Cpx<T>* work) const {
  const int32_t half = n_ / 2;
  Work(work, packed, 1, 0);
  // Split the transform of the packed signal into the even/odd halves.
  Cpx<T> dc = work[0];
  DivideBy(&dc, 2);
  output[0] = {Add(dc.r, dc.i), T(0)};
  output[half] = {Sub(dc.r, dc.i), T(0)};
  for (int32_t k = 1; k <= half / 2; ++k) {
    Cpx<T> a = work[k];
    Cpx<T> b = {work[half - k].r, Neg(work[half - k].i)};
    DivideBy(&a, 2);
    DivideBy(&b, 2);
    const Cpx<T> even = CAdd(a, b);
    const Cpx<T> odd = CMul(CSub(a, b), super_twiddles_[k - 1]);
    output[k] = {HalfSum(even.r, odd.r), HalfSum(even.i, odd.i)};
    output[half - k] = {HalfDiff(even.r, odd.r), HalfDiff(odd.i, even.i)};
  }
}

template class RealFft<int16_t>;
template class RealFft<int32_t>;
template class RealFft<float>;

}  // namespace signal
}  // namespace ref
}  // namespace edgelite
