// `edgelite bench MODEL ...`: start-up costs (load, create, allocate, first
// invoke), latency statistics over timed runs after warm-ups, memory (arena,
// persistent, peak RSS) and, with --profile, time per node and per op type
// through InterpreterOptions::on_node. Like TFLite's benchmark_model.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "schema/tflite_generated.h"
#include "src/runtime/subgraph.h"
#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"

namespace edgelite {
namespace cli {
namespace {

using nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// "12.345 ms", or "123.456 us" below one millisecond.
std::string FormatMs(double ms) {
  char buf[48];
  if (ms < 1.0)
    std::snprintf(buf, sizeof(buf), "%.3f us", ms * 1e3);
  else
    std::snprintf(buf, sizeof(buf), "%.3f ms", ms);
  return buf;
}

// Milliseconds in JSON: rounded to the nanosecond.
double JsonMs(double ms) { return std::round(ms * 1e6) / 1e6; }

uint64_t PeakRssBytes() {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024;  // Linux: kilobytes
}

// Accumulates the on_node reports of the timed runs.
struct Profile {
  struct NodeStat {
    const char* op = "";
    uint64_t ns = 0;
    uint64_t calls = 0;
  };
  bool recording = false;
  std::vector<std::vector<NodeStat>> nodes;  // [subgraph][node]

  static void OnNode(void* user, int subgraph, int node, const char* op_name, uint64_t ns) {
    Profile* p = static_cast<Profile*>(user);
    if (!p->recording || subgraph < 0 || node < 0) return;
    if (static_cast<size_t>(subgraph) >= p->nodes.size()) p->nodes.resize(subgraph + 1);
    std::vector<NodeStat>& sg = p->nodes[subgraph];
    if (static_cast<size_t>(node) >= sg.size()) sg.resize(node + 1);
    NodeStat& s = sg[node];
    s.op = op_name ? op_name : "?";
    s.ns += ns;
    ++s.calls;
  }
};

// Progress on stderr: one rewritten line on a terminal, otherwise a line at
// every tenth of the runs.
class Progress {
 public:
  Progress(int warmup, int runs) : warmup_(warmup), runs_(runs), tty_(isatty(2) == 1) {}
  void Update(int warm_done, int runs_done) {
    const int total = warmup_ + runs_, done = warm_done + runs_done;
    if (!tty_) {
      const int step = std::max(1, total / 10);
      if (done % step != 0 && done != total) return;
    }
    std::fprintf(stderr, "%swarm-up %d/%d, run %d/%d%s", tty_ ? "\r" : "", warm_done, warmup_,
                 runs_done, runs_, tty_ ? "" : "\n");
    std::fflush(stderr);
  }
  void Done() {
    if (tty_) std::fputc('\n', stderr);
  }

