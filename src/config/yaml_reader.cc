#include "config/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace fixnn::config::internal {

std::string NormalizeKey(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  size_t best_distance = 0;
  for (std::string_view c : candidates) {
    const size_t d = EditDistance(NormalizeKey(word), NormalizeKey(c));
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  // Close enough to be a typo: at most 2 edits, touching less than half of the word.
  if (best.empty() || best_distance > 2 || best_distance * 2 >= word.size()) return "";
  return fmt::format(" (did you mean '{}'?)", best);
}

std::string_view DescribeNode(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "null";
    case YAML::NodeType::Scalar:
      return "a string";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
  }
  return "an unknown node";
}

SourcePos YamlReader::Pos(const YAML::Node& node) const {
  const int line = node.IsDefined() ? node.Mark().line : -1;
  return SourcePos{file_, line >= 0 ? line + 1 : 0};
}

Error YamlReader::Fail(const SourcePos& pos, std::string_view path,
                       std::string_view message) const {
  if (path.empty()) return Error(fmt::format("{}: {}", pos.ToString(), message));
  return Error(fmt::format("{}: {}: {}", pos.ToString(), path, message));
}

Result<std::string> YamlReader::String(const YAML::Node& node, std::string_view path) const {
  if (!node.IsScalar()) {
    return Fail(node, path, fmt::format("expected a string, found {}", DescribeNode(node)));
  }
  return node.Scalar();
}

Result<int64_t> YamlReader::Int(const YAML::Node& node, std::string_view path, Check check) const {
  if (!node.IsScalar()) {
    return Fail(node, path, fmt::format("expected an integer, found {}", DescribeNode(node)));
  }
  long long value = 0;
  if (!YAML::convert<long long>::decode(node, value)) {
    return Fail(node, path, fmt::format("expected an integer, found '{}'", node.Scalar()));
  }
  if (check == Check::kPositive && value <= 0) {
    return Fail(node, path, fmt::format("must be a positive integer, found {}", value));
  }
  if (check == Check::kNonNegative && value < 0) {
    return Fail(node, path, fmt::format("must not be negative, found {}", value));
  }
  return static_cast<int64_t>(value);
}

Result<double> YamlReader::Double(const YAML::Node& node, std::string_view path) const {
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value)) {
    return Fail(
        node, path,
        fmt::format("expected a number, found {}",
                    node.IsScalar() ? "'" + node.Scalar() + "'" : std::string(DescribeNode(node))));
  }
  return value;
}

Result<bool> YamlReader::Bool(const YAML::Node& node, std::string_view path) const {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    return Fail(
        node, path,
        fmt::format("expected true or false, found {}",
                    node.IsScalar() ? "'" + node.Scalar() + "'" : std::string(DescribeNode(node))));
  }
  return value;
}

Result<std::vector<std::string>> YamlReader::StringList(const YAML::Node& node,
                                                        std::string_view path) const {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) {
    return Fail(node, path, fmt::format("expected a list of names, found {}", DescribeNode(node)));
  }
  for (size_t i = 0; i < node.size(); ++i) {
    Result<std::string> s = String(node[i], fmt::format("{}[{}]", path, i));
    if (!s.ok()) return s.error();
    out.push_back(*s);
  }
  return out;
}

Status YamlReader::ForEachEntry(const YAML::Node& node, std::string_view path,
                                const std::function<std::string(std::string_view)>& normalize,
                                std::string_view same_key_note, const EntryFn& fn) const {
  if (node.IsNull() || !node.IsDefined()) return Status::Ok();
  if (!node.IsMap()) {
    return Fail(node, path, fmt::format("expected a mapping, found {}", DescribeNode(node)));
  }
  std::map<std::string, std::pair<std::string, SourcePos>> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // copies: the iterator yields temporaries
    if (!key.IsScalar()) {
      return Fail(key, path, fmt::format("a key is {}; expected a name", DescribeNode(key)));
    }
    const std::string name = key.Scalar();
    const std::string norm = normalize ? normalize(name) : name;
    auto [prev, inserted] = seen.try_emplace(norm, name, Pos(key));
    if (!inserted) {
      const auto& [prev_name, prev_pos] = prev->second;
      std::string what = prev_name == name
                             ? fmt::format("'{}' is given twice", name)
                             : fmt::format("'{}' and '{}' are the same key", prev_name, name);
      return Fail(key, path,
                  fmt::format("{} (first at line {}){}", what, prev_pos.line, same_key_note));
    }
    const YAML::Node value = it->second;
    if (Status s = fn(name, key, value); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace fixnn::config::internal
