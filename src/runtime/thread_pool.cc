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

// Job protocol. `gen` is odd while a job is open and even between jobs. The caller writes the
// job (fn, user, n_tasks, counters) while gen is even and no worker is inside a job, opens it
// (gen odd), runs tasks itself, waits until every task has *completed*, closes it (gen even) and
// waits until no worker is *inside* it. A worker enters by incrementing `active` and then
// checking that gen is still the open value it woke for; only then does it read the job. So the
// caller never waits for a worker that has not joined: one that is asleep or descheduled (the
// other core busy with another process) costs nothing, the caller simply runs the tasks, and
// a late worker sees a changed gen and leaves without touching the job. (Sequentially consistent
// atomics on gen and active: either the caller's check sees the worker's increment, or the
// worker's check sees the close.)
struct ThreadPool::Impl {
  std::vector<std::thread> threads;
  std::mutex mu;
  std::condition_variable wake;  // sleeping workers wait here for an open job
  std::condition_variable done;  // the caller waits here (tasks completed, workers gone)
  std::atomic<uint64_t> gen{0};
  std::atomic<int32_t> active{0};  // workers inside the current job
  bool stop = false;                // guarded by mu
  int32_t sleepers = 0;             // guarded by mu: workers waiting on `wake`
  std::atomic<bool> in_run{false};  // a task calling Run again gets an inline loop
  // The current job; written by the caller before gen is made odd.
  ParallelTaskFn fn = nullptr;
  void* user = nullptr;
  int32_t n_tasks = 0;
  std::atomic<int32_t> next{0};
  std::atomic<int32_t> completed{0};

  void Drain(int32_t worker) {
    for (;;) {
      const int32_t t = next.fetch_add(1, std::memory_order_relaxed);
      if (t >= n_tasks) return;
      fn(user, t, worker);
      if (completed.fetch_add(1, std::memory_order_acq_rel) + 1 == n_tasks && worker != 0) {
        std::lock_guard<std::mutex> lock(mu);
        done.notify_one();
      }
    }
  }

  static bool Open(uint64_t g, uint64_t seen) { return (g & 1) != 0 && g != seen; }

  // Returns an open gen other than `seen`, or 0 when the pool stops.
  uint64_t WaitForJob(uint64_t seen) {
    // Spin a little: the next layer's job usually arrives within microseconds.
    constexpr auto kSpin = std::chrono::microseconds(100);
    const auto start = std::chrono::steady_clock::now();
    uint32_t polls = 0;
    for (;;) {
      const uint64_t g = gen.load(std::memory_order_acquire);
      if (Open(g, seen)) return g;
      if ((++polls & 255) == 0 && std::chrono::steady_clock::now() - start > kSpin) break;
    }
    std::unique_lock<std::mutex> lock(mu);
    ++sleepers;
    wake.wait(lock, [&] { return stop || Open(gen.load(std::memory_order_acquire), seen); });
    --sleepers;
    return stop ? 0 : gen.load(std::memory_order_acquire);
  }

  void WorkerLoop(int32_t worker) {
    uint64_t seen = 0;
    for (;;) {
      const uint64_t g = WaitForJob(seen);
      if (g == 0) return;
      seen = g;
      active.fetch_add(1);  // seq_cst: see the protocol above
      if (gen.load() == g) Drain(worker);
      if (active.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mu);
        done.notify_one();
      }
    }
  }

  // Spins briefly, then sleeps on `done` until pred() holds.
  template <typename Pred>
  void CallerWait(Pred pred) {
    const auto start = std::chrono::steady_clock::now();
    uint32_t polls = 0;
    while (!pred()) {
      if ((++polls & 255) == 0 &&
          std::chrono::steady_clock::now() - start > std::chrono::microseconds(50)) {
        std::unique_lock<std::mutex> lock(mu);
        done.wait(lock, pred);
        return;
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
  // gen is even and active is 0 here (the previous Run waited for both).
  s.fn = fn;
  s.user = user;
  s.n_tasks = n_tasks;
  s.next.store(0, std::memory_order_relaxed);
  s.completed.store(0, std::memory_order_relaxed);
  bool any_asleep;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.gen.fetch_add(1);  // odd: open
    any_asleep = s.sleepers > 0;
  }
  if (any_asleep) s.wake.notify_all();
  s.Drain(0);
  s.CallerWait([&] { return s.completed.load(std::memory_order_acquire) == n_tasks; });
  s.gen.fetch_add(1);  // even: closed; seq_cst, before reading active
  s.CallerWait([&] { return s.active.load() == 0; });
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
