#include "fixed/fixed_type.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace fixnn::fixed {

// Static rather than in an unnamed namespace because GoogleTest finds PrintTo by
// argument-dependent lookup, which does not look inside unnamed namespaces.
static void PrintTo(const FixedType& t, std::ostream* os) { *os << t.ToString(); }

namespace {

constexpr Rounding kAllRoundings[] = {Rounding::kTrn,     Rounding::kTrnZero,   Rounding::kRnd,
                                      Rounding::kRndZero, Rounding::kRndMinInf, Rounding::kRndInf,
                                      Rounding::kRndConv};
constexpr Overflow kAllOverflows[] = {Overflow::kWrap, Overflow::kSat, Overflow::kSatZero,
                                      Overflow::kSatSym};

FixedType ParseOk(std::string_view text) {
  Result<FixedType> r = ParseFixedType(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error().message();
  return r.ok() ? *r : FixedType{};
}

std::string ParseError(std::string_view text) {
  Result<FixedType> r = ParseFixedType(text);
  EXPECT_FALSE(r.ok()) << text << " parsed as " << r->ToString();
  return r.ok() ? std::string() : r.error().message();
}

TEST(FixedTypeTest, DefaultTypeIsApFixed16With6IntegerBits) {
  FixedType t;
  EXPECT_EQ(t, FixedType::Fixed(16, 6));
  EXPECT_EQ(t.ToString(), "ap_fixed<16,6>");
}

TEST(FixedTypeTest, FixedFactorySetsEveryField) {
  FixedType t = FixedType::Fixed(8, 3, Rounding::kRnd, Overflow::kSat, 2);
  EXPECT_TRUE(t.is_signed);
  EXPECT_EQ(t.width, 8);
  EXPECT_EQ(t.integer, 3);
  EXPECT_EQ(t.rounding, Rounding::kRnd);
  EXPECT_EQ(t.overflow, Overflow::kSat);
  EXPECT_EQ(t.sat_bits, 2);
  EXPECT_FALSE(t.integer_spelling);
}

TEST(FixedTypeTest, UFixedFactoryIsUnsignedWithDefaultModes) {
  FixedType t = FixedType::UFixed(8, 0);
  EXPECT_FALSE(t.is_signed);
  EXPECT_EQ(t.width, 8);
  EXPECT_EQ(t.integer, 0);
  EXPECT_EQ(t.rounding, Rounding::kTrn);
  EXPECT_EQ(t.overflow, Overflow::kWrap);
  EXPECT_EQ(t.sat_bits, 0);
}

TEST(FixedTypeTest, IntFactoriesAreWholeNumberTypes) {
  for (const FixedType& t : {FixedType::Int(8), FixedType::UInt(8)}) {
    EXPECT_EQ(t.width, 8);
    EXPECT_EQ(t.integer, 8);
    EXPECT_EQ(t.rounding, Rounding::kTrn);
    EXPECT_EQ(t.overflow, Overflow::kWrap);
    EXPECT_EQ(t.sat_bits, 0);
    EXPECT_TRUE(t.integer_spelling);
  }
  EXPECT_TRUE(FixedType::Int(8).is_signed);
  EXPECT_FALSE(FixedType::UInt(8).is_signed);
}

TEST(FixedTypeTest, FracBitsAndLsbExponentMayBeNegative) {
  EXPECT_EQ(FixedType::Fixed(16, 6).frac_bits(), 10);
  EXPECT_EQ(FixedType::Fixed(16, 6).lsb_exponent(), -10);
  EXPECT_EQ(FixedType::Fixed(4, 8).frac_bits(), -4);
  EXPECT_EQ(FixedType::Fixed(4, -2).lsb_exponent(), -6);
}

TEST(FixedTypeTest, EqualityIgnoresIntegerSpelling) {
  EXPECT_EQ(FixedType::Int(8), FixedType::Fixed(8, 8));
  EXPECT_NE(FixedType::Int(8), FixedType::UInt(8));
  EXPECT_NE(FixedType::Fixed(8, 3), FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, 1));
}

TEST(FixedTypeTest, ValidateAcceptsTheLimits) {
  EXPECT_TRUE(FixedType::Fixed(1, 1).Validate().ok());
  EXPECT_TRUE(FixedType::UFixed(kMaxWidth, 0).Validate().ok());
  EXPECT_TRUE(FixedType::Fixed(8, kMaxIntegerMagnitude).Validate().ok());
  EXPECT_TRUE(FixedType::Fixed(8, -kMaxIntegerMagnitude).Validate().ok());
  EXPECT_TRUE(FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, 8).Validate().ok());
}

