// Embedding, as hls4ml's nnet_embed.h computes it (docs/hls4ml-numerics.md, section 12):
//   y[j * n_out + i] = result_t(E[long(x_j * n_out + i)])
// x_j is the token id as the input tensor holds it (already converted into input_t, so ids
// past input_t's range have wrapped), the subscript conversion truncates toward zero, and E
// holds the embeddings stored through hls4ml's decimal text in embeddings_t.
//
// hls4ml does not check the subscript: an id at or above the vocabulary (or a negative one)
// reads past the table. The emulator cannot stop per sample, so it counts each such read in
// the overflow report, at the node's "index" site (above: past the end; below: negative), and
// outputs 0 there; it never clamps the id to the table.
#include <fmt/format.h>

#include "emulator/hls4ml_weights.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::WideInt;

struct EmbeddingSpec {
  int in = 0, out = 0;
  int64_t n_in = 0, n_out = 0, entries = 0;  // entries = vocabulary * n_out
  int lsb = 0;                               // the input's LSB exponent
  std::vector<WideInt> table;                // result_t(E[k])
  std::vector<uint8_t> table_out;            // 0, 1: above result_t's range, 2: below
  int result_site = 0, index_site = 0;
};

// floor(u) and ceil(u) of u = m * n_out * 2^lsb, or `huge` when |u| may pass 2^62 (every
// subscript is then out of the table).
struct IdBounds {
  int64_t floor = 0, ceil = 0;
  bool huge = false;
};

constexpr int64_t kHuge = int64_t{1} << 62;

IdBounds Bounds(std::int64_t m, int64_t n_out, int lsb) {
  const __int128 p = static_cast<__int128>(m) * n_out;
  IdBounds b;
  if (lsb >= 0) {
    if (lsb >= 62 || (p < 0 ? -p : p) >= (static_cast<__int128>(kHuge) >> lsb)) {
      b.huge = p != 0;
      return b;
    }
    b.floor = b.ceil = static_cast<int64_t>(p * (static_cast<__int128>(1) << lsb));
    return b;
  }
  const int k = -lsb;
  if (k >= 126) {
    b.floor = p < 0 ? -1 : 0;
    b.ceil = p > 0 ? 1 : 0;
    return b;
  }
  const __int128 d = static_cast<__int128>(1) << k;
  __int128 fl = p / d, ce = p / d;  // toward zero, then adjusted
  if (fl * d != p) {
    if (p < 0) {
      fl -= 1;
    } else {
      ce += 1;
    }
  }
  if (fl >= kHuge || fl <= -kHuge || ce >= kHuge || ce <= -kHuge) {
    b.huge = true;
    return b;
  }
  b.floor = static_cast<int64_t>(fl);
  b.ceil = static_cast<int64_t>(ce);
  return b;
}

IdBounds Bounds(const WideInt& m, int64_t n_out, int lsb) {
  const WideInt p = m * WideInt(n_out);
  WideInt fl, ce;
  if (lsb >= 0) {
    bool lost = false;
    fl = ce = lsb >= 300 ? WideInt(0) : p.ShiftLeft(lsb, &lost);
    if (lost || (lsb >= 300 && !p.IsZero())) return {0, 0, true};
  } else {
    fl = p.ShiftRightFloor(-lsb);
    ce = -((-p).ShiftRightFloor(-lsb));
  }
  const WideInt limit(kHuge);
  if (fl >= limit || fl <= -limit || ce >= limit || ce <= -limit) return {0, 0, true};
  return {fl.ToInt64(), ce.ToInt64(), false};
}

