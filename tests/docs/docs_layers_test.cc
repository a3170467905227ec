// Keeps docs/layers.md true: its tables are read and checked against the Keras frontend.
//
// Tables are recognised by the first cell of their header:
//   "Keras class"            layer tables: first column = Keras classes, second = IR ops
//   "Not supported"          classes the frontend refuses
//   "Activation name"        names ActivationFromName accepts (Keras 2 and 3)
//   "QKeras activation name" names accepted inside QKeras layers
//   "Refused activation"     names refused outside QKeras layers
//   "QKeras spelling"        quantizers that parse, with their kind and fixed-point type
//   "Refused spelling"       quantizers that fail, with a fragment of the message
// Names are the `backticked` words of a cell.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"
#include "frontends/keras/activations.h"
#include "frontends/keras/keras_frontend.h"
#include "frontends/keras/layer_builder.h"
#include "frontends/keras/qkeras_quantizers.h"
#include "ir/ops.h"

namespace fixnn::frontends::keras {
namespace {

const char kDocPath[] = FIXNN_DOCS_DIR "/layers.md";

struct Row {
  int line = 0;
  std::vector<std::string> cells;
};

struct Table {
  std::string subsection;  // the nearest "###" (or "##") heading above the table
  std::vector<std::string> header;
  std::vector<Row> rows;
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// "| a | b \| c |" -> {"a", "b | c"}.
std::vector<std::string> SplitRow(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::string body = Trim(line);
  if (!body.empty() && body.front() == '|') body.erase(0, 1);
  if (!body.empty() && body.back() == '|' && (body.size() < 2 || body[body.size() - 2] != '\\')) {
    body.pop_back();
  }
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (body[i] == '|') {
      cells.push_back(Trim(cell));
      cell.clear();
    } else {
      cell += body[i];
    }
  }
  cells.push_back(Trim(cell));
  return cells;
}

bool IsSeparator(const std::string& line) {
  std::string t = Trim(line);
  return !t.empty() && t.front() == '|' && t.find_first_not_of("|-: ") == std::string::npos &&
         t.find('-') != std::string::npos;
}

// The words between backticks in a cell.
std::vector<std::string> Backticked(const std::string& cell) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t open = cell.find('`', pos);
    if (open == std::string::npos) break;
    size_t close = cell.find('`', open + 1);
    if (close == std::string::npos) break;
    out.push_back(cell.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return out;
}

class DocsLayersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ifstream in(kDocPath);
    ASSERT_TRUE(in) << "cannot open " << kDocPath;
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    tables_ = new std::vector<Table>();
    std::string heading;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      if (line.rfind("## ", 0) == 0 || line.rfind("### ", 0) == 0) {
        heading = Trim(line.substr(line.find(' ') + 1));
        continue;
      }
      if (Trim(line).rfind('|', 0) != 0 || i + 1 >= lines.size() || !IsSeparator(lines[i + 1])) {
        continue;
      }
      Table t;
      t.subsection = heading;
      t.header = SplitRow(line);
      size_t j = i + 2;
      for (; j < lines.size() && Trim(lines[j]).rfind('|', 0) == 0; ++j) {
        t.rows.push_back(Row{static_cast<int>(j + 1), SplitRow(lines[j])});
      }
      tables_->push_back(std::move(t));
      i = j - 1;
    }
  }
  static void TearDownTestSuite() {
    delete tables_;
    tables_ = nullptr;
  }

  // Tables whose header starts with `kind`.
  static std::vector<const Table*> TablesOf(const std::string& kind) {
    std::vector<const Table*> out;
    for (const Table& t : *tables_) {
      if (!t.header.empty() && t.header[0] == kind) out.push_back(&t);
    }
    return out;
  }

  // Every backticked name in the first column of `kind` tables -> the line it is on.
  static std::map<std::string, int> FirstColumnNames(const std::string& kind) {
    std::map<std::string, int> out;
    for (const Table* t : TablesOf(kind)) {
      for (const Row& r : t->rows) {
        for (const std::string& name : Backticked(r.cells[0])) out.emplace(name, r.line);
      }
    }
    return out;
  }

  static std::set<std::string> Supported() {
    std::vector<std::string> names = SupportedKerasLayers();
    return std::set<std::string>(names.begin(), names.end());
  }

  static std::vector<Table>* tables_;
};

std::vector<Table>* DocsLayersTest::tables_ = nullptr;

std::string At(int line) { return std::string(kDocPath) + ":" + std::to_string(line); }

TEST_F(DocsLayersTest, DocumentHasEveryKindOfTable) {
  for (const char* kind :
       {"Keras class", "Not supported", "Activation name", "QKeras activation name",
        "Refused activation", "QKeras spelling", "Refused spelling"}) {
    size_t rows = 0;
    for (const Table* t : TablesOf(kind)) rows += t->rows.size();
    EXPECT_GT(rows, 0u) << kDocPath << " has no table headed '" << kind << "'";
  }
}

