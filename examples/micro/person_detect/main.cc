// person_detect: TFLM's 96x96 grayscale MobileNet v1 (int8; CONV_2D, DEPTHWISE_CONV_2D,
// AVERAGE_POOL_2D, RESHAPE, SOFTMAX) on the person and no-person test images, as TFLM's
// person_detection_test does: the raw int8 pixels go in as they are; the person score must
// beat the no-person score on the person image and vice versa. (TFLite itself rejects this
// model: its bias tensors' quantized_dimension; TFLM and edgelite accept it, so there is no
// TFLite golden.)
#include <cstdint>

#include "edgelite/micro/micro_op_resolver.h"
#include "examples/micro/common/example_util.h"

extern const unsigned char g_person_detect_model[];
extern const size_t g_person_detect_model_len;
extern const unsigned char g_person_image[], g_no_person_image[];
extern const size_t g_person_image_len, g_no_person_image_len;

namespace {
constexpr size_t kArenaBytes = EXAMPLE_ARENA_BYTES;
alignas(16) uint8_t g_arena[kArenaBytes];
constexpr int kNoPerson = 0, kPerson = 1;
}  // namespace

int main() {
  edgelite::micro::MicroOpResolver<5> resolver;
  resolver.Add_AVERAGE_POOL_2D();
  resolver.Add_CONV_2D();
  resolver.Add_DEPTHWISE_CONV_2D();
  resolver.Add_RESHAPE();
  resolver.Add_SOFTMAX();
  edgelite::micro::MicroInterpreter interp(g_person_detect_model, g_person_detect_model_len,
                                           resolver, g_arena, kArenaBytes);
  if (!example::Allocate(interp, "person_detect")) return example::Finish("person_detect");
  struct Case {
    const char* name;
    const unsigned char* image;
    size_t bytes;
    int expected;
  } cases[] = {{"person", g_person_image, g_person_image_len, kPerson},
               {"no_person", g_no_person_image, g_no_person_image_len, kNoPerson}};
  for (const Case& c : cases) {
    if (!example::SetInput(interp, 0, c.image, c.bytes)) continue;
    example::Check(interp.Invoke() == edgelite::StatusCode::kOk, "Invoke");
    const int8_t* out = interp.output(0)->data_as<int8_t>();
    edgelite::micro::Log("%s image: no_person %d, person %d", c.name, out[kNoPerson],
                         out[kPerson]);
    example::Check(out[c.expected] > out[1 - c.expected],
                   c.expected == kPerson ? "person scores above no_person on the person image"
                                         : "no_person scores above person on the no-person image");
  }
  return example::Finish("person_detect");
}
