// micro_speech: TFLM's keyword model (int8; RESHAPE, DEPTHWISE_CONV_2D, FULLY_CONNECTED,
// SOFTMAX) on the precomputed 49x40 spectrograms of "yes" and "no" (TFLM's micro_speech test
// data): the top class must be the word spoken. Also TFLite's golden: the output for the golden
// input must be bit-exact with TFLite's reference kernels.
#include <cstdint>

#include "edgelite/micro/micro_op_resolver.h"
#include "examples/micro/common/example_util.h"

extern const unsigned char g_micro_speech_model[];
extern const size_t g_micro_speech_model_len;
extern const unsigned char g_yes_features[], g_no_features[], g_golden_in[], g_golden_out[];
extern const size_t g_yes_features_len, g_no_features_len, g_golden_in_len, g_golden_out_len;

namespace {
constexpr size_t kArenaBytes = EXAMPLE_ARENA_BYTES;
alignas(16) uint8_t g_arena[kArenaBytes];
const char* const kLabels[] = {"silence", "unknown", "yes", "no"};

int TopClass(const int8_t* scores) {
  int best = 0;
  for (int i = 1; i < 4; ++i)
    if (scores[i] > scores[best]) best = i;
  return best;
}
}  // namespace

int main() {
  edgelite::micro::MicroOpResolver<4> resolver;
  resolver.Add_DEPTHWISE_CONV_2D();
  resolver.Add_FULLY_CONNECTED();
  resolver.Add_RESHAPE();
  resolver.Add_SOFTMAX();
  edgelite::micro::MicroInterpreter interp(g_micro_speech_model, g_micro_speech_model_len,
                                           resolver, g_arena, kArenaBytes);
  if (!example::Allocate(interp, "micro_speech")) return example::Finish("micro_speech");
  struct Case {
    const char* word;
    const unsigned char* features;
    size_t bytes;
    int expected;
  } cases[] = {{"yes", g_yes_features, g_yes_features_len, 2},
               {"no", g_no_features, g_no_features_len, 3}};
  for (const Case& c : cases) {
    if (!example::SetInput(interp, 0, c.features, c.bytes)) continue;
    example::Check(interp.Invoke() == edgelite::StatusCode::kOk, "Invoke");
    const int8_t* out = interp.output(0)->data_as<int8_t>();
    const int top = TopClass(out);
    edgelite::micro::Log("%s features: scores %d %d %d %d -> %s", c.word, out[0], out[1], out[2],
                         out[3], kLabels[top]);
    example::Check(top == c.expected, "top class is the spoken word");
  }
  if (example::SetInput(interp, 0, g_golden_in, g_golden_in_len)) {
    example::Check(interp.Invoke() == edgelite::StatusCode::kOk, "Invoke (golden input)");
    const int8_t* out = interp.output(0)->data_as<int8_t>();
    int differ = 0;
    for (size_t i = 0; i < g_golden_out_len; ++i)
      differ += out[i] != static_cast<int8_t>(g_golden_out[i]);
    edgelite::micro::Log("golden: %d of %u outputs differ from TFLite's", differ,
                         static_cast<unsigned>(g_golden_out_len));
    example::Check(differ == 0 && interp.output(0)->bytes == g_golden_out_len,
                   "output bit-exact with TFLite's golden");
  }
  return example::Finish("micro_speech");
}
