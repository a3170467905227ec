// Recurrent layers worked out by hand, one unit and one input feature so that every cast can
// be followed. Common types: input fixed<8,4> (LSB 1/16), weights fixed<8,2> (LSB 1/32),
// accum_t fixed<12,4> (LSB 1/256), state = result fixed<8,3> (LSB 1/32), all TRN unless said.
// relu activations keep the arithmetic readable; the tables are held to hls4ml's predict by
// the interop test.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "emulator/emulator_test_util.h"
#include "ir/shape_inference.h"
#include "reference/reference_executor.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::Emulate;
using ::testing::HasSubstr;
using testing::T;
using testing::TypedWeight;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

const ir::ActivationAttrs kRelu{ir::ActivationFn::kReLU};

ir::RecurrentAttrs Attrs(ir::RecurrentCell cell, bool sequences) {
  ir::RecurrentAttrs a;
  a.cell = cell;
  a.units = 1;
  a.activation = kRelu;
  a.recurrent_activation = kRelu;
  a.return_sequences = sequences;
  return a;
}

void SetTypes(ir::Node& n, const std::string& state = "fixed<8,3>") {
  n.types["accum"] = T("fixed<12,4>");
  n.types["state"] = T(state);
  n.types["table"] = T("fixed<18,8>");
}

ir::Node RecurrentNode(const ir::RecurrentAttrs& a, const V& w, const V& u, const V& b,
                       const std::string& state = "fixed<8,3>") {
  ir::Node n;
  n.name = "rnn";
  n.source = "LSTM";
  n.attrs = a;
  const int64_t g = static_cast<int64_t>(w.size());
  n.weights.push_back(TypedWeight("kernel", {1, g}, w, "fixed<8,2>"));
  n.weights.push_back(TypedWeight("recurrent_kernel", {1, g}, u, "fixed<8,2>"));
  const ir::Shape bias_shape = b.size() == static_cast<size_t>(g) ? ir::Shape{g} : ir::Shape{2, g};
  n.weights.push_back(TypedWeight("bias", bias_shape, b, "fixed<8,2>"));
  SetTypes(n, state);
  n.types["recurrent_bias"] = T("fixed<8,2>");
  return n;
}

// W = (i, f, c, o) = (0.5, 0.25, 0.75, 0.25), U = (0.5, 0.5, -0.5, 0.15625), b = (0.125, 0.5,
// 0, 0.5); x = 1.5 then -0.5.
//   step 0 (h = c = 0): gates = b + 1.5 W = (0.875, 0.875, 1.125, 0.875), relu leaves them
//     c = S(1.125 * 0.875) = S(0.984375) = 31.5/32 -> 31/32 = 0.96875
//     h = S(0.875 * 0.96875) = S(0.84765625) = 27.125/32 -> 27/32 = 0.84375
//   step 1: x W + b = (-0.125, 0.375, -0.375, 0.375); h U = (0.421875, 0.421875, -0.421875,
//     A(0.1318359375) = 33.75/256 -> 33/256 = 0.12890625)
//     gates = (0.296875, 0.796875, relu(-0.796875) = 0, 0.50390625)
//     c = S(0 * 0.296875 + 0.96875 * 0.796875) = S(0.77197265625) = 24.70/32 -> 0.75
//     h = S(0.50390625 * 0.75) = S(0.3779296875) = 12.09/32 -> 12/32 = 0.375
ir::Node Lstm(bool sequences, const std::string& state = "fixed<8,3>") {
  return RecurrentNode(Attrs(ir::RecurrentCell::kLSTM, sequences), {0.5, 0.25, 0.75, 0.25},
                       {0.5, 0.5, -0.5, 0.15625}, {0.125, 0.5, 0, 0.5}, state);
}

TEST(EmulatorRecurrent, LstmStepByStep) {
  const ir::Graph seq = ChainBuilder({2, 1}, "fixed<8,4>").Add(Lstm(true), "fixed<8,3>").Finish();
  testing::RunResult r = Emulate(seq, {1.5, -0.5});
  EXPECT_EQ(r.y, (V{0.84375, 0.375}));
  EXPECT_EQ(r.overflows.total(), 0);
  EXPECT_EQ(r.overflows.Find("rnn", "recurrent_product")->casts, 8);  // 4 per step
  const ir::Graph last = ChainBuilder({2, 1}, "fixed<8,4>").Add(Lstm(false), "fixed<8,3>").Finish();
  EXPECT_EQ(Emulate(last, {1.5, -0.5}).y, (V{0.375}));
}

TEST(EmulatorRecurrent, LstmStateRoundsAndSaturatesInItsType) {
  // State and result fixed<6,1,RND,SAT> (LSB 1/32, max 0.96875):
  //   step 0: c = 31.5/32 -> RND 32/32 = 1.0 -> SAT 0.96875 (an overflow at "cell_state");
  //           h = 27.125/32 -> 27/32 = 0.84375
  //   step 1: gates as before; c = 24.70/32 -> 25/32 = 0.78125;
  //           h = S(0.50390625 * 0.78125) = 12.60/32 -> 13/32 = 0.40625
  const ir::Graph g = ChainBuilder({2, 1}, "fixed<8,4>")
                          .Add(Lstm(true, "fixed<6,1,RND,SAT>"), "fixed<6,1,RND,SAT>")
                          .Finish();
  testing::RunResult r = Emulate(g, {1.5, -0.5});
  EXPECT_EQ(r.y, (V{0.84375, 0.40625}));
  EXPECT_EQ(Counts(r.overflows, "rnn", "cell_state"), (CountPair{1, 0}));
  EXPECT_EQ(Counts(r.overflows, "rnn", "state"), (CountPair{0, 0}));
}

