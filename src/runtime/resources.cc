#include "src/runtime/resources.h"

#include <cstring>
#include <new>

namespace edgelite {

int32_t ResourceStore::HandleId(const char* container, const char* shared_name) {
  // '\0' cannot occur inside either name, so the key is unambiguous.
  std::string key = container ? container : "";
  key.push_back('\0');
  key += shared_name ? shared_name : "";
  auto it = ids_.find(key);
  if (it != ids_.end()) return it->second;
  const int32_t id = static_cast<int32_t>(variables_.size());
  variables_.emplace_back(new (std::nothrow) Variable());
  ids_.emplace(std::move(key), id);
  return id;
}

ResourceStore::Variable* ResourceStore::Find(int32_t id) {
  if (id < 0 || static_cast<size_t>(id) >= variables_.size()) return nullptr;
  return variables_[id].get();
}

Status ResourceStore::Reserve(int32_t id, size_t bytes) {
  Variable* v = Find(id);
  if (v == nullptr)
    return Status::Error(StatusCode::kInternal, "resource variable %d does not exist", id);
  if (bytes <= v->capacity && v->data) return Status::Ok();
  std::unique_ptr<uint8_t[]> mem(new (std::nothrow) uint8_t[bytes ? bytes : 1]);
  if (!mem)
    return Status::Error(StatusCode::kResourceExhausted,
                         "cannot allocate %zu bytes for resource variable %d", bytes, id);
  if (v->assigned && v->bytes > 0) memcpy(mem.get(), v->data.get(), v->bytes);
  v->data = std::move(mem);
  v->capacity = bytes;
  return Status::Ok();
}

Status ResourceStore::Assign(int32_t id, const Tensor& value) {
  Variable* v = Find(id);
  if (v == nullptr)
    return Status::Error(StatusCode::kInternal, "resource variable %d does not exist", id);
  EDGELITE_RETURN_IF_ERROR(Reserve(id, value.bytes));
  if (value.bytes > 0) memcpy(v->data.get(), value.data, value.bytes);
  v->type = value.type;
  v->shape = value.shape;
  v->bytes = value.bytes;
  v->assigned = true;
  return Status::Ok();
}

bool ResourceStore::initialized(int subgraph) const {
  return subgraph >= 0 && static_cast<size_t>(subgraph) < initialized_.size() &&
         initialized_[subgraph] != 0;
}

void ResourceStore::MarkInitialized(int subgraph) {
  if (subgraph >= 0 && static_cast<size_t>(subgraph) < initialized_.size())
    initialized_[subgraph] = 1;
}

}  // namespace edgelite
