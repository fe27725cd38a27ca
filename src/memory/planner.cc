#include "src/memory/planner.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace edgelite {
namespace memory {
namespace {

bool LifetimesIntersect(const BufferRequest& a, const BufferRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace

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
