// Layers that move values without arithmetic, as hls4ml's io_parallel code computes them
// (docs/hls4ml-numerics.md, section 12). Each output element is a zero or a copy of one input
// element:
//   Permute      res[i] = result_t(x[perm(i)])                     (nnet::transpose)
//   ZeroPadding  zeros around result_t(x) copies                    (nnet::zeropad1d/2d_cl)
//   Cropping     result_t(x) copies of the kept window              (nnet::cropping1d/2d_cl)
//   UpSampling   nearest neighbour, copied without a cast           (nnet::resize_nearest)
//                source row (i * ry) >> 16 with ry = (in_h << 16) / out_h + 1, likewise the
//                column; a 1-D input is one row. resize_nearest writes its output in the input
//                type, which is the only output type hls4ml gives the layer.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "emulator/kernel.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;

struct LayoutSpec {
  int in = 0, out = 0;
  std::vector<int64_t> source;  // per output element: the input element, -1 for a zero
  bool cast = true;             // false: plain copies, no zeros (the types are equal)
  CastPlan plan;
  int site = 0;
};

template <class M>
class LayoutKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit LayoutKernel(const LayoutSpec& s) : s_(s) {}

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(s_.in)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.out)];
    if (!s_.cast) {
      for (size_t i = 0; i < s_.source.size(); ++i) y[i] = x[static_cast<size_t>(s_.source[i])];
      return;
    }
    const SiteCounter count = ws.Counter(s_.site);
    for (size_t i = 0; i < s_.source.size(); ++i) {
      const int64_t from = s_.source[i];
      y[i] = from < 0 ? M{} : A::Cast(A::Widen(x[static_cast<size_t>(from)]), s_.plan, count);
    }
  }

 private:
  LayoutSpec s_;
};

