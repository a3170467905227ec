// LSTM, GRU, SimpleRNN and Bidirectional, as hls4ml's io_parallel nnet_recurrent.h computes
// them (docs/hls4ml-numerics.md, section 12a). Types: x the input, A accum_t, S the state
// ("state": hls4ml's res_T, the result type; a QKeras state quantizer's type when the cell has
// one, see passes::ApplyConfig), R the result, table_t as for activations; Pa and Pr the types
// the activation's and the recurrent activation's values are held in (below). Per step, from
// h = c = 0 (the per-sample reset of the stack functions):
//   xw_k = dense(x_t, W, b)       and   hu_k = dense(h, U, b_r)   (section 4, into A)
// LSTM (gates i, f, c, o):
//   g_k = A(xw_k + hu_k);  i, f, o = ract(g) in Pr;  cc = act(g_c) in Pa
//   c = S(cc * i + c * f);  h = S(o * act(c)), act(c) in Pa (indexed from S)
// GRU (gates z, r, h; hls4ml's formula is Keras' reset_after=True):
//   z, r = ract(A(xw + hu)) in Pr;  hh = act(A(xw_h + A(r * hu_h))) in Pa
//   h = S(hh * (1 - z) + h * z)
// Each product and sum is exact in the vendor result type of its operands' types (cc * i:
// Pa x Pr; c * f: S x Pr; o * act(c): Pr x Pa; r * hu_h: Pr x A; hh * (1 - z): Pa x (1 - z);
// h * z: S x Pr), then cast once as written; 1 - z is the int 1 (ap_fixed<32,32>) minus z,
// exact at Pr's LSB.
// act / ract are the plain activations hls4ml compiles: sigmoid and tanh by table
// (table_t(table[index(x)]) cast into the type), relu x > 0 ? x : 0 cast into it. Then
// Pa = Pr = A, and all of the above is hls4ml's arithmetic.
// Beyond what hls4ml computes, fixnn gives the other Keras forms the same casts:
//   GRU reset_after=False: hh = act(A(xw_h + dense(A(r * h), U_h)))  (no recurrent bias;
//   r * h is Pr x S)
//   SimpleRNN: h = S(act(A(xw + hu))), act straight into S (Pa = S)
//   go_backwards reads the sequence from its end; the sequence output is in reading order
//   (as Keras); a Bidirectional's backward output is put back in time order, then merged:
//   concat (hls4ml's only mode), sum R(f + b), mul R(f * b), ave R((f + b) / 2) exactly, or
//   none (two outputs R(f), R(b)).
// fixnn's own activation rule (recurrent_activation.h has each form's arithmetic):
//   - Keras' hard_sigmoid (clip(slope x + 0.5, 0, 1) with the model's slope: Keras 2 0.2,
//     Keras 3 1/6, QKeras 0.5; stored in ap_ufixed<16,0>, TRN), hard_tanh (clip(x, -1, 1)) and
//     linear, from the input's type into A (SimpleRNN: S), as the feed-forward hard
//     activations compute them.
//   - A QKeras activation quantizer q (QLSTM / QGRU / QSimpleRNN activation or
//     recurrent_activation) replaces the activation and the value is held in q's type Q, with
//     Q's rounding and overflow: Pa = Q of the activation, Pr = Q of the recurrent activation.
//     Smooth quantized_tanh / quantized_sigmoid (use_real_tanh / use_real_sigmoid): the plain
//     activation's table, table_t and index from the same input, the entry cast into Q
//     instead of A. Hard quantized_tanh / quantized_sigmoid (QKeras' default):
//     v = 0.5 x + 0.5 exactly (slope and shift ap_ufixed<2,0>), clipped to [0, 1], tanh 2v - 1,
//     cast into Q. quantized_relu (no negative slope, no use_sigmoid): x > 0 ? Q(x) : 0.
//     quantized_bits (no alpha): Q(x). The LSTM's act(c) takes the activation's quantizer too.
//     A QSimpleRNN with a quantizer casts twice: h = S(Q(act(A(xw + hu)))). Other quantizers
//     (po2, binary, ternary, alpha, per-element types, symmetric quantized_sigmoid) are refused.
//   - A kernel with a QKeras alpha of one power of two per column (auto_po2) is stored as its
//     exact values s_c * Q(w / s_c) in Q's type widened by the scales' exponents (see
//     passes::CellKernelAsStored), and multiplied in that type.
// hls4ml itself refuses hard quantizers in cells ("Hard activation not supported"), compiles
// only sigmoid, tanh and relu, and runs a smooth quantizer as the plain activation into A, its
// configuration giving result_t the quantizer's type (a QGRU probe: bit for bit a GRU with that
// result_t). The kernel computes fixnn's rule above whatever the configuration mode.
// Outputs: y = R(h) (each step with return_sequences, else the last), then (return_state)
// R(h) and R(c). The Resource strategy sums each dense in its order (section 4), with the
// layer's reuse factor for x W and the recurrent one for h U. Run sites (prefixed forward_ /
// backward_ in a Bidirectional): activation (in Pa), recurrent_activation (Pr),
// state_activation (LSTM act(c), Pa), state (h's cast into S; a QSimpleRNN's S(Q(...))).
// A QKeras binary state quantizer (a 1-bit quantized_bits, sign with 0 -> +1; binary without
// alpha) holds the state in S = ap_fixed<2,2,AP_TRN,AP_SAT>: each cast into S above (LSTM c and
// h, GRU h, SimpleRNN h) is followed by +1 where the cast value is >= 0, else -1 (the floor and
// saturation keep the exact value's sign), and h = c = +1 before the first step (QKeras reads
// its zero initial state through the quantizer: sign(0) = +1).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <type_traits>

