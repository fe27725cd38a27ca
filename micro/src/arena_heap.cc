// ArenaHeap and the replacement allocation functions of the micro profile (see arena_heap.h).
#include "edgelite/micro/arena_heap.h"

#include <cstring>
#include <new>

#include "edgelite/micro/micro_log.h"
#include "micro/platform/platform.h"

namespace edgelite {
namespace micro {

namespace {
constexpr uint32_t kFreeBit = 0x80000000u;
constexpr uint32_t kNone = UINT32_MAX;
}  // namespace

struct ArenaHeap::Header {
  uint32_t payload;  // bytes, a multiple of kAlignment; bit 31: freed, not yet reclaimed
  uint32_t prev;     // offset of the previous block's header, kNone for the first
};
static_assert(sizeof(uint32_t) * 2 == ArenaHeap::kHeaderBytes, "header size");
ArenaHeap::ArenaHeap(uint8_t* base, size_t size) {
  // Align the base; the usable size shrinks accordingly.
  const uintptr_t mis = reinterpret_cast<uintptr_t>(base) % kAlignment;
  const size_t skip = mis ? kAlignment - mis : 0;
  base_ = base + (size >= skip ? skip : size);
  size_ = size >= skip ? size - skip : 0;
  if (size_ > 0x7fffffffu) size_ = 0x7fffffffu;
}

void ArenaHeap::Reset() {
  top_ = 0;
  last_ = kNone;
}

void* ArenaHeap::Allocate(size_t bytes) {
  const size_t need = BlockBytes(bytes);
  if (bytes > size_ || need > size_ - top_) {
    if (first_failure_need_ == 0) {
      first_failure_need_ = top_ + need;
      first_failure_request_ = bytes;
    }
    return nullptr;
  }
  Header* h = reinterpret_cast<Header*>(base_ + top_);
  h->payload = static_cast<uint32_t>(need - kHeaderBytes);
  h->prev = last_;
  last_ = static_cast<uint32_t>(top_);
  top_ += need;
  if (top_ > high_water_) high_water_ = top_;
  return h + 1;
}

void ArenaHeap::Free(void* p) {
  if (p == nullptr) return;
  Header* h = static_cast<Header*>(p) - 1;
  const uint32_t off = static_cast<uint32_t>(reinterpret_cast<uint8_t*>(h) - base_);
  if (off == last_) {  // the top block: give it back, then any freed blocks below it
    top_ = off;
    last_ = h->prev;
    // Blocks below that were freed earlier are marked; pop them too.
    while (last_ != kNone) {
      Header* below = reinterpret_cast<Header*>(base_ + last_);
      if (below->payload & kFreeBit) {
        top_ = last_;
        last_ = below->prev;
      } else {
        break;
      }
    }
    if (last_ == kNone) top_ = 0;
  } else {
    h->payload |= kFreeBit;  // reclaimed when the blocks above it are gone
  }
}

void* ArenaHeap::Reallocate(void* p, size_t bytes) {
  if (p == nullptr) return Allocate(bytes);
  Header* h = static_cast<Header*>(p) - 1;
  const size_t old = h->payload & ~kFreeBit;
  const uint32_t off = static_cast<uint32_t>(reinterpret_cast<uint8_t*>(h) - base_);
  const size_t need = BlockBytes(bytes);
  if (off == last_ && bytes <= size_ && need <= size_ - off) {  // the top block: in place
    h->payload = static_cast<uint32_t>(need - kHeaderBytes);
    top_ = off + need;
    if (top_ > high_water_) high_water_ = top_;
    return p;
  }
  if (bytes <= old) return p;
  void* q = Allocate(bytes);
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, old);
  Free(p);
  return q;
}

namespace {
ArenaHeap* g_heap = nullptr;
std::jmp_buf* g_recover = nullptr;

void* AllocOrNull(size_t bytes) {
  if (g_heap == nullptr)
    edgelite_micro_panic("heap allocation outside a MicroInterpreter call (no arena active)");
  return g_heap->Allocate(bytes == 0 ? 1 : bytes);
}

void* AllocOrRecover(size_t bytes) {
  void* p = AllocOrNull(bytes);
  if (p != nullptr) return p;
  if (g_recover != nullptr) std::longjmp(*g_recover, 1);
  edgelite_micro_panic("arena exhausted with no recovery point");
}
}  // namespace

ArenaScope::ArenaScope(ArenaHeap* heap, std::jmp_buf* recover) {
  g_heap = heap;
  g_recover = recover;
}
ArenaScope::~ArenaScope() {
  g_heap = nullptr;
  g_recover = nullptr;
}
ArenaHeap* ActiveArenaHeap() { return g_heap; }

}  // namespace micro
}  // namespace edgelite

