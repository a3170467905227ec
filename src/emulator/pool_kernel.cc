// Pooling, as hls4ml's io_parallel code (Vitis nnet_pooling.h) computes it
// (docs/hls4ml-numerics.md, section 7). Windows follow TensorFlow's 'valid' / 'same' geometry
// (padding split as total / 2 before, the rest after); a window's cells are visited row-major
// and a padded cell holds pad_val:
//   max      y = x[0]; y = x[t] > y ? x[t] : y          res = result_t(accum_t(y))
//            pad_val is the input type with only its top bit set: the minimum of a signed type,
//            but 2^(I-1), a large positive value, for an unsigned one.
//   average  acc = accum_t(0); acc = accum_t(acc + x[t])  (padded cells add 0)
//            acc = trunc0(acc / count) at accum_t's LSB    (ap_fixed divided by an unsigned int)
//            res = result_t(acc), count = the window's unpadded cells
// GlobalPool is the same over all positions of a channel (count = H*W, no padding).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "emulator/kernel.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::WideInt;

__int128 ShiftUp(__int128 v, int n) { return v << n; }
WideInt ShiftUp(const WideInt& v, int n) { return v.ShiftLeft(n); }

// The quotient truncated toward zero, as ap_fixed's sdiv / udiv by a positive integer d.
std::int64_t DivTrunc(std::int64_t m, std::int64_t d) { return m / d; }
WideInt DivTrunc(const WideInt& m, std::int64_t d) {
  const bool negative = m.IsNegative();
  const WideInt a = negative ? -m : m;
  WideInt q(0);
  std::int64_t rem = 0;  // < d, so 2 * rem + 1 fits
  for (int i = a.SignedBitLength() - 1; i >= 0; --i) {
    rem = 2 * rem + (a.Bit(i) ? 1 : 0);
    if (rem >= d) {
      rem -= d;
      q.SetBit(i, true);
    }
  }
  return negative ? -q : q;
}

struct PoolSpec {
  bool is_max = true;
  int in = 0, out = 0;
  int64_t channels = 0, positions = 0, window = 0;
  std::vector<int64_t> taps;       // [o * window + t]: input position of tap t, -1 where padded
  std::vector<int64_t> counts;     // per output position: its unpadded cells
  WideInt pad;                     // max: a padded cell's mantissa in the input type
  int acc_shift = 0, x_shift = 0;  // average: both terms onto the sum's LSB
  CastPlan to_accum;               // max: x -> accum_t; average: acc + x -> accum_t
  CastPlan result;                 // accum_t -> result_t
  int accum_site = 0, result_site = 0;
};

template <class M>
class PoolKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit PoolKernel(const PoolSpec& s) : s_(s), pad_(A::FromWideInt(s.pad)) {}

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(s_.in)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.out)];
    const SiteCounter accum_count = ws.Counter(s_.accum_site);
    const SiteCounter result_count = ws.Counter(s_.result_site);
    const int64_t c_n = s_.channels;
    for (int64_t o = 0; o < s_.positions; ++o) {
      const int64_t* taps = s_.taps.data() + o * s_.window;
      for (int64_t c = 0; c < c_n; ++c) {
        M acc{};
        if (s_.is_max) {
          M m = taps[0] < 0 ? pad_ : x[static_cast<size_t>(taps[0] * c_n + c)];
          for (int64_t t = 1; t < s_.window; ++t) {
            const M& v = taps[t] < 0 ? pad_ : x[static_cast<size_t>(taps[t] * c_n + c)];
            if (v > m) m = v;
          }
          acc = A::Cast(A::Widen(m), s_.to_accum, accum_count);
        } else {
          // A padded cell adds an exact 0 to a value already in accum_t: nothing changes.
          for (int64_t t = 0; t < s_.window; ++t) {
            if (taps[t] < 0) continue;
            const M& v = x[static_cast<size_t>(taps[t] * c_n + c)];
            acc = A::Cast(ShiftUp(A::Widen(acc), s_.acc_shift) + ShiftUp(A::Widen(v), s_.x_shift),
                          s_.to_accum, accum_count);
          }
          acc = DivTrunc(acc, s_.counts[static_cast<size_t>(o)]);
        }
        y[static_cast<size_t>(o * c_n + c)] = A::Cast(A::Widen(acc), s_.result, result_count);
      }
    }
  }

 private:
  PoolSpec s_;
  M pad_;
};

