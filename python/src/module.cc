// fixnn._fixnn: the C++ side of the Python package (see python/fixnn/__init__.py).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <filesystem>

#include "arrays.h"
#include "backends/hls_reports/synthesis_report.h"
#include "convert.h"
#include "errors.h"
#include "fixed/fixed_type.h"
#include "frontends/keras/keras_frontend.h"
#include "model.h"

namespace nb = nanobind;
using fixnn::python::InArray;
using fixnn::python::Model;

namespace {

PyObject* g_error_type = nullptr;  // fixnn.Error

// The synthesis report of a project folder (or a report file) as (JSON text, summary text).
nb::tuple ReadReport(const std::string& path) {
  namespace reports = fixnn::backends::hls_reports;
  const std::filesystem::path p(path);
  const std::string ext = p.extension().string();
  fixnn::Result<reports::SynthesisReport> report = ext == ".xml"   ? reports::ReadCsynthXml(p)
                                                   : ext == ".rpt" ? reports::ReadCsynthRpt(p)
                                                                   : reports::FindAndReadReport(p);
  const reports::SynthesisReport r = fixnn::python::Unwrap(std::move(report));
  return nb::make_tuple(reports::ToJson(r).dump(), reports::FormatReport(r));
}

nb::dict ParseType(const std::string& text) {
  fixnn::fixed::FixedType t = fixnn::python::Unwrap(fixnn::fixed::ParseFixedType(text));
  nb::dict d;
  d["signed"] = t.is_signed;
  d["width"] = t.width;
  d["integer"] = t.integer;
  d["type"] = t.ToString();
  d["hls4ml_type"] = t.ToHls4mlString();
  return d;
}

}  // namespace

NB_MODULE(_fixnn, m) {
  m.doc() = "fixnn's compiler and bit-exact emulator (the C++ side of the fixnn package)";

  // fixnn.Error: both a RuntimeError and a ValueError, so either except clause catches it.
  PyObject* bases = PyTuple_Pack(2, PyExc_RuntimeError, PyExc_ValueError);
  g_error_type = PyErr_NewExceptionWithDoc(
      "fixnn.Error", "An error fixnn reports: the message names the file, layer or key.", bases,
      nullptr);
  Py_DECREF(bases);
  m.attr("Error") = nb::handle(g_error_type);
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const fixnn::python::UserError& e) {
      PyErr_SetString(g_error_type, e.what());
    }
  });

  nb::class_<Model>(m, "Model")
      .def("predict", &Model::Predict, nb::arg("inputs"))
      .def("trace", &Model::Trace, nb::arg("inputs"))
      .def("overflow", &Model::Overflow, nb::arg("inputs"))
      .def("write", &Model::Write, nb::arg("tb_inputs") = std::vector<InArray>{})
      .def("compile", &Model::Compile, nb::arg("ap_include_dir") = "")
      .def("predict_compiled", &Model::PredictCompiled, nb::arg("inputs"))
      .def_prop_ro("compiled", &Model::compiled)
      .def("layers", &Model::Layers)
      .def("info", &Model::Info)
      .def("config_yaml", &Model::ConfigYaml)
      .def("set_output_dir", &Model::set_output_dir, nb::arg("output_dir"));

  m.def(
      "load_model",
      [](const std::string& model, const std::string& weights,
         const std::optional<std::string>& hls_config_json, bool hls4ml_compatible,
         const std::string& output_dir, const std::string& project_name, const std::string& part,
         double clock_period, const std::string& io_type, const std::string& backend) {
        fixnn::python::LoadArgs args;
        args.model = model;
        args.weights = weights;
        args.hls_config_json = hls_config_json;
        args.hls4ml_compatible = hls4ml_compatible;
        args.output_dir = output_dir;
        args.project_name = project_name;
        args.part = part;
        args.clock_period = clock_period;
        args.io_type = io_type;
        args.backend = backend;
        return fixnn::python::LoadModel(args);
      },
      nb::arg("model"), nb::arg("weights") = "", nb::arg("hls_config_json") = nb::none(),
      nb::arg("hls4ml_compatible") = false, nb::arg("output_dir") = "my-hls-test",
      nb::arg("project_name") = "myproject", nb::arg("part") = "", nb::arg("clock_period") = 5.0,
      nb::arg("io_type") = "io_parallel", nb::arg("backend") = "Vivado");
  m.def("load_project", &fixnn::python::LoadProject, nb::arg("path"),
        nb::arg("hls4ml_compatible") = false);
  m.def("config_from_model", &fixnn::python::ConfigFromModel, nb::arg("model"),
        nb::arg("weights") = "", nb::arg("granularity") = "model",
        nb::arg("default_precision") = "fixed<16,6>", nb::arg("default_reuse_factor") = 1,
        nb::arg("max_precision") = "");
  m.def("parse_type", &ParseType, nb::arg("text"));
  m.def("read_report", &ReadReport, nb::arg("path"));
  m.def("supported_keras_layers", &fixnn::frontends::keras::SupportedKerasLayers);
}
