// Recurrent layers as Keras' cells compute them (gate order i, f, c, o for LSTM and z, r, h
// for GRU), from a zero initial state. go_backwards reads the sequence from its end and, like
// Keras, returns the sequence in that reading order. QKeras cells quantize the previous state
// with the state quantizer at the start of every step and may replace the activations by
// quantizers.
#include <algorithm>

#include "ir/quantizer.h"
#include "reference/kernels.h"

namespace fixnn::reference {
namespace {

struct CellWeights {
  std::span<const double> kernel, recurrent, bias;
};

// Carves consecutive spans out of one buffer that lives across samples.
class Carver {
 public:
  Carver(std::vector<double>& buffer, int64_t total) : buffer_(buffer) {
    if (static_cast<int64_t>(buffer_.size()) < total) buffer_.resize(total);
  }
  std::span<double> Take(int64_t n) {
    std::span<double> s(buffer_.data() + used_, n);
    used_ += n;
    return s;
  }

 private:
  std::vector<double>& buffer_;
  int64_t used_ = 0;
};

int64_t Gates(ir::RecurrentCell cell) {
  switch (cell) {
    case ir::RecurrentCell::kSimpleRNN:
      return 1;
    case ir::RecurrentCell::kLSTM:
      return 4;
    case ir::RecurrentCell::kGRU:
      return 3;
  }
  return 1;
}

// Scratch one layer needs: gates, the quantized states, the GRU inner products.
int64_t LayerScratch(const ir::RecurrentAttrs& a) { return (Gates(a.cell) + 6) * a.units; }

// y[j] += sum_i x[i] * m[i, col0 + j] for j < n, m having `cols` columns.
void AddProduct(std::span<const double> x, std::span<const double> m, int64_t cols, int64_t col0,
                std::span<double> y) {
  const int64_t n = static_cast<int64_t>(y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double* row = m.data() + static_cast<int64_t>(i) * cols + col0;
    for (int64_t j = 0; j < n; ++j) y[j] += x[i] * row[j];
  }
}

class Layer {
 public:
  Layer(const ir::RecurrentAttrs& a, const CellWeights& w, Carver& carver)
      : a_(a), w_(w), u_(a.units), unit_shape_{a.units} {
    gates_ = carver.Take(Gates(a.cell) * u_);
    hq_ = carver.Take(u_);
    cq_ = carver.Take(u_);
    inner_ = carver.Take(3 * u_);
    tmp_ = carver.Take(u_);
  }

  // Runs over x [T, in]; writes each step's output to seq (T * units, in reading order; may be
  // empty) and the final states to h and c (c: LSTM only).
  void Run(std::span<const double> x, int64_t steps, std::span<double> seq, std::span<double> h,
           std::span<double> c) {
    const int64_t in = static_cast<int64_t>(x.size()) / steps;
    std::fill(h.begin(), h.end(), 0.0);
    std::fill(c.begin(), c.end(), 0.0);
    for (int64_t s = 0; s < steps; ++s) {
      const int64_t t = a_.go_backwards ? steps - 1 - s : s;
      std::span<const double> xt = x.subspan(t * in, in);
      std::copy(h.begin(), h.end(), hq_.begin());
      std::copy(c.begin(), c.end(), cq_.begin());
      if (a_.state_quantizer) {
        ir::ApplyQuantizer(*a_.state_quantizer, hq_);
        if (!c.empty()) ir::ApplyQuantizer(*a_.state_quantizer, cq_.first(c.size()));
      }
      switch (a_.cell) {
        case ir::RecurrentCell::kSimpleRNN:
          SimpleRnnStep(xt, h);
          break;
        case ir::RecurrentCell::kLSTM:
          LstmStep(xt, h, c);
          break;
        case ir::RecurrentCell::kGRU:
          GruStep(xt, h);
          break;
      }
      if (!seq.empty()) std::copy(h.begin(), h.end(), seq.begin() + s * u_);
    }
  }

 private:
  void Activation(std::span<double> v) {
    if (a_.activation_quantizer) {
      ir::ApplyQuantizer(*a_.activation_quantizer, v);
    } else {
      ApplyActivation(a_.activation, unit_shape_, v);
    }
  }
  void RecurrentActivation(std::span<double> v) {
    if (a_.recurrent_activation_quantizer) {
      ir::ApplyQuantizer(*a_.recurrent_activation_quantizer, v);
    } else {
      ApplyActivation(a_.recurrent_activation, unit_shape_, v);
    }
  }
  std::span<double> Gate(int64_t g) { return gates_.subspan(g * u_, u_); }

