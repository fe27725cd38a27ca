// File syscalls for the op-test firmware only: tests/test_util.cc has file helpers (fopen,
// stat) that op tests do not call but that link newlib's stdio. There is no file system: every
// call fails. (The example firmware links none of this.)
#include <cerrno>

extern "C" {
struct stat;
int _open(const char*, int, ...) { errno = ENOSYS; return -1; }
int _close(int) { return -1; }
int _read(int, void*, int) { return -1; }
int _write(int, const void*, int) { return -1; }
int _lseek(int, int, int) { return -1; }
int _fstat(int, struct stat*) { return -1; }
int _stat(const char*, struct stat*) { errno = ENOSYS; return -1; }
int _isatty(int) { return 0; }
}
