// TFLM "Signal" custom ops (the micro_speech audio front end): hand-derived
// cases for each op, FFTs against a float64 DFT, the noise state across
// invokes and its reset, malformed options, and the real front-end model on
// TFLM's own test clips (expected features from micro_speech_test.cc's data).
#ifndef FLATBUFFERS_LOCALE_INDEPENDENT
#define FLATBUFFERS_LOCALE_INDEPENDENT 0
#endif
#include <flatbuffers/flexbuffers.h>

#include <cmath>
#include <complex>
#include <functional>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

using FlexFill = std::function<void(flexbuffers::Builder&)>;
std::vector<uint8_t> Flex(const FlexFill& fill) {
  flexbuffers::Builder fbb;
  fbb.Map([&]() { fill(fbb); });
  fbb.Finish();
  return fbb.GetBuffer();
}

// ---- SignalWindow ----------------------------------------------------------

TEST(SignalWindow, ProductShiftAndSaturation) {
  SingleOpModel m;
  int in = m.Input(DataType::kInt16, {2, 4});
  int w = m.Const<int16_t>(DataType::kInt16, {4}, {16384, 8192, 32767, 32767});
  int out = m.Output(DataType::kInt16);
  m.builder().AddCustomOperator("SignalWindow", {in, w}, {out},
                                Flex([](flexbuffers::Builder& b) { b.Int("shift", 14); }));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int16_t>(in, {1000, -2000, 32767, -32768, -3, 3, 0, 1});
  ASSERT_TRUE(m.Invoke().ok());
  // 1000*16384>>14 = 1000; -2000*8192>>14 = -1000; 32767^2>>14 = 65532 -> 32767;
  // -32768*32767>>14 = -65534 -> -32768; -3*16384>>14 = -3; 3*8192>>14 = 1 (1.5
  // floored); 1*32767>>14 = 1.
  EXPECT_EQ(m.Get<int16_t>(out), (std::vector<int16_t>{1000, -1000, 32767, -32768, -3, 1, 0, 1}));
  EXPECT_EQ(m.Shape(out), (std::vector<int32_t>{2, 4}));
}

TEST(SignalWindow, RejectsPartialFrameAndBadShift) {
  {
    SingleOpModel m;
    int in = m.Input(DataType::kInt16, {5});
    int w = m.Const<int16_t>(DataType::kInt16, {4}, {1, 1, 1, 1});
    int out = m.Output(DataType::kInt16);
    m.builder().AddCustomOperator("SignalWindow", {in, w}, {out},
                                  Flex([](flexbuffers::Builder& b) { b.Int("shift", 1); }));
    EXPECT_FALSE(m.Build().ok());
  }
  for (int shift : {-1, 32}) {
    SingleOpModel m;
    int in = m.Input(DataType::kInt16, {4});
    int w = m.Const<int16_t>(DataType::kInt16, {4}, {1, 1, 1, 1});
    int out = m.Output(DataType::kInt16);
    m.builder().AddCustomOperator(
        "SignalWindow", {in, w}, {out},
        Flex([shift](flexbuffers::Builder& b) { b.Int("shift", shift); }));
    Status s = m.Build();
    EXPECT_FALSE(s.ok()) << "shift " << shift;
    EXPECT_NE(s.message().find("shift"), std::string::npos) << s.message();
  }
  {  // options missing entirely / not a FlexBuffer
    SingleOpModel m;
    int in = m.Input(DataType::kInt16, {4});
    int w = m.Const<int16_t>(DataType::kInt16, {4}, {1, 1, 1, 1});
    int out = m.Output(DataType::kInt16);
    m.builder().AddCustomOperator("SignalWindow", {in, w}, {out}, {0xFF, 0x01, 0x02});
    EXPECT_FALSE(m.Build().ok());
  }
}

// ---- SignalFftAutoScale ----------------------------------------------------

struct AutoScaleResult {
  std::vector<int16_t> out;
  int32_t shift = -1;
};
AutoScaleResult RunAutoScale(const std::vector<int16_t>& x) {
  SingleOpModel m;
  int in = m.Input(DataType::kInt16, {static_cast<int32_t>(x.size())});
  int out = m.Output(DataType::kInt16), shift = m.Output(DataType::kInt32);
  m.builder().AddCustomOperator("SignalFftAutoScale", {in}, {out, shift});
  AutoScaleResult r;
  if (!m.Build().ok()) return r;
  m.Set<int16_t>(in, x);
  if (!m.Invoke().ok()) return r;
  r.out = m.Get<int16_t>(out);
  r.shift = m.Get<int32_t>(shift)[0];
  return r;
}

