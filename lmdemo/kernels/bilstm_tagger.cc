// The PII tagger's network after its character part, for one text, when its context is a BiLSTM
// (lmdemo/networks/token_tagger.py, TokenTagger.tag_logits, then best_tags in lmdemo/tasks/tagger_model.py):
//
//   x = features W_in + b_in                                  (n words x d_model)
//   per layer: x = x + [forward LSTM over x ; backward LSTM over x]      (d_model / 2 units each way)
//   P(tag) = softmax(LayerNorm(x) W_out + b_out)
//   tag, score = the type with the most B + I probability (I when I >= B), and that probability
//
// with the LSTM of lmdemo/layers/recurrent.py: [i, f, g, o] = x_t W + h U + b, c = s(f) c + s(i) tanh(g),
// h = s(o) tanh(c). The same arithmetic as the Keras network in float32 (e^x, hence s and tanh, by a series
// accurate to float32's precision, so that the gate loop vectorizes), on exactly the text's n words (no
// padding), with no XLA program to hand over to: a sanitizer's call of one short text spent most of its time
// handing that program over and back (docs/privacy.md). Scores agree with the network's within 2e-6
// (tests/lmdemo/kernels/test_bilstm_tagger.py). Called with ctypes; compiled on first use by
// lmdemo/kernels/build.py.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {

struct LmdemoLstmLayer {
  const float* kernel[2];     // (d_model, 4 units): forward, backward
  const float* recurrent[2];  // (units, 4 units)
  const float* bias[2];       // (4 units)
};

struct LmdemoBiLstmTagger {
  int64_t in_dim, d_model, num_layers, num_labels;
  float epsilon;
  const float* projection_kernel;  // (in_dim, d_model)
  const float* projection_bias;    // (d_model)
  const LmdemoLstmLayer* layers;   // num_layers of them
  const float* norm_gamma;         // (d_model)
  const float* norm_beta;          // (d_model)
  const float* head_kernel;        // (d_model, num_labels)
  const float* head_bias;          // (num_labels)
};

}  // extern "C"

