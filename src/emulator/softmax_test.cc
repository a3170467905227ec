// Softmax worked out by hand with small tables, where every index and entry can be followed:
// the top-bits indices, the wrapped max difference of the stable form, the tree sum, the
// inverse table, the legacy and argmax forms, slices along an axis, and the casts' counts.
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

TEST(EmulatorSoftmax, LegacySumsTruncatedDifferencesInEighteenBitTables) {
  // 64 entries: exp index int((x_j - x_i) * 64 / 16) + 32 = trunc0(4d) + 32 holds
  // exp(trunc0(4d) / 4); the inverse index int(acc * 64 / 64) = trunc0(acc) holds 1/k. Both
  // tables are ap_fixed<18,8> (TRN, LSB 2^-10) although the node's table type says otherwise.
  // x = [0.5, 0, -1]:
  //   i=0: 1 + exp(-0.5) + exp(-1.5) = 1 + 621/1024 + 228/1024 = 1.83 -> inv[1] = 1 -> 1
  //        saturates ufixed<8,0,RND,SAT> at 255/256
  //   i=1: exp(0.5) + 1 + exp(-1) = (1688 + 1024 + 376)/1024 = 3.02 -> inv[3] = 341/1024 ->
  //        85.25/256 -> 85/256
  //   i=2: exp(1.5) + exp(1) + 1 = (4589 + 2783 + 1024)/1024 = 8.20 -> inv[8] = 1/8 = 32/256
  ir::Node node = ActivationNode("s", {ir::ActivationFn::kSoftmax},
                                 {{"exp_table", "fixed<10,4,RND,SAT>"},
                                  {"inv_table", "fixed<10,2,RND,SAT>"},
                                  {"inv_inp", "fixed<10,5,RND,SAT>"},
                                  {"accum", "fixed<12,5,RND,SAT>"},
                                  {"table", "fixed<24,8,RND,SAT>"}});
  node.settings.table_size = 64;
  node.settings.softmax_implementation = ir::SoftmaxImplementation::kLegacy;
  const ir::Graph g = ChainBuilder({3}, "fixed<6,3>").Add(node, "ufixed<8,0,RND,SAT>").Finish();
  testing::RunResult r = Emulate(g, {0.5, 0.0, -1.0});
  EXPECT_EQ(r.y, (V{255.0 / 256, 85.0 / 256, 32.0 / 256}));
  EXPECT_EQ(Counts(r.overflows, "s", "result"), (CountPair{1, 0}));
  EXPECT_EQ(r.overflows.Find("s", "exp_sum")->casts, 9);
  // A table size that is not a power of two is fine: the indices are clamped.
  node.settings.table_size = 48;
  EXPECT_EQ(testing::CreateError(
                ChainBuilder({3}, "fixed<6,3>").Add(node, "ufixed<8,0,RND,SAT>").Finish()),
            "");
}

TEST(EmulatorSoftmax, ArgmaxMarksTheFirstLargest) {
  // Ties keep the earlier index; 1 saturates ufixed<8,0,RND,SAT> (counted each sample).
  const ir::Graph g = Softmax(4, ir::SoftmaxImplementation::kArgmax, "fixed<10,5,RND,SAT>");
  testing::RunResult r = Emulate(g, {1.0, 3.0, 3.0, -2.0, -1.0, -2.0, -3.0, -4.0});
  EXPECT_EQ(r.y, (V{0, 255.0 / 256, 0, 0, 255.0 / 256, 0, 0, 0}));
  EXPECT_EQ(Counts(r.overflows, "s", "result"), (CountPair{2, 0}));
}

