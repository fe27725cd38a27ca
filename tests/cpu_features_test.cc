#include "src/base/cpu_features.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <gtest/gtest.h>

#include "src/kernels/gemm_int8/gemm_int8.h"

namespace edgelite {
namespace {

// Independent source: the compiler's own CPU probe (__builtin_cpu_supports) on x86.
TEST(CpuFeatures, AgreesWithCompilerProbe) {
  const CpuFeatures& f = GetCpuFeatures();
#if defined(__x86_64__)
  __builtin_cpu_init();
  EXPECT_EQ(f.avx2, static_cast<bool>(__builtin_cpu_supports("avx2")));
  EXPECT_EQ(f.fma, static_cast<bool>(__builtin_cpu_supports("fma")));
  EXPECT_EQ(f.avx512f, static_cast<bool>(__builtin_cpu_supports("avx512f")));
  EXPECT_EQ(f.avx512bw, static_cast<bool>(__builtin_cpu_supports("avx512bw")));
  EXPECT_EQ(f.avx512vnni, static_cast<bool>(__builtin_cpu_supports("avx512vnni")));
  EXPECT_FALSE(f.neon);
#elif defined(__aarch64__)
  EXPECT_TRUE(f.neon);
#endif
  std::printf("active ISA: %s, dot product: %s\n", IsaName(ActiveIsa()),
              ActiveIsaHasDotProduct() ? "yes" : "no");
}

// Under qemu-user the CPU model decides the hardware capabilities the kernel reports (HWCAP).
// tests/CMakeLists.txt runs the suite on qemu's `max` CPU (dot product) and on a Cortex-A53
// (none) and says which through EDGELITE_EXPECT_DOTPROD: an independent statement of what the
// detection must find, and of which 8-bit GEMM variant the default dispatch must then pick.
TEST(CpuFeatures, EmulatedCpuModel) {
  const char* expect = std::getenv("EDGELITE_EXPECT_DOTPROD");
  if (expect == nullptr) GTEST_SKIP() << "EDGELITE_EXPECT_DOTPROD not set (not a qemu run)";
  const bool want_dot = std::strcmp(expect, "1") == 0;
  const CpuFeatures& f = GetCpuFeatures();
#if defined(__aarch64__)
  EXPECT_TRUE(f.neon);
  EXPECT_EQ(f.dotprod, want_dot);
  EXPECT_EQ(ActiveIsa(), Isa::kNeon);
  EXPECT_STREQ(kernels::gemm_int8::SelectedGemmName(), want_dot ? "neondot" : "neon");
#else
  (void)want_dot;
  (void)f;
#endif
  std::printf("[ isa paths ] default dispatch: %s, dot product %s, int8 GEMM %s\n",
              IsaName(ActiveIsa()), ActiveIsaHasDotProduct() ? "yes" : "no",
              kernels::gemm_int8::SelectedGemmName());
}

TEST(CpuFeatures, CapLowersAndRestores) {
  const Isa best = ActiveIsa();
  const bool dot = ActiveIsaHasDotProduct();
  SetIsaCapForTesting(Isa::kScalar, false);
  EXPECT_EQ(ActiveIsa(), Isa::kScalar);
  EXPECT_FALSE(ActiveIsaHasDotProduct());
  SetIsaCapForTesting(Isa::kAvx2, true);
  if (best == Isa::kAvx512 || best == Isa::kAvx2) {
    EXPECT_EQ(ActiveIsa(), Isa::kAvx2);
  }
  // Restore the widest level of this architecture.
  SetIsaCapForTesting(best == Isa::kNeon ? Isa::kNeon : Isa::kAvx512, true);
  EXPECT_EQ(ActiveIsa(), best);
  EXPECT_EQ(ActiveIsaHasDotProduct(), dot);
}

}  // namespace
}  // namespace edgelite