// GRU, reset_after (hls4ml's formula): W = (z, r, h) = (0.25, 0.5, 1.0), U = (0.5, 0.25, 0.75),
// input bias (0.125, 0.25, 0), recurrent bias (0, 0.125, 0.25); x = 1.0 then 0.5.
//   step 0: x W + b = (0.375, 0.75, 1.0); h U + b_r = (0, 0.125, 0.25)
//     z = 0.375, r = 0.875; A(r * 0.25) = 0.21875; hh = relu(1.0 + 0.21875) = 1.21875
//     h = S(1.21875 * (1 - 0.375) + 0 * z) = S(0.76171875) = 24.375/32 -> 0.75
//   step 1: x W + b = (0.25, 0.5, 0.5); h U + b_r = (0.375, 0.3125, 0.8125)
//     z = 0.625, r = 0.8125; A(0.8125 * 0.8125) = 0.66015625; hh = 1.16015625
//     h = S(1.16015625 * 0.375 + 0.75 * 0.625) = S(0.90380859375) = 28.92/32 -> 0.875
TEST(EmulatorRecurrent, GruResetAfterStepByStep) {
  const ir::Node gru = RecurrentNode(Attrs(ir::RecurrentCell::kGRU, true), {0.25, 0.5, 1.0},
                                     {0.5, 0.25, 0.75}, {0.125, 0.25, 0, 0, 0.125, 0.25});
  const ir::Graph g = ChainBuilder({2, 1}, "fixed<8,4>").Add(gru, "fixed<8,3>").Finish();
  testing::RunResult r = Emulate(g, {1.0, 0.5});
  EXPECT_EQ(r.y, (V{0.75, 0.875}));
  EXPECT_EQ(r.overflows.total(), 0);
  EXPECT_EQ(r.overflows.Find("rnn", "reset_product")->casts, 2);
}

// GRU without reset_after (fixnn's own form): hh = relu(A(x W_h + b_h + A(r * h) U_h)).
//   step 0 (no recurrent bias, h = 0): z = 0.375, hh = relu(1.0 + A(r * 0) * 0.75) = 1.0,
//     h = S(1.0 * 0.625) = 0.625
//   step 1: h U = (0.3125, 0.15625); z = 0.5625, r = 0.65625; A(r * h) = A(0.41015625) =
//     105/256; that times 0.75 = A(0.3076171875) = 78.75/256 -> 78/256 = 0.3046875;
//     hh = 0.5 + 0.3046875 = 0.8046875
//     h = S(0.8046875 * 0.4375 + 0.625 * 0.5625) = S(0.7036132...) = 22.5/32 -> 22/32 = 0.6875
TEST(EmulatorRecurrent, GruResetBeforeStepByStep) {
  ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kGRU, true);
  a.reset_after = false;
  const ir::Node gru = RecurrentNode(a, {0.25, 0.5, 1.0}, {0.5, 0.25, 0.75}, {0.125, 0.25, 0});
  const ir::Graph g = ChainBuilder({2, 1}, "fixed<8,4>").Add(gru, "fixed<8,3>").Finish();
  EXPECT_EQ(Emulate(g, {1.0, 0.5}).y, (V{0.625, 0.6875}));
}

// SimpleRNN: h = S(relu(A(x W + b + h U))), W = 0.5, U = 0.8125, b = 0.125; x = 1 then -1.
//   forwards: 0.625; then 0.125 - 0.5 + A(0.625 * 0.8125 = 0.5078125) = 0.1328125 -> S: 4.25/32
//     -> 0.125
//   go_backwards reads -1 first: relu(-0.375) = 0; then 0.625.
ir::Node SimpleRnn(bool sequences, bool backwards) {
  ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kSimpleRNN, sequences);
  a.go_backwards = backwards;
  return RecurrentNode(a, {0.5}, {0.8125}, {0.125});
}

TEST(EmulatorRecurrent, SimpleRnnAndGoBackwards) {
  auto run = [](bool sequences, bool backwards) {
    const ir::Graph g = ChainBuilder({2, 1}, "fixed<8,4>")
                            .Add(SimpleRnn(sequences, backwards), "fixed<8,3>")
                            .Finish();
    return Emulate(g, {1.0, -1.0}).y;
  };
  EXPECT_EQ(run(true, false), (V{0.625, 0.125}));
  EXPECT_EQ(run(false, false), (V{0.125}));
  EXPECT_EQ(run(true, true), (V{0.0, 0.625}));  // in reading order, as Keras returns it
  EXPECT_EQ(run(false, true), (V{0.625}));
}

ir::Node Bidirectional(bool sequences, ir::BidirectionalMerge merge) {
  ir::BidirectionalAttrs a;
  a.forward = Attrs(ir::RecurrentCell::kSimpleRNN, sequences);
  a.backward = a.forward;
  a.backward.go_backwards = true;
  a.merge = merge;
  ir::Node n;
  n.name = "bi";
  n.source = "Bidirectional";
  n.attrs = a;
  for (const std::string side : {"forward_", "backward_"}) {
    n.weights.push_back(TypedWeight(side + "kernel", {1, 1}, {0.5}, "fixed<8,2>"));
    n.weights.push_back(TypedWeight(side + "recurrent_kernel", {1, 1}, {0.8125}, "fixed<8,2>"));
    n.weights.push_back(TypedWeight(side + "bias", {1}, {0.125}, "fixed<8,2>"));
  }
  SetTypes(n);
  return n;
}

