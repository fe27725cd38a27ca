// String tensors in TensorFlow Lite's packed layout: int32 count N, then
// N + 1 int32 byte offsets from the start of the buffer (the last one is the
// buffer's length), then the bytes of the strings back to back (no
// terminators). String tensors are always dynamic: their storage is sized when
// their contents are set (Interpreter::SetStringTensor, or an op at Invoke).
#ifndef EDGELITE_STRINGS_H_
#define EDGELITE_STRINGS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {

struct StringRef {
  const char* data = nullptr;
  size_t size = 0;
};

// Number of strings in a packed buffer of `bytes` bytes, or -1 if the buffer
// is malformed (too short, offsets out of order or past the end).
inline int32_t NumPackedStrings(const void* buffer, size_t bytes) {
  if (buffer == nullptr || bytes < sizeof(int32_t)) return -1;
  const uint8_t* b = static_cast<const uint8_t*>(buffer);
  int32_t n;
  std::memcpy(&n, b, 4);
  if (n < 0 || static_cast<uint64_t>(n + 1) * 4 + 4 > bytes) return -1;
  int32_t prev = 4 * (n + 2);
  for (int32_t i = 0; i <= n; ++i) {
    int32_t off;
    std::memcpy(&off, b + 4 + 4 * static_cast<size_t>(i), 4);
    if (off < prev || static_cast<size_t>(off) > bytes) return -1;
    prev = off;
  }
  return n;
}

inline int32_t NumStrings(const Tensor& t) { return NumPackedStrings(t.data, t.bytes); }

// String i of a buffer NumPackedStrings accepted (i in [0, N)).
inline StringRef GetPackedString(const void* buffer, int32_t i) {
  const uint8_t* b = static_cast<const uint8_t*>(buffer);
  int32_t start, end;
  std::memcpy(&start, b + 4 + 4 * static_cast<size_t>(i), 4);
  std::memcpy(&end, b + 8 + 4 * static_cast<size_t>(i), 4);
  return StringRef{reinterpret_cast<const char*>(b + start), static_cast<size_t>(end - start)};
}

inline StringRef GetString(const Tensor& t, int32_t i) { return GetPackedString(t.data, i); }

// Bytes of the packed buffer for `count` strings; 0 if it would exceed the
// int32 offsets of the format.
inline size_t PackedStringBytes(const StringRef* strings, int32_t count) {
  uint64_t total = 4 + 4 * (static_cast<uint64_t>(count) + 1);
  for (int32_t i = 0; i < count; ++i) total += strings[i].size;
  return total > INT32_MAX ? 0 : static_cast<size_t>(total);
}

// Writes the packed buffer (PackedStringBytes bytes) to `out`.
inline void PackStrings(const StringRef* strings, int32_t count, void* out) {
  uint8_t* b = static_cast<uint8_t*>(out);
  std::memcpy(b, &count, 4);
  int32_t off = 4 * (count + 2);
  for (int32_t i = 0; i < count; ++i) {
    std::memcpy(b + 4 + 4 * static_cast<size_t>(i), &off, 4);
    if (strings[i].size) std::memcpy(b + off, strings[i].data, strings[i].size);
    off += static_cast<int32_t>(strings[i].size);
  }
  std::memcpy(b + 4 + 4 * static_cast<size_t>(count), &off, 4);
}

}  // namespace edgelite

#endif  // EDGELITE_STRINGS_H_
