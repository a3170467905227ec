// ZipArchive: read-only access to a zip archive (.keras models, .npz arrays) through libzip.
// Corrupt archives, missing entries and CRC mismatches are Errors naming the archive.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "support/result.h"

struct zip;  // libzip's zip_t

namespace fixnn::io {

class ZipArchive {
 public:
  static constexpr uint64_t kDefaultMaxEntryBytes = uint64_t{1} << 30;

  // Opens with libzip's consistency checks, so a truncated or damaged archive fails here.
  static Result<ZipArchive> Open(const std::string& path);

  ZipArchive(ZipArchive&& other) noexcept;
  ZipArchive& operator=(ZipArchive&& other) noexcept;
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;
  ~ZipArchive();

  const std::string& name() const { return name_; }

  // Entry names in the order the central directory lists them (directories end in '/').
  const std::vector<std::string>& Entries() const { return entries_; }
  bool Contains(const std::string& entry_name) const;

  // The entry's uncompressed bytes; an entry larger than max_bytes is an Error (so a small
  // archive cannot expand into gigabytes).
  Result<std::string> Read(const std::string& entry_name,
                           uint64_t max_bytes = kDefaultMaxEntryBytes) const;

 private:
  ZipArchive(::zip* archive, std::string name, std::vector<std::string> entries)
      : archive_(archive), name_(std::move(name)), entries_(std::move(entries)) {}
  void Close();

  ::zip* archive_ = nullptr;
  std::string name_;
  std::vector<std::string> entries_;
};

}  // namespace fixnn::io
