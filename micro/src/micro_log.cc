#include "edgelite/micro/micro_log.h"

#include <cstdarg>
#include <cstdio>

#include "micro/platform/platform.h"

namespace edgelite {
namespace micro {
namespace {
void WriteLine(const char* line) {
  edgelite_micro_write(line);
  edgelite_micro_write("\n");
}
LogHandler g_handler = WriteLine;
}  // namespace

void SetLogHandler(LogHandler handler) { g_handler = handler; }
LogHandler GetLogHandler() { return g_handler; }
LogHandler GetDefaultLogHandler() { return WriteLine; }

void Log(const char* fmt, ...) {
  if (g_handler == nullptr) return;
  char buf[256];
  va_list args;
  va_start(args, fmt);
  vsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  g_handler(buf);
}

}  // namespace micro
}  // namespace edgelite