TEST(FixedTypeTest, ValidateRejectsWidthZero) {
  EXPECT_EQ(FixedType::Fixed(0, 0).Validate().error().message(),
            "ap_fixed<0,0>: width must be between 1 and 256, got 0");
}

TEST(FixedTypeTest, ValidateRejectsWidthAboveMax) {
  EXPECT_EQ(FixedType::UInt(257).Validate().error().message(),
            "ap_uint<257>: width must be between 1 and 256, got 257");
}

TEST(FixedTypeTest, ValidateRejectsIntegerTooLarge) {
  EXPECT_EQ(FixedType::Fixed(8, 4097).Validate().error().message(),
            "ap_fixed<8,4097>: integer bits must be between -4096 and 4096, got 4097");
}

TEST(FixedTypeTest, ValidateRejectsIntegerTooSmall) {
  EXPECT_EQ(FixedType::Fixed(8, -4097).Validate().error().message(),
            "ap_fixed<8,-4097>: integer bits must be between -4096 and 4096, got -4097");
}

TEST(FixedTypeTest, ValidateRejectsSatBitsAboveWidth) {
  EXPECT_EQ(FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, 9).Validate().error().message(),
            "ap_fixed<8,3,AP_TRN,AP_WRAP,9>: saturation bits must be between 0 and the width (8), "
            "got 9");
}

TEST(FixedTypeTest, ValidateRejectsNegativeSatBits) {
  EXPECT_EQ(
      FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, -1).Validate().error().message(),
      "ap_fixed<8,3,AP_TRN,AP_WRAP,-1>: saturation bits must be between 0 and the width (8), "
      "got -1");
}

TEST(FixedTypeTest, ToStringOmitsDefaultModes) {
  EXPECT_EQ(FixedType::Fixed(16, 6).ToString(), "ap_fixed<16,6>");
  EXPECT_EQ(FixedType::UFixed(8, 0).ToString(), "ap_ufixed<8,0>");
  EXPECT_EQ(FixedType::Fixed(8, -2).ToString(), "ap_fixed<8,-2>");
}

TEST(FixedTypeTest, ToStringPrintsBothModesWhenEitherDiffers) {
  EXPECT_EQ(FixedType::UFixed(8, 0, Rounding::kRnd, Overflow::kSat).ToString(),
            "ap_ufixed<8,0,AP_RND,AP_SAT>");
  EXPECT_EQ(FixedType::Fixed(8, 3, Rounding::kRndConv).ToString(),
            "ap_fixed<8,3,AP_RND_CONV,AP_WRAP>");
  EXPECT_EQ(FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kSatSym).ToString(),
            "ap_fixed<8,3,AP_TRN,AP_SAT_SYM>");
}

TEST(FixedTypeTest, ToStringPrintsSatBitsOnlyWhenNonzero) {
  EXPECT_EQ(FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, 2).ToString(),
            "ap_fixed<8,3,AP_TRN,AP_WRAP,2>");
}

TEST(FixedTypeTest, ToStringUsesIntSpellingForIntegerTypes) {
  EXPECT_EQ(FixedType::Int(8).ToString(), "ap_int<8>");
  EXPECT_EQ(FixedType::UInt(4).ToString(), "ap_uint<4>");
}

TEST(FixedTypeTest, ToStringUsesFixedSpellingWithoutTheHint) {
  EXPECT_EQ(FixedType::Fixed(8, 8).ToString(), "ap_fixed<8,8>");
}

TEST(FixedTypeTest, ToStringUsesFixedSpellingWhenHintedTypeIsNotInteger) {
  FixedType fractional = FixedType::Int(8);
  fractional.integer = 4;
  EXPECT_EQ(fractional.ToString(), "ap_fixed<8,4>");
  FixedType saturating = FixedType::UInt(8);
  saturating.overflow = Overflow::kSat;
  EXPECT_EQ(saturating.ToString(), "ap_ufixed<8,8,AP_TRN,AP_SAT>");
  FixedType sat_bits = FixedType::Int(8);
  sat_bits.sat_bits = 1;
  EXPECT_EQ(sat_bits.ToString(), "ap_fixed<8,8,AP_TRN,AP_WRAP,1>");
}