// TensorFlow's padding before a window axis: total = max((out - 1) * s + k - in, 0), half of it
// (rounded down) before.
int64_t PadBefore(ir::Padding padding, int64_t in, int64_t out, int64_t k, int64_t s) {
  if (padding != ir::Padding::kSame) return 0;
  const int64_t total = std::max<int64_t>((out - 1) * s + k - in, 0);
  return total / 2;
}

// The window table of a Pool node: taps and unpadded counts per output position.
Status PoolWindows(BuildContext& ctx, const ir::PoolAttrs& a, const TensorInfo& x,
                   const TensorInfo& y, PoolSpec& s) {
  const size_t rank = a.pool.size();
  if (rank != 1 && rank != 2) {
    return ctx.NotHandled(fmt::format("pooling over {} spatial axes", rank));
  }
  if (x.shape.size() != rank + 1 || y.shape.size() != rank + 1) {
    return ctx.Fail(fmt::format("expected a rank-{} input and output, got {} and {}", rank + 1,
                                ir::ToString(x.shape), ir::ToString(y.shape)));
  }
  if (a.padding == ir::Padding::kCausal) return ctx.Fail("pooling does not take causal padding");
  const std::vector<int64_t> strides = a.strides.empty() ? a.pool : a.strides;
  if (strides.size() != rank) return ctx.Fail("one stride per pooled axis expected");
  std::vector<int64_t> pad(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = x.shape[d], out = y.shape[d], k = a.pool[d], st = strides[d];
    if (k < 1 || st < 1) return ctx.Fail("pool sizes and strides must be positive");
    // hls4ml's loop visits (in + pad_total - k) / s + 1 window origins.
    const int64_t expect =
        a.padding == ir::Padding::kSame ? (in + st - 1) / st : (in >= k ? (in - k) / st + 1 : 0);
    if (out != expect) {
      return ctx.Fail(fmt::format("output size {} on pooled axis {}: the window geometry gives {}",
                                  out, d, expect));
    }
    pad[d] = PadBefore(a.padding, in, out, k, st);
  }
  s.channels = x.shape.back();
  s.positions = y.size / std::max<int64_t>(s.channels, 1);
  s.window = 1;
  for (int64_t k : a.pool) s.window *= k;
  s.taps.reserve(static_cast<size_t>(s.positions * s.window));
  const int64_t out_w = rank == 2 ? y.shape[1] : 1;
  const int64_t in_w = rank == 2 ? x.shape[1] : 1;
  const int64_t k_w = a.pool.back();
  for (int64_t o = 0; o < s.positions; ++o) {
    // Spatial coordinates (row, column); a 1-D pool is a single row.
    const int64_t orow = rank == 2 ? o / out_w : 0, ocol = rank == 2 ? o % out_w : o;
    int64_t count = 0;
    for (int64_t t = 0; t < s.window; ++t) {
      const int64_t trow = t / k_w, tcol = t % k_w;
      const int64_t r = rank == 2 ? orow * strides[0] + trow - pad[0] : 0;
      const int64_t col = ocol * strides.back() + tcol - pad.back();
      const bool inside =
          r >= 0 && (rank == 1 || r < x.shape[0]) && col >= 0 && col < x.shape[rank - 1];
      s.taps.push_back(inside ? r * in_w + col : -1);
      count += inside ? 1 : 0;
    }
    if (count == 0) return ctx.Fail("a pooling window lies entirely in the padding");
    s.counts.push_back(count);
  }
  return Status::Ok();
}

