// Permute, ZeroPadding, Cropping and UpSampling worked out by hand: where each output element
// comes from, the result cast of the copies, hls4ml's nearest-neighbour index formula, and the
// refusals.
#include <gtest/gtest.h>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

ir::Node Layout(const std::string& name, ir::OpAttrs attrs) {
  ir::Node node;
  node.name = name;
  node.attrs = std::move(attrs);
  return node;
}

TEST(EmulatorLayout, PermuteReordersAndCasts) {
  // [2, 3] -> Permute((2, 1)) -> [3, 2]: y[j][i] = x[i][j]; fixed<6,3,RND,SAT> (LSB 1/8) rounds
  // 0.0625 up to 0.125 and saturates 5 to 3.875.
  testing::RunResult r =
      Emulate(ChainBuilder({2, 3}, "fixed<8,4>")
                  .Add(Layout("perm", ir::PermuteAttrs{{2, 1}}), "fixed<6,3,RND,SAT>")
                  .Finish(),
              {1, 2, 3, 0.0625, 5, -1});
  EXPECT_EQ(r.y, (V{1, 0.125, 2, 3.875, 3, -1}));
  EXPECT_EQ(Counts(r.overflows, "perm", "result"), (CountPair{1, 0}));
}

TEST(EmulatorLayout, FlattenCopiesOrCastsIntoItsType) {
  // Same type: a copy, no cast site. Another type: every element cast, as Permute does.
  testing::RunResult same = Emulate(ChainBuilder({2, 2}, "fixed<8,4>")
                                        .Add(Layout("flat", ir::FlattenAttrs{}), "fixed<8,4>")
                                        .Finish(),
                                    {1, 0.0625, 5, -1});
  EXPECT_EQ(same.y, (V{1, 0.0625, 5, -1}));
  EXPECT_EQ(same.overflows.Find("flat", "result"), nullptr);
  testing::RunResult cast =
      Emulate(ChainBuilder({2, 2}, "fixed<8,4>")
                  .Add(Layout("flat", ir::FlattenAttrs{}), "fixed<6,3,RND,SAT>")
                  .Finish(),
              {1, 0.0625, 5, -1});
  EXPECT_EQ(cast.y, (V{1, 0.125, 3.875, -1}));
  EXPECT_EQ(Counts(cast.overflows, "flat", "result"), (CountPair{1, 0}));
}

TEST(EmulatorLayout, PermuteThreeAxes) {
  // [2, 1, 3] -> Permute((3, 1, 2)) -> [3, 2, 1]: y[c][a][b] = x[a][b][c].
  EXPECT_EQ(Emulate(ChainBuilder({2, 1, 3}, "fixed<8,4>")
                        .Add(Layout("perm", ir::PermuteAttrs{{3, 1, 2}}), "fixed<8,4>")
                        .Finish(),
                    {1, 2, 3, 4, 5, 6})
                .y,
            (V{1, 4, 2, 5, 3, 6}));
}

TEST(EmulatorLayout, ZeroPaddingAddsZerosAroundCasts) {
  // 1-D [2, 2] padded (1, 2) -> [5, 2]; the copies are cast into fixed<4,2> (WRAP): 2.5 wraps
  // to -1.5.
  testing::RunResult r =
      Emulate(ChainBuilder({2, 2}, "fixed<8,4>")
                  .Add(Layout("pad", ir::ZeroPaddingAttrs{{{1, 2}}}), "fixed<4,2>")
                  .Finish(),
              {1, -1, 2.5, 0.5});
  EXPECT_EQ(r.y, (V{0, 0, 1, -1, -1.5, 0.5, 0, 0, 0, 0}));
  EXPECT_EQ(Counts(r.overflows, "pad", "result"), (CountPair{1, 0}));
  EXPECT_EQ(r.overflows.Find("pad", "result")->casts, 4);
  // 2-D [1, 2, 1] padded ((0, 1), (1, 0)) -> [2, 3, 1].
  EXPECT_EQ(Emulate(ChainBuilder({1, 2, 1}, "fixed<8,4>")
                        .Add(Layout("pad", ir::ZeroPaddingAttrs{{{0, 1}, {1, 0}}}), "fixed<8,4>")
                        .Finish(),
                    {3, 4})
                .y,
            (V{0, 3, 4, 0, 0, 0}));
}

