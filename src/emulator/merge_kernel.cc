// Merge, Concatenate and Dot of two inputs, as hls4ml's nnet_merge.h computes them
// (docs/hls4ml-numerics.md, section 11); a, b are the inputs in their own types:
//   Add, Subtract, Multiply   y = result_t(a + b), result_t(a - b), result_t(a * b) (exact)
//   Average                   y = result_t((a + b) * ap_ufixed<1,0>(0.5))
//   Maximum, Minimum          y = a > b ? result_t(a) : result_t(b) (a < b), exact comparison
//   Concatenate               result_t copies of a's block, then b's, per position before
//                             the axis
//   Dot (rank 1)              acc = accum_t(0); acc = accum_t(acc + accum_t(a_i * b_i)) in
//                             order; y = result_t(acc)
// Merges of different sizes use element k of the output from a[k % n_a] and b[k % n_b]
// (hls4ml's flat broadcasting); accepted only where that is the model's trailing-axis
// broadcast. hls4ml converts no merge of three or more inputs.
#include <fmt/format.h>

#include "emulator/kernel.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::WideInt;

enum class Op { kAdd, kSub, kMul, kAvg, kMax, kMin, kConcat, kDot };

struct MergeSpec {
  Op op = Op::kAdd;
  int a = 0, b = 0, out = 0;
  int64_t n = 0, n_a = 0, n_b = 0;
  int shift_a = 0, shift_b = 0;  // left shifts that bring a and b to a common LSB
  CastPlan result;               // the exact result -> result_t (Dot: accum_t -> result_t)
  CastPlan from_a, from_b;       // a -> result_t, b -> result_t (Maximum, Minimum, Concatenate)
  int64_t outer = 0, block_a = 0, block_b = 0;  // Concatenate
  CastPlan product, sum;                        // Dot: a*b -> accum_t, accum_t sums
  int site = 0, product_site = 0, sum_site = 0;
};

inline __int128 Shl(__int128 v, int k) { return v * (static_cast<__int128>(1) << k); }
inline WideInt Shl(const WideInt& v, int k) { return v.ShiftLeft(k); }

template <class M>
class MergeKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit MergeKernel(const MergeSpec& s) : s_(s) {}

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& a = ws.tensors[static_cast<size_t>(s_.a)];
    const std::vector<M>& b = ws.tensors[static_cast<size_t>(s_.b)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.out)];
    const SiteCounter c = ws.Counter(s_.site);
    if (s_.op == Op::kConcat) return Concat(a, b, y, c);
    if (s_.op == Op::kDot) return Dot(a, b, y, ws);
    for (int64_t k = 0; k < s_.n; ++k) {
      const M& u = a[static_cast<size_t>(k % s_.n_a)];
      const M& v = b[static_cast<size_t>(k % s_.n_b)];
      M r{};
      switch (s_.op) {
        case Op::kAdd:
        case Op::kAvg:  // the half only moves the LSB: the plan's source has one more bit
          r = A::Cast(Shl(A::Widen(u), s_.shift_a) + Shl(A::Widen(v), s_.shift_b), s_.result, c);
          break;
        case Op::kSub:
          r = A::Cast(Shl(A::Widen(u), s_.shift_a) - Shl(A::Widen(v), s_.shift_b), s_.result, c);
          break;
        case Op::kMul:
          r = A::Cast(A::Mul(u, v), s_.result, c);
          break;
        case Op::kMax:
        case Op::kMin: {
          const auto wu = Shl(A::Widen(u), s_.shift_a), wv = Shl(A::Widen(v), s_.shift_b);
          const bool first = s_.op == Op::kMax ? wu > wv : wu < wv;
          r = first ? A::Cast(A::Widen(u), s_.from_a, c) : A::Cast(A::Widen(v), s_.from_b, c);
          break;
        }
        case Op::kConcat:
        case Op::kDot:
          break;
      }
      y[static_cast<size_t>(k)] = r;
    }
  }

 private:
  void Concat(const std::vector<M>& a, const std::vector<M>& b, std::vector<M>& y,
              SiteCounter c) const {
    size_t k = 0;
    for (int64_t o = 0; o < s_.outer; ++o) {
      for (int64_t i = 0; i < s_.block_a; ++i) {
        y[k++] = A::Cast(A::Widen(a[static_cast<size_t>(o * s_.block_a + i)]), s_.from_a, c);
      }
      for (int64_t i = 0; i < s_.block_b; ++i) {
        y[k++] = A::Cast(A::Widen(b[static_cast<size_t>(o * s_.block_b + i)]), s_.from_b, c);
      }
    }
  }

  void Dot(const std::vector<M>& a, const std::vector<M>& b, std::vector<M>& y,
           Workspace<M>& ws) const {
    const SiteCounter product_count = ws.Counter(s_.product_site);
    const SiteCounter sum_count = ws.Counter(s_.sum_site);
    M acc = A::FromWideInt(WideInt(0));
    for (int64_t i = 0; i < s_.n_a; ++i) {
      const M p = A::Cast(A::Mul(a[static_cast<size_t>(i)], b[static_cast<size_t>(i)]), s_.product,
                          product_count);
      acc = A::Cast(A::Widen(acc) + A::Widen(p), s_.sum, sum_count);
    }
    y[0] = A::Cast(A::Widen(acc), s_.result, ws.Counter(s_.site));
  }

  MergeSpec s_;
};

