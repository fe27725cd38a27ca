// A small persistent thread pool for kernels (one per Interpreter, created when
// InterpreterOptions::num_threads > 1).
//
// Contract:
// - Run(n, fn, user) calls fn(user, task, worker) exactly once for every task in [0, n) and
//   returns when all calls have returned. `worker` is in [0, num_threads()): 0 is the calling
//   thread, which always takes part; two calls with the same worker never overlap, so a kernel
//   may give each worker its own scratch slice. Tasks are handed out dynamically (an atomic
//   counter), so tasks of uneven cost balance themselves; which worker runs which task is not
//   deterministic, so a task's result must not depend on `worker`.
// - Run is called from one thread at a time (the interpreter's; an Interpreter is not
//   thread-safe). Tasks must not call Run (or ParallelFor) themselves; as a safety net such a
//   nested call runs its tasks inline, reporting worker 0.
// - Workers are created in Create and joined in the destructor; between jobs they spin briefly
//   (consecutive layers follow each other within microseconds) and then sleep on a condition
//   variable, so an idle interpreter costs no CPU.
// - Run waits for the tasks, not for the workers: a worker that is asleep or not scheduled (the
//   other cores busy) when a job opens simply takes no part in it, and the calling thread runs
//   the tasks, so threads never make a small job slower than running it alone by more than the
//   cost of opening it.
// - Built without threads (CMake EDGELITE_THREADS=OFF, e.g. the micro profile), Create returns
//   nullptr and OpContext::ParallelFor runs every task inline on worker 0.
#ifndef EDGELITE_RUNTIME_THREAD_POOL_H_
#define EDGELITE_RUNTIME_THREAD_POOL_H_

#include <cstdint>
#include <memory>

#include "edgelite/op.h"

namespace edgelite {

class ThreadPool {
 public:
  // nullptr when num_threads <= 1, when the build has no threads, or on failure to start them
  // (the caller then runs single-threaded).
  static std::unique_ptr<ThreadPool> Create(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return num_threads_; }
  void Run(int32_t n_tasks, ParallelTaskFn fn, void* user);

  struct Impl;

 private:
  explicit ThreadPool(int num_threads);
  int num_threads_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgelite

#endif  // EDGELITE_RUNTIME_THREAD_POOL_H_
