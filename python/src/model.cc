#include "model.h"

#include <fmt/format.h>
#include <nanobind/stl/string.h>

#include <cmath>
#include <map>
#include <utility>

#include "backends/hls/project_writer.h"
#include "config/config_to_yaml.h"
#include "errors.h"

namespace fixnn::python {
namespace {

// Collects every node's outputs into one [N, shape...] buffer per output tensor.
class CollectTrace : public reference::TraceSink {
 public:
  CollectTrace(const ir::Graph& graph, int64_t samples) {
    for (const ir::Node& node : graph.nodes()) {
      for (size_t i = 0; i < node.outputs.size(); ++i) {
        const ir::Tensor* t = graph.FindTensor(node.outputs[i]);
        Buffer b;
        b.key = i == 0 ? node.name : fmt::format("{}_{}", node.name, i);
        b.per_sample = ir::NumElements(t->shape);
        b.shape = t->shape;
        b.shape.insert(b.shape.begin(), samples);
        b.values.assign(static_cast<size_t>(samples * b.per_sample), 0.0);
        index_[node.name].push_back(buffers_.size());
        buffers_.push_back(std::move(b));
      }
    }
  }

  void OnNode(int64_t sample, const ir::Node& node,
              const std::vector<std::span<const double>>& outputs) override {
    auto it = index_.find(node.name);
    if (it == index_.end()) return;
    for (size_t i = 0; i < outputs.size() && i < it->second.size(); ++i) {
      Buffer& b = buffers_[it->second[i]];
      std::copy(outputs[i].begin(), outputs[i].end(), b.values.begin() + sample * b.per_sample);
    }
  }

  nb::dict ToDict(bool single_sample) {
    nb::dict out;
    for (Buffer& b : buffers_) {
      if (single_sample) b.shape.erase(b.shape.begin());
      out[b.key.c_str()] = ToNumpy(std::move(b.values), b.shape);
    }
    return out;
  }