using edgelite::micro::AllocOrNull;
using edgelite::micro::AllocOrRecover;
using edgelite::micro::g_heap;

// ---- the C allocation functions (newlib and libstdc++ call these) ----------------------------
extern "C" {
void* malloc(size_t n) { return AllocOrNull(n); }
void free(void* p) {
  if (p != nullptr && g_heap != nullptr) g_heap->Free(p);
}
void* calloc(size_t n, size_t size) {
  if (size != 0 && n > SIZE_MAX / size) return nullptr;
  void* p = AllocOrNull(n * size);
  if (p != nullptr) std::memset(p, 0, n * size);
  return p;
}
void* realloc(void* p, size_t n) {
  if (g_heap == nullptr) edgelite_micro_panic("realloc outside a MicroInterpreter call");
  return g_heap->Reallocate(p, n == 0 ? 1 : n);
}
struct _reent;
void* _malloc_r(struct _reent*, size_t n) { return malloc(n); }
void _free_r(struct _reent*, void* p) { free(p); }
void* _calloc_r(struct _reent*, size_t n, size_t s) { return calloc(n, s); }
void* _realloc_r(struct _reent*, void* p, size_t n) { return realloc(p, n); }
}

// ---- operator new/delete: throwing forms recover to the scope, nothrow forms return null ----
void* operator new(size_t n) { return AllocOrRecover(n); }
void* operator new[](size_t n) { return AllocOrRecover(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return AllocOrNull(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return AllocOrNull(n); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { free(p); }

// Over-aligned types (alignas > 8): over-allocate, keep the block's address just below the
// aligned pointer.
namespace {
void* AllocAligned(size_t n, size_t align, bool recover) {
  if (align <= edgelite::micro::ArenaHeap::kAlignment) return recover ? AllocOrRecover(n) : AllocOrNull(n);
  const size_t total = n + align + sizeof(void*);
  void* raw = recover ? AllocOrRecover(total) : AllocOrNull(total);
  if (raw == nullptr) return nullptr;
  uintptr_t p = reinterpret_cast<uintptr_t>(raw) + sizeof(void*);
  p = (p + align - 1) & ~(static_cast<uintptr_t>(align) - 1);
  reinterpret_cast<void**>(p)[-1] = raw;
  return reinterpret_cast<void*>(p);
}
void FreeAligned(void* p, size_t align) {
  if (p == nullptr) return;
  if (align <= edgelite::micro::ArenaHeap::kAlignment) return free(p);
  free(static_cast<void**>(p)[-1]);
}
}  // namespace
void* operator new(size_t n, std::align_val_t a) { return AllocAligned(n, static_cast<size_t>(a), true); }
void* operator new[](size_t n, std::align_val_t a) { return AllocAligned(n, static_cast<size_t>(a), true); }
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return AllocAligned(n, static_cast<size_t>(a), false);
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return AllocAligned(n, static_cast<size_t>(a), false);
}
void operator delete(void* p, std::align_val_t a) noexcept { FreeAligned(p, static_cast<size_t>(a)); }
void operator delete[](void* p, std::align_val_t a) noexcept { FreeAligned(p, static_cast<size_t>(a)); }
void operator delete(void* p, size_t, std::align_val_t a) noexcept { FreeAligned(p, static_cast<size_t>(a)); }
void operator delete[](void* p, size_t, std::align_val_t a) noexcept { FreeAligned(p, static_cast<size_t>(a)); }