TEST(SignalFftAutoScale, ShiftsPeakJustBelow2To15) {
  // Peak |-300| has 9 bits -> shift 15 - 9 = 6 (300 * 64 = 19200 < 32768).
  AutoScaleResult r = RunAutoScale({100, -300, 50});
  EXPECT_EQ(r.shift, 6);
  EXPECT_EQ(r.out, (std::vector<int16_t>{6400, -19200, 3200}));
  // 16384 has 15 bits: no shift.
  r = RunAutoScale({16384, -5});
  EXPECT_EQ(r.shift, 0);
  EXPECT_EQ(r.out, (std::vector<int16_t>{16384, -5}));
  // All zero: TFLM takes the bit length of 0 as 32 -> no shift.
  r = RunAutoScale({0, 0});
  EXPECT_EQ(r.shift, 0);
  EXPECT_EQ(r.out, (std::vector<int16_t>{0, 0}));
  // -32768: |x| wraps to -32768 in int16, whose unsigned bit length is 32 ->
  // no shift (a larger shift would overflow).
  r = RunAutoScale({100, -32768});
  EXPECT_EQ(r.shift, 0);
  EXPECT_EQ(r.out, (std::vector<int16_t>{100, -32768}));
}

// ---- SignalRfft ------------------------------------------------------------

template <typename T>
std::vector<T> RunRfft(DataType type, const std::vector<T>& x, int fft_length, Status* status) {
  SingleOpModel m;
  int in = m.Input(type, {static_cast<int32_t>(x.size())});
  int out = m.Output(type);
  const int t = type == DataType::kInt16 ? 7 : (type == DataType::kInt32 ? 2 : 0);
  m.builder().AddCustomOperator("SignalRfft", {in}, {out},
                                Flex([&](flexbuffers::Builder& b) {
                                  b.Int("T", t);
                                  b.Int("fft_length", fft_length);
                                }));
  *status = m.Build();
  if (!status->ok()) return {};
  m.Set<T>(in, x);
  *status = m.Invoke();
  if (!status->ok()) return {};
  EXPECT_EQ(m.Shape(out), (std::vector<int32_t>{fft_length + 2}));
  return m.Get<T>(out);
}

constexpr double kPi = 3.14159265358979323846;

// X[k] = sum x[j] exp(-2 pi i j k / n), k = 0..n/2, in float64.
std::vector<std::complex<double>> Dft(const std::vector<double>& x, int n) {
  std::vector<std::complex<double>> X(n / 2 + 1);
  for (int k = 0; k <= n / 2; ++k)
    for (size_t j = 0; j < x.size(); ++j)
      X[k] += x[j] * std::polar(1.0, -2.0 * kPi * static_cast<double>(j) * k / n);
  return X;
}

TEST(SignalRfft, Int16FourPointsHandDerived) {
  // n = 4: z = (1000 + 2000i, 3000 + 4000i); one radix-2 stage. Each value is
  // first halved as round(v * 16383 / 2^15): 500, 1000, 1500, 2000; the
  // twiddle (32767, 0) product rounds back to (1500, 2000), so Z = (2000,
  // 3000), (-1000, -1000). The split halves again: DC (1000 + 1500) = 2500,
  // Nyquist 1000 - 1500 = -500; bin 1 = (-1000 + 0) / 2 + i (0 + 1000) / 2
  // with super twiddle exp(-i pi) = (-32767, 0): (-500, 500). That is the DFT
  // (10000, -2000 + 2000i, -2000) divided by n = 4.
  Status s;
  std::vector<int16_t> y = RunRfft<int16_t>(DataType::kInt16, {1000, 2000, 3000, 4000}, 4, &s);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(y, (std::vector<int16_t>{2500, 0, -500, 500, -500, 0}));
}

