#include "backends/hls/project_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
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

// io_stream wiring: every tensor is a stream of packets of its last axis. Each layer is a
// function reading its input streams and writing its output stream; a tensor read by several
// layers (or ports) is cloned into one stream per reader, one no layer reads is drained.
class StreamWiring {
 public:
  StreamWiring(const ir::Graph& g, const TensorNames& names) : g_(g), names_(names) {
    for (const ir::Node& node : g.nodes()) {
      for (const std::string& t : node.inputs) ++readers_[t];
    }
    for (const std::string& t : g.outputs()) ++readers_[t];
  }

  static int64_t Packet(const ir::Tensor& t) { return t.shape.empty() ? 1 : t.shape.back(); }
  std::string PacketType(const std::string& tensor) const {
    return fmt::format("fixnn::packet<{}, {}>", names_.type.at(tensor),
                       Packet(*g_.FindTensor(tensor)));
  }
  std::string StreamType(const std::string& tensor) const {
    return fmt::format("hls::stream<{} >", PacketType(tensor));
  }
  // "<T>, <packets>, <values per packet>" for the plumbing templates.
  std::string Args(const std::string& tensor) const {
    const ir::Tensor& t = *g_.FindTensor(tensor);
    const int64_t c = Packet(t);
    return fmt::format("{}, {}, {}", names_.type.at(tensor), ir::NumElements(t.shape) / c, c);
  }

  // A stream variable of the top function for `tensor`.
  std::string Declare(const std::string& tensor, const std::string& name) {
    const ir::Tensor& t = *g_.FindTensor(tensor);
    body_ += fmt::format("  {0} {1}(\"{1}\");\n#pragma HLS STREAM variable = {1} depth = {2}\n",
                         StreamType(tensor), name, ir::NumElements(t.shape) / Packet(t));
    return name;
  }

  // `tensor` was written to stream `source`: hands it out to its readers.
  void Produced(const std::string& tensor, const std::string& source) {
    const int n = readers_[tensor];
    if (n == 0) {
      body_ += fmt::format("  fixnn::drain_stream<{}>({});\n", Args(tensor), source);
      return;
    }
    std::string rest = source;
    for (int k = 1; k < n; ++k) {
      const std::string copy = Declare(tensor, fmt::format("{}_c{}", source, k));
      const std::string next = k + 1 < n ? Declare(tensor, fmt::format("{}_r{}", source, k))
                                         : Declare(tensor, fmt::format("{}_c{}", source, n));
      body_ +=
          fmt::format("  fixnn::clone_stream<{}>({}, {}, {});\n", Args(tensor), rest, copy, next);
      queue_[tensor].push_back(copy);
      rest = next;
    }
    queue_[tensor].push_back(rest);
  }

  // The stream the next reader of `tensor` reads.
  std::string Take(const std::string& tensor) {
    std::vector<std::string>& q = queue_[tensor];
    std::string s = q.front();
    q.erase(q.begin());
    return s;
  }

  std::string& body() { return body_; }

 private:
  const ir::Graph& g_;
  const TensorNames& names_;
  std::map<std::string, int> readers_;
  std::map<std::string, std::vector<std::string>> queue_;
  std::string body_;
};

// Whether the node computes each position (the last axis of its input and output) on its own,
// with the same code: then io_stream runs its io_parallel code per packet. Element-wise
// activations and quantizers, a Softmax layer over the last axis, BatchNorm over the last axis,
// merges of same-shaped tensors, a Concatenate along the last axis.
bool PerPosition(const ir::Graph& g, const ir::Node& node) {
  const ir::Shape& out = g.FindTensor(node.outputs[0])->shape;
  if (out.empty()) return false;
  const int64_t c = out.back();
  const int64_t rank = static_cast<int64_t>(out.size());
  // Every input has the output's positions (a Concatenate along the last axis: not its last
  // axis; any other layer: its shape).
  const bool concat = node.is<ir::ConcatenateAttrs>();
  for (const std::string& t : node.inputs) {
    const ir::Shape& in = g.FindTensor(t)->shape;
    if (concat ? in.size() != out.size() || !std::equal(out.begin(), out.end() - 1, in.begin())
               : in != out) {
      return false;
    }
  }
  auto per_channel = [&] {
    return std::all_of(node.weights.begin(), node.weights.end(),
                       [&](const ir::Weight& w) { return ir::NumElements(w.shape) == c; });
  };
  if (node.output_quantizer &&
      (node.output_quantizer->per_element || node.output_quantizer->scale.size() > 1)) {
    return false;
  }
  switch (node.kind()) {
    case ir::OpKind::kActivation: {
      const auto& a = node.as<ir::ActivationAttrs>();
      // A softmax of the Activation layer spans the whole tensor (hls4ml's io_parallel).
      return a.fn != ir::ActivationFn::kSoftmax || rank == 1 ||
             (node.source != "Activation" && a.axis == -1);
    }
    case ir::OpKind::kQuantize:
      return true;
    case ir::OpKind::kBatchNorm: {
      const int64_t axis = node.as<ir::BatchNormAttrs>().axis;
      return (axis == -1 || axis == rank) && per_channel();
    }
    case ir::OpKind::kMerge:
      return true;
    case ir::OpKind::kConcatenate:
      return node.as<ir::ConcatenateAttrs>().axis == -1 ||
             node.as<ir::ConcatenateAttrs>().axis == rank;
    default:
      return false;
  }
}

