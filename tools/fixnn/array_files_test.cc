#include "tools/fixnn/array_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "frontends/keras/keras_frontend.h"
#include "io/npy.h"
#include "tools/fixnn/project_record.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;

const fs::path kModel = fs::path(FIXNN_TEST_DATA_DIR) / "keras" / "k3_seq_dense";

fs::path Scratch() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::temp_directory_path() / "fixnn_cli_support_test" / info->name();
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

ir::Graph Model() {
  Result<ir::Graph> g = frontends::keras::LoadKerasModel((kModel / "model.keras").string());
  EXPECT_TRUE(g.ok()) << g.error().message();
  return std::move(g).value();
}

TEST(ModelInputs, CsvWrittenAndReadBackEqualsTheNpy) {
  const fs::path dir = Scratch();
  const ir::Graph g = Model();
  Result<std::vector<emulator::Batch>> npy = ReadModelInputs({(kModel / "input.npy").string()}, g);
  ASSERT_TRUE(npy.ok()) << npy.error().message();
  const std::string csv = (dir / "x.csv").string();
  ASSERT_TRUE(WriteBatchFile(csv, npy->at(0), false).ok());
  EXPECT_FALSE(WriteBatchFile(csv, npy->at(0), false).ok());  // exists: needs force
  Result<std::vector<emulator::Batch>> back = ReadModelInputs({csv}, g);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->at(0).shape, npy->at(0).shape);
  EXPECT_EQ(back->at(0).values, npy->at(0).values);  // %.17g round-trips every double
}

TEST(ModelInputs, CsvHeaderBlankLinesAndErrors) {
  const fs::path dir = Scratch();
  const ir::Graph g = Model();
  const int64_t per = ir::NumElements(g.FindTensor(g.inputs()[0])->shape);
  std::string header, row;
  for (int64_t k = 0; k < per; ++k) {
    header += (k ? ",f" : "f") + std::to_string(k);
    row += (k ? ", " : "") + std::to_string(0.25 * static_cast<double>(k));
  }
  Write(dir / "ok.csv", header + "\n" + row + "\r\n\n" + row + "\n");
  Result<std::vector<emulator::Batch>> ok = ReadModelInputs({(dir / "ok.csv").string()}, g);
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->at(0).shape.at(0), 2);
  EXPECT_EQ(ok->at(0).values.at(1), 0.25);

  Write(dir / "short.csv", "1,2\n");
  Result<std::vector<emulator::Batch>> bad = ReadModelInputs({(dir / "short.csv").string()}, g);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("short.csv:1: 2 values; a sample of this input has"),
            std::string::npos)
      << bad.error().message();

  Write(dir / "text.csv", row + "\n" + header + "\n");
  bad = ReadModelInputs({(dir / "text.csv").string()}, g);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("text.csv:2: not a row of numbers"), std::string::npos);

  Write(dir / "nan.csv", row + "\n" + std::string("nan") + row.substr(row.find(',')) + "\n");
  bad = ReadModelInputs({(dir / "nan.csv").string()}, g);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("nan.csv: sample 1, element 0"), std::string::npos)
      << bad.error().message();

  Write(dir / "empty.csv", header + "\n");
  bad = ReadModelInputs({(dir / "empty.csv").string()}, g);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("no samples"), std::string::npos);
}

TEST(ModelInputs, WrongCountNamesTheInputs) {
  const ir::Graph g = Model();
  Result<std::vector<emulator::Batch>> r =
      ReadModelInputs({(kModel / "input.npy").string(), (kModel / "input.npy").string()}, g);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find(g.inputs()[0]), std::string::npos);
}

TEST(ProjectRecord, MissingAndDamagedRecordsAreRefused) {
  const fs::path dir = Scratch();
  Result<ProjectRecord> r = ReadProjectRecord(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("not a project written by fixnn convert"), std::string::npos);
  Write(dir / ProjectRecordFileName(), "{\"config\": 3");
  r = ReadProjectRecord(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("damaged"), std::string::npos);
  config::ProjectConfig project;
  project.project_name = "jets";
  Write(dir / ProjectRecordFileName(), ProjectRecordText(project, true));
  r = ReadProjectRecord(dir);
  ASSERT_FALSE(r.ok());  // the configuration file it names is missing
  EXPECT_NE(r.error().message().find("missing"), std::string::npos);
  Write(dir / ProjectConfigFileName(), "OutputDir: x\n");
  r = ReadProjectRecord(dir);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->project_name, "jets");
  EXPECT_TRUE(r->hls4ml_compatible);
}

}  // namespace
}  // namespace fixnn::cli
