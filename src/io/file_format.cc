#include "io/file_format.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

namespace fixnn::io {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

Result<FilePtr> OpenForReading(const std::string& path) {
  errno = 0;
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    return Error(fmt::format("{}: cannot open file: {}", path,
                             errno != 0 ? std::strerror(errno) : "unknown error"));
  }
  return f;
}

// The size of a regular file; directories and devices are refused.
Result<uint64_t> FileSize(std::FILE* f, const std::string& path) {
  struct stat st;
  if (fstat(fileno(f), &st) != 0) return Error(fmt::format("{}: cannot read file", path));
  if (S_ISDIR(st.st_mode)) return Error(fmt::format("{}: is a directory, not a file", path));
  if (!S_ISREG(st.st_mode)) return Error(fmt::format("{}: not a regular file", path));
  return static_cast<uint64_t>(st.st_size);
}

// Reads exactly n bytes at offset; false on a short read.
bool ReadAt(std::FILE* f, uint64_t offset, size_t n, char* out) {
  if (std::fseek(f, static_cast<long>(offset), SEEK_SET) != 0) return false;
  return std::fread(out, 1, n, f) == n;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// True for a line that reads as a YAML mapping key ("class_name: Dense", "config:"), a
// document marker ("---") or a sequence item ("- name").
bool LooksLikeYamlLine(std::string_view line) {
  if (line.substr(0, 3) == "---" || line.substr(0, 2) == "- ") return true;
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (colon + 1 < line.size() && line[colon + 1] != ' ') return false;
  for (char c : line.substr(0, colon)) {
    bool key_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.' || c == '"' || c == '\'' || c == ' ';
    if (!key_char) return false;
  }
  return true;
}

FileFormat DetectTextFormat(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);  // UTF-8 byte order mark
  if (head.find('\0') != std::string_view::npos) return FileFormat::kUnknown;
  size_t first = 0;
  while (first < head.size() && IsSpace(head[first])) ++first;
  if (first == head.size()) return FileFormat::kUnknown;
  if (head[first] == '{' || head[first] == '[') return FileFormat::kJson;
  // The first line that is neither blank nor a comment decides.
  size_t pos = 0;
  while (pos < head.size()) {
    size_t end = head.find('\n', pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    if (!line.empty() && line.front() != '#' && line.front() != '%') {
      return LooksLikeYamlLine(line) ? FileFormat::kYaml : FileFormat::kUnknown;
    }
    pos = end + 1;
  }
  return FileFormat::kUnknown;
}

}  // namespace

const char* FileFormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kHdf5:
      return "HDF5";
    case FileFormat::kZip:
      return "zip";
    case FileFormat::kJson:
      return "JSON";
    case FileFormat::kYaml:
      return "YAML";
    case FileFormat::kNpy:
      return "npy";
    case FileFormat::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Result<FileFormat> DetectFileFormat(const std::string& path) {
  auto f = OpenForReading(path);
  if (!f) return f.error();
  auto size = FileSize(f->get(), path);
  if (!size) return size.error();
  if (*size == 0) return Error(fmt::format("{}: file is empty", path));

  static constexpr std::string_view kHdf5Magic("\x89HDF\r\n\x1a\n", 8);
  char sig[8];
  for (uint64_t offset = 0; offset + sizeof(sig) <= *size;
       offset = offset == 0 ? 512 : offset * 2) {
    if (!ReadAt(f->get(), offset, sizeof(sig), sig)) break;
    if (std::string_view(sig, sizeof(sig)) == kHdf5Magic) return FileFormat::kHdf5;
  }

  std::string head(static_cast<size_t>(std::min<uint64_t>(*size, 4096)), '\0');
  if (!ReadAt(f->get(), 0, head.size(), head.data())) {
    return Error(fmt::format("{}: cannot read file", path));
  }
  std::string_view h(head);
  if (h.substr(0, 4) == std::string_view("PK\x03\x04", 4) ||
      h.substr(0, 4) == std::string_view("PK\x05\x06", 4)) {
    return FileFormat::kZip;
  }
  if (h.substr(0, 6) == "\x93NUMPY") return FileFormat::kNpy;
  return DetectTextFormat(h);
}

Result<std::string> ReadFileBytes(const std::string& path, uint64_t max_bytes) {
  auto f = OpenForReading(path);
  if (!f) return f.error();
  auto size = FileSize(f->get(), path);
  if (!size) return size.error();
  if (*size > max_bytes) {
    return Error(
        fmt::format("{}: file has {} bytes, more than the limit of {}", path, *size, max_bytes));
  }
  std::string bytes(static_cast<size_t>(*size), '\0');
  if (!bytes.empty() && std::fread(bytes.data(), 1, bytes.size(), f->get()) != bytes.size()) {
    return Error(fmt::format("{}: cannot read file", path));
  }
  return bytes;
}

Result<std::string> ReadTextFile(const std::string& path, uint64_t max_bytes) {
  return ReadFileBytes(path, max_bytes);
}

}  // namespace fixnn::io
