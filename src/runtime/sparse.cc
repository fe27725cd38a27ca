#include "src/runtime/sparse.h"

#include "edgelite/op_resolver.h"

#include <cstdio>
#include <cstring>

namespace edgelite {
namespace {

constexpr int kMaxLevels = 2 * kMaxRank;

// One SparseIndexVector (int32, uint16 or uint8 values).
struct IndexVector {
  const int32_t* i32 = nullptr;
  const uint16_t* u16 = nullptr;
  const uint8_t* u8 = nullptr;
  int64_t size = 0;
  int64_t operator[](int64_t i) const {
    return i32 ? i32[i] : u16 ? static_cast<int64_t>(u16[i]) : static_cast<int64_t>(u8[i]);
  }
};

bool ReadIndexVector(fb::SparseIndexVector type, const void* v, IndexVector* out) {
  if (v == nullptr) return false;
  switch (type) {
    case fb::SparseIndexVector::Int32Vector: {
      const auto* t = static_cast<const fb::Int32Vector*>(v);
      if (!t->values()) return false;
      out->i32 = t->values()->data();
      out->size = t->values()->size();
      return true;
    }
    case fb::SparseIndexVector::Uint16Vector: {
      const auto* t = static_cast<const fb::Uint16Vector*>(v);
      if (!t->values()) return false;
      out->u16 = t->values()->data();
      out->size = t->values()->size();
      return true;
    }
    case fb::SparseIndexVector::Uint8Vector: {
      const auto* t = static_cast<const fb::Uint8Vector*>(v);
      if (!t->values()) return false;
      out->u8 = t->values()->data();
      out->size = t->values()->size();
      return true;
    }
    default:
      return false;
  }
}

struct Plan {
  int rank = 0, levels = 0;
  int32_t order[kMaxLevels] = {};   // traversal order
  int32_t level_size[kMaxLevels] = {};
  bool sparse[kMaxLevels] = {};
  IndexVector segments[kMaxLevels], indices[kMaxLevels];
  int32_t block_dim[kMaxRank] = {};   // block k -> dense dim
  int32_t block_size[kMaxRank] = {};  // block k's size
  Shape shape;
  size_t elem = 0;
  const uint8_t* src = nullptr;
  uint8_t* dst = nullptr;
};

// Walks level `l` below position `pos`; `idx` holds the index chosen at each
// level; *next is the next stored value.
void Populate(const Plan& p, int l, int64_t pos, int64_t* idx, int64_t* next) {
  if (l == p.levels) {
    int64_t coord[kMaxRank] = {};
    for (int i = 0; i < p.rank; ++i) coord[p.order[i]] = idx[i];
    for (int i = p.rank; i < p.levels; ++i) {
      const int k = p.order[i] - p.rank;
      const int d = p.block_dim[k];
      coord[d] = coord[d] * p.block_size[k] + idx[i];
    }
    int64_t flat = 0;
    for (int d = 0; d < p.rank; ++d) flat = flat * p.shape.dims[d] + coord[d];
    memcpy(p.dst + flat * p.elem, p.src + *next * p.elem, p.elem);
    ++*next;
    return;
  }
  if (!p.sparse[l]) {
    for (int64_t i = 0; i < p.level_size[l]; ++i) {
      idx[l] = i;
      Populate(p, l + 1, pos * p.level_size[l] + i, idx, next);
    }
    return;
  }
  for (int64_t i = p.segments[l][pos]; i < p.segments[l][pos + 1]; ++i) {
    idx[l] = p.indices[l][i];
    Populate(p, l + 1, i, idx, next);
  }
}

}  // namespace

Status DensifySparseTensor(const fb::SparsityParameters* sp, const Shape& shape, size_t elem_size,
                           const uint8_t* src, size_t src_bytes, uint8_t* dst, const char* what) {
  auto bad = [what](const char* why, long long a = 0, long long b = 0) {
    char msg[160];
    snprintf(msg, sizeof(msg), why, a, b);
    return Status::Error(StatusCode::kInvalidModel, "sparse tensor '%s': %s", what, msg);
  };
  Plan p;
  p.rank = shape.rank;
  p.shape = shape;
  p.elem = elem_size;
  p.src = src;
  p.dst = dst;
  const auto* order = sp->traversal_order();
  const auto* meta = sp->dim_metadata();
  if (order == nullptr || meta == nullptr) return bad("traversal_order or dim_metadata missing");
  p.levels = static_cast<int>(order->size());
  const int blocks = p.levels - p.rank;
  if (p.rank < 1 || blocks < 0 || blocks > p.rank)
    return bad("traversal_order has %lld entries for a rank-%lld tensor",
               static_cast<long long>(order->size()), p.rank);
  if (static_cast<int>(meta->size()) != p.levels)
    return bad("dim_metadata has %lld entries; traversal_order has %lld", meta->size(), p.levels);
  const auto* block_map = sp->block_map();
  const int n_map = block_map ? static_cast<int>(block_map->size()) : 0;
  if (n_map != blocks) return bad("block_map has %lld entries; expected %lld", n_map, blocks);
  bool seen[kMaxLevels] = {};
  for (int l = 0; l < p.levels; ++l) {
    const int32_t d = order->Get(l);
    const bool ok = l < p.rank ? (d >= 0 && d < p.rank) : (d >= p.rank && d < p.levels);
    if (!ok || seen[d]) return bad("traversal_order entry %lld (%lld) is not a valid permutation", l, d);
    seen[d] = true;
    p.order[l] = d;
  }
  int32_t blocked[kMaxRank];
  for (int d = 0; d < p.rank; ++d) {
    if (shape.dims[d] <= 0) return bad("dense dimension %lld is %lld", d, shape.dims[d]);
    blocked[d] = shape.dims[d];
  }
  bool mapped[kMaxRank] = {};
  for (int k = 0; k < blocks; ++k) {
    const int32_t d = block_map->Get(k);
    if (d < 0 || d >= p.rank || mapped[d]) return bad("block_map entry %lld (%lld) is invalid", k, d);
    mapped[d] = true;
    // As TFLite: block k's size is the dense size of metadata entry rank + k.
    const fb::DimensionMetadata* m = meta->Get(p.rank + k);
    if (m == nullptr || m->format() != fb::DimensionType::DENSE || m->dense_size() <= 0 ||
        shape.dims[d] % m->dense_size() != 0)
      return bad("block %lld must be a DENSE level whose size divides dense dimension %lld", k, d);
    p.block_dim[k] = d;
    p.block_size[k] = m->dense_size();
    blocked[d] /= m->dense_size();
  }
  const int64_t dense_elements = shape.NumElements();
  int64_t positions = 1;  // positions at the current level
  for (int l = 0; l < p.levels; ++l) {
    const fb::DimensionMetadata* m = meta->Get(l);
    if (m == nullptr) return bad("dim_metadata entry %lld is missing", l);
    const int32_t d = p.order[l];
    const int32_t size = d < p.rank ? blocked[d] : p.block_size[d - p.rank];
    p.level_size[l] = size;
    if (m->format() == fb::DimensionType::DENSE) {
      if (m->dense_size() != size)
        return bad("level %lld is DENSE with size %lld", l, m->dense_size());
      positions *= size;
    } else if (m->format() == fb::DimensionType::SPARSE_CSR) {
      p.sparse[l] = true;
      if (!ReadIndexVector(m->array_segments_type(), m->array_segments(), &p.segments[l]) ||
          !ReadIndexVector(m->array_indices_type(), m->array_indices(), &p.indices[l]))
        return bad("level %lld is SPARSE_CSR without segments or indices", l);
      const IndexVector& seg = p.segments[l];
      const IndexVector& ind = p.indices[l];
      if (seg.size != positions + 1)
        return bad("level %lld has %lld segment entries", l, seg.size);
      if (seg[0] != 0) return bad("level %lld segments start at %lld", l, seg[0]);
      for (int64_t i = 0; i < positions; ++i)
        if (seg[i + 1] < seg[i] || seg[i + 1] > ind.size)
          return bad("level %lld segment %lld is out of order or past the indices", l, i);
      for (int64_t i = 0; i < seg[positions]; ++i)
        if (ind[i] < 0 || ind[i] >= size)
          return bad("level %lld index %lld is out of range", l, ind[i]);
      positions = seg[positions];
    } else {
      return bad("level %lld has an unknown format", l);
    }
    if (positions > dense_elements)
      return bad("level %lld addresses %lld positions, more than the dense tensor", l, positions);
  }
  if (static_cast<size_t>(positions) * elem_size != src_bytes)
    return bad("the buffer holds %lld bytes; the sparse structure needs %lld",
               static_cast<long long>(src_bytes),
               static_cast<long long>(positions * static_cast<int64_t>(elem_size)));
  memset(dst, 0, static_cast<size_t>(dense_elements) * elem_size);
  int64_t idx[kMaxLevels] = {};
  int64_t next = 0;
  Populate(p, 0, 0, idx, &next);
  return Status::Ok();
}

Status DensifySparse(const void* sparsity, const Shape& shape, size_t elem_size,
                     const uint8_t* src, size_t src_bytes, uint8_t* dst, const char* what) {
  return DensifySparseTensor(static_cast<const fb::SparsityParameters*>(sparsity), shape,
                             elem_size, src, src_bytes, dst, what);
}

}  // namespace edgelite
