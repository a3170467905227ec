#include "io/file_format.h"

#include <gtest/gtest.h>

#include <string>

#include "io/io_test_util.h"

namespace fixnn::io {
namespace {

using testing::TempDir;

const std::string kHdf5Magic("\x89HDF\r\n\x1a\n", 8);

FileFormat Detect(const TempDir& dir, const std::string& bytes) {
  auto format = DetectFileFormat(dir.Write("f", bytes));
  EXPECT_TRUE(format.ok()) << (format.ok() ? "" : format.error().message());
  return format.ok() ? *format : FileFormat::kUnknown;
}

TEST(DetectFileFormatTest, RecognizesMagicBytes) {
  TempDir dir;
  EXPECT_EQ(Detect(dir, kHdf5Magic + std::string(100, '\0')), FileFormat::kHdf5);
  EXPECT_EQ(Detect(dir, std::string("PK\x03\x04", 4) + "rest"), FileFormat::kZip);
  EXPECT_EQ(Detect(dir, std::string("PK\x05\x06", 4) + std::string(18, '\0')), FileFormat::kZip);
  EXPECT_EQ(Detect(dir, std::string("\x93NUMPY\x01\x00", 8)), FileFormat::kNpy);
}

TEST(DetectFileFormatTest, FindsHdf5SignatureAfterUserBlock) {
  TempDir dir;
  EXPECT_EQ(Detect(dir, std::string(512, 'x') + kHdf5Magic + "more"), FileFormat::kHdf5);
  EXPECT_EQ(Detect(dir, std::string(2048, ' ') + kHdf5Magic), FileFormat::kHdf5);
  // Only offsets 0 and 512 * 2^k can hold the superblock.
  EXPECT_NE(Detect(dir, std::string(100, 'x') + kHdf5Magic), FileFormat::kHdf5);
}

TEST(DetectFileFormatTest, RecognizesJson) {
  TempDir dir;
  EXPECT_EQ(Detect(dir, R"({"class_name": "Sequential"})"), FileFormat::kJson);
  EXPECT_EQ(Detect(dir, "\n\t  [1, 2]"), FileFormat::kJson);
  EXPECT_EQ(Detect(dir, "\xEF\xBB\xBF{}"), FileFormat::kJson);
}

TEST(DetectFileFormatTest, RecognizesYaml) {
  TempDir dir;
  EXPECT_EQ(Detect(dir, "class_name: Sequential\nconfig:\n  name: m\n"), FileFormat::kYaml);
  EXPECT_EQ(Detect(dir, "# written by keras\n\nbackend: tensorflow\n"), FileFormat::kYaml);
  EXPECT_EQ(Detect(dir, "---\nkey: value\n"), FileFormat::kYaml);
  EXPECT_EQ(Detect(dir, "- a\n- b\n"), FileFormat::kYaml);
  EXPECT_EQ(Detect(dir, "config:"), FileFormat::kYaml);
}

TEST(DetectFileFormatTest, OtherContentIsUnknown) {
  TempDir dir;
  EXPECT_EQ(Detect(dir, "hello world, this is prose"), FileFormat::kUnknown);
  EXPECT_EQ(Detect(dir, std::string("\x01\x02\x00\xff garbage", 12)), FileFormat::kUnknown);
  EXPECT_EQ(Detect(dir, "   \n\n  "), FileFormat::kUnknown);
  EXPECT_EQ(Detect(dir, "http://example.com"), FileFormat::kUnknown);
}

TEST(DetectFileFormatTest, MissingEmptyAndDirectoryAreErrors) {
  TempDir dir;
  auto missing = DetectFileFormat(dir.Path("nope.h5"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message().rfind(dir.Path("nope.h5") + ": ", 0), 0u)
      << missing.error().message();

  auto empty = DetectFileFormat(dir.Write("empty.h5", ""));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message(), dir.Path("empty.h5") + ": file is empty");

  auto directory = DetectFileFormat(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message().find("directory"), std::string::npos);
}

TEST(FileFormatNameTest, NamesEveryFormat) {
  EXPECT_STREQ(FileFormatName(FileFormat::kHdf5), "HDF5");
  EXPECT_STREQ(FileFormatName(FileFormat::kZip), "zip");
  EXPECT_STREQ(FileFormatName(FileFormat::kJson), "JSON");
  EXPECT_STREQ(FileFormatName(FileFormat::kYaml), "YAML");
  EXPECT_STREQ(FileFormatName(FileFormat::kNpy), "npy");
  EXPECT_STREQ(FileFormatName(FileFormat::kUnknown), "unknown");
}

TEST(ReadTextFileTest, ReadsBytesUnchanged) {
  TempDir dir;
  std::string content("line1\r\nline2\n\0tail", 18);
  auto text = ReadTextFile(dir.Write("a.json", content));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, content);
  auto empty = ReadTextFile(dir.Write("e.json", ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(ReadTextFileTest, EnforcesSizeLimit) {
  TempDir dir;
  std::string path = dir.Write("big.json", std::string(100, 'a'));
  EXPECT_TRUE(ReadTextFile(path, 100).ok());
  auto too_big = ReadTextFile(path, 99);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message(), path + ": file has 100 bytes, more than the limit of 99");
}

TEST(ReadTextFileTest, MissingFileIsError) {
  auto text = ReadTextFile("/nonexistent/dir/model.json");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message().rfind("/nonexistent/dir/model.json: cannot open file", 0), 0u)
      << text.error().message();
}

}  // namespace
}  // namespace fixnn::io
