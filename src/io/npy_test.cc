#include "io/npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "io/io_test_util.h"

namespace fixnn::io {
namespace {

using testing::TempDir;
using testing::WriteZip;

// An .npy file with a hand-written header (version 1 unless told) and raw data bytes.
std::string NpyFile(const std::string& header, const std::string& data, int version = 1) {
  std::string out("\x93NUMPY", 6);
  out.push_back(static_cast<char>(version));
  out.push_back(0);
  int len_bytes = version == 1 ? 2 : 4;
  for (int i = 0; i < len_bytes; ++i) out.push_back(static_cast<char>(header.size() >> (8 * i)));
  return out + header + data;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

void ExpectErrorNames(const Result<Array>& r, const std::string& name) {
  ASSERT_FALSE(r.ok()) << "expected an error for " << name;
  EXPECT_EQ(r.error().message().rfind(name + ": ", 0), 0u) << r.error().message();
}

struct RoundTripCase {
  NpyDtype dtype;
  std::vector<double> values;
};

TEST(NpyTest, RoundTripsEveryDtype) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<RoundTripCase> cases = {
      {NpyDtype::kFloat16, {0.5, -2.0, 65504.0, std::ldexp(1.0, -24), -0.0, inf}},
      {NpyDtype::kFloat32,
       {0.25, static_cast<float>(-1.5e30), static_cast<float>(0.1), std::ldexp(1.0, -149), -inf,
        0.0}},
      {NpyDtype::kFloat64, {0.1, -1e300, std::ldexp(1.0, -1074), 3.0, 0.0, 1.0 / 3.0}},
      {NpyDtype::kInt8, {-128, 127, 0, -1, 5, 100}},
      {NpyDtype::kInt16, {-32768, 32767, 0, -1, 300, -300}},
      {NpyDtype::kInt32, {-2147483648.0, 2147483647.0, 0, -1, 70000, -70000}},
      {NpyDtype::kInt64, {-9223372036854775808.0, 9007199254740992.0, 0, -1, 1e15, -1e15}},
      {NpyDtype::kUInt8, {0, 255, 1, 128, 7, 200}},
      {NpyDtype::kUInt16, {0, 65535, 1, 32768, 7, 200}},
      {NpyDtype::kUInt32, {0, 4294967295.0, 1, 2147483648.0, 7, 200}},
      {NpyDtype::kUInt64, {0, 18446744073709549568.0, 1, 9223372036854775808.0, 7, 200}},
      {NpyDtype::kBool, {0, 1, 1, 0, 0, 1}},
  };
  TempDir dir;
  for (const auto& c : cases) {
    Array a{{2, 3}, c.values};
    std::string path = dir.Path("a.npy");
    Status written = WriteNpy(path, a, c.dtype);
    ASSERT_TRUE(written.ok()) << written.error().message();
    auto back = ReadNpy(path);
    ASSERT_TRUE(back.ok()) << back.error().message();
    EXPECT_EQ(back->shape, a.shape);
    ASSERT_EQ(back->values.size(), a.values.size());
    for (size_t i = 0; i < a.values.size(); ++i) {
      EXPECT_EQ(back->values[i], a.values[i])
          << "dtype " << static_cast<int>(c.dtype) << " i=" << i;
      EXPECT_EQ(std::signbit(back->values[i]), std::signbit(a.values[i]));
    }
  }
}

TEST(NpyTest, WriterHeaderIsAlignedVersion1) {
  auto bytes = EncodeNpy(Array{{64, 10}, std::vector<double>(640, 1.0)});
  ASSERT_TRUE(bytes.ok());
  ASSERT_GT(bytes->size(), 10u);
  EXPECT_EQ(bytes->substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  size_t header_len =
      static_cast<unsigned char>((*bytes)[8]) | (static_cast<unsigned char>((*bytes)[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  std::string header = bytes->substr(10, header_len);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (64, 10), }", 0), 0u);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(bytes->size(), 10 + header_len + size_t{640} * 4);
}

TEST(NpyTest, WriterRoundsToFloat16AndFloat32) {
  auto bytes = EncodeNpy(Array{{5},
                               {1.0 + std::ldexp(1.0, -11), 1.0 + 3 * std::ldexp(1.0, -11), 65519.0,
                                65520.0, std::ldexp(1.0, -25) * 3}},
                         NpyDtype::kFloat16);
  ASSERT_TRUE(bytes.ok());
  auto back = ReadNpyBytes(*bytes, "h.npy");
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->values[0], 1.0);                        // tie to even
  EXPECT_EQ(back->values[1], 1.0 + std::ldexp(1.0, -9));  // tie to even, upwards
  EXPECT_EQ(back->values[2], 65504.0);
  EXPECT_TRUE(std::isinf(back->values[3]));
  EXPECT_EQ(back->values[4], std::ldexp(1.0, -23));  // subnormal 1.5 ulp -> 2 ulp
}

TEST(NpyTest, WriterRefusesValuesThatDoNotFit) {
  auto r = EncodeNpy(Array{{2}, {1.0, 128.0}}, NpyDtype::kInt8);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "value 128 at index 1 does not fit dtype '|i1'");
  EXPECT_FALSE(EncodeNpy(Array{{1}, {0.5}}, NpyDtype::kInt32).ok());
  EXPECT_FALSE(EncodeNpy(Array{{1}, {-1}}, NpyDtype::kUInt64).ok());
  EXPECT_FALSE(EncodeNpy(Array{{1}, {2}}, NpyDtype::kBool).ok());
  EXPECT_FALSE(EncodeNpy(Array{{1}, {std::nan("")}}, NpyDtype::kInt16).ok());
  auto mismatch = EncodeNpy(Array{{2, 2}, {1, 2, 3}});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().message(), "shape (2, 2) has 4 elements but the array holds 3 values");
  EXPECT_FALSE(EncodeNpy(Array{{-1}, {}}).ok());
}

TEST(NpyTest, WriteNpyErrorNamesPath) {
  Status s = WriteNpy("/nonexistent/dir/out.npy", Array{{1}, {1.0}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message().rfind("/nonexistent/dir/out.npy: cannot write file", 0), 0u);
  Status bad = WriteNpy("/tmp/never_written.npy", Array{{3}, {1.0}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().rfind("/tmp/never_written.npy: shape (3,)", 0), 0u);
}

TEST(NpyTest, ReadsScalarAndEmptyArrays) {
  auto scalar = ReadNpyBytes(NpyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n",
                                     Bytes({0, 0, 0, 0, 0, 0, 0x10, 0x40})),
                             "s.npy");
  ASSERT_TRUE(scalar.ok()) << scalar.error().message();
  EXPECT_TRUE(scalar->shape.empty());
  EXPECT_EQ(scalar->values, std::vector<double>{4.0});

  auto empty = ReadNpyBytes(
      NpyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3)}", ""), "e.npy");
  ASSERT_TRUE(empty.ok()) << empty.error().message();
  EXPECT_EQ(empty->shape, (std::vector<int64_t>{0, 3}));
  EXPECT_TRUE(empty->values.empty());
}

TEST(NpyTest, ReadsBigEndianAndOtherDtypes) {
  struct Case {
    std::string descr;
    std::string data;
    std::vector<double> expected;
  };
  const std::vector<Case> cases = {
      {">f4", Bytes({0x3f, 0x80, 0, 0, 0xc0, 0x20, 0, 0}), {1.0, -2.5}},
      {"<f4", Bytes({0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0}), {1.0, -2.5}},
      {">f8", Bytes({0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0}), {1.0, -2.0}},
      {">f2", Bytes({0x3c, 0x00, 0x80, 0x01}), {1.0, -std::ldexp(1.0, -24)}},
      {"<f2", Bytes({0x00, 0x3c, 0xff, 0x7b}), {1.0, 65504.0}},
      {">i2", Bytes({0xff, 0xfe, 0x01, 0x00}), {-2, 256}},
      {"<i2", Bytes({0xfe, 0xff, 0x00, 0x01}), {-2, 256}},
      {">i4", Bytes({0x80, 0, 0, 0, 0, 0, 0, 7}), {-2147483648.0, 7}},
      {"<i8",
       Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 0, 0}),
       {-1, 1}},
      {">u8",
       Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 1, 0}),
       {18446744073709551615.0, 256}},
      {">u2", Bytes({0xff, 0xff, 0x01, 0x00}), {65535, 256}},
      {"<u4", Bytes({0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0}), {4294967295.0, 2}},
      {"|i1", Bytes({0x80, 0x7f}), {-128, 127}},
      {"|u1", Bytes({0xff, 0x00}), {255, 0}},
      {"|b1", Bytes({0x01, 0x00}), {1, 0}},
      {"?", Bytes({0x00, 0x01}), {0, 1}},
  };
  for (const auto& c : cases) {
    std::string header = "{'descr': '" + c.descr + "', 'fortran_order': False, 'shape': (2,), }\n";
    for (int version : {1, 2, 3}) {
      auto r = ReadNpyBytes(NpyFile(header, c.data, version), "x.npy");
      ASSERT_TRUE(r.ok()) << c.descr << ": " << r.error().message();
      EXPECT_EQ(r->shape, std::vector<int64_t>{2});
      EXPECT_EQ(r->values, c.expected) << c.descr << " v" << version;
    }
  }
}

