#include "estimate/hardware_model.h"

#include <gtest/gtest.h>

namespace fixnn::estimate {
namespace {

TEST(HardwareModelTest, ProductsThatFitTheDspPortsTakeOneDsp) {
  const DeviceModel d = DeviceFor("xcku115-flvb2104-2-i");
  EXPECT_EQ(DspsPerProduct(16, 16, d), 1);
  EXPECT_EQ(DspsPerProduct(27, 18, d), 1);
  EXPECT_EQ(DspsPerProduct(18, 27, d), 1);  // either operand may take the 27-bit port
  EXPECT_EQ(DspsPerProduct(11, 11, d), 1);
}

TEST(HardwareModelTest, WideOperandsSplitOverSeveralDsps) {
  const DeviceModel d = DeviceFor("xcvu9p-flga2104-2L-e");
  // 28 x 18: the 28-bit operand needs a second (unsigned, 26-bit) piece on the 27-bit port.
  EXPECT_EQ(DspsPerProduct(28, 18, d), 2);
  // 24 x 32: 24 on the 27-bit port, 32 in two pieces on the 18-bit port (18 + 17 bits).
  EXPECT_EQ(DspsPerProduct(24, 32, d), 2);
  EXPECT_EQ(DspsPerProduct(32, 32, d), 4);
  EXPECT_EQ(DspsPerProduct(27, 19, d), 2);
  // 7-series DSP48E1: 25 x 18, so a 26 x 18 product splits.
  const DeviceModel seven = DeviceFor("xc7z020clg400-1");
  EXPECT_EQ(seven.dsp_a_bits, 25);
  EXPECT_EQ(DspsPerProduct(26, 18, seven), 2);
  EXPECT_EQ(DspsPerProduct(26, 18, d), 1);
}

TEST(HardwareModelTest, NarrowProductsGoToLuts) {
  const DeviceModel d;
  EXPECT_TRUE(IsLutProduct(10, 10, d));
  EXPECT_EQ(DspsPerProduct(10, 10, d), 0);
  EXPECT_FALSE(IsLutProduct(11, 10, d));
  EXPECT_EQ(DspsPerProduct(11, 10, d), 1);
  EXPECT_EQ(DspsPerProduct(16, 4, d), 0);  // one operand of at most 4 bits
  EXPECT_EQ(DspsPerProduct(4, 32, d), 0);
  EXPECT_EQ(DspsPerProduct(16, 5, d), 1);
  EXPECT_EQ(LutsPerLutProduct(16, 4), 32);
  EXPECT_EQ(LutsPerLutProduct(3, 3), 5);
}

TEST(HardwareModelTest, UnsignedOperandsNeedASignBit) {
  EXPECT_EQ(SignedBits(8, true), 8);
  EXPECT_EQ(SignedBits(8, false), 9);
  // ap_ufixed<18,..> does not fit the 18-bit signed port: 19 x 27 splits.
  EXPECT_EQ(DspsPerProduct(SignedBits(27, true), SignedBits(18, false), DeviceModel{}), 2);
}

TEST(HardwareModelTest, BramBlocksFollowThePortShapes) {
  const DeviceModel d;
  // 1024 x 18 bits is exactly one BRAM_18K (a 1024-entry activation table).
  EXPECT_EQ(Bram18kBlocks(1024, 1, 18, d), 1);
  // 128 deep, 128 words of 16 bits: two words per 36-bit port, 64 blocks.
  EXPECT_EQ(Bram18kBlocks(128, 128, 16, d), 64);
  EXPECT_EQ(Bram18kBlocks(112, 896, 16, d), 448);
  // 2048 x 18: two 1K x 18 blocks (or 2K x 9 pairs).
  EXPECT_EQ(Bram18kBlocks(2048, 1, 18, d), 2);
  // A 40-bit word is wider than any port: two 36-bit columns.
  EXPECT_EQ(Bram18kBlocks(512, 1, 40, d), 2);
  EXPECT_EQ(Bram18kBlocks(0, 4, 16, d), 0);
}

TEST(HardwareModelTest, ProductLatencyIsTheTutorialFormula) {
  const LatencyModel m;
  // L_mult + (R - 1) x II_mult.
  EXPECT_EQ(ProductLatency(1, false, m), m.mult_latency);
  EXPECT_EQ(ProductLatency(4, false, m), m.mult_latency + 3);
  EXPECT_EQ(ProductLatency(128, true, m), m.mult_latency_resource + 127);
  LatencyModel slow = m;
  slow.mult_interval = 2;
  EXPECT_EQ(ProductLatency(8, false, slow), m.mult_latency + 14);
}

}  // namespace
}  // namespace fixnn::estimate
