#include "backends/hls/cpp_text.h"

#include <gtest/gtest.h>

namespace fixnn::backends::hls {
namespace {

fixed::FixedType T(const char* text) { return *fixed::ParseFixedType(text); }

TEST(CppText, TypeNames) {
  EXPECT_EQ(TypeName(T("fixed<16,6>")), "ap_fixed<16,6>");
  EXPECT_EQ(TypeName(T("ufixed<8,0,RND,SAT>")), "ap_ufixed<8,0,AP_RND,AP_SAT>");
  EXPECT_EQ(TypeName(T("int<8>")), "ap_int<8>");
  // Graph inputs: a double converts into ap_fixed<8,8> by its rounding mode (floor).
  EXPECT_EQ(TypeName(T("int<8>"), true), "ap_fixed<8,8>");
  EXPECT_EQ(TypeName(T("uint<4>"), true), "ap_ufixed<4,4>");
}

fixed::FixedValue V(const char* type, int64_t mantissa) {
  return fixed::FixedValue::FromMantissa(T(type), fixed::WideInt(mantissa));
}

TEST(CppText, ExactLiterals) {
  EXPECT_EQ(*ExactLiteral(V("fixed<8,3>", 3)), "0.09375");  // 3 / 32
  EXPECT_EQ(*ExactLiteral(V("fixed<8,3>", -128)), "-4");
  EXPECT_EQ(*ExactLiteral(V("fixed<8,3>", 0)), "0");
  EXPECT_EQ(*ExactLiteral(V("ufixed<16,0>", 13107)), "0.1999969482421875");
  EXPECT_EQ(*ExactLiteral(V("fixed<4,12>", -3)), "-768");                    // LSB 2^8
  EXPECT_EQ(*ExactLiteral(V("fixed<40,-10>", 1)), "8.881784197001252e-16");  // 2^-50
  // 2^53 + 1 at any LSB has no exact double.
  const fixed::FixedValue wide = fixed::FixedValue::FromMantissa(
      T("fixed<60,10>"), fixed::WideInt(int64_t{1} << 53) + fixed::WideInt(1));
  Result<std::string> r = ExactLiteral(wide);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no exact double"), std::string::npos);
}

TEST(CppText, Identifiers) {
  EXPECT_TRUE(IsCIdentifier("myproject"));
  EXPECT_TRUE(IsCIdentifier("_p2"));
  EXPECT_FALSE(IsCIdentifier("2p"));
  EXPECT_FALSE(IsCIdentifier("my-project"));
  EXPECT_FALSE(IsCIdentifier("int"));
  EXPECT_FALSE(IsCIdentifier(""));
}

}  // namespace
}  // namespace fixnn::backends::hls
