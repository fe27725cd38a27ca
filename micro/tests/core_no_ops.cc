// The runtime core with no kernels, for the size report: model verification and validation,
// the interpreter, planner and arena heap, an empty op resolver. Run, it must reject bytes that
// are not a model (and it does nothing else).
#include <cstdint>

#include "edgelite/micro/micro_interpreter.h"
#include "edgelite/micro/micro_op_resolver.h"

namespace {
alignas(16) uint8_t g_arena[1024];
alignas(8) const uint8_t kNotAModel[16] = {0};
}  // namespace

int main() {
  edgelite::micro::MicroOpResolver<1> resolver;
  edgelite::micro::MicroInterpreter interp(kNotAModel, sizeof(kNotAModel), resolver, g_arena,
                                           sizeof(g_arena));
  return interp.AllocateTensors() == edgelite::StatusCode::kInvalidModel ? 0 : 1;
}
