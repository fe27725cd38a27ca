// Published expectations of models in ../shared (DATA.md, "Expected results").
#include <cmath>
#include <cstdio>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

// TFLM's hello_world: a float MLP trained to approximate sin(x) on [0, 2*pi].
// The example's own test accepts |sin(x) - y| <= 0.05.
TEST(ExpectationsTest, HelloWorldFloatPredictsSine) {
  EDGELITE_REQUIRE_SHARED();
  const std::string path =
      testing::SharedDir() + "/models/tflm/hello_world/hello_world_float.tflite";
  auto model = Model::FromFile(path.c_str());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  BuiltinOpResolver resolver;
  auto interp = Interpreter::Create(**model, resolver);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  Interpreter& in = **interp;
  ASSERT_TRUE(in.AllocateTensors().ok());
  ASSERT_EQ(in.num_inputs(), 1);
  ASSERT_EQ(in.num_outputs(), 1);
  ASSERT_EQ(in.input(0)->type, DataType::kFloat32);
  ASSERT_EQ(in.input(0)->num_elements(), 1);
  ASSERT_EQ(in.output(0)->num_elements(), 1);

  constexpr double kTwoPi = 6.283185307179586;
  constexpr int kSteps = 200;
  constexpr double kBound = 0.05;
  double worst = 0, worst_x = 0;
  for (int i = 0; i <= kSteps; ++i) {
    const double x = kTwoPi * i / kSteps;
    in.input(0)->data_as<float>()[0] = static_cast<float>(x);
    ASSERT_TRUE(in.Invoke().ok());
    const double y = in.output(0)->data_as<float>()[0];
    const double err = std::fabs(y - std::sin(x));
    if (err > worst) worst = err, worst_x = x;
    EXPECT_LE(err, kBound) << "x=" << x << " y=" << y << " sin(x)=" << std::sin(x);
  }
  printf("hello_world_float: max |y - sin(x)| = %.4f at x = %.3f over %d points in [0, 2pi]\n",
         worst, worst_x, kSteps + 1);
}

}  // namespace
}  // namespace edgelite