  // gates = x . kernel + bias (the input bias for GRU with reset_after).
  void InputProjection(std::span<const double> xt) {
    const int64_t cols = Gates(a_.cell) * u_;
    if (w_.bias.empty()) {
      std::fill(gates_.begin(), gates_.end(), 0.0);
    } else {
      std::copy_n(w_.bias.begin(), cols, gates_.begin());
    }
    AddProduct(xt, w_.kernel, cols, 0, gates_);
  }

  // h = act(x . W + b + hq . U)
  void SimpleRnnStep(std::span<const double> xt, std::span<double> h) {
    InputProjection(xt);
    AddProduct(hq_, w_.recurrent, u_, 0, gates_);
    Activation(gates_);
    std::copy(gates_.begin(), gates_.end(), h.begin());
  }

  // i, f, o = ract(z); c = f * cq + i * act(z_c); h = o * act(c)
  void LstmStep(std::span<const double> xt, std::span<double> h, std::span<double> c) {
    InputProjection(xt);
    AddProduct(hq_, w_.recurrent, 4 * u_, 0, gates_);
    RecurrentActivation(Gate(0));
    RecurrentActivation(Gate(1));
    Activation(Gate(2));
    RecurrentActivation(Gate(3));
    for (int64_t j = 0; j < u_; ++j) c[j] = Gate(1)[j] * cq_[j] + Gate(0)[j] * Gate(2)[j];
    std::copy(c.begin(), c.end(), tmp_.begin());
    Activation(tmp_);
    for (int64_t j = 0; j < u_; ++j) h[j] = Gate(3)[j] * tmp_[j];
  }

  // z, r = ract(x_zr + inner_zr); hh = act(x_h + r * inner_h) with reset_after, act(x_h +
  // (r * hq) . U_h) without; h = z * hq + (1 - z) * hh.
  void GruStep(std::span<const double> xt, std::span<double> h) {
    InputProjection(xt);
    std::span<double> inner = inner_;
    if (a_.reset_after) {
      if (w_.bias.empty()) {
        std::fill(inner.begin(), inner.end(), 0.0);
      } else {
        std::copy_n(w_.bias.begin() + 3 * u_, 3 * u_, inner.begin());
      }
      AddProduct(hq_, w_.recurrent, 3 * u_, 0, inner);
    } else {
      std::fill(inner.begin(), inner.end(), 0.0);
      AddProduct(hq_, w_.recurrent, 3 * u_, 0, inner.first(2 * u_));
    }
    std::span<double> z = Gate(0), r = Gate(1), hh = Gate(2);
    for (int64_t j = 0; j < u_; ++j) {
      z[j] += inner[j];
      r[j] += inner[u_ + j];
    }
    RecurrentActivation(z);
    RecurrentActivation(r);
    if (a_.reset_after) {
      for (int64_t j = 0; j < u_; ++j) hh[j] += r[j] * inner[2 * u_ + j];
    } else {
      for (int64_t j = 0; j < u_; ++j) tmp_[j] = r[j] * hq_[j];
      AddProduct(tmp_, w_.recurrent, 3 * u_, 2 * u_, hh);
    }
    Activation(hh);
    for (int64_t j = 0; j < u_; ++j) h[j] = z[j] * hq_[j] + (1.0 - z[j]) * hh[j];
  }

