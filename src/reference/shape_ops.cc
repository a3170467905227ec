// Data movement: Input, Flatten, Reshape, Permute, ZeroPadding, Cropping, UpSampling.
#include <algorithm>
#include <cmath>

#include "reference/kernels.h"

namespace fixnn::reference {
namespace {

// Copies channel vectors: output spatial position o reads input position source(d, o_d) on
// each spatial axis d, or writes zeros when source returns -1.
template <typename F>
void MapSpatial(const KernelArgs& a, F&& source) {
  const ir::Shape& in = a.in_shape();
  const ir::Shape& out = a.out_shape();
  const size_t rank = out.size() - 1;
  const int64_t ch = out.back();
  const std::vector<int64_t> in_strides = Strides(in);
  const int64_t positions = ir::NumElements(out) / ch;
  for (int64_t p = 0; p < positions; ++p) {
    int64_t rest = p;
    int64_t offset = 0;
    bool inside = true;
    for (size_t d = rank; d-- > 0;) {
      const int64_t i = source(d, rest % out[d]);
      rest /= out[d];
      if (i < 0) {
        inside = false;
        break;
      }
      offset += i * in_strides[d];
    }
    double* y = a.out[0].v.data() + p * ch;
    if (inside) {
      std::copy_n(a.in[0].v.data() + offset, ch, y);
    } else {
      std::fill_n(y, ch, 0.0);
    }
  }
}

// Flatten and Reshape keep the row-major order.
Status Copy(const KernelArgs& a) {
  std::copy(a.in[0].v.begin(), a.in[0].v.end(), a.out[0].v.begin());
  return Status::Ok();
}

}  // namespace

// The executor fills the input tensor from the batch.
Status RunKernel(const KernelArgs&, const ir::InputAttrs&) { return Status::Ok(); }

Status RunKernel(const KernelArgs& a, const ir::FlattenAttrs&) { return Copy(a); }

Status RunKernel(const KernelArgs& a, const ir::ReshapeAttrs&) { return Copy(a); }

// Output axis j is input axis dims[j] - 1.
Status RunKernel(const KernelArgs& a, const ir::PermuteAttrs& attrs) {
  const ir::Shape& out = a.out_shape();
  const std::vector<int64_t> in_strides = Strides(a.in_shape());
  for (size_t e = 0; e < a.out[0].v.size(); ++e) {
    int64_t rest = static_cast<int64_t>(e);
    int64_t offset = 0;
    for (size_t j = out.size(); j-- > 0;) {
      offset += (rest % out[j]) * in_strides[attrs.dims[j] - 1];
      rest /= out[j];
    }
    a.out[0].v[e] = a.in[0].v[offset];
  }
  return Status::Ok();
}

Status RunKernel(const KernelArgs& a, const ir::ZeroPaddingAttrs& attrs) {
  const ir::Shape& in = a.in_shape();
  MapSpatial(a, [&](size_t d, int64_t o) {
    const int64_t i = o - attrs.pads[d].first;
    return i >= 0 && i < in[d] ? i : -1;
  });
  return Status::Ok();
}

Status RunKernel(const KernelArgs& a, const ir::CroppingAttrs& attrs) {
  MapSpatial(a, [&](size_t d, int64_t o) { return o + attrs.crops[d].first; });
  return Status::Ok();
}

// Nearest neighbour: output o on axis d repeats input o / size[d].
namespace {

// Half-pixel linear interpolation along one axis (see UpSamplingAttrs).
struct Lerp {
  int64_t lo, hi;
  double w;
};

Lerp SourceOf(int64_t o, int64_t size, int64_t in) {
  const double s = (static_cast<double>(o) + 0.5) / static_cast<double>(size) - 0.5;
  const double f = std::floor(s);
  return {std::clamp(static_cast<int64_t>(f), int64_t{0}, in - 1),
          std::clamp(static_cast<int64_t>(std::ceil(s)), int64_t{0}, in - 1), s - f};
}

Status Bilinear(const KernelArgs& a, const ir::UpSamplingAttrs& attrs) {
  const ir::Shape& in = a.in_shape();
  const ir::Shape& out = a.out_shape();
  if (in.size() != 3) return a.Fail("bilinear upsampling needs a 2D input");
  const int64_t ch = in[2];
  auto at = [&](int64_t y, int64_t x, int64_t c) {
    return a.in[0].v[static_cast<size_t>((y * in[1] + x) * ch + c)];
  };
  for (int64_t oy = 0; oy < out[0]; ++oy) {
    const Lerp ly = SourceOf(oy, attrs.size[0], in[0]);
    for (int64_t ox = 0; ox < out[1]; ++ox) {
      const Lerp lx = SourceOf(ox, attrs.size[1], in[1]);
      for (int64_t c = 0; c < ch; ++c) {
        const double top = at(ly.lo, lx.lo, c) + (at(ly.lo, lx.hi, c) - at(ly.lo, lx.lo, c)) * lx.w;
        const double bottom =
            at(ly.hi, lx.lo, c) + (at(ly.hi, lx.hi, c) - at(ly.hi, lx.lo, c)) * lx.w;
        a.out[0].v[static_cast<size_t>((oy * out[1] + ox) * ch + c)] = top + (bottom - top) * ly.w;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status RunKernel(const KernelArgs& a, const ir::UpSamplingAttrs& attrs) {
  if (attrs.bilinear) return Bilinear(a, attrs);
  MapSpatial(a, [&](size_t d, int64_t o) { return o / attrs.size[d]; });
  return Status::Ok();
}

}  // namespace fixnn::reference