#include "emulator/kernel.h"
#include "emulator/mac.h"
#include "emulator/recurrent_activation.h"
#include "fixed/fixed_value.h"
#include "passes/cell_kernel_weights.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedValue;

inline __int128 ShiftUp(__int128 v, int k) { return v * (static_cast<__int128>(1) << k); }
inline WideInt ShiftUp(const WideInt& v, int k) { return v.ShiftLeft(k); }

// A two-term exact sum p1 + p2 (p1, p2 exact products or values) cast into a type.
struct SumPlan {
  int shift1 = 0, shift2 = 0;  // left shifts onto the sum's LSB
  CastPlan cast;
  int site = 0;
};

// y = dense(x, W, b) into accum_t: rows outputs, cols inputs.
struct MatVecSpec {
  int64_t rows = 0, cols = 0;
  std::vector<int64_t> order;    // the input of the k-th product (the strategy's order)
  std::vector<WideInt> weights;  // [row * cols + k]: the weight of input order[k]
  std::vector<WideInt> acc0;     // the bias in accum_t
  CastPlan product, sum;
  int product_site = 0, sum_site = 0;
};

enum class Cell { kSimpleRNN, kLSTM, kGRU };

// One direction of one layer.
struct CellSpec {
  Cell cell = Cell::kLSTM;
  bool reset_after = true;
  bool backwards = false;
  int64_t n = 0, gates = 1;
  MatVecSpec input, recurrent;       // recurrent: [gates * n] rows (GRU reset_before: 2n)
  MatVecSpec candidate;              // GRU reset_before: (r * h) . U_h
  CellActSpec act, ract, state_act;  // state_act: LSTM act(c) from S
  bool simple_state = false;         // SimpleRNN with a quantizer: h = S(Q(act))
  CastPlan simple_state_cast;
  int simple_state_site = 0;
  CastPlan gate_sum;  // A + A -> A
  int gate_sum_site = 0;
  CastPlan reset_product;  // GRU: r * hu_h (reset_after) or r * h (reset_before) -> A
  int reset_product_site = 0;
  SumPlan c_update, h_update;  // LSTM c; GRU h
  CastPlan h_product;          // LSTM: o * act(c) -> S
  int h_site = 0;
  int one_shift = 0;          // GRU: 1 as a mantissa of A, shifted: 1 << -lsb(A)
  bool binary_state = false;  // every cast into S then becomes +-1 (LayerSettings::binary_state)
  int scratch = 0;
  int64_t rows_offset = 0;  // where the outputs [rows, n] in S start in the scratch
};

struct Spec {
  int in = 0;
  std::vector<int> outs;
  int64_t steps = 0, n_in = 0;
  bool sequences = false, bidirectional = false;
  std::vector<CellSpec> cells;  // one, or forward then backward
  ir::BidirectionalMerge merge = ir::BidirectionalMerge::kConcat;
  CastPlan result;                      // S -> R
  CastPlan merge_plan;                  // sum, average, product of two S -> R
  CastPlan second_result;               // merge None: S -> the second output's type
  std::vector<CastPlan> state_results;  // return_state: S -> each state output's type
  int result_site = 0, second_site = 0;
  std::vector<int> state_sites;
};

