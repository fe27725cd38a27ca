// `edgelite peak`: this CPU's single-core arithmetic peaks, measured (src/kernels/peak).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <time.h>

#include <nlohmann/json.hpp>

#include "src/base/cpu_features.h"
#include "src/kernels/peak/peak.h"
#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"

namespace edgelite {
namespace cli {

namespace {

// CPU time of this thread (not wall time): the loops touch no memory, so the time the thread
// actually ran is what their rate is over, also when other processes share the cores.
double ThreadSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double Seconds(float (*run)(int64_t), int64_t iters, float* sink) {
  const double t0 = ThreadSeconds();
  *sink += run(iters);
  return ThreadSeconds() - t0;
}

}  // namespace

int PeakCommand(const PeakOptions& opts) {
  if (!(opts.seconds > 0) || opts.seconds > 60) throw CliError("--seconds must be in (0, 60]");
  if (opts.rounds < 1) throw CliError("--rounds must be >= 1");
  float sink = 0;
  nlohmann::ordered_json j;
  j["isa"] = IsaName(ActiveIsa());
  j["loops"] = nlohmann::ordered_json::array();
  if (!opts.json) {
    std::printf("single core, active ISA %s; best of %d rounds of %.2f s\n\n", IsaName(ActiveIsa()),
                opts.rounds, opts.seconds);
    std::printf("  %-56s %5s %12s\n", "loop", "kind", "GOP/s");
  }
  for (const kernels::peak::PeakLoop& loop : kernels::peak::AvailableLoops()) {
    // Calibrate: iterations for about one round.
    int64_t iters = 1 << 12;
    double t = Seconds(loop.run, iters, &sink);
    while (t < opts.seconds / 8 && iters < (int64_t{1} << 40)) {
      iters *= 2;
      t = Seconds(loop.run, iters, &sink);
    }
    iters = std::max<int64_t>(1, static_cast<int64_t>(iters * (opts.seconds / std::max(t, 1e-9))));
    double best = 0;
    for (int r = 0; r < opts.rounds; ++r) {
      std::fprintf(stderr, "%s: round %d/%d\n", loop.name, r + 1, opts.rounds);
      const double s = Seconds(loop.run, iters, &sink);
      best = std::max(best, loop.ops_per_iter * static_cast<double>(iters) / s / 1e9);
    }
    j["loops"].push_back({{"loop", loop.name}, {"kind", loop.kind}, {"gops_per_s", best}});
    if (!opts.json) std::printf("  %-56s %5s %12.1f\n", loop.name, loop.kind, best);
  }
  if (opts.json) std::cout << j.dump(2) << "\n";
  if (sink == 12345.678f) std::fprintf(stderr, " \n");  // keeps the results alive
  return 0;
}

}  // namespace cli
}  // namespace edgelite
