// Reads the committed Keras fixtures (tests/data/keras) through every io reader, and checks that
// truncated copies of them give Errors rather than crashes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/file_format.h"
#include "io/hdf5_file.h"
#include "io/io_test_util.h"
#include "io/npy.h"
#include "io/zip_archive.h"

namespace fixnn::io {
namespace {

using testing::TempDir;

const std::string kDense = std::string(FIXNN_TEST_DATA_DIR) + "/keras/k3_seq_dense/";
const std::string kJet = std::string(FIXNN_TEST_DATA_DIR) + "/keras/qk_jet_tagging_mlp/";

TEST(IoFixtureTest, DetectsFixtureFormats) {
  EXPECT_EQ(*DetectFileFormat(kDense + "model.h5"), FileFormat::kHdf5);
  EXPECT_EQ(*DetectFileFormat(kDense + "model.keras"), FileFormat::kZip);
  EXPECT_EQ(*DetectFileFormat(kDense + "model.json"), FileFormat::kJson);
  EXPECT_EQ(*DetectFileFormat(kDense + "input.npy"), FileFormat::kNpy);
  EXPECT_EQ(*DetectFileFormat(kJet + "model_weights.h5"), FileFormat::kHdf5);
}

TEST(IoFixtureTest, ReadsKeras3H5Model) {
  auto file = Hdf5File::Open(kDense + "model.h5");
  ASSERT_TRUE(file.ok()) << file.error().message();
  auto config = file->ReadStringAttribute("/", "model_config");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->rfind("{\"class_name\": \"Sequential\"", 0), 0u) << config->substr(0, 80);
  EXPECT_EQ(*file->ReadStringAttribute("/", "keras_version"), "3.15.1");
  EXPECT_EQ(*file->ReadStringListAttribute("/model_weights", "layer_names"),
            (std::vector<std::string>{"dense", "dense_1", "dense_2"}));
  EXPECT_EQ(*file->ReadStringListAttribute("/model_weights/dense", "weight_names"),
            (std::vector<std::string>{"seq_dense/dense/kernel", "seq_dense/dense/bias"}));
  EXPECT_EQ(
      *file->ReadStringListAttribute("/model_weights/top_level_model_weights", "weight_names"),
      std::vector<std::string>{});
  auto kernel = file->ReadDataset("/model_weights/dense/seq_dense/dense/kernel");
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->shape, (std::vector<int64_t>{10, 16}));
  ASSERT_EQ(kernel->values.size(), 160u);
  EXPECT_EQ(kernel->values[0], 0.24440006911754608);
  EXPECT_EQ(kernel->values[159], 0.05832226946949959);
  EXPECT_EQ(*file->Children("/model_weights/dense/seq_dense/dense"),
            (std::vector<std::string>{"bias", "kernel"}));
}

TEST(IoFixtureTest, ReadsKeras3Archive) {
  auto zip = ZipArchive::Open(kDense + "model.keras");
  ASSERT_TRUE(zip.ok()) << zip.error().message();
  for (const char* entry : {"config.json", "metadata.json", "model.weights.h5"}) {
    EXPECT_TRUE(zip->Contains(entry)) << entry;
  }
  auto config = zip->Read("config.json");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_NE(config->find("\"class_name\": \"Sequential\""), std::string::npos);
  auto metadata = zip->Read("metadata.json");
  ASSERT_TRUE(metadata.ok());
  EXPECT_NE(metadata->find("\"keras_version\": \"3.15.1\""), std::string::npos);

  auto bytes = zip->Read("model.weights.h5");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message();
  auto weights = Hdf5File::OpenImage(std::move(*bytes), kDense + "model.keras/model.weights.h5");
  ASSERT_TRUE(weights.ok()) << weights.error().message();
  EXPECT_TRUE(weights->IsDataset("layers/dense/vars/0"));
  EXPECT_EQ(*weights->Children("/layers/dense/vars"), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(*weights->ReadStringAttribute("/layers/dense/vars", "name"), "dense");
  auto kernel = weights->ReadDataset("layers/dense/vars/0");
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->shape, (std::vector<int64_t>{10, 16}));
  // The same weights as the .h5 save.
  auto h5 = Hdf5File::Open(kDense + "model.h5");
  ASSERT_TRUE(h5.ok());
  EXPECT_EQ(kernel->values, h5->ReadDataset("/model_weights/dense/seq_dense/dense/kernel")->values);
}

