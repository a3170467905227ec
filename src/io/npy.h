// NumPy .npy and .npz files: the test inputs and reference outputs that travel with models.
// Readers accept format versions 1-3, little- or big-endian f2/f4/f8, i1-i8, u1-u8 and b1, in
// C or Fortran order (Fortran data is reordered to row-major). Truncated or malformed files are
// Errors that start with the file name.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "io/array.h"
#include "support/result.h"

namespace fixnn::io {

enum class NpyDtype {
  kFloat16,
  kFloat32,
  kFloat64,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kBool,
};

// Arrays with more elements than this are refused before anything is allocated.
inline constexpr int64_t kMaxNpyElements = int64_t{1} << 31;

Result<Array> ReadNpy(const std::string& path);
// An .npy file held in memory; display_name starts every error message.
Result<Array> ReadNpyBytes(std::string_view bytes, const std::string& display_name);

// The bytes of a version 1 .npy file (little-endian, C order), or version 2 when the header
// needs it. Values must fit the dtype exactly for integer and bool dtypes (bool: 0 or 1);
// float16 and float32 round to nearest even.
Result<std::string> EncodeNpy(const Array& array, NpyDtype dtype = NpyDtype::kFloat32);
Status WriteNpy(const std::string& path, const Array& array, NpyDtype dtype = NpyDtype::kFloat32);

// Every array of an .npz archive (stored or deflated), keyed by entry name without ".npy".
Result<std::map<std::string, Array>> ReadNpz(const std::string& path);

}  // namespace fixnn::io