namespace {

// e^x written out so that the gate loop vectorizes without calls: e^x = 2^n · 2^f with n = round(x log2 e) and
// |f| ≤ 1/2, 2^f = e^(f ln 2) by its Taylor series to the 7th power (relative error < 1e-8, below float32's
// 6e-8), 2^n put straight into the exponent bits. x is clamped to [-87, 88], where e^x is a normal float.
inline float exp_approx(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  const float n = __builtin_floorf(x * 1.44269504f + 0.5f);
  const float r = (x * 1.44269504f - n) * 0.693147181f;  // f ln 2, in [-0.35, 0.35]
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  return p * __builtin_bit_cast(float, (static_cast<int32_t>(n) + 127) << 23);
}

inline float sigmoid(float z) { return 1.0f / (1.0f + exp_approx(-z)); }
inline float tanh_approx(float z) { return 2.0f * sigmoid(2.0f * z) - 1.0f; }

// 16 floats as one value (GCC's and Clang's vector extension: one AVX-512 register here, four NEON ones on ARM).
typedef float v16 __attribute__((vector_size(64)));

inline v16 load16(const float* p) {
  v16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// y[0:cols] = x[0:rows] W (rows x cols, row-major) + b: 64 columns at a time in four registers of sums (four
// independent chains of multiply-adds) while the rows of W stream past.
inline void row_times(const float* __restrict x, const float* __restrict w, const float* __restrict b,
                      float* __restrict y, int64_t rows, int64_t cols) {
  int64_t j0 = 0;
  for (; j0 + 64 <= cols; j0 += 64) {
    v16 a0 = load16(b + j0), a1 = load16(b + j0 + 16), a2 = load16(b + j0 + 32), a3 = load16(b + j0 + 48);
    for (int64_t k = 0; k < rows; ++k) {
      const float* wk = w + k * cols + j0;
      const float xk = x[k];
      a0 += xk * load16(wk);
      a1 += xk * load16(wk + 16);
      a2 += xk * load16(wk + 32);
      a3 += xk * load16(wk + 48);
    }
    std::memcpy(y + j0, &a0, sizeof a0);
    std::memcpy(y + j0 + 16, &a1, sizeof a1);
    std::memcpy(y + j0 + 32, &a2, sizeof a2);
    std::memcpy(y + j0 + 48, &a3, sizeof a3);
  }
  for (int64_t j = j0; j < cols; ++j) {  // a width that is not a multiple of 64: the last columns one by one
    float sum = b[j];
    for (int64_t k = 0; k < rows; ++k) sum += x[k] * w[k * cols + j];
    y[j] = sum;
  }
}

// y (n x cols) = x (n x rows) W (rows x cols) + b
void affine(const float* x, const float* w, const float* b, float* y, int64_t n, int64_t rows, int64_t cols) {
  for (int64_t t = 0; t < n; ++t) row_times(x + t * rows, w, b, y + t * cols, rows, cols);
}

// One direction of an LSTM layer over n steps: out[t * stride + offset + u] = h_t[u].
void lstm(const float* projected, const float* recurrent, int64_t n, int64_t units, bool backward, float* out,
          int64_t stride, int64_t offset) {
  const int64_t width = 4 * units;
  std::vector<float> h(units, 0.0f), c(units, 0.0f), z(width);
  for (int64_t s = 0; s < n; ++s) {
    const int64_t t = backward ? n - 1 - s : s;
    row_times(h.data(), recurrent, projected + t * width, z.data(), units, width);  // z = x_t W + b + h U
    float* __restrict zp = z.data();
    float* __restrict cp = c.data();
    float* __restrict hp = h.data();
    for (int64_t u = 0; u < units; ++u) {  // a loop the compiler vectorizes, e^x included
      cp[u] = sigmoid(zp[units + u]) * cp[u] + sigmoid(zp[u]) * tanh_approx(zp[2 * units + u]);
      hp[u] = sigmoid(zp[3 * units + u]) * tanh_approx(cp[u]);
    }
    for (int64_t u = 0; u < units; ++u) out[t * stride + offset + u] = hp[u];
  }
}

}  // namespace

extern "C" int lmdemo_bilstm_tag(const LmdemoBiLstmTagger* m, const float* features, int64_t n, int32_t* tags,
                                 float* scores) {
  const int64_t d = m->d_model, units = d / 2, labels = m->num_labels;
  if (n <= 0 || d % 2 != 0 || labels < 3 || labels % 2 != 1) return 1;
  std::vector<float> x(n * d), projected(n * 4 * units), context(n * d), logits(labels);
  affine(features, m->projection_kernel, m->projection_bias, x.data(), n, m->in_dim, d);
  for (int64_t l = 0; l < m->num_layers; ++l) {
    const LmdemoLstmLayer& layer = m->layers[l];
    for (int dir = 0; dir < 2; ++dir) {
      affine(x.data(), layer.kernel[dir], layer.bias[dir], projected.data(), n, d, 4 * units);
      lstm(projected.data(), layer.recurrent[dir], n, units, dir == 1, context.data(), d, dir * units);
    }
    for (int64_t i = 0; i < n * d; ++i) x[i] += context[i];
  }
  const int64_t types = (labels - 1) / 2;
  std::vector<float> normed(d);
  for (int64_t t = 0; t < n; ++t) {
    const float* xt = x.data() + t * d;
    float mean = 0.0f, var = 0.0f;
    for (int64_t j = 0; j < d; ++j) mean += xt[j];
    mean /= d;
    for (int64_t j = 0; j < d; ++j) var += (xt[j] - mean) * (xt[j] - mean);
    var /= d;
    const float inv = 1.0f / std::sqrt(var + m->epsilon);
    for (int64_t j = 0; j < d; ++j) normed[j] = (xt[j] - mean) * inv * m->norm_gamma[j] + m->norm_beta[j];
    affine(normed.data(), m->head_kernel, m->head_bias, logits.data(), 1, d, labels);
    float top = logits[0], total = 0.0f;
    for (int64_t j = 1; j < labels; ++j) top = logits[j] > top ? logits[j] : top;
    for (int64_t j = 0; j < labels; ++j) total += (logits[j] = std::exp(logits[j] - top));
    int64_t best = 0;
    float best_mass = -1.0f;
    for (int64_t k = 0; k < types; ++k) {  // the first type of the largest B + I mass
      const float mass = (logits[1 + 2 * k] + logits[2 + 2 * k]) / total;
      if (mass > best_mass) best_mass = mass, best = k;
    }
    tags[t] = static_cast<int32_t>(1 + 2 * best + (logits[2 + 2 * best] >= logits[1 + 2 * best] ? 1 : 0));
    scores[t] = best_mass;
  }
  return 0;
}
