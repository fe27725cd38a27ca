// Error messages that print floats: in the micro profile the float is widened to the
// double of a %g by hand (src/model/validate.cc) and formatted by micro/src/format.cc, so
// this also runs as firmware (micro op test group "runtime") to check both there.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace edgelite {
namespace {

std::string LoadError(float scale) {
  QuantSpec q;
  q.scale = {scale};
  q.zero_point = {0};
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kInt8, {2}, "qx", 0, &q);
  b.SetInputs({x});
  b.SetOutputs({x});
  const std::vector<uint8_t> bytes = b.Finish();
  auto m = Model::FromBuffer(bytes.data(), bytes.size());
  return m.ok() ? std::string("loaded") : m.status().message();
}

TEST(Messages, BadQuantizationScaleIsPrinted) {
  const struct {
    float scale;
    const char* text;
  } cases[] = {
      {-0.5f, "scale[0] = -0.5 is not"},
      {-3.0517578125e-05f, "scale[0] = -3.05176e-05 is not"},
      {-1e-45f, "scale[0] = -1.4013e-45 is not"},  // the smallest subnormal
      {-std::numeric_limits<float>::max(), "scale[0] = -3.40282e+38 is not"},
      {std::numeric_limits<float>::infinity(), "scale[0] = inf is not"},
      {-std::numeric_limits<float>::infinity(), "scale[0] = -inf is not"},
  };
  for (const auto& c : cases) {
    const std::string e = LoadError(c.scale);
    EXPECT_NE(e.find(c.text), std::string::npos) << "want '" << c.text << "' in: " << e;
  }
  const std::string nan = LoadError(std::numeric_limits<float>::quiet_NaN());
  EXPECT_NE(nan.find("nan is not"), std::string::npos) << nan;
}

}  // namespace
}  // namespace edgelite
