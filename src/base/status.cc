#include "edgelite/status.h"

#include <cstdio>
#if EDGELITE_MICRO
#include <cstring>
#endif

namespace edgelite {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kInvalidModel: return "invalid model";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kResourceExhausted: return "resource exhausted";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kIoError: return "I/O error";
    case StatusCode::kInternal: return "internal error";
    case StatusCode::kRuntimeError: return "runtime error";
  }
  return "unknown error";
}

#if EDGELITE_MICRO

// The micro profile: the text of the latest error Status (see status.h). Writers build the new
// text in a stack buffer first, so the old text (or a prefix pointing into it) can be an input.
namespace {
char g_message[Status::kMaxMessageBytes];

// Copies `text` (cut to fit, NUL-terminated) into the shared buffer; returns it.
const char* SetMessage(const char* text) {
  size_t n = strlen(text);
  if (n > sizeof(g_message) - 1) n = sizeof(g_message) - 1;
  memmove(g_message, text, n);  // text may lie in g_message
  g_message[n] = '\0';
  return g_message;
}

// Appends `text` to dst[0..*len) within `cap` bytes (NUL included), cutting it to fit.
void Append(char* dst, size_t cap, size_t* len, const char* text) {
  size_t n = strlen(text);
  if (n > cap - 1 - *len) n = cap - 1 - *len;
  memcpy(dst + *len, text, n);
  *len += n;
  dst[*len] = '\0';
}
}  // namespace

size_t StatusMessage::size() const { return strlen(text_); }

size_t StatusMessage::find(const char* needle, size_t pos) const {
  const size_t n = size();
  if (pos > n) return npos;
  const char* hit = strstr(text_ + pos, needle);
  return hit == nullptr ? npos : static_cast<size_t>(hit - text_);
}

bool operator==(const StatusMessage& a, const char* b) { return strcmp(a.c_str(), b) == 0; }

Status::Status(StatusCode code, const char* message) : code_(code) {
  if (code != StatusCode::kOk) message_ = SetMessage(message == nullptr ? "" : message);
}

Status Status::ErrorV(StatusCode code, const char* fmt, va_list args) {
  char buf[kMaxMessageBytes];  // the arguments may point into g_message
  vsnprintf(buf, sizeof(buf), fmt, args);
  return Status(code, buf);
}

const char* Status::ToString() const {
  static char text[kMaxMessageBytes + 32];  // + the longest StatusCodeName and ": "
  if (ok()) return "ok";
  size_t len = 0;
  text[0] = '\0';
  Append(text, sizeof(text), &len, StatusCodeName(code_));
  if (message_[0] != '\0') {
    Append(text, sizeof(text), &len, ": ");
    Append(text, sizeof(text), &len, message_);
  }
  return text;
}

Status Status::WithContext(const char* prefix) const {
  if (ok()) return *this;
  char buf[kMaxMessageBytes];  // prefix and message_ may both lie in g_message
  size_t len = 0;
  buf[0] = '\0';
  Append(buf, sizeof(buf), &len, prefix == nullptr ? "" : prefix);
  Append(buf, sizeof(buf), &len, ": ");
  Append(buf, sizeof(buf), &len, message_);
  return Status(code_, buf);
}

#else  // !EDGELITE_MICRO

Status Status::ErrorV(StatusCode code, const char* fmt, va_list args) {
  char buf[1024];
  vsnprintf(buf, sizeof(buf), fmt, args);
  return Status(code, buf);
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s = StatusCodeName(code_);
  if (!message_.empty()) {
    s += ": ";
    s += message_;
  }
  return s;
}

Status Status::WithContext(const std::string& prefix) const {
  if (ok()) return *this;
  return Status(code_, prefix + ": " + message_);
}

#endif  // EDGELITE_MICRO

Status Status::Error(StatusCode code, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = ErrorV(code, fmt, args);
  va_end(args);
  return s;
}


}  // namespace edgelite