template <class M>
class RecurrentKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;
  using Wide = typename A::Wide;

  struct MatVec {
    std::vector<M> weights, acc0;
    std::vector<int64_t> order;
  };
  struct CellData {
    MatVec input, recurrent, candidate;
    CellActivation<M> act, ract, state_act;
    M one;
    M state_one, state_minus_one;  // +-1 as mantissas of S (binary_state)
  };

  explicit RecurrentKernel(const Spec& s) : s_(s) {
    for (const CellSpec& c : s.cells) {
      CellData d;
      Convert(c.input, d.input);
      Convert(c.recurrent, d.recurrent);
      Convert(c.candidate, d.candidate);
      d.act = CellActivation<M>(c.act);
      d.ract = CellActivation<M>(c.ract);
      d.state_act = CellActivation<M>(c.state_act);
      d.one = A::FromWideInt(WideInt(1).ShiftLeft(c.one_shift));
      d.state_one = A::FromWideInt(WideInt(1));
      d.state_minus_one = A::FromWideInt(WideInt(-1));
      data_.push_back(std::move(d));
    }
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(s_.in)];
    const int64_t rows = s_.sequences ? s_.steps : 1;
    for (size_t k = 0; k < s_.cells.size(); ++k) {
      const CellSpec& c = s_.cells[k];
      std::vector<M>& buf = ws.scratch[static_cast<size_t>(c.scratch)];
      M* h = buf.data();
      M* cs = h + c.n;
      M* out = buf.data() + c.rows_offset;  // [rows, n] in S
      std::fill(h, h + 2 * c.n, c.binary_state ? data_[k].state_one : M{});
      for (int64_t step = 0; step < s_.steps; ++step) {
        const int64_t t = c.backwards ? s_.steps - 1 - step : step;
        Step(c, data_[k], x.data() + t * s_.n_in, buf, ws);
        if (!s_.sequences) continue;
        // A Bidirectional puts each step at its time; a single layer keeps the reading order.
        std::copy(h, h + c.n, out + (s_.bidirectional ? t : step) * c.n);
      }
      if (!s_.sequences) std::copy(h, h + c.n, out);
      for (size_t o = 1; !s_.bidirectional && o < s_.outs.size(); ++o) {  // h, then c
        std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.outs[o])];
        const M* src = o == 1 ? h : cs;
        const SiteCounter sc = ws.Counter(s_.state_sites[o - 1]);
        for (int64_t j = 0; j < c.n; ++j) {
          y[static_cast<size_t>(j)] = A::Cast(A::Widen(src[j]), s_.state_results[o - 1], sc);
        }
      }
    }
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.outs[0])];
    const SiteCounter rc = ws.Counter(s_.result_site);
    const CellSpec& f = s_.cells[0];
    const M* fv = ws.scratch[static_cast<size_t>(f.scratch)].data() + f.rows_offset;
    if (!s_.bidirectional) {
      for (int64_t i = 0; i < rows * f.n; ++i) y[static_cast<size_t>(i)] = Result(fv[i], rc);
      return;
    }
    const CellSpec& b = s_.cells[1];
    const M* bv = ws.scratch[static_cast<size_t>(b.scratch)].data() + b.rows_offset;
    const int64_t n = f.n;
    switch (s_.merge) {
      case ir::BidirectionalMerge::kConcat:
        for (int64_t r = 0; r < rows; ++r) {
          M* row = y.data() + r * (f.n + b.n);
          for (int64_t j = 0; j < f.n; ++j) row[j] = Result(fv[r * f.n + j], rc);
          for (int64_t j = 0; j < b.n; ++j) row[f.n + j] = Result(bv[r * b.n + j], rc);
        }
        break;
      case ir::BidirectionalMerge::kSum:
      case ir::BidirectionalMerge::kAverage:  // (f + b) / 2: the sum read one bit lower
        for (int64_t i = 0; i < rows * n; ++i) {
          y[static_cast<size_t>(i)] = A::Cast(A::Widen(fv[i]) + A::Widen(bv[i]), s_.merge_plan, rc);
        }
        break;
      case ir::BidirectionalMerge::kMul:
        for (int64_t i = 0; i < rows * n; ++i) {
          y[static_cast<size_t>(i)] = A::Cast(A::Mul(fv[i], bv[i]), s_.merge_plan, rc);
        }
        break;
      case ir::BidirectionalMerge::kNone: {
        std::vector<M>& y2 = ws.tensors[static_cast<size_t>(s_.outs[1])];
        const SiteCounter rc2 = ws.Counter(s_.second_site);
        for (int64_t i = 0; i < rows * f.n; ++i) y[static_cast<size_t>(i)] = Result(fv[i], rc);
        for (int64_t i = 0; i < rows * b.n; ++i) {
          y2[static_cast<size_t>(i)] = A::Cast(A::Widen(bv[i]), s_.second_result, rc2);
        }
        break;
      }
    }
  }

 private:
  M Result(const M& v, SiteCounter c) const { return A::Cast(A::Widen(v), s_.result, c); }

  static void Convert(const MatVecSpec& s, MatVec& d) {
    for (const WideInt& w : s.weights) d.weights.push_back(A::FromWideInt(w));
    for (const WideInt& a : s.acc0) d.acc0.push_back(A::FromWideInt(a));
    d.order = s.order;
  }

  // out[r] = dense(v, W, b) over the spec's rows, into accum_t.
  static void MatVecRun(const MatVecSpec& s, const MatVec& d, const M* v, M* out,
                        Workspace<M>& ws) {
    const SiteCounter pc = ws.Counter(s.product_site);
    const SiteCounter sc = ws.Counter(s.sum_site);
    if constexpr (std::is_same_v<M, std::int64_t>) {
      // Every product and partial sum fits 62 bits: the same casts in int64 arithmetic.
      if (s.product.fits64() && s.sum.fits64()) {
        for (int64_t r = 0; r < s.rows; ++r) {
          const std::int64_t* w = d.weights.data() + r * s.cols;
          std::int64_t acc = d.acc0[static_cast<size_t>(r)];
          for (int64_t i = 0; i < s.cols; ++i) {
            const std::int64_t p = s.product.Apply64(v[d.order[static_cast<size_t>(i)]] * w[i], pc);
            acc = s.sum.Apply64(acc + p, sc);
          }
          out[r] = acc;
        }
        return;
      }
    }
    for (int64_t r = 0; r < s.rows; ++r) {
      const M* w = d.weights.data() + r * s.cols;
      M acc = d.acc0[static_cast<size_t>(r)];
      for (int64_t i = 0; i < s.cols; ++i) {
        const M p = A::Cast(A::Mul(v[d.order[static_cast<size_t>(i)]], w[i]), s.product, pc);
        acc = A::Cast(A::Widen(acc) + A::Widen(p), s.sum, sc);
      }
      out[r] = acc;
    }
  }

  static M Sum2(const SumPlan& p, const Wide& a, const Wide& b, Workspace<M>& ws) {
    return A::Cast(ShiftUp(a, p.shift1) + ShiftUp(b, p.shift2), p.cast, ws.Counter(p.site));
  }

  // A value just cast into S, as the state holds it: itself, or (binary_state) its sign, +1
  // where it is >= 0. S is then ap_fixed<2,2,AP_TRN,AP_SAT>, whose cast keeps the sign.
  static M State(const CellSpec& c, const CellData& d, const M& m) {
    if (!c.binary_state) return m;
    return A::IsNegative(m) ? d.state_minus_one : d.state_one;
  }

  void Step(const CellSpec& c, const CellData& d, const M* xt, std::vector<M>& buf,
            Workspace<M>& ws) const {
    const int64_t n = c.n, gn = c.gates * n;
    M* h = buf.data();
    M* cs = h + n;
    M* xw = cs + n;
    M* hu = xw + gn;
    M* g = hu + gn;
    M* tmp = g + gn;
    MatVecRun(c.input, d.input, xt, xw, ws);
    MatVecRun(c.recurrent, d.recurrent, h, hu, ws);
    const SiteCounter gc = ws.Counter(c.gate_sum_site);
    const int64_t summed = c.cell == Cell::kGRU ? 2 * n : gn;
    for (int64_t k = 0; k < summed; ++k) {
      g[k] = A::Cast(A::Widen(xw[k]) + A::Widen(hu[k]), c.gate_sum, gc);
    }
    switch (c.cell) {
      case Cell::kSimpleRNN:
        for (int64_t j = 0; j < n; ++j) h[j] = d.act(g[j], ws);
        if (c.simple_state) {
          const SiteCounter sc = ws.Counter(c.simple_state_site);
          for (int64_t j = 0; j < n; ++j) h[j] = A::Cast(A::Widen(h[j]), c.simple_state_cast, sc);
        }
        for (int64_t j = 0; c.binary_state && j < n; ++j) h[j] = State(c, d, h[j]);
        break;
      case Cell::kLSTM: {
        for (int64_t k = 0; k < gn; ++k) {
          g[k] = k >= 2 * n && k < 3 * n ? d.act(g[k], ws) : d.ract(g[k], ws);
        }
        const SiteCounter hc = ws.Counter(c.h_site);
        for (int64_t j = 0; j < n; ++j) {
          cs[j] = State(c, d,
                        Sum2(c.c_update, A::Mul(g[2 * n + j], g[j]), A::Mul(cs[j], g[n + j]), ws));
          const M sa = d.state_act(cs[j], ws);
          h[j] = State(c, d, A::Cast(A::Mul(g[3 * n + j], sa), c.h_product, hc));
        }
        break;
      }
      case Cell::kGRU: {
        for (int64_t k = 0; k < 2 * n; ++k) g[k] = d.ract(g[k], ws);
        const SiteCounter rc = ws.Counter(c.reset_product_site);
        if (c.reset_after) {
          for (int64_t j = 0; j < n; ++j) {
            tmp[j] = A::Cast(A::Mul(g[n + j], hu[2 * n + j]), c.reset_product, rc);
          }
        } else {
          for (int64_t j = 0; j < n; ++j) {
            g[2 * n + j] = A::Cast(A::Mul(g[n + j], h[j]), c.reset_product, rc);
          }
          MatVecRun(c.candidate, d.candidate, g + 2 * n, tmp, ws);
        }
        for (int64_t j = 0; j < n; ++j) {
          const M hh =
              d.act(A::Cast(A::Widen(xw[2 * n + j]) + A::Widen(tmp[j]), c.gate_sum, gc), ws);
          const M& z = g[j];
          const Wide omz = A::Widen(d.one) - A::Widen(z);  // 1 - z at z's LSB (Pr), exact
          h[j] = State(c, d, Sum2(c.h_update, MulWide(hh, omz), A::Mul(h[j], z), ws));
        }
        break;
      }
    }
  }

  // m * w for a widened w (1 - z, exact at A's LSB).
  static Wide MulWide(const M& m, const Wide& w) { return A::Widen(m) * w; }

  Spec s_;
  std::vector<CellData> data_;
};

