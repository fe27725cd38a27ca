// The arena planner: a pure function from buffer lifetimes to offsets.
//
// Input: for every buffer its size in bytes and the inclusive range of steps
// (operator positions) during which it must hold its value. Output: an offset
// for each buffer such that no two buffers whose lifetimes intersect overlap
// in memory, and the peak (arena size) this needs. No I/O, no global state;
// tested on its own (tests/planner_test.cc).
#ifndef EDGELITE_MEMORY_PLANNER_H_
#define EDGELITE_MEMORY_PLANNER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace edgelite {
namespace memory {

struct BufferRequest {
  size_t size = 0;
  int32_t first_step = 0;  // inclusive
  int32_t last_step = 0;   // inclusive
};

struct ArenaPlan {
  std::vector<size_t> offsets;  // one per request, multiples of `alignment`
  size_t peak_bytes = 0;        // arena size needed
};

// Greedy by size: largest buffers first, each at the lowest offset where it
// does not collide with an already placed buffer of overlapping lifetime.
// `alignment` must be a power of two.
ArenaPlan PlanArena(const std::vector<BufferRequest>& requests, size_t alignment);

// The same plan into caller memory, for the micro core (no heap): writes n offsets, uses
// `work` (PlanWorkBytes(n) bytes, aligned for size_t) as scratch, returns the peak.
size_t PlanWorkBytes(size_t n);
size_t PlanArenaInto(const BufferRequest* requests, size_t n, size_t alignment, size_t* offsets,
                     void* work);

// True if no two requests with intersecting lifetimes overlap in the plan
// and every buffer fits below peak. Used by tests and debug builds.
bool PlanIsValid(const std::vector<BufferRequest>& requests, const ArenaPlan& plan);

// One line per buffer: "#i [first,last] offset +size" (for --verbose output).
std::string PlanToString(const std::vector<BufferRequest>& requests, const ArenaPlan& plan);

}  // namespace memory
}  // namespace edgelite

#endif  // EDGELITE_MEMORY_PLANNER_H_
