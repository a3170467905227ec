#include "backends/hls/project_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <set>

#include "backends/hls/cpp_text.h"
#include "backends/hls/embedded_files.h"
#include "backends/hls/layer_emitter.h"
#include "backends/hls/project_files.h"
#include "emulator/emulator.h"

namespace fixnn::backends::hls {
namespace {

namespace fs = std::filesystem;

// The project's files, by path relative to the project folder.
using FileSet = std::vector<std::pair<std::string, std::string>>;

Result<ProjectSpec> MakeSpec(const ir::Graph& g, const config::ProjectConfig& project,
                             const WriteOptions& options) {
  ProjectSpec spec;
  spec.name = project.project_name;
  spec.part = project.part;
  spec.clock_period = project.clock_period;
  spec.clock_uncertainty = project.clock_uncertainty;
  TensorNames names;
  std::set<std::string> typedef_names;
  auto add_typedef = [&](const Typedef& t) {
    if (typedef_names.insert(t.name).second) spec.typedefs.push_back(t);
  };
  for (size_t k = 0; k < g.inputs().size(); ++k) {
    const std::string& t = g.inputs()[k];
    Port port{fmt::format("input{}", k + 1),
              fmt::format("input{}_t", k + 1),
              fmt::format("N_INPUT{}", k + 1),
              ir::NumElements(g.FindTensor(t)->shape),
              t,
              ""};
    names.array[t] = port.array;
    names.type[t] = port.type_name;
    add_typedef({port.type_name, *g.FindTensor(t)->precision.type, /*fixed_form=*/true});
    spec.inputs.push_back(port);
  }
  for (size_t n = 0; n < g.nodes().size(); ++n) {
    const ir::Node& node = g.nodes()[n];
    if (node.kind() == ir::OpKind::kInput) continue;
    if (node.outputs.size() != 1) {
      return Error(fmt::format("layer '{}' ({}): the HLS writer does not handle {} outputs yet",
                               node.name, ir::OpName(node.kind()), node.outputs.size()));
    }
    names.array[node.outputs[0]] = fmt::format("layer{}_out", n + 1);
    names.type[node.outputs[0]] = fmt::format("layer{}_t", n + 1);
  }
  std::set<std::string> headers;
  for (size_t n = 0; n < g.nodes().size(); ++n) {
    if (g.nodes()[n].kind() == ir::OpKind::kInput) continue;
    Result<LayerCode> code = EmitLayer(EmitContext(g, names, n));
    if (!code.ok()) return code.error();
    for (const Typedef& t : code->typedefs) add_typedef(t);
    if (!code->config.empty()) spec.configs.push_back(code->config);
    for (ConstArray& a : code->arrays) {
      spec.array_has_txt.push_back(static_cast<int64_t>(a.values.size()) > options.txt_threshold);
      spec.arrays.push_back(std::move(a));
    }
    spec.body += code->body;
    headers.insert(code->headers.begin(), code->headers.end());
  }
  spec.headers.assign(headers.begin(), headers.end());
  for (size_t k = 0; k < g.outputs().size(); ++k) {
    const std::string& t = g.outputs()[k];
    Port port{fmt::format("out{}", k + 1),
              fmt::format("result{}_t", k + 1),
              fmt::format("N_OUTPUT{}", k + 1),
              ir::NumElements(g.FindTensor(t)->shape),
              t,
              names.array.at(t)};
    add_typedef({port.type_name, *g.FindTensor(t)->precision.type});
    spec.outputs.push_back(port);
  }
  return spec;
}

// One line per sample: the batches' values of that sample, in order.
Result<std::string> TbData(const std::vector<reference::Batch>& batches,
                           const std::vector<Port>& ports, const std::string& what) {
  if (batches.size() != ports.size()) {
    return Error(
        fmt::format("testbench {}: {} batches for {} ports", what, batches.size(), ports.size()));
  }
  int64_t samples = -1;
  for (size_t k = 0; k < batches.size(); ++k) {
    const reference::Batch& b = batches[k];
    const int64_t n = b.shape.empty() ? 0 : b.shape[0];
    if (static_cast<int64_t>(b.values.size()) != n * ports[k].size ||
        (samples >= 0 && n != samples)) {
      return Error(fmt::format("testbench {} {}: expected [N, {}] values for every port", what, k,
                               ports[k].size));
    }
    samples = n;
  }
  std::string text;
  char buf[40];
  for (int64_t s = 0; s < samples; ++s) {
    bool first = true;
    for (size_t k = 0; k < batches.size(); ++k) {
      const int64_t size = ports[k].size;
      for (int64_t i = 0; i < size; ++i) {
        std::snprintf(buf, sizeof buf, "%.17g",
                      batches[k].values[static_cast<size_t>(s * size + i)]);
        if (!first) text += ' ';
        text += buf;
        first = false;
      }
    }
    text += '\n';
  }
  return text;
}

Result<FileSet> MakeFiles(const ProjectSpec& spec, const WriteOptions& options) {
  FileSet files;
  const std::string& p = spec.name;
  files.emplace_back("firmware/" + p + ".h", TopHeader(spec));
  files.emplace_back("firmware/" + p + ".cpp", TopSource(spec));
  files.emplace_back("firmware/defines.h", DefinesHeader(spec));
  files.emplace_back("firmware/parameters.h", ParametersHeader(spec));
  for (size_t i = 0; i < spec.arrays.size(); ++i) {
    const ConstArray& a = spec.arrays[i];
    files.emplace_back("firmware/weights/" + a.name + ".h", WeightHeader(a, spec.array_has_txt[i]));
    if (spec.array_has_txt[i])
      files.emplace_back("firmware/weights/" + a.name + ".txt", WeightTxt(a));
  }
  for (const EmbeddedFile& f : EmbeddedFiles()) files.emplace_back(f.path, f.text);
  files.emplace_back(p + "_test.cpp", Testbench(spec));
  files.emplace_back(p + "_bridge.cpp", Bridge(spec));
  files.emplace_back("build_prj.tcl", BuildTcl(spec));
  files.emplace_back("vivado_synth.tcl", VivadoSynthTcl(spec));
  files.emplace_back("README.md", Readme(spec));
  if (!options.tb_inputs.empty()) {
    Result<std::string> in = TbData(options.tb_inputs, spec.inputs, "inputs");
    if (!in.ok()) return in.error();
    files.emplace_back("tb_data/tb_input_features.dat", std::move(in).value());
  }
  if (!options.tb_outputs.empty()) {
    Result<std::string> out = TbData(options.tb_outputs, spec.outputs, "outputs");
    if (!out.ok()) return out.error();
    files.emplace_back("tb_data/tb_output_predictions.dat", std::move(out).value());
  }
  return files;
}

Status WriteFiles(const fs::path& root, const FileSet& files) {
  std::error_code ec;
  fs::create_directories(root / "tb_data", ec);
  if (ec)
    return Error(fmt::format("{}: cannot create the folder ({})", root.string(), ec.message()));
  for (const auto& [rel, text] : files) {
    const fs::path path = root / rel;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      return Error(fmt::format("{}: cannot create the folder ({})", path.parent_path().string(),
                               ec.message()));
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return Error(fmt::format("{}: cannot write the file", path.string()));
  }
  return Status::Ok();
}

// A sibling of `dir` that does not exist yet.
fs::path Sibling(const fs::path& dir, const std::string& tag) {
  static std::atomic<int> counter{0};
  for (;;) {
    fs::path p = dir;
    p += fmt::format(".fixnn-{}-{}-{}", tag, ::getpid(), counter++);
    if (!fs::exists(p)) return p;
  }
}

Status Install(const fs::path& dir, const FileSet& files, bool force) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !force) {
    return Error(
        fmt::format("{}: the folder exists; use force (--force) to replace it", dir.string()));
  }
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) {
    return Error(fmt::format("{}: cannot create the folder ({})", parent.string(), ec.message()));
  }
  const fs::path tmp = Sibling(dir, "tmp");
  if (Status st = WriteFiles(tmp, files); !st.ok()) {
    fs::remove_all(tmp, ec);
    return st;
  }
  fs::path old;
  if (fs::exists(dir, ec)) {
    old = Sibling(dir, "old");
    fs::rename(dir, old, ec);
    if (ec) {
      fs::remove_all(tmp, ec);
      return Error(fmt::format("{}: cannot replace the folder ({})", dir.string(), ec.message()));
    }
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove_all(tmp, ec);
    if (!old.empty()) fs::rename(old, dir, ec);
    return Error(fmt::format("{}: cannot write the project ({})", dir.string(), why));
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return Status::Ok();
}

}  // namespace