// ---------------------------------------------------------------------------------------------
// Building.

Result<SumPlan> MakeSum(BuildContext& ctx, const FixedType& t1, const FixedType& t2,
                        const FixedType& to, const std::string& site, int64_t casts) {
  Result<FixedType> sum = fixed::AddResultType(t1, t2);
  if (!sum.ok()) return ctx.Fail(sum.error().message());
  SumPlan p;
  p.shift1 = t1.lsb_exponent() - sum->lsb_exponent();
  p.shift2 = t2.lsb_exponent() - sum->lsb_exponent();
  p.cast = ctx.Plan(*sum, to);
  p.site = ctx.AddRunSite(site, to, casts);
  return p;
}

// The order in which hls4ml's dense sums n_in products (docs/hls4ml-numerics.md, section 4):
// ascending for Latency (rf 0) and Resource with rf >= n_in, stride rf for rf < n_in.
Result<std::vector<int64_t>> ProductOrder(BuildContext& ctx, int64_t n_in, int64_t rf,
                                          const std::string& prefix) {
  std::vector<int64_t> order;
  if (rf > n_in && rf % n_in != 0) {
    return ctx.NotHandled(fmt::format(
        "{}reuse factor {} above {} inputs and not a multiple of them", prefix, rf, n_in));
  }
  if (rf < 0 || (rf > 0 && rf < n_in && n_in % rf != 0)) {
    return ctx.Fail(
        fmt::format("{}reuse factor {} for {} products per output: hls4ml needs a divisor (run "
                    "passes::Configure, which validates reuse factors)",
                    prefix, rf, n_in));
  }
  const int64_t stride = rf == 0 ? n_in : std::min(rf, n_in);
  for (int64_t r = 0; r < stride; ++r) {
    for (int64_t i = r; i < n_in; i += stride) order.push_back(i);
  }
  return order;
}

