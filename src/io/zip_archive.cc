#include "io/zip_archive.h"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <memory>
#include <new>
#include <utility>

#include "io/file_format.h"

namespace fixnn::io {
namespace {

std::string LibzipMessage(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string message = zip_error_strerror(&error);
  zip_error_fini(&error);
  return message;
}

struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

}  // namespace

Result<ZipArchive> ZipArchive::Open(const std::string& path) {
  // Missing, unreadable, empty files and directories get the same messages as other readers
  // (libzip would open an empty file as an empty archive).
  auto format = DetectFileFormat(path);
  if (!format) return format.error();
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (archive == nullptr) {
    return Error(fmt::format("{}: cannot open zip archive: {}", path, LibzipMessage(code)));
  }
  zip_int64_t n = zip_get_num_entries(archive, 0);
  std::vector<std::string> entries;
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr) {
      std::string message = zip_error_strerror(zip_get_error(archive));
      zip_discard(archive);
      return Error(
          fmt::format("{}: cannot read entry {} of the zip archive: {}", path, i, message));
    }
    entries.emplace_back(name);
  }
  return ZipArchive(archive, path, std::move(entries));
}

ZipArchive::ZipArchive(ZipArchive&& other) noexcept
    : archive_(std::exchange(other.archive_, nullptr)),
      name_(std::move(other.name_)),
      entries_(std::move(other.entries_)) {}

ZipArchive& ZipArchive::operator=(ZipArchive&& other) noexcept {
  if (this != &other) {
    Close();
    archive_ = std::exchange(other.archive_, nullptr);
    name_ = std::move(other.name_);
    entries_ = std::move(other.entries_);
  }
  return *this;
}

ZipArchive::~ZipArchive() { Close(); }

void ZipArchive::Close() {
  // Nothing was changed, so discard instead of zip_close (which would try to write).
  if (archive_ != nullptr) zip_discard(archive_);
  archive_ = nullptr;
}

bool ZipArchive::Contains(const std::string& entry_name) const {
  return std::find(entries_.begin(), entries_.end(), entry_name) != entries_.end();
}

Result<std::string> ZipArchive::Read(const std::string& entry_name, uint64_t max_bytes) const {
  std::string where = fmt::format("{}: entry '{}'", name_, entry_name);
  if (archive_ == nullptr) return Error(where + ": archive is closed");
  zip_int64_t index = zip_name_locate(archive_, entry_name.c_str(), 0);
  if (index < 0) return Error(fmt::format("{}: no entry '{}' in the archive", name_, entry_name));
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
      (st.valid & ZIP_STAT_SIZE) == 0) {
    return Error(fmt::format("{}: cannot read its size: {}", where,
                             zip_error_strerror(zip_get_error(archive_))));
  }
  if (st.size > max_bytes) {
    return Error(fmt::format("{}: {} bytes, more than the limit of {}", where, st.size, max_bytes));
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> file(
      zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0));
  if (!file) {
    return Error(
        fmt::format("{}: cannot open: {}", where, zip_error_strerror(zip_get_error(archive_))));
  }
  try {
    // Read to the end (libzip checks the CRC there), never past max_bytes: the stated size
    // may be wrong in a damaged archive.
    std::string bytes;
    bytes.reserve(static_cast<size_t>(st.size));
    std::vector<char> chunk(size_t{1} << 16);
    for (;;) {
      zip_int64_t got = zip_fread(file.get(), chunk.data(), chunk.size());
      if (got < 0) {
        return Error(fmt::format("{}: cannot read: {}", where,
                                 zip_error_strerror(zip_file_get_error(file.get()))));
      }
      if (got == 0) break;
      if (bytes.size() + static_cast<uint64_t>(got) > max_bytes) {
        return Error(fmt::format("{}: more than the limit of {} bytes", where, max_bytes));
      }
      bytes.append(chunk.data(), static_cast<size_t>(got));
    }
    if (bytes.size() != st.size) {
      return Error(
          fmt::format("{}: {} bytes read, but the archive says {}", where, bytes.size(), st.size));
    }
    return bytes;
  } catch (const std::bad_alloc&) {
    return Error(fmt::format("{}: cannot allocate {} bytes", where, st.size));
  }
}

}  // namespace fixnn::io
