// arena_probe: measures, on the target itself, the exact arena a model needs in the micro
// profile. `edgelite inspect --micro MODEL` runs it in qemu-system-arm:
//   qemu-system-arm -M mps2-an386 ... -semihosting -kernel arena_probe.elf -append MODEL
// It reads MODEL from the host (semihosting), builds a MicroInterpreter with every op edgelite
// has (which ops are listed does not change the arena: the resolver holds no arena memory)
// over a 2 MiB arena and prints machine-readable lines:
//   arena_bytes N        (arena_used_bytes(): bookkeeping + persistent + activations)
//   activation_bytes M   (the activation plan alone)
// or `error <message>`; exit status 0 on success.
#include <cstdint>
#include <cstring>
#include <new>

#include "edgelite/micro/micro_all_ops.h"
#include "edgelite/micro/micro_interpreter.h"
#include "edgelite/micro/micro_log.h"
#include "edgelite/micro/micro_op_resolver.h"
#include "micro/platform/platform.h"

namespace {
constexpr size_t kMaxModelBytes = 1536 * 1024;
constexpr size_t kArenaBytes = 2048 * 1024;
alignas(16) uint8_t g_model[kMaxModelBytes];
alignas(16) uint8_t g_arena[kArenaBytes];
char g_cmdline[512];

}  // namespace

int main() {
  using edgelite::micro::Log;
  if (!edgelite_micro_command_line(g_cmdline, sizeof(g_cmdline))) {
    Log("error no semihosting command line (pass the model with -append)");
    return 1;
  }
  // QEMU gives "<kernel> <append>": the model path is everything after the first space.
  const char* path = std::strchr(g_cmdline, ' ');
  if (path == nullptr || path[1] == '\0') {
    Log("error no model path (pass it with -append)");
    return 1;
  }
  ++path;
  const long size = edgelite_micro_read_host_file(path, g_model, sizeof(g_model));
  if (size < 0) {
    Log("error cannot read '%s' (or it exceeds %u bytes)", path,
        static_cast<unsigned>(kMaxModelBytes));
    return 1;
  }
  const edgelite::micro::AllOpsResolver& resolver = edgelite::micro::AllOps();
  edgelite::micro::SetLogHandler(nullptr);  // errors are printed below, once
  edgelite::micro::MicroInterpreter interp(g_model, static_cast<size_t>(size), resolver, g_arena,
                                           kArenaBytes);
  const bool ok = interp.AllocateTensors() == edgelite::StatusCode::kOk;
  edgelite::micro::SetLogHandler(edgelite::micro::GetDefaultLogHandler());
  if (!ok) {
    Log("error %s", interp.error());
    return 1;
  }
  Log("arena_bytes %u", static_cast<unsigned>(interp.arena_used_bytes()));
  Log("activation_bytes %u", static_cast<unsigned>(interp.activation_bytes()));
  return 0;
}
