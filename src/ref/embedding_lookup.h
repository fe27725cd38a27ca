// Reference EMBEDDING_LOOKUP: out[i] = table[ids[i]] (whole rows copied).
#ifndef EDGELITE_REF_EMBEDDING_LOOKUP_H_
#define EDGELITE_REF_EMBEDDING_LOOKUP_H_

#include <cstdint>
#include <cstring>

namespace edgelite {
namespace ref {

// table [rows, row_bytes], ids [count] each in [0, rows), out [count, row_bytes].
inline void EmbeddingLookup(const uint8_t* table, size_t row_bytes, const int32_t* ids,
                            int64_t count, uint8_t* out) {
  for (int64_t i = 0; i < count; ++i)
    memcpy(out + i * row_bytes, table + static_cast<size_t>(ids[i]) * row_bytes, row_bytes);
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_EMBEDDING_LOOKUP_H_