 private:
  int warmup_, runs_;
  bool tty_;
};

// "[1,80,80,32] -> [1,80,80,64]": the node's first present input and first output, as shaped
// after the runs (dynamic shapes: the last invoke's).
std::string NodeShapes(Interpreter* interp, int sg, int node) {
  Subgraph* g = interp->subgraph(sg);
  if (g == nullptr || node < 0 || static_cast<size_t>(node) >= g->nodes().size()) return "";
  const Node& n = g->nodes()[node];
  auto shape_of = [&](int32_t index) -> std::string {
    const Tensor* t = g->tensor(index);
    if (t == nullptr) return "";
    char buf[96];
    return t->shape.ToString(buf, sizeof(buf));
  };
  std::string in, out;
  for (int32_t i = 0; i < n.num_inputs && in.empty(); ++i) in = shape_of(n.inputs[i]);
  if (n.num_outputs > 0) out = shape_of(n.outputs[0]);
  return in.empty() ? out : in + " -> " + out;
}

// Arithmetic operations of one invoke of a node (a multiply-add counts 2), for the convolution
// and matrix ops whose rate is worth comparing with the machine's peak (`edgelite peak`); 0 for
// other ops. From the shapes after the runs.
double NodeOps(Interpreter* interp, int sg, int node) {
  Subgraph* g = interp->subgraph(sg);
  if (g == nullptr || node < 0 || static_cast<size_t>(node) >= g->nodes().size()) return 0;
  const Node& n = g->nodes()[node];
  auto in = [&](int i) -> const Tensor* {
    return i < n.num_inputs ? g->tensor(n.inputs[i]) : nullptr;
  };
  const Tensor* out = n.num_outputs > 0 ? g->tensor(n.outputs[0]) : nullptr;
  if (out == nullptr) return 0;
  const double out_elems = static_cast<double>(out->shape.NumElements());
  using Op = fb::BuiltinOperator;
  switch (static_cast<Op>(n.builtin_code)) {
    case Op::CONV_2D: {  // filter [O, KH, KW, I / groups]
      const Tensor* f = in(1);
      if (f == nullptr || f->shape.rank != 4) return 0;
      return 2.0 * out_elems * f->shape[1] * f->shape[2] * f->shape[3];
    }
    case Op::DEPTHWISE_CONV_2D: {  // filter [1, KH, KW, O]
      const Tensor* f = in(1);
      if (f == nullptr || f->shape.rank != 4) return 0;
      return 2.0 * out_elems * f->shape[1] * f->shape[2];
    }
    case Op::FULLY_CONNECTED: {  // weights [O, K]
      const Tensor* w = in(1);
      if (w == nullptr || w->shape.rank != 2) return 0;
      return 2.0 * out_elems * w->shape[1];
    }
    case Op::TRANSPOSE_CONV: {  // weights [O, KH, KW, I], input [N, H, W, I]
      const Tensor* w = in(1);
      const Tensor* x = in(2);
      if (w == nullptr || x == nullptr || w->shape.rank != 4) return 0;
      return 2.0 * static_cast<double>(x->shape.NumElements()) * w->shape[0] * w->shape[1] *
             w->shape[2];
    }
    default:
      return 0;
  }
}

}  // namespace

int BenchCommand(const BenchOptions& opts) {
  if (opts.threads < 1) throw CliError("--threads must be >= 1");
  if (opts.runs < 1) throw CliError("--runs must be >= 1");
  if (opts.warmup < 0) throw CliError("--warmup must be >= 0");

  Profile profile;
  std::cerr << "bench: " << opts.model << "\n";

  // Start-up, each step timed on its own.
  auto t0 = Clock::now();
  std::unique_ptr<Model> model = LoadModel(opts.model);
  const double load_ms = MsSince(t0);

  BuiltinOpResolver resolver;
  InterpreterOptions io;
  io.num_threads = opts.threads;
  io.max_arena_bytes = static_cast<size_t>(opts.max_arena_bytes);
  io.max_tensor_bytes = static_cast<size_t>(opts.max_tensor_bytes);
  if (opts.profile) {
    io.on_node = &Profile::OnNode;
    io.on_node_user = &profile;
  }
  t0 = Clock::now();
  auto created = Interpreter::Create(*model, resolver, io);
  const double create_ms = MsSince(t0);
  if (!created.ok())
    throw CliError("cannot create an interpreter for '" + opts.model + "': " +
                   created.status().ToString());
  std::unique_ptr<Interpreter> interp = std::move(created).value();

  t0 = Clock::now();
  Check(interp->AllocateTensors(), "AllocateTensors");
  const double allocate_ms = MsSince(t0);

  for (int i = 0; i < interp->num_inputs(); ++i) {
    Tensor* t = interp->input(i);
    if (t == nullptr) throw CliError("input " + std::to_string(i) + " is missing");
    if (!FillSeededPattern(t->type, opts.seed, i, t->data, t->num_elements()))
      throw CliError("input " + std::to_string(i) + " ('" + t->name + "') has type " +
                     DataTypeName(t->type) + ", for which there is no seeded pattern");
  }

  std::cerr << "first invoke\n";
  t0 = Clock::now();
  Check(interp->Invoke(), "Invoke (first)");
  const double first_ms = MsSince(t0);

  Progress progress(opts.warmup, opts.runs);
  for (int r = 0; r < opts.warmup; ++r) {
    Check(interp->Invoke(), "Invoke (warm-up)");
    progress.Update(r + 1, 0);
  }
  profile.recording = true;
  std::vector<double> times;
  times.reserve(opts.runs);
  for (int r = 0; r < opts.runs; ++r) {
    t0 = Clock::now();
    Check(interp->Invoke(), "Invoke");
    times.push_back(MsSince(t0));
    progress.Update(opts.warmup, r + 1);
  }
  profile.recording = false;
  progress.Done();

  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  double sum = 0;
  for (double t : times) sum += t;
  const double mean = sum / n;
  const uint64_t peak_rss = PeakRssBytes();

  ordered_json j;
  j["model"] = opts.model;
  j["model_bytes"] = FileSize(opts.model);
  j["threads"] = opts.threads;
  j["seed"] = opts.seed;
  j["warmup"] = opts.warmup;
  j["runs"] = opts.runs;
  j["load_ms"] = JsonMs(load_ms);
  j["create_ms"] = JsonMs(create_ms);
  j["allocate_ms"] = JsonMs(allocate_ms);
  j["first_invoke_ms"] = JsonMs(first_ms);
  j["latency_ms"] = {{"median", JsonMs(median)},
                     {"mean", JsonMs(mean)},
                     {"min", JsonMs(sorted.front())},
                     {"max", JsonMs(sorted.back())}};
  j["arena_bytes"] = interp->arena_bytes();
  j["persistent_bytes"] = interp->persistent_bytes();
  j["peak_rss_bytes"] = peak_rss;

  // Profile: per-invoke means over the timed runs, slowest first.
  struct Row {
    int subgraph, node;
    std::string op;
    double ms, calls;
    std::string shapes;
    double gops;  // billions of operations per second (conv/matrix ops), else 0
  };
  struct OpRow {
    std::string op;
    int nodes = 0;
    double ms = 0, calls = 0;
  };
  std::vector<Row> rows;
  std::vector<OpRow> op_rows;
  double total_ms = 0;  // nodes of subgraph 0 (callees' time is inside their callers)
  if (opts.profile) {
    std::map<std::string, OpRow> by_op;
    for (size_t sg = 0; sg < profile.nodes.size(); ++sg) {
      for (size_t k = 0; k < profile.nodes[sg].size(); ++k) {
        const Profile::NodeStat& s = profile.nodes[sg][k];
        if (s.calls == 0) continue;
        Row r{static_cast<int>(sg), static_cast<int>(k), s.op, s.ns / 1e6 / opts.runs,
              static_cast<double>(s.calls) / opts.runs,
              NodeShapes(interp.get(), static_cast<int>(sg), static_cast<int>(k)), 0.0};
        const double ops = NodeOps(interp.get(), static_cast<int>(sg), static_cast<int>(k));
        if (ops > 0 && r.ms > 0) r.gops = ops * r.calls / (r.ms * 1e6);
        rows.push_back(r);
        if (sg == 0) total_ms += r.ms;
        OpRow& o = by_op[r.op];
        o.op = r.op;
        ++o.nodes;
        o.ms += r.ms;
        o.calls += r.calls;
      }
    }
    for (auto& kv : by_op) op_rows.push_back(kv.second);
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.ms > b.ms; });
    std::stable_sort(op_rows.begin(), op_rows.end(),
                     [](const OpRow& a, const OpRow& b) { return a.ms > b.ms; });
    auto pct = [&](double ms) { return total_ms > 0 ? std::round(ms / total_ms * 1e4) / 1e2 : 0.0; };
    ordered_json pj;
    pj["total_ms"] = JsonMs(total_ms);
    pj["op_types"] = ordered_json::array();
    for (const OpRow& o : op_rows)
      pj["op_types"].push_back({{"op", o.op},
                                {"nodes", o.nodes},
                                {"calls_per_invoke", o.calls},
                                {"ms", JsonMs(o.ms)},
                                {"percent", pct(o.ms)}});
    pj["nodes"] = ordered_json::array();
    for (const Row& r : rows)
      pj["nodes"].push_back({{"subgraph", r.subgraph},
                             {"node", r.node},
                             {"op", r.op},
                             {"shapes", r.shapes},
                             {"gops_per_s", r.gops},
                             {"calls_per_invoke", r.calls},
                             {"ms", JsonMs(r.ms)},
                             {"percent", pct(r.ms)}});
    j["profile"] = pj;
  }

