// hello_world: TFLM's sine model (3 x FULLY_CONNECTED), int8 and float, on the microcontroller.
// Checks: the int8 output for TFLite's golden input is bit-exact with TFLite's reference
// kernels (../shared/goldens); the float output within 1e-6 of TFLite's; and the model follows
// sin(x) within 0.05 (TFLM's hello_world test's tolerance) at four points.
#include <cmath>
#include <cstdint>

#include "edgelite/micro/micro_op_resolver.h"
#include "examples/micro/common/example_util.h"

extern const unsigned char g_hello_world_int8[];
extern const size_t g_hello_world_int8_len;
extern const unsigned char g_hello_world_float[];
extern const size_t g_hello_world_float_len;
extern const unsigned char g_golden_int8_in[], g_golden_int8_out[];
extern const unsigned char g_golden_float_in[], g_golden_float_out[];

namespace {
constexpr size_t kArenaBytes = EXAMPLE_ARENA_BYTES;
alignas(16) uint8_t g_arena[kArenaBytes];

float Dequant(const edgelite::Tensor& t, int8_t q) {
  return t.quant.scale[0] * static_cast<float>(q - t.quant.zero_point[0]);
}
}  // namespace

int main() {
  edgelite::micro::MicroOpResolver<1> resolver;
  resolver.Add_FULLY_CONNECTED();
  {
    edgelite::micro::MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len, resolver,
                                             g_arena, kArenaBytes);
    if (!example::Allocate(interp, "hello_world int8")) return example::Finish("hello_world");
    example::SetInput(interp, 0, g_golden_int8_in, 1);
    example::Check(interp.Invoke() == edgelite::StatusCode::kOk, "Invoke (int8)");
    const int8_t y = interp.output(0)->data_as<int8_t>()[0];
    const int8_t golden = static_cast<int8_t>(g_golden_int8_out[0]);
    edgelite::micro::Log("int8: in %d -> out %d, TFLite %d", static_cast<int8_t>(g_golden_int8_in[0]),
                         y, golden);
    example::Check(y == golden, "int8 output bit-exact with TFLite's golden");
    float max_err = 0;
    for (int8_t q : {-96, -63, -34, 0}) {
      interp.input(0)->data_as<int8_t>()[0] = q;
      if (interp.Invoke() != edgelite::StatusCode::kOk) example::Check(false, "Invoke");
      const float x = Dequant(*interp.input(0), q);
      const float out = Dequant(*interp.output(0), interp.output(0)->data_as<int8_t>()[0]);
      const float err = std::fabs(std::sin(x) - out);
      if (err > max_err) max_err = err;
    }
    edgelite::micro::Log("int8: max |sin(x) - y| = %d.%04d", static_cast<int>(max_err),
                         static_cast<int>(max_err * 10000) % 10000);
    example::Check(max_err <= 0.05f, "int8 follows sin(x) within 0.05");
  }
  {
    edgelite::micro::MicroInterpreter interp(g_hello_world_float, g_hello_world_float_len,
                                             resolver, g_arena, kArenaBytes);
    if (!example::Allocate(interp, "hello_world float")) return example::Finish("hello_world");
    example::SetInput(interp, 0, g_golden_float_in, 4);
    example::Check(interp.Invoke() == edgelite::StatusCode::kOk, "Invoke (float)");
    float golden;
    std::memcpy(&golden, g_golden_float_out, 4);
    const float y = interp.output(0)->data_as<float>()[0];
    example::Check(std::fabs(y - golden) <= 1e-6f, "float output within 1e-6 of TFLite's golden");
  }
  return example::Finish("hello_world");
}
