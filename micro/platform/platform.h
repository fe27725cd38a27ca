// The bare-metal platform under the micro profile's firmware: Cortex-M startup (startup.cc),
// the memory map (mps2.ld: QEMU's mps2-an385 / mps2-an386 boards) and ARM semihosting for the
// console and the exit status (semihost.cc). A real board replaces these three files.
#ifndef EDGELITE_MICRO_PLATFORM_PLATFORM_H_
#define EDGELITE_MICRO_PLATFORM_PLATFORM_H_

extern "C" {
// Writes a NUL-terminated string to the host console.
void edgelite_micro_write(const char* s);
// Ends the firmware: status 0 = success, anything else = failure (QEMU exits with 0 / 1).
[[noreturn]] void edgelite_micro_exit(int status);
// Host file access through semihosting (QEMU runs the host's file system): reads the whole
// file into buf; returns its size, or -1 if it cannot be opened or exceeds cap.
long edgelite_micro_read_host_file(const char* path, void* buf, unsigned long cap);
// The semihosting command line (QEMU: the kernel file name, a space, then -append's text);
// false if unavailable.
bool edgelite_micro_command_line(char* buf, unsigned long cap);
// Logs `why` and ends the firmware with a failure status (misuse that cannot be reported).
[[noreturn]] void edgelite_micro_panic(const char* why);
}

#endif  // EDGELITE_MICRO_PLATFORM_PLATFORM_H_