// Random frames (zero-padded) at radix-4, radix-2 and mixed 2*3*5 lengths.
// int16 / int32 outputs are the DFT divided by n (each butterfly stage
// divides by its radix, the real split by 2): within a few LSB of rounding per
// stage; float outputs are the DFT itself.
TEST(SignalRfft, MatchesDftAllTypes) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int n : {512, 256, 64, 60, 40, 12}) {
    const int len = n - n / 8;
    std::uniform_int_distribution<int> dist(-20000, 20000);
    std::vector<int16_t> x16(len);
    std::vector<double> xd(len);
    for (int i = 0; i < len; ++i) x16[i] = static_cast<int16_t>(dist(rng)), xd[i] = x16[i];
    const auto X = Dft(xd, n);
    Status s;
    std::vector<int16_t> y16 = RunRfft<int16_t>(DataType::kInt16, x16, n, &s);
    ASSERT_TRUE(s.ok()) << "n " << n << ": " << s.message();
    // Every stage adds up to ~1 LSB of rounding error on values already
    // scaled down; log2(n) + 2 LSB is a comfortable bound.
    const double tol16 = std::log2(n) + 2;
    for (int k = 0; k <= n / 2; ++k) {
      EXPECT_NEAR(y16[2 * k], X[k].real() / n, tol16) << "n " << n << " bin " << k;
      EXPECT_NEAR(y16[2 * k + 1], X[k].imag() / n, tol16) << "n " << n << " bin " << k;
    }
    // int32: inputs scaled by 2^16 (so the Q31 arithmetic has bits to spare).
    std::vector<int32_t> x32(len);
    for (int i = 0; i < len; ++i) x32[i] = x16[i] * 65536;
    std::vector<int32_t> y32 = RunRfft<int32_t>(DataType::kInt32, x32, n, &s);
    ASSERT_TRUE(s.ok()) << s.message();
    for (int k = 0; k <= n / 2; ++k) {
      EXPECT_NEAR(y32[2 * k], X[k].real() * 65536 / n, tol16) << "n " << n << " bin " << k;
      EXPECT_NEAR(y32[2 * k + 1], X[k].imag() * 65536 / n, tol16) << "n " << n << " bin " << k;
    }
    std::vector<float> xf(len);
    for (int i = 0; i < len; ++i) xf[i] = static_cast<float>(x16[i]) / 32768.0f;
    std::vector<float> yf = RunRfft<float>(DataType::kFloat32, xf, n, &s);
    ASSERT_TRUE(s.ok()) << s.message();
    double peak = 0;
    for (const auto& v : X) peak = std::max(peak, std::abs(v) / 32768.0);
    for (int k = 0; k <= n / 2; ++k) {
      // float32 rounding over log2(n) stages: relative to the spectrum's peak.
      EXPECT_NEAR(yf[2 * k], X[k].real() / 32768.0, 1e-5 * peak) << "n " << n << " bin " << k;
      EXPECT_NEAR(yf[2 * k + 1], X[k].imag() / 32768.0, 1e-5 * peak) << "n " << n << " bin " << k;
    }
  }
}

TEST(SignalRfft, RejectsUnsupportedLengths) {
  Status s;
  RunRfft<int16_t>(DataType::kInt16, {1, 2, 3}, 7, &s);  // odd
  EXPECT_FALSE(s.ok());
  RunRfft<int16_t>(DataType::kInt16, {1, 2, 3}, 14, &s);  // n/2 = 7: radix 7
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.message();
  RunRfft<int16_t>(DataType::kInt16, std::vector<int16_t>(9, 1), 8, &s);  // frame > n
  EXPECT_FALSE(s.ok());
}

// ---- SignalEnergy ----------------------------------------------------------

TEST(SignalEnergy, SquaredMagnitudeInRange) {
  SingleOpModel m;
  int in = m.Input(DataType::kInt16, {10});
  int out = m.Output(DataType::kUInt32);
  m.builder().AddCustomOperator("SignalEnergy", {in}, {out}, Flex([](flexbuffers::Builder& b) {
                                  b.Int("start_index", 1);
                                  b.Int("end_index", 4);
                                }));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int16_t>(in, {3, 4, -5, 12, 100, -100, -32768, -32768, 7, 0});
  ASSERT_TRUE(m.Invoke().ok());
  // bin 0 and bin 4 are outside [1, 4): 0. 25+144 = 169; 2 * 100^2 = 20000;
  // 2 * 2^30 = 2^31 (fits in uint32).
  EXPECT_EQ(m.Get<uint32_t>(out), (std::vector<uint32_t>{0, 169, 20000, 2147483648u, 0}));
}