// The window table of a GlobalPool node: one window over every position.
Status GlobalWindows(BuildContext& ctx, const ir::GlobalPoolAttrs& a, const TensorInfo& x,
                     const TensorInfo& y, PoolSpec& s) {
  if (a.keepdims) {
    return ctx.Fail(
        "global pooling with keepdims=True: hls4ml 1.3.0 cannot convert it (its io_parallel "
        "code generation fails with an IndexError); fixnn refuses rather than guess the result");
  }
  if (a.spatial_rank != 1 && a.spatial_rank != 2) {
    return ctx.NotHandled(fmt::format("global pooling over {} spatial axes", a.spatial_rank));
  }
  if (static_cast<int64_t>(x.shape.size()) != a.spatial_rank + 1 || y.shape.size() != 1 ||
      y.shape[0] != x.shape.back()) {
    return ctx.Fail(fmt::format("expected a rank-{} input and one value per channel, got {} and {}",
                                a.spatial_rank + 1, ir::ToString(x.shape), ir::ToString(y.shape)));
  }
  s.channels = x.shape.back();
  s.window = x.size / std::max<int64_t>(s.channels, 1);
  if (s.window < 1) return ctx.Fail("global pooling over an empty input");
  s.positions = 1;
  for (int64_t t = 0; t < s.window; ++t) s.taps.push_back(t);
  s.counts.push_back(s.window);
  return Status::Ok();
}

// QKeras multiplies its average by area * q(1 / area) (the average_quantizer q). hls4ml 1.3.0
// has no converter for QAveragePooling / QGlobalAveragePooling, so there is nothing to match.
Status CheckAverageQuantizer(BuildContext& ctx, const std::optional<ir::Quantizer>& q) {
  if (!q) return Status::Ok();
  return ctx.Fail(fmt::format(
      "average_quantizer '{}': hls4ml 1.3.0 cannot convert QKeras' quantized average pooling "
      "('Unsupported layer type'), so there is no hls4ml result to emulate",
      q->spelling));
}

}  // namespace

template <class M>
KernelResult<M> MakePoolKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (Status st = ctx.CheckOneInOneOut(); !st.ok()) return st.error();
  const TensorInfo& x = ctx.Tensor(node.inputs[0]);
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  PoolSpec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  Status st;
  if (node.is<ir::PoolAttrs>()) {
    const auto& a = node.as<ir::PoolAttrs>();
    s.is_max = a.kind == ir::PoolKind::kMax;
    if (!s.is_max) st = CheckAverageQuantizer(ctx, a.average_quantizer);
    if (st.ok()) st = PoolWindows(ctx, a, x, y, s);
  } else {
    const auto& a = node.as<ir::GlobalPoolAttrs>();
    s.is_max = a.kind == ir::PoolKind::kMax;
    if (!s.is_max) st = CheckAverageQuantizer(ctx, a.average_quantizer);
    if (st.ok()) st = GlobalWindows(ctx, a, x, y, s);
  }
  if (!st.ok()) return st.error();

  auto accum_it = node.types.find("accum");
  if (accum_it == node.types.end()) {
    return ctx.Fail("no 'accum' type; run passes::Configure first");
  }
  const FixedType& accum = accum_it->second;
  ctx.NoteType(accum);
  const int64_t outputs = s.positions * s.channels;
  if (s.is_max) {
    // Only the top bit set: -2^(W-1) for a signed type, +2^(W-1) for an unsigned one.
    const WideInt top = WideInt::PowerOfTwo(x.type.width - 1);
    s.pad = x.type.is_signed ? -top : top;
    s.to_accum = ctx.Plan(x.type, accum);
    s.accum_site = ctx.AddRunSite("accum", accum, outputs);
  } else {
    Result<FixedType> sum = fixed::AddResultType(accum, x.type);
    if (!sum.ok()) return ctx.Fail(sum.error().message());
    s.acc_shift = accum.lsb_exponent() - sum->lsb_exponent();
    s.x_shift = x.type.lsb_exponent() - sum->lsb_exponent();
    s.to_accum = ctx.Plan(*sum, accum);
    s.accum_site = ctx.AddRunSite("accum", accum, outputs * s.window);
  }
  s.result = ctx.Plan(accum, y.type);
  s.result_site = ctx.AddRunSite("result", y.type, outputs);
  return std::unique_ptr<Kernel<M>>(new PoolKernel<M>(s));
}

template KernelResult<std::int64_t> MakePoolKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakePoolKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
