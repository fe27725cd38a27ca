// Structural validation of a verified .tflite model.
//
// The FlatBuffers verifier guarantees that every offset and vector stays in
// bounds of the buffer. This pass checks what the schema cannot express:
// indices point at things that exist, constant data has the size its shape and
// type require, shapes are sane and their products do not overflow,
// quantization parameters are usable, external buffers lie inside the file,
// and each subgraph's operators only read tensors that exist by then.
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <string>
#include <vector>

#include "edgelite/model.h"
#include "edgelite/op_resolver.h"
#include "edgelite/tensor.h"
#include "schema/tflite_generated.h"

namespace edgelite {
namespace {

constexpr int32_t kInt8Min = -128, kInt8Max = 127;
constexpr int32_t kUInt8Max = 255;
constexpr int32_t kInt16Min = -32768, kInt16Max = 32767;

// A float as the double a %g needs. Without double-precision hardware (Cortex-M) the
// conversion is libgcc's __aeabi_f2d, whose object also holds dadd/dsub (0.9 KB): the core
// of a firmware would link soft-float double for this one message. So in the micro profile
// the bits are widened by hand (exact, NaN and subnormals included).
double ToDouble(float f) {
#if EDGELITE_MICRO
  uint32_t b;
  memcpy(&b, &f, sizeof(b));
  int exp = static_cast<int>((b >> 23) & 0xff);
  uint32_t man = b & 0x7fffff;
  uint64_t bits = static_cast<uint64_t>(b >> 31) << 63;
  if (exp == 0xff) {
    bits |= (uint64_t{0x7ff} << 52) | (static_cast<uint64_t>(man) << 29);
  } else if (exp != 0 || man != 0) {
    if (exp == 0) {  // subnormal: normalize
      exp = 1;
      while ((man & 0x800000) == 0) {
        man <<= 1;
        --exp;
      }
      man &= 0x7fffff;
    }
    bits |= (static_cast<uint64_t>(exp - 127 + 1023) << 52) | (static_cast<uint64_t>(man) << 29);
  }
  double d;
  memcpy(&d, &bits, sizeof(d));
  return d;
#else
  return f;
#endif
}

struct Ctx {
  const fb::Model* model;
  const uint8_t* base;
  size_t size;
  const ModelLimits& limits;
  std::vector<int32_t> op_codes;  // resolved builtin code per opcode index
};

std::string TensorLabel(const fb::SubGraph* sg, int32_t t) {
  std::string s = "tensor " + std::to_string(t);
  const auto* tensors = sg->tensors();
  if (tensors && t >= 0 && static_cast<uint32_t>(t) < tensors->size()) {
    const fb::Tensor* tensor = tensors->Get(t);
    if (tensor && tensor->name() && tensor->name()->size() > 0)
      s += " '" + tensor->name()->str() + "'";
  }
  return s;
}

std::string OpLabel(const Ctx& c, int sg_index, int op_index, const fb::Operator* op) {
  std::string s = "subgraph " + std::to_string(sg_index) + ", operator " + std::to_string(op_index);
  uint32_t oc = op->opcode_index();
  if (oc < c.op_codes.size()) {
    int32_t code = c.op_codes[oc];
    if (code == kBuiltinCustom) {
      const auto* codes = c.model->operator_codes();
      const fb::OperatorCode* opc = codes->Get(oc);
      s += " (CUSTOM '";
      s += (opc->custom_code() ? opc->custom_code()->str() : std::string("?"));
      s += "')";
    } else {
      s += " (";
      s += BuiltinOperatorLabel(code);
      s += ")";
    }
  }
  return s;
}

Status Invalid(const std::string& where, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
Status Invalid(const std::string& where, const char* fmt, ...) {
  char buf[768];
  va_list args;
  va_start(args, fmt);
  vsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  return Status(StatusCode::kInvalidModel, where + ": " + buf);
}

Status ValidateBuffers(const Ctx& c) {
  const auto* buffers = c.model->buffers();
  if (buffers == nullptr) return Status::Ok();
  for (uint32_t i = 0; i < buffers->size(); ++i) {
    const fb::Buffer* b = buffers->Get(i);
    if (b == nullptr) return Invalid("buffer " + std::to_string(i), "is null");
    if (b->offset() > 1) {
      const uint64_t off = b->offset(), sz = b->size();
      if (off > c.size || sz > c.size - off)
        return Invalid("buffer " + std::to_string(i),
                       "external data [offset %llu, size %llu] lies outside the %zu-byte file",
                       static_cast<unsigned long long>(off), static_cast<unsigned long long>(sz),
                       c.size);
      if (b->data() && b->data()->size() > 0)
        return Invalid("buffer " + std::to_string(i), "has both inline and external data");
    }
  }
  return Status::Ok();
}

Status ValidateOpCodes(Ctx& c) {
  const auto* codes = c.model->operator_codes();
  if (codes == nullptr) return Status::Ok();
  for (uint32_t i = 0; i < codes->size(); ++i) {
    const fb::OperatorCode* oc = codes->Get(i);
    const std::string where = "operator code " + std::to_string(i);
    if (oc == nullptr) return Invalid(where, "is null");
    // Old files only set the int8 field; new ones set both (the int8 one is
    // capped at 127, PLACEHOLDER_FOR_GREATER_OP_CODES, for codes above it).
    int32_t code = std::max<int32_t>(oc->deprecated_builtin_code(),
                                     static_cast<int32_t>(oc->builtin_code()));
    if (code < 0) return Invalid(where, "has negative builtin code %d", code);
    // Versions start at 1 (the schema's default); 0 or below is no version.
    if (oc->version() < 1) return Invalid(where, "has version %d; versions start at 1", oc->version());
    if (code == kBuiltinCustom && (oc->custom_code() == nullptr || oc->custom_code()->size() == 0))
      return Invalid(where, "is CUSTOM but has no custom_code name");
    c.op_codes.push_back(code);
  }
  return Status::Ok();
}

// String tensors: int32 count N, N+1 int32 offsets from the buffer start,
// then the bytes; offsets must be non-decreasing and end at the size.
Status ValidateStringBuffer(const std::string& where, const uint8_t* data, size_t size,
                            int64_t num_elements) {
  if (size < 4) return Invalid(where, "string buffer of %zu bytes is too small", size);
  int32_t n;
  memcpy(&n, data, 4);
  if (n < 0 || 4 + 4 * (static_cast<uint64_t>(n) + 1) > size)
    return Invalid(where, "string buffer declares %d strings but holds %zu bytes", n, size);
  if (n != num_elements)
    return Invalid(where, "string buffer holds %d strings but the shape has %lld elements", n,
                   static_cast<long long>(num_elements));
  const size_t header = 4 + 4 * (static_cast<size_t>(n) + 1);
  if (header > size) return Invalid(where, "string buffer header exceeds its %zu bytes", size);
  int32_t prev = static_cast<int32_t>(header);
  for (int32_t k = 0; k <= n; ++k) {
    int32_t off;
    memcpy(&off, data + 4 + 4 * k, 4);
    if (off < prev || static_cast<size_t>(off) > size)
      return Invalid(where, "string offset %d of %d is out of order or out of bounds", k, n);
    prev = off;
  }
  return Status::Ok();
}

Status ValidateQuantization(const std::string& where, const fb::Tensor* t, const Shape& shape) {
  const fb::QuantizationParameters* q = t->quantization();
  if (q == nullptr) return Status::Ok();
  const auto* scale = q->scale();
  const auto* zp = q->zero_point();
  const uint32_t ns = scale ? scale->size() : 0;
  const uint32_t nz = zp ? zp->size() : 0;
  if (ns == 0 && nz == 0) return Status::Ok();  // min/max only, or empty
  if (ns != nz)
    return Invalid(where, "quantization has %u scales but %u zero points", ns, nz);
  const int32_t qd = q->quantized_dimension();
  auto CheckScales = [&]() -> Status {
    const fb::TensorType type = t->type();
    for (uint32_t i = 0; i < ns; ++i) {
      const float s = scale->Get(i);
      // TFLite's converters write scale 0 for all-zero weight channels of some
      // models; reject only what cannot be meaningful.
      if (!std::isfinite(s) || s < 0.0f)
        return Invalid(where, "quantization scale[%u] = %g is not a finite non-negative number", i,
                       ToDouble(s));
      // Read through memcpy: the verifier checks a vector's length word, not
      // that 8-byte elements are 8-byte aligned (a corrupted file can place
      // them anywhere; the runtime copies such vectors, see subgraph.cc).
      int64_t z;
      memcpy(&z, zp->Data() + sizeof(int64_t) * i, sizeof(z));
      int64_t lo = INT64_MIN, hi = INT64_MAX;
      switch (type) {
        case fb::TensorType::INT8: lo = kInt8Min; hi = kInt8Max; break;
        case fb::TensorType::UINT8: lo = 0; hi = kUInt8Max; break;
        case fb::TensorType::INT16: lo = kInt16Min; hi = kInt16Max; break;
        case fb::TensorType::INT4: lo = -8; hi = 7; break;
        default: break;
      }
      if (z < lo || z > hi)
        return Invalid(where, "zero point[%u] = %lld is out of range for %s", i,
                       static_cast<long long>(z),
                       DataTypeName(static_cast<DataType>(static_cast<int>(type))));
    }
    return Status::Ok();
  };
  if (ns > 1) {
    // TFLite Micro accepts per-channel rank-1 tensors (biases) whose
    // quantized_dimension names the weights' channel axis (person_detect does
    // this); the only sensible reading is axis 0, which the runtime uses.
    if (shape.rank == 1 && static_cast<int64_t>(ns) == shape.dims[0]) return CheckScales();
    if (qd < 0 || qd >= shape.rank)
      return Invalid(where, "quantized_dimension %d is out of range for rank %d", qd, shape.rank);
    if (static_cast<int64_t>(ns) != shape.dims[qd])
      return Invalid(where,
                     "per-channel quantization has %u scales but dimension %d has size %d", ns,
                     qd, shape.dims[qd]);
  }
  return CheckScales();
}

Status ValidateTensor(const Ctx& c, int sg_index, const fb::SubGraph* sg, int32_t ti) {
  const fb::Tensor* t = sg->tensors()->Get(ti);
  const std::string where = "subgraph " + std::to_string(sg_index) + ", " + TensorLabel(sg, ti);
  if (t == nullptr) return Invalid(where, "is null");
  const int type = static_cast<int>(t->type());
  if (!IsKnownDataType(type)) return Invalid(where, "has unknown type code %d", type);
  Shape shape;
  bool unknown_dim = false;
  if (t->shape()) {
    if (t->shape()->size() > static_cast<uint32_t>(kMaxRank))
      return Invalid(where, "has rank %u; edgelite supports up to %d", t->shape()->size(),
                     kMaxRank);
    shape.rank = static_cast<int32_t>(t->shape()->size());
    int64_t n = 1;
    for (int i = 0; i < shape.rank; ++i) {
      const int32_t d = t->shape()->Get(i);
      if (d < -1) return Invalid(where, "has negative dimension %d at axis %d", d, i);
      shape.dims[i] = d;
      if (d == -1) {
        // Some converters write -1 for unknown dimensions of tensors that
        // never get storage (unused optional operands). Allowed only on
        // non-constant tensors; the planner rejects them if they are used.
        unknown_dim = true;
        continue;
      }
      if (d != 0 && n > c.limits.max_tensor_elements / d)
        return Invalid(where, "has too many elements (shape product exceeds %lld)",
                       static_cast<long long>(c.limits.max_tensor_elements));
      n *= d;
    }
  }
  const auto* buffers = c.model->buffers();
  const uint32_t nbuf = buffers ? buffers->size() : 0;
  const uint32_t bi = t->buffer();
  if (bi != 0 && bi >= nbuf)
    return Invalid(where, "refers to buffer %u, but the model has %u buffers", bi, nbuf);
  if (bi < nbuf) {
    const fb::Buffer* b = buffers->Get(bi);
    size_t size = 0;
    const uint8_t* data = nullptr;
    if (b->offset() > 1) {
      size = static_cast<size_t>(b->size());
      data = c.base + b->offset();
    } else if (b->data()) {
      size = b->data()->size();
      data = b->data()->data();
    }
    if (size > 0 && unknown_dim)
      return Invalid(where, "is constant but has an unknown (-1) dimension");
    if (size > 0 && t->sparsity() == nullptr) {
      const DataType dt = static_cast<DataType>(type);
      const int64_t n = shape.NumElements();
      if (dt == DataType::kString) {
        EDGELITE_RETURN_IF_ERROR(ValidateStringBuffer(where, data, size, n));
      } else {
        size_t need = 0;
        if (!DataTypeBytes(dt, n, &need))
          return Invalid(where, "constant data of type %s is not supported", DataTypeName(dt));
        if (need != size) {
          char sbuf[96];
          return Invalid(where, "buffer %u holds %zu bytes, but shape %s of %s needs %zu", bi,
                         size, shape.ToString(sbuf, sizeof(sbuf)), DataTypeName(dt), need);
        }
      }
    }
  }
  if (const fb::QuantizationParameters* q = t->quantization()) {
    if (const fb::BlockwiseQuantization* bw = q->details_as_BlockwiseQuantization()) {
      const int32_t n_tensors = static_cast<int32_t>(sg->tensors()->size());
      if (bw->block_size() <= 0)
        return Invalid(where, "blockwise quantization has block size %d", bw->block_size());
      if (bw->scales() < 0 || bw->scales() >= n_tensors)
        return Invalid(where, "blockwise quantization scales tensor %d is out of range [0, %d)",
                       bw->scales(), n_tensors);
      if (bw->zero_points() < -1 || bw->zero_points() >= n_tensors)
        return Invalid(where, "blockwise quantization zero points tensor %d is out of range",
                       bw->zero_points());
    }
  }
  return ValidateQuantization(where, t, shape);
}

Status ValidateSubgraph(const Ctx& c, int sg_index, const fb::SubGraph* sg) {
  const std::string where = "subgraph " + std::to_string(sg_index);
  if (sg == nullptr) return Invalid(where, "is null");
  const int32_t nt = sg->tensors() ? static_cast<int32_t>(sg->tensors()->size()) : 0;
  for (int32_t t = 0; t < nt; ++t) EDGELITE_RETURN_IF_ERROR(ValidateTensor(c, sg_index, sg, t));

  const auto* buffers = c.model->buffers();
  auto has_data = [&](int32_t t) {
    const fb::Tensor* tensor = sg->tensors()->Get(t);
    const uint32_t bi = tensor->buffer();
    if (buffers == nullptr || bi == 0 || bi >= buffers->size()) return false;
    const fb::Buffer* b = buffers->Get(bi);
    return b->offset() > 1 || (b->data() && b->data()->size() > 0);
  };

  // A tensor with a zero dimension holds no values: reading it is harmless
  // (converters emit such "constants" without data, e.g. empty shapes).
  auto is_empty = [&](int32_t t) {
    const auto* shp = sg->tensors()->Get(t)->shape();
    if (shp == nullptr) return false;
    for (int32_t d : *shp)
      if (d == 0) return true;
    return false;
  };
  // 0: undefined yet, 1: defined (input, constant, variable or produced).
  std::vector<uint8_t> defined(nt, 0);
  for (int32_t t = 0; t < nt; ++t)
    if (has_data(t) || sg->tensors()->Get(t)->is_variable() || is_empty(t)) defined[t] = 1;
  auto check_list = [&](const flatbuffers::Vector<int32_t>* v, const char* what) -> Status {
    if (v == nullptr) return Status::Ok();
    for (uint32_t i = 0; i < v->size(); ++i) {
      const int32_t t = v->Get(i);
      if (t < 0 || t >= nt)
        return Invalid(where, "%s %u refers to tensor %d, but the subgraph has %d tensors", what,
                       i, t, nt);
    }
    return Status::Ok();
  };
  EDGELITE_RETURN_IF_ERROR(check_list(sg->inputs(), "input"));
  EDGELITE_RETURN_IF_ERROR(check_list(sg->outputs(), "output"));
  if (sg->inputs())
    for (int32_t t : *sg->inputs()) defined[t] = 1;

  const auto* ops = sg->operators();
  const uint32_t nops = ops ? ops->size() : 0;
  for (uint32_t oi = 0; oi < nops; ++oi) {
    const fb::Operator* op = ops->Get(oi);
    if (op == nullptr) return Invalid(where + ", operator " + std::to_string(oi), "is null");
    if (op->opcode_index() >= c.op_codes.size())
      return Invalid(where + ", operator " + std::to_string(oi),
                     "uses opcode index %u, but the model has %zu operator codes",
                     op->opcode_index(), c.op_codes.size());
    const std::string ow = OpLabel(c, sg_index, static_cast<int>(oi), op);
    if (op->inputs()) {
      for (uint32_t i = 0; i < op->inputs()->size(); ++i) {
        const int32_t t = op->inputs()->Get(i);
        if (t == kOptionalTensor) continue;
        if (t < 0 || t >= nt)
          return Invalid(ow, "input %u refers to tensor %d, but the subgraph has %d tensors", i, t,
                         nt);
        if (!defined[t])
          return Invalid(ow,
                         "input %u (%s) is used before any operator produces it (graph out of "
                         "order or cyclic)",
                         i, TensorLabel(sg, t).c_str());
      }
    }
    if (op->outputs()) {
      for (uint32_t i = 0; i < op->outputs()->size(); ++i) {
        const int32_t t = op->outputs()->Get(i);
        if (t == kOptionalTensor) continue;
        if (t < 0 || t >= nt)
          return Invalid(ow, "output %u refers to tensor %d, but the subgraph has %d tensors", i,
                         t, nt);
        if (has_data(t))
          return Invalid(ow, "output %u (%s) is a constant tensor", i, TensorLabel(sg, t).c_str());
        defined[t] = 1;
      }
    }
    if (op->intermediates()) {
      for (uint32_t i = 0; i < op->intermediates()->size(); ++i) {
        const int32_t t = op->intermediates()->Get(i);
        if (t < 0 || t >= nt)
          return Invalid(ow, "intermediate %u refers to tensor %d, but the subgraph has %d tensors",
                         i, t, nt);
      }
    }
  }
  return Status::Ok();
}

Status ValidateSignatures(const Ctx& c) {
  const auto* sigs = c.model->signature_defs();
  if (sigs == nullptr) return Status::Ok();
  const uint32_t nsg = c.model->subgraphs() ? c.model->subgraphs()->size() : 0;
  for (uint32_t i = 0; i < sigs->size(); ++i) {
    const fb::SignatureDef* s = sigs->Get(i);
    const std::string where = "signature def " + std::to_string(i);
    if (s == nullptr) return Invalid(where, "is null");
    if (s->subgraph_index() >= nsg)
      return Invalid(where, "refers to subgraph %u, but the model has %u", s->subgraph_index(),
                     nsg);
    const fb::SubGraph* sg = c.model->subgraphs()->Get(s->subgraph_index());
    const uint32_t nt = sg && sg->tensors() ? sg->tensors()->size() : 0;
    for (const auto* list : {s->inputs(), s->outputs()}) {
      if (list == nullptr) continue;
      for (uint32_t k = 0; k < list->size(); ++k) {
        const fb::TensorMap* m = list->Get(k);
        if (m == nullptr || m->tensor_index() >= nt)
          return Invalid(where, "maps a name to tensor %u, outside subgraph %u's %u tensors",
                         m ? m->tensor_index() : 0, s->subgraph_index(), nt);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateModel(const fb::Model* model, const uint8_t* base, size_t size,
                     const ModelLimits& limits) {
  if (model == nullptr) return Status::Error(StatusCode::kInvalidModel, "model is null");
  constexpr uint32_t kSchemaVersion = 3;
  if (model->version() > kSchemaVersion)
    return Status::Error(StatusCode::kInvalidModel,
                         "schema version %u is newer than the supported version %u",
                         model->version(), kSchemaVersion);
  Ctx c{model, base, size, limits, {}};
  EDGELITE_RETURN_IF_ERROR(ValidateBuffers(c));
  EDGELITE_RETURN_IF_ERROR(ValidateOpCodes(c));
  const auto* sgs = model->subgraphs();
  if (sgs)
    for (uint32_t i = 0; i < sgs->size(); ++i)
      EDGELITE_RETURN_IF_ERROR(ValidateSubgraph(c, static_cast<int>(i), sgs->Get(i)));
  return ValidateSignatures(c);
}

}  // namespace edgelite
