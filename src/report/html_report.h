// The HTML report of a model: one self-contained file (inline CSS and SVG, a few lines of
// script to sort the layer table, nothing fetched) with the project settings, the model graph,
// a per-layer table of types and estimates (beside the synthesis report's figures when there is
// one), and, on data, the value distributions against the types, float against fixed-point
// outputs and ROC curves. The document holds no date or path of the machine, so the same inputs
// give the same bytes.
#pragma once

#include <string>

#include "analysis/profile.h"
#include "backends/hls_reports/synthesis_report.h"
#include "config/project_config.h"
#include "estimate/estimate.h"
#include "ir/graph.h"
#include "report/data_charts.h"
#include "support/result.h"

namespace fixnn::report {

// What the report shows. graph, project and estimate are required; the rest is shown when
// given (nullptr: absent).
struct ReportInputs {
  const ir::Graph* graph = nullptr;  // configured (passes::Configure)
  const config::ProjectConfig* project = nullptr;
  const estimate::ModelEstimate* estimate = nullptr;
  const analysis::ModelProfile* profile = nullptr;  // on the data: distributions, overflows
  const DataComparison* comparison = nullptr;       // on the data: float vs fixed, ROC
  const backends::hls_reports::SynthesisReport* synthesis = nullptr;
};

// "fixnn 0.1.0": the version the report names.
std::string FixnnVersionString();

// The document. Errors: a required input missing, or a comparison whose values or labels do
// not fit its shape (CheckComparison).
Result<std::string> RenderHtmlReport(const ReportInputs& inputs);

}  // namespace fixnn::report
