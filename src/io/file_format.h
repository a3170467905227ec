// Recognizing model and data files by their content, and reading whole files into memory.
#pragma once

#include <cstdint>
#include <string>

#include "support/result.h"

namespace fixnn::io {

enum class FileFormat { kHdf5, kZip, kJson, kYaml, kNpy, kUnknown };

// "HDF5", "zip", "JSON", "YAML", "npy", "unknown".
const char* FileFormatName(FileFormat format);

// Looks at the content, not the extension: the HDF5 signature (at offset 0 or 512 * 2^k, where
// a user block can move it), the zip local-header or end-of-archive signature, the npy magic,
// then for text a first non-space character '{' or '[' (JSON) or YAML-looking lines ("key:",
// "---", "- item"). Anything else is kUnknown. A missing, unreadable or empty file is an Error.
Result<FileFormat> DetectFileFormat(const std::string& path);

inline constexpr uint64_t kDefaultMaxFileBytes = uint64_t{1} << 30;

// The file's bytes, unchanged (no newline translation). Files larger than max_bytes are an
// Error, so a wrong path cannot pull gigabytes into memory. An empty file gives "".
Result<std::string> ReadTextFile(const std::string& path,
                                 uint64_t max_bytes = kDefaultMaxFileBytes);

// Same as ReadTextFile; the name says the content may be binary.
Result<std::string> ReadFileBytes(const std::string& path,
                                  uint64_t max_bytes = kDefaultMaxFileBytes);

}  // namespace fixnn::io
