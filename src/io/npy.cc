#include "io/npy.h"

#include <fmt/format.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <vector>

#include "io/file_format.h"
#include "io/zip_archive.h"

namespace fixnn::io {
namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);
constexpr uint64_t kMaxNpyFileBytes = uint64_t{1} << 34;

enum class Kind { kFloat, kSigned, kUnsigned, kBool };

struct ElementType {
  Kind kind;
  int size;  // bytes
  bool big_endian;
};

double HalfToDouble(uint16_t h) {
  int sign = (h >> 15) != 0 ? -1 : 1;
  int exponent = (h >> 10) & 0x1f;
  int mantissa = h & 0x3ff;
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  if (exponent == 31) {
    return mantissa == 0 ? sign * std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::quiet_NaN();
  }
  return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

// Round to nearest even; magnitudes from 65520 up become infinity, as IEEE rounding does.
uint16_t DoubleToHalf(double x) {
  if (std::isnan(x)) return 0x7e00;
  uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  double a = std::fabs(x);
  if (a >= 65520.0) return sign | 0x7c00;
  if (a < std::ldexp(1.0, -14)) {
    // Subnormal: a multiple of 2^-24 (1024 * 2^-24 rounds up into the smallest normal, whose
    // encoding is the same integer).
    return sign | static_cast<uint16_t>(std::nearbyint(std::ldexp(a, 24)));
  }
  int e = std::ilogb(a);  // a = m * 2^e with m in [1, 2)
  double mantissa = std::nearbyint((std::ldexp(a, -e) - 1.0) * 1024.0);
  if (mantissa == 1024.0) {
    mantissa = 0;
    ++e;
  }
  return sign | static_cast<uint16_t>((e + 15) << 10) | static_cast<uint16_t>(mantissa);
}

// ---- Header parsing: the header is a Python dict literal written by numpy. ----

struct HeaderValue {
  std::optional<std::string> text;
  std::optional<bool> flag;
  std::optional<std::vector<int64_t>> tuple;
};

class HeaderParser {
 public:
  explicit HeaderParser(std::string_view s) : s_(s) {}

  Result<std::map<std::string, HeaderValue>> ParseDict() {
    std::map<std::string, HeaderValue> dict;
    SkipSpace();
    if (!Consume('{')) return Error("header is not a dict");
    for (;;) {
      SkipSpace();
      if (Consume('}')) break;
      auto key = ParseString();
      if (!key) return key.error();
      SkipSpace();
      if (!Consume(':')) return Error(fmt::format("header: expected ':' after '{}'", *key));
      SkipSpace();
      auto value = ParseValue(*key);
      if (!value) return value.error();
      dict[*key] = std::move(*value);
      SkipSpace();
      if (Consume(',')) continue;
      if (Consume('}')) break;
      return Error("header: expected ',' or '}'");
    }
    SkipSpace();
    if (pos_ != s_.size()) return Error("header: unexpected text after the dict");
    return dict;
  }

 private:
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool ConsumeWord(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  Result<std::string> ParseString() {
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) {
      return Error("header: expected a quoted string");
    }
    char quote = s_[pos_++];
    size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos) return Error("header: unterminated string");
    std::string out(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out;
  }

  Result<int64_t> ParseInt() {
    int64_t v = 0;
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      if (v > (std::numeric_limits<int64_t>::max() - 9) / 10) {
        return Error("header: shape dimension too large");
      }
      v = v * 10 + (s_[pos_++] - '0');
    }
    if (pos_ == start) return Error("header: expected a non-negative integer in the shape");
    Consume('L');  // Python 2 long literals
    return v;
  }

  Result<HeaderValue> ParseValue(const std::string& key) {
    HeaderValue value;
    if (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"')) {
      auto text = ParseString();
      if (!text) return text.error();
      value.text = std::move(*text);
    } else if (ConsumeWord("True")) {
      value.flag = true;
    } else if (ConsumeWord("False")) {
      value.flag = false;
    } else if (Consume('(')) {
      std::vector<int64_t> dims;
      for (;;) {
        SkipSpace();
        if (Consume(')')) break;
        auto d = ParseInt();
        if (!d) return d.error();
        dims.push_back(*d);
        if (dims.size() > 64) return Error("header: shape has more than 64 dimensions");
        SkipSpace();
        if (Consume(',')) continue;
        if (Consume(')')) break;
        return Error("header: expected ',' or ')' in the shape");
      }
      value.tuple = std::move(dims);
    } else if (pos_ < s_.size() && s_[pos_] == '[') {
      return Error(
          fmt::format("header: '{}' is a list (structured dtypes are not supported)", key));
    } else {
      return Error(fmt::format("header: cannot parse the value of '{}'", key));
    }
    return value;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

Result<ElementType> ParseDescr(const std::string& descr) {
  auto unsupported = [&] {
    return Error(
        fmt::format("dtype '{}' is not supported (expected f2, f4, f8, i1-i8, u1-u8 "
                    "or b1)",
                    descr));
  };
  std::string_view d(descr);
  bool big_endian = std::endian::native == std::endian::big;
  if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
    if (d[0] == '<') big_endian = false;
    if (d[0] == '>') big_endian = true;
    d.remove_prefix(1);
  }
  if (d == "?") return ElementType{Kind::kBool, 1, false};
  if (d.size() != 2) return unsupported();
  int size = d[1] - '0';
  if (size != 1 && size != 2 && size != 4 && size != 8) return unsupported();
  switch (d[0]) {
    case 'f':
      if (size == 1) return unsupported();
      return ElementType{Kind::kFloat, size, big_endian};
    case 'i':
      return ElementType{Kind::kSigned, size, big_endian};
    case 'u':
      return ElementType{Kind::kUnsigned, size, big_endian};
    case 'b':
      if (size != 1) return unsupported();
      return ElementType{Kind::kBool, 1, false};
    default:
      return unsupported();
  }
}

double DecodeElement(const unsigned char* p, const ElementType& t) {
  uint64_t u = 0;
  for (int i = 0; i < t.size; ++i) {
    u = (u << 8) | (t.big_endian ? p[i] : p[t.size - 1 - i]);
  }
  switch (t.kind) {
    case Kind::kBool:
      return u != 0 ? 1.0 : 0.0;
    case Kind::kUnsigned:
      return static_cast<double>(u);
    case Kind::kSigned: {
      if (t.size < 8 && (u >> (8 * t.size - 1)) != 0) u |= ~uint64_t{0} << (8 * t.size);
      return static_cast<double>(static_cast<int64_t>(u));
    }
    case Kind::kFloat:
      if (t.size == 2) return HalfToDouble(static_cast<uint16_t>(u));
      if (t.size == 4) return std::bit_cast<float>(static_cast<uint32_t>(u));
      return std::bit_cast<double>(u);
  }
  return 0;
}

// Reorders column-major values of `shape` into row-major order.
std::vector<double> FortranToC(const std::vector<double>& in, const std::vector<int64_t>& shape) {
  std::vector<double> out(in.size());
  if (in.empty()) return out;
  const size_t rank = shape.size();
  std::vector<int64_t> c_strides(rank, 1);
  for (size_t i = rank; i-- > 1;) c_strides[i - 1] = c_strides[i] * shape[i];
  std::vector<int64_t> index(rank, 0);
  int64_t dest = 0;
  for (double v : in) {
    out[static_cast<size_t>(dest)] = v;
    // Advance the column-major counter: the first axis changes fastest.
    for (size_t axis = 0; axis < rank; ++axis) {
      if (++index[axis] < shape[axis]) {
        dest += c_strides[axis];
        break;
      }
      dest -= (shape[axis] - 1) * c_strides[axis];
      index[axis] = 0;
    }
  }
  return out;
}

struct DtypeInfo {
  const char* descr;
  int size;
};

DtypeInfo Info(NpyDtype dtype) {
  switch (dtype) {
    case NpyDtype::kFloat16:
      return {"<f2", 2};
    case NpyDtype::kFloat32:
      return {"<f4", 4};
    case NpyDtype::kFloat64:
      return {"<f8", 8};
    case NpyDtype::kInt8:
      return {"|i1", 1};
    case NpyDtype::kInt16:
      return {"<i2", 2};
    case NpyDtype::kInt32:
      return {"<i4", 4};
    case NpyDtype::kInt64:
      return {"<i8", 8};
    case NpyDtype::kUInt8:
      return {"|u1", 1};
    case NpyDtype::kUInt16:
      return {"<u2", 2};
    case NpyDtype::kUInt32:
      return {"<u4", 4};
    case NpyDtype::kUInt64:
      return {"<u8", 8};
    case NpyDtype::kBool:
      return {"|b1", 1};
  }
  return {"<f8", 8};
}

// The little-endian bits of v in `dtype`, or nullopt when v does not fit exactly (integer and
// bool dtypes).
std::optional<uint64_t> EncodeElement(double v, NpyDtype dtype) {
  auto integral_in = [&](double lo, double hi_exclusive) {
    return std::trunc(v) == v && v >= lo && v < hi_exclusive;
  };
  switch (dtype) {
    case NpyDtype::kFloat16:
      return DoubleToHalf(v);
    case NpyDtype::kFloat32:
      return std::bit_cast<uint32_t>(static_cast<float>(v));
    case NpyDtype::kFloat64:
      return std::bit_cast<uint64_t>(v);
    case NpyDtype::kBool:
      if (v != 0.0 && v != 1.0) return std::nullopt;
      return v == 1.0 ? 1 : 0;
    case NpyDtype::kUInt8:
    case NpyDtype::kUInt16:
    case NpyDtype::kUInt32:
    case NpyDtype::kUInt64: {
      double limit = std::ldexp(1.0, 8 * Info(dtype).size);
      if (!integral_in(0.0, limit)) return std::nullopt;
      return static_cast<uint64_t>(v);
    }
    case NpyDtype::kInt8:
    case NpyDtype::kInt16:
    case NpyDtype::kInt32:
    case NpyDtype::kInt64: {
      double half = std::ldexp(1.0, 8 * Info(dtype).size - 1);
      if (!integral_in(-half, half)) return std::nullopt;
      return static_cast<uint64_t>(static_cast<int64_t>(v));
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Array> ReadNpyBytes(std::string_view bytes, const std::string& display_name) {
  auto fail = [&](const std::string& message) {
    return Error(fmt::format("{}: {}", display_name, message));
  };
  if (bytes.empty()) return fail("file is empty");
  if (bytes.size() < 10 || bytes.substr(0, kMagic.size()) != kMagic) {
    return fail("not an .npy file (no \\x93NUMPY magic)");
  }
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  int major = u[6];
  int minor = u[7];
  if (major < 1 || major > 3 || minor != 0) {
    return fail(fmt::format("unsupported .npy format version {}.{}", major, minor));
  }
  uint64_t header_len = 0;
  uint64_t data_offset = 0;
  if (major == 1) {
    header_len = u[8] | (uint64_t{u[9]} << 8);
    data_offset = 10 + header_len;
  } else {
    if (bytes.size() < 12) return fail("truncated header");
    header_len = u[8] | (uint64_t{u[9]} << 8) | (uint64_t{u[10]} << 16) | (uint64_t{u[11]} << 24);
    data_offset = 12 + header_len;
  }
  if (data_offset > bytes.size()) {
    return fail(fmt::format("truncated header ({} bytes announced, {} present)", header_len,
                            bytes.size() - (data_offset - header_len)));
  }
  auto dict = HeaderParser(bytes.substr(data_offset - header_len, header_len)).ParseDict();
  if (!dict) return dict.error().WithContext(display_name);
  for (const auto& [key, value] : *dict) {
    if (key != "descr" && key != "fortran_order" && key != "shape") {
      return fail(fmt::format("header has an unexpected key '{}'", key));
    }
  }
  auto descr = dict->find("descr");
  auto fortran = dict->find("fortran_order");
  auto shape = dict->find("shape");
  if (descr == dict->end() || !descr->second.text) return fail("header has no 'descr' string");
  if (fortran == dict->end() || !fortran->second.flag) {
    return fail("header has no 'fortran_order' True/False");
  }
  if (shape == dict->end() || !shape->second.tuple) return fail("header has no 'shape' tuple");
  auto type = ParseDescr(*descr->second.text);
  if (!type) return type.error().WithContext(display_name);

  Array array;
  array.shape = *shape->second.tuple;
  uint64_t count = 1;
  for (int64_t d : array.shape) {
    if (d != 0 && count > static_cast<uint64_t>(kMaxNpyElements) / static_cast<uint64_t>(d)) {
      return fail(fmt::format("shape {} has more than {} elements", ShapeToString(array.shape),
                              kMaxNpyElements));
    }
    count *= static_cast<uint64_t>(d);
  }
  if (count > static_cast<uint64_t>(kMaxNpyElements)) {
    return fail(fmt::format("shape {} has more than {} elements", ShapeToString(array.shape),
                            kMaxNpyElements));
  }
  const uint64_t data_bytes = count * static_cast<uint64_t>(type->size);
  const uint64_t present = bytes.size() - data_offset;
  if (present < data_bytes) {
    return fail(fmt::format("truncated data: shape {} of '{}' needs {} bytes, {} present",
                            ShapeToString(array.shape), *descr->second.text, data_bytes, present));
  }
  if (present > data_bytes) {
    return fail(fmt::format("{} unexpected bytes after the data of shape {}", present - data_bytes,
                            ShapeToString(array.shape)));
  }
  try {
    array.values.resize(count);
    const auto* data = u + data_offset;
    for (uint64_t i = 0; i < count; ++i) {
      array.values[i] = DecodeElement(data + i * type->size, *type);
    }
    if (*fortran->second.flag && array.shape.size() > 1) {
      array.values = FortranToC(array.values, array.shape);
    }
  } catch (const std::bad_alloc&) {
    return fail(fmt::format("cannot allocate memory for shape {}", ShapeToString(array.shape)));
  }
  return array;
}

Result<Array> ReadNpy(const std::string& path) {
  auto bytes = ReadFileBytes(path, kMaxNpyFileBytes);
  if (!bytes) return bytes.error();
  return ReadNpyBytes(*bytes, path);
}

Result<std::string> EncodeNpy(const Array& array, NpyDtype dtype) {
  uint64_t count = 1;
  for (int64_t d : array.shape) {
    if (d < 0)
      return Error(fmt::format("shape {} has a negative dimension", ShapeToString(array.shape)));
    if (d != 0 && count > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d)) {
      return Error(fmt::format("shape {} is too large", ShapeToString(array.shape)));
    }
    count *= static_cast<uint64_t>(d);
  }
  if (count != array.values.size()) {
    return Error(fmt::format("shape {} has {} elements but the array holds {} values",
                             ShapeToString(array.shape), count, array.values.size()));
  }
  const DtypeInfo info = Info(dtype);
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                   info.descr, ShapeToString(array.shape));
  // Pad with spaces and end with '\n' so that the data starts at a multiple of 64 bytes.
  auto padded = [&](size_t prefix) {
    size_t total = prefix + header.size() + 1;
    return header.size() + (64 - total % 64) % 64 + 1;
  };
  const int version = padded(10) <= 65535 ? 1 : 2;
  const size_t prefix = version == 1 ? 10 : 12;
  header.resize(padded(prefix) - 1, ' ');
  header.push_back('\n');

  std::string out(kMagic);
  out.push_back(static_cast<char>(version));
  out.push_back(0);
  for (size_t i = 0; i < prefix - 8; ++i)
    out.push_back(static_cast<char>(header.size() >> (8 * i)));
  out += header;
  out.reserve(out.size() + count * static_cast<size_t>(info.size));
  for (size_t i = 0; i < array.values.size(); ++i) {
    auto bits = EncodeElement(array.values[i], dtype);
    if (!bits) {
      return Error(fmt::format("value {} at index {} does not fit dtype '{}'", array.values[i], i,
                               info.descr));
    }
    for (int b = 0; b < info.size; ++b) out.push_back(static_cast<char>(*bits >> (8 * b)));
  }
  return out;
}

Status WriteNpy(const std::string& path, const Array& array, NpyDtype dtype) {
  auto bytes = EncodeNpy(array, dtype);
  if (!bytes) return bytes.error().WithContext(path);
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return Error(fmt::format("{}: cannot write file: {}", path, std::strerror(errno)));
  }
  bool ok = std::fwrite(bytes->data(), 1, bytes->size(), f) == bytes->size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Error(fmt::format("{}: cannot write file", path));
  return Status::Ok();
}

Result<std::map<std::string, Array>> ReadNpz(const std::string& path) {
  auto archive = ZipArchive::Open(path);
  if (!archive) return archive.error();
  std::map<std::string, Array> arrays;
  for (const std::string& entry : archive->Entries()) {
    if (!entry.empty() && entry.back() == '/') continue;  // a directory
    constexpr std::string_view kSuffix(".npy");
    if (entry.size() <= kSuffix.size() ||
        std::string_view(entry).substr(entry.size() - kSuffix.size()) != kSuffix) {
      return Error(fmt::format("{}: entry '{}' is not an .npy file", path, entry));
    }
    auto bytes = archive->Read(entry, kMaxNpyFileBytes);
    if (!bytes) return bytes.error();
    auto array = ReadNpyBytes(*bytes, fmt::format("{}: entry '{}'", path, entry));
    if (!array) return array.error();
    std::string key = entry.substr(0, entry.size() - kSuffix.size());
    if (!arrays.emplace(key, std::move(*array)).second) {
      return Error(fmt::format("{}: array '{}' appears twice", path, key));
    }
  }
  return arrays;
}

}  // namespace fixnn::io
