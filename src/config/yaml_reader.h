// Reading YAML nodes into typed values with errors that name the file, line and key path.
// Internal to the config library.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/hls_config.h"
#include "support/result.h"

namespace fixnn::config::internal {

enum class Check { kAny, kPositive, kNonNegative };

// "TableSize", "table_size" and "tablesize" compare equal: lower case, underscores dropped.
std::string NormalizeKey(std::string_view key);

// " (did you mean 'Precision'?)" when a candidate is close to `word`, else "".
std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

// "a string", "a list", "a mapping", "null".
std::string_view DescribeNode(const YAML::Node& node);

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  SourcePos Pos(const YAML::Node& node) const;
  // "file:line: path: message".
  Error Fail(const SourcePos& pos, std::string_view path, std::string_view message) const;
  Error Fail(const YAML::Node& at, std::string_view path, std::string_view message) const {
    return Fail(Pos(at), path, message);
  }

  Result<std::string> String(const YAML::Node& node, std::string_view path) const;
  Result<int64_t> Int(const YAML::Node& node, std::string_view path, Check check) const;
  Result<double> Double(const YAML::Node& node, std::string_view path) const;
  Result<bool> Bool(const YAML::Node& node, std::string_view path) const;
  // A string or a list of strings.
  Result<std::vector<std::string>> StringList(const YAML::Node& node, std::string_view path) const;
  template <typename E>
  Result<E> Enum(const YAML::Node& node, std::string_view path) const;

  // Typed reading for the X-macro fields.
  Result<int64_t> Read(const YAML::Node& n, std::string_view path, Check c, int64_t*) const {
    return Int(n, path, c);
  }
  Result<bool> Read(const YAML::Node& n, std::string_view path, Check, bool*) const {
    return Bool(n, path);
  }
  template <typename E>
  Result<E> Read(const YAML::Node& n, std::string_view path, Check, E*) const {
    return Enum<E>(n, path);
  }

  // Calls fn(key, key_node, value_node) for each entry of mapping `node` (a null node has
  // none). Refuses a non-mapping and keys given twice; keys compare after `normalize`.
  using EntryFn = std::function<Status(const std::string&, const YAML::Node&, const YAML::Node&)>;
  Status ForEachEntry(const YAML::Node& node, std::string_view path,
                      const std::function<std::string(std::string_view)>& normalize,
                      std::string_view same_key_note, const EntryFn& fn) const;

 private:
  std::string file_;
};

template <typename E>
Result<E> YamlReader::Enum(const YAML::Node& node, std::string_view path) const {
  Result<std::string> text = String(node, path);
  if (!text.ok()) return text.error();
  if (std::optional<E> v = ParseEnum<E>(*text)) return *v;
  return Fail(node, path, "'" + *text + "' is not one of " + EnumChoices<E>());
}

}  // namespace fixnn::config::internal