TEST(FixedTypeTest, ToHls4mlStringUsesHls4mlSpelling) {
  EXPECT_EQ(FixedType::Fixed(16, 6).ToHls4mlString(), "fixed<16,6>");
  EXPECT_EQ(FixedType::UFixed(8, 0, Rounding::kRnd, Overflow::kSat).ToHls4mlString(),
            "ufixed<8,0,RND,SAT>");
  EXPECT_EQ(FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, 2).ToHls4mlString(),
            "fixed<8,3,TRN,WRAP,2>");
  EXPECT_EQ(FixedType::Fixed(8, 3, Rounding::kRndMinInf, Overflow::kSatZero).ToHls4mlString(),
            "fixed<8,3,RND_MIN_INF,SAT_ZERO>");
  EXPECT_EQ(FixedType::Int(8).ToHls4mlString(), "int<8>");
  EXPECT_EQ(FixedType::UInt(4).ToHls4mlString(), "uint<4>");
}

TEST(FixedTypeTest, RoundingNameCoversEveryMode) {
  std::vector<std::string_view> names;
  for (Rounding q : kAllRoundings) names.push_back(RoundingName(q));
  EXPECT_EQ(names, (std::vector<std::string_view>{"AP_TRN", "AP_TRN_ZERO", "AP_RND", "AP_RND_ZERO",
                                                  "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV"}));
}

TEST(FixedTypeTest, OverflowNameCoversEveryMode) {
  std::vector<std::string_view> names;
  for (Overflow o : kAllOverflows) names.push_back(OverflowName(o));
  EXPECT_EQ(names,
            (std::vector<std::string_view>{"AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM"}));
}

TEST(FixedTypeTest, ParsesVendorFixedSpellings) {
  EXPECT_EQ(ParseOk("ap_fixed<16,6>"), FixedType::Fixed(16, 6));
  EXPECT_EQ(ParseOk("ap_ufixed<8,0,AP_RND,AP_SAT>"),
            FixedType::UFixed(8, 0, Rounding::kRnd, Overflow::kSat));
  EXPECT_EQ(ParseOk("ap_fixed<8,3,AP_TRN,AP_WRAP,2>"),
            FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, 2));
}

TEST(FixedTypeTest, ParsesRoundingAloneWithDefaultOverflow) {
  EXPECT_EQ(ParseOk("ap_fixed<8,3,AP_RND>"), FixedType::Fixed(8, 3, Rounding::kRnd));
}

TEST(FixedTypeTest, ParsesHls4mlSpellings) {
  EXPECT_EQ(ParseOk("fixed<16,6>"), FixedType::Fixed(16, 6));
  EXPECT_EQ(ParseOk("ufixed<8,0,RND,SAT>"),
            FixedType::UFixed(8, 0, Rounding::kRnd, Overflow::kSat));
  EXPECT_EQ(ParseOk("fixed<8,3,TRN,WRAP,2>"),
            FixedType::Fixed(8, 3, Rounding::kTrn, Overflow::kWrap, 2));
  EXPECT_EQ(ParseOk("int<8>"), FixedType::Int(8));
  EXPECT_EQ(ParseOk("uint<4>"), FixedType::UInt(4));
}

TEST(FixedTypeTest, ParsesIntegerTypesWithTheSpellingHint) {
  for (std::string_view text : {"ap_int<8>", "ap_uint<8>", "int<8>", "uint<8>"}) {
    FixedType t = ParseOk(text);
    EXPECT_EQ(t.width, 8) << text;
    EXPECT_EQ(t.integer, 8) << text;
    EXPECT_TRUE(t.integer_spelling) << text;
    EXPECT_EQ(t.is_signed, text.find("uint") == std::string_view::npos) << text;
  }
  EXPECT_FALSE(ParseOk("ap_fixed<8,8>").integer_spelling);
}

TEST(FixedTypeTest, ParsesEveryRoundingModeWithAndWithoutPrefix) {
  for (Rounding q : kAllRoundings) {
    std::string name(RoundingName(q));
    EXPECT_EQ(ParseOk("ap_fixed<8,3," + name + ">").rounding, q) << name;
    EXPECT_EQ(ParseOk("fixed<8,3," + name.substr(3) + ">").rounding, q) << name;
  }
}

