#include "src/memory/planner.h"

#include <algorithm>
#include <cstdio>

namespace edgelite {
namespace memory {
namespace {

size_t AlignUp(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

bool LifetimesIntersect(const BufferRequest& a, const BufferRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace

ArenaPlan PlanArena(const std::vector<BufferRequest>& requests, size_t alignment) {
  ArenaPlan plan;
  const size_t n = requests.size();
  plan.offsets.assign(n, 0);
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  // Largest first; ties broken by earlier start, then index, for determinism.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (requests[a].size != requests[b].size) return requests[a].size > requests[b].size;
    return requests[a].first_step < requests[b].first_step;
  });

  struct Placed {
    size_t offset, end;
    size_t index;
  };
  std::vector<Placed> placed;  // kept sorted by offset
  std::vector<Placed> conflicts;
  for (size_t idx : order) {
    const BufferRequest& r = requests[idx];
    const size_t size = AlignUp(r.size, alignment);
    if (size == 0) {
      plan.offsets[idx] = 0;
      continue;
    }
    conflicts.clear();
    for (const Placed& p : placed)
      if (LifetimesIntersect(requests[p.index], r)) conflicts.push_back(p);
    // `placed` is sorted by offset, so `conflicts` is too: scan the gaps.
    size_t candidate = 0;
    for (const Placed& c : conflicts) {
      if (c.offset >= candidate + size) break;  // fits in the gap before c
      candidate = std::max(candidate, c.end);
    }
    plan.offsets[idx] = candidate;
    Placed np{candidate, candidate + size, idx};
    auto it = std::lower_bound(placed.begin(), placed.end(), np,
                               [](const Placed& a, const Placed& b) { return a.offset < b.offset; });
    placed.insert(it, np);
    plan.peak_bytes = std::max(plan.peak_bytes, candidate + size);
  }
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