  const ir::RecurrentAttrs& a_;
  CellWeights w_;
  int64_t u_;
  ir::Shape unit_shape_;
  std::span<double> gates_, hq_, cq_, inner_, tmp_;
};

CellWeights WeightsOf(const KernelArgs& a, const ir::RecurrentAttrs& attrs,
                      const std::string& prefix) {
  return {a.W(prefix + "kernel"), a.W(prefix + "recurrent_kernel"),
          attrs.use_bias ? a.W(prefix + "bias") : std::span<const double>()};
}

bool IsLstm(const ir::RecurrentAttrs& a) { return a.cell == ir::RecurrentCell::kLSTM; }

}  // namespace

// Outputs: the sequence or the last output, then (return_state) h and, for LSTM, c.
Status RunKernel(const KernelArgs& a, const ir::RecurrentAttrs& attrs) {
  const int64_t steps = a.in_shape()[0];
  const int64_t u = attrs.units;
  Carver carver(*a.scratch, LayerScratch(attrs) + 2 * u);
  Layer layer(attrs, WeightsOf(a, attrs, ""), carver);
  std::span<double> h = attrs.return_state ? a.out[1].v : carver.Take(u);
  std::span<double> c;
  if (IsLstm(attrs)) c = attrs.return_state ? a.out[2].v : carver.Take(u);
  std::span<double> seq = attrs.return_sequences ? a.out[0].v : std::span<double>();
  layer.Run(a.in[0].v, steps, seq, h, c);
  if (!attrs.return_sequences) std::copy(h.begin(), h.end(), a.out[0].v.begin());
  return Status::Ok();
}

// Keras Bidirectional: both layers read the input (the backward one with its own
// go_backwards, normally true); a backward sequence is flipped back to time order before the
// merge. Outputs: the merged result (two for merge None), then the forward states and the
// backward states.
Status RunKernel(const KernelArgs& a, const ir::BidirectionalAttrs& attrs) {
  const ir::RecurrentAttrs& fa = attrs.forward;
  const ir::RecurrentAttrs& ba = attrs.backward;
  const int64_t steps = a.in_shape()[0];
  const bool seq = fa.return_sequences;
  const int64_t fn = seq ? steps * fa.units : fa.units;  // values of each direction's output
  const int64_t bn = seq ? steps * ba.units : ba.units;
  const int64_t states = 2 * (fa.units + ba.units);
  Carver carver(*a.scratch, LayerScratch(fa) + LayerScratch(ba) + fn + bn + states);
  Layer forward(fa, WeightsOf(a, fa, "forward_"), carver);
  Layer backward(ba, WeightsOf(a, ba, "backward_"), carver);
  std::span<double> fy = carver.Take(fn), by = carver.Take(bn);
  std::span<double> fh = carver.Take(fa.units), fc = carver.Take(fa.units);
  std::span<double> bh = carver.Take(ba.units), bc = carver.Take(ba.units);
  if (!IsLstm(fa)) fc = {};
  if (!IsLstm(ba)) bc = {};
  forward.Run(a.in[0].v, steps, seq ? fy : std::span<double>(), fh, fc);
  backward.Run(a.in[0].v, steps, seq ? by : std::span<double>(), bh, bc);
  if (!seq) {
    std::copy(fh.begin(), fh.end(), fy.begin());
    std::copy(bh.begin(), bh.end(), by.begin());
  } else {
    for (int64_t t = 0; t < steps / 2; ++t) {
      std::swap_ranges(by.begin() + t * ba.units, by.begin() + (t + 1) * ba.units,
                       by.begin() + (steps - 1 - t) * ba.units);
    }
  }

  size_t next = 1;
  std::span<double> y = a.out[0].v;
  const int64_t rows = seq ? steps : 1;
  switch (attrs.merge) {
    case ir::BidirectionalMerge::kConcat:
      for (int64_t t = 0; t < rows; ++t) {
        double* row = y.data() + t * (fa.units + ba.units);
        std::copy_n(fy.data() + t * fa.units, fa.units, row);
        std::copy_n(by.data() + t * ba.units, ba.units, row + fa.units);
      }
      break;
    case ir::BidirectionalMerge::kSum:
      for (size_t e = 0; e < y.size(); ++e) y[e] = fy[e] + by[e];
      break;
    case ir::BidirectionalMerge::kMul:
      for (size_t e = 0; e < y.size(); ++e) y[e] = fy[e] * by[e];
      break;
    case ir::BidirectionalMerge::kAverage:
      for (size_t e = 0; e < y.size(); ++e) y[e] = (fy[e] + by[e]) / 2.0;
      break;
    case ir::BidirectionalMerge::kNone:
      std::copy(fy.begin(), fy.end(), y.begin());
      std::copy(by.begin(), by.end(), a.out[1].v.begin());
      next = 2;
      break;
  }
  if (fa.return_state) {
    for (std::span<const double> s : {std::span<const double>(fh), std::span<const double>(fc),
                                      std::span<const double>(bh), std::span<const double>(bc)}) {
      if (s.empty()) continue;
      std::copy(s.begin(), s.end(), a.out[next++].v.begin());
    }
  }
  return Status::Ok();
}

}  // namespace fixnn::reference