 private:
  struct Buffer {
    std::string key;
    int64_t per_sample = 0;
    std::vector<int64_t> shape;
    std::vector<double> values;
  };
  std::vector<Buffer> buffers_;
  std::map<std::string, std::vector<size_t>> index_;
};

nb::dict TypeInfo(const fixed::FixedType& t) {
  nb::dict d;
  const double lsb = std::ldexp(1.0, t.lsb_exponent());
  d["type"] = t.ToString();
  d["hls4ml_type"] = t.ToHls4mlString();
  d["min"] = t.is_signed ? -std::ldexp(1.0, t.integer - 1) : 0.0;
  d["max"] = (t.is_signed ? std::ldexp(1.0, t.integer - 1) : std::ldexp(1.0, t.integer)) - lsb;
  d["lsb"] = lsb;
  return d;
}

nb::object PrecisionInfo(const ir::Precision& p) {
  if (p.type) return TypeInfo(*p.type);
  return nb::none();
}

nb::list SiteList(const emulator::OverflowReport& report) {
  nb::list out;
  for (const emulator::NodeOverflows& node : report.nodes) {
    for (const emulator::CastSite& site : node.sites) {
      nb::dict d;
      d["layer"] = node.node;
      d["site"] = site.site;
      d["type"] = site.type.ToString();
      d["casts"] = site.casts;
      d["overflow"] = site.overflow;
      d["underflow"] = site.underflow;
      out.append(d);
    }
  }
  return out;
}

nb::list ShapeList(const ir::Shape& shape) {
  nb::list out;
  for (int64_t d : shape) out.append(d);
  return out;
}

}  // namespace

Model::Model(ir::Graph configured, config::ProjectConfig project, bool hls4ml_compatible)
    : graph_(std::move(configured)),
      project_(std::move(project)),
      hls4ml_compatible_(hls4ml_compatible) {
  emulator::EmulatorOptions options;
  options.threads = 0;  // one per core, as `fixnn predict`
  emulator_ =
      std::make_shared<emulator::Emulator>(Unwrap(emulator::Emulator::Create(graph_, options)));
}

nb::list Model::Predict(const std::vector<InArray>& inputs) const {
  bool single = false;
  std::vector<reference::Batch> batches = ToBatches(inputs, graph_, &single);
  Result<std::vector<reference::Batch>> out = [&] {
    nb::gil_scoped_release release;
    return emulator_->Run(batches);
  }();
  return ToNumpyList(Unwrap(std::move(out)), single);
}

nb::tuple Model::Trace(const std::vector<InArray>& inputs) const {
  bool single = false;
  std::vector<reference::Batch> batches = ToBatches(inputs, graph_, &single);
  CollectTrace sink(emulator_->graph(), batches.at(0).shape.at(0));
  Result<std::vector<reference::Batch>> out = [&] {
    nb::gil_scoped_release release;
    return emulator_->Run(batches, &sink);
  }();
  nb::list outputs = ToNumpyList(Unwrap(std::move(out)), single);
  return nb::make_tuple(outputs, sink.ToDict(single));
}

nb::dict Model::Overflow(const std::vector<InArray>& inputs) const {
  bool single = false;
  std::vector<reference::Batch> batches = ToBatches(inputs, graph_, &single);
  emulator::OverflowReport report;
  Result<std::vector<reference::Batch>> out = [&] {
    nb::gil_scoped_release release;
    return emulator_->Run(batches, nullptr, &report);
  }();
  Unwrap(std::move(out));
  const emulator::OverflowReport& setup = emulator_->setup_overflows();
  nb::dict d;
  d["samples"] = batches.at(0).shape.at(0);
  d["run"] = SiteList(report);
  d["setup"] = SiteList(setup);
  d["run_total"] = report.total();
  d["setup_total"] = setup.total();
  d["text"] = fmt::format(
      "values out of range while storing weights and tables: {}\n{}"
      "values out of range in the run ({} samples): {}\n{}",
      setup.total(), setup.total() > 0 ? setup.ToString() : "", batches.at(0).shape.at(0),
      report.total(), report.total() > 0 ? report.ToString() : "");
  return d;
}

std::string Model::Write(const std::vector<InArray>& tb_inputs) {
  backends::hls::WriteOptions write;
  write.output_dir = project_.output_dir;
  write.force = true;
  if (!tb_inputs.empty()) {
    bool single = false;
    write.tb_inputs = ToBatches(tb_inputs, graph_, &single);
    write.tb_outputs = Unwrap(emulator_->Run(write.tb_inputs));
  }
  Status s = [&] {
    nb::gil_scoped_release release;
    return backends::hls::WriteHlsProject(graph_, project_, write);
  }();
  Check(s);
  compiled_.reset();
  return project_.output_dir;
}

void Model::Compile(const std::string& ap_include_dir) {
  backends::hls::CompileOptions options;
  options.ap_include_dir = ap_include_dir;
  Result<backends::hls::CompiledProject> built = [&] {
    nb::gil_scoped_release release;
    return backends::hls::CompiledProject::Build(project_.output_dir, project_.project_name,
                                                 options);
  }();
  compiled_.emplace(Unwrap(std::move(built)));
}

nb::list Model::PredictCompiled(const std::vector<InArray>& inputs) const {
  if (!compiled_) {
    Raise(Error(
        fmt::format("{}: the project is not compiled; call compile() first", project_.output_dir)));
  }
  bool single = false;
  std::vector<reference::Batch> batches = ToBatches(inputs, graph_, &single);
  Result<std::vector<reference::Batch>> out = [&] {
    nb::gil_scoped_release release;
    return compiled_->Predict(batches);
  }();
  std::vector<reference::Batch> outputs = Unwrap(std::move(out));
  // The top function's outputs are flat: give them the graph's output shapes.
  const int64_t samples = batches.at(0).shape.at(0);
  for (size_t o = 0; o < outputs.size() && o < graph_.outputs().size(); ++o) {
    outputs[o].shape = graph_.FindTensor(graph_.outputs()[o])->shape;
    outputs[o].shape.insert(outputs[o].shape.begin(), samples);
  }
  return ToNumpyList(std::move(outputs), single);
}

nb::list Model::Layers() const {
  nb::list out;
  const ir::Graph& g = emulator_->graph();
  for (const ir::Node& node : g.nodes()) {
    nb::dict d;
    d["name"] = node.name;
    d["class_name"] = node.source;
    d["op"] = std::string(ir::OpName(node.kind()));
    nb::list inputs, outputs, shapes, types;
    for (const std::string& t : node.inputs) inputs.append(t);
    for (const std::string& name : node.outputs) {
      const ir::Tensor* t = g.FindTensor(name);
      outputs.append(name);
      shapes.append(ShapeList(t->shape));
      types.append(PrecisionInfo(t->precision));
    }
    d["inputs"] = inputs;
    d["outputs"] = outputs;
    d["output_shapes"] = shapes;
    d["result_types"] = types;
    nb::list weights;
    for (const ir::Weight& w : node.weights) {
      nb::dict wd;
      wd["name"] = w.name;
      wd["values"] = ToNumpy(std::vector<double>(w.values), w.shape);
      wd["type"] = PrecisionInfo(w.precision);
      weights.append(wd);
    }
    d["weights"] = weights;
    nb::dict internal;
    for (const auto& [key, type] : node.types) internal[key.c_str()] = TypeInfo(type);
    d["types"] = internal;
    d["reuse_factor"] = node.settings.reuse_factor;
    out.append(d);
  }
  return out;
}

nb::dict Model::Info() const {
  nb::dict d;
  d["OutputDir"] = project_.output_dir;
  d["ProjectName"] = project_.project_name;
  d["Part"] = project_.part;
  d["ClockPeriod"] = project_.clock_period;
  d["IOType"] = std::string(config::ToString(project_.io_type));
  d["Backend"] = std::string(config::ToString(project_.backend));
  d["hls4ml_compatible"] = hls4ml_compatible_;
  nb::list inputs, outputs;
  for (const std::string& name : graph_.inputs()) {
    inputs.append(nb::make_tuple(name, ShapeList(graph_.FindTensor(name)->shape)));
  }
  for (const std::string& name : graph_.outputs()) {
    outputs.append(nb::make_tuple(name, ShapeList(graph_.FindTensor(name)->shape)));
  }
  d["inputs"] = inputs;
  d["outputs"] = outputs;
  return d;
}

std::string Model::ConfigYaml() const { return config::ToYaml(project_); }

}  // namespace fixnn::python
