// Embedding worked out by hand: rows read by the truncated subscript of the id in the input
// type, embeddings through their decimal text, the result cast, and ids outside the table
// counted at the "index" site with 0 output (hls4ml reads out of bounds there).
#include <gtest/gtest.h>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

// Vocabulary 4, two values per id. In fixed<8,3> (LSB 1/32, range [-4, 4)) through the text:
// 0.3 -> "0.30000" -> 9/32 = 0.28125; 7.9 wraps to -0.125 (252 - 256 LSBs).
ir::Node EmbeddingNode() {
  ir::Node n;
  n.name = "e";
  n.source = "Embedding";
  n.attrs = ir::EmbeddingAttrs{4, 2};
  n.weights.push_back(testing::TypedWeight(
      "embeddings", {4, 2}, {0.5, -1.25, 2.0, 0.3, 1.0, 1.0, -3.0, 7.9}, "fixed<8,3>"));
  return n;
}

TEST(EmulatorEmbedding, ReadsTheRowOfEachId) {
  const ir::Graph g = ChainBuilder({3}, "fixed<16,6>").Add(EmbeddingNode(), "fixed<16,6>").Finish();
  testing::RunResult r = Emulate(g, {0, 3, 1});
  EXPECT_EQ(r.y, (V{0.5, -1.25, -3.0, -0.125, 2.0, 0.28125}));
  EXPECT_EQ(r.overflows.total(), 0);
  // Into fixed<4,2,RND,SAT> (LSB 1/4, range [-2, 1.75]): -3 and 2 saturate, -0.125 rounds up
  // to 0 (RND ties toward plus infinity), 0.28125 to 0.25.
  const ir::Graph narrow =
      ChainBuilder({3}, "fixed<16,6>").Add(EmbeddingNode(), "fixed<4,2,RND,SAT>").Finish();
  r = Emulate(narrow, {0, 3, 1});
  EXPECT_EQ(r.y, (V{0.5, -1.25, -2.0, 0.0, 1.75, 0.25}));
  EXPECT_EQ(Counts(r.overflows, "e", "result"), (CountPair{1, 1}));
  Result<Emulator> e = Emulator::Create(g);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->setup_overflows().Find("e", "weight:embeddings")->overflow, 1);
}

TEST(EmulatorEmbedding, IdsOutsideTheTableAreCountedAndGiveZero) {
  // Subscript long(x * 2 + i), truncated toward zero, valid in [0, 8):
  //   4      -> 8, 9: past the end (2 above)
  //   -1     -> -2, -1: negative (2 below)
  //   1.5    -> 3, 4: E[3] = 0.28125 (row 1) and E[4] = 1.0 (row 2), as hls4ml reads them
  //   33     -> wraps in fixed<16,6> to -31: -62, -61 (2 below)
  //   -0.25  -> trunc(-0.5) = 0 and trunc(0.5) = 0: E[0] = 0.5 twice
  const ir::Graph g = ChainBuilder({5}, "fixed<16,6>").Add(EmbeddingNode(), "fixed<16,6>").Finish();
  testing::RunResult r = Emulate(g, {4, -1, 1.5, 33, -0.25});
  EXPECT_EQ(r.y, (V{0, 0, 0, 0, 0.28125, 1.0, 0, 0, 0.5, 0.5}));
  EXPECT_EQ(Counts(r.overflows, "e", "index"), (CountPair{2, 4}));
  EXPECT_EQ(r.overflows.Find("e", "index")->casts, 10);
}

TEST(EmulatorEmbedding, CoarseInputTypes) {
  // An input LSB of 2 (ap_fixed<4,5>): ids are even, id 2 -> subscripts 4, 5 (row 2); 6 ->
  // 12, 13 past the end.
  const ir::Graph g =
      ChainBuilder({2}, "ap_fixed<4,5>").Add(EmbeddingNode(), "fixed<16,6>").Finish();
  testing::RunResult r = Emulate(g, {2, 6});
  EXPECT_EQ(r.y, (V{1.0, 1.0, 0, 0}));
  EXPECT_EQ(Counts(r.overflows, "e", "index"), (CountPair{2, 0}));
}

}  // namespace
}  // namespace fixnn::emulator
