// Status and Result<T>: how every fallible call in edgelite reports failure.
//
// The runtime core uses no exceptions. A function that can fail returns a
// Status (or a Result<T> carrying a value on success). Both are [[nodiscard]]:
// ignoring an error is a compile-time warning (an error with -Werror).
//
// Messages are meant for humans: they name the subgraph, operator and tensor
// at fault and, where it helps, the numbers involved ("arena too small: need
// 1234 more bytes"). An OK status carries no message and costs no allocation.
#ifndef EDGELITE_STATUS_H_
#define EDGELITE_STATUS_H_

#include <cstdarg>
#include <optional>
#include <string>
#include <utility>

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