TEST(FixedTypeTest, ParsesEveryOverflowModeWithAndWithoutPrefix) {
  for (Overflow o : kAllOverflows) {
    std::string name(OverflowName(o));
    EXPECT_EQ(ParseOk("ap_fixed<8,3,AP_TRN," + name + ">").overflow, o) << name;
    EXPECT_EQ(ParseOk("fixed<8,3,TRN," + name.substr(3) + ">").overflow, o) << name;
  }
}

TEST(FixedTypeTest, AcceptsEitherModeSpellingWithEitherTypeName) {
  EXPECT_EQ(ParseOk("ap_fixed<8,3,RND,SAT>"), ParseOk("fixed<8,3,AP_RND,AP_SAT>"));
}

TEST(FixedTypeTest, ParsesSpacesBetweenTokens) {
  EXPECT_EQ(ParseOk("  ap_ufixed < 8 , 0 , AP_RND , AP_SAT , 3 >  "),
            FixedType::UFixed(8, 0, Rounding::kRnd, Overflow::kSat, 3));
  EXPECT_EQ(ParseOk("\tap_int <\t8\t>\n"), FixedType::Int(8));
}

TEST(FixedTypeTest, ParsesSignedIntegerBits) {
  EXPECT_EQ(ParseOk("ap_fixed<8,-2>"), FixedType::Fixed(8, -2));
  EXPECT_EQ(ParseOk("ap_fixed<8, - 2>"), FixedType::Fixed(8, -2));
  EXPECT_EQ(ParseOk("ap_fixed<8,+2>"), FixedType::Fixed(8, 2));
  EXPECT_EQ(ParseOk("ap_fixed<4,20>"), FixedType::Fixed(4, 20));
}

TEST(FixedTypeTest, ParsesTheLimits) {
  EXPECT_EQ(ParseOk("ap_uint<256>"), FixedType::UInt(256));
  EXPECT_EQ(ParseOk("ap_fixed<1,-4096>"), FixedType::Fixed(1, -4096));
  EXPECT_EQ(ParseOk("ap_fixed<1,4096>"), FixedType::Fixed(1, 4096));
  EXPECT_EQ(ParseOk("ap_fixed<8,3,AP_TRN,AP_WRAP,8>").sat_bits, 8);
  EXPECT_EQ(ParseOk("ap_fixed<8,3,AP_TRN,AP_WRAP,0>").sat_bits, 0);
}

TEST(FixedTypeTest, RoundTripsThroughBothSpellings) {
  std::vector<FixedType> types = {FixedType::Int(1), FixedType::UInt(256), FixedType::Int(37),
                                  FixedType::UInt(5)};
  for (int w : {1, 2, 8, 16, 255, 256}) {
    for (int i : {-4096, -3, 0, 1, w, w + 5, 4096}) {
      for (Rounding q : kAllRoundings) {
        for (Overflow o : kAllOverflows) {
          for (int n : {0, 1, w}) {
            types.push_back(FixedType::Fixed(w, i, q, o, n));
            types.push_back(FixedType::UFixed(w, i, q, o, n));
          }
        }
      }
    }
  }
  for (const FixedType& t : types) {
    ASSERT_TRUE(t.Validate().ok()) << t.ToString();
    FixedType vendor = ParseOk(t.ToString());
    EXPECT_EQ(vendor, t) << t.ToString();
    EXPECT_EQ(vendor.ToString(), t.ToString());
    FixedType hls4ml = ParseOk(t.ToHls4mlString());
    EXPECT_EQ(hls4ml, t) << t.ToHls4mlString();
    EXPECT_EQ(hls4ml.ToHls4mlString(), t.ToHls4mlString());
  }
}