TEST(SignalEnergy, RejectsIndicesPastTheSpectrum) {
  SingleOpModel m;
  int in = m.Input(DataType::kInt16, {10});
  int out = m.Output(DataType::kUInt32);
  m.builder().AddCustomOperator("SignalEnergy", {in}, {out}, Flex([](flexbuffers::Builder& b) {
                                  b.Int("start_index", 0);
                                  b.Int("end_index", 6);
                                }));
  EXPECT_FALSE(m.Build().ok());
}

// ---- SignalFilterBank ------------------------------------------------------

Status RunFilterBank(const std::vector<int16_t>& freq_starts, std::vector<uint64_t>* result) {
  SingleOpModel m;
  int in = m.Input(DataType::kUInt32, {6});
  int w = m.Const<int16_t>(DataType::kInt16, {6}, {10, 20, 30, 40, 50, 60});
  int u = m.Const<int16_t>(DataType::kInt16, {6}, {1, 2, 3, 4, 5, 6});
  int fs = m.Const<int16_t>(DataType::kInt16, {3}, freq_starts);
  int ws = m.Const<int16_t>(DataType::kInt16, {3}, {0, 2, 4});
  int wd = m.Const<int16_t>(DataType::kInt16, {3}, {2, 2, 2});
  int out = m.Output(DataType::kUInt64);
  m.builder().AddCustomOperator("SignalFilterBank", {in, w, u, fs, ws, wd}, {out},
                                Flex([](flexbuffers::Builder& b) { b.Int("num_channels", 2); }));
  Status s = m.Build();
  if (!s.ok()) return s;
  m.Set<uint32_t>(in, {1, 2, 3, 4, 5, 6});
  s = m.Invoke();
  if (s.ok()) *result = m.Get<uint64_t>(out);
  return s;
}

TEST(SignalFilterBank, WeightedAndUnweightedBands) {
  // Bands of 2 bins: b0 = bins 0-1, b1 = 2-3, b2 = 4-5.
  // channel 0 = weights . b1 + unweights . b0 = 30*3 + 40*4 + 1*1 + 2*2 = 255
  // channel 1 = weights . b2 + unweights . b1 = 50*5 + 60*6 + 3*3 + 4*4 = 635
  std::vector<uint64_t> r;
  ASSERT_TRUE(RunFilterBank({0, 2, 4}, &r).ok());
  EXPECT_EQ(r, (std::vector<uint64_t>{255, 635}));
}

TEST(SignalFilterBank, RejectsBandOutsideSpectrum) {
  std::vector<uint64_t> r;
  Status s = RunFilterBank({0, 2, 5}, &r);  // band 2 = bins 5-6 of 6
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.message();
  EXPECT_NE(s.message().find("band 2"), std::string::npos) << s.message();
  s = RunFilterBank({-1, 2, 4}, &r);
  EXPECT_FALSE(s.ok());
}

// ---- SignalFilterBankSquareRoot --------------------------------------------

TEST(SignalFilterBankSquareRoot, RoundedRootThenShift) {
  const std::vector<uint64_t> x = {0,  1,  2,  3,           15,          16,
                                   17, 20, 0xFFFFFFFFull, 1ull << 40, (1ull << 40) + (1ull << 20) + 1};
  for (int32_t shift : {0, 2}) {
    SingleOpModel m;
    int in = m.Input(DataType::kUInt64, {static_cast<int32_t>(x.size())});
    int sh = m.Input(DataType::kInt32, {});
    int out = m.Output(DataType::kUInt32);
    m.builder().AddCustomOperator("SignalFilterBankSquareRoot", {in, sh}, {out});
    ASSERT_TRUE(m.Build().ok());
    m.Set<uint64_t>(in, x);
    m.Set<int32_t>(sh, {shift});
    ASSERT_TRUE(m.Invoke().ok());
    // r = floor(sqrt), +1 when x - r^2 > r: 2 -> 1 (rem 1), 3 -> 2 (rem 2),
    // 15 -> 4 (3, rem 6), 17 -> 4 (rem 1), 20 -> 4 (rem 4 = r), 2^32 - 1 -> 65535
    // (the 32-bit path caps at 0xFFFF), 2^40 -> 2^20, 2^40 + 2^20 + 1 -> 2^20 + 1.
    std::vector<uint32_t> want = {0, 1, 1, 2, 4, 4, 4, 4, 65535, 1u << 20, (1u << 20) + 1};
    for (auto& v : want) v >>= shift;
    EXPECT_EQ(m.Get<uint32_t>(out), want) << "shift " << shift;
  }
}

