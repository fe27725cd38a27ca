// Tensors as the interpreter and the kernels see them.
//
// Layout is always TFLite's: row-major, NHWC for images. Data types carry the
// numeric values of the .tflite TensorType enum so they convert by cast.
// Quantization parameters are views into the model buffer (zero-copy); they
// stay valid as long as the Model they came from.
#ifndef EDGELITE_TENSOR_H_
#define EDGELITE_TENSOR_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace edgelite {

// Same numbering as the .tflite schema's TensorType.
enum class DataType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
  kBFloat16 = 18,
  kInt2 = 19,
  kUInt4 = 20,
  kFloat8E4M3FN = 21,
  kFloat8E5M2 = 22,
};

// Bytes per element; 0 for types without a fixed element size (string,
// resource, variant) and for sub-byte types (int4/uint4/int2: see DataTypeBytes).
size_t DataTypeSize(DataType type);
// Bytes needed for `count` elements of `type` (int4/uint4 pack two per byte,
// int2 four).
// Returns false for types without a fixed size.
bool DataTypeBytes(DataType type, int64_t count, size_t* bytes);
// "float32", "int8", ... (the names numpy and TFLite's tools use).
const char* DataTypeName(DataType type);
// True if `value` is a known DataType code.
bool IsKnownDataType(int value);

// The largest rank edgelite handles. TFLite's kernels go up to 6 (a few to 8).
constexpr int kMaxRank = 8;

// A fixed-capacity shape: no heap, cheap to copy.
struct Shape {
  int32_t rank = 0;
  int32_t dims[kMaxRank] = {};

  Shape() = default;
  Shape(std::initializer_list<int32_t> d);

  int32_t dim(int i) const { return dims[i]; }
  int32_t& operator[](int i) { return dims[i]; }
  int32_t operator[](int i) const { return dims[i]; }
  // Product of dims (1 for a scalar). Dims are validated non-negative and the
  // product checked against overflow when shapes enter the runtime.
  int64_t NumElements() const;
  // Product of dims [begin, end).
  int64_t FlatSize(int begin, int end) const;
  bool operator==(const Shape& o) const;
  bool operator!=(const Shape& o) const { return !(*this == o); }
  // Writes "[1,224,224,3]" into buf (always NUL-terminated); returns buf.
  const char* ToString(char* buf, size_t size) const;
};

// Affine quantization: real = scale * (q - zero_point). Per-tensor when
// count == 1, per-channel along `quantized_dimension` when count > 1.
// Pointers view the model's FlatBuffer (little-endian host assumed).
struct Quantization {
  const float* scale = nullptr;
  const int64_t* zero_point = nullptr;  // may be null when count == 0
  int32_t count = 0;                    // 0: not quantized
  int32_t quantized_dimension = 0;

  // Blockwise quantization (int4 weights of LLM-style FULLY_CONNECTED): one
  // scale per block of `block_size` values along the last axis, held in
  // another tensor of the subgraph (float16 [rows, cols / block_size]).
  // block_size == 0: not blockwise.
  int32_t block_size = 0;
  int32_t block_scales_tensor = -1;
  int32_t block_zero_points_tensor = -1;  // -1: symmetric

  bool is_quantized() const { return count > 0; }
  bool per_channel() const { return count > 1; }
};

// How a tensor's storage is provided.
enum class Allocation : uint8_t {
  kNone = 0,     // not yet allocated (or an optional input that is absent)
  kConstant,     // view into the model buffer (read-only)
  kArena,        // planned region of the interpreter's arena
  kDynamic,      // heap buffer sized at Invoke (shape known only then)
  kPersistent,   // lives as long as the interpreter (variables)
};

// Maps a C++ element type to its DataType (for checked, typed access).
template <typename T>
struct DataTypeOf;
#define EDGELITE_DATATYPE_OF(CTYPE, DTYPE) \
  template <>                              \
  struct DataTypeOf<CTYPE> {               \
    static constexpr DataType value = DTYPE; \
  };
EDGELITE_DATATYPE_OF(float, DataType::kFloat32)
EDGELITE_DATATYPE_OF(double, DataType::kFloat64)
EDGELITE_DATATYPE_OF(int8_t, DataType::kInt8)
EDGELITE_DATATYPE_OF(uint8_t, DataType::kUInt8)
EDGELITE_DATATYPE_OF(int16_t, DataType::kInt16)
EDGELITE_DATATYPE_OF(uint16_t, DataType::kUInt16)
EDGELITE_DATATYPE_OF(int32_t, DataType::kInt32)
EDGELITE_DATATYPE_OF(uint32_t, DataType::kUInt32)
EDGELITE_DATATYPE_OF(int64_t, DataType::kInt64)
EDGELITE_DATATYPE_OF(uint64_t, DataType::kUInt64)
EDGELITE_DATATYPE_OF(bool, DataType::kBool)
#undef EDGELITE_DATATYPE_OF

struct Tensor {
  DataType type = DataType::kFloat32;
  Shape shape;
  void* data = nullptr;
  size_t bytes = 0;  // bytes of `data` in use
  Quantization quant;
  const char* name = "";
  Allocation allocation = Allocation::kNone;
  bool is_variable = false;
  // Shape with -1 for dimensions unknown at conversion time (may be empty).
  const int32_t* shape_signature = nullptr;
  int32_t shape_signature_rank = 0;
  // Sparsity parameters, if any (a `const edgelite::fb::SparsityParameters*`).
  const void* sparsity = nullptr;

  template <typename T>
  T* data_as() {
    return static_cast<T*>(data);
  }
  template <typename T>
  const T* data_as() const {
    return static_cast<const T*>(data);
  }
  // Checked access: nullptr unless the tensor's type is T's DataType and
  // storage is allocated. Use for inputs/outputs in application code.
  template <typename T>
  T* typed_data() {
    return (type == DataTypeOf<T>::value) ? static_cast<T*>(data) : nullptr;
  }
  template <typename T>
  const T* typed_data() const {
    return (type == DataTypeOf<T>::value) ? static_cast<const T*>(data) : nullptr;
  }
  int64_t num_elements() const { return shape.NumElements(); }
  bool is_constant() const { return allocation == Allocation::kConstant; }
};

}  // namespace edgelite

#endif  // EDGELITE_TENSOR_H_
