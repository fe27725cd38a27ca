// Cortex-M startup for QEMU's mps2-an385 (Cortex-M3) and mps2-an386 (Cortex-M4F): the vector
// table, .data/.bss initialisation, FPU enable, static constructors, main, semihosting exit.
#include <cstdint>

#include "micro/platform/platform.h"

extern "C" {
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main();
void __libc_init_array();
// __libc_init_array calls these (crti/crtn are not linked: -nostartfiles).
void _init() {}
void _fini() {}

[[noreturn]] void Reset_Handler() {
  for (uint32_t *src = &_sidata, *dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t* dst = &_sbss; dst < &_ebss;) *dst++ = 0;
#if defined(__ARM_FP)
  // CPACR: full access to coprocessors 10 and 11 (the FPU) before any float instruction.
  volatile uint32_t* cpacr = reinterpret_cast<volatile uint32_t*>(0xE000ED88u);
  *cpacr |= (0xFu << 20);
  asm volatile("dsb\n isb" ::: "memory");
#endif
  __libc_init_array();
  edgelite_micro_exit(main());
}

[[noreturn]] void HardFault_Handler() { edgelite_micro_panic("HardFault"); }
[[noreturn]] void Default_Handler() { edgelite_micro_panic("unexpected exception"); }

using Vector = void (*)();
__attribute__((section(".isr_vector"), used)) const Vector g_vectors[16] = {
    reinterpret_cast<Vector>(&_estack),  // initial stack pointer
    Reset_Handler,
    Default_Handler,    // NMI
    HardFault_Handler,  // HardFault
    HardFault_Handler,  // MemManage
    HardFault_Handler,  // BusFault
    HardFault_Handler,  // UsageFault
    nullptr, nullptr, nullptr, nullptr,
    Default_Handler,  // SVCall
    Default_Handler,  // DebugMon
    nullptr,
    Default_Handler,  // PendSV
    Default_Handler,  // SysTick
};
}