TEST(FixedTypeTest, NeverCrashesOnGarbage) {
  std::vector<std::string> inputs = {std::string(10000, '9'),
                                     "ap_fixed<" + std::string(10000, '9') + ",6>",
                                     "ap_fixed<8,-" + std::string(5000, '9') + ">",
                                     "ap_fixed<8,3,AP_TRN,AP_WRAP," + std::string(400, '1') + ">",
                                     std::string(10000, '<'),
                                     std::string("ap_int<8\0>", 10),
                                     std::string(3000, '-'),
                                     "ap_fixed<8," + std::string(3000, ' ') + "3>"};
  const std::vector<std::string> seeds = {"ap_fixed<16,6>", "ap_ufixed<8,0,AP_RND,AP_SAT,3>",
                                          "int<8>", "ufixed<8,-2,RND_CONV,SAT_SYM>"};
  const std::string alphabet = "ap_fixedunt<>,-+0123456789 \tAP_RNDSATWRZEOMICV\x01\xff";
  std::mt19937 rng(12345);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  for (int k = 0; k < 300; ++k) {
    std::string s;
    for (std::size_t len = pick(30); len > 0; --len) s += alphabet[pick(alphabet.size())];
    inputs.push_back(s);
  }
  // Half of the edits stay inside the parameter list and use characters that often keep the
  // type valid, so that the round-trip checks below also see many accepted inputs.
  const std::string gentle = "0123456789 -";
  for (int k = 0; k < 300; ++k) {
    std::string s = seeds[pick(seeds.size())];
    const bool keep_name = k % 2 == 0;
    const std::size_t first = keep_name ? s.find('<') + 1 : 0;
    for (int edits = 1 + pick(3); edits > 0; --edits) {
      const std::size_t at = first + pick(s.size() + 1 - first);
      const char c = keep_name ? gentle[pick(gentle.size())] : alphabet[pick(alphabet.size())];
      switch (pick(3)) {
        case 0:
          s.insert(at, 1, c);
          break;
        case 1:
          if (at < s.size()) s.erase(at, 1);
          break;
        default:
          if (at < s.size()) s[at] = c;
      }
    }
    inputs.push_back(s);
  }
  int accepted = 0;
  for (const std::string& s : inputs) {
    Result<FixedType> r = ParseFixedType(s);
    if (r.ok()) {
      ++accepted;
      EXPECT_TRUE(r->Validate().ok()) << s;
      EXPECT_EQ(ParseOk(r->ToString()), *r) << s;
      EXPECT_EQ(ParseOk(r->ToHls4mlString()), *r) << s;
    } else {
      const std::string& message = r.error().message();
      EXPECT_EQ(message.rfind("invalid type '", 0), 0u) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_LT(message.size(), 400u) << message;
    }
  }
  EXPECT_GT(accepted, 30);
}

TEST(FixedTypeErrorTest, EmptyString) {
  EXPECT_EQ(ParseError(""),
            "invalid type '': the text is empty; expected a type such as ap_fixed<16,6>");
}

TEST(FixedTypeErrorTest, OnlySpaces) {
  EXPECT_EQ(ParseError("   "),
            "invalid type '   ': the text is empty; expected a type such as ap_fixed<16,6>");
}

TEST(FixedTypeErrorTest, UnknownTypeName) {
  EXPECT_EQ(ParseError("ap_fixedd<16,6>"),
            "invalid type 'ap_fixedd<16,6>': unknown type name 'ap_fixedd' at column 1; expected "
            "one of ap_fixed, ap_ufixed, ap_int, ap_uint, fixed, ufixed, int, uint");
}

TEST(FixedTypeErrorTest, TypeNameIsCaseSensitive) {
  EXPECT_EQ(ParseError(" AP_FIXED<16,6>"),
            "invalid type ' AP_FIXED<16,6>': unknown type name 'AP_FIXED' at column 2; expected "
            "one of ap_fixed, ap_ufixed, ap_int, ap_uint, fixed, ufixed, int, uint");
}

TEST(FixedTypeErrorTest, MissingTypeName) {
  EXPECT_EQ(ParseError("<16,6>"),
            "invalid type '<16,6>': expected a type name (ap_fixed, ap_ufixed, ap_int, ap_uint, "
            "fixed, ufixed, int, uint) at column 1, found '<'");
}

TEST(FixedTypeErrorTest, MissingOpeningAngle) {
  EXPECT_EQ(ParseError("ap_fixed 16,6"),
            "invalid type 'ap_fixed 16,6': expected '<' after 'ap_fixed' at column 10, found '16'");
}

TEST(FixedTypeErrorTest, NameWithoutParameters) {
  EXPECT_EQ(ParseError("ap_int"),
            "invalid type 'ap_int': expected '<' after 'ap_int' at column 7, found the end of the "
            "text");
}

TEST(FixedTypeErrorTest, MissingClosingAngle) {
  EXPECT_EQ(
      ParseError("ap_fixed<16,6"),
      "invalid type 'ap_fixed<16,6': expected ',' or '>' after the integer bits at column 14, "
      "found the end of the text");
}