  if (opts.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }

  std::printf("model            %s (%llu bytes)\n", opts.model.c_str(),
              static_cast<unsigned long long>(FileSize(opts.model)));
  std::printf("threads          %d, inputs: seeded pattern (seed %lld)\n", opts.threads,
              static_cast<long long>(opts.seed));
  std::printf("load             %s  (Model::FromFile)\n", FormatMs(load_ms).c_str());
  std::printf("create           %s  (Interpreter::Create)\n", FormatMs(create_ms).c_str());
  std::printf("allocate         %s  (AllocateTensors)\n", FormatMs(allocate_ms).c_str());
  std::printf("first invoke     %s\n", FormatMs(first_ms).c_str());
  std::printf("latency          %d runs after %d warm-up: median %s, mean %s, min %s, max %s\n",
              opts.runs, opts.warmup, FormatMs(median).c_str(), FormatMs(mean).c_str(),
              FormatMs(sorted.front()).c_str(), FormatMs(sorted.back()).c_str());
  std::printf("arena            %zu bytes\n", interp->arena_bytes());
  std::printf("persistent       %zu bytes\n", interp->persistent_bytes());
  std::printf("peak RSS         %llu bytes (%.1f MiB)\n", static_cast<unsigned long long>(peak_rss),
              peak_rss / 1048576.0);
  if (opts.profile) {
    auto pct = [&](double ms) { return total_ms > 0 ? ms / total_ms * 100 : 0.0; };
    std::printf("\nprofile: mean per invoke over %d runs, sum of subgraph 0's nodes %s\n",
                opts.runs, FormatMs(total_ms).c_str());
    std::printf("\nby op type (slowest first)\n");
    std::printf("  %-28s %6s %14s %7s\n", "op", "nodes", "time", "%");
    for (const OpRow& o : op_rows)
      std::printf("  %-28s %6d %14s %6.2f%%\n", o.op.c_str(), o.nodes, FormatMs(o.ms).c_str(),
                  pct(o.ms));
    std::printf("\nby node (slowest first)\n");
    std::printf("  %3s %5s  %-28s %14s %7s %8s  %s\n", "sg", "node", "op", "time", "%", "GOP/s",
                "shapes (first input -> first output)");
    for (const Row& r : rows) {
      char calls[64] = "", gops[32] = "";
      if (r.calls != 1) std::snprintf(calls, sizeof(calls), "  (%g calls/invoke)", r.calls);
      if (r.gops > 0) std::snprintf(gops, sizeof(gops), "%.1f", r.gops);
      std::printf("  %3d %5d  %-28s %14s %6.2f%% %8s  %s%s\n", r.subgraph, r.node, r.op.c_str(),
                  FormatMs(r.ms).c_str(), pct(r.ms), gops, r.shapes.c_str(), calls);
    }
  }
  return 0;
}

}  // namespace cli
}  // namespace edgelite
