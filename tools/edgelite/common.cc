#include "tools/edgelite/common.h"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace edgelite {
namespace cli {

void Check(const Status& s, const std::string& context) {
  if (!s.ok()) throw CliError(context.empty() ? s.ToString() : context + ": " + s.ToString());
}

std::unique_ptr<Model> LoadModel(const std::string& path) {
  auto m = Model::FromFile(path.c_str());
  if (!m.ok()) {
    // The loader's messages usually name the file already.
    const std::string msg = m.status().ToString();
    throw CliError(msg.find(path) != std::string::npos ? "cannot load model: " + msg
                                                       : "cannot load model '" + path + "': " + msg);
  }
  return std::move(m).value();
}

std::vector<uint8_t> ReadBinaryFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CliError("cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) throw CliError("cannot read '" + path + "'");
  return bytes;
}

void WriteBinaryFile(const std::string& path, const void* data, size_t size) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw CliError("cannot create '" + path + "': " + std::strerror(errno));
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!f) throw CliError("cannot write '" + path + "'");
}

void WriteTextFile(const std::string& path, const std::string& text) {
  WriteBinaryFile(path, text.data(), text.size());
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw CliError("cannot stat '" + path + "': " + std::strerror(errno));
  return static_cast<uint64_t>(st.st_size);
}

std::string ShapeString(const int32_t* dims, int rank) {
  std::string s = "[";
  for (int i = 0; i < rank; ++i) {
    if (i) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

std::string ShapeString(const Shape& shape) { return ShapeString(shape.dims, shape.rank); }

std::vector<int32_t> ShapeVector(const Shape& shape) {
  return std::vector<int32_t>(shape.dims, shape.dims + shape.rank);
}

size_t TensorBytes(DataType type, const Shape& shape) {
  size_t bytes = 0;
  if (!DataTypeBytes(type, shape.NumElements(), &bytes))
    throw CliError(std::string("tensors of type ") + DataTypeName(type) +
                   " have no fixed size in bytes");
  return bytes;
}

namespace {
float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v;
  if (exp == 0)
    v = std::ldexp(static_cast<float>(mant), -24);
  else if (exp == 31)
    v = mant ? NAN : INFINITY;
  else
    v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  return sign ? -v : v;
}

// Round-to-nearest-even float -> IEEE half (values here are in [-1, 1)).
uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000;
  const float a = std::fabs(f);
  if (std::isnan(f)) return static_cast<uint16_t>(sign | 0x7e00);
  if (a >= 65520.0f) return static_cast<uint16_t>(sign | 0x7c00);
  if (a < 6.103515625e-05f) {  // subnormal half: units of 2^-24
    const float q = std::nearbyint(a * 16777216.0f);
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(q));
  }
  int e;
  const float m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  // 11 significant bits: mantissa in units of 2^(e-11).
  uint32_t q = static_cast<uint32_t>(std::nearbyint(std::ldexp(m, 11)));
  if (q == 2048) {
    q = 1024;
    ++e;
  }
  const uint32_t biased = static_cast<uint32_t>(e - 1 + 15);
  if (biased >= 31) return static_cast<uint16_t>(sign | 0x7c00);
  return static_cast<uint16_t>(sign | (biased << 10) | (q & 0x3ff));
}

template <typename T>
T Load(const void* data, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const uint8_t*>(data) + i * static_cast<int64_t>(sizeof(T)),
              sizeof(T));
  return v;
}

template <typename T>
void Store(void* data, int64_t i, T v) {
  std::memcpy(static_cast<uint8_t*>(data) + i * static_cast<int64_t>(sizeof(T)), &v, sizeof(T));
}
}  // namespace

