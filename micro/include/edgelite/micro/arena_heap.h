// The micro profile's only source of dynamic memory: the caller's arena.
//
// The runtime core is the desktop runtime's own source: its bookkeeping (tensor and node
// tables, shapes, op persistent data, the activation plan) uses std containers and new. In the
// micro profile every allocation function — malloc/calloc/realloc/free, newlib's reentrant
// _malloc_r family and every form of operator new/delete — is replaced (arena_heap.cc) by one
// that carves from the arena of the MicroInterpreter currently running (ArenaScope), so:
//   * the system heap is never linked: firmware contains no newlib malloc and no _sbrk (the
//     `no_system_heap` test checks each firmware with nm; a firmware that needs _sbrk does not
//     even link, as the platform provides none);
//   * everything the model needs (bookkeeping + activations + op persistent data + scratch)
//     lives in one caller-provided buffer, and its high-water mark is the exact arena size.
// The arena is a stack with lazy reclamation: blocks are carved upwards, each with an 8-byte
// header; a freed block is returned when it is (or becomes) the top one, and realloc of the top
// block grows in place (vector growth). Allocation outside an ArenaScope traps: no code in the
// firmware allocates behind the application's back.
//
// Arena exhausted: a nothrow allocation returns nullptr (the interpreter reports it as a
// Status); a throwing one (std containers) cannot return, so it jumps back to the ArenaScope's
// recovery point (setjmp/longjmp: the half-built interpreter lives only in the arena, which is
// discarded, so skipping its destructors leaks nothing). Either way the scope records the
// first failed request, from which the bytes needed are computed.
#ifndef EDGELITE_MICRO_ARENA_HEAP_H_
#define EDGELITE_MICRO_ARENA_HEAP_H_

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace edgelite {
namespace micro {

class ArenaHeap {
 public:
  static constexpr size_t kAlignment = 8;    // max_align_t on Arm EABI
  static constexpr size_t kHeaderBytes = 8;  // per block

  ArenaHeap(uint8_t* base, size_t size);

  void* Allocate(size_t bytes);  // nullptr when exhausted (recorded in failed_request())
  void Free(void* p);
  void* Reallocate(void* p, size_t bytes);
  void Reset();                  // forgets every block

  size_t capacity() const { return size_; }
  size_t used_bytes() const { return top_; }
  size_t high_water_bytes() const { return high_water_; }
  // Bytes the first failed request would have needed in total (used + its block); 0 if none.
  size_t first_failure_need() const { return first_failure_need_; }
  // Size of the first failed request (bytes asked for); 0 if none.
  size_t first_failure_request() const { return first_failure_request_; }

  // Block size (header + payload rounded to kAlignment) of a request of `bytes`.
  static size_t BlockBytes(size_t bytes) {
    return kHeaderBytes + ((bytes + kAlignment - 1) & ~(kAlignment - 1));
  }

 private:
  struct Header;
  void PopFreedTop();
  uint8_t* base_;
  size_t size_;
  size_t top_ = 0;
  uint32_t last_ = UINT32_MAX;  // offset of the top block's header, UINT32_MAX if none
  size_t high_water_ = 0;
  size_t first_failure_need_ = 0;
  size_t first_failure_request_ = 0;
};

// Makes `heap` the target of every allocation for the scope's lifetime. `recover` (may be
// null) is the setjmp buffer a throwing allocation jumps to when the heap is exhausted; with
// null such an allocation traps. Scopes do not nest.
class ArenaScope {
 public:
  ArenaScope(ArenaHeap* heap, std::jmp_buf* recover);
  ~ArenaScope();
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;
};

// The heap of the active scope, or nullptr.
ArenaHeap* ActiveArenaHeap();

}  // namespace micro
}  // namespace edgelite

#endif  // EDGELITE_MICRO_ARENA_HEAP_H_
