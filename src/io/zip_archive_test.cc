#include "io/zip_archive.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "io/io_test_util.h"

namespace fixnn::io {
namespace {

using testing::TempDir;
using testing::WriteZip;

void ExpectErrorNames(const std::string& message, const std::string& name) {
  EXPECT_EQ(message.rfind(name + ": ", 0), 0u) << message;
}

TEST(ZipArchiveTest, ListsAndReadsEntries) {
  TempDir dir;
  std::string big(100000, 'z');
  for (bool deflate : {false, true}) {
    std::string path = WriteZip(
        dir, "m.keras",
        {{"metadata.json", "{}"}, {"config.json", "{\"a\": 1}"}, {"sub/", ""}, {"w.bin", big}},
        deflate);
    auto zip = ZipArchive::Open(path);
    ASSERT_TRUE(zip.ok()) << zip.error().message();
    EXPECT_EQ(zip->name(), path);
    EXPECT_EQ(zip->Entries(),
              (std::vector<std::string>{"metadata.json", "config.json", "sub/", "w.bin"}));
    EXPECT_TRUE(zip->Contains("config.json"));
    EXPECT_FALSE(zip->Contains("model.weights.h5"));
    auto config = zip->Read("config.json");
    ASSERT_TRUE(config.ok()) << config.error().message();
    EXPECT_EQ(*config, "{\"a\": 1}");
    auto w = zip->Read("w.bin");
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(*w, big);
    auto empty_dir = zip->Read("sub/");
    ASSERT_TRUE(empty_dir.ok());
    EXPECT_EQ(*empty_dir, "");
  }
}

TEST(ZipArchiveTest, MissingEntryAndSizeLimitAreErrors) {
  TempDir dir;
  std::string path = WriteZip(dir, "m.keras", {{"config.json", std::string(50, 'c')}}, true);
  auto zip = ZipArchive::Open(path);
  ASSERT_TRUE(zip.ok());
  auto missing = zip->Read("model.weights.h5");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), path + ": no entry 'model.weights.h5' in the archive");
  EXPECT_TRUE(zip->Read("config.json", 50).ok());
  auto too_big = zip->Read("config.json", 49);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message(),
            path + ": entry 'config.json': 50 bytes, more than the limit of 49");
}

TEST(ZipArchiveTest, MovedArchiveStillReads) {
  TempDir dir;
  std::string path = WriteZip(dir, "a.zip", {{"x", "1"}}, false);
  auto zip = ZipArchive::Open(path);
  ASSERT_TRUE(zip.ok());
  ZipArchive moved = std::move(*zip);
  auto x = moved.Read("x");
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(*x, "1");
  auto other = ZipArchive::Open(WriteZip(dir, "b.zip", {{"y", "2"}}, false));
  ASSERT_TRUE(other.ok());
  moved = std::move(*other);
  EXPECT_EQ(moved.Entries(), std::vector<std::string>{"y"});
}

TEST(ZipArchiveTest, CorruptDataFailsTheCrcCheck) {
  TempDir dir;
  std::string content(1000, 'a');
  std::string bytes = testing::ReadAll(WriteZip(dir, "c.zip", {{"data.txt", content}}, false));
  size_t at = bytes.find(content);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 500] = 'b';
  std::string path = dir.Write("flipped.zip", bytes);
  auto zip = ZipArchive::Open(path);
  ASSERT_TRUE(zip.ok()) << zip.error().message();
  auto r = zip->Read("data.txt");
  ASSERT_FALSE(r.ok());
  ExpectErrorNames(r.error().message(), path + ": entry 'data.txt'");
}

TEST(ZipArchiveTest, DamagedFilesAreErrors) {
  TempDir dir;
  std::string good = testing::ReadAll(
      WriteZip(dir, "g.zip", {{"a.json", std::string(300, 'a')}, {"b", "bbb"}}, true));
  ASSERT_GT(good.size(), 100u);
  for (size_t n = 0; n < good.size(); n += 7) {
    std::string path = dir.Write("cut.zip", good.substr(0, n));
    auto zip = ZipArchive::Open(path);
    if (!zip.ok()) {
      ExpectErrorNames(zip.error().message(), path);
      continue;
    }
    // An archive that still opens must not hand back wrong bytes.
    for (const std::string& entry : zip->Entries()) {
      auto r = zip->Read(entry);
      if (!r.ok()) ExpectErrorNames(r.error().message(), path);
    }
    ADD_FAILURE() << "truncated archive opened at " << n;
  }
  ExpectErrorNames(ZipArchive::Open(dir.Path("missing.zip")).error().message(),
                   dir.Path("missing.zip"));
  ExpectErrorNames(ZipArchive::Open(dir.Write("empty.zip", "")).error().message(),
                   dir.Path("empty.zip"));
  ExpectErrorNames(ZipArchive::Open(dir.Write("text.zip", "just some text")).error().message(),
                   dir.Path("text.zip"));
  ExpectErrorNames(ZipArchive::Open(dir.path()).error().message(), dir.path());
}

}  // namespace
}  // namespace fixnn::io
