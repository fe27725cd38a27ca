// `edgelite make-demo OUT.tflite`: the project's own demo model, written with
// edgelite::ModelBuilder, whose correct answer is known without edgelite.
//
// The model recognises the ten digits of a classic 5x7 pixel font by template
// matching, with hand-set weights:
//
//   cnn (default when CONV_2D, REDUCE_MAX and SOFTMAX are available):
//     image   float32 [1,12,12,1], pixels 0..255 (255 = ink)
//     CONV_2D 10 filters 7x5, VALID, stride 1: filter c holds 2*(2*t_c - 1)/255
//             (t_c = the glyph of digit c, 0/1) and bias -sum(2*t_c - 1), so at
//             every position the output is sum over the window of
//             (2*t_c - 1)*(2*x - 1) with x = pixel/255: for a 0/1 image that is
//             35 - 2 * (Hamming distance between window and glyph).
//     REDUCE_MAX over H and W -> [1,10]: the best match of each digit anywhere.
//     SOFTMAX beta 0.25 -> [1,10] probabilities.
//   mlp (fallback, FULLY_CONNECTED only, + SOFTMAX when available):
//     image   float32 [1,7,5,1]; FULLY_CONNECTED with the same weights gives
//     the 10 match scores of the whole image, then SOFTMAX beta 0.25.
//
// Besides OUT.tflite it writes OUT_input.bmp (digit `--digit` drawn with a few
// pixels flipped) and OUT_labels.txt, and prints the expected probabilities,
// computed here in double precision by brute-force template matching.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

#include "edgelite/model_builder.h"
#include "edgelite/op_resolver.h"
#include "tools/edgelite/commands.h"
#include "tools/edgelite/common.h"

