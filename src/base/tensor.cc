// DataType helpers and Shape.
#include <cstdio>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {

size_t DataTypeSize(DataType type) {
  switch (type) {
    case DataType::kFloat32: return 4;
    case DataType::kFloat16: return 2;
    case DataType::kInt32: return 4;
    case DataType::kUInt8: return 1;
    case DataType::kInt64: return 8;
    case DataType::kBool: return 1;
    case DataType::kInt16: return 2;
    case DataType::kComplex64: return 8;
    case DataType::kInt8: return 1;
    case DataType::kFloat64: return 8;
    case DataType::kComplex128: return 16;
    case DataType::kUInt64: return 8;
    case DataType::kUInt32: return 4;
    case DataType::kUInt16: return 2;
    case DataType::kBFloat16: return 2;
    case DataType::kFloat8E4M3FN: return 1;
    case DataType::kFloat8E5M2: return 1;
    case DataType::kInt2:
    case DataType::kUInt4:
    case DataType::kString:
    case DataType::kResource:
    case DataType::kVariant:
    case DataType::kInt4:
      return 0;
  }
  return 0;
}

bool DataTypeBytes(DataType type, int64_t count, size_t* bytes) {
  if (count < 0) return false;
  if (type == DataType::kInt4 || type == DataType::kUInt4) {
    *bytes = static_cast<size_t>((count + 1) / 2);
    return true;
  }
  if (type == DataType::kInt2) {
    *bytes = static_cast<size_t>((count + 3) / 4);
    return true;
  }
  size_t elem = DataTypeSize(type);
  if (elem == 0) return false;
  // Callers bound count well below 2^62 / 16, so this cannot overflow.
  *bytes = static_cast<size_t>(count) * elem;
  return true;
}

const char* DataTypeName(DataType type) {
  switch (type) {
    case DataType::kFloat32: return "float32";
    case DataType::kFloat16: return "float16";
    case DataType::kInt32: return "int32";
    case DataType::kUInt8: return "uint8";
    case DataType::kInt64: return "int64";
    case DataType::kString: return "string";
    case DataType::kBool: return "bool";
    case DataType::kInt16: return "int16";
    case DataType::kComplex64: return "complex64";
    case DataType::kInt8: return "int8";
    case DataType::kFloat64: return "float64";
    case DataType::kComplex128: return "complex128";
    case DataType::kUInt64: return "uint64";
    case DataType::kResource: return "resource";
    case DataType::kVariant: return "variant";
    case DataType::kUInt32: return "uint32";
    case DataType::kUInt16: return "uint16";
    case DataType::kInt4: return "int4";
    case DataType::kBFloat16: return "bfloat16";
    case DataType::kInt2: return "int2";
    case DataType::kUInt4: return "uint4";
    case DataType::kFloat8E4M3FN: return "float8_e4m3fn";
    case DataType::kFloat8E5M2: return "float8_e5m2";
  }
  return "unknown";
}

bool IsKnownDataType(int value) { return value >= 0 && value <= 22; }

Shape::Shape(std::initializer_list<int32_t> d) {
  rank = 0;
  for (int32_t v : d) {
    if (rank == kMaxRank) break;
    dims[rank++] = v;
  }
}

int64_t Shape::NumElements() const { return FlatSize(0, rank); }

int64_t Shape::FlatSize(int begin, int end) const {
  int64_t n = 1;
  for (int i = begin; i < end; ++i) n *= dims[i];
  return n;
}

bool Shape::operator==(const Shape& o) const {
  if (rank != o.rank) return false;
  for (int i = 0; i < rank; ++i)
    if (dims[i] != o.dims[i]) return false;
  return true;
}

const char* Shape::ToString(char* buf, size_t size) const {
  if (size == 0) return buf;
  size_t pos = 0;
  auto put = [&](const char* s) {
    while (*s && pos + 1 < size) buf[pos++] = *s++;
  };
  put("[");
  for (int i = 0; i < rank; ++i) {
    char num[16];
    snprintf(num, sizeof(num), i ? ",%d" : "%d", dims[i]);
    put(num);
  }
  put("]");
  buf[pos] = '\0';
  return buf;
}

}  // namespace edgelite
