// Softmax worked out by hand with 8-entry tables, where every index and entry can be followed:
// the top-bits indices, the wrapped max difference of the stable form, the tree sum, the
// inverse table, and the casts' counts.
#include <gtest/gtest.h>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ActivationNode;
using testing::ChainBuilder;
using testing::Counts;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

// Input fixed<6,3> (LSB 1/8), 8-entry tables (3 index bits), exp_table fixed<10,4,RND,SAT>
// (LSB 1/64), accum fixed<12,5,RND,SAT> (LSB 1/128, below 16), inv_table fixed<10,2,RND,SAT>
// (LSB 1/256), result ufixed<8,0,RND,SAT>.
ir::Graph Softmax(int64_t n, ir::SoftmaxImplementation impl, const std::string& inv_inp) {
  ir::Node node = ActivationNode("s", {ir::ActivationFn::kSoftmax},
                                 {{"exp_table", "fixed<10,4,RND,SAT>"},
                                  {"inv_table", "fixed<10,2,RND,SAT>"},
                                  {"inv_inp", inv_inp},
                                  {"accum", "fixed<12,5,RND,SAT>"},
                                  {"table", "fixed<18,8>"}});
  node.settings.table_size = 8;
  node.settings.softmax_implementation = impl;
  return ChainBuilder({n}, "fixed<6,3>").Add(node, "ufixed<8,0,RND,SAT>").Finish();
}

TEST(EmulatorSoftmax, LatencyIndexesByTheTopBits) {
  // The exp index is the top 3 bits of the 6-bit pattern: 1.0 = 001000 -> 1 (value 1.0),
  // -1.0 = 111000 -> 7 (value -1.0), 0 -> 0. exp: e = 174/64, 24/64, 64/64 (RND).
  // Sum (e0 + e1) + e2 = 4.09375 -> inv_inp fixed<10,5> = 131/32 = 0010000011: top bits 001
  // (value 4.0) -> 1/4. y = e / 4 exactly.
  const ir::Graph g = Softmax(3, ir::SoftmaxImplementation::kLatency, "fixed<10,5,RND,SAT>");
  testing::RunResult r = Emulate(g, {1.0, -1.0, 0.0});
  EXPECT_EQ(r.y, (V{0.6796875, 0.09375, 0.25}));
  EXPECT_EQ(r.overflows.total(), 0);
  // 2.0 = 010000 -> 2: exp(2) = 473/64. Three of them: 14.78125, then 22.17 saturates the
  // accumulator at 2047/128, which inv_inp rounds up past its maximum (511/32, saturated):
  // top bits 011 (value 12) -> 1/12 = 21/256. y = 473/64 * 21/256 = 155.2/256 -> 155/256.
  r = Emulate(g, {2.0, 2.0, 2.0});
  EXPECT_EQ(r.y, (V{155.0 / 256, 155.0 / 256, 155.0 / 256}));
  EXPECT_EQ(Counts(r.overflows, "s", "sum"), (CountPair{1, 0}));
  EXPECT_EQ(Counts(r.overflows, "s", "inv_inp"), (CountPair{1, 0}));
  EXPECT_EQ(r.overflows.Find("s", "sum")->casts, 2);
}