// The function computing one layer in io_stream, and its call in the top function. `per_position`:
// `code` was emitted for one position (PerPosition) and runs once per packet.
std::string LayerFunction(const EmitContext& ctx, const LayerCode& code, StreamWiring& wiring,
                          bool per_position) {
  const ir::Node& node = ctx.node();
  std::vector<std::string> params, args;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    params.push_back(fmt::format("{}& {}", wiring.StreamType(node.inputs[i]), ctx.StreamIn(i)));
    args.push_back(wiring.Take(node.inputs[i]));
  }
  for (size_t o = 0; o < node.outputs.size(); ++o) {
    params.push_back(fmt::format("{}& {}", wiring.StreamType(ctx.Out(o)), ctx.StreamOut(o)));
  }
  std::string f =
      fmt::format("// layer '{}' ({})\nstatic void {}({}) {{\n#pragma HLS INLINE off\n", node.name,
                  node.source.empty() ? ir::OpName(node.kind()) : node.source, ctx.Name("layer"),
                  fmt::join(params, ", "));
  if (!code.stream_body.empty()) {
    f += code.stream_body;
  } else if (per_position) {
    const ir::Tensor& out_t = ctx.Tensor(ctx.Out());
    f += fmt::format("Positions:\n  for (unsigned p = 0; p < {}; p++) {{\n#pragma HLS PIPELINE\n",
                     ir::NumElements(out_t.shape) / out_t.shape.back());
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const std::string& t = node.inputs[i];
      const int64_t c = ctx.Tensor(t).shape.back();
      f += fmt::format(
          "  {0} {1}[{2}];\n#pragma HLS ARRAY_PARTITION variable = {1} complete dim = 0\n"
          "  fixnn::read_tensor<{0}, 1, {2}>({3}, {1});\n",
          ctx.TypeNameOf(t),
          i == 0 || t != node.inputs[0] ? ctx.ArrayOf(t) : ctx.ArrayOf(t) + "_again", c,
          ctx.StreamIn(i));
    }
    f += code.body;
    f += fmt::format("  fixnn::write_tensor<{}, 1, {}>({}, {});\n  }}\n", ctx.TypeNameOf(ctx.Out()),
                     out_t.shape.back(), ctx.ArrayOf(ctx.Out()), ctx.StreamOut());
  } else {
    // Buffered: the whole inputs into arrays, the io_parallel statements, the output out.
    std::set<std::string> declared;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const std::string& t = node.inputs[i];
      const std::string array =
          declared.insert(t).second ? ctx.ArrayOf(t) : fmt::format("{}_again{}", ctx.ArrayOf(t), i);
      f += fmt::format(
          "  {0} {1}[{2}];\n#pragma HLS ARRAY_PARTITION variable = {1} complete dim = 0\n"
          "  fixnn::read_tensor<{3}>({4}, {1});\n",
          ctx.TypeNameOf(t), array, ir::NumElements(ctx.Tensor(t).shape), wiring.Args(t),
          ctx.StreamIn(i));
    }
    f += code.body;
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      f += fmt::format("  fixnn::write_tensor<{}>({}, {});\n", wiring.Args(ctx.Out(o)),
                       ctx.ArrayOf(ctx.Out(o)), ctx.StreamOut(o));
    }
  }
  f += "}\n\n";
  std::vector<std::string> outs;
  for (size_t o = 0; o < node.outputs.size(); ++o) {
    outs.push_back(wiring.Declare(ctx.Out(o), ctx.ArrayOf(ctx.Out(o)) + "_s"));
    args.push_back(outs.back());
  }
  wiring.body() += fmt::format("  {}({});\n", ctx.Name("layer"), fmt::join(args, ", "));
  for (size_t o = 0; o < node.outputs.size(); ++o) wiring.Produced(ctx.Out(o), outs[o]);
  return f;
}