TEST(SignalFilterBankSquareRoot, ShiftOutOfRangeFailsAtInvoke) {
  SingleOpModel m;
  int in = m.Input(DataType::kUInt64, {1});
  int sh = m.Input(DataType::kInt32, {});
  int out = m.Output(DataType::kUInt32);
  m.builder().AddCustomOperator("SignalFilterBankSquareRoot", {in, sh}, {out});
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint64_t>(in, {4});
  m.Set<int32_t>(sh, {40});
  EXPECT_FALSE(m.Invoke().ok());
}

// ---- SignalFilterBankSpectralSubtraction -----------------------------------

struct SpectralModel {
  SingleOpModel m;
  int in = -1, out = -1, noise = -1;
};
void BuildSpectral(SpectralModel* s, bool clamping) {
  s->in = s->m.Input(DataType::kUInt32, {2});
  s->out = s->m.Output(DataType::kUInt32);
  s->noise = s->m.Output(DataType::kUInt32);
  // Q14: smoothing 0.5 (even channel), 0.25 (odd channel); floor 0.25.
  s->m.builder().AddCustomOperator(
      "SignalFilterBankSpectralSubtraction", {s->in}, {s->out, s->noise},
      Flex([clamping](flexbuffers::Builder& b) {
        b.Int("alternate_one_minus_smoothing", 3 << 12);
        b.Int("alternate_smoothing", 1 << 12);
        b.Bool("clamping", clamping);
        b.Int("min_signal_remaining", 1 << 12);
        b.Int("num_channels", 2);
        b.Int("one_minus_smoothing", 1 << 13);
        b.Int("smoothing", 1 << 13);
        b.Int("smoothing_bits", 2);
        b.Int("spectral_subtraction_bits", 14);
      }));
}

TEST(SignalFilterBankSpectralSubtraction, NoiseStateAcrossInvokesAndReset) {
  SpectralModel s;
  BuildSpectral(&s, /*clamping=*/false);
  ASSERT_TRUE(s.m.Build().ok());
  auto step = [&](std::vector<uint32_t> x, std::vector<uint32_t> want_out,
                  std::vector<uint32_t> want_noise, const char* what) {
    s.m.Set<uint32_t>(s.in, x);
    ASSERT_TRUE(s.m.Invoke().ok());
    EXPECT_EQ(s.m.Get<uint32_t>(s.out), want_out) << what;
    EXPECT_EQ(s.m.Get<uint32_t>(s.noise), want_noise) << what;
  };
  // Frame 1, x = (100, 40): scaled s = (400, 160).
  //   ch0: noise = 400 * 0.5 = 200; out = max((400 - 200) >> 2, 100 / 4) = 50
  //   ch1: noise = 160 * 0.25 = 40; out = max((160 - 40) >> 2, 40 / 4) = 30
  step({100, 40}, {50, 30}, {200, 40}, "frame 1");
  // Frame 2, x = (100, 0):
  //   ch0: noise = (400 + 200) / 2 = 300; out = max(100 >> 2, 25) = 25
  //   ch1: noise = 40 * 0.75 = 30 > s = 0: subtract 0, noise kept (no clamping)
  step({100, 0}, {25, 0}, {300, 30}, "frame 2");
  // ResetVariables clears the noise estimate: frame 1 again gives frame 1's result.
  ASSERT_TRUE(s.m.interpreter()->ResetVariables().ok());
  step({100, 40}, {50, 30}, {200, 40}, "after ResetVariables");
  // So does AllocateTensors (TFLM resets the state in prepare).
  ASSERT_TRUE(s.m.interpreter()->AllocateTensors().ok());
  step({100, 40}, {50, 30}, {200, 40}, "after AllocateTensors");
}