// A softmax over a [2, 3] tensor: `source` "Softmax" (the layer) or "Activation".
ir::Graph Softmax2x3(const std::string& source, int64_t axis, ir::SoftmaxImplementation impl) {
  ir::ActivationAttrs a{ir::ActivationFn::kSoftmax};
  a.axis = axis;
  ir::Node node = ActivationNode("s", a,
                                 {{"exp_table", "fixed<10,4,RND,SAT>"},
                                  {"inv_table", "fixed<10,2,RND,SAT>"},
                                  {"inv_inp", "fixed<10,5,RND,SAT>"},
                                  {"accum", "fixed<12,5,RND,SAT>"}});
  node.source = source;
  node.settings.table_size = 8;
  node.settings.softmax_implementation = impl;
  return ChainBuilder({2, 3}, "fixed<6,3>").Add(node, "fixed<8,3,RND,SAT>").Finish();
}

TEST(EmulatorSoftmax, LayerAxisSlicesActivationTakesTheWholeTensor) {
  const V x = {1, 3, 0, 2, 2.5, 0};  // [[1, 3, 0], [2, 2.5, 0]]
  using Impl = ir::SoftmaxImplementation;
  // Softmax(axis=1): along the first axis, per column: (1, 2) -> 1, (3, 2.5) -> 0, (0, 0) -> 0.
  EXPECT_EQ(Emulate(Softmax2x3("Softmax", 1, Impl::kArgmax), x).y, (V{0, 1, 1, 1, 0, 0}));
  EXPECT_EQ(Emulate(Softmax2x3("Softmax", -2, Impl::kArgmax), x).y, (V{0, 1, 1, 1, 0, 0}));
  // Softmax(axis=-1): per row.
  EXPECT_EQ(Emulate(Softmax2x3("Softmax", -1, Impl::kArgmax), x).y, (V{0, 1, 0, 0, 1, 0}));
  // Activation('softmax'): one softmax over all six values.
  EXPECT_EQ(Emulate(Softmax2x3("Activation", -1, Impl::kArgmax), x).y, (V{0, 1, 0, 0, 0, 0}));
  // Latency per row, as LatencyIndexesByTheTopBits: [1, -1, 0] -> e * 1/4 = [174/256,
  // 24/256, 64/256], here into fixed<8,3,RND,SAT> (LSB 1/32): 174/256 rounds to 22/32; the
  // second row holds the same values permuted.
  EXPECT_EQ(Emulate(Softmax2x3("Softmax", -1, Impl::kLatency), {1, -1, 0, 0, 1, -1}).y,
            (V{0.6875, 0.09375, 0.25, 0.25, 0.6875, 0.09375}));
}

TEST(EmulatorSoftmax, RefusesTablesIndexedPastTheirEnd) {
  ir::Node node = ActivationNode("s", {ir::ActivationFn::kSoftmax},
                                 {{"exp_table", "fixed<18,8,RND,SAT>"},
                                  {"inv_table", "fixed<18,8,RND,SAT>"},
                                  {"inv_inp", "fixed<18,8,RND,SAT>"},
                                  {"accum", "fixed<18,8,RND,SAT>"}});
  node.settings.table_size = 1000;
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({4}, "fixed<16,6>").Add(node, "fixed<16,6>").Finish()),
      "layer 's' (Activation): a stable softmax with tables of 1000 and 1000 entries: the index "
      "is a table's top bits, which reach past a table whose size is not a power of two (hls4ml "
      "reads out of bounds); use a power of two of at least 2");
  // A 10-bit input makes the stable exp table 2^9 entries, but the inverse table keeps 1000.
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({4}, "fixed<10,4>").Add(node, "fixed<16,6>").Finish()),
      "layer 's' (Activation): a stable softmax with tables of 512 and 1000 entries: the index "
      "is a table's top bits, which reach past a table whose size is not a power of two (hls4ml "
      "reads out of bounds); use a power of two of at least 2");
  // An 8-bit input reduces the table size to 2^8 (fix_softmax_table_size).
  EXPECT_EQ(testing::CreateError(ChainBuilder({4}, "fixed<8,4>").Add(node, "fixed<16,6>").Finish()),
            "");
  node.settings.table_size = 1024;
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({4}, "fixed<16,6>").Add(node, "fixed<16,6>").Finish()), "");
}

}  // namespace
}  // namespace fixnn::emulator
