// Plain float64 references for the windowed-op tests (conv, depthwise conv,
// transpose conv, pools), written from the TensorFlow definitions: output
// size SAME = ceil(in / stride), VALID = ceil((in - dilated_filter + 1) / stride);
// padding before = floor(max(0, (out - 1) * stride + dilated_filter - in) / 2).
#ifndef EDGELITE_TESTS_OPS_WINDOW_REF64_H_
#define EDGELITE_TESTS_OPS_WINDOW_REF64_H_

#include <algorithm>
#include <cmath>
#include <vector>

namespace edgelite {
namespace testing {

struct Axis64 {
  int out, pad;
};

inline Axis64 Geometry(bool same, int in, int filter, int stride, int dilation) {
  const int eff = (filter - 1) * dilation + 1;
  const int out = same ? (in + stride - 1) / stride
                       : (in >= eff ? (in - eff + stride) / stride : 0);
  const int total = std::max(0, (out - 1) * stride + eff - in);
  return {out, total / 2};
}

inline double Act(double v, int act) {  // 0 none, 1 relu, 2 relu_n1_to_1, 3 relu6
  if (act == 1) return std::max(v, 0.0);
  if (act == 2) return std::min(std::max(v, -1.0), 1.0);
  if (act == 3) return std::min(std::max(v, 0.0), 6.0);
  return v;
}

// Grouped conv: in [n,h,w,c], filter [o,kh,kw,c/groups]. Also returns the sum
// of |terms| per output in *mag (for the error bound).
inline std::vector<double> Conv2D64(const std::vector<float>& in, int n, int h, int w, int c,
                                    const std::vector<float>& f, int o, int kh, int kw, int fc,
                                    const std::vector<float>* bias, bool same, int sh, int sw,
                                    int dh, int dw, int act, int* oh, int* ow,
                                    std::vector<double>* mag) {
  const Axis64 ay = Geometry(same, h, kh, sh, dh), ax = Geometry(same, w, kw, sw, dw);
  *oh = ay.out;
  *ow = ax.out;
  const int groups = c / fc, per_group = o / groups;
  std::vector<double> out(size_t(n) * ay.out * ax.out * o);
  mag->assign(out.size(), 0.0);
  for (int b = 0; b < n; ++b)
    for (int y = 0; y < ay.out; ++y)
      for (int x = 0; x < ax.out; ++x)
        for (int oc = 0; oc < o; ++oc) {
          double acc = bias ? (*bias)[oc] : 0.0, m = std::fabs(acc);
          const int g = oc / per_group;
          for (int ky = 0; ky < kh; ++ky)
            for (int kx = 0; kx < kw; ++kx) {
              const int iy = y * sh - ay.pad + ky * dh, ix = x * sw - ax.pad + kx * dw;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (int i = 0; i < fc; ++i) {
                const double t = double(in[((size_t(b) * h + iy) * w + ix) * c + g * fc + i]) *
                                 f[((size_t(oc) * kh + ky) * kw + kx) * fc + i];
                acc += t;
                m += std::fabs(t);
              }
            }
          const size_t idx = ((size_t(b) * ay.out + y) * ax.out + x) * o + oc;
          out[idx] = Act(acc, act);
          (*mag)[idx] = m;
        }
  return out;
}

}  // namespace testing
}  // namespace edgelite

#endif  // EDGELITE_TESTS_OPS_WINDOW_REF64_H_
