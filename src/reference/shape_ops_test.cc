// Data movement ops, checked element by element against index arithmetic in the test.
#include <gtest/gtest.h>

#include "reference/reference_test_util.h"

namespace fixnn::reference {
namespace {

using testing::MakeNode;
using testing::Ramp;
using testing::Run1;

using V = std::vector<double>;

TEST(ReferenceShapeOps, FlattenAndReshapeKeepOrder) {
  EXPECT_EQ(Run1({2, 3}, MakeNode("f", ir::FlattenAttrs{}, {"x0"}), Ramp(6)), Ramp(6));
  EXPECT_EQ(Run1({2, 3}, MakeNode("r", ir::ReshapeAttrs{{3, -1}}, {"x0"}), Ramp(6)), Ramp(6));
}

TEST(ReferenceShapeOps, Permute) {
  // x [2, 3, 4] with x[i, j, k] = 100 i + 10 j + k; dims (3, 1, 2): y[k, i, j] = x[i, j, k].
  V x;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) x.push_back(100 * i + 10 * j + k);
  V y = Run1({2, 3, 4}, MakeNode("p", ir::PermuteAttrs{{3, 1, 2}}, {"x0"}), x);
  V want;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j) want.push_back(100 * i + 10 * j + k);
  EXPECT_EQ(y, want);
  EXPECT_EQ(Run1({2, 3}, MakeNode("p", ir::PermuteAttrs{{2, 1}}, {"x0"}), Ramp(6)),
            (V{0, 3, 1, 4, 2, 5}));
}

TEST(ReferenceShapeOps, ZeroPaddingAndCropping2D) {
  // 2x2x1 [[1, 2], [3, 4]], pad rows (1, 0), columns (0, 2) -> 3x4.
  V y =
      Run1({2, 2, 1}, MakeNode("z", ir::ZeroPaddingAttrs{{{1, 0}, {0, 2}}}, {"x0"}), {1, 2, 3, 4});
  EXPECT_EQ(y, (V{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
  // Crop it back: rows (1, 0), columns (0, 2).
  V back = Run1({3, 4, 1}, MakeNode("c", ir::CroppingAttrs{{{1, 0}, {0, 2}}}, {"x0"}), y);
  EXPECT_EQ(back, (V{1, 2, 3, 4}));
}

TEST(ReferenceShapeOps, PaddingCroppingUpsampling1DWithChannels) {
  // [3, 2]: (1, 10), (2, 20), (3, 30)
  const V x = {1, 10, 2, 20, 3, 30};
  EXPECT_EQ(Run1({3, 2}, MakeNode("z", ir::ZeroPaddingAttrs{{{2, 1}}}, {"x0"}), x),
            (V{0, 0, 0, 0, 1, 10, 2, 20, 3, 30, 0, 0}));
  EXPECT_EQ(Run1({3, 2}, MakeNode("c", ir::CroppingAttrs{{{0, 1}}}, {"x0"}), x), (V{1, 10, 2, 20}));
  EXPECT_EQ(Run1({3, 2}, MakeNode("u", ir::UpSamplingAttrs{{2}}, {"x0"}), x),
            (V{1, 10, 1, 10, 2, 20, 2, 20, 3, 30, 3, 30}));
}

TEST(ReferenceShapeOps, UpSampling2D) {
  // [[1, 2], [3, 4]] by (2, 3) -> 4x6 nearest neighbour.
  V y = Run1({2, 2, 1}, MakeNode("u", ir::UpSamplingAttrs{{2, 3}}, {"x0"}), {1, 2, 3, 4});
  V want;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 6; ++c) want.push_back(1 + (r / 2) * 2 + c / 3);
  EXPECT_EQ(y, want);
}

}  // namespace
}  // namespace fixnn::reference
