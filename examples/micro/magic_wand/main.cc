// magic_wand: TFLM's gesture model (float; CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D,
// FULLY_CONNECTED, SOFTMAX) on 128 accelerometer samples (x, y, z) of the "ring" and "slope"
// gestures (TFLM's magic_wand test data): outputs are [wing, ring, slope, negative] and the
// recorded gesture must score highest. Also TFLite's golden (float32): every output within
// 1e-5 (absolute; they are probabilities) of TFLite's reference kernels.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "edgelite/micro/micro_op_resolver.h"
#include "examples/micro/common/example_util.h"

extern const unsigned char g_magic_wand_model[];
extern const size_t g_magic_wand_model_len;
extern const unsigned char g_ring[], g_slope[], g_golden_in[], g_golden_out[];
extern const size_t g_ring_len, g_slope_len, g_golden_in_len, g_golden_out_len;

namespace {
constexpr size_t kArenaBytes = EXAMPLE_ARENA_BYTES;
alignas(16) uint8_t g_arena[kArenaBytes];
const char* const kLabels[] = {"wing", "ring", "slope", "negative"};

// Prints a probability as an integer number of 1e-4 (newlib-nano's printf has no %f).
int Permyriad(float p) { return static_cast<int>(std::lround(p * 10000.0f)); }
}  // namespace

int main() {
  edgelite::micro::MicroOpResolver<5> resolver;
  resolver.Add_CONV_2D();
  resolver.Add_DEPTHWISE_CONV_2D();
  resolver.Add_FULLY_CONNECTED();
  resolver.Add_MAX_POOL_2D();
  resolver.Add_SOFTMAX();
  edgelite::micro::MicroInterpreter interp(g_magic_wand_model, g_magic_wand_model_len, resolver,
                                           g_arena, kArenaBytes);
  if (!example::Allocate(interp, "magic_wand")) return example::Finish("magic_wand");
  struct Case {
    const char* gesture;
    const unsigned char* samples;
    size_t bytes;
    int expected;
  } cases[] = {{"ring", g_ring, g_ring_len, 1}, {"slope", g_slope, g_slope_len, 2}};
  for (const Case& c : cases) {
    if (!example::SetInput(interp, 0, c.samples, c.bytes)) continue;
    example::Check(interp.Invoke() == edgelite::StatusCode::kOk, "Invoke");
    const float* out = interp.output(0)->data_as<float>();
    int top = 0;
    for (int i = 1; i < 4; ++i)
      if (out[i] > out[top]) top = i;
    edgelite::micro::Log("%s: wing %d ring %d slope %d negative %d (x1e-4) -> %s", c.gesture,
                         Permyriad(out[0]), Permyriad(out[1]), Permyriad(out[2]),
                         Permyriad(out[3]), kLabels[top]);
    example::Check(top == c.expected, "the recorded gesture scores highest");
  }
  if (example::SetInput(interp, 0, g_golden_in, g_golden_in_len)) {
    example::Check(interp.Invoke() == edgelite::StatusCode::kOk, "Invoke (golden input)");
    const float* out = interp.output(0)->data_as<float>();
    float max_diff = 0;
    for (size_t i = 0; i < g_golden_out_len / 4; ++i) {
      float g;
      std::memcpy(&g, g_golden_out + 4 * i, 4);
      max_diff = std::fmax(max_diff, std::fabs(out[i] - g));
    }
    edgelite::micro::Log("golden: max |out - TFLite| = %d x1e-9",
                         static_cast<int>(max_diff * 1e9f));
    example::Check(max_diff <= 1e-5f, "outputs within 1e-5 of TFLite's golden");
  }
  return example::Finish("magic_wand");
}