Result<ProjectSpec> MakeSpec(const ir::Graph& g, const config::ProjectConfig& project,
                             const WriteOptions& options) {
  ProjectSpec spec;
  const bool stream = project.io_type == config::IOType::kStream;
  spec.io_stream = stream;
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
              "",
              StreamWiring::Packet(*g.FindTensor(t))};
    names.array[t] = port.array;
    names.type[t] = port.type_name;
    add_typedef({port.type_name, *g.FindTensor(t)->precision.type, /*fixed_form=*/true});
    spec.inputs.push_back(port);
  }
  for (size_t n = 0; n < g.nodes().size(); ++n) {
    const ir::Node& node = g.nodes()[n];
    if (node.kind() == ir::OpKind::kInput) continue;
    // Recurrent layers may have several outputs (return_state; a Bidirectional without merge).
    const bool several = node.is<ir::RecurrentAttrs>() || node.is<ir::BidirectionalAttrs>();
    if (node.outputs.empty() || (node.outputs.size() != 1 && !several)) {
      return Error(fmt::format("layer '{}' ({}): the HLS writer does not handle {} outputs yet",
                               node.name, ir::OpName(node.kind()), node.outputs.size()));
    }
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      names.array[node.outputs[o]] =
          o == 0 ? fmt::format("layer{}_out", n + 1) : fmt::format("layer{}_out{}", n + 1, o);
      names.type[node.outputs[o]] =
          o == 0 ? fmt::format("layer{}_t", n + 1) : fmt::format("layer{}_out{}_t", n + 1, o);
    }
  }
  std::set<std::string> headers;
  StreamWiring wiring(g, names);
  // io_stream: a layer computing each position on its own is emitted for one position, on a
  // copy of the graph whose tensors it reads and writes have their last axis as shape.
  ir::Graph position_view;
  if (stream) {
    for (const Port& port : spec.inputs) wiring.Produced(port.tensor, port.array);
    position_view = g;
  }
  for (size_t n = 0; n < g.nodes().size(); ++n) {
    const ir::Node& node = g.nodes()[n];
    if (node.kind() == ir::OpKind::kInput) continue;
    const bool per_position = stream && PerPosition(g, node);
    if (per_position) {
      for (const std::string& t : node.inputs) {
        position_view.FindTensor(t)->shape = {g.FindTensor(t)->shape.back()};
      }
      position_view.FindTensor(node.outputs[0])->shape = {
          g.FindTensor(node.outputs[0])->shape.back()};
    }
    const EmitContext ctx(per_position ? position_view : g, names, n, stream);
    Result<LayerCode> code = EmitLayer(ctx);
    if (per_position) {
      for (const std::string& t : node.inputs) {
        position_view.FindTensor(t)->shape = g.FindTensor(t)->shape;
      }
      position_view.FindTensor(node.outputs[0])->shape = g.FindTensor(node.outputs[0])->shape;
    }
    if (!code.ok()) return code.error();
    if (stream) {
      spec.functions +=
          LayerFunction(EmitContext(g, names, n, stream), *code, wiring, per_position);
      if (code->stream_body.empty()) headers.insert("fixnn_stream.h");
    }
    for (const Typedef& t : code->typedefs) add_typedef(t);
    if (!code->config.empty()) spec.configs.push_back(code->config);
    for (ConstArray& a : code->arrays) {
      spec.array_has_txt.push_back(static_cast<int64_t>(a.values.size()) > options.txt_threshold);
      spec.arrays.push_back(std::move(a));
    }
    if (!stream) spec.body += code->body;
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
              names.array.at(t),
              StreamWiring::Packet(*g.FindTensor(t))};
    add_typedef({port.type_name, *g.FindTensor(t)->precision.type});
    if (stream) {
      wiring.body() += fmt::format("  fixnn::copy_stream<{}>({}, {});\n", wiring.Args(t),
                                   wiring.Take(t), port.array);
    }
    spec.outputs.push_back(port);
  }
  if (stream) spec.body = wiring.body();
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
  if (project.io_type == config::IOType::kSerial) {
    return Error(fmt::format("IOType {}: the HLS writer writes io_parallel and io_stream projects",
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
