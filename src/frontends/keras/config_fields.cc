#include "frontends/keras/config_fields.h"

#include <fmt/format.h>

namespace fixnn::frontends::keras {

bool ConfigFields::Has(const std::string& key) const { return Find(key) != nullptr; }

const nlohmann::json* ConfigFields::Find(const std::string& key) const {
  if (!config_.is_object()) return nullptr;
  auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) return nullptr;
  return &*it;
}

Error ConfigFields::Fail(const std::string& message) const {
  return Error(fmt::format("{}: {}", where_, message));
}

Result<int64_t> ConfigFields::Int(const std::string& key) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Fail(fmt::format("config field '{}' is missing", key));
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_number_float() && v->get<double>() == static_cast<double>(v->get<int64_t>())) {
    return v->get<int64_t>();
  }
  return Fail(fmt::format("config field '{}' is not an integer ({})", key, v->dump()));
}

Result<int64_t> ConfigFields::Int(const std::string& key, int64_t fallback) const {
  return Has(key) ? Int(key) : Result<int64_t>(fallback);
}

Result<double> ConfigFields::Double(const std::string& key, double fallback) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_number()) return v->get<double>();
  return Fail(fmt::format("config field '{}' is not a number ({})", key, v->dump()));
}

Result<bool> ConfigFields::Bool(const std::string& key, bool fallback) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number_integer()) return v->get<int64_t>() != 0;
  return Fail(fmt::format("config field '{}' is not a boolean ({})", key, v->dump()));
}

Result<std::string> ConfigFields::String(const std::string& key) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Fail(fmt::format("config field '{}' is missing", key));
  if (v->is_string()) return v->get<std::string>();
  return Fail(fmt::format("config field '{}' is not a string ({})", key, v->dump()));
}

Result<std::string> ConfigFields::String(const std::string& key,
                                         const std::string& fallback) const {
  return Has(key) ? String(key) : Result<std::string>(fallback);
}

Result<std::vector<int64_t>> ConfigFields::IntList(const std::string& key, size_t rank) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Fail(fmt::format("config field '{}' is missing", key));
  std::vector<int64_t> out;
  if (v->is_number_integer()) {
    out.assign(rank == 0 ? 1 : rank, v->get<int64_t>());
    return out;
  }
  if (!v->is_array()) {
    return Fail(fmt::format("config field '{}' is not a list of integers ({})", key, v->dump()));
  }
  for (const nlohmann::json& e : *v) {
    if (!e.is_number_integer()) {
      return Fail(fmt::format("config field '{}' is not a list of integers ({})", key, v->dump()));
    }
    out.push_back(e.get<int64_t>());
  }
  if (rank != 0 && out.size() != rank) {
    return Fail(
        fmt::format("config field '{}' has {} entries, expected {}", key, out.size(), rank));
  }
  return out;
}

Result<std::vector<int64_t>> ConfigFields::IntList(const std::string& key, size_t rank,
                                                   const std::vector<int64_t>& fallback) const {
  return Has(key) ? IntList(key, rank) : Result<std::vector<int64_t>>(fallback);
}

}  // namespace fixnn::frontends::keras
