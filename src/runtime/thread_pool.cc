#include "src/runtime/thread_pool.h"

#if EDGELITE_THREADS
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace edgelite {

#if EDGELITE_THREADS

struct ThreadPool::Impl {
  std::vector<std::thread> threads;
  std::mutex mu;
  std::condition_variable wake;  // workers wait here for a new generation
  std::condition_variable done;  // the caller waits here for the last worker
  std::atomic<uint64_t> generation{0};
  bool stop = false;  // guarded by mu
  std::atomic<bool> in_run{false};  // a task calling Run again gets an inline loop
  // The current job; written by the caller before generation is bumped.
  ParallelTaskFn fn = nullptr;
  void* user = nullptr;
  int32_t n_tasks = 0;
  std::atomic<int32_t> next{0};
  std::atomic<int32_t> busy{0};  // workers (not counting the caller) still in this job

  void Drain(int32_t worker) {
    for (;;) {
      const int32_t t = next.fetch_add(1, std::memory_order_relaxed);
      if (t >= n_tasks) return;
      fn(user, t, worker);
    }
  }

  void WorkerLoop(int32_t worker) {
    uint64_t seen = 0;
    for (;;) {
      // Spin a little: the next layer's job usually arrives within microseconds.
      constexpr auto kSpin = std::chrono::microseconds(50);
      const auto start = std::chrono::steady_clock::now();
      uint32_t polls = 0;
      while (generation.load(std::memory_order_acquire) == seen) {
        if ((++polls & 255) == 0 && std::chrono::steady_clock::now() - start > kSpin) {
          std::unique_lock<std::mutex> lock(mu);
          wake.wait(lock, [&] {
            return stop || generation.load(std::memory_order_acquire) != seen;
          });
          if (stop) return;
          break;
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stop) return;
      }
      seen = generation.load(std::memory_order_acquire);
      Drain(worker);
      if (busy.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mu);
        done.notify_one();
      }
    }
  }
};

ThreadPool::ThreadPool(int num_threads) : num_threads_(num_threads), impl_(new Impl) {}

std::unique_ptr<ThreadPool> ThreadPool::Create(int num_threads) {
  if (num_threads <= 1) return nullptr;
  std::unique_ptr<ThreadPool> pool(new (std::nothrow) ThreadPool(num_threads));
  if (!pool || !pool->impl_) return nullptr;
  Impl* impl = pool->impl_.get();
  impl->threads.reserve(static_cast<size_t>(num_threads - 1));
  for (int32_t w = 1; w < num_threads; ++w)
    impl->threads.emplace_back([impl, w] { impl->WorkerLoop(w); });
  return pool;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->wake.notify_all();
  for (auto& t : impl_->threads) t.join();
}

void ThreadPool::Run(int32_t n_tasks, ParallelTaskFn fn, void* user) {
  Impl& s = *impl_;
  if (n_tasks <= 1 || s.in_run.load(std::memory_order_relaxed)) {
    for (int32_t t = 0; t < n_tasks; ++t) fn(user, t, 0);
    return;
  }
  s.in_run.store(true, std::memory_order_relaxed);
  const int32_t workers = static_cast<int32_t>(s.threads.size());
  s.fn = fn;
  s.user = user;
  s.n_tasks = n_tasks;
  s.next.store(0, std::memory_order_relaxed);
  s.busy.store(workers, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.generation.fetch_add(1, std::memory_order_release);
  }
  s.wake.notify_all();
  s.Drain(0);
  // Wait for the workers: spin first (they finish their last task about when we do).
  const auto start = std::chrono::steady_clock::now();
  uint32_t polls = 0;
  while (s.busy.load(std::memory_order_acquire) != 0) {
    if ((++polls & 255) == 0 &&
        std::chrono::steady_clock::now() - start > std::chrono::microseconds(50)) {
      std::unique_lock<std::mutex> lock(s.mu);
      s.done.wait(lock, [&] { return s.busy.load(std::memory_order_acquire) == 0; });
      break;
    }
  }
  s.in_run.store(false, std::memory_order_relaxed);
}

#else  // !EDGELITE_THREADS

struct ThreadPool::Impl {};
ThreadPool::ThreadPool(int num_threads) : num_threads_(num_threads) {}
ThreadPool::~ThreadPool() = default;
std::unique_ptr<ThreadPool> ThreadPool::Create(int) { return nullptr; }
void ThreadPool::Run(int32_t n_tasks, ParallelTaskFn fn, void* user) {
  for (int32_t t = 0; t < n_tasks; ++t) fn(user, t, 0);
}

#endif  // EDGELITE_THREADS

}  // namespace edgelite
