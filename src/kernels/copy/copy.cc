#include "src/kernels/copy/copy.h"

#include <cstring>

namespace edgelite {
namespace kernels {
namespace copy {
namespace {

// Fills `n` elements of `elem` bytes with `value`.
void Fill(uint8_t* dst, int64_t n, size_t elem, const uint8_t* value) {
  if (n <= 0) return;
  bool same = true;
  for (size_t i = 1; i < elem; ++i) same = same && value[i] == value[0];
  const size_t bytes = static_cast<size_t>(n) * elem;
  if (same) {
    std::memset(dst, value[0], bytes);
    return;
  }
  std::memcpy(dst, value, elem);
  // Doubling copies of the already filled prefix.
  size_t done = elem;
  while (done < bytes) {
    const size_t step = done < bytes - done ? done : bytes - done;
    std::memcpy(dst + done, dst, step);
    done += step;
  }
}

struct PadPlan {
  int rank;               // after merging the unpadded inner dimensions into one element
  int64_t in_dim[kMaxRank], out_dim[kMaxRank], before[kMaxRank];
  int64_t in_inner[kMaxRank], out_inner[kMaxRank];  // elements per step along d
  size_t elem;            // bytes of a merged element
  size_t base_elem;       // bytes of an original element (the pad value)
  const uint8_t* value;
};

void PadDim(const PadPlan& p, int d, const uint8_t* src, uint8_t* dst) {
  const int64_t before = p.before[d], n = p.in_dim[d];
  const int64_t after = p.out_dim[d] - before - n;
  const int64_t oi = p.out_inner[d];
  const int64_t unit = static_cast<int64_t>(p.elem / p.base_elem);  // base elements per element
  Fill(dst, before * oi * unit, p.base_elem, p.value);
  uint8_t* body = dst + before * oi * static_cast<int64_t>(p.elem);
  if (d == p.rank - 1) {
    std::memcpy(body, src, static_cast<size_t>(n) * p.elem);
  } else {
    const int64_t ii = p.in_inner[d];
    for (int64_t i = 0; i < n; ++i)
      PadDim(p, d + 1, src + i * ii * static_cast<int64_t>(p.elem),
             body + i * oi * static_cast<int64_t>(p.elem));
  }
  Fill(body + n * oi * static_cast<int64_t>(p.elem), after * oi * unit, p.base_elem, p.value);
}

}  // namespace

void PadConstant(const Shape& in_shape, const uint8_t* input, const Shape& out_shape,
                 uint8_t* output, const int32_t* pad_before, size_t elem,
                 const uint8_t* pad_value) {
  const int64_t total = out_shape.NumElements();
  if (total == 0) return;
  PadPlan p;
  p.base_elem = elem;
  p.value = pad_value;
  if (in_shape.NumElements() == 0) {
    Fill(output, total, elem, pad_value);
    return;
  }
  // Merge trailing unpadded dimensions into the element.
  int rank = out_shape.rank;
  size_t merged = elem;
  while (rank > 1 && out_shape[rank - 1] == in_shape[rank - 1]) {
    merged *= static_cast<size_t>(in_shape[rank - 1]);
    --rank;
  }
  if (rank == 1 && out_shape.rank >= 1 && out_shape[0] == in_shape[0]) {
    // Nothing padded at all.
    std::memcpy(output, input, merged * static_cast<size_t>(in_shape[0]));
    return;
  }
  if (out_shape.rank == 0) {
    std::memcpy(output, input, elem);
    return;
  }
  p.rank = rank;
  p.elem = merged;
  for (int d = 0; d < rank; ++d) {
    p.in_dim[d] = in_shape[d];
    p.out_dim[d] = out_shape[d];
    p.before[d] = pad_before[d];
  }
  int64_t ii = 1, oi = 1;
  for (int d = rank - 1; d >= 0; --d) {
    p.in_inner[d] = ii;
    p.out_inner[d] = oi;
    ii *= p.in_dim[d];
    oi *= p.out_dim[d];
  }
  PadDim(p, 0, input, output);
}

namespace {

template <typename T>
void GatherRun(const uint8_t* src, int64_t step, int64_t n, uint8_t* dst) {
  for (int64_t i = 0; i < n; ++i, src += step, dst += sizeof(T)) {
    T v;
    std::memcpy(&v, src, sizeof(T));
    std::memcpy(dst, &v, sizeof(T));
  }
}

struct Gather {
  int rank;
  int64_t dims[kMaxRank], steps[kMaxRank];  // steps in bytes
  size_t elem;
};

uint8_t* GatherDim(const Gather& g, int d, const uint8_t* src, uint8_t* dst) {
  const int64_t n = g.dims[d], step = g.steps[d];
  if (d == g.rank - 1) {
    switch (g.elem) {
      case 1: GatherRun<uint8_t>(src, step, n, dst); break;
      case 2: GatherRun<uint16_t>(src, step, n, dst); break;
      case 4: GatherRun<uint32_t>(src, step, n, dst); break;
      case 8: GatherRun<uint64_t>(src, step, n, dst); break;
      default:
        for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * static_cast<int64_t>(g.elem), src + i * step, g.elem);
        break;
    }
    return dst + n * static_cast<int64_t>(g.elem);
  }
  for (int64_t i = 0; i < n; ++i) dst = GatherDim(g, d + 1, src + i * step, dst);
  return dst;
}

// out (row-major over dims) = the elements at src + sum(idx[d] * steps[d]) (steps in elements).
// Size-1 dimensions are dropped, dimensions that continue each other merged, and a contiguous
// innermost dimension folded into the element (one memcpy per run).
void CopyStrided(const uint8_t* src, int rank, const int64_t* dims, const int64_t* steps,
                 uint8_t* dst, size_t elem) {
  Gather g;
  g.rank = 0;
  g.elem = elem;
  for (int d = 0; d < rank; ++d) {
    if (dims[d] == 0) return;
    if (dims[d] == 1) continue;
    g.dims[g.rank] = dims[d];
    g.steps[g.rank] = steps[d] * static_cast<int64_t>(elem);
    ++g.rank;
  }
  // Merge dimension d into d - 1 where stepping d - 1 once equals running through d.
  int w = 0;
  for (int d = 0; d < g.rank; ++d) {
    if (w > 0 && g.steps[w - 1] == g.steps[d] * g.dims[d]) {
      g.dims[w - 1] *= g.dims[d];
      g.steps[w - 1] = g.steps[d];
    } else {
      g.dims[w] = g.dims[d];
      g.steps[w] = g.steps[d];
      ++w;
    }
  }
  g.rank = w;
  if (g.rank > 0 && g.steps[g.rank - 1] == static_cast<int64_t>(g.elem)) {
    g.elem *= static_cast<size_t>(g.dims[g.rank - 1]);
    --g.rank;
  }
  if (g.rank == 0) {
    std::memcpy(dst, src, g.elem);
    return;
  }
  GatherDim(g, 0, src, dst);
}

}  // namespace

void StridedSlice(const uint8_t* input, const Shape& in_shape, const int32_t* start,
                  const int32_t* stride, const int32_t* count, uint8_t* output, size_t elem) {
  const int r = in_shape.rank;
  int64_t in_stride[kMaxRank], dims[kMaxRank], steps[kMaxRank];
  int64_t s = 1, offset = 0;
  for (int d = r - 1; d >= 0; --d) {
    in_stride[d] = s;
    s *= in_shape.dims[d];
  }
  for (int d = 0; d < r; ++d) {
    if (count[d] == 0) return;
    dims[d] = count[d];
    steps[d] = int64_t{stride[d]} * in_stride[d];
    offset += int64_t{start[d]} * in_stride[d];
  }
  CopyStrided(input + offset * static_cast<int64_t>(elem), r, dims, steps, output, elem);
}

void Transpose(const uint8_t* input, const Shape& in_shape, const int32_t* perm, uint8_t* output,
               size_t elem) {
  const int r = in_shape.rank;
  int64_t in_stride[kMaxRank], dims[kMaxRank], steps[kMaxRank];
  int64_t s = 1;
  for (int d = r - 1; d >= 0; --d) {
    in_stride[d] = s;
    s *= in_shape.dims[d];
  }
  for (int i = 0; i < r; ++i) {
    dims[i] = in_shape.dims[perm[i]];
    steps[i] = in_stride[perm[i]];
  }
  CopyStrided(input, r, dims, steps, output, elem);
}

}  // namespace copy
}  // namespace kernels
}  // namespace edgelite