TEST_F(DocsLayersTest, EverySupportedLayerHasARow) {
  std::map<std::string, int> documented = FirstColumnNames("Keras class");
  for (const std::string& name : SupportedKerasLayers()) {
    EXPECT_TRUE(documented.count(name))
        << kDocPath << ": `" << name
        << "` is in SupportedKerasLayers() but in no 'Keras class' table row";
  }
}

TEST_F(DocsLayersTest, EveryDocumentedLayerIsSupportedOrListedAsNotSupported) {
  std::set<std::string> supported = Supported();
  std::map<std::string, int> refused = FirstColumnNames("Not supported");
  for (const auto& [name, line] : FirstColumnNames("Keras class")) {
    EXPECT_TRUE(supported.count(name) || refused.count(name))
        << At(line) << ": `" << name
        << "` is neither in SupportedKerasLayers() nor in the 'Not supported' table";
  }
}

TEST_F(DocsLayersTest, NotSupportedLayersAreNotSupported) {
  std::set<std::string> supported = Supported();
  for (const auto& [name, line] : FirstColumnNames("Not supported")) {
    EXPECT_FALSE(supported.count(name))
        << At(line) << ": `" << name << "` is listed as not supported but SupportedKerasLayers() "
        << "has it";
  }
}

TEST_F(DocsLayersTest, SecondColumnNamesIrOps) {
  std::set<std::string> ops;
#define FIXNN_DOCS_OP_NAME(name, attrs) ops.insert(#name);
  FIXNN_IR_OPS(FIXNN_DOCS_OP_NAME)
#undef FIXNN_DOCS_OP_NAME
  for (const Table* t : TablesOf("Keras class")) {
    for (const Row& r : t->rows) {
      ASSERT_GE(r.cells.size(), 2u) << At(r.line) << ": a layer row needs an IR op column";
      for (const std::string& op : Backticked(r.cells[1])) {
        EXPECT_TRUE(ops.count(op)) << At(r.line) << ": `" << op << "` is not an op of ir/ops.h";
      }
    }
  }
}

TEST_F(DocsLayersTest, InferenceNoOpTableMatchesTheFrontend) {
  std::map<std::string, int> noops;
  for (const Table* t : TablesOf("Keras class")) {
    if (t->subsection.find("no-op") == std::string::npos) continue;
    for (const Row& r : t->rows) {
      for (const std::string& name : Backticked(r.cells[0])) noops.emplace(name, r.line);
    }
  }
  ASSERT_FALSE(noops.empty()) << kDocPath << " has no 'Inference no-ops' layer table";
  for (const auto& [name, line] : noops) {
    EXPECT_TRUE(IsInferenceNoOp(name))
        << At(line) << ": `" << name << "` is documented as a no-op but IsInferenceNoOp says no";
  }
  for (const std::string& name : SupportedKerasLayers()) {
    if (IsInferenceNoOp(name)) {
      EXPECT_TRUE(noops.count(name))
          << kDocPath << ": `" << name << "` is an inference no-op missing from its table";
    }
  }
}

TEST_F(DocsLayersTest, DocumentedActivationNamesAreAccepted) {
  for (const auto& [name, line] : FirstColumnNames("Activation name")) {
    for (int major : {2, 3}) {
      Result<std::optional<ir::ActivationAttrs>> a = ActivationFromName(name, major);
      EXPECT_TRUE(a.ok()) << At(line) << ": activation `" << name << "` (Keras " << major
                          << "): " << (a.ok() ? "" : a.error().message());
    }
  }
  for (const auto& [name, line] : FirstColumnNames("QKeras activation name")) {
    Result<std::optional<ir::ActivationAttrs>> a = ActivationFromName(name, 2, true);
    EXPECT_TRUE(a.ok() && a->has_value()) << At(line) << ": QKeras activation `" << name
                                          << "`: " << (a.ok() ? "linear" : a.error().message());
  }
}

TEST_F(DocsLayersTest, RefusedActivationNamesFail) {
  std::map<std::string, int> qkeras = FirstColumnNames("QKeras activation name");
  for (const auto& [name, line] : FirstColumnNames("Refused activation")) {
    for (bool in_qkeras : {false, true}) {
      if (in_qkeras && qkeras.count(name)) continue;  // e.g. hard_tanh: QKeras layers only
      Result<std::optional<ir::ActivationAttrs>> a = ActivationFromName(name, 3, in_qkeras);
      if (a.ok()) {
        ADD_FAILURE() << At(line) << ": activation `" << name << "` is documented as refused "
                      << "but is accepted" << (in_qkeras ? " in QKeras layers" : "");
        continue;
      }
      EXPECT_NE(a.error().message().find("'" + name + "' is not supported"), std::string::npos)
          << At(line) << ": activation `" << name << "`: " << a.error().message();
    }
  }
}

// A documented spelling: the string form, or the object form when it starts with '{'.
nlohmann::json SpecOf(const std::string& spelling) {
  if (!spelling.empty() && spelling.front() == '{') {
    return nlohmann::json::parse(spelling, nullptr, /*allow_exceptions=*/false);
  }
  return nlohmann::json(spelling);
}

