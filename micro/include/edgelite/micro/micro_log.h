// The micro profile's logging hook: the runtime never calls printf. Messages (errors of the
// MicroInterpreter, the examples' results) go to one function the application installs; the
// default, set by the firmware platform (micro/platform/), writes to the semihosting console.
#ifndef EDGELITE_MICRO_MICRO_LOG_H_
#define EDGELITE_MICRO_MICRO_LOG_H_

namespace edgelite {
namespace micro {

// `line` is NUL-terminated, without a trailing newline; valid only during the call.
using LogHandler = void (*)(const char* line);

// nullptr silences logging. Not thread-safe (the micro profile has no threads).
void SetLogHandler(LogHandler handler);
LogHandler GetLogHandler();
// The platform's console handler (semihosting on QEMU), the initial handler.
LogHandler GetDefaultLogHandler();

// printf-style formatting into a fixed 256-byte stack buffer (longer lines are cut), then the
// handler. No heap.
void Log(const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

}  // namespace micro
}  // namespace edgelite

#endif  // EDGELITE_MICRO_MICRO_LOG_H_
