// Recurrent layers worked out by hand, one unit and one input feature so that every cast can
// be followed. Common types: input fixed<8,4> (LSB 1/16), weights fixed<8,2> (LSB 1/32),
// accum_t fixed<12,4> (LSB 1/256), state = result fixed<8,3> (LSB 1/32), all TRN unless said.
// relu activations keep the arithmetic readable; the tables are held to hls4ml's predict by
// the interop test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emulator/emulator_test_util.h"

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

TEST(EmulatorRecurrent, Refusals) {
  ir::Node hard = Lstm(false);
  std::get<ir::RecurrentAttrs>(hard.attrs).recurrent_activation =
      ir::ActivationAttrs{ir::ActivationFn::kHardSigmoid};
  EXPECT_THAT(
      testing::CreateError(ChainBuilder({2, 1}, "fixed<8,4>").Add(hard, "fixed<8,3>").Finish()),
      HasSubstr("recurrent_activation 'hard_sigmoid' in a recurrent cell"));

  ir::Node quantized = Lstm(false);
  std::get<ir::RecurrentAttrs>(quantized.attrs).activation_quantizer = ir::Quantizer{};
  EXPECT_THAT(testing::CreateError(
                  ChainBuilder({2, 1}, "fixed<8,4>").Add(quantized, "fixed<8,3>").Finish()),
              HasSubstr("QKeras activation quantizer"));

  ir::Node unrolled = Lstm(false);
  unrolled.settings.strategy = ir::Strategy::kResourceUnrolled;
  EXPECT_THAT(
      testing::CreateError(ChainBuilder({2, 1}, "fixed<8,4>").Add(unrolled, "fixed<8,3>").Finish()),
      HasSubstr("strategy other than Latency or Resource"));
}

}  // namespace
}  // namespace fixnn::emulator