namespace edgelite {
namespace cli {
namespace {

constexpr int kGlyphH = 7, kGlyphW = 5, kClasses = 10;
constexpr int kCanvas = 12;          // cnn input is kCanvas x kCanvas
constexpr float kSoftmaxBeta = 0.25f;
constexpr int kInk = 255;

const char* const kGlyphs[kClasses][kGlyphH] = {
    {"01110", "10001", "10011", "10101", "11001", "10001", "01110"},  // 0
    {"00100", "01100", "00100", "00100", "00100", "00100", "01110"},  // 1
    {"01110", "10001", "00001", "00010", "00100", "01000", "11111"},  // 2
    {"11111", "00010", "00100", "00010", "00001", "10001", "01110"},  // 3
    {"00010", "00110", "01010", "10010", "11111", "00010", "00010"},  // 4
    {"11111", "10000", "11110", "00001", "00001", "10001", "01110"},  // 5
    {"00110", "01000", "10000", "11110", "10001", "10001", "01110"},  // 6
    {"11111", "00001", "00010", "00100", "01000", "01000", "01000"},  // 7
    {"01110", "10001", "10001", "01110", "10001", "10001", "01110"},  // 8
    {"01110", "10001", "10001", "01111", "00001", "00010", "01100"},  // 9
};
const char* const kNames[kClasses] = {"zero", "one", "two",   "three", "four",
                                      "five", "six", "seven", "eight", "nine"};

int Glyph(int c, int y, int x) { return kGlyphs[c][y][x] == '1' ? 1 : 0; }

// A 24-bit BMP of a grayscale image (rows bottom-up, padded to 4 bytes).
void WriteBmp(const std::string& path, const std::vector<uint8_t>& gray, int w, int h) {
  const int row = (w * 3 + 3) / 4 * 4;
  const uint32_t data_bytes = static_cast<uint32_t>(row * h), file_bytes = 54 + data_bytes;
  std::vector<uint8_t> b(file_bytes, 0);
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  b[0] = 'B';
  b[1] = 'M';
  put32(2, file_bytes);
  put32(10, 54);
  put32(14, 40);
  put32(18, static_cast<uint32_t>(w));
  put32(22, static_cast<uint32_t>(h));
  b[26] = 1;   // planes
  b[28] = 24;  // bits per pixel
  put32(34, data_bytes);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) b[54 + (h - 1 - y) * row + x * 3 + c] = gray[y * w + x];
  WriteBinaryFile(path, b.data(), b.size());
}

std::string Stem(const std::string& out) {
  if (out.size() > 7 && out.compare(out.size() - 7, 7, ".tflite") == 0)
    return out.substr(0, out.size() - 7);
  return out;
}

}  // namespace

int MakeDemoCommand(const DemoOptions& opts) {
  const bool cnn_ok = IsBuiltinSupported(static_cast<int32_t>(fb::BuiltinOperator::CONV_2D)) &&
                      IsBuiltinSupported(static_cast<int32_t>(fb::BuiltinOperator::REDUCE_MAX)) &&
                      IsBuiltinSupported(static_cast<int32_t>(fb::BuiltinOperator::SOFTMAX));
  const bool softmax = IsBuiltinSupported(static_cast<int32_t>(fb::BuiltinOperator::SOFTMAX));
  std::string kind = opts.kind.empty() ? (cnn_ok ? "cnn" : "mlp") : opts.kind;
  if (kind != "cnn" && kind != "mlp") throw CliError("--kind must be cnn or mlp, got '" + kind + "'");
  if (opts.digit < 0 || opts.digit > 9) throw CliError("--digit must be 0..9");
  const bool cnn = kind == "cnn";
  const int H = cnn ? kCanvas : kGlyphH, W = cnn ? kCanvas : kGlyphW;

  // Weights: w = 2*(2t-1)/255 per pixel, bias = -sum(2t-1).
  std::vector<float> weights(kClasses * kGlyphH * kGlyphW), bias(kClasses);
  for (int c = 0; c < kClasses; ++c) {
    int sum = 0;
    for (int y = 0; y < kGlyphH; ++y)
      for (int x = 0; x < kGlyphW; ++x) {
        const int s = 2 * Glyph(c, y, x) - 1;
        weights[(c * kGlyphH + y) * kGlyphW + x] = 2.0f * s / kInk;
        sum += s;
      }
    bias[c] = static_cast<float>(-sum);
  }

  ModelBuilder b;
  b.SetDescription(std::string("edgelite demo: 5x7 digit template matcher (") + kind +
                   "), see edgelite README");
  const int image = b.AddTensor(DataType::kFloat32, {1, H, W, 1}, "image");
  const int w = b.AddConstTensor<float>(DataType::kFloat32, cnn ? std::vector<int32_t>{kClasses, kGlyphH, kGlyphW, 1}
                                                                : std::vector<int32_t>{kClasses, kGlyphH * kGlyphW},
                                        weights, "templates");
  const int bi = b.AddConstTensor<float>(DataType::kFloat32, {kClasses}, bias, "bias");
  int scores;
  if (cnn) {
    const int oh = H - kGlyphH + 1, ow = W - kGlyphW + 1;
    const int map = b.AddTensor(DataType::kFloat32, {1, oh, ow, kClasses}, "match_map");
    fb::Conv2DOptionsT conv;
    conv.padding = fb::Padding::VALID;
    conv.stride_w = conv.stride_h = 1;
    b.AddOperator(fb::BuiltinOperator::CONV_2D, {image, w, bi}, {map}, MakeOptions(conv));
    const int axes = b.AddConstTensor<int32_t>(DataType::kInt32, {2}, {1, 2}, "hw_axes");
    scores = b.AddTensor(DataType::kFloat32, {1, kClasses}, "scores");
    fb::ReducerOptionsT red;
    red.keep_dims = false;
    b.AddOperator(fb::BuiltinOperator::REDUCE_MAX, {map, axes}, {scores}, MakeOptions(red));
  } else {
    scores = b.AddTensor(DataType::kFloat32, {1, kClasses}, "scores");
    b.AddOperator(fb::BuiltinOperator::FULLY_CONNECTED, {image, w, bi}, {scores},
                  MakeOptions(fb::FullyConnectedOptionsT{}));
  }
  int output = scores;
  if (softmax) {
    output = b.AddTensor(DataType::kFloat32, {1, kClasses}, "probabilities");
    fb::SoftmaxOptionsT sm;
    sm.beta = kSoftmaxBeta;
    b.AddOperator(fb::BuiltinOperator::SOFTMAX, {scores}, {output}, MakeOptions(sm));
  }
  b.SetInputs({image});
  b.SetOutputs({output});
  b.AddSignature("serving_default", 0, {{"image", image}}, {{softmax ? "probabilities" : "scores", output}});
  const std::vector<uint8_t> bytes = b.Finish();
  WriteBinaryFile(opts.out, bytes.data(), bytes.size());

  // Sample image: the digit drawn in ink, two pixels of the glyph window
  // flipped, plus (cnn) one stray pixel outside it.
  const int oy = cnn ? 3 : 0, ox = cnn ? 4 : 0;
  std::vector<uint8_t> img(static_cast<size_t>(H) * W, 0);
  for (int y = 0; y < kGlyphH; ++y)
    for (int x = 0; x < kGlyphW; ++x) img[(oy + y) * W + ox + x] = Glyph(opts.digit, y, x) * kInk;
  auto flip = [&](int y, int x) { img[y * W + x] = static_cast<uint8_t>(kInk - img[y * W + x]); };
  flip(oy + 1, ox + 0);
  flip(oy + 6, ox + 4);
  if (cnn) flip(11, 0);
  const std::string stem = Stem(opts.out);
  WriteBmp(stem + "_input.bmp", img, W, H);
  std::string labels;
  for (const char* n : kNames) labels += std::string(n) + "\n";
  WriteTextFile(stem + "_labels.txt", labels);

  // Expected result, computed independently: best match score of each digit
  // over all positions (35 - 2 * Hamming distance for a 0/1 image), softmax.
  std::vector<double> score(kClasses, -1e300);
  for (int c = 0; c < kClasses; ++c)
    for (int py = 0; py + kGlyphH <= H; ++py)
      for (int px = 0; px + kGlyphW <= W; ++px) {
        double s = 0;
        for (int y = 0; y < kGlyphH; ++y)
          for (int x = 0; x < kGlyphW; ++x)
            s += (2.0 * Glyph(c, y, x) - 1) * (2.0 * img[(py + y) * W + px + x] / kInk - 1);
        score[c] = std::max(score[c], s);
      }
  std::vector<double> prob(score);
  if (softmax) {
    const double mx = *std::max_element(score.begin(), score.end());
    double sum = 0;
    for (double& p : prob) sum += (p = std::exp(kSoftmaxBeta * (p - mx)));
    for (double& p : prob) p /= sum;
  }
  const int best = static_cast<int>(std::max_element(prob.begin(), prob.end()) - prob.begin());

  std::cout << "wrote " << opts.out << " (" << bytes.size() << " bytes, " << kind << ": "
            << (cnn ? "CONV_2D + REDUCE_MAX" : "FULLY_CONNECTED") << (softmax ? " + SOFTMAX" : "")
            << "), " << stem << "_input.bmp (digit " << opts.digit << ", " << W << "x" << H
            << "), " << stem << "_labels.txt\n";
  std::cout << "run it:   edgelite run " << opts.out << " --input 0=" << stem << "_input.bmp --labels "
            << stem << "_labels.txt --top 3\n";
  std::cout << "expected " << (softmax ? "probabilities" : "scores") << " (computed without edgelite):";
  char buf[64];
  for (int c = 0; c < kClasses; ++c) {
    std::snprintf(buf, sizeof(buf), " %.6f", prob[c]);
    std::cout << buf;
  }
  std::snprintf(buf, sizeof(buf), "%.6f", prob[best]);
  std::cout << "\nexpected answer: " << best << " " << kNames[best] << " " << buf << "\n";
  return 0;
}

}  // namespace cli
}  // namespace edgelite