TEST(EmulatorRecurrent, BidirectionalConcatenatesInTimeOrder) {
  // Forwards as above (0.625, 0.125); the backward layer reads -1, then 1, and its outputs
  // (0, 0.625) go back to time order: t0 -> 0.625, t1 -> 0.
  const ir::Graph seq = ChainBuilder({2, 1}, "fixed<8,4>")
                            .Add(Bidirectional(true, ir::BidirectionalMerge::kConcat), "fixed<8,3>")
                            .Finish();
  EXPECT_EQ(Emulate(seq, {1.0, -1.0}).y, (V{0.625, 0.625, 0.125, 0.0}));
  const ir::Graph last =
      ChainBuilder({2, 1}, "fixed<8,4>")
          .Add(Bidirectional(false, ir::BidirectionalMerge::kConcat), "fixed<8,3>")
          .Finish();
  EXPECT_EQ(Emulate(last, {1.0, -1.0}).y, (V{0.125, 0.625}));
}

TEST(EmulatorRecurrent, BidirectionalMergeModes) {
  // Forward (0.625, 0.125), backward in time order (0.625, 0):
  //   sum (1.25, 0.125); mul S(0.390625) = 12.5/32 -> 0.375, 0; ave (0.625, 0.0625) exactly.
  auto run = [](ir::BidirectionalMerge merge) {
    const ir::Graph g =
        ChainBuilder({2, 1}, "fixed<8,4>").Add(Bidirectional(true, merge), "fixed<8,3>").Finish();
    return Emulate(g, {1.0, -1.0}).y;
  };
  EXPECT_EQ(run(ir::BidirectionalMerge::kSum), (V{1.25, 0.125}));
  EXPECT_EQ(run(ir::BidirectionalMerge::kMul), (V{0.375, 0.0}));
  EXPECT_EQ(run(ir::BidirectionalMerge::kAverage), (V{0.625, 0.0625}));
}

// The Resource strategy's summation order, visible through a saturating accum_t
// fixed<6,2,TRN,SAT> (max 1.9375): one step of a SimpleRNN with four inputs x = 1 and
// W = (1.5, 1.5, -1.5, 0.5), no bias.
//   Latency, ascending: 1.5, 3 -> 1.9375 (saturates), 0.4375, 0.9375
//   Resource, reuse factor 2, stride order (0, 2, 1, 3): 1.5, 0, 1.5, 2 -> 1.9375
TEST(EmulatorRecurrent, ResourceSumsInStrideOrder) {
  auto run = [](ir::Strategy strategy) {
    ir::Node n = RecurrentNode(Attrs(ir::RecurrentCell::kSimpleRNN, false), {1.5, 1.5, -1.5, 0.5},
                               {0.5}, {0.0});
    n.weights[0].shape = {4, 1};
    n.weights[1].shape = {1, 1};
    n.weights[2].shape = {1};
    n.types["accum"] = T("fixed<6,2,TRN,SAT>");
    n.settings.strategy = strategy;
    n.settings.reuse_factor = 2;
    const ir::Graph g = ChainBuilder({1, 4}, "fixed<8,4>").Add(n, "fixed<8,3>").Finish();
    return Emulate(g, {1, 1, 1, 1});
  };
  testing::RunResult latency = run(ir::Strategy::kLatency);
  EXPECT_EQ(latency.y, (V{0.9375}));
  EXPECT_EQ(Counts(latency.overflows, "rnn", "input_accum"), (CountPair{1, 0}));
  testing::RunResult resource = run(ir::Strategy::kResource);
  EXPECT_EQ(resource.y, (V{1.9375}));
  EXPECT_EQ(Counts(resource.overflows, "rnn", "input_accum"), (CountPair{1, 0}));
}

TEST(EmulatorRecurrent, ResultCastFromTheState) {
  // The state keeps fixed<8,3>; the output is cast into fixed<4,1,RND,SAT> (LSB 1/8, max
  // 0.875): 0.84375 -> 6.75/8 -> 7/8; 0.375 -> 3/8.
  const ir::Graph g =
      ChainBuilder({2, 1}, "fixed<8,4>").Add(Lstm(true), "fixed<4,1,RND,SAT>").Finish();
  testing::RunResult r = Emulate(g, {1.5, -0.5});
  EXPECT_EQ(r.y, (V{0.875, 0.375}));
  EXPECT_EQ(Counts(r.overflows, "rnn", "result"), (CountPair{0, 0}));
}

// The tables (size 1024, table_t fixed<18,8>: LSB 2^-10), one step from x = 0, so the gates
// are the bias (0, 0, 1, 0):
//   i = f = o = sigmoid table[trunc(0 * 1024 / 16) + 512] = 1 / (1 + expf(0)) = 0.5
//   cc = tanh table[trunc(1.0 * 1024 / 8) + 512 = 640] = tanhf(1.0) = 0.7615942 -> table_t
//     779/1024 -> accum_t 194.75/256 -> 194/256 = 0.7578125
//   c = S(0.7578125 * 0.5) = 12.125/32 -> 0.375
//   act(c), indexed from the state: table[48 + 512] = tanhf(0.375) = 0.3583574 -> 366/1024 ->
//     accum_t 91.5/256 -> 91/256 = 0.35546875
//   h = S(0.5 * 0.35546875) = 5.6875/32 -> 5/32 = 0.15625
TEST(EmulatorRecurrent, LstmTables) {
  ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kLSTM, false);
  a.activation = ir::ActivationAttrs{ir::ActivationFn::kTanh};
  a.recurrent_activation = ir::ActivationAttrs{ir::ActivationFn::kSigmoid};
  const ir::Node lstm =
      RecurrentNode(a, {0.25, 0.25, 0.25, 0.25}, {0.25, 0.25, 0.25, 0.25}, {0, 0, 1, 0});
  const ir::Graph g = ChainBuilder({1, 1}, "fixed<8,4>").Add(lstm, "fixed<8,3>").Finish();
  EXPECT_EQ(Emulate(g, {0.0}).y, (V{0.15625}));
}

// ---------------------------------------------------------------------------------------------
// fixnn's own activation rule (recurrent_kernel.cc): Keras' hard forms and QKeras activation
// quantizers, each value held in the quantizer's type and multiplied from there.

