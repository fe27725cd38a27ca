// Firmware tests of the micro runtime: the arena heap (the allocator of the op-test firmware's
// desktop runtime), the micro core's "arena too small" errors and the bytes they report,
// unsupported ops, invalid model bytes. Expected values come from the contracts
// in arena_heap.h / micro_interpreter.h and from an independent run with an ample arena.
#include <cstdint>
#include <cstring>

#include "edgelite/micro/arena_heap.h"
#include "edgelite/micro/micro_interpreter.h"
#include "edgelite/micro/micro_op_resolver.h"
#include "micro/tests/test_main.h"

extern const unsigned char g_hello_world_int8[];
extern const size_t g_hello_world_int8_len;

namespace {
using edgelite::StatusCode;
using edgelite::micro::ArenaHeap;
using edgelite::micro::MicroInterpreter;
using edgelite::micro::MicroOpResolver;

alignas(16) uint8_t g_arena[16384];

void TestArenaHeap() {
  alignas(8) static uint8_t buf[256];
  ArenaHeap heap(buf, sizeof(buf));
  void* a = heap.Allocate(10);  // block 8 + 16
  CHECK(a != nullptr && reinterpret_cast<uintptr_t>(a) % ArenaHeap::kAlignment == 0);
  CHECK(heap.used_bytes() == 24);
  void* b = heap.Allocate(8);   // block 8 + 8
  CHECK(heap.used_bytes() == 40);
  heap.Free(a);                 // not the top: kept until b goes
  CHECK(heap.used_bytes() == 40);
  heap.Free(b);                 // top: b and then a are reclaimed
  CHECK(heap.used_bytes() == 0);
  void* c = heap.Allocate(16);
  void* c2 = heap.Reallocate(c, 64);  // the top block grows in place
  CHECK(c2 == c && heap.used_bytes() == 72);
  CHECK(heap.Allocate(1000) == nullptr);  // 72 + 1008 > 256
  CHECK(heap.first_failure_need() == 72 + ArenaHeap::BlockBytes(1000));
  CHECK(heap.high_water_bytes() == 72);
}

// The arena one byte short of what the model uses must fail and report exactly that size (the
// arena's end is aligned down to 16 bytes: one byte short is one 16-byte step short); the exact
// size must work.
void TestArenaTooSmall() {
  MicroOpResolver<1> resolver;
  resolver.Add_FULLY_CONNECTED();
  size_t need = 0;
  {
    MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len, resolver, g_arena,
                            sizeof(g_arena));
    CHECK(interp.AllocateTensors() == StatusCode::kOk);
    need = interp.arena_used_bytes();
    CHECK(need > interp.activation_bytes() && need < sizeof(g_arena));
  }
  {
    MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len, resolver, g_arena,
                            need - 1);
    CHECK(interp.AllocateTensors() == StatusCode::kResourceExhausted);
    // The lower bound is the size of the failed request on top of what was in use, so with
    // one step missing it is exactly the size needed (whether or not it is flagged exact).
    CHECK(interp.arena_needed_bytes() == need);
    CHECK(std::strstr(interp.error(), "arena too small") != nullptr);
    CHECK(interp.Invoke() == StatusCode::kFailedPrecondition);
  }
  {
    MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len, resolver, g_arena, need);
    CHECK(interp.AllocateTensors() == StatusCode::kOk);
    CHECK(interp.Invoke() == StatusCode::kOk);
  }
  {
    // Far too small: the tensor and node tables themselves do not fit (a lower bound).
    MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len, resolver, g_arena, 200);
    CHECK(interp.AllocateTensors() == StatusCode::kResourceExhausted);
    CHECK(!interp.arena_need_exact());
    CHECK(interp.arena_needed_bytes() > 200 && interp.arena_needed_bytes() <= need);
  }
  {
    // Enough for the tables and op data but not for the plan (or the planner's transient
    // arrays): the figure is the need, or a lower bound within one step of it.
    MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len, resolver, g_arena,
                            need - 16);
    CHECK(interp.AllocateTensors() == StatusCode::kResourceExhausted);
    CHECK(interp.arena_needed_bytes() >= need - 15 && interp.arena_needed_bytes() <= need);
  }
}

void TestUnsupportedAndInvalid() {
  MicroOpResolver<1> empty;
  {
    MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len, empty, g_arena,
                            sizeof(g_arena));
    CHECK(interp.AllocateTensors() == StatusCode::kUnsupported);
    // No op-name table in firmware: the op by code (FULLY_CONNECTED = 9), and where names are.
    CHECK(std::strstr(interp.error(), "operator 0 (builtin code 9 v4)") != nullptr);
    CHECK(std::strstr(interp.error(), "edgelite inspect --micro") != nullptr);
  }
  {
    alignas(8) static const uint8_t garbage[64] = {1, 2, 3, 4, 5, 6, 7, 8};
    MicroInterpreter interp(garbage, sizeof(garbage), empty, g_arena, sizeof(g_arena));
    CHECK(interp.AllocateTensors() == StatusCode::kInvalidModel);
  }
  {
    // Truncated model: the verifier rejects it, no crash.
    MicroInterpreter interp(g_hello_world_int8, g_hello_world_int8_len / 2, empty, g_arena,
                            sizeof(g_arena));
    CHECK(interp.AllocateTensors() == StatusCode::kInvalidModel);
  }
}
}  // namespace

int main() {
  TestArenaHeap();
  TestArenaTooSmall();
  TestUnsupportedAndInvalid();
  edgelite::micro::Log("micro_runtime_test: %d checks, %d failures", microtest::g_checks,
                       microtest::g_failures);
  return microtest::g_failures == 0 ? 0 : 1;
}