Result<FixedType> Checked(BuildContext& ctx, Result<FixedType> t) {
  if (!t.ok()) return ctx.Fail(t.error().message());
  return t;
}

// Whether hls4ml's flat broadcast (element k reads x[k % size]) equals the model's
// trailing-axis broadcast of x to y: x's shape without leading 1s ends y's shape.
bool FlatBroadcastMatches(const ir::Shape& x, const ir::Shape& y) {
  size_t first = 0;
  while (first < x.size() && x[first] == 1) ++first;
  const size_t rest = x.size() - first;
  if (rest > y.size()) return false;
  return std::equal(x.begin() + static_cast<std::ptrdiff_t>(first), x.end(),
                    y.end() - static_cast<std::ptrdiff_t>(rest));
}

Status SetElementwise(BuildContext& ctx, MergeSpec& s, const TensorInfo& a, const TensorInfo& b,
                      const TensorInfo& y) {
  s.n = y.size;
  if (std::max(s.n_a, s.n_b) != s.n) {
    return ctx.Fail(
        fmt::format("inputs of {} and {} elements for an output of {}", s.n_a, s.n_b, s.n));
  }
  for (const TensorInfo* t : {&a, &b}) {
    if (t->size != s.n && !FlatBroadcastMatches(t->shape, y.shape)) {
      return ctx.NotHandled(fmt::format(
          "broadcasting {} to {} (hls4ml reads element k of the output from input[k % size], "
          "which is not this broadcast)",
          ir::ToString(t->shape), ir::ToString(y.shape)));
    }
  }
  const int lsb = std::min(a.type.lsb_exponent(), b.type.lsb_exponent());
  s.shift_a = a.type.lsb_exponent() - lsb;
  s.shift_b = b.type.lsb_exponent() - lsb;
  Result<FixedType> sum = Checked(ctx, fixed::AddResultType(a.type, b.type));
  if (!sum.ok()) return sum.error();
  switch (s.op) {
    case Op::kAdd:
      s.result = ctx.Plan(*sum, y.type);
      break;
    case Op::kSub: {
      Result<FixedType> diff = Checked(ctx, fixed::SubResultType(a.type, b.type));
      if (!diff.ok()) return diff.error();
      s.result = ctx.Plan(*diff, y.type);
      break;
    }
    case Op::kMul: {
      Result<FixedType> product = Checked(ctx, fixed::MulResultType(a.type, b.type));
      if (!product.ok()) return product.error();
      s.result = ctx.Plan(*product, y.type);
      break;
    }
    case Op::kAvg: {
      Result<FixedType> half = Checked(ctx, fixed::MulResultType(*sum, FixedType::UFixed(1, 0)));
      if (!half.ok()) return half.error();
      s.result = ctx.Plan(*half, y.type);
      break;
    }
    case Op::kMax:
    case Op::kMin:
      ctx.NoteType(*sum);  // the aligned values compared fit wherever the sum does
      s.from_a = ctx.Plan(a.type, y.type);
      s.from_b = ctx.Plan(b.type, y.type);
      break;
    case Op::kConcat:
    case Op::kDot:
      break;
  }
  if (s.op != Op::kMax && s.op != Op::kMin) ctx.NoteType(*sum);
  s.site = ctx.AddRunSite("result", y.type, s.n);
  return Status::Ok();
}

// hls4ml picks concatenate{1,2,3}d and, from the Keras axis (the batch is axis 0), the variant
// that joins along the last, middle or first axis.
Status SetConcat(BuildContext& ctx, MergeSpec& s, const TensorInfo& a, const TensorInfo& b,
                 const TensorInfo& y) {
  const auto rank = static_cast<int64_t>(y.shape.size());
  if (rank < 1 || rank > 3) {
    return ctx.Fail(fmt::format(
        "Concatenate of rank-{} tensors: hls4ml 1.3.0 has concatenate1d/2d/3d only", rank));
  }
  if (a.shape.size() != y.shape.size() || b.shape.size() != y.shape.size()) {
    return ctx.Fail("Concatenate inputs of different ranks");
  }
  const int64_t axis = ctx.node().as<ir::ConcatenateAttrs>().axis;
  int64_t d = 0;  // the non-batch axis hls4ml joins along
  if (rank == 2) {
    d = (axis == 2 || axis == -1) ? 1 : 0;
  } else if (rank == 3) {
    d = (axis == 3 || axis == -1) ? 2 : (axis == 2 || axis == -2) ? 1 : 0;
  }
  const int64_t model_d = axis < 0 ? axis + rank : axis - 1;
  if (model_d != d) {
    return ctx.Fail(
        fmt::format("Concatenate axis {} of rank-{} tensors: hls4ml joins along "
                    "non-batch axis {} instead",
                    axis, rank, d));
  }
  s.outer = 1;
  for (int64_t i = 0; i < d; ++i) s.outer *= y.shape[static_cast<size_t>(i)];
  if (s.outer == 0) return ctx.Fail("an empty Concatenate output");
  s.block_a = a.size / s.outer;
  s.block_b = b.size / s.outer;
  s.n = y.size;
  if (s.outer * (s.block_a + s.block_b) != y.size) {
    return ctx.Fail(fmt::format("Concatenate of {} and {} into {}", ir::ToString(a.shape),
                                ir::ToString(b.shape), ir::ToString(y.shape)));
  }
  s.from_a = ctx.Plan(a.type, y.type);
  s.from_b = ctx.Plan(b.type, y.type);
  s.site = ctx.AddRunSite("result", y.type, s.n);
  return Status::Ok();
}

