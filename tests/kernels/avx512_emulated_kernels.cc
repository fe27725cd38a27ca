// Test-only build of the AVX-512 kernel sources on top of SIMDe (avx512_emulation.h), under
// different names, so tests can run them on CPUs without AVX-512.
#define EDGELITE_EMULATE_AVX512 1
#define GemmAvx512Vnni GemmAvx512VnniEmulated
#define RequantizeAvx512 RequantizeAvx512Emulated
#define DwAvx512 DwAvx512Emulated
#define RequantizeVecAvx512 RequantizeVecAvx512Emulated
#define OutputStageAvx512 OutputStageAvx512Emulated
#include "src/kernels/dwconv_int8/dwconv_int8_avx512.cc"
#include "src/kernels/gemm_int8/gemm_int8_avx512.cc"