template <class M>
class EmbeddingKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit EmbeddingKernel(const EmbeddingSpec& s) : s_(s) {
    for (const WideInt& v : s.table) table_.push_back(A::FromWideInt(v));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(s_.in)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.out)];
    const SiteCounter result_count = ws.Counter(s_.result_site);
    const SiteCounter index_count = ws.Counter(s_.index_site);
    const M zero = A::FromWideInt(WideInt(0));
    for (int64_t j = 0; j < s_.n_in; ++j) {
      const IdBounds b = Bounds(x[static_cast<size_t>(j)], s_.n_out, s_.lsb);
      M* row = y.data() + j * s_.n_out;
      for (int64_t i = 0; i < s_.n_out; ++i) {
        if (b.huge) {
          row[i] = zero;
          ++index_count[A::IsNegative(x[static_cast<size_t>(j)]) ? 1 : 0];
          continue;
        }
        // trunc0(u + i): floor(u) + i when that is >= 0, else ceil(u) + i (then u + i < 0).
        const int64_t k = b.floor + i >= 0 ? b.floor + i : b.ceil + i;
        if (k < 0 || k >= s_.entries) {
          row[i] = zero;
          ++index_count[k < 0 ? 1 : 0];
          continue;
        }
        const auto e = static_cast<size_t>(k);
        row[i] = table_[e];
        if (s_.table_out[e] != 0) ++result_count[s_.table_out[e] - 1];
      }
    }
  }

 private:
  EmbeddingSpec s_;
  std::vector<M> table_;
};

}  // namespace

template <class M>
KernelResult<M> MakeEmbeddingKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.output_quantizer) return ctx.NotHandled("an output quantizer on Embedding");
  if (node.inputs.size() != 1 || node.outputs.size() != 1) {
    return ctx.Fail("expected one input and one output");
  }
  const auto& attrs = node.as<ir::EmbeddingAttrs>();
  const TensorInfo& x = ctx.Tensor(node.inputs[0]);
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  const ir::Weight* w = node.FindWeight("embeddings");
  if (w == nullptr || attrs.input_dim <= 0 || attrs.output_dim <= 0 ||
      static_cast<int64_t>(w->values.size()) != attrs.input_dim * attrs.output_dim) {
    return ctx.Fail("expected an embeddings weight [input_dim, output_dim]");
  }
  if (y.size != x.size * attrs.output_dim) {
    return ctx.Fail(fmt::format("an output of {} values for {} ids of {} values each", y.size,
                                x.size, attrs.output_dim));
  }
  if (!w->precision.type) {
    if (w->precision.per_element) return ctx.NotHandled("per-element embedding types");
    return ctx.Fail("weight 'embeddings' has no type; run passes::Configure first");
  }
  if (w->quantizer) return ctx.NotHandled("a quantizer on the embeddings");
  const FixedType& et = *w->precision.type;
  ctx.NoteType(et);
  fixed::OverflowCounts counts;
  Result<std::vector<WideInt>> stored = StoreArrayThroughText(w->values, et, &counts);
  if (!stored.ok()) {
    return ctx.Fail(fmt::format("weight 'embeddings': {}", stored.error().message()));
  }
  ctx.AddSetupSite("weight:embeddings", et, static_cast<int64_t>(w->values.size()), counts);

  EmbeddingSpec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  s.n_in = x.size;
  s.n_out = attrs.output_dim;
  s.entries = attrs.input_dim * attrs.output_dim;
  s.lsb = x.type.lsb_exponent();
  for (const WideInt& e : *stored) {
    fixed::CastEvents ev;
    s.table.push_back(fixed::Cast(fixed::FixedValue::FromMantissa(et, e), y.type, &ev).mantissa());
    s.table_out.push_back(ev.overflow ? 1 : ev.underflow ? 2 : 0);
  }
  s.result_site = ctx.AddRunSite("result", y.type, y.size);
  // The subscript hls4ml computes is a long (ap_fixed's operator long).
  s.index_site = ctx.AddRunSite("index", FixedType::Int(64), y.size);
  return std::unique_ptr<Kernel<M>>(new EmbeddingKernel<M>(s));
}

template KernelResult<std::int64_t> MakeEmbeddingKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeEmbeddingKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