Status WriteHlsProject(const ir::Graph& configured, const config::ProjectConfig& project,
                       const WriteOptions& options) {
  if (project.io_type != config::IOType::kParallel) {
    return Error(fmt::format("IOType {}: the HLS writer writes io_parallel projects only, for now",
                             config::ToString(project.io_type)));
  }
  if (!IsCIdentifier(project.project_name)) {
    return Error(fmt::format("ProjectName '{}' is not a C identifier (it names the top function)",
                             project.project_name));
  }
  // The project computes what the emulator computes: a graph it refuses (an unconfigured type,
  // a setting hls4ml computes out of bounds) is refused here too, with its message.
  Result<emulator::Emulator> em = emulator::Emulator::Create(configured);
  if (!em.ok()) return em.error();
  for (const ir::Node& node : configured.nodes()) {
    if (!HasEmitter(node)) {
      return Error(fmt::format("layer '{}' ({}): the HLS writer does not handle {} yet", node.name,
                               ir::OpName(node.kind()), ir::OpName(node.kind())));
    }
  }
  Result<ProjectSpec> spec = MakeSpec(em->graph(), project, options);
  if (!spec.ok()) return spec.error();
  Result<FileSet> files = MakeFiles(*spec, options);
  if (!files.ok()) return files.error();
  fs::path dir = options.output_dir.empty() ? fs::path(project.output_dir) : options.output_dir;
  dir = dir.lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  if (dir.empty()) return Error("no output folder given");
  return Install(dir, *files, options.force);
}

}  // namespace fixnn::backends::hls