TEST(FixedTypeErrorTest, MissingClosingAngleOnInt) {
  EXPECT_EQ(ParseError("ap_int<8"),
            "invalid type 'ap_int<8': expected '>' after the width at column 9, found the end of "
            "the text");
}

TEST(FixedTypeErrorTest, TrailingGarbage) {
  EXPECT_EQ(ParseError("ap_fixed<16,6> x"),
            "invalid type 'ap_fixed<16,6> x': unexpected 'x' after the closing '>' at column 16");
}

TEST(FixedTypeErrorTest, DoubledClosingAngle) {
  EXPECT_EQ(ParseError("ap_int<8>>"),
            "invalid type 'ap_int<8>>': unexpected '>' after the closing '>' at column 10");
}

TEST(FixedTypeErrorTest, NonNumericWidth) {
  EXPECT_EQ(ParseError("ap_fixed<W,6>"),
            "invalid type 'ap_fixed<W,6>': expected the width (a whole number) at column 10, found "
            "'W'");
}

TEST(FixedTypeErrorTest, MissingWidth) {
  EXPECT_EQ(ParseError("ap_uint<>"),
            "invalid type 'ap_uint<>': expected the width (a whole number) at column 9, found '>'");
}

TEST(FixedTypeErrorTest, FractionalWidth) {
  EXPECT_EQ(ParseError("ap_fixed<16.5,6>"),
            "invalid type 'ap_fixed<16.5,6>': expected ',' or '>' after the width at column 12, "
            "found '.'");
}

TEST(FixedTypeErrorTest, SpaceInsteadOfComma) {
  EXPECT_EQ(ParseError("ap_fixed<16 6>"),
            "invalid type 'ap_fixed<16 6>': expected ',' or '>' after the width at column 13, "
            "found '6'");
}

TEST(FixedTypeErrorTest, WidthZero) {
  EXPECT_EQ(ParseError("ap_fixed<0,0>"),
            "invalid type 'ap_fixed<0,0>': width must be between 1 and 256, got 0 at column 10");
}

TEST(FixedTypeErrorTest, WidthTooWide) {
  EXPECT_EQ(ParseError("ap_int<257>"),
            "invalid type 'ap_int<257>': width must be between 1 and 256, got 257 at column 8");
}

TEST(FixedTypeErrorTest, NegativeWidth) {
  EXPECT_EQ(ParseError("ufixed<-8,0>"),
            "invalid type 'ufixed<-8,0>': width must be between 1 and 256, got -8 at column 8");
}

TEST(FixedTypeErrorTest, WidthOverflowsInt) {
  EXPECT_EQ(ParseError("ap_fixed<99999999999,6>"),
            "invalid type 'ap_fixed<99999999999,6>': width must be between 1 and 256, got "
            "99999999999 at column 10");
}

TEST(FixedTypeErrorTest, VeryLongNumberIsAbbreviated) {
  EXPECT_EQ(ParseError("int<" + std::string(100, '1') + ">"),
            "invalid type 'int<" + std::string(76, '1') +
                "... (105 characters)': width must be between 1 and 256, got " +
                std::string(20, '1') + "... (100 characters) at column 5");
}

TEST(FixedTypeErrorTest, ControlCharactersAreEscaped) {
  EXPECT_EQ(ParseError("ap_int<8>\x01"),
            "invalid type 'ap_int<8>\\x01': unexpected '\\x01' after the closing '>' at column 10");
}

TEST(FixedTypeErrorTest, MissingIntegerBits) {
  EXPECT_EQ(ParseError("ap_fixed<16>"),
            "invalid type 'ap_fixed<16>': ap_fixed needs the integer bits after the width, as in "
            "ap_fixed<16,6>, but the list ends at column 12");
}

TEST(FixedTypeErrorTest, EmptyIntegerBits) {
  EXPECT_EQ(ParseError("fixed<16,>"),
            "invalid type 'fixed<16,>': expected the integer bits (a whole number) at column 10, "
            "found '>'");
}

TEST(FixedTypeErrorTest, IntegerBitsOutOfRange) {
  EXPECT_EQ(ParseError("ap_fixed<16,-5000>"),
            "invalid type 'ap_fixed<16,-5000>': integer bits must be between -4096 and 4096, got "
            "-5000 at column 13");
}

