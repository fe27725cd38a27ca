# Toolchain for the micro profile: bare-metal Cortex-M with Debian's gcc-arm-none-eabi and
# newlib-nano. EDGELITE_MICRO_CPU (cache variable, set by the presets) picks the core:
#   cortex-m4  Cortex-M4F, single-precision FPU, hard-float ABI (QEMU mps2-an386)
#   cortex-m3  no FPU, soft-float (QEMU mps2-an385)
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# Bare metal: compiler checks link a static library, not an executable (no startup code yet).
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # flatc, qemu, nm: host programs
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

if(NOT EDGELITE_MICRO_CPU)
  set(EDGELITE_MICRO_CPU cortex-m4)
endif()
if(EDGELITE_MICRO_CPU STREQUAL "cortex-m4")
  set(_el_cpu "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
elseif(EDGELITE_MICRO_CPU STREQUAL "cortex-m3")
  set(_el_cpu "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
elseif(EDGELITE_MICRO_CPU STREQUAL "cortex-m0")
  set(_el_cpu "-mcpu=cortex-m0 -mthumb -mfloat-abi=soft")
else()
  message(FATAL_ERROR "EDGELITE_MICRO_CPU must be cortex-m4, cortex-m3 or cortex-m0")
endif()
# Every function and object in its own section so --gc-sections drops what is not referenced
# (the ops an application does not list). newlib-nano: the small printf/malloc-free libc.
set(CMAKE_C_FLAGS_INIT "${_el_cpu} -ffunction-sections -fdata-sections --specs=nano.specs")
set(CMAKE_CXX_FLAGS_INIT
    "${_el_cpu} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti \
-fno-threadsafe-statics -fno-use-cxa-atexit --specs=nano.specs")
set(CMAKE_ASM_FLAGS_INIT "${_el_cpu}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")