ir::Quantizer Quantizer(ir::QuantizerKind kind, const std::string& type, bool hard = true) {
  ir::Quantizer q;
  q.kind = kind;
  q.type = T(type);
  q.sigmoid_hard = hard;
  q.spelling = "q";
  return q;
}

// A QSimpleRNN, one unit: W = 1, U = 0.5, b = 0.125, x = 0.5, 3.5, -1; smooth quantized_tanh
// (use_real_tanh) into Q = fixed<8,1,RND_CONV,SAT> (LSB 1/128, max 127/128), then the state
// fixed<8,3> (TRN, LSB 1/32). tanh table: 1024 entries, table_t fixed<18,8> (LSB 2^-10, TRN).
//   step 0: g = A(0.5 + 0.125) = 0.625; index trunc(0.625 * 1024 / 8) + 512 = 592;
//     tanhf(0.625) = 0.5545998 -> table_t 567/1024 -> Q: 70.875/128 -> 71/128 -> S: 17.75/32
//     -> 17/32 = 0.53125 (two casts: h = S(Q(table)))
//   step 1: g = A(3.5 + 0.125 + A(0.53125 * 0.5)) = 3.890625; index 498 + 512 = 1010;
//     tanhf(3.890625) = 0.9991654 -> 1023/1024 -> Q: 127.875 -> 128 -> SAT 127/128 (an
//     overflow at "activation") -> S: 31.75/32 -> 31/32 = 0.96875
//   step 2: g = A(-1 + 0.125 + 0.484375) = -0.390625; index -50 + 512 = 462;
//     tanhf(-0.390625) = -0.3718989 -> floor: -381/1024 -> Q: -47.625 -> -48/128 -> -0.375
TEST(EmulatorRecurrent, SmoothQuantizedTanhIsTheTableCastIntoTheQuantizer) {
  ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kSimpleRNN, true);
  a.activation = ir::ActivationAttrs{ir::ActivationFn::kLinear};  // replaced by the quantizer
  a.activation_quantizer =
      Quantizer(ir::QuantizerKind::kTanh, "ap_fixed<8,1,AP_RND_CONV,AP_SAT>", false);
  const ir::Graph g = ChainBuilder({3, 1}, "fixed<8,4>")
                          .Add(RecurrentNode(a, {1.0}, {0.5}, {0.125}), "fixed<8,3>")
                          .Finish();
  testing::RunResult r = Emulate(g, {0.5, 3.5, -1.0});
  EXPECT_EQ(r.y, (V{0.53125, 0.96875, -0.375}));
  EXPECT_EQ(Counts(r.overflows, "rnn", "activation"), (CountPair{1, 0}));
  EXPECT_EQ(r.overflows.Find("rnn", "activation")->type.ToString(),
            "ap_fixed<8,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Counts(r.overflows, "rnn", "state"), (CountPair{0, 0}));  // S(Q(...))
  EXPECT_EQ(r.overflows.Find("rnn", "state")->casts, 3);
}