TEST(NpyTest, AcceptsHeaderVariants) {
  // Double quotes, Python 2 long dimensions, keys in another order, no trailing comma.
  auto r = ReadNpyBytes(
      NpyFile("{\"shape\": (1L, 2L), \"fortran_order\": False, \"descr\": \"|u1\"}", "\x03\x04"),
      "v.npy");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(r->values, (std::vector<double>{3, 4}));
}

TEST(NpyTest, FortranOrderIsTransposedToRowMajor) {
  // The 2x3 array [[1, 2, 3], [4, 5, 6]] stored column by column: 1 4 2 5 3 6.
  auto r = ReadNpyBytes(NpyFile("{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }",
                                Bytes({1, 4, 2, 5, 3, 6})),
                        "f.npy");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(r->values, (std::vector<double>{1, 2, 3, 4, 5, 6}));

  // 2x3x2: element (i, j, k) is stored at i + 2 * j + 6 * k and has value 100i + 10j + k.
  std::string data(12, '\0');
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k) data[i + 2 * j + 6 * k] = static_cast<char>(100 * i + 10 * j + k);
  auto r3 = ReadNpyBytes(
      NpyFile("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3, 2), }", data), "f3.npy");
  ASSERT_TRUE(r3.ok()) << r3.error().message();
  std::vector<double> expected;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k) expected.push_back(100 * i + 10 * j + k);
  EXPECT_EQ(r3->values, expected);
}

