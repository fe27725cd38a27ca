// Status and Result<T>: how every fallible call in edgelite reports failure.
//
// The runtime core uses no exceptions. A function that can fail returns a
// Status (or a Result<T> carrying a value on success). Both are [[nodiscard]]:
// ignoring an error is a compile-time warning (an error with -Werror).
//
// Messages are meant for humans: they name the subgraph, operator and tensor
// at fault and, where it helps, the numbers involved ("arena too small: need
// 1234 more bytes"). An OK status carries no message and costs no allocation.
//
// The micro profile (EDGELITE_MICRO) has its own Status with the same API for
// the code base (below): no std::string, no heap. There the text of every
// error Status lives in one static buffer, so a Status's message() is valid
// only until the next error Status is created (the latest error's text wins;
// firmware is single-threaded), and messages longer than
// Status::kMaxMessageBytes - 1 characters are cut at that length.
#ifndef EDGELITE_STATUS_H_
#define EDGELITE_STATUS_H_

#include <cstdarg>
#include <optional>
#include <utility>
#if EDGELITE_MICRO
#include <cstddef>
#include <type_traits>
#else
#include <string>
#endif

namespace edgelite {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // the caller passed something wrong
  kInvalidModel = 2,        // the model file is malformed or inconsistent
  kUnsupported = 3,         // valid, but not implemented by edgelite (yet)
  kFailedPrecondition = 4,  // call order problem (e.g. Invoke before Allocate)
  kResourceExhausted = 5,   // arena/memory limits
  kNotFound = 6,            // name lookup failed
  kIoError = 7,             // file system
  kInternal = 8,            // a bug in edgelite
  kRuntimeError = 9,        // an op failed while running (data-dependent)
};

// Short name of a code, e.g. "invalid model".
const char* StatusCodeName(StatusCode code);

#if EDGELITE_MICRO

// What Status::message() returns in the micro profile: a view of a
// NUL-terminated message with the few std::string members the code base and
// its tests use. It points into Status's shared buffer (or at ""): valid until
// the next error Status is created.
class StatusMessage {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);  // == std::string::npos

  explicit constexpr StatusMessage(const char* text) : text_(text) {}
  const char* c_str() const { return text_; }
  const char* data() const { return text_; }
  bool empty() const { return text_[0] == '\0'; }
  size_t size() const;
  size_t length() const { return size(); }
  // Index of the first occurrence of `needle` at or after `pos`, or npos.
  size_t find(const char* needle, size_t pos = 0) const;
  template <typename S, typename = decltype(std::declval<const S&>().c_str())>
  size_t find(const S& needle, size_t pos = 0) const {  // std::string
    return find(needle.c_str(), pos);
  }
  // Converts to any class built from a const char* (std::string, std::string_view), so
  // `std::string m = s.message();` compiles; the text is copied then.
  template <typename S, typename = std::enable_if_t<std::is_class<S>::value &&
                                                    std::is_constructible<S, const char*>::value>>
  operator S() const {  // NOLINT: implicit by design
    return S(text_);
  }
  friend bool operator==(const StatusMessage& a, const char* b);
  friend bool operator!=(const StatusMessage& a, const char* b) { return !(a == b); }

 private:
  const char* text_;
};

class [[nodiscard]] Status {
 public:
  // Size of the one buffer holding the text of the latest error Status, with its NUL.
  static constexpr size_t kMaxMessageBytes = 256;

  Status() = default;  // OK
  // An error status (code != kOk) copies `message` into the shared buffer (cut to
  // kMaxMessageBytes - 1 characters); `message` may point into that buffer. An OK
  // status ignores `message`: its message is "".
  Status(StatusCode code, const char* message);
  // Anything with c_str() (std::string): the same as Status(code, message.c_str()).
  template <typename S, typename = decltype(std::declval<const S&>().c_str())>
  Status(StatusCode code, const S& message) : Status(code, message.c_str()) {}

  static Status Ok() { return Status(); }
  // printf-style constructor for error statuses (vsnprintf into the shared buffer).
  static Status Error(StatusCode code, const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;
  static Status ErrorV(StatusCode code, const char* fmt, va_list args);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // Valid until the next error Status is created.
  StatusMessage message() const { return StatusMessage(message_); }
  // "invalid model: subgraph 0, operator 3 (CONV_2D): ..." style text, in a second static
  // buffer (cut at kMaxMessageBytes + 32 bytes): valid until the next ToString() call.
  const char* ToString() const;

  // Returns a status whose message is "<prefix>: <message>" (rewritten in the shared buffer,
  // cut at its size); OK stays OK. `prefix` may point into the shared buffer.
  Status WithContext(const char* prefix) const;
  template <typename S, typename = decltype(std::declval<const S&>().c_str())>
  Status WithContext(const S& prefix) const {  // std::string
    return WithContext(prefix.c_str());
  }

  // Explicitly discards a status the caller has decided not to act on.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  const char* message_ = "";  // "" or the shared buffer
};

#else  // !EDGELITE_MICRO

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  // printf-style constructor for error statuses.
  static Status Error(StatusCode code, const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;
  static Status ErrorV(StatusCode code, const char* fmt, va_list args);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid model: subgraph 0, operator 3 (CONV_2D): ..." style text.
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>"; OK stays OK.
  Status WithContext(const std::string& prefix) const;

  // Explicitly discards a status the caller has decided not to act on.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

#endif  // EDGELITE_MICRO

// A value or an error. Accessing value() of an error Result is a bug; check ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) {
      status_ = Status(StatusCode::kInternal, "Result constructed from OK status without a value");
    }
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace edgelite

// Returns early from the enclosing function if `expr` yields an error Status.
#define EDGELITE_RETURN_IF_ERROR(expr)        \
  do {                                        \
    ::edgelite::Status _el_status = (expr);   \
    if (!_el_status.ok()) return _el_status;  \
  } while (0)

#define EDGELITE_CONCAT_INNER_(a, b) a##b
#define EDGELITE_CONCAT_(a, b) EDGELITE_CONCAT_INNER_(a, b)

// `EDGELITE_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its error.
#define EDGELITE_ASSIGN_OR_RETURN(lhs, rexpr)                                  \
  auto EDGELITE_CONCAT_(_el_result_, __LINE__) = (rexpr);                      \
  if (!EDGELITE_CONCAT_(_el_result_, __LINE__).ok())                           \
    return EDGELITE_CONCAT_(_el_result_, __LINE__).status();                   \
  lhs = std::move(EDGELITE_CONCAT_(_el_result_, __LINE__)).value()

#endif  // EDGELITE_STATUS_H_