// The LSTM of LstmStepByStep with QKeras' hard quantizers: quantized_tanh into
// Qa = fixed<4,1,RND_CONV,SAT> (LSB 1/8, max 0.875) and quantized_sigmoid into
// Qr = ufixed<4,0,RND_CONV,SAT> (LSB 1/16, max 15/16); v = 0.5 g + 0.5 exactly, clipped to
// [0, 1] (tanh: 2v - 1).
//   step 0: gates (0.875, 0.875, 1.125, 0.875): i = f = o = 0.9375 = 15/16;
//     cc = clip(1.125) = 1 -> Qa saturates: 0.875 (an overflow at "activation")
//     c = S(0.875 * 0.9375 + 0 * 0.9375) = S(0.8203125) = 26.25/32 -> 26/32 = 0.8125
//     act(c) = 0.8125 -> Qa: 6.5/8 -> RND_CONV's tie to even: 6/8 = 0.75
//     h = S(0.9375 * 0.75) = S(0.703125) = 22.5/32 -> 22/32 = 0.6875
//   step 1: x W + b = (-0.125, 0.375, -0.375, 0.375); h U = (0.34375, 0.34375, -0.34375,
//     A(0.107421875) = 27/256); gates (0.21875, 0.71875, -0.71875, 0.48046875)
//     i = 0.609375 -> 9.75/16 -> 10/16; f = 0.859375 -> 13.75/16 -> 14/16;
//     o = 0.740234375 -> 11.84/16 -> 12/16; cc = -0.71875 -> -5.75/8 -> -6/8
//     c = S(-0.75 * 0.625 + 0.8125 * 0.875) = S(0.2421875) = 7.75/32 -> 7/32 = 0.21875
//     act(c) = 0.21875 -> 1.75/8 -> 2/8; h = S(0.75 * 0.25) = 0.1875
ir::Node HardQuantizedLstm(bool sequences) {
  ir::Node n = Lstm(sequences);
  auto& a = std::get<ir::RecurrentAttrs>(n.attrs);
  a.activation_quantizer = Quantizer(ir::QuantizerKind::kTanh, "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  a.recurrent_activation_quantizer =
      Quantizer(ir::QuantizerKind::kSigmoid, "ap_ufixed<4,0,AP_RND_CONV,AP_SAT>");
  return n;
}

TEST(EmulatorRecurrent, HardQuantizersHoldTheGatesInTheirTypes) {
  const ir::Graph g =
      ChainBuilder({2, 1}, "fixed<8,4>").Add(HardQuantizedLstm(true), "fixed<8,3>").Finish();
  testing::RunResult r = Emulate(g, {1.5, -0.5});
  EXPECT_EQ(r.y, (V{0.6875, 0.1875}));
  EXPECT_EQ(Counts(r.overflows, "rnn", "activation"), (CountPair{1, 0}));
  EXPECT_EQ(Counts(r.overflows, "rnn", "recurrent_activation"), (CountPair{0, 0}));
  EXPECT_EQ(Counts(r.overflows, "rnn", "state_activation"), (CountPair{0, 0}));
  EXPECT_EQ(r.overflows.Find("rnn", "recurrent_activation")->type.ToString(),
            "ap_ufixed<4,0,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(r.overflows.Find("rnn", "recurrent_activation")->casts, 6);  // i, f, o per step
  EXPECT_EQ(r.overflows.Find("rnn", "state_activation")->type.ToString(),
            "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
}

// A GRU (reset_after) whose recurrent activation is a hard quantized_sigmoid into
// Qr = ufixed<4,0,RND_CONV,SAT>; relu stays in A. Weights as GruResetAfterStepByStep.
//   step 0: x W + b = (0.375, 0.75, 1.0); h U + b_r = (0, 0.125, 0.25)
//     z = 0.5 * 0.375 + 0.5 = 0.6875 = 11/16; r = 0.9375 = 15/16
//     A(r * 0.25) = 0.234375; hh = 1.234375; 1 - z = 0.3125 exactly at Qr's LSB
//     h = S(1.234375 * 0.3125) = S(0.3857421875) = 12.34/32 -> 0.375
//   step 1: x W + b = (0.25, 0.5, 0.5); h U + b_r = (0.1875, 0.21875, 0.53125)
//     z = 0.71875 -> 11.5/16 -> RND_CONV's even 12/16 = 0.75; r = 0.859375 -> 14/16
//     A(0.875 * 0.53125) = 0.46484375; hh = 0.96484375
//     h = S(0.96484375 * 0.25 + 0.375 * 0.75) = S(0.5224609375) = 16.72/32 -> 0.5
TEST(EmulatorRecurrent, GruOneMinusZAtTheQuantizersLsb) {
  ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kGRU, true);
  a.recurrent_activation_quantizer =
      Quantizer(ir::QuantizerKind::kSigmoid, "ap_ufixed<4,0,AP_RND_CONV,AP_SAT>");
  const ir::Node gru =
      RecurrentNode(a, {0.25, 0.5, 1.0}, {0.5, 0.25, 0.75}, {0.125, 0.25, 0, 0, 0.125, 0.25});
  const ir::Graph g = ChainBuilder({2, 1}, "fixed<8,4>").Add(gru, "fixed<8,3>").Finish();
  testing::RunResult r = Emulate(g, {1.0, 0.5});
  EXPECT_EQ(r.y, (V{0.375, 0.5}));
  EXPECT_EQ(r.overflows.total(), 0);
}

// Keras' hard_sigmoid as a SimpleRNN activation (W = 1, U = 0, b = 0, so g = x), into the
// state fixed<8,3> (LSB 1/32, TRN): the model's slope stored in ap_ufixed<16,0> (TRN), the
// shift 0.5 exactly.
//   Keras 2, 0.2 -> 13107/65536: x = 2.5 -> 0.9999924 -> 31/32 (exactly 0.2 would give 1);
//     x = -3 -> 0; x = 3 -> clip 1; x = 1 -> 0.6999969 -> 22.4/32 -> 22/32
//   Keras 3, 1/6 -> 10922/65536: 2.5 -> 0.9166412 -> 29/32; -3 -> 0.0000305 -> 0;
//     3 -> 0.9999695 -> 31/32; 1 -> 0.6666565 -> 21/32
//   QKeras, 0.5: 2.5 -> 1; -3 -> 0; 3 -> 1; 1 -> 1
TEST(EmulatorRecurrent, KerasHardSigmoidTakesTheModelsSlope) {
  auto run = [](double alpha) {
    ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kSimpleRNN, true);
    a.activation = ir::ActivationAttrs{ir::ActivationFn::kHardSigmoid, alpha};
    const ir::Graph g = ChainBuilder({4, 1}, "fixed<8,4>")
                            .Add(RecurrentNode(a, {1.0}, {0.0}, {0.0}), "fixed<8,3>")
                            .Finish();
    return Emulate(g, {2.5, -3.0, 3.0, 1.0}).y;
  };
  EXPECT_EQ(run(0.2), (V{0.96875, 0.0, 1.0, 0.6875}));
  EXPECT_EQ(run(1.0 / 6.0), (V{0.90625, 0.0, 0.96875, 0.65625}));
  EXPECT_EQ(run(0.5), (V{1.0, 0.0, 1.0, 1.0}));
}

// quantized_relu and quantized_bits as a QSimpleRNN's activation (W = 1, U = 0, b = 0), then
// the state fixed<8,3,TRN,SAT> (max 3.96875):
//   quantized_relu into ufixed<6,3,RND_CONV,SAT> (LSB 1/8, max 7.875): x = 0.8125 -> 6.5/8 ->
//     6/8 = 0.75; -1 -> 0; 5 -> Q 5, then the state saturates to 3.96875 (an overflow at
//     "state"); 7.9375 -> 63.5/8 -> 64 -> SAT 7.875 (an overflow at "activation") -> 3.96875
//   quantized_bits into fixed<4,1,RND_CONV,SAT> (LSB 1/8, [-1, 0.875]): 0.8125 -> 0.75;
//     -1 -> -1; 5 -> 0.875 (overflow); 7.9375 -> 0.875 (overflow)
TEST(EmulatorRecurrent, QuantizedReluAndBitsCastIntoTheirTypes) {
  auto run = [](const ir::Quantizer& q) {
    ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kSimpleRNN, true);
    a.activation_quantizer = q;
    const ir::Graph g =
        ChainBuilder({4, 1}, "fixed<8,4>")
            .Add(RecurrentNode(a, {1.0}, {0.0}, {0.0}, "fixed<8,3,TRN,SAT>"), "fixed<8,3,TRN,SAT>")
            .Finish();
    return Emulate(g, {0.8125, -1.0, 5.0, 7.9375});
  };
  testing::RunResult relu =
      run(Quantizer(ir::QuantizerKind::kReLU, "ap_ufixed<6,3,AP_RND_CONV,AP_SAT>"));
  EXPECT_EQ(relu.y, (V{0.75, 0.0, 3.96875, 3.96875}));
  EXPECT_EQ(Counts(relu.overflows, "rnn", "activation"), (CountPair{1, 0}));
  EXPECT_EQ(Counts(relu.overflows, "rnn", "state"), (CountPair{2, 0}));
  testing::RunResult bits =
      run(Quantizer(ir::QuantizerKind::kFixed, "ap_fixed<4,1,AP_RND_CONV,AP_SAT>"));
  EXPECT_EQ(bits.y, (V{0.75, -1.0, 0.875, 0.875}));
  EXPECT_EQ(Counts(bits.overflows, "rnn", "activation"), (CountPair{2, 0}));
}

