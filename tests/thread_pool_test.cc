// ThreadPool (src/runtime/thread_pool.h): every task runs exactly once per Run, worker indices
// stay in range and never run two tasks at once, one thread means no
// pool; an interpreter with num_threads > 1 creates the pool.
#include "src/runtime/thread_pool.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/test_util.h"

namespace edgelite {
namespace {

TEST(ThreadPool, OneThreadMeansNoPool) { EXPECT_EQ(ThreadPool::Create(1), nullptr); }

TEST(ThreadPool, EveryTaskOnceWorkersInRange) {
  auto pool = ThreadPool::Create(3);
  if (pool == nullptr) GTEST_SKIP() << "built without threads (EDGELITE_THREADS=OFF)";
  ASSERT_EQ(pool->num_threads(), 3);
  for (int round = 0; round < 200; ++round) {
    const int n = 1 + (round * 37) % 500;
    std::vector<std::atomic<int>> hits(n);
    std::atomic<int> in_worker[3] = {{0}, {0}, {0}};
    std::atomic<int> overlap{0}, bad_worker{0};
    struct Ctx {
      std::vector<std::atomic<int>>* hits;
      std::atomic<int>* in_worker;
      std::atomic<int>* overlap;
      std::atomic<int>* bad_worker;
    } ctx{&hits, in_worker, &overlap, &bad_worker};
    pool->Run(n, [](void* u, int32_t task, int32_t worker) {
      auto* c = static_cast<Ctx*>(u);
      if (worker < 0 || worker >= 3) {
        c->bad_worker->fetch_add(1);
        return;
      }
      if (c->in_worker[worker].fetch_add(1) != 0) c->overlap->fetch_add(1);
      (*c->hits)[task].fetch_add(1);
      c->in_worker[worker].fetch_sub(1);
    }, &ctx);
    ASSERT_EQ(bad_worker.load(), 0);
    ASSERT_EQ(overlap.load(), 0) << "two tasks ran at once on one worker index";
    for (int t = 0; t < n; ++t) ASSERT_EQ(hits[t].load(), 1) << "round " << round << " task " << t;
  }
}

// Many short jobs back to back with more workers than cores, some after a pause long enough for
// the workers to fall asleep: workers join late or not at all (the caller does not wait for a
// worker that has not joined), and a late worker must never run a task of a finished job (its
// context lives on this loop's stack and is gone: ASan would see the access) nor run a task
// twice.
TEST(ThreadPool, ShortJobsWithLateOrAbsentWorkers) {
  auto pool = ThreadPool::Create(4);
  if (pool == nullptr) GTEST_SKIP() << "built without threads (EDGELITE_THREADS=OFF)";
  for (int round = 0; round < 20000; ++round) {
    const int n = 2 + round % 5;
    std::atomic<int> hits[6] = {{0}, {0}, {0}, {0}, {0}, {0}};
    std::atomic<int> out_of_range{0};
    struct Ctx {
      std::atomic<int>* hits;
      std::atomic<int>* out_of_range;
      int n;
    } ctx{hits, &out_of_range, n};
    pool->Run(n, [](void* u, int32_t task, int32_t) {
      auto* c = static_cast<Ctx*>(u);
      if (task < 0 || task >= c->n) {
        c->out_of_range->fetch_add(1);
        return;
      }
      c->hits[task].fetch_add(1);
    }, &ctx);
    ASSERT_EQ(out_of_range.load(), 0);
    for (int t = 0; t < n; ++t) ASSERT_EQ(hits[t].load(), 1) << "round " << round << " task " << t;
    for (int t = n; t < 6; ++t) ASSERT_EQ(hits[t].load(), 0) << "round " << round;
    if (round % 1000 == 999) std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
}

// Kernels see the pool through OpContext::ParallelFor: an interpreter with num_threads > 1 has
// one, with 1 it has none.
TEST(ThreadPool, InterpreterCreatesPoolForMoreThanOneThread) {
  for (int threads : {1, 3}) {
    testing::SingleOpModel m;
    const int x = m.Input(DataType::kFloat32, {4});
    const int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::RELU, {x}, {y});
    ASSERT_TRUE(m.Build(threads).ok());
    if (threads == 1) {
      EXPECT_EQ(m.interpreter()->thread_pool(), nullptr);
    } else if (m.interpreter()->thread_pool() != nullptr) {
      EXPECT_EQ(m.interpreter()->thread_pool()->num_threads(), threads);
    }
    m.Set<float>(x, {-1.0f, 2.0f, -3.0f, 4.0f});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<float>(y), (std::vector<float>{0.0f, 2.0f, 0.0f, 4.0f}));
  }
}

}  // namespace
}  // namespace edgelite