std::string KindName(ir::QuantizerKind kind) {
  switch (kind) {
    case ir::QuantizerKind::kFixed:
      return "fixed";
    case ir::QuantizerKind::kReLU:
      return "relu";
    case ir::QuantizerKind::kPo2:
      return "po2";
    case ir::QuantizerKind::kBinary:
      return "binary";
    case ir::QuantizerKind::kTernary:
      return "ternary";
    case ir::QuantizerKind::kTanh:
      return "tanh";
    case ir::QuantizerKind::kSigmoid:
      return "sigmoid";
  }
  return "?";
}

TEST_F(DocsLayersTest, DocumentedQuantizersParseToTheDocumentedType) {
  for (const Table* t : TablesOf("QKeras spelling")) {
    for (const Row& r : t->rows) {
      ASSERT_GE(r.cells.size(), 3u) << At(r.line) << ": spelling | kind | type expected";
      std::vector<std::string> spelling = Backticked(r.cells[0]);
      std::vector<std::string> kind = Backticked(r.cells[1]);
      std::vector<std::string> type = Backticked(r.cells[2]);
      ASSERT_EQ(spelling.size(), 1u) << At(r.line) << ": one `spelling` per row";
      ASSERT_EQ(kind.size(), 1u) << At(r.line) << ": one `kind` per row";
      ASSERT_EQ(type.size(), 1u) << At(r.line) << ": one `type` per row";
      nlohmann::json spec = SpecOf(spelling[0]);
      ASSERT_FALSE(spec.is_discarded()) << At(r.line) << ": `" << spelling[0] << "` is bad JSON";
      EXPECT_TRUE(IsQKerasQuantizerSpec(spec))
          << At(r.line) << ": `" << spelling[0] << "` is not recognised as a QKeras quantizer";
      Result<ir::Quantizer> q = ParseQKerasQuantizer(spec);
      if (!q.ok()) {
        ADD_FAILURE() << At(r.line) << ": documented quantizer `" << spelling[0]
                      << "` does not parse: " << q.error().message();
        continue;
      }
      EXPECT_EQ(KindName(q->kind), kind[0]) << At(r.line) << ": `" << spelling[0] << "`";
      Result<fixed::FixedType> expected = fixed::ParseFixedType(type[0]);
      if (!expected.ok()) {
        ADD_FAILURE() << At(r.line) << ": " << expected.error().message();
        continue;
      }
      EXPECT_TRUE(q->type == *expected) << At(r.line) << ": `" << spelling[0] << "` maps to "
                                        << q->type.ToString() << ", documented " << type[0];
    }
  }
}

TEST_F(DocsLayersTest, RefusedQuantizersFailWithTheDocumentedReason) {
  for (const Table* t : TablesOf("Refused spelling")) {
    for (const Row& r : t->rows) {
      ASSERT_GE(r.cells.size(), 2u) << At(r.line) << ": spelling | message expected";
      std::vector<std::string> spelling = Backticked(r.cells[0]);
      std::vector<std::string> reason = Backticked(r.cells[1]);
      ASSERT_EQ(spelling.size(), 1u) << At(r.line) << ": one `spelling` per row";
      ASSERT_EQ(reason.size(), 1u) << At(r.line) << ": one `message fragment` per row";
      Result<ir::Quantizer> q = ParseQKerasQuantizer(SpecOf(spelling[0]));
      if (q.ok()) {
        ADD_FAILURE() << At(r.line) << ": `" << spelling[0]
                      << "` is documented as refused but parses";
        continue;
      }
      EXPECT_NE(q.error().message().find(reason[0]), std::string::npos)
          << At(r.line) << ": `" << spelling[0] << "` fails with \"" << q.error().message()
          << "\", documented \"" << reason[0] << "\"";
    }
  }
}

// Every quantizer class QKeras 0.9.0 defines is documented, as supported or as refused.
TEST_F(DocsLayersTest, EveryQKerasQuantizerClassIsDocumented) {
  std::set<std::string> classes;
  for (const char* kind : {"QKeras spelling", "Refused spelling"}) {
    for (const auto& [spelling, line] : FirstColumnNames(kind)) {
      nlohmann::json spec = SpecOf(spelling);
      std::string name = spec.is_object() ? spec.value("class_name", std::string())
                                          : spelling.substr(0, spelling.find('('));
      classes.insert(name);
    }
  }
  for (const char* name :
       {"quantized_bits", "quantized_relu", "quantized_tanh", "quantized_sigmoid", "quantized_po2",
        "quantized_relu_po2", "binary", "ternary", "stochastic_binary", "stochastic_ternary",
        "bernoulli", "quantized_ulaw", "quantized_hswish"}) {
    EXPECT_TRUE(classes.count(name))
        << kDocPath << ": QKeras quantizer `" << name << "` is in no quantizer table";
    EXPECT_TRUE(IsQKerasQuantizerSpec(nlohmann::json(std::string(name) + "()")))
        << "IsQKerasQuantizerSpec does not know `" << name << "`";
  }
}

}  // namespace
}  // namespace fixnn::frontends::keras