// A kernel quantized with a QKeras alpha of powers of two (auto_po2), one per column: two units,
// Q = fixed<4,1,RND_CONV,SAT> (LSB 1/8), scales (2, 0.5), w = (1.3, 0.3):
//   2 * Q(0.65) = 2 * 5/8 = 1.25;  0.5 * Q(0.6) = 0.5 * 5/8 = 0.3125
// stored exactly in fixed<4 + 1 - (-1), 1 + 1> = fixed<6,2> (LSB 1/16). x = 1, relu, U = 0:
// h = (1.25, 0.3125).
TEST(EmulatorRecurrent, PowerOfTwoAlphaKernelsAreStoredExactly) {
  auto node = [](std::vector<double> scale) {
    ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kSimpleRNN, false);
    a.units = 2;
    ir::Node n = RecurrentNode(a, {1.3, 0.3}, {0, 0, 0, 0}, {0, 0});
    n.weights[1].shape = {2, 2};
    ir::Quantizer q = Quantizer(ir::QuantizerKind::kFixed, "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
    q.scale = std::move(scale);
    q.scale_mode = ir::ScaleMode::kAround;
    n.weights[0].quantizer = q;
    n.weights[0].precision.type = q.type;
    return n;
  };
  const ir::Graph g =
      ChainBuilder({1, 1}, "fixed<8,4>").Add(node({2.0, 0.5}), "fixed<8,3>").Finish();
  EXPECT_EQ(Emulate(g, {1.0}).y, (V{1.25, 0.3125}));
  Result<Emulator> e = Emulator::Create(g);
  ASSERT_TRUE(e.ok());
  const CastSite* stored = e->setup_overflows().Find("rnn", "weight:kernel");
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->type.ToString(), "ap_fixed<6,2,AP_RND_CONV,AP_SAT>");
  EXPECT_THAT(testing::CreateError(
                  ChainBuilder({1, 1}, "fixed<8,4>").Add(node({2.0, 0.75}), "fixed<8,3>").Finish()),
              HasSubstr("weight 'kernel' with a quantizer scale 0.75 (alpha) that is not a power "
                        "of two"));
}

// Each output of a graph (both number paths must agree), for several outputs.
std::vector<std::vector<double>> EmulateOutputs(const ir::Graph& g, const Batch& x) {
  std::vector<std::vector<double>> out;
  Result<Emulator> fast = Emulator::Create(g);
  Result<Emulator> exact = Emulator::Create(g, EmulatorOptions{true});
  EXPECT_TRUE(fast.ok()) << (fast.ok() ? "" : fast.error().message());
  if (!fast.ok() || !exact.ok()) return out;
  Result<std::vector<Batch>> y = fast->Run({x});
  Result<std::vector<Batch>> y_exact = exact->Run({x});
  EXPECT_TRUE(y.ok() && y_exact.ok());
  if (!y.ok() || !y_exact.ok()) return out;
  for (size_t k = 0; k < y->size(); ++k) {
    EXPECT_EQ((*y)[k].values, (*y_exact)[k].values) << "output " << k;
    out.push_back((*y)[k].values);
  }
  return out;
}

ir::Graph WithStates(ir::Node n, const std::string& state_type) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2, 1}).ok());
  g.FindTensor("x")->precision.type = T("fixed<8,4>");
  n.inputs = {"x"};
  const size_t states = n.is<ir::BidirectionalAttrs>() ? 4 : 2;
  n.outputs = {"y"};
  for (size_t k = 0; k < states; ++k) n.outputs.push_back(fmt::format("s{}", k));
  const std::vector<std::string> outputs = n.outputs;
  EXPECT_TRUE(g.AddNode(std::move(n)).ok());
  for (const std::string& o : outputs) {
    g.FindTensor(o)->precision.type = T(o == "y" ? "fixed<8,3>" : state_type);
    EXPECT_TRUE(g.MarkOutput(o).ok());
  }
  Status s = ir::InferShapes(g);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return g;
}