TEST(IoFixtureTest, ReadsKeras2WeightFile) {
  auto file = Hdf5File::Open(kJet + "model_weights.h5");
  ASSERT_TRUE(file.ok()) << file.error().message();
  EXPECT_EQ(*file->ReadStringListAttribute("/", "layer_names"),
            (std::vector<std::string>{"fc1", "relu1", "fc2", "relu2", "output", "softmax"}));
  EXPECT_EQ(*file->ReadStringListAttribute("/fc1", "weight_names"),
            (std::vector<std::string>{"fc1/kernel:0", "fc1/bias:0"}));
  EXPECT_TRUE(file->ReadStringListAttribute("/relu1", "weight_names")->empty());
  auto kernel = file->ReadDataset("/fc1/fc1/kernel:0");
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->shape, (std::vector<int64_t>{16, 16}));
  EXPECT_EQ(kernel->values[0], -0.1442980319261551);
}

TEST(IoFixtureTest, ReadsInputNpy) {
  auto input = ReadNpy(kDense + "input.npy");
  ASSERT_TRUE(input.ok()) << input.error().message();
  EXPECT_EQ(input->shape, (std::vector<int64_t>{64, 10}));
  ASSERT_EQ(input->values.size(), 640u);
  EXPECT_EQ(input->values[0], -2.001354455947876);
  EXPECT_EQ(input->values[639], -0.010311412625014782);
}

// Offsets spread over the whole file, plus the edges where headers end.
std::vector<size_t> CutPoints(size_t size) {
  std::vector<size_t> cuts = {0, 1, 4, 8, 9, 10, 11, 64, 100, 127, 128, 512, 1000};
  for (size_t i = 1; i < 50; ++i) cuts.push_back(size * i / 50);
  cuts.push_back(size - 1);
  std::vector<size_t> valid;
  for (size_t c : cuts) {
    if (c < size) valid.push_back(c);
  }
  return valid;
}

void ExpectNamedError(const std::string& message, const std::string& name) {
  EXPECT_EQ(message.rfind(name + ": ", 0), 0u) << message;
}

TEST(IoFixtureTest, TruncatedFixturesAreErrors) {
  TempDir dir;
  for (const std::string& source :
       {kDense + "model.h5", kDense + "model.weights.h5", kJet + "model_weights.h5"}) {
    std::string good = testing::ReadAll(source);
    ASSERT_GT(good.size(), 1000u) << source;
    for (size_t n : CutPoints(good.size())) {
      std::string path = dir.Write("cut.h5", good.substr(0, n));
      auto file = Hdf5File::Open(path);
      ASSERT_FALSE(file.ok()) << source << " truncated at " << n << " opened";
      ExpectNamedError(file.error().message(), path);
      auto image = Hdf5File::OpenImage(good.substr(0, n), "image.h5");
      ASSERT_FALSE(image.ok()) << source << " image truncated at " << n << " opened";
      ExpectNamedError(image.error().message(), "image.h5");
    }
  }

  std::string keras = testing::ReadAll(kDense + "model.keras");
  for (size_t n : CutPoints(keras.size())) {
    std::string path = dir.Write("cut.keras", keras.substr(0, n));
    auto zip = ZipArchive::Open(path);
    ASSERT_FALSE(zip.ok()) << "model.keras truncated at " << n << " opened";
    ExpectNamedError(zip.error().message(), path);
  }

  std::string npy = testing::ReadAll(kDense + "input.npy");
  for (size_t n : CutPoints(npy.size())) {
    std::string path = dir.Write("cut.npy", npy.substr(0, n));
    auto array = ReadNpy(path);
    ASSERT_FALSE(array.ok()) << "input.npy truncated at " << n;
    ExpectNamedError(array.error().message(), path);
  }
}

}  // namespace
}  // namespace fixnn::io