// The dense of one weight block: rows [row0, row0 + rows) of the Keras [cols, total] kernel
// (Keras' kernel is [in, units * gates]), the bias values given (empty: zero) in bias_t.
Result<MatVecSpec> MakeMatVec(BuildContext& ctx, const std::vector<WideInt>& kernel,
                              const FixedType& wt, int64_t cols, int64_t total, int64_t row0,
                              int64_t rows, const std::vector<WideInt>* bias, const FixedType* bt,
                              const FixedType& x, const FixedType& accum, const std::string& prefix,
                              int64_t calls, const std::string& bias_site, int64_t rf) {
  MatVecSpec s;
  s.rows = rows;
  s.cols = cols;
  Result<std::vector<int64_t>> order = ProductOrder(ctx, cols, rf, prefix);
  if (!order.ok()) return order.error();
  s.order = std::move(order).value();
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t k = 0; k < cols; ++k) {
      const int64_t i = s.order[static_cast<size_t>(k)];
      s.weights.push_back(kernel[static_cast<size_t>(i * total + row0 + r)]);
    }
  }
  int64_t over = 0, under = 0;
  for (int64_t r = 0; r < rows; ++r) {
    if (bias == nullptr) {
      s.acc0.push_back(WideInt(0));
      continue;
    }
    fixed::CastEvents ev;
    s.acc0.push_back(
        fixed::Cast(FixedValue::FromMantissa(*bt, (*bias)[static_cast<size_t>(row0 + r)]), accum,
                    &ev)
            .mantissa());
    over += ev.overflow;
    under += ev.underflow;
  }
  if (bias != nullptr && !bias_site.empty()) {
    ctx.AddRunSite(bias_site, accum, calls * rows, over * calls, under * calls);
  }
  Result<FixedType> product = fixed::MulResultType(x, wt);
  if (!product.ok()) return ctx.Fail(product.error().message());
  Result<FixedType> sum = fixed::AddResultType(accum, accum);
  if (!sum.ok()) return ctx.Fail(sum.error().message());
  s.product = ctx.Plan(*product, accum);
  s.sum = ctx.Plan(*sum, accum);
  s.product_site = ctx.AddRunSite(prefix + "product", accum, calls * rows * cols);
  s.sum_site = ctx.AddRunSite(prefix + "accum", accum, calls * rows * cols);
  return s;
}

Cell CellOf(ir::RecurrentCell c) {
  switch (c) {
    case ir::RecurrentCell::kSimpleRNN:
      return Cell::kSimpleRNN;
    case ir::RecurrentCell::kLSTM:
      return Cell::kLSTM;
    case ir::RecurrentCell::kGRU:
      return Cell::kGRU;
  }
  return Cell::kLSTM;
}

// A kernel as the cell multiplies it: its stored values and their type.
struct CellWeight {
  std::vector<WideInt> values;
  FixedType type;
};

// The kernel's values as StoredWeight stores them and their type, a QKeras power-of-two alpha
// kept inside the values (passes::CellKernelAsStored).
Result<CellWeight> StoredCellWeight(BuildContext& ctx, const ir::Weight& w) {
  Result<ir::Weight> stored = passes::CellKernelAsStored(w);
  if (!stored.ok()) return ctx.NotHandled(stored.error().message());
  Result<std::vector<WideInt>> v = StoredWeight(ctx, *stored);
  if (!v.ok()) return v.error();
  return CellWeight{std::move(v).value(), *stored->precision.type};
}

struct CellTypes {
  FixedType x, accum, state, table;
};