bool ElementAsDouble(DataType type, const void* data, int64_t i, double* out) {
  switch (type) {
    case DataType::kFloat32: *out = Load<float>(data, i); return true;
    case DataType::kFloat64: *out = Load<double>(data, i); return true;
    case DataType::kFloat16: *out = HalfToFloat(Load<uint16_t>(data, i)); return true;
    case DataType::kInt8: *out = Load<int8_t>(data, i); return true;
    case DataType::kUInt8: *out = Load<uint8_t>(data, i); return true;
    case DataType::kInt16: *out = Load<int16_t>(data, i); return true;
    case DataType::kUInt16: *out = Load<uint16_t>(data, i); return true;
    case DataType::kInt32: *out = Load<int32_t>(data, i); return true;
    case DataType::kUInt32: *out = Load<uint32_t>(data, i); return true;
    case DataType::kInt64: *out = static_cast<double>(Load<int64_t>(data, i)); return true;
    case DataType::kUInt64: *out = static_cast<double>(Load<uint64_t>(data, i)); return true;
    case DataType::kBool: *out = Load<uint8_t>(data, i) ? 1.0 : 0.0; return true;
    default: return false;
  }
}

std::string Extension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string e = path.substr(dot + 1);
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

// mulberry32, bit for bit as in run_tflite.js (all arithmetic mod 2^32).
uint32_t Mulberry32::Next() {
  state_ += 0x6D2B79F5u;
  uint32_t t = state_;
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return t ^ (t >> 14);
}

// The recipe of ../shared/oracles/tfjs-tflite/run_tflite.js: per input N a
// mulberry32 seeded with (S*1000003 + N) mod 2^32, one draw r per element:
//   float32/float64: r / 2^32 * 2 - 1; int8: (r >> 24) - 128; uint8: r >> 24;
//   int16: (r >> 16) - 32768; int32: (r % 201) - 100; uint32: r % 201; bool: r & 1.
// Types the oracle has no pattern for, filled the same way by analogy (our
// own extension, so the oracle cannot be compared on them): float16 (the
// float32 value rounded to half), int64 like int32, uint16 r >> 16, uint64 like uint32.
bool FillSeededPattern(DataType type, int64_t seed, int input_index, void* data,
                       int64_t num_elements) {
  // JavaScript: (seed * 1000003 + idx) >>> 0 — exact in a double for any
  // practical seed, then reduced modulo 2^32; int64 wrap-around does the same.
  const uint64_t mixed = static_cast<uint64_t>(seed) * 1000003ull + static_cast<uint64_t>(input_index);
  Mulberry32 rng(static_cast<uint32_t>(mixed));
  switch (type) {
    case DataType::kFloat32: case DataType::kFloat64: case DataType::kFloat16:
    case DataType::kInt8: case DataType::kUInt8: case DataType::kInt16: case DataType::kUInt16:
    case DataType::kInt32: case DataType::kUInt32: case DataType::kInt64: case DataType::kUInt64:
    case DataType::kBool:
      break;
    default:
      return false;
  }
  for (int64_t i = 0; i < num_elements; ++i) {
    const uint32_t r = rng.Next();
    const double f = static_cast<double>(r) / 4294967296.0 * 2.0 - 1.0;
    switch (type) {
      case DataType::kFloat32: Store<float>(data, i, static_cast<float>(f)); break;
      case DataType::kFloat64: Store<double>(data, i, f); break;
      case DataType::kFloat16: Store<uint16_t>(data, i, FloatToHalf(static_cast<float>(f))); break;
      case DataType::kInt8: Store<int8_t>(data, i, static_cast<int8_t>(static_cast<int>(r >> 24) - 128)); break;
      case DataType::kUInt8: Store<uint8_t>(data, i, static_cast<uint8_t>(r >> 24)); break;
      case DataType::kInt16: Store<int16_t>(data, i, static_cast<int16_t>(static_cast<int>(r >> 16) - 32768)); break;
      case DataType::kUInt16: Store<uint16_t>(data, i, static_cast<uint16_t>(r >> 16)); break;
      case DataType::kInt32: Store<int32_t>(data, i, static_cast<int32_t>(r % 201) - 100); break;
      case DataType::kUInt32: Store<uint32_t>(data, i, r % 201); break;
      case DataType::kInt64: Store<int64_t>(data, i, static_cast<int64_t>(r % 201) - 100); break;
      case DataType::kUInt64: Store<uint64_t>(data, i, r % 201); break;
      case DataType::kBool: Store<uint8_t>(data, i, static_cast<uint8_t>(r & 1)); break;
      default: break;
    }
  }
  return true;
}

}  // namespace cli
}  // namespace edgelite