TEST(SignalFilterBankSpectralSubtraction, ClampingLowersNoise) {
  SpectralModel s;
  BuildSpectral(&s, /*clamping=*/true);
  ASSERT_TRUE(s.m.Build().ok());
  s.m.Set<uint32_t>(s.in, {100, 40});
  ASSERT_TRUE(s.m.Invoke().ok());
  s.m.Set<uint32_t>(s.in, {100, 0});
  ASSERT_TRUE(s.m.Invoke().ok());
  // ch1: the estimate 30 exceeds the signal 0 and is clamped to it.
  EXPECT_EQ(s.m.Get<uint32_t>(s.noise), (std::vector<uint32_t>{300, 0}));
}

TEST(SignalFilterBankSpectralSubtraction, RejectsMissingOption) {
  SingleOpModel m;
  int in = m.Input(DataType::kUInt32, {2});
  int out = m.Output(DataType::kUInt32), noise = m.Output(DataType::kUInt32);
  m.builder().AddCustomOperator("SignalFilterBankSpectralSubtraction", {in}, {out, noise},
                                Flex([](flexbuffers::Builder& b) { b.Int("num_channels", 2); }));
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("missing"), std::string::npos) << s.message();
}

// ---- SignalPCAN ------------------------------------------------------------

TEST(SignalPCAN, GainTableAndShrink) {
  std::vector<int16_t> lut(125, 0);
  lut[0] = 2048;  // gain for noise 0
  lut[1] = 4096;  // noise 1
  lut[2] = 4096;  // noise 2
  // Noise 8..15 (4 bits) reads (c0, c1, c2) at 4 * 4 - 6 = 10.
  lut[10] = 1000, lut[11] = 100, lut[12] = 64;
  SingleOpModel m;
  int in = m.Input(DataType::kUInt32, {5});
  int noise = m.Input(DataType::kUInt32, {5});
  int l = m.Const<int16_t>(DataType::kInt16, {125}, lut);
  int out = m.Output(DataType::kUInt32);
  m.builder().AddCustomOperator("SignalPCAN", {in, noise, l}, {out},
                                Flex([](flexbuffers::Builder& b) { b.Int("snr_shift", 6); }));
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint32_t>(in, {64, 1000, 256, 640, 640});
  m.Set<uint32_t>(noise, {0, 1, 2, 8, 12});
  ASSERT_TRUE(m.Invoke().ok());
  // snr (Q12) = in * gain >> 6; shrink to Q6: snr^2 / 4 below 2.0, snr - 1 above.
  //   64 * 2048 >> 6 = 2048 (0.5): 0.5^2 / 4 = 1/16 -> 4
  //   1000 * 4096 >> 6 = 64000: 64000 >> 6 = 1000, minus 64 -> 936
  //   256 * 4096 >> 6 = 16384: 256 - 64 = 192
  //   noise 8: frac 0 -> gain c0 = 1000; 640 * 1000 >> 6 = 10000 -> 156 - 64 = 92
  //   noise 12: frac = 0.5 -> gain 1000 + 100 * 0.5 + 64 * 0.25 = 1066;
  //             640 * 1066 >> 6 = 10660 -> 166 - 64 = 102
  EXPECT_EQ(m.Get<uint32_t>(out), (std::vector<uint32_t>{4, 936, 192, 92, 102}));
}

TEST(SignalPCAN, RejectsShortGainTable) {
  SingleOpModel m;
  int in = m.Input(DataType::kUInt32, {1});
  int noise = m.Input(DataType::kUInt32, {1});
  int l = m.Const<int16_t>(DataType::kInt16, {124}, std::vector<int16_t>(124, 1));
  int out = m.Output(DataType::kUInt32);
  m.builder().AddCustomOperator("SignalPCAN", {in, noise, l}, {out},
                                Flex([](flexbuffers::Builder& b) { b.Int("snr_shift", 6); }));
  EXPECT_FALSE(m.Build().ok());
}

// ---- SignalFilterBankLog ---------------------------------------------------