// return_state with the quantized LSTM above: y = h = 0.1875, c = 0.21875 from the state, the
// state outputs cast into fixed<4,1,RND,SAT> (LSB 1/8): h 1.5/8 -> 2/8, c 1.75/8 -> 2/8.
// A Bidirectional with return_state is refused.
TEST(EmulatorRecurrent, ReturnStateOfAQuantizedCell) {
  ir::Node lstm = HardQuantizedLstm(false);
  std::get<ir::RecurrentAttrs>(lstm.attrs).return_state = true;
  Batch x{{1, 2, 1}, {1.5, -0.5}};
  EXPECT_EQ(EmulateOutputs(WithStates(lstm, "fixed<8,3>"), x),
            (std::vector<V>{{0.1875}, {0.1875}, {0.21875}}));
  EXPECT_EQ(EmulateOutputs(WithStates(lstm, "fixed<4,1,RND,SAT>"), x),
            (std::vector<V>{{0.1875}, {0.25}, {0.25}}));

  ir::BidirectionalAttrs bi;
  bi.forward = std::get<ir::RecurrentAttrs>(lstm.attrs);
  bi.backward = bi.forward;
  bi.backward.go_backwards = true;
  ir::Node both;
  both.name = "bi";
  both.source = "Bidirectional";
  both.attrs = bi;
  for (const std::string side : {"forward_", "backward_"}) {
    for (ir::Weight w : lstm.weights) {
      w.name = side + w.name;
      both.weights.push_back(w);
    }
  }
  SetTypes(both);
  EXPECT_THAT(testing::CreateError(WithStates(both, "fixed<8,3>")),
              HasSubstr("the emulator does not handle these recurrent state outputs"));
}

// QKeras' binary state quantizer (LayerSettings::binary_state): the state type
// ap_fixed<2,2,AP_TRN,AP_SAT>, every cast into it followed by +1 where it is >= 0, else -1, and
// the state +1 before the first step (QKeras' sign of its zero initial state).
// A SimpleRNN, linear activation: W = 0.5, U = 0.8125, b = 0.125; x = 1, -1.875, -2, 0, 2.
//   step 0: A(0.5 + 0.125 + 1 * 0.8125) = 1.4375 -> S: floor 1 -> +1
//   step 1: A(-0.9375 + 0.125 + 1 * 0.8125) = 0 -> +1 (0 is +1, as in QKeras)
//   step 2: -1 + 0.125 + 0.8125 = -0.0625 -> floor -1 -> -1
//   step 3: 0 + 0.125 - 0.8125 = -0.6875 -> -1;  step 4: 1 + 0.125 - 0.8125 = 0.3125 -> +1
TEST(EmulatorRecurrent, BinaryStateIsTheSignOfEachStateCast) {
  ir::RecurrentAttrs a = Attrs(ir::RecurrentCell::kSimpleRNN, true);
  a.activation = ir::ActivationAttrs{ir::ActivationFn::kLinear};
  ir::Node n = RecurrentNode(a, {0.5}, {0.8125}, {0.125}, "fixed<2,2,TRN,SAT>");
  n.settings.binary_state = true;
  const ir::Graph g = ChainBuilder({5, 1}, "fixed<8,4>").Add(n, "fixed<8,3>").Finish();
  EXPECT_EQ(EmulateOutputs(g, Batch{{1, 5, 1}, {1.0, -1.875, -2.0, 0.0, 2.0}}),
            (std::vector<V>{{1, 1, -1, -1, 1}}));
  // Without the flag the same type holds the floor from h = 0: 0.625 -> 0; -0.8125 -> -1;
  // -1 + 0.125 - 0.8125 -> -2; 0.125 - 1.625 -> -2; 1 + 0.125 - 1.625 = -0.5 -> -1.
  n.settings.binary_state = false;
  EXPECT_EQ(EmulateOutputs(ChainBuilder({5, 1}, "fixed<8,4>").Add(n, "fixed<8,3>").Finish(),
                           Batch{{1, 5, 1}, {1.0, -1.875, -2.0, 0.0, 2.0}}),
            (std::vector<V>{{0, -1, -2, -2, -1}}));
  n.settings.binary_state = true;
  n.types["state"] = T("fixed<4,2>");
  EXPECT_THAT(
      testing::CreateError(ChainBuilder({5, 1}, "fixed<8,4>").Add(n, "fixed<8,3>").Finish()),
      HasSubstr("a binary state in ap_fixed<4,2>"));
}

