#include "src/base/cpu_features.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define EDGELITE_X86 1
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#define EDGELITE_AARCH64_LINUX 1
#endif

namespace edgelite {
namespace {

#if defined(EDGELITE_X86)
unsigned long long ReadXcr0() {
  unsigned eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}
#endif

CpuFeatures Detect() {
  CpuFeatures f;
#if defined(EDGELITE_X86)
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  const bool osxsave = (ecx >> 27) & 1;
  const bool avx = (ecx >> 28) & 1;
  f.fma = (ecx >> 12) & 1;
  f.f16c = (ecx >> 29) & 1;
  if (!osxsave || !avx) return CpuFeatures{};
  const unsigned long long xcr0 = ReadXcr0();
  const bool os_ymm = (xcr0 & 0x6) == 0x6;
  const bool os_zmm = (xcr0 & 0xe6) == 0xe6;
  if (!os_ymm) return CpuFeatures{};
  if (__get_cpuid_max(0, nullptr) >= 7) {
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    f.avx2 = (ebx >> 5) & 1;
    if (os_zmm) {
      f.avx512f = (ebx >> 16) & 1;
      f.avx512dq = (ebx >> 17) & 1;
      f.avx512bw = (ebx >> 30) & 1;
      f.avx512vl = (ebx >> 31) & 1;
      f.avx512vnni = (ecx >> 11) & 1;
    }
    __cpuid_count(7, 1, eax, ebx, ecx, edx);
    f.avxvnni = (eax >> 4) & 1;
  }
#elif defined(EDGELITE_AARCH64_LINUX)
  f.neon = true;  // mandatory on AArch64
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
  f.dotprod = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#elif defined(__aarch64__)
  f.neon = true;
#endif
  return f;
}

Isa BestIsa(const CpuFeatures& f) {
  if (f.neon) return Isa::kNeon;
  if (f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq && f.fma && f.avx2) return Isa::kAvx512;
  if (f.avx2 && f.fma) return Isa::kAvx2;
  return Isa::kScalar;
}

struct IsaState {
  Isa active = Isa::kScalar;
  bool dotprod = false;
};

bool HasDotProductAt(const CpuFeatures& f, Isa isa) {
  switch (isa) {
    case Isa::kAvx512: return f.avx512vnni;
    case Isa::kAvx2: return f.avxvnni;
    case Isa::kNeon: return f.dotprod;
    default: return false;
  }
}

Isa Cap(Isa best, Isa cap) {
  if (best == Isa::kNeon) return cap == Isa::kScalar ? Isa::kScalar : Isa::kNeon;
  if (cap == Isa::kNeon) return best;
  return static_cast<int>(cap) < static_cast<int>(best) ? cap : best;
}

IsaState& State() {
  static IsaState state = [] {
    IsaState s;
    const CpuFeatures& f = GetCpuFeatures();
    Isa isa = BestIsa(f);
    if (const char* env = std::getenv("EDGELITE_ISA")) {
      if (std::strcmp(env, "scalar") == 0) isa = Cap(isa, Isa::kScalar);
      else if (std::strcmp(env, "avx2") == 0) isa = Cap(isa, Isa::kAvx2);
      else if (std::strcmp(env, "avx512") == 0) isa = Cap(isa, Isa::kAvx512);
      else if (std::strcmp(env, "neon") == 0) isa = Cap(isa, Isa::kNeon);
    }
    s.active = isa;
    s.dotprod = HasDotProductAt(f, isa);
    if (const char* env = std::getenv("EDGELITE_NO_DOTPROD")) {
      if (env[0] == '1') s.dotprod = false;
    }
    return s;
  }();
  return state;
}

}  // namespace

const CpuFeatures& GetCpuFeatures() {
  static const CpuFeatures features = Detect();
  return features;
}

Isa ActiveIsa() { return State().active; }

bool ActiveIsaHasDotProduct() { return State().dotprod; }

void SetIsaCapForTesting(Isa cap, bool allow_dotprod) {
  const CpuFeatures& f = GetCpuFeatures();
  IsaState& s = State();
  s.active = Cap(BestIsa(f), cap);
  s.dotprod = allow_dotprod && HasDotProductAt(f, s.active);
}

const char* IsaName(Isa isa) {
  switch (isa) {
    case Isa::kScalar: return "scalar";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvx512: return "avx512";
    case Isa::kNeon: return "neon";
  }
  return "unknown";
}

}  // namespace edgelite