TEST(NpyTest, MalformedHeadersAreErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "is not supported"},
      {"{'descr': '<f3', 'fortran_order': False, 'shape': (1,), }", "is not supported"},
      {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "structured"},
      {"{'descr': '<f4', 'shape': (1,), }", "fortran_order"},
      {"{'descr': '<f4', 'fortran_order': False, }", "shape"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", ""},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "non-negative"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,2", ""},
      {"not a dict", "header"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", ""},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }",
       "more than"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296,), }", "more than"},
  };
  for (const auto& [header, fragment] : cases) {
    auto r = ReadNpyBytes(NpyFile(header, std::string(4, '\0')), "bad.npy");
    ExpectErrorNames(r, "bad.npy");
    if (!r.ok()) {
      EXPECT_NE(r.error().message().find(fragment), std::string::npos) << r.error().message();
    }
  }
}

TEST(NpyTest, WrongDataLengthIsError) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  auto short_data = ReadNpyBytes(NpyFile(header, std::string(7, '\0')), "s.npy");
  ExpectErrorNames(short_data, "s.npy");
  EXPECT_NE(short_data.error().message().find("truncated data"), std::string::npos);
  auto long_data = ReadNpyBytes(NpyFile(header, std::string(9, '\0')), "l.npy");
  ExpectErrorNames(long_data, "l.npy");
}

TEST(NpyTest, BadVersionAndMagicAreErrors) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";
  ExpectErrorNames(ReadNpyBytes(NpyFile(header, "abcd", 4), "v4.npy"), "v4.npy");
  std::string bad_magic = NpyFile(header, "abcd");
  bad_magic[1] = 'X';
  ExpectErrorNames(ReadNpyBytes(bad_magic, "m.npy"), "m.npy");
}

TEST(NpyTest, EveryTruncationIsAnError) {
  auto bytes = EncodeNpy(Array{{3, 2}, {1, 2, 3, 4, 5, 6}}, NpyDtype::kFloat64);
  ASSERT_TRUE(bytes.ok());
  for (size_t n = 0; n < bytes->size(); ++n) {
    ExpectErrorNames(ReadNpyBytes(std::string_view(*bytes).substr(0, n), "t.npy"), "t.npy");
  }
}

