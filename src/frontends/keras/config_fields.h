// Typed reads of a Keras layer's config, with errors that name the layer and the field.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/result.h"

namespace fixnn::frontends::keras {

class ConfigFields {
 public:
  // `where` prefixes messages, e.g. "model.h5: layer 'conv1'".
  ConfigFields(const nlohmann::json& config, std::string where)
      : config_(config), where_(std::move(where)) {}

  bool Has(const std::string& key) const;                    // present and not null
  const nlohmann::json* Find(const std::string& key) const;  // nullptr when absent or null

  Result<int64_t> Int(const std::string& key) const;
  Result<int64_t> Int(const std::string& key, int64_t fallback) const;
  Result<double> Double(const std::string& key, double fallback) const;
  Result<bool> Bool(const std::string& key, bool fallback) const;
  Result<std::string> String(const std::string& key) const;
  Result<std::string> String(const std::string& key, const std::string& fallback) const;
  // An int or a list of ints; a single int is repeated `rank` times. rank 0: any length.
  Result<std::vector<int64_t>> IntList(const std::string& key, size_t rank) const;
  Result<std::vector<int64_t>> IntList(const std::string& key, size_t rank,
                                       const std::vector<int64_t>& fallback) const;

  Error Fail(const std::string& message) const;
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& config_;
  std::string where_;
};

}  // namespace fixnn::frontends::keras
