// Recurrent layers: a hand-computed SimpleRNN, and LSTM / GRU / Bidirectional against a
// unit-by-unit implementation in the test written from Keras' cell equations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "reference/reference_test_util.h"

namespace fixnn::reference {
namespace {

using ir::RecurrentAttrs;
using ir::RecurrentCell;
using testing::MakeNode;
using testing::Pseudo;
using testing::Run1;
using testing::RunOne;
using testing::W;

using V = std::vector<double>;

RecurrentAttrs Rnn(RecurrentCell cell, int64_t units, bool seq, bool state, bool back = false) {
  RecurrentAttrs a;
  a.cell = cell;
  a.units = units;
  a.return_sequences = seq;
  a.return_state = state;
  a.go_backwards = back;
  return a;
}

void ExpectAllNear(const V& got, const V& want, double tol = 1e-12) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

TEST(ReferenceRecurrent, SimpleRnnByHand) {
  // units 1, linear: h_t = 0.5 x_t + 0.1 + 0.25 h_{t-1}.
  RecurrentAttrs a = Rnn(RecurrentCell::kSimpleRNN, 1, true, false);
  a.activation = ir::ActivationAttrs{ir::ActivationFn::kLinear};
  std::vector<ir::Weight> w = {W("kernel", {1, 1}, {0.5}), W("recurrent_kernel", {1, 1}, {0.25}),
                               W("bias", {1}, {0.1})};
  ExpectAllNear(Run1({3, 1}, MakeNode("rnn", a, {"x0"}, w), {1, 2, 3}), {0.6, 1.25, 1.9125});
  // go_backwards reads 3, 2, 1 and returns the outputs in that order.
  a.go_backwards = true;
  ExpectAllNear(Run1({3, 1}, MakeNode("rnn", a, {"x0"}, w), {1, 2, 3}), {1.6, 1.5, 0.975});
  // Without sequences: the last output; return_state adds it again as h.
  a = Rnn(RecurrentCell::kSimpleRNN, 1, false, true);
  a.activation = ir::ActivationAttrs{ir::ActivationFn::kLinear};
  auto r = RunOne({{3, 1}}, MakeNode("rnn", a, {"x0"}, w, {"y", "h"}), {{1, 2, 3}});
  ASSERT_TRUE(r.ok()) << r.error().message();
  ExpectAllNear(r->at(0), {1.9125});
  ExpectAllNear(r->at(1), {1.9125});
}

TEST(ReferenceRecurrent, QKerasStateAndActivationQuantizers) {
  ir::Quantizer q;
  q.type = fixed::FixedType::Fixed(4, 2);  // truncation to steps of 0.25
  std::vector<ir::Weight> w = {W("kernel", {1, 1}, {0.5}), W("recurrent_kernel", {1, 1}, {1}),
                               W("bias", {1}, {0})};
  RecurrentAttrs a = Rnn(RecurrentCell::kSimpleRNN, 1, true, false);
  a.activation = ir::ActivationAttrs{ir::ActivationFn::kLinear};
  a.state_quantizer = q;
  // h1 = 0.3; h2 = 0.3 + q(0.3) = 0.55 (the output itself is not quantized).
  ExpectAllNear(Run1({2, 1}, MakeNode("rnn", a, {"x0"}, w), {0.6, 0.6}), {0.3, 0.55});
  a.state_quantizer.reset();
  a.activation = ir::ActivationAttrs{ir::ActivationFn::kTanh};
  a.activation_quantizer = q;  // replaces tanh: h1 = q(0.3) = 0.25; h2 = q(0.3 + 0.25) = 0.5
  ExpectAllNear(Run1({2, 1}, MakeNode("rnn", a, {"x0"}, w), {0.6, 0.6}), {0.25, 0.5});
}

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

struct Weights {
  V kernel, recurrent, bias;
};

// m[row, col] of a matrix with `cols` columns.
double At(const V& m, int cols, int row, int col) { return m[row * cols + col]; }

struct RefOut {
  V seq, h, c;
};

// Keras LSTM, unit by unit: z_g[j] = b + x . W[:, g u + j] + h . U[:, g u + j].
RefOut RefLstm(const V& x, int steps, int in, int u, const Weights& w, bool back) {
  RefOut r{{}, V(u, 0.0), V(u, 0.0)};
  for (int s = 0; s < steps; ++s) {
    int t = back ? steps - 1 - s : s;
    V h(u), c(u);
    for (int j = 0; j < u; ++j) {
      double z[4];
      for (int g = 0; g < 4; ++g) {
        z[g] = w.bias[g * u + j];
        for (int k = 0; k < in; ++k) z[g] += x[t * in + k] * At(w.kernel, 4 * u, k, g * u + j);
        for (int k = 0; k < u; ++k) z[g] += r.h[k] * At(w.recurrent, 4 * u, k, g * u + j);
      }
      c[j] = Sigmoid(z[1]) * r.c[j] + Sigmoid(z[0]) * std::tanh(z[2]);
      h[j] = Sigmoid(z[3]) * std::tanh(c[j]);
    }
    r.h = h;
    r.c = c;
    r.seq.insert(r.seq.end(), h.begin(), h.end());
  }
  return r;
}

// Keras GRU, unit by unit, with the reset gate after (bias [2, 3u]) or before the product.
RefOut RefGru(const V& x, int steps, int in, int u, const Weights& w, bool reset_after, bool back) {
  RefOut r{{}, V(u, 0.0), {}};
  const int cols = 3 * u;
  auto input_part = [&](int t, int col) {
    double v = w.bias[col];
    for (int k = 0; k < in; ++k) v += x[t * in + k] * At(w.kernel, cols, k, col);
    return v;
  };
  auto recurrent_part = [&](const V& h, int col) {
    double v = reset_after ? w.bias[cols + col] : 0.0;
    for (int k = 0; k < u; ++k) v += h[k] * At(w.recurrent, cols, k, col);
    return v;
  };
  for (int s = 0; s < steps; ++s) {
    int t = back ? steps - 1 - s : s;
    V z(u), rg(u), h(u);
    for (int j = 0; j < u; ++j) {
      z[j] = Sigmoid(input_part(t, j) + recurrent_part(r.h, j));
      rg[j] = Sigmoid(input_part(t, u + j) + recurrent_part(r.h, u + j));
    }
    V rh(u);
    for (int k = 0; k < u; ++k) rh[k] = rg[k] * r.h[k];
    for (int j = 0; j < u; ++j) {
      double inner = reset_after ? rg[j] * recurrent_part(r.h, 2 * u + j) : [&] {
        double v = 0;
        for (int k = 0; k < u; ++k) v += rh[k] * At(w.recurrent, cols, k, 2 * u + j);
        return v;
      }();
      double hh = std::tanh(input_part(t, 2 * u + j) + inner);
      h[j] = z[j] * r.h[j] + (1 - z[j]) * hh;
    }
    r.h = h;
    r.seq.insert(r.seq.end(), h.begin(), h.end());
  }
  return r;
}

std::vector<ir::Weight> ToIr(const Weights& w, int in, int u, int gates, bool bias2d,
                             const std::string& prefix = "") {
  ir::Shape bias_shape = bias2d ? ir::Shape{2, gates * u} : ir::Shape{gates * u};
  return {W(prefix + "kernel", {in, gates * u}, w.kernel),
          W(prefix + "recurrent_kernel", {u, gates * u}, w.recurrent),
          W(prefix + "bias", bias_shape, w.bias)};
}

Weights RandomWeights(int in, int u, int gates, int bias_rows, unsigned seed) {
  return {Pseudo(in * gates * u, seed), Pseudo(u * gates * u, seed + 1),
          Pseudo(bias_rows * gates * u, seed + 2)};
}

TEST(ReferenceRecurrent, LstmSequencesAndStates) {
  const int steps = 5, in = 3, u = 4;
  V x = Pseudo(steps * in, 7);
  Weights w = RandomWeights(in, u, 4, 1, 10);
  for (bool back : {false, true}) {
    SCOPED_TRACE(back ? "go_backwards" : "forwards");
    RefOut want = RefLstm(x, steps, in, u, w, back);
    auto r = RunOne({{steps, in}},
                    MakeNode("lstm", Rnn(RecurrentCell::kLSTM, u, true, true, back), {"x0"},
                             ToIr(w, in, u, 4, false), {"y", "h", "c"}),
                    {x});
    ASSERT_TRUE(r.ok()) << r.error().message();
    ExpectAllNear(r->at(0), want.seq);
    ExpectAllNear(r->at(1), want.h);
    ExpectAllNear(r->at(2), want.c);
    auto last = RunOne({{steps, in}},
                       MakeNode("lstm", Rnn(RecurrentCell::kLSTM, u, false, false, back), {"x0"},
                                ToIr(w, in, u, 4, false)),
                       {x});
    ASSERT_TRUE(last.ok()) << last.error().message();
    ExpectAllNear(last->at(0), want.h);
  }
}

TEST(ReferenceRecurrent, GruResetAfterAndBefore) {
  const int steps = 4, in = 2, u = 3;
  V x = Pseudo(steps * in, 21);
  for (bool reset_after : {true, false}) {
    SCOPED_TRACE(reset_after ? "reset_after" : "reset_before");
    Weights w = RandomWeights(in, u, 3, reset_after ? 2 : 1, 30);
    RecurrentAttrs a = Rnn(RecurrentCell::kGRU, u, true, false);
    a.reset_after = reset_after;
    V y = Run1({steps, in}, MakeNode("gru", a, {"x0"}, ToIr(w, in, u, 3, reset_after)), x);
    ExpectAllNear(y, RefGru(x, steps, in, u, w, reset_after, false).seq);
  }
}

TEST(ReferenceRecurrent, BidirectionalMergeModes) {
  const int steps = 4, in = 2, u = 2;
  V x = Pseudo(steps * in, 41);
  Weights wf = RandomWeights(in, u, 4, 1, 50), wb = RandomWeights(in, u, 4, 1, 60);
  std::vector<ir::Weight> weights = ToIr(wf, in, u, 4, false, "forward_");
  for (ir::Weight& w : ToIr(wb, in, u, 4, false, "backward_")) weights.push_back(w);
  RefOut f = RefLstm(x, steps, in, u, wf, false);
  RefOut b = RefLstm(x, steps, in, u, wb, true);
  // The backward sequence in time order.
  V b_time(b.seq.size());
  for (int t = 0; t < steps; ++t) {
    std::copy_n(b.seq.begin() + (steps - 1 - t) * u, u, b_time.begin() + t * u);
  }

  ir::BidirectionalAttrs bi;
  bi.forward = Rnn(RecurrentCell::kLSTM, u, true, false);
  bi.backward = Rnn(RecurrentCell::kLSTM, u, true, false, true);
  V concat = Run1({steps, in}, MakeNode("bi", bi, {"x0"}, weights), x);
  V want;
  for (int t = 0; t < steps; ++t) {
    want.insert(want.end(), f.seq.begin() + t * u, f.seq.begin() + (t + 1) * u);
    want.insert(want.end(), b_time.begin() + t * u, b_time.begin() + (t + 1) * u);
  }
  ExpectAllNear(concat, want);

  bi.merge = ir::BidirectionalMerge::kAverage;
  V ave = Run1({steps, in}, MakeNode("bi", bi, {"x0"}, weights), x);
  V want_ave(f.seq.size());
  for (size_t i = 0; i < want_ave.size(); ++i) want_ave[i] = (f.seq[i] + b_time[i]) / 2;
  ExpectAllNear(ave, want_ave);

  bi.merge = ir::BidirectionalMerge::kMul;
  V mul = Run1({steps, in}, MakeNode("bi", bi, {"x0"}, weights), x);
  for (size_t i = 0; i < mul.size(); ++i) EXPECT_NEAR(mul[i], f.seq[i] * b_time[i], 1e-12);

  // merge None with states and no sequences: y_f, y_b, h_f, c_f, h_b, c_b.
  bi.merge = ir::BidirectionalMerge::kNone;
  bi.forward = Rnn(RecurrentCell::kLSTM, u, false, true);
  bi.backward = Rnn(RecurrentCell::kLSTM, u, false, true, true);
  auto r = RunOne({{steps, in}},
                  MakeNode("bi", bi, {"x0"}, weights, {"yf", "yb", "hf", "cf", "hb", "cb"}), {x});
  ASSERT_TRUE(r.ok()) << r.error().message();
  ExpectAllNear(r->at(0), f.h);
  ExpectAllNear(r->at(1), b.h);
  ExpectAllNear(r->at(2), f.h);
  ExpectAllNear(r->at(3), f.c);
  ExpectAllNear(r->at(4), b.h);
  ExpectAllNear(r->at(5), b.c);

  // LSTM forward with a GRU backward_layer, returning states: y, h_f, c_f, h_b.
  {
    Weights gb2 = RandomWeights(in, u, 3, 2, 90);
    std::vector<ir::Weight> mw = ToIr(wf, in, u, 4, false, "forward_");
    for (ir::Weight& w : ToIr(gb2, in, u, 3, true, "backward_")) mw.push_back(w);
    ir::BidirectionalAttrs mixed;
    mixed.forward = Rnn(RecurrentCell::kLSTM, u, false, true);
    mixed.backward = Rnn(RecurrentCell::kGRU, u, false, true, true);
    auto m =
        RunOne({{steps, in}}, MakeNode("mixed", mixed, {"x0"}, mw, {"y", "hf", "cf", "hb"}), {x});
    ASSERT_TRUE(m.ok()) << m.error().message();
    RefOut gr = RefGru(x, steps, in, u, gb2, true, true);
    ExpectAllNear(m->at(0), {f.h[0], f.h[1], gr.h[0], gr.h[1]});
    ExpectAllNear(m->at(1), f.h);
    ExpectAllNear(m->at(2), f.c);
    ExpectAllNear(m->at(3), gr.h);
  }

  // sum of GRUs without sequences.
  Weights gf = RandomWeights(in, u, 3, 2, 70), gb = RandomWeights(in, u, 3, 2, 80);
  std::vector<ir::Weight> gw = ToIr(gf, in, u, 3, true, "forward_");
  for (ir::Weight& w : ToIr(gb, in, u, 3, true, "backward_")) gw.push_back(w);
  ir::BidirectionalAttrs bg;
  bg.forward = Rnn(RecurrentCell::kGRU, u, false, false);
  bg.backward = Rnn(RecurrentCell::kGRU, u, false, false, true);
  bg.merge = ir::BidirectionalMerge::kSum;
  V sum = Run1({steps, in}, MakeNode("bg", bg, {"x0"}, gw), x);
  V hf = RefGru(x, steps, in, u, gf, true, false).h, hb = RefGru(x, steps, in, u, gb, true, true).h;
  ExpectAllNear(sum, {hf[0] + hb[0], hf[1] + hb[1]});
}

}  // namespace
}  // namespace fixnn::reference