TEST(NpyTest, FileErrorsNameTheFile) {
  TempDir dir;
  ExpectErrorNames(ReadNpy(dir.Path("missing.npy")), dir.Path("missing.npy"));
  ExpectErrorNames(ReadNpy(dir.Write("empty.npy", "")), dir.Path("empty.npy"));
  ExpectErrorNames(ReadNpy(dir.Write("garbage.npy", "garbage \x01\x02\x03 not numpy")),
                   dir.Path("garbage.npy"));
  auto bytes = EncodeNpy(Array{{4}, {1, 2, 3, 4}});
  ASSERT_TRUE(bytes.ok());
  ExpectErrorNames(ReadNpy(dir.Write("cut.npy", bytes->substr(0, bytes->size() - 3))),
                   dir.Path("cut.npy"));
  // Pseudo-random bytes after a valid magic.
  std::string noise("\x93NUMPY\x01\x00", 8);
  uint32_t state = 12345;
  for (int i = 0; i < 4000; ++i) {
    state = state * 1103515245u + 12345u;
    noise.push_back(static_cast<char>(state >> 16));
  }
  ExpectErrorNames(ReadNpy(dir.Write("noise.npy", noise)), dir.Path("noise.npy"));
}

TEST(NpzTest, ReadsStoredAndDeflatedArchives) {
  TempDir dir;
  auto x = EncodeNpy(Array{{2, 2}, {1, 2, 3, 4}}, NpyDtype::kFloat32);
  auto y = EncodeNpy(Array{{3}, {-1, 0, 1}}, NpyDtype::kInt64);
  ASSERT_TRUE(x.ok() && y.ok());
  for (bool deflate : {false, true}) {
    std::string path =
        WriteZip(dir, "a.npz", {{"x.npy", *x}, {"dir/", ""}, {"y.npy", *y}}, deflate);
    auto arrays = ReadNpz(path);
    ASSERT_TRUE(arrays.ok()) << arrays.error().message();
    ASSERT_EQ(arrays->size(), 2u);
    EXPECT_EQ(arrays->at("x").shape, (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(arrays->at("x").values, (std::vector<double>{1, 2, 3, 4}));
    EXPECT_EQ(arrays->at("y").values, (std::vector<double>{-1, 0, 1}));
  }
}

TEST(NpzTest, BadEntriesAreErrorsNamingArchiveAndEntry) {
  TempDir dir;
  auto x = EncodeNpy(Array{{2}, {1, 2}});
  ASSERT_TRUE(x.ok());
  std::string bad = WriteZip(dir, "bad.npz", {{"x.npy", x->substr(0, x->size() - 1)}}, true);
  auto r = ReadNpz(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().rfind(bad + ": entry 'x.npy': truncated data", 0), 0u)
      << r.error().message();

  std::string other = WriteZip(dir, "other.npz", {{"notes.txt", "hi"}}, false);
  auto o = ReadNpz(other);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message(), other + ": entry 'notes.txt' is not an .npy file");
}

TEST(NpzTest, DamagedArchivesAreErrors) {
  TempDir dir;
  auto x = EncodeNpy(Array{{8}, {1, 2, 3, 4, 5, 6, 7, 8}});
  ASSERT_TRUE(x.ok());
  std::string good = testing::ReadAll(WriteZip(dir, "good.npz", {{"x.npy", *x}}, true));
  ASSERT_FALSE(good.empty());
  for (size_t n : {size_t{0}, size_t{1}, size_t{4}, size_t{30}, good.size() / 2, good.size() - 22,
                   good.size() - 1}) {
    std::string path = dir.Write("cut.npz", good.substr(0, n));
    auto r = ReadNpz(path);
    ASSERT_FALSE(r.ok()) << "truncated at " << n;
    EXPECT_EQ(r.error().message().rfind(path + ": ", 0), 0u) << r.error().message();
  }
  std::string path = dir.Write("garbage.npz", "PK\x03\x04 this is not really a zip archive");
  auto r = ReadNpz(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().rfind(path + ": ", 0), 0u) << r.error().message();
}

}  // namespace
}  // namespace fixnn::io
