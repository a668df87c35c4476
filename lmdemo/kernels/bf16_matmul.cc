// y = x W for a few rows x (float32) and a matrix W stored as bfloat16: the product generation runs once
// per token, where reading W from memory is the whole cost. Compiled on first use by
// lmdemo/kernels/bf16_matmul.py (c++ -O3 -march=native) and called from XLA as an FFI custom call.
//
// Layout of W (K inputs x N outputs, N a multiple of 64): tiles of 64 output columns, each tile the
// K rows of its 64 columns one after the other, (N / 64, K, 64). A tile is read once, front to back,
// per row of x; its 64 sums stay in registers. A bfloat16 is the top 16 bits of a float32, so widening
// it is a shift, and every multiply and sum is in float32: the result is x times the rounded weights.
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>

#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr int64_t kTile = 64;
constexpr int64_t kTilesPerTask = 8;

inline float widen(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// Rows [0, M) of y, columns of tiles [first, last). Rows go four at a time, so that a tile read from
// memory serves four rows (a prompt read at once) before the next tile is read.
void tiles(const float* x, const uint16_t* w, float* y, int64_t M, int64_t K, int64_t N, int64_t first,
           int64_t last) {
  for (int64_t t = first; t < last; ++t) {
    const uint16_t* tile = w + t * K * kTile;
    int64_t m = 0;
    for (; m + 4 <= M; m += 4) {
      const float* r0 = x + m * K;
      float acc[4][kTile] = {{0}};
      for (int64_t k = 0; k < K; ++k) {
        const uint16_t* wk = tile + k * kTile;
        const float x0 = r0[k], x1 = r0[K + k], x2 = r0[2 * K + k], x3 = r0[3 * K + k];
        for (int64_t j = 0; j < kTile; ++j) {
          const float wj = widen(wk[j]);
          acc[0][j] += x0 * wj;
          acc[1][j] += x1 * wj;
          acc[2][j] += x2 * wj;
          acc[3][j] += x3 * wj;
        }
      }
      for (int64_t i = 0; i < 4; ++i) std::memcpy(y + (m + i) * N + t * kTile, acc[i], sizeof acc[i]);
    }
    for (; m < M; ++m) {
      const float* row = x + m * K;
      float acc[kTile] = {0};
      for (int64_t k = 0; k < K; ++k) {
        const uint16_t* wk = tile + k * kTile;
        const float xk = row[k];
        for (int64_t j = 0; j < kTile; ++j) acc[j] += xk * widen(wk[j]);
      }
      std::memcpy(y + m * N + t * kTile, acc, sizeof acc);
    }
  }
}

// Tasks of kTilesPerTask tiles, taken from a shared counter by the calling thread and by XLA's
// intra-op threads; the call returns when every task is done. The state is shared, so a thread that
// starts after the work is finished finds no task left and touches nothing freed.
struct Work {
  const float* x;
  const uint16_t* w;
  float* y;
  int64_t M, K, N, num_tiles, num_tasks;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0};
  void run() {
    for (int64_t task; (task = next.fetch_add(1)) < num_tasks;) {
      int64_t first = task * kTilesPerTask;
      int64_t last = first + kTilesPerTask < num_tiles ? first + kTilesPerTask : num_tiles;
      tiles(x, w, y, M, K, N, first, last);
      done.fetch_add(1, std::memory_order_release);
    }
  }
};

ffi::Error Bf16MatmulImpl(ffi::ThreadPool pool, ffi::Buffer<ffi::F32> x, ffi::Buffer<ffi::BF16> w,
                          ffi::ResultBuffer<ffi::F32> y) {
  auto xd = x.dimensions();
  auto wd = w.dimensions();
  if (xd.size() != 2 || wd.size() != 3 || wd[2] != kTile || wd[1] != xd[1]) {
    return ffi::Error::InvalidArgument("bf16_matmul: x must be (M, K) and w (N / 64, K, 64)");
  }
  auto work = std::make_shared<Work>();
  work->x = x.typed_data();
  work->w = reinterpret_cast<const uint16_t*>(w.typed_data());
  work->y = y->typed_data();
  work->M = xd[0];
  work->K = xd[1];
  work->num_tiles = wd[0];
  work->N = wd[0] * kTile;
  work->num_tasks = (work->num_tiles + kTilesPerTask - 1) / kTilesPerTask;
  int64_t helpers = pool.num_threads();
  if (helpers > work->num_tasks - 1) helpers = work->num_tasks - 1;
  for (int64_t i = 0; i < helpers; ++i) pool.Schedule([work] { work->run(); });
  work->run();
  while (work->done.load(std::memory_order_acquire) < work->num_tasks) std::this_thread::yield();
  return ffi::Error::Success();
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(LmdemoBf16Matmul, Bf16MatmulImpl,
                              ffi::Ffi::Bind()
                                  .Ctx<ffi::ThreadPool>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Arg<ffi::Buffer<ffi::BF16>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());