// One direction: weights `prefix`kernel, `prefix`recurrent_kernel, `prefix`bias; the
// recurrent bias type `rbias_key`.
Result<CellSpec> MakeCell(BuildContext& ctx, const ir::RecurrentAttrs& a, const CellTypes& ty,
                          int64_t steps, int64_t n_in, const std::string& prefix,
                          const std::string& rbias_key, int64_t rf, int64_t recurrent_rf) {
  CellSpec c;
  c.cell = CellOf(a.cell);
  c.reset_after = a.reset_after;
  c.backwards = a.go_backwards;
  c.n = a.units;
  c.gates = c.cell == Cell::kLSTM ? 4 : c.cell == Cell::kGRU ? 3 : 1;
  const int64_t n = c.n, gn = c.gates * n;
  const ir::Node& node = ctx.node();
  c.binary_state = node.settings.binary_state;
  if (c.binary_state && ty.state.lsb_exponent() != 0) {
    return ctx.Fail(fmt::format("a binary state in {} (its LSB must be 1)", ty.state.ToString()));
  }
  const ir::Weight* kernel = node.FindWeight(prefix + "kernel");
  const ir::Weight* rkernel = node.FindWeight(prefix + "recurrent_kernel");
  const ir::Weight* bias = a.use_bias ? node.FindWeight(prefix + "bias") : nullptr;
  if (kernel == nullptr || rkernel == nullptr || (a.use_bias && bias == nullptr) ||
      ir::NumElements(kernel->shape) != n_in * gn || ir::NumElements(rkernel->shape) != n * gn) {
    return ctx.Fail(
        fmt::format("expected weights {0}kernel [{1}, {2}], {0}recurrent_kernel "
                    "[{3}, {2}] and {0}bias",
                    prefix, n_in, gn, n));
  }
  Result<CellWeight> sw = StoredCellWeight(ctx, *kernel);
  if (!sw.ok()) return sw.error();
  Result<CellWeight> su = StoredCellWeight(ctx, *rkernel);
  if (!su.ok()) return su.error();
  const std::vector<WideInt>* w = &sw->values;
  const std::vector<WideInt>* u = &su->values;
  const FixedType& wt = sw->type;
  const FixedType& ut = su->type;
  if (Status st = CheckProduct(ctx, ty.x, wt, *w, MacLayer::kDense); !st.ok()) return st.error();
  if (Status st = CheckProduct(ctx, ty.state, ut, *u, MacLayer::kDense); !st.ok()) {
    return st.error();
  }

  // The bias: [gn] (row 0 for a GRU with reset_after, whose row 1 is the recurrent bias,
  // stored in its own type).
  std::vector<WideInt> b, rb;
  std::optional<FixedType> bt, rbt;
  if (bias != nullptr) {
    const bool two_rows = c.cell == Cell::kGRU && a.reset_after;
    if (ir::NumElements(bias->shape) != (two_rows ? 2 * gn : gn)) {
      return ctx.Fail(fmt::format("{}bias has {} values, expected {}", prefix,
                                  ir::NumElements(bias->shape), two_rows ? 2 * gn : gn));
    }
    ir::Weight row0 = *bias;
    row0.values.resize(static_cast<size_t>(gn));
    row0.shape = {gn};
    Result<std::vector<WideInt>> sb = StoredWeight(ctx, row0);
    if (!sb.ok()) return sb.error();
    b = std::move(sb).value();
    bt = *bias->precision.type;
    if (two_rows) {
      Result<FixedType> rt = InternalType(ctx, rbias_key);
      if (!rt.ok()) return rt.error();
      ir::Weight row1 = *bias;
      row1.name = rbias_key;
      row1.values.assign(bias->values.begin() + gn, bias->values.end());
      row1.shape = {gn};
      row1.precision = {};
      row1.precision.type = *rt;
      Result<std::vector<WideInt>> sr = StoredWeight(ctx, row1);
      if (!sr.ok()) return sr.error();
      rb = std::move(sr).value();
      rbt = *rt;
    }
  }

  const int64_t calls = steps;
  const std::string p = prefix;
  Result<MatVecSpec> in =
      MakeMatVec(ctx, *w, wt, n_in, gn, 0, gn, bt ? &b : nullptr, bt ? &*bt : nullptr, ty.x,
                 ty.accum, p + "input_", calls, p + "bias", rf);
  if (!in.ok()) return in.error();
  c.input = std::move(in).value();
  const int64_t rrows = c.cell == Cell::kGRU && !a.reset_after ? 2 * n : gn;
  Result<MatVecSpec> rec =
      MakeMatVec(ctx, *u, ut, n, gn, 0, rrows, rbt ? &rb : nullptr, rbt ? &*rbt : nullptr, ty.state,
                 ty.accum, p + "recurrent_", calls, p + "recurrent_bias", recurrent_rf);
  if (!rec.ok()) return rec.error();
  c.recurrent = std::move(rec).value();

  Result<FixedType> sum = fixed::AddResultType(ty.accum, ty.accum);
  if (!sum.ok()) return ctx.Fail(sum.error().message());
  c.gate_sum = ctx.Plan(*sum, ty.accum);
  c.gate_sum_site = ctx.AddRunSite(p + "gate_sum", ty.accum, calls * gn);

  // The activations, each into its own type: Pr (ract), Pa (act and LSTM act(c)).
  const ir::Quantizer* act_q = a.activation_quantizer ? &*a.activation_quantizer : nullptr;
  const ir::Quantizer* ract_q =
      a.recurrent_activation_quantizer ? &*a.recurrent_activation_quantizer : nullptr;
  const int64_t ract_n = c.cell == Cell::kLSTM ? 3 * n : c.cell == Cell::kGRU ? 2 * n : 0;
  if (c.cell != Cell::kSimpleRNN) {
    Result<CellActSpec> ract =
        MakeCellActivation(ctx, a.recurrent_activation, ract_q, ty.accum, ty.accum, ty.table,
                           p + "recurrent_activation", calls * ract_n, "recurrent_activation");
    if (!ract.ok()) return ract.error();
    c.ract = std::move(ract).value();
  }
  const FixedType& act_out = c.cell == Cell::kSimpleRNN ? ty.state : ty.accum;
  Result<CellActSpec> act = MakeCellActivation(ctx, a.activation, act_q, ty.accum, act_out,
                                               ty.table, p + "activation", calls * n, "activation");
  if (!act.ok()) return act.error();
  c.act = std::move(act).value();
  const FixedType& pa = c.act.out;
  const FixedType& pr = c.ract.out;
  if (c.cell == Cell::kSimpleRNN && act_q != nullptr) {
    c.simple_state = true;
    c.simple_state_cast = ctx.Plan(pa, ty.state);
    c.simple_state_site = ctx.AddRunSite(p + "state", ty.state, calls * n);
  }

  if (c.cell == Cell::kLSTM) {
    const FixedType state_act_out = act_q != nullptr ? act_q->type : ty.accum;
    Result<FixedType> ci = fixed::MulResultType(pa, pr);             // cc * i
    Result<FixedType> cf = fixed::MulResultType(ty.state, pr);       // c * f
    Result<FixedType> oa = fixed::MulResultType(pr, state_act_out);  // o * act(c)
    if (!ci.ok() || !cf.ok() || !oa.ok()) return ctx.Fail("a product type is too wide");
    Result<SumPlan> cu = MakeSum(ctx, *ci, *cf, ty.state, p + "cell_state", calls * n);
    if (!cu.ok()) return cu.error();
    c.c_update = *cu;
    Result<CellActSpec> st =
        MakeCellActivation(ctx, a.activation, act_q, ty.state, ty.accum, ty.table,
                           p + "state_activation", calls * n, "activation");
    if (!st.ok()) return st.error();
    c.state_act = std::move(st).value();
    c.h_product = ctx.Plan(*oa, ty.state);
    c.h_site = ctx.AddRunSite(p + "state", ty.state, calls * n);
  }
  if (c.cell == Cell::kGRU) {
    // r * hu_h (reset_after) or r * h (reset_before), into A.
    Result<FixedType> rp = fixed::MulResultType(pr, a.reset_after ? ty.accum : ty.state);
    if (!rp.ok()) return ctx.Fail(rp.error().message());
    c.reset_product = ctx.Plan(*rp, ty.accum);
    if (!a.reset_after) {
      Result<MatVecSpec> cand = MakeMatVec(ctx, *u, ut, n, gn, 2 * n, n, nullptr, nullptr, ty.accum,
                                           ty.accum, p + "candidate_", calls, "", recurrent_rf);
      if (!cand.ok()) return cand.error();
      c.candidate = std::move(cand).value();
    }
    c.reset_product_site = ctx.AddRunSite(p + "reset_product", ty.accum, calls * n);
    // 1 - z: the int 1 is an ap_fixed<32,32> in the vendor's mixed arithmetic.
    Result<FixedType> omz = fixed::SubResultType(FixedType::Int(32), pr);
    if (!omz.ok()) return ctx.Fail(omz.error().message());
    Result<FixedType> p1 = fixed::MulResultType(pa, *omz);      // hh * (1 - z)
    Result<FixedType> p2 = fixed::MulResultType(ty.state, pr);  // h * z
    if (!p1.ok() || !p2.ok()) return ctx.Fail("a product type is too wide");
    c.one_shift = -pr.lsb_exponent();
    if (c.one_shift < 0 || c.one_shift > 62) {
      return ctx.NotHandled(
          fmt::format("{} {} in a GRU (its LSB is above 1 or below 2^-62)",
                      ract_q != nullptr ? "a recurrent activation quantizer's type" : "accum_t",
                      pr.ToString()));
    }
    // 1 - z is held at Pr's LSB, so p1 has the LSB of Pa * Pr.
    Result<SumPlan> hu = MakeSum(ctx, *p1, *p2, ty.state, p + "state", calls * n);
    if (!hu.ok()) return hu.error();
    c.h_update = *hu;
    ctx.NoteType(*p1);
  }
  c.rows_offset = 2 * n + 3 * gn + n;
  c.scratch = ctx.AddScratch(c.rows_offset + (a.return_sequences ? steps : 1) * n);
  return c;
}

}  // namespace