// Row-major strides of a shape.
std::vector<int64_t> Strides(const ir::Shape& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

// Calls fn(output_index, coordinates) for every element of `shape`, in row-major order.
template <class F>
void ForEachElement(const ir::Shape& shape, F&& fn) {
  std::vector<int64_t> idx(shape.size(), 0);
  const int64_t n = ir::NumElements(shape);
  for (int64_t i = 0; i < n; ++i) {
    fn(i, idx);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

Status PermuteSource(BuildContext& ctx, const ir::PermuteAttrs& a, const TensorInfo& x,
                     const TensorInfo& y, LayoutSpec& s) {
  const size_t rank = x.shape.size();
  std::vector<bool> seen(rank, false);
  bool valid = a.dims.size() == rank && y.shape.size() == rank;
  for (size_t k = 0; valid && k < rank; ++k) {
    const int64_t d = a.dims[k] - 1;
    valid = d >= 0 && d < static_cast<int64_t>(rank) && !seen[static_cast<size_t>(d)] &&
            y.shape[k] == x.shape[static_cast<size_t>(d)];
    if (valid) seen[static_cast<size_t>(d)] = true;
  }
  if (!valid) {
    return ctx.Fail(fmt::format("dims do not permute input {} into output {}",
                                ir::ToString(x.shape), ir::ToString(y.shape)));
  }
  const std::vector<int64_t> in_strides = Strides(x.shape);
  ForEachElement(y.shape, [&](int64_t, const std::vector<int64_t>& o) {
    int64_t from = 0;
    for (size_t k = 0; k < rank; ++k) from += o[k] * in_strides[static_cast<size_t>(a.dims[k] - 1)];
    s.source.push_back(from);
  });
  return Status::Ok();
}

// ZeroPadding (before/after > 0 adds zeros) and Cropping (they remove elements): the output
// coordinate o on a spatial axis reads input coordinate o - before (padding) or o + before
// (cropping).
Status WindowSource(BuildContext& ctx, const std::vector<std::pair<int64_t, int64_t>>& sides,
                    bool padding, const TensorInfo& x, const TensorInfo& y, LayoutSpec& s) {
  const size_t rank = sides.size();
  const char* what = padding ? "padding" : "cropping";
  if (rank != 1 && rank != 2) {
    return ctx.NotHandled(fmt::format("{} over {} spatial axes", what, rank));
  }
  bool valid =
      x.shape.size() == rank + 1 && y.shape.size() == rank + 1 && y.shape.back() == x.shape.back();
  for (size_t d = 0; valid && d < rank; ++d) {
    const auto [before, after] = sides[d];
    const int64_t change = before + after;
    valid = before >= 0 && after >= 0 &&
            y.shape[d] == (padding ? x.shape[d] + change : x.shape[d] - change);
  }
  if (!valid) {
    return ctx.Fail(fmt::format("{} does not turn input {} into output {}", what,
                                ir::ToString(x.shape), ir::ToString(y.shape)));
  }
  const std::vector<int64_t> in_strides = Strides(x.shape);
  ForEachElement(y.shape, [&](int64_t, const std::vector<int64_t>& o) {
    int64_t from = o[rank];
    for (size_t d = 0; d < rank; ++d) {
      const int64_t i = padding ? o[d] - sides[d].first : o[d] + sides[d].first;
      if (i < 0 || i >= x.shape[d]) {
        from = -1;
        break;
      }
      from += i * in_strides[d];
    }
    s.source.push_back(from);
  });
  return Status::Ok();
}

// hls4ml's resize_nearest source index along one axis, in its 32-bit int arithmetic.
Result<std::vector<int64_t>> NearestIndex(BuildContext& ctx, int64_t in, int64_t out) {
  constexpr int64_t kIntMax = 2147483647;
  if (in < 1 || out < 1 || (in << 16) > 4294967295LL) {
    return ctx.Fail(
        fmt::format("an axis of {} upsampled to {}: hls4ml's index arithmetic "
                    "overflows",
                    in, out));
  }
  const int64_t ratio = (in << 16) / out + 1;
  std::vector<int64_t> index;
  for (int64_t i = 0; i < out; ++i) {
    const int64_t p = i * ratio;
    if (p > kIntMax || (p >> 16) >= in) {
      return ctx.Fail(fmt::format(
          "an axis of {} upsampled to {}: hls4ml's index arithmetic overflows or reads past "
          "the input",
          in, out));
    }
    index.push_back(p >> 16);
  }
  return index;
}

Status UpSamplingSource(BuildContext& ctx, const ir::UpSamplingAttrs& a, const TensorInfo& x,
                        const TensorInfo& y, LayoutSpec& s) {
  if (a.bilinear) {
    return ctx.Fail(
        "bilinear interpolation: hls4ml emits nearest for bilinear; fixnn refuses rather than "
        "compute something the model does not");
  }
  const size_t rank = a.size.size();
  if (rank != 1 && rank != 2) {
    return ctx.NotHandled(fmt::format("upsampling over {} spatial axes", rank));
  }
  bool valid =
      x.shape.size() == rank + 1 && y.shape.size() == rank + 1 && y.shape.back() == x.shape.back();
  for (size_t d = 0; valid && d < rank; ++d) valid = y.shape[d] == x.shape[d] * a.size[d];
  if (!valid) {
    return ctx.Fail(fmt::format("size does not turn input {} into output {}", ir::ToString(x.shape),
                                ir::ToString(y.shape)));
  }
  if (!(x.type == y.type)) {
    return ctx.Fail(fmt::format(
        "result type {} differs from the input type {}: hls4ml gives UpSampling the input's "
        "type (resize_nearest copies without a cast), so configure the result as the input "
        "type",
        y.type.ToString(), x.type.ToString()));
  }
  const int64_t in_h = rank == 2 ? x.shape[0] : 1, out_h = rank == 2 ? y.shape[0] : 1;
  const int64_t in_w = x.shape[rank - 1], out_w = y.shape[rank - 1];
  const int64_t chan = x.shape.back();
  Result<std::vector<int64_t>> rows = NearestIndex(ctx, in_h, out_h);
  if (!rows.ok()) return rows.error();
  Result<std::vector<int64_t>> cols = NearestIndex(ctx, in_w, out_w);
  if (!cols.ok()) return cols.error();
  for (int64_t i = 0; i < out_h; ++i) {
    for (int64_t j = 0; j < out_w; ++j) {
      const int64_t base =
          ((*rows)[static_cast<size_t>(i)] * in_w + (*cols)[static_cast<size_t>(j)]) * chan;
      for (int64_t k = 0; k < chan; ++k) s.source.push_back(base + k);
    }
  }
  s.cast = false;
  return Status::Ok();
}

}  // namespace

template <class M>
KernelResult<M> MakeLayoutKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (Status st = ctx.CheckOneInOneOut(); !st.ok()) return st.error();
  const TensorInfo& x = ctx.Tensor(node.inputs[0]);
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  LayoutSpec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  Status st;
  switch (node.kind()) {
    case ir::OpKind::kPermute:
      st = PermuteSource(ctx, node.as<ir::PermuteAttrs>(), x, y, s);
      break;
    case ir::OpKind::kZeroPadding:
      st = WindowSource(ctx, node.as<ir::ZeroPaddingAttrs>().pads, true, x, y, s);
      break;
    case ir::OpKind::kCropping:
      st = WindowSource(ctx, node.as<ir::CroppingAttrs>().crops, false, x, y, s);
      break;
    case ir::OpKind::kUpSampling:
      st = UpSamplingSource(ctx, node.as<ir::UpSamplingAttrs>(), x, y, s);
      break;
    default:
      return ctx.NotHandled(std::string(ir::OpName(node.kind())));
  }
  if (!st.ok()) return st.error();
  if (static_cast<int64_t>(s.source.size()) != y.size) {
    return ctx.Fail("the output size does not match the layout");
  }
  if (s.cast) {
    int64_t copies = 0;
    for (int64_t from : s.source) copies += from >= 0 ? 1 : 0;
    s.plan = ctx.Plan(x.type, y.type);
    s.site = ctx.AddRunSite("result", y.type, copies);
  }
  return std::unique_ptr<Kernel<M>>(new LayoutKernel<M>(s));
}

template KernelResult<std::int64_t> MakeLayoutKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeLayoutKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
