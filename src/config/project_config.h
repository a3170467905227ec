// An hls4ml project configuration file (the YAML that `hls4ml convert -c config.yml` reads):
// the model files, the project's name and folder, the FPGA part and clock, the I/O style,
// the backend, and the HLSConfig section.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/hls_config.h"
#include "support/result.h"

namespace YAML {
class Node;
}

namespace fixnn::config {

// How the top function passes data. kSerial is hls4ml's io_serial, removed in hls4ml 0.6: it
// is read so that such a file's other settings (precisions, reuse) still apply, and the
// backends refuse it when generating a project.
enum class IOType { kParallel, kStream, kSerial };

// hls4ml's backends. The names are matched ignoring case, as hls4ml does.
enum class Backend {
  kVivado,
  kVivadoAccelerator,
  kVitis,
  kQuartus,
  kCatapult,
  kSymbolicExpression,
  kOneAPI,
  kLibero,
};

std::string_view ToString(IOType v);   // "io_parallel", "io_stream", "io_serial"
std::string_view ToString(Backend v);  // "Vivado", "oneAPI", ...

// WriterConfig: how hls4ml writes the project.
struct WriterConfig {
  std::optional<std::string> namespace_name;      // Namespace
  std::optional<bool> write_weights_txt;          // WriteWeightsTxt
  std::optional<bool> write_tar;                  // WriteTar
  std::optional<std::string> tb_output_stream;    // TBOutputStream: stdout, file or both
  std::optional<bool> write_emulation_constants;  // WriteEmulationConstants (Vitis)
  friend bool operator==(const WriterConfig&, const WriterConfig&) = default;
};

// AcceleratorConfig of the VivadoAccelerator backend.
struct AcceleratorConfig {
  std::optional<std::string> board;
  std::optional<std::string> interface;  // axi_stream, axi_master, axi_lite
  std::optional<std::string> driver;     // python, c
  std::optional<std::string> platform;
  std::optional<std::string> input_precision;   // Precision.Input: float, double or a type
  std::optional<std::string> output_precision;  // Precision.Output
  friend bool operator==(const AcceleratorConfig&, const AcceleratorConfig&) = default;
};

struct ProjectConfig {
  SourcePos origin;  // the file it was read from (never part of equality)

  // Model files, absolute. A relative path is taken from the YAML file's folder; when no file
  // exists there, from the first place it exists among the working directory (hls4ml's rule)
  // and the folder's ancestors (hls4ml writes its own config into OutputDir). At most one
  // model is given: KerasJson + KerasH5, KerasH5 alone, KerasModel, OnnxModel or PytorchModel.
  std::string keras_json;
  std::string keras_h5;
  std::string keras_model;  // a .keras/.h5 path; `!keras_model 'path'` is accepted
  std::string onnx_model;
  std::string pytorch_model;
  // Test bench data (.npy or .dat), absolute; empty when not given.
  std::string input_data;
  std::string output_predictions;

  // The output folder, as written: like hls4ml, relative to the working directory.
  std::string output_dir = "my-hls-test";
  std::string project_name = "myproject";  // a C identifier: the top function's name
  std::string project_dir;                 // ProjectDir; empty: <project_name>_prj
  std::string part;   // Part (XilinxPart is the same key's old name); empty: backend default
  std::string board;  // Board (Libero)
  double clock_period = 5.0;      // ns
  std::string clock_uncertainty;  // as written: "12.5%" or "0.5" (ns); empty: backend default
  IOType io_type = IOType::kParallel;
  Backend backend = Backend::kVivado;
  std::string version;  // Version
  std::string stamp;    // Stamp
  // InputShape (PyTorch models): one shape per input, without the batch axis.
  std::vector<std::vector<int64_t>> input_shapes;
  WriterConfig writer;
  std::optional<AcceleratorConfig> accelerator;
  // Other backends' scalar settings, kept as written: Technology, ASICLibs, FIFO (Catapult),
  // FPGAFamily, SmartHLSPath (Libero), HyperoptHandshake (oneAPI), MaximumSize,
  // HLSIncludePath, HLSLibsPath, DontCopyNNET.
  std::map<std::string, std::string> backend_options;

  HlsConfig hls;

  friend bool operator==(const ProjectConfig&, const ProjectConfig&) = default;
};

// Reads a configuration file. Errors name the file and line: "config.yml:12:
// HLSConfig.LayerName.fc1: unknown key 'Precison' (did you mean 'Precision'?)".
Result<ProjectConfig> LoadProjectConfig(const std::filesystem::path& path);

// Parses configuration text. `file_name` is used in messages; relative model paths are taken
// from `base_dir`.
Result<ProjectConfig> ParseProjectConfig(std::string_view yaml_text, const std::string& file_name,
                                         const std::filesystem::path& base_dir);

// Parses an HLSConfig mapping (Model / LayerType / LayerName / Flows / Optimizers /
// SkipOptimizers), e.g. one built from a Python dict. A null node is an empty config.
// `file_name` is used in messages.
Result<HlsConfig> ParseHlsConfig(const YAML::Node& node, const std::string& file_name);

}  // namespace fixnn::config
