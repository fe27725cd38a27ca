// edgelite: the command-line tool (inspect, run, bench, peak, make-demo, convert, quantize). See docs/cli.md.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>

#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"

int main(int argc, char** argv) {
  using namespace edgelite::cli;
  CLI::App app{"edgelite: run and inspect TensorFlow Lite (.tflite) models", "edgelite"};
  app.require_subcommand(1, 1);
  app.fallthrough(false);

  InspectOptions inspect;
  CLI::App* ic = app.add_subcommand(
      "inspect", "Describe a model: I/O, subgraphs, ops, signatures, metadata, unsupported ops, arena");
  ic->add_option("MODEL", inspect.model, "the .tflite file")->required();
  ic->add_flag("--json", inspect.json, "print one JSON object instead of text");
  ic->add_flag("--micro", inspect.micro,
               "micro profile: the exact arena the model needs on a Cortex-M (measured by the "
               "micro build's arena probe in qemu-system-arm) and the MicroOpResolver lines to "
               "paste");
  ic->add_option("--micro-probe", inspect.micro_probe,
                 "the arena probe firmware (default: $EDGELITE_MICRO_PROBE, else "
                 "build/micro-m4/micro/arena_probe.elf beside this build)");

  ExportCOptions export_c;
  CLI::App* ec = app.add_subcommand(
      "export-c", "Write a model as a 16-byte-aligned const C array with its length (size_t), "
                  "for the micro profile (what `xxd -i` gives, aligned, const, verified)");
  ec->add_option("MODEL", export_c.model, "the .tflite file")->required();
  ec->add_option("-o,--output", export_c.out, "the .cc file to write")->required();
  ec->add_option("--name", export_c.name, "the array's name (NAME and NAME_len)")
      ->capture_default_str();

  RunOptions run;
  CLI::App* rc = app.add_subcommand("run", "Run a model once on given, image or seeded inputs");
  rc->add_option("MODEL", run.model, "the .tflite file")->required();
  rc->add_option("--input,-i", run.inputs,
                 "N=FILE: input N (position or name) from FILE: raw little-endian bytes of the "
                 "tensor's dtype (size must match), or an image (.bmp/.jpg/.jpeg/.png, resized "
                 "bilinearly to the input's H and W). Repeatable. Inputs not given get the seeded "
                 "pattern of ../shared/oracles")
      ->take_all();
  rc->add_option("--out,-o", run.out_dir, "write input_N.bin, output_N.bin and meta.json to DIR");
  rc->add_option("--threads,-t", run.threads, "interpreter threads")->capture_default_str();
  rc->add_option("--labels", run.labels, "labels file (one per line, or 'ID label'): print top-K classes");
  rc->add_option("--top,-k", run.top, "how many classes to print with --labels")->capture_default_str();
  rc->add_option("--output", run.output_index, "output ranked with --labels")->capture_default_str();
  rc->add_option("--seed", run.seed, "seed of the input pattern")->capture_default_str();
  rc->add_option("--warmup", run.warmup, "untimed invocations first")->capture_default_str();
  rc->add_option("--runs", run.runs, "timed invocations (the median is printed)")->capture_default_str();
  rc->add_option("--image-mean", run.image_mean,
                 "float inputs from images: value = (pixel - mean) / std")->capture_default_str();
  rc->add_option("--image-std", run.image_std, "see --image-mean")->capture_default_str();
  rc->add_option("--max-arena-bytes", run.max_arena_bytes,
                 "refuse models whose activation arenas (all subgraphs) exceed N bytes (0: no cap)")
      ->capture_default_str();
  rc->add_option("--max-tensor-bytes", run.max_tensor_bytes,
                 "refuse any non-constant tensor larger than N bytes (0: no cap)")
      ->capture_default_str();

  BenchOptions bench;
  CLI::App* bc = app.add_subcommand(
      "bench", "Benchmark a model: load, create, allocate and first-invoke times, latency "
               "(median/mean/min/max) over timed runs after warm-ups, arena, persistent and "
               "peak resident memory; --profile adds time per op type and per node");
  bc->add_option("MODEL", bench.model, "the .tflite file")->required();
  bc->add_option("--threads,-t", bench.threads, "interpreter threads")->capture_default_str();
  bc->add_option("--warmup", bench.warmup, "untimed invocations after the first one")
      ->capture_default_str();
  bc->add_option("--runs", bench.runs, "timed invocations")->capture_default_str();
  bc->add_option("--seed", bench.seed, "seed of the input pattern (as `run`)")->capture_default_str();
  bc->add_flag("--profile", bench.profile,
               "time every node over the timed runs; print per op type and per node, slowest first");
  bc->add_flag("--json", bench.json, "print one JSON object to stdout instead of text");
  bc->add_option("--max-arena-bytes", bench.max_arena_bytes,
                 "refuse models whose activation arenas (all subgraphs) exceed N bytes (0: no cap)")
      ->capture_default_str();
  bc->add_option("--max-tensor-bytes", bench.max_tensor_bytes,
                 "refuse any non-constant tensor larger than N bytes (0: no cap)")
      ->capture_default_str();
  bc->footer("Inputs get the seeded pattern of `edgelite run`. Progress goes to stderr. "
             "Times are wall-clock (steady_clock); with --profile the per-node times are means "
             "per invoke over the timed runs.");

  PeakOptions peak;
  CLI::App* pc = app.add_subcommand(
      "peak", "Measure this CPU's single-core arithmetic peaks (fp32 FMA, int8) for the vector "
              "instructions our kernels use: the ceilings for bench --profile's GOP/s");
  pc->add_option("--seconds", peak.seconds, "length of one measurement round")
      ->capture_default_str();
  pc->add_option("--rounds", peak.rounds, "rounds per loop (the best is reported)")
      ->capture_default_str();
  pc->add_flag("--json", peak.json, "print one JSON object to stdout instead of text");
  pc->footer("Each loop runs one instruction sequence on 12 independent accumulators, from "
             "registers (no memory traffic), on the calling thread, timed in thread CPU time; a "
             "multiply-add counts as 2 operations. The best round is reported.");

  DemoOptions demo;
  CLI::App* dc = app.add_subcommand(
      "make-demo", "Write the project's demo model (a 5x7 digit recogniser with hand-set weights), "
                   "a sample image and labels");
  dc->add_option("OUT", demo.out, "output .tflite path (OUT_input.bmp, OUT_labels.txt beside it)")
      ->required();
  dc->add_option("--kind", demo.kind, "cnn or mlp (default: cnn if its ops are available)");
  dc->add_option("--digit", demo.digit, "digit drawn in the sample image")->capture_default_str();

  // Quantization options, shared by `quantize` and `convert`.
  auto add_quant_options = [](CLI::App* c, QuantizeCliOptions& q, bool mode_required) {
    auto* m = c->add_option("--mode", q.mode,
                            "float16 (weights as float16 + DEQUANTIZE), dynamic (int8 weights, "
                            "float activations, hybrid kernels), int8 (full integer, needs "
                            "--calibration), int16x8 (int16 activations, int8 weights, needs "
                            "--calibration)")
                  ->check(CLI::IsMember({"float16", "dynamic", "int8", "int16x8"}));
    if (mode_required) m->required();
    c->add_option("--calibration", q.calibration,
                  "representative data: a raw file of samples back to back (each in the input's "
                  "dtype and shape), a directory of such files (one sample each), or a directory "
                  "of images (.bmp/.jpg/.png, resized like `run`); N=PATH for input N of "
                  "multi-input models. Repeatable")
        ->take_all();
    c->add_flag("--per-tensor", q.per_tensor, "one scale per weight tensor instead of per channel");
    c->add_flag("--allow-float", q.allow_float,
                "int8/int16x8: keep ops without an integer kernel in float (DEQUANTIZE before, "
                "QUANTIZE after) instead of failing");
    c->add_option("--io", q.io, "type of the model's inputs and outputs: float (QUANTIZE/"
                                "DEQUANTIZE at the edges), int8 or uint8 (int8 mode), int16 (int16x8 mode)")
        ->check(CLI::IsMember({"float", "int8", "uint8", "int16"}))
        ->capture_default_str();
    c->add_option("--input-type", q.input_type, "inputs only (overrides --io)")
        ->check(CLI::IsMember({"float", "int8", "uint8", "int16"}));
    c->add_option("--output-type", q.output_type, "outputs only (overrides --io)")
        ->check(CLI::IsMember({"float", "int8", "uint8", "int16"}));
    c->add_option("--report", q.report,
                  "write a quantization report to FILE (.json: JSON): sizes, and per tensor the "
                  "error of the quantized model against the float one on the calibration data");
    c->add_option("--max-samples", q.max_samples, "use at most N calibration samples (0: all)")
        ->capture_default_str();
    c->add_option("--image-mean", q.image_mean,
                  "float inputs from calibration images: value = (pixel - mean) / std")
        ->capture_default_str();
    c->add_option("--image-std", q.image_std, "see --image-mean")->capture_default_str();
  };

  QuantizeCliOptions quant;
  CLI::App* qc = app.add_subcommand(
      "quantize", "Post-training quantization of a float .tflite model: float16, dynamic-range "
                  "int8, full int8 with calibration, or 16x8");
  qc->add_option("MODEL", quant.model, "the float .tflite file")->required();
  qc->add_option("-o,--output", quant.out, "the .tflite file to write")->required();
  add_quant_options(qc, quant, true);
  qc->add_flag("--quiet,-q", quant.quiet, "no progress lines on stderr");
  qc->footer("Progress goes to stderr, a summary line to stdout. See docs/quantizer.md.");

#ifdef EDGELITE_HAVE_CONVERTER
  ConvertCommandOptions conv;
  bool keep_nchw = false;
  CLI::App* cc = app.add_subcommand(
      "convert", "Convert an ONNX model (opset 11-17) to .tflite: constant folding, NCHW->NHWC "
                 "layout with transposes folded into weights, Conv/Gemm/MatMul + "
                 "BatchNormalization/bias/activation fusion");
  cc->add_option("MODEL", conv.model, "the .onnx file")->required();
  cc->add_option("-o,--output", conv.out, "the .tflite file to write")->required();
  cc->add_option("--input-shape", conv.input_shapes,
                 "NAME=d0,d1,...: static shape of input NAME (symbolic dims default to 1). "
                 "Repeatable")
      ->take_all();
  cc->add_flag("--keep-nchw", keep_nchw,
               "inputs and outputs keep the ONNX model's layout (NCHW for images); the default");
  cc->add_flag("--nhwc-io", conv.nhwc_io,
               "expose image inputs/outputs channels-last (NHWC) instead: no edge transposes");
  cc->add_flag("--quiet,-q", conv.quiet, "no progress lines on stderr");
  add_quant_options(cc, conv.quant, false);
  cc->footer("Progress goes to stderr, a summary line to stdout. Unsupported ops: one error lists "
             "every such node, its op type and why. See docs/converter.md.");
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);  // --help: 0; usage errors: message + non-zero
  }

  try {
    if (*ic) return inspect.micro ? InspectMicroCommand(inspect) : InspectCommand(inspect);
    if (*ec) return ExportCCommand(export_c);
    if (*rc) return RunCommand(run);
    if (*bc) return BenchCommand(bench);
    if (*pc) return PeakCommand(peak);
    if (*dc) return MakeDemoCommand(demo);
    if (*qc) return QuantizeCommand(quant);
#ifdef EDGELITE_HAVE_CONVERTER
    if (*cc) {
      if (keep_nchw && conv.nhwc_io) throw CliError("--keep-nchw and --nhwc-io contradict each other");
      return ConvertCommand(conv);
    }
#endif
  } catch (const CliError& e) {
    std::cout.flush();
    std::cerr << "edgelite: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "edgelite: error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