template <class M>
KernelResult<M> MakeRecurrentKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.output_quantizer) return ctx.NotHandled("an output quantizer on a recurrent layer");
  if (node.inputs.size() != 1 || node.outputs.empty()) {
    return ctx.Fail("expected one input and at least one output");
  }
  const ir::LayerSettings& st = node.settings;
  const bool resource = st.strategy == ir::Strategy::kResource;
  if (!resource && st.strategy != ir::Strategy::kLatency) {
    return ctx.NotHandled("a strategy other than Latency or Resource in a recurrent layer");
  }
  // Latency sums in ascending order (reuse factor 0 here).
  auto rf = [resource](int64_t r) { return resource ? r : int64_t{0}; };
  const TensorInfo& x = ctx.Tensor(node.inputs[0]);
  if (x.shape.size() != 2) {
    return ctx.Fail(
        fmt::format("expected an input [steps, features], got {}", ir::ToString(x.shape)));
  }
  Spec s;
  s.in = ctx.TensorId(node.inputs[0]);
  for (const std::string& o : node.outputs) s.outs.push_back(ctx.TensorId(o));
  s.steps = x.shape[0];
  s.n_in = x.shape[1];
  ctx.NoteType(x.type);

  CellTypes ty;
  ty.x = x.type;
  for (auto [key, target] : {std::pair{"accum", &ty.accum}, std::pair{"state", &ty.state},
                             std::pair{"table", &ty.table}}) {
    Result<FixedType> t = InternalType(ctx, key);
    if (!t.ok()) return t.error();
    *target = *t;
  }
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  if (node.is<ir::RecurrentAttrs>()) {
    const auto& a = node.as<ir::RecurrentAttrs>();
    s.sequences = a.return_sequences;
    Result<CellSpec> c = MakeCell(ctx, a, ty, s.steps, s.n_in, "", "recurrent_bias",
                                  rf(st.reuse_factor), rf(st.recurrent_reuse_factor));
    if (!c.ok()) return c.error();
    s.cells.push_back(std::move(c).value());
  } else {
    const auto& a = node.as<ir::BidirectionalAttrs>();
    s.merge = a.merge;
    if (a.forward.go_backwards || !a.backward.go_backwards) {
      return ctx.NotHandled(
          "a Bidirectional whose forward layer reads backwards or whose backward layer reads "
          "forwards");
    }
    s.bidirectional = true;
    s.sequences = a.forward.return_sequences;
    for (const bool fwd : {true, false}) {
      const std::string side = fwd ? "forward_" : "backward_";
      Result<CellSpec> c =
          MakeCell(ctx, fwd ? a.forward : a.backward, ty, s.steps, s.n_in, side,
                   side + "recurrent_bias", rf(fwd ? st.reuse_factor : st.backward_reuse_factor),
                   rf(fwd ? st.recurrent_reuse_factor : st.backward_recurrent_reuse_factor));
      if (!c.ok()) return c.error();
      s.cells.push_back(std::move(c).value());
    }
  }
  const bool merged = s.bidirectional && s.merge != ir::BidirectionalMerge::kConcat &&
                      s.merge != ir::BidirectionalMerge::kNone;
  if (merged && s.cells[0].n != s.cells[1].n) {
    return ctx.Fail("the forward and backward layers differ in units");
  }
  int64_t width = s.cells[0].n;
  if (s.bidirectional && s.merge == ir::BidirectionalMerge::kConcat) width += s.cells[1].n;
  const int64_t expected = (s.sequences ? s.steps : 1) * width;
  if (y.size != expected) {
    return ctx.Fail(fmt::format("output has {} values, expected {}", y.size, expected));
  }
  s.result = ctx.Plan(ty.state, y.type);
  if (merged) {
    Result<FixedType> m = s.merge == ir::BidirectionalMerge::kMul
                              ? fixed::MulResultType(ty.state, ty.state)
                              : fixed::AddResultType(ty.state, ty.state);
    if (!m.ok()) return ctx.Fail(m.error().message());
    FixedType from = *m;
    if (s.merge == ir::BidirectionalMerge::kAverage) {  // the same mantissa, one bit lower
      from = from.is_signed ? FixedType::Fixed(from.width + 1, from.integer)
                            : FixedType::UFixed(from.width + 1, from.integer);
    }
    s.merge_plan = ctx.Plan(from, y.type);
  }
  s.result_site = ctx.AddRunSite("result", y.type, expected);
  if (s.bidirectional && s.merge == ir::BidirectionalMerge::kNone) {
    if (node.outputs.size() != 2) return ctx.Fail("merge mode None needs two outputs");
    const TensorInfo& y2 = ctx.Tensor(node.outputs[1]);
    if (y2.size != (s.sequences ? s.steps : 1) * s.cells[1].n) {
      return ctx.Fail("the second output has the wrong size");
    }
    s.second_result = ctx.Plan(ty.state, y2.type);
    s.second_site = ctx.AddRunSite("result:1", y2.type, y2.size);
  } else {
    for (size_t o = 1; o < node.outputs.size(); ++o) {
      const TensorInfo& t = ctx.Tensor(node.outputs[o]);
      if (s.bidirectional || t.size != s.cells[0].n) {
        return ctx.NotHandled("these recurrent state outputs");
      }
      s.state_results.push_back(ctx.Plan(ty.state, t.type));
      s.state_sites.push_back(ctx.AddRunSite(o == 1 ? "state_h" : "state_c", t.type, t.size));
    }
  }
  return std::unique_ptr<Kernel<M>>(new RecurrentKernel<M>(s));
}

template KernelResult<std::int64_t> MakeRecurrentKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeRecurrentKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