// LSTM and GRU (tanh, sigmoid) with a binary state against the float reference, which applies
// QKeras' sign to the state each step reads: with fine types around the cell (accum_t
// fixed<40,12>, a 65536-entry table), the emulator's state is the sign of the reference's h
// except where that h is within the table's error of 0.
TEST(EmulatorRecurrent, BinaryStateFollowsTheReferencesSign) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> w8(-32, 31);  // in fixed<8,2> (LSB 1/32), |w| <= 1
  for (ir::RecurrentCell cell : {ir::RecurrentCell::kLSTM, ir::RecurrentCell::kGRU}) {
    SCOPED_TRACE(ir::ToString(cell));
    ir::RecurrentAttrs a;
    a.cell = cell;
    a.units = 4;
    a.return_sequences = true;
    a.state_quantizer = Quantizer(ir::QuantizerKind::kBinary, "ap_fixed<2,2,AP_TRN,AP_SAT>");
    a.state_quantizer->qkeras = true;
    const int64_t gn = (cell == ir::RecurrentCell::kLSTM ? 4 : 3) * a.units;
    auto random = [&](int64_t count) {
      V v(static_cast<size_t>(count));
      for (double& x : v) x = w8(rng) / 32.0;
      return v;
    };
    ir::Node n;
    n.name = "rnn";
    n.source = "QGRU";
    n.attrs = a;
    n.weights.push_back(TypedWeight("kernel", {3, gn}, random(3 * gn), "fixed<8,2>"));
    n.weights.push_back(TypedWeight("recurrent_kernel", {4, gn}, random(4 * gn), "fixed<8,2>"));
    const bool two = cell == ir::RecurrentCell::kGRU;
    n.weights.push_back(TypedWeight("bias", two ? ir::Shape{2, gn} : ir::Shape{gn},
                                    random(two ? 2 * gn : gn), "fixed<8,2>"));
    n.types["accum"] = T("fixed<40,12>");
    n.types["state"] = T("fixed<2,2,TRN,SAT>");
    n.types["table"] = T("fixed<32,8>");
    n.types["recurrent_bias"] = T("fixed<8,2>");
    n.settings.table_size = 65536;
    n.settings.binary_state = true;
    const ir::Graph g = ChainBuilder({8, 3}, "fixed<8,4>").Add(n, "fixed<8,3>").Finish();
    std::uniform_int_distribution<int> x8(-32, 31);  // in fixed<8,4> (LSB 1/16), |x| <= 2
    const int64_t samples = 500;
    Batch x{{samples, 8, 3}, V(static_cast<size_t>(samples * 24))};
    for (double& v : x.values) v = x8(rng) / 16.0;
    const std::vector<V> got = EmulateOutputs(g, x);
    Result<std::vector<Batch>> want = reference::RunReference(g, {x});
    ASSERT_TRUE(want.ok()) << want.error().message();
    ASSERT_EQ(got.size(), 1u);
    const V& ref = (*want)[0].values;
    ASSERT_EQ(got[0].size(), ref.size());
    // Per sample, the first step where the signs differ must differ only where the reference's
    // h is within 1e-3 of 0 (the table's error, and an LSTM's o * act(c) near 0); after that the
    // two states have parted, and later steps may differ anywhere.
    int64_t differ = 0, samples_differ = 0, negative = 0;
    for (int64_t b = 0; b < samples; ++b) {
      bool parted = false;
      for (int64_t t = 0; t < 8 && !parted; ++t) {
        for (int64_t j = 0; j < 4; ++j) {
          const size_t i = static_cast<size_t>((b * 8 + t) * 4 + j);
          negative += got[0][i] < 0 ? 1 : 0;
          if (got[0][i] == (ref[i] >= 0 ? 1.0 : -1.0)) continue;
          ++differ;
          parted = true;
          EXPECT_LT(std::abs(ref[i]), 1e-3) << "sample " << b << " step " << t << " unit " << j;
        }
      }
      samples_differ += parted ? 1 : 0;
    }
    EXPECT_LE(samples_differ, samples / 50);
    EXPECT_GT(negative, static_cast<int64_t>(ref.size()) / 20);  // both signs are exercised
    std::cout << fmt::format(
        "{}: {} of {} samples part from the reference's sign ({} first values, all within 1e-3 "
        "of 0)\n",
        ir::ToString(cell), samples_differ, samples, differ);
  }
}

TEST(EmulatorRecurrent, Refusals) {
  auto error = [](const ir::Node& n) {
    return testing::CreateError(ChainBuilder({2, 1}, "fixed<8,4>").Add(n, "fixed<8,3>").Finish());
  };
  auto with = [](auto edit) {
    ir::Node n = Lstm(false);
    edit(std::get<ir::RecurrentAttrs>(n.attrs));
    return n;
  };
  EXPECT_THAT(error(with([](ir::RecurrentAttrs& a) {
                a.recurrent_activation = ir::ActivationAttrs{ir::ActivationFn::kSoftplus};
              })),
              HasSubstr("recurrent_activation 'softplus' in a recurrent cell"));
  EXPECT_THAT(error(with([](ir::RecurrentAttrs& a) {
                a.activation = ir::ActivationAttrs{ir::ActivationFn::kHardSigmoid, 1.5};
              })),
              HasSubstr("activation hard_sigmoid with slope 1.5 in a recurrent cell"));
  EXPECT_THAT(error(with([](ir::RecurrentAttrs& a) {
                a.activation_quantizer =
                    Quantizer(ir::QuantizerKind::kBinary, "ap_fixed<2,2,AP_RND_CONV,AP_SAT>");
              })),
              HasSubstr("the activation quantizer 'q' in a recurrent cell (fixnn's cells take "
                        "quantized_tanh, quantized_sigmoid, quantized_relu and quantized_bits)"));
  EXPECT_THAT(error(with([](ir::RecurrentAttrs& a) {
                a.activation_quantizer =
                    Quantizer(ir::QuantizerKind::kReLU, "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
                a.activation_quantizer->relu_negative_slope = 0.25;
              })),
              HasSubstr("a negative slope"));
  EXPECT_THAT(error(with([](ir::RecurrentAttrs& a) {
                a.recurrent_activation_quantizer =
                    Quantizer(ir::QuantizerKind::kFixed, "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
                a.recurrent_activation_quantizer->scale = {0.5};
              })),
              HasSubstr("the recurrent_activation quantizer 'q' in a recurrent cell (a scale)"));
  EXPECT_THAT(error(with([](ir::RecurrentAttrs& a) {
                a.recurrent_activation_quantizer =
                    Quantizer(ir::QuantizerKind::kSigmoid, "ap_ufixed<8,0,AP_RND_CONV,AP_SAT>");
                a.recurrent_activation_quantizer->symmetric = true;
              })),
              HasSubstr("symmetric: its minimum is one LSB"));

  // A GRU's 1 - z needs z's LSB at or below 1.
  ir::RecurrentAttrs coarse = Attrs(ir::RecurrentCell::kGRU, false);
  coarse.recurrent_activation_quantizer = Quantizer(ir::QuantizerKind::kFixed, "ap_fixed<4,6>");
  EXPECT_THAT(error(RecurrentNode(coarse, {0.25, 0.5, 1.0}, {0.5, 0.25, 0.75},
                                  {0.125, 0.25, 0, 0, 0.125, 0.25})),
              HasSubstr("a recurrent activation quantizer's type ap_fixed<4,6> in a GRU"));

  ir::Node unrolled = Lstm(false);
  unrolled.settings.strategy = ir::Strategy::kResourceUnrolled;
  EXPECT_THAT(error(unrolled), HasSubstr("strategy other than Latency or Resource"));
}

}  // namespace
}  // namespace fixnn::emulator
