// PlanArenaInto: the planner's algorithm into caller memory (see planner.h). A file of its own
// so that the micro core links it without PlanArena's std::vector, whose allocation functions
// would pull a heap into firmware that has none.
#include <algorithm>
#include <cstring>

#include "src/memory/planner.h"

namespace edgelite {
namespace memory {
namespace {

size_t AlignUp(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

bool LifetimesIntersect(const BufferRequest& a, const BufferRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

struct Placed {
  size_t offset, end;
  size_t index;
};
}  // namespace

size_t PlanWorkBytes(size_t n) { return n * (sizeof(size_t) + 2 * sizeof(Placed)); }

size_t PlanArenaInto(const BufferRequest* requests, size_t n, size_t alignment, size_t* offsets,
                     void* work) {
  // Work memory: the order, then the placed blocks and the conflicts (both at most n long,
  // filled by count: no growth code).
  size_t* order = static_cast<size_t*>(work);
  Placed* placed = reinterpret_cast<Placed*>(order + n);  // [0, num_placed) sorted by offset
  Placed* conflicts = placed + n;
  // Largest first; ties broken by earlier start, then index, for determinism. A binary
  // insertion sort (stable: equal keys keep index order): the same order as std::stable_sort
  // with this comparator, in a fraction of its code (the micro profile's flash), with
  // O(n log n) comparisons and memmove-speed shifting for the few thousand requests of a
  // large model.
  auto before = [&](size_t a, size_t b) {
    if (requests[a].size != requests[b].size) return requests[a].size > requests[b].size;
    return requests[a].first_step < requests[b].first_step;
  };
  for (size_t i = 0; i < n; ++i) {
    size_t lo = 0, hi = i;  // first position whose element comes after i
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (before(i, order[mid])) hi = mid;
      else lo = mid + 1;
    }
    if (lo < i) memmove(&order[lo + 1], &order[lo], (i - lo) * sizeof(size_t));
    order[lo] = i;
  }

  size_t peak = 0;
  size_t num_placed = 0;
  for (size_t o = 0; o < n; ++o) {
    const size_t idx = order[o];
    const BufferRequest& r = requests[idx];
    const size_t size = AlignUp(r.size, alignment);
    offsets[idx] = 0;
    if (size == 0) continue;
    size_t num_conflicts = 0;
    for (size_t k = 0; k < num_placed; ++k)
      if (LifetimesIntersect(requests[placed[k].index], r)) conflicts[num_conflicts++] = placed[k];
    // `placed` is sorted by offset, so `conflicts` is too: scan the gaps.
    size_t candidate = 0;
    for (size_t k = 0; k < num_conflicts; ++k) {
      const Placed& c = conflicts[k];
      if (c.offset >= candidate + size) break;  // fits in the gap before c
      candidate = std::max(candidate, c.end);
    }
    offsets[idx] = candidate;
    // Before the first placed block with offset >= candidate (std::lower_bound's position).
    size_t pos = 0;
    while (pos < num_placed && placed[pos].offset < candidate) ++pos;
    if (pos < num_placed)
      memmove(&placed[pos + 1], &placed[pos], (num_placed - pos) * sizeof(Placed));
    placed[pos] = Placed{candidate, candidate + size, idx};
    ++num_placed;
    peak = std::max(peak, candidate + size);
  }
  return peak;
}

}  // namespace memory
}  // namespace edgelite
