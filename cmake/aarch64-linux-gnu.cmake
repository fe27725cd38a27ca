# Cross build for 64-bit ARM Linux with Debian's g++-aarch64-linux-gnu; executables (tests,
# gtest discovery) run under qemu-user (Debian qemu-user). Used by the `aarch64` preset.
#
# The target's libc and libstdc++ come from /usr/aarch64-linux-gnu (libc6-dev-arm64-cross,
# pulled in by the compiler package). Host-only header libraries the runtime needs
# (flatbuffers) are taken from the host: see EDGELITE_HOST_HEADER_DIRS in CMakeLists.txt.
# GoogleTest is built from Debian's source package (/usr/src/googletest, libgtest-dev).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
# Programs (flatc) run on the host; libraries, headers and packages come from the target.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# -L: where qemu-user finds the target's dynamic loader and shared libraries. The CPU model is
# qemu's default (`max`: every feature qemu emulates, including the dot product) unless the
# QEMU_CPU environment variable names another (tests/CMakeLists.txt runs the suite on both).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/usr/aarch64-linux-gnu)