TEST(EmulatorLayout, CroppingKeepsTheWindowAndCasts) {
  // 2-D [3, 3, 1] cropped ((1, 0), (0, 2)) -> [2, 1, 1]: x[1][0], x[2][0]; cast to fixed<6,3>
  // (TRN, LSB 1/8): 1.0625 -> 1, -2.0625 -> -2.125.
  EXPECT_EQ(Emulate(ChainBuilder({3, 3, 1}, "fixed<8,4>")
                        .Add(Layout("crop", ir::CroppingAttrs{{{1, 0}, {0, 2}}}), "fixed<6,3>")
                        .Finish(),
                    {9, 9, 9, 1.0625, 9, 9, -2.0625, 9, 9})
                .y,
            (V{1, -2.125}));
  // 1-D [4, 1] cropped (1, 1).
  EXPECT_EQ(Emulate(ChainBuilder({4, 1}, "fixed<8,4>")
                        .Add(Layout("crop", ir::CroppingAttrs{{{1, 1}}}), "fixed<8,4>")
                        .Finish(),
                    {1, 2, 3, 4})
                .y,
            (V{2, 3}));
}

TEST(EmulatorLayout, UpSamplingRepeatsNearest) {
  // 2-D [2, 2, 1] by (2, 3) -> [4, 6, 1]: element (i, j) is x[i / 2][j / 3].
  EXPECT_EQ(Emulate(ChainBuilder({2, 2, 1}, "fixed<8,4>")
                        .Add(Layout("up", ir::UpSamplingAttrs{{2, 3}, false}), "fixed<8,4>")
                        .Finish(),
                    {1, 2, 3, 4})
                .y,
            (V{1, 1, 1, 2, 2, 2,  //
               1, 1, 1, 2, 2, 2,  //
               3, 3, 3, 4, 4, 4,  //
               3, 3, 3, 4, 4, 4}));
  // 1-D [2, 2] by 2 -> [4, 2].
  EXPECT_EQ(Emulate(ChainBuilder({2, 2}, "fixed<8,4>")
                        .Add(Layout("up", ir::UpSamplingAttrs{{2}, false}), "fixed<8,4>")
                        .Finish(),
                    {1, -1, 2, -2})
                .y,
            (V{1, -1, 1, -1, 2, -2, 2, -2}));
}

TEST(EmulatorLayout, UpSamplingFollowsHls4mlsIndexFormula) {
  // An axis of 10000 repeated 7 times: ratio = (10000 << 16) / 70000 + 1 = 9363, and output
  // 69999 reads (69999 * 9363) >> 16 = 10000 > 9999, past the input: refused. (floor(i / 7)
  // would be 9999.)
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({10000, 1}, "fixed<8,4>")
                               .Add(Layout("up", ir::UpSamplingAttrs{{7}, false}), "fixed<8,4>")
                               .Finish()),
      "layer 'up' (UpSampling): an axis of 10000 upsampled to 70000: hls4ml's index "
      "arithmetic overflows or reads past the input");
}

TEST(EmulatorLayout, RefusesWhatHls4mlDoesNotCompute) {
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2, 2, 1}, "fixed<8,4>")
                               .Add(Layout("up", ir::UpSamplingAttrs{{2, 2}, true}), "fixed<8,4>")
                               .Finish()),
      "layer 'up' (UpSampling): bilinear interpolation: hls4ml emits nearest for bilinear; "
      "fixnn refuses rather than compute something the model does not");
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2, 2, 1}, "fixed<8,4>")
                               .Add(Layout("up", ir::UpSamplingAttrs{{2, 2}, false}), "fixed<6,3>")
                               .Finish()),
      "layer 'up' (UpSampling): result type ap_fixed<6,3> differs from the input type "
      "ap_fixed<8,4>: hls4ml gives UpSampling the input's type (resize_nearest copies "
      "without a cast), so configure the result as the input type");
}

}  // namespace
}  // namespace fixnn::emulator
