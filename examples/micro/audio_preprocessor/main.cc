// audio_preprocessor: TFLM's micro_speech audio front end (audio_preprocessor_int8.tflite: the
// Signal* custom ops) on the Cortex-M. Checks, as TFLM's micro_speech_test.cc does:
//   * the 40 int8 features of yes_30ms.wav / no_30ms.wav are exactly TFLM's;
//   * yes_1000ms.wav / no_1000ms.wav, cut into 49 frames of 30 ms (stride 20 ms) through one
//     front-end interpreter (the noise estimate carries over), then through the keyword model,
//     are recognised as yes / no.
#include <cstdint>
#include <cstring>

#include "edgelite/micro/micro_op_resolver.h"
#include "examples/micro/common/example_util.h"

extern const unsigned char g_preprocessor_model[], g_kws_model[];
extern const size_t g_preprocessor_model_len, g_kws_model_len;
extern const unsigned char g_yes_30ms[], g_no_30ms[], g_yes_expected[], g_no_expected[];
extern const size_t g_yes_30ms_len, g_no_30ms_len, g_yes_expected_len, g_no_expected_len;
extern const unsigned char g_yes_1000ms[], g_no_1000ms[];
extern const size_t g_yes_1000ms_len, g_no_1000ms_len;

namespace {
constexpr size_t kArenaBytes = EXAMPLE_ARENA_BYTES;
constexpr size_t kKwsArenaBytes = KWS_ARENA_BYTES;
alignas(16) uint8_t g_arena[kArenaBytes];
alignas(16) uint8_t g_kws_arena[kKwsArenaBytes];
constexpr int kFrameSamples = 480, kStrideSamples = 320, kFrames = 49, kFeatures = 40;
int8_t g_features[kFrames * kFeatures];
const char* const kLabels[] = {"silence", "unknown", "yes", "no"};

// The samples of a 16-bit PCM WAV file (its "data" chunk); null if there is none.
const int16_t* WavSamples(const unsigned char* wav, size_t bytes, size_t* count) {
  size_t pos = 12;  // "RIFF" <size> "WAVE"
  while (pos + 8 <= bytes) {
    uint32_t size;
    std::memcpy(&size, wav + pos + 4, 4);
    if (std::memcmp(wav + pos, "data", 4) == 0 && pos + 8 + size <= bytes) {
      *count = size / 2;
      return reinterpret_cast<const int16_t*>(wav + pos + 8);  // 2-aligned: even offsets
    }
    pos += 8 + size + (size & 1);
  }
  return nullptr;
}

bool Features(edgelite::micro::MicroInterpreter& fe, const int16_t* frame, int8_t* out) {
  if (!example::SetInput(fe, 0, frame, kFrameSamples * sizeof(int16_t))) return false;
  if (fe.Invoke() != edgelite::StatusCode::kOk) return false;
  std::memcpy(out, fe.output(0)->data, kFeatures);
  return true;
}
}  // namespace

int main() {
  edgelite::micro::MicroOpResolver<18> resolver;
  resolver.Add_SignalWindow();
  resolver.Add_SignalFftAutoScale();
  resolver.Add_SignalRfft();
  resolver.Add_SignalEnergy();
  resolver.Add_SignalFilterBank();
  resolver.Add_SignalFilterBankSquareRoot();
  resolver.Add_SignalFilterBankSpectralSubtraction();
  resolver.Add_SignalPCAN();
  resolver.Add_SignalFilterBankLog();
  resolver.Add_ADD();
  resolver.Add_CAST();
  resolver.Add_CONCATENATION();
  resolver.Add_DIV();
  resolver.Add_MAXIMUM();
  resolver.Add_MINIMUM();
  resolver.Add_MUL();
  resolver.Add_RESHAPE();
  resolver.Add_STRIDED_SLICE();
  edgelite::micro::MicroInterpreter fe(g_preprocessor_model, g_preprocessor_model_len, resolver,
                                       g_arena, kArenaBytes);
  if (!example::Allocate(fe, "audio_preprocessor")) return example::Finish("audio_preprocessor");

  struct Clip {
    const char* word;
    const unsigned char* wav;
    size_t bytes;
    const unsigned char* expected;
  } clips[] = {{"yes", g_yes_30ms, g_yes_30ms_len, g_yes_expected},
               {"no", g_no_30ms, g_no_30ms_len, g_no_expected}};
  for (const Clip& c : clips) {
    size_t n = 0;
    const int16_t* audio = WavSamples(c.wav, c.bytes, &n);
    example::Check(audio != nullptr && n >= kFrameSamples, "30 ms clip has 480 samples");
    if (audio == nullptr || n < kFrameSamples) continue;
    example::Check(fe.Reset() == edgelite::StatusCode::kOk, "Reset");
    int8_t f[kFeatures];
    example::Check(Features(fe, audio, f), "Invoke");
    int differ = 0;
    for (int i = 0; i < kFeatures; ++i) differ += f[i] != static_cast<int8_t>(c.expected[i]);
    edgelite::micro::Log("%s_30ms: %d of %d features differ from TFLM's", c.word, differ,
                         kFeatures);
    example::Check(differ == 0, "features exactly TFLM's");
  }

  edgelite::micro::MicroOpResolver<4> kws_resolver;
  kws_resolver.Add_DEPTHWISE_CONV_2D();
  kws_resolver.Add_FULLY_CONNECTED();
  kws_resolver.Add_RESHAPE();
  kws_resolver.Add_SOFTMAX();
  edgelite::micro::MicroInterpreter kws(g_kws_model, g_kws_model_len, kws_resolver, g_kws_arena,
                                        kKwsArenaBytes);
  if (!example::Allocate(kws, "micro_speech")) return example::Finish("audio_preprocessor");
  struct Long {
    const char* word;
    const unsigned char* wav;
    size_t bytes;
    int expected;
  } longs[] = {{"yes", g_yes_1000ms, g_yes_1000ms_len, 2}, {"no", g_no_1000ms, g_no_1000ms_len, 3}};
  for (const Long& c : longs) {
    size_t n = 0;
    const int16_t* audio = WavSamples(c.wav, c.bytes, &n);
    const size_t need = static_cast<size_t>((kFrames - 1) * kStrideSamples + kFrameSamples);
    example::Check(audio != nullptr && n >= need, "1000 ms clip");
    if (audio == nullptr || n < need) continue;
    example::Check(fe.Reset() == edgelite::StatusCode::kOk, "Reset");
    bool ok = true;
    for (int i = 0; i < kFrames && ok; ++i)
      ok = Features(fe, audio + i * kStrideSamples, g_features + i * kFeatures);
    example::Check(ok, "49 front-end invokes");
    if (!ok || !example::SetInput(kws, 0, g_features, sizeof(g_features))) continue;
    example::Check(kws.Invoke() == edgelite::StatusCode::kOk, "keyword Invoke");
    const int8_t* s = kws.output(0)->data_as<int8_t>();
    int top = 0;
    for (int i = 1; i < 4; ++i)
      if (s[i] > s[top]) top = i;
    edgelite::micro::Log("%s_1000ms: scores %d %d %d %d -> %s", c.word, s[0], s[1], s[2], s[3],
                         kLabels[top]);
    example::Check(top == c.expected, "top class is the spoken word");
  }
  return example::Finish("audio_preprocessor");
}