TEST(FixedTypeErrorTest, IntegerBitsOverflowInt) {
  EXPECT_EQ(ParseError("ap_fixed<16,3000000000>"),
            "invalid type 'ap_fixed<16,3000000000>': integer bits must be between -4096 and 4096, "
            "got 3000000000 at column 13");
}

TEST(FixedTypeErrorTest, TooManyParameters) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_TRN,AP_WRAP,2,1>"),
            "invalid type 'ap_fixed<8,3,AP_TRN,AP_WRAP,2,1>': too many parameters: ap_fixed takes "
            "at most five (W,I,Q,O,N), but found another ',' at column 30");
}

TEST(FixedTypeErrorTest, IntWithTwoParameters) {
  EXPECT_EQ(ParseError("ap_int<8,3>"),
            "invalid type 'ap_int<8,3>': ap_int takes a single parameter, the width, but found ',' "
            "at column 9");
}

TEST(FixedTypeErrorTest, UnknownRoundingMode) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_ROUND>"),
            "invalid type 'ap_fixed<8,3,AP_ROUND>': unknown rounding mode 'AP_ROUND' at column 14; "
            "expected one of AP_TRN, AP_TRN_ZERO, AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, "
            "AP_RND_INF, AP_RND_CONV (the AP_ prefix is optional)");
}

TEST(FixedTypeErrorTest, MissingRoundingMode) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,>"),
            "invalid type 'ap_fixed<8,3,>': expected the rounding mode (one of AP_TRN, "
            "AP_TRN_ZERO, AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV) at column "
            "14, found '>'");
}

TEST(FixedTypeErrorTest, OverflowModeWhereRoundingModeBelongs) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_SAT>"),
            "invalid type 'ap_fixed<8,3,AP_SAT>': 'AP_SAT' at column 14 is an overflow mode, but "
            "parameter 3 of ap_fixed<W,I,Q,O,N> is the rounding mode");
}

TEST(FixedTypeErrorTest, RoundingModeWhereOverflowModeBelongs) {
  EXPECT_EQ(ParseError("fixed<8,3,RND,RND>"),
            "invalid type 'fixed<8,3,RND,RND>': 'RND' at column 15 is a rounding mode, but "
            "parameter 4 of fixed<W,I,Q,O,N> is the overflow mode");
}

TEST(FixedTypeErrorTest, UnknownOverflowMode) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_RND,AP_CLAMP>"),
            "invalid type 'ap_fixed<8,3,AP_RND,AP_CLAMP>': unknown overflow mode 'AP_CLAMP' at "
            "column 21; expected one of AP_WRAP, AP_SAT, AP_SAT_ZERO, AP_SAT_SYM (the AP_ prefix "
            "is optional)");
}

TEST(FixedTypeErrorTest, WrapSmIsNotSupported) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_TRN,AP_WRAP_SM>"),
            "invalid type 'ap_fixed<8,3,AP_TRN,AP_WRAP_SM>': overflow mode 'AP_WRAP_SM' at column "
            "21 is not supported; use one of AP_WRAP, AP_SAT, AP_SAT_ZERO, AP_SAT_SYM");
  EXPECT_EQ(ParseError("fixed<8,3,TRN,WRAP_SM>"),
            "invalid type 'fixed<8,3,TRN,WRAP_SM>': overflow mode 'WRAP_SM' at column 15 is not "
            "supported; use one of AP_WRAP, AP_SAT, AP_SAT_ZERO, AP_SAT_SYM");
}

TEST(FixedTypeErrorTest, SatBitsAboveWidth) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_TRN,AP_WRAP,9>"),
            "invalid type 'ap_fixed<8,3,AP_TRN,AP_WRAP,9>': saturation bits must be between 0 and "
            "the width (8), got 9 at column 29");
}

TEST(FixedTypeErrorTest, NegativeSatBits) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_TRN,AP_WRAP,-1>"),
            "invalid type 'ap_fixed<8,3,AP_TRN,AP_WRAP,-1>': saturation bits must be between 0 and "
            "the width (8), got -1 at column 29");
}

TEST(FixedTypeErrorTest, NonNumericSatBits) {
  EXPECT_EQ(ParseError("ap_fixed<8,3,AP_TRN,AP_WRAP,N>"),
            "invalid type 'ap_fixed<8,3,AP_TRN,AP_WRAP,N>': expected the saturation bits (a whole "
            "number) at column 29, found 'N'");
}

}  // namespace
}  // namespace fixnn::fixed