bool IsBinary(const FixedType& t) {
  return !t.is_signed && t.width == 1 && t.integer == 1 && t.integer_spelling;
}
bool IsTernary(const FixedType& t) {
  return t.is_signed && t.width == 2 && t.integer == 2 && t.integer_spelling;
}

// Dot of two vectors (hls4ml's dot1d; `normalize` is not read by its converters).
Status SetDot(BuildContext& ctx, MergeSpec& s, const TensorInfo& a, const TensorInfo& b,
              const TensorInfo& y) {
  if (a.shape.size() != 1 || b.shape.size() != 1) {
    return ctx.Fail(fmt::format("Dot of {} and {}: hls4ml 1.3.0 converts Dot of rank-1 inputs only",
                                ir::ToString(a.shape), ir::ToString(b.shape)));
  }
  if (a.size != b.size || y.size != 1) return ctx.Fail("Dot inputs of different sizes");
  if (IsBinary(a.type) || IsBinary(b.type) || IsTernary(b.type)) {
    return ctx.NotHandled("Dot of binary or ternary inputs (hls4ml's xnor / ternary products)");
  }
  auto it = ctx.node().types.find("accum");
  if (it == ctx.node().types.end()) {
    return ctx.Fail("no 'accum' type; run passes::Configure first");
  }
  const FixedType& accum = it->second;
  ctx.NoteType(accum);
  Result<FixedType> product = Checked(ctx, fixed::MulResultType(a.type, b.type));
  Result<FixedType> sum = Checked(ctx, fixed::AddResultType(accum, accum));
  if (!product.ok()) return product.error();
  if (!sum.ok()) return sum.error();
  s.product = ctx.Plan(*product, accum);
  s.sum = ctx.Plan(*sum, accum);
  s.result = ctx.Plan(accum, y.type);
  s.product_site = ctx.AddRunSite("product", accum, a.size);
  s.sum_site = ctx.AddRunSite("accum", accum, a.size);
  s.site = ctx.AddRunSite("result", y.type, 1);
  return Status::Ok();
}

Op MergeOp(ir::MergeKind kind) {
  switch (kind) {
    case ir::MergeKind::kAdd:
      return Op::kAdd;
    case ir::MergeKind::kSubtract:
      return Op::kSub;
    case ir::MergeKind::kMultiply:
      return Op::kMul;
    case ir::MergeKind::kAverage:
      return Op::kAvg;
    case ir::MergeKind::kMaximum:
      return Op::kMax;
    case ir::MergeKind::kMinimum:
      return Op::kMin;
  }
  return Op::kAdd;
}

}  // namespace

template <class M>
KernelResult<M> MakeMergeKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.output_quantizer) {
    return ctx.NotHandled(fmt::format("an output quantizer on {}", ir::OpName(node.kind())));
  }
  if (node.inputs.size() != 2) {
    return ctx.Fail(fmt::format(
        "{} inputs: hls4ml 1.3.0 converts merges of exactly two inputs (chain two-input "
        "layers instead)",
        node.inputs.size()));
  }
  if (node.outputs.size() != 1) return ctx.Fail("expected one output");
  const TensorInfo& a = ctx.Tensor(node.inputs[0]);
  const TensorInfo& b = ctx.Tensor(node.inputs[1]);
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  MergeSpec s;
  s.a = ctx.TensorId(node.inputs[0]);
  s.b = ctx.TensorId(node.inputs[1]);
  s.out = ctx.TensorId(node.outputs[0]);
  s.n_a = a.size;
  s.n_b = b.size;
  if (s.n_a == 0 || s.n_b == 0) return ctx.Fail("an empty input");
  Status st;
  if (node.is<ir::MergeAttrs>()) {
    s.op = MergeOp(node.as<ir::MergeAttrs>().kind);
    st = SetElementwise(ctx, s, a, b, y);
  } else if (node.is<ir::ConcatenateAttrs>()) {
    s.op = Op::kConcat;
    st = SetConcat(ctx, s, a, b, y);
  } else if (node.is<ir::DotAttrs>()) {
    s.op = Op::kDot;
    st = SetDot(ctx, s, a, b, y);
  } else {
    return ctx.NotHandled(std::string(ir::OpName(node.kind())));
  }
  if (!st.ok()) return st.error();
  return std::unique_ptr<Kernel<M>>(new MergeKernel<M>(s));
}

template KernelResult<std::int64_t> MakeMergeKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeMergeKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
