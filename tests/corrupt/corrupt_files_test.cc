// Damaged and invalid inputs (tests/data/corrupt, written by
// scripts/fixtures/make_corrupt_fixtures.py): each must be refused with an Error that names the
// file and says what is wrong, never a crash or an exception. The undamaged bases in controls/
// must load, so each refusal is known to come from the one defect the file carries.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "config/project_config.h"
#include "frontends/keras/keras_frontend.h"

namespace fixnn {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(FIXNN_TEST_DATA_DIR) / "corrupt";

struct Case {
  std::string file;                    // relative to kDir
  std::vector<std::string> fragments;  // each must appear in the message
  std::string blamed = "";             // the file the message must name; default: `file`
};

// The README.md beside the files has the same table, with how each file was made.
const std::vector<Case> kCases = {
    // HDF5 damage.
    {"h5_truncated_header.h5", {"cannot open HDF5 file"}},
    {"h5_truncated_middle.h5", {"cannot open HDF5 file", "truncated"}},
    {"h5_truncated_end.h5", {"cannot open HDF5 file", "truncated"}},
    {"h5_superblock_offset_size.h5", {"cannot open HDF5 file"}},
    {"h5_superblock_eof_address.h5", {"cannot open HDF5 file", "truncated"}},
    {"h5_magic_then_garbage.h5", {"cannot open HDF5 file", "superblock"}},
    {"random_bytes.h5", {"not a Keras model"}},
    {"empty.h5", {"empty"}},
    // Valid HDF5, wrong content.
    {"h5_no_model_config.h5", {"without a model architecture"}},
    {"h5_model_config_bad_json.h5", {"model_config", "not valid JSON"}},
    {"h5_model_config_not_model.h5", {"not a Keras model description"}},
    {"h5_unknown_layer_class.h5", {"layer 'dense_1'", "'FancyDense' is not supported"}},
    {"h5_missing_units.h5", {"layer 'dense_1'", "'units' is missing"}},
    {"h5_units_string.h5", {"layer 'dense_1'", "'units' is not an integer"}},
    {"h5_units_negative.h5", {"layer 'dense_1'", "units must be positive"}},
    {"h5_units_huge_float.h5", {"layer 'dense_1'", "'units' is not an integer"}},
    {"h5_kernel_wrong_shape.h5",
     {"layer 'dense'", "weight 'kernel' has shape [3, 4], expected [10, 16]"}},
    {"h5_missing_bias.h5", {"layer 'dense_1'", "weight 'bias' is missing"}},
    {"h5_weight_dataset_absent.h5", {"dense/bias_missing:0"}},
    {"h5_nan_kernel.h5", {"layer 'dense_1'", "weight 'kernel'", "nan"}},
    {"h5_inf_bias.h5", {"layer 'dense'", "weight 'bias'", "inf"}},
    {"h5_input_none_dim.h5", {"layer 'input_1'", "input dimension 1 is null"}},
    {"h5_input_huge_dims.h5", {"layer 'dense'", "weight 'kernel'"}},
    {"h5_layer_not_object.h5", {"layer 2 of the Sequential model is not a layer"}},
    {"h5_inputlayer_no_config.h5", {"layer 'input_1'"}},
    {"h5_model_name_number.h5", {"name", "42"}},
    {"h5_input_dtype_number.h5", {"layer 'input_1'", "dtype"}},
    {"h5_undefined_inbound.h5", {"layer 'dense_1'", "'no_such_layer', which is not in the model"}},
    {"h5_layer_cycle.h5", {"layer 'dense'", "wait on each other's outputs (a cycle)"}},
    {"h5_k3_tensor_class_number.h5", {"layer 'dense'", "class_name"}},
    {"h5_qkeras_stochastic.h5", {"layer 'qdense'", "stochastic_ternary", "not supported"}},
    {"h5_qkeras_bad_string.h5", {"layer 'qdense'", "quantized_bits(4,0,alpha=1", "missing ')'"}},
    // .keras archives and other zips.
    {"keras_truncated.keras", {"cannot open zip archive"}},
    {"keras_no_config.keras", {"no entry 'config.json'"}},
    {"keras_garbage_weights.keras", {"model.weights.h5", "not an HDF5 file"}},
    {"keras_weights_bad_shape.keras",
     {"layer 'dense'", "weight 'kernel' has shape [3, 4], expected [10, 16]"}},
    {"keras_config_garbage.keras", {"config.json", "not valid JSON"}},
    {"zip_garbage_entries.keras", {"not a Keras archive", "no entry 'config.json'"}},
    {"zip_magic_then_garbage.keras", {"cannot open zip archive"}},
    // JSON architectures.
    {"arch_without_weights.json", {"without weights"}},
    {"json_trailing_garbage.json", {"not valid JSON"}},
    {"json_garbage_weights/model.json",
     {"the weights file is not HDF5"},
     "json_garbage_weights/model_weights.h5"},
    // hls4ml YAML configurations.
    {"yaml_not_yaml.yml", {"yaml_not_yaml.yml:2:", "malformed YAML"}},
    {"yaml_binary.yml", {"yaml_binary.yml:2:", "malformed YAML"}},
    {"yaml_tab_indent.yml", {"yaml_tab_indent.yml:10:", "malformed YAML"}},
    {"yaml_unknown_top_key.yml", {"yaml_unknown_top_key.yml:4:", "unknown key 'FooBar'"}},
    {"yaml_misspelled_hls_key.yml",
     {"yaml_misspelled_hls_key.yml:13:", "HLSConfig.Model: unknown key 'Stratgy'",
      "did you mean 'Strategy'"}},
    {"yaml_bad_precision.yml",
     {"yaml_bad_precision.yml:17:", "HLSConfig.LayerName.dense.Precision.weight",
      "ap_fixed<4,8,FOO>", "FOO"}},
    {"yaml_negative_reuse.yml",
     {"yaml_negative_reuse.yml:12:", "HLSConfig.Model.ReuseFactor", "positive", "-4"}},
    {"yaml_layername_list.yml",
     {"yaml_layername_list.yml:15:", "HLSConfig.LayerName", "expected a mapping"}},
    {"yaml_clock_string.yml", {"yaml_clock_string.yml:7:", "ClockPeriod", "'fast'"}},
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

bool IsConfig(const std::string& file) { return fs::path(file).extension() == ".yml"; }

// The library's message for the file; "" when it loaded.
std::string LoadError(const fs::path& path) {
  if (IsConfig(path.string())) {
    Result<config::ProjectConfig> c = config::LoadProjectConfig(path);
    return c.ok() ? "" : c.error().message();
  }
  Result<ir::Graph> g = frontends::keras::LoadKerasModel(path.string());
  return g.ok() ? "" : g.error().message();
}

class CorruptFileTest : public testing::TestWithParam<Case> {};

TEST_P(CorruptFileTest, RefusedWithAClearMessage) {
  const Case& c = GetParam();
  const fs::path path = kDir / c.file;
  ASSERT_TRUE(fs::exists(path)) << path;
  const std::string message = LoadError(path);
  ASSERT_FALSE(message.empty()) << c.file << " was accepted";
  const std::string blamed = c.blamed.empty() ? c.file : c.blamed;
  EXPECT_NE(message.find(blamed), std::string::npos)
      << "the message does not name " << blamed << ": " << message;
  for (const std::string& fragment : c.fragments) {
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "expected '" << fragment << "' in: " << message;
  }
}

std::string CaseName(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file;
  std::replace_if(
      name.begin(), name.end(),
      [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, CorruptFileTest, testing::ValuesIn(kCases), CaseName);

// Every file in the folder has a row, so a new file cannot go untested.
TEST(CorruptFilesTable, CoversEveryFile) {
  std::set<std::string> listed;
  for (const Case& c : kCases) listed.insert(c.file);
  std::vector<std::string> missing;
  for (const auto& entry : fs::recursive_directory_iterator(kDir)) {
    if (!entry.is_regular_file()) continue;
    const std::string rel = fs::relative(entry.path(), kDir).generic_string();
    if (rel == "README.md" || rel.rfind("controls/", 0) == 0) continue;
    if (rel == "json_garbage_weights/model_weights.h5") continue;  // read through model.json
    if (listed.count(rel) == 0) missing.push_back(rel);
  }
  EXPECT_TRUE(missing.empty()) << "files without a row: " << testing::PrintToString(missing);
  EXPECT_GE(kCases.size(), 30u);
}

// The undamaged bases load, so the refusals above come from the damage.
TEST(CorruptFilesControls, BasesLoad) {
  for (const char* file : {"controls/sequential.h5", "controls/functional.h5", "controls/qkeras.h5",
                           "controls/keras3.keras", "controls/config.yml"}) {
    EXPECT_EQ(LoadError(kDir / file), "") << file;
  }
}

}  // namespace
}  // namespace fixnn
