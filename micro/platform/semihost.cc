// ARM semihosting (QEMU -semihosting): console output and exit status, nothing else.
#include "micro/platform/platform.h"

namespace {
constexpr int kSysWrite0 = 0x04;
constexpr int kSysExit = 0x18;
constexpr int kSysOpen = 0x01;
constexpr int kSysClose = 0x02;
constexpr int kSysRead = 0x06;
constexpr int kSysFlen = 0x0C;
constexpr int kSysGetCmdline = 0x15;
constexpr int kApplicationExit = 0x20026;    // ADP_Stopped_ApplicationExit: QEMU exits 0
constexpr int kRunTimeErrorUnknown = 0x20023;  // ADP_Stopped_RunTimeErrorUnknown: QEMU exits 1

int Semihost(int op, const void* arg) {
  register int r0 asm("r0") = op;
  register const void* r1 asm("r1") = arg;
  asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
}  // namespace

extern "C" {
long edgelite_micro_read_host_file(const char* path, void* buf, unsigned long cap) {
  unsigned long len = 0;
  while (path[len]) ++len;
  const unsigned long open_args[3] = {reinterpret_cast<unsigned long>(path), 1 /* "rb" */, len};
  const int fd = Semihost(kSysOpen, open_args);
  if (fd < 0) return -1;
  const unsigned long fd_arg[1] = {static_cast<unsigned long>(fd)};
  const int size = Semihost(kSysFlen, fd_arg);
  long result = -1;
  if (size >= 0 && static_cast<unsigned long>(size) <= cap) {
    const unsigned long read_args[3] = {static_cast<unsigned long>(fd),
                                        reinterpret_cast<unsigned long>(buf),
                                        static_cast<unsigned long>(size)};
    if (Semihost(kSysRead, read_args) == 0) result = size;  // returns the bytes NOT read
  }
  Semihost(kSysClose, fd_arg);
  return result;
}

bool edgelite_micro_command_line(char* buf, unsigned long cap) {
  unsigned long args[2] = {reinterpret_cast<unsigned long>(buf), cap};
  return Semihost(kSysGetCmdline, args) == 0;
}

void edgelite_micro_write(const char* s) { Semihost(kSysWrite0, s); }

void edgelite_micro_exit(int status) {
  // On 32-bit Arm, SYS_EXIT takes the reason code itself in r1.
  Semihost(kSysExit, reinterpret_cast<const void*>(status == 0 ? kApplicationExit
                                                               : kRunTimeErrorUnknown));
  for (;;) {
  }
}

void edgelite_micro_panic(const char* why) {
  edgelite_micro_write("edgelite micro panic: ");
  edgelite_micro_write(why);
  edgelite_micro_write("\n");
  edgelite_micro_exit(1);
}

// newlib's abort() and exit() end up here (e.g. a failed assert in a library): fail loudly.
// There is deliberately no _sbrk: a firmware that pulls in newlib's malloc does not link.
void _exit(int status) { edgelite_micro_exit(status); }
int _kill(int, int) { edgelite_micro_panic("abort() called"); }
int _getpid(void) { return 1; }
// A failed assert() inside newlib (e.g. its strtod, used by flexbuffers parsing): fail loudly
// without newlib's fprintf(stderr) (which would pull in stdio and its syscalls).
void __assert_func(const char* file, int, const char*, const char* expr) {
  edgelite_micro_write(file);
  edgelite_micro_write(": ");
  edgelite_micro_panic(expr);
}
// No wall clock on these boards (std::chrono::steady_clock, used only by the optional per-node
// profiler hook, reads this): report failure, the clock then reads 0.
struct timeval;
int _gettimeofday(struct timeval*, void*) { return -1; }
}
