#include "src/memory/planner.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace edgelite {
namespace memory {
namespace {

size_t AlignUp(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

bool LifetimesIntersect(const BufferRequest& a, const BufferRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace

namespace {
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

ArenaPlan PlanArena(const std::vector<BufferRequest>& requests, size_t alignment) {
  ArenaPlan plan;
  const size_t n = requests.size();
  plan.offsets.assign(n, 0);
  std::vector<size_t> work((PlanWorkBytes(n) + sizeof(size_t) - 1) / sizeof(size_t));
  plan.peak_bytes = PlanArenaInto(requests.data(), n, alignment, plan.offsets.data(), work.data());
  return plan;
}

bool PlanIsValid(const std::vector<BufferRequest>& requests, const ArenaPlan& plan) {
  if (plan.offsets.size() != requests.size()) return false;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].size == 0) continue;
    if (plan.offsets[i] + requests[i].size > plan.peak_bytes) return false;
    for (size_t j = i + 1; j < requests.size(); ++j) {
      if (requests[j].size == 0) continue;
      if (!LifetimesIntersect(requests[i], requests[j])) continue;
      const size_t a0 = plan.offsets[i], a1 = a0 + requests[i].size;
      const size_t b0 = plan.offsets[j], b1 = b0 + requests[j].size;
      if (a0 < b1 && b0 < a1) return false;
    }
  }
  return true;
}

std::string PlanToString(const std::vector<BufferRequest>& requests, const ArenaPlan& plan) {
  std::string out;
  char line[128];
  for (size_t i = 0; i < requests.size(); ++i) {
    snprintf(line, sizeof(line), "#%zu [%d,%d] offset %zu +%zu\n", i, requests[i].first_step,
             requests[i].last_step, plan.offsets[i], requests[i].size);
    out += line;
  }
  snprintf(line, sizeof(line), "peak %zu bytes\n", plan.peak_bytes);
  out += line;
  return out;
}

}  // namespace memory
}  // namespace edgelite