std::vector<int16_t> RunLog(const std::vector<uint32_t>& x, int correction_bits, int scale) {
  SingleOpModel m;
  int in = m.Input(DataType::kUInt32, {static_cast<int32_t>(x.size())});
  int out = m.Output(DataType::kInt16);
  m.builder().AddCustomOperator("SignalFilterBankLog", {in}, {out},
                                Flex([&](flexbuffers::Builder& b) {
                                  b.Int("input_correction_bits", correction_bits);
                                  b.Int("output_scale", scale);
                                }));
  EXPECT_TRUE(m.Build().ok());
  m.Set<uint32_t>(in, x);
  EXPECT_TRUE(m.Invoke().ok());
  return m.Get<int16_t>(out);
}

TEST(SignalFilterBankLog, FixedPointNaturalLog) {
  // correction 3: 1 -> 8: log2 = 3.0 exactly (Q16 196608); ln in Q16 =
  //   (45426 * 196608 + 2^15) >> 16 = 136278; * 1600 -> (218044800 + 2^15) >> 16 = 3327
  //   (ln 8 * 1600 = 3327.1). 0 -> 0 (values 0 and 1 give 0).
  EXPECT_EQ(RunLog({1, 0}, 3, 1600), (std::vector<int16_t>{3327, 0}));
  // correction 0: 3 = 2 * 1.5: fraction 0.5 (Q16 32768) + table[64] = 5568 ->
  //   log2 Q16 = 65536 + 32768 + 5568 = 103872 (1.58496 * 65536 = 103872.1);
  //   ln = (45426 * 103872 + 2^15) >> 16 = 71998; (1600 * 71998 + 2^15) >> 16 = 1758.
  // 1 -> 0 (not above 1); 2^32 - 1: ln * 1600 = 35489 > 32767 -> 32767.
  EXPECT_EQ(RunLog({3, 1, 0xFFFFFFFFu}, 0, 1600), (std::vector<int16_t>{1758, 0, 32767}));
}

// ---- the micro_speech audio front end (TFLM's model and test data) -----------

bool ReadWavInt16(const std::string& path, std::vector<int16_t>* samples) {
  std::vector<uint8_t> b;
  if (!testing::ReadFile(path, &b) || b.size() < 12) return false;
  size_t pos = 12;  // after "RIFF" size "WAVE"
  while (pos + 8 <= b.size()) {
    uint32_t size;
    memcpy(&size, &b[pos + 4], 4);
    if (memcmp(&b[pos], "data", 4) == 0) {
      if (pos + 8 + size > b.size()) return false;
      samples->resize(size / 2);
      memcpy(samples->data(), &b[pos + 8], samples->size() * 2);
      return true;
    }
    pos += 8 + size + (size & 1);
  }
  return false;
}

TEST(SignalMicroSpeech, AudioPreprocessorInt8ExactFeatures) {
  EDGELITE_REQUIRE_SHARED();
  const std::string dir = testing::SharedDir() + "/models/tflm/micro_speech/";
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(testing::ReadFile(dir + "audio_preprocessor_int8.tflite", &bytes));
  auto model = Model::FromBuffer(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok()) << model.status().message();
  BuiltinOpResolver resolver;
  for (const char* word : {"yes", "no"}) {
    auto it = Interpreter::Create(**model, resolver);
    ASSERT_TRUE(it.ok()) << it.status().message();
    Interpreter& interp = **it;
    ASSERT_TRUE(interp.AllocateTensors().ok());
    std::vector<int16_t> audio;
    ASSERT_TRUE(ReadWavInt16(dir + "testdata/" + word + "_30ms.wav", &audio));
    ASSERT_GE(audio.size(), 480u);
    ASSERT_EQ(interp.input(0)->bytes, 480 * sizeof(int16_t));
    memcpy(interp.input(0)->data, audio.data(), 480 * sizeof(int16_t));
    ASSERT_TRUE(interp.Invoke().ok());
    std::vector<uint8_t> expected;
    ASSERT_TRUE(
        testing::ReadFile(dir + "testdata/" + word + "_30ms_expected_features_int8x40.bin",
                          &expected));
    ASSERT_EQ(expected.size(), 40u);
    const int8_t* got = interp.output(0)->data_as<int8_t>();
    for (int i = 0; i < 40; ++i)
      EXPECT_EQ(got[i], static_cast<int8_t>(expected[i])) << word << " feature " << i;
  }
}

}  // namespace
}  // namespace edgelite