TEST(EmulatorSoftmax, StableSubtractsTheMaxAndWrapsTheDifference) {
  // inp_norm_t = ufixed<5,2> (LSB 1/8, below 4); its top 3 bits index exp(-k/2).
  // x = [1, 0, -0.25]: d = [0, 1, 1.25] -> indices 0, 2, 2 -> e = [1, 24/64, 24/64].
  // Sum 1.75 -> inv_inp fixed<8,3> = 00111000: top bits 001 (value 1.0) -> 1.
  // y = e, and 1.0 saturates ufixed<8,0> to 255/256.
  const ir::Graph g = Softmax(3, ir::SoftmaxImplementation::kStable, "fixed<8,3,RND,SAT>");
  testing::RunResult r = Emulate(g, {1.0, 0.0, -0.25});
  EXPECT_EQ(r.y, (V{255.0 / 256, 0.375, 0.375}));
  EXPECT_EQ(Counts(r.overflows, "s", "result"), (CountPair{1, 0}));
  EXPECT_EQ(Counts(r.overflows, "s", "norm"), (CountPair{0, 0}));
  // x = [3.875, -0.25, -4]: d = [0, 4.125, 7.875] wrap to [0, 0.125, 3.875] (TRN, WRAP):
  // the element 4.125 below the max reads exp(0) like the max. e = [1, 1, 2/64];
  // sum 2.03125 -> 01000001: top bits 010 (value 2) -> 0.5. y = [0.5, 0.5, 1/64].
  r = Emulate(g, {3.875, -0.25, -4.0});
  EXPECT_EQ(r.y, (V{0.5, 0.5, 0.015625}));
  EXPECT_EQ(Counts(r.overflows, "s", "norm"), (CountPair{2, 0}));
}

TEST(EmulatorSoftmax, InverseOfZeroIsTheSaturatedMaximum) {
  // Sum below the first inverse-table step: index 0 holds 1/0 = inf, saturated to 511/256.
  // Latency, x = [-4, -4]: index 100 -> 4 (value -4): exp(-4) = 1.17/64 -> 1/64 each; sum
  // 2/64 -> inv_inp fixed<10,5>: 1/32 -> top bits 000 -> 511/256. y = 4/256 * 511/256 =
  // 7.98/256 -> 8/256 (RND).
  const ir::Graph g = Softmax(2, ir::SoftmaxImplementation::kLatency, "fixed<10,5,RND,SAT>");
  EXPECT_EQ(Emulate(g, {-4.0, -4.0}).y, (V{8.0 / 256, 8.0 / 256}));
}

TEST(EmulatorSoftmax, TreeSumOfFiveCastsFourTimes) {
  const ir::Graph g = Softmax(5, ir::SoftmaxImplementation::kLatency, "fixed<10,5,RND,SAT>");
  // Five zeros: e = 1 each, sum 5 -> 160/32 = 0010100000: top bits 001 (4.0) -> 0.25.
  testing::RunResult r = Emulate(g, {0, 0, 0, 0, 0});
  EXPECT_EQ(r.y, (V{0.25, 0.25, 0.25, 0.25, 0.25}));
  EXPECT_EQ(r.overflows.Find("s", "sum")->casts, 4);
}

TEST(EmulatorSoftmax, RefusesWhatItDoesNotHandle) {
  ir::Node node = ActivationNode("s", {ir::ActivationFn::kSoftmax},
                                 {{"exp_table", "fixed<18,8,RND,SAT>"},
                                  {"inv_table", "fixed<18,8,RND,SAT>"},
                                  {"inv_inp", "fixed<18,8,RND,SAT>"},
                                  {"accum", "fixed<18,8,RND,SAT>"}});
  node.settings.softmax_implementation = ir::SoftmaxImplementation::kLegacy;
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({4}, "fixed<16,6>").Add(node, "fixed<16,6>").Finish()),
      "layer 's' (Activation): the emulator does not handle the legacy softmax "
      "implementation yet");
  node.settings.softmax_implementation = ir::SoftmaxImplementation::kStable;
  node.settings.table_size = 1000;
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({4}, "fixed<16,6>").Add(node, "fixed<16,6>").Finish()),
      "layer 's' (Activation): the emulator does not handle a softmax table size of 1000 "
      "(below 2 or not a power of two: hls4ml indexes past the table) yet");
  node.settings.table_size = 1024;
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2, 3}, "fixed<16,6>").Add(node, "fixed<16,6>").Finish()),
      "layer 's' (Activation): the emulator does not handle softmax over a tensor of shape [2, "
      "3] yet");
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({4}, "fixed<16,6>").Add(node, "fixed<16,6>").Finish()), "");
}

}  // namespace
}  // namespace fixnn::emulator
