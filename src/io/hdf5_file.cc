#include "io/hdf5_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstring>
#include <mutex>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

#include "io/file_format.h"

namespace fixnn::io {

static_assert(std::is_same_v<hid_t, int64_t>, "Hdf5File stores an hid_t as int64_t");

namespace {

// Owns an HDF5 identifier and closes it with the matching H5?close.
template <herr_t (*CloseFn)(hid_t)>
class Handle {
 public:
  explicit Handle(hid_t id = H5I_INVALID_HID) : id_(id) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    std::swap(id_, other.id_);
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) CloseFn(id_);
  }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
};

using ObjectHandle = Handle<H5Oclose>;
using GroupHandle = Handle<H5Gclose>;
using DatasetHandle = Handle<H5Dclose>;
using AttrHandle = Handle<H5Aclose>;
using TypeHandle = Handle<H5Tclose>;
using SpaceHandle = Handle<H5Sclose>;
using PlistHandle = Handle<H5Pclose>;

// Attributes hold names and configs; more strings or bytes than this means a corrupt header.
constexpr uint64_t kMaxAttributeElements = uint64_t{1} << 24;
constexpr uint64_t kMaxAttributeBytes = uint64_t{1} << 30;

// HDF5 prints its error stack to stderr by default; fixnn reports errors itself.
void SilenceHdf5Errors() {
  static std::once_flag once;
  std::call_once(once, [] {
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  });
}

// The most specific message on HDF5's error stack (where the failure was first detected), for
// appending to fixnn's own message. Must be called right after the failing HDF5 call.
std::string Hdf5Detail() {
  std::string detail;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* err, void* data) -> herr_t {
        auto* out = static_cast<std::string*>(data);
        if (out->empty() && err->desc != nullptr && err->desc[0] != '\0') *out = err->desc;
        (void)n;
        return 0;
      },
      &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

std::string WithDetail(std::string message) {
  std::string detail = Hdf5Detail();
  if (!detail.empty()) message += fmt::format(" ({})", detail);
  return message;
}

// "/a/b" for "a/b", "/a/b/" and "/a/b"; "/" for "" and "/".
std::string Normalize(const std::string& path) {
  std::string p = path.empty() || path[0] != '/' ? "/" + path : path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

const char* TypeClassName(H5T_class_t c) {
  switch (c) {
    case H5T_INTEGER:
      return "integer";
    case H5T_FLOAT:
      return "float";
    case H5T_TIME:
      return "time";
    case H5T_STRING:
      return "string";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_COMPOUND:
      return "compound";
    case H5T_REFERENCE:
      return "reference";
    case H5T_ENUM:
      return "enum";
    case H5T_VLEN:
      return "variable-length sequence";
    case H5T_ARRAY:
      return "array";
    default:
      return "unknown";
  }
}

// Number of elements in a dataspace: 0 for a null space, 1 for a scalar.
Result<uint64_t> SpaceElementCount(hid_t space) {
  switch (H5Sget_simple_extent_type(space)) {
    case H5S_NULL:
      return uint64_t{0};
    case H5S_SCALAR:
      return uint64_t{1};
    case H5S_SIMPLE: {
      hssize_t n = H5Sget_simple_extent_npoints(space);
      if (n < 0) break;
      return static_cast<uint64_t>(n);
    }
    default:
      break;
  }
  return Error(WithDetail("cannot read the dataspace"));
}

bool IsHdf5Signature(std::string_view bytes) {
  static constexpr std::string_view kMagic("\x89HDF\r\n\x1a\n", 8);
  for (uint64_t offset = 0; offset + kMagic.size() <= bytes.size();
       offset = offset == 0 ? 512 : offset * 2) {
    if (bytes.substr(offset, kMagic.size()) == kMagic) return true;
  }
  return false;
}

// The strings of a string-typed attribute (fixed or variable length), flattened.
Result<std::vector<std::string>> ReadStrings(hid_t attr, hid_t file_type, uint64_t count) {
  std::vector<std::string> out;
  if (count == 0) return out;
  if (count > kMaxAttributeElements) {
    return Error(
        fmt::format("holds {} strings, more than the limit of {}", count, kMaxAttributeElements));
  }
  H5T_cset_t cset = H5Tget_cset(file_type);
  htri_t variable = H5Tis_variable_str(file_type);
  if (variable < 0) return Error(WithDetail("cannot read the string type"));
  TypeHandle mem(H5Tcopy(H5T_C_S1));
  if (!mem.valid()) return Error(WithDetail("cannot make a string type"));
  if (cset >= 0) H5Tset_cset(mem.get(), cset);

  if (variable > 0) {
    H5Tset_size(mem.get(), H5T_VARIABLE);
    std::vector<char*> ptrs(count, nullptr);
    herr_t status = H5Aread(attr, mem.get(), ptrs.data());
    std::string detail = status < 0 ? Hdf5Detail() : "";
    for (char* p : ptrs) {
      if (status >= 0) out.emplace_back(p != nullptr ? p : "");
      if (p != nullptr) H5free_memory(p);
    }
    if (status < 0) {
      return Error(detail.empty() ? "cannot read the strings"
                                  : fmt::format("cannot read the strings ({})", detail));
    }
    return out;
  }

  size_t size = H5Tget_size(file_type);
  if (size == 0) return Error(WithDetail("cannot read the string size"));
  if (count * size > kMaxAttributeBytes) {
    return Error(fmt::format("holds {} strings of {} bytes, more than the limit of {} bytes", count,
                             size, kMaxAttributeBytes));
  }
  H5T_str_t pad = H5Tget_strpad(file_type);
  H5Tset_size(mem.get(), size);
  if (pad >= 0) H5Tset_strpad(mem.get(), pad);
  std::string buffer(count * size, '\0');
  if (H5Aread(attr, mem.get(), buffer.data()) < 0) {
    return Error(WithDetail("cannot read the strings"));
  }
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view s(buffer.data() + i * size, size);
    if (pad == H5T_STR_SPACEPAD) {
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    } else {
      s = s.substr(0, s.find('\0'));
    }
    out.emplace_back(s);
  }
  return out;
}

// Decodes one integer of the given size and byte order from raw file bytes.
double DecodeInteger(const unsigned char* p, size_t size, bool big_endian, bool is_signed) {
  uint64_t u = 0;
  for (size_t i = 0; i < size; ++i) {
    uint64_t byte = big_endian ? p[i] : p[size - 1 - i];
    u = (u << 8) | byte;
  }
  if (is_signed && size < 8 && (u >> (8 * size - 1)) != 0) u |= ~uint64_t{0} << (8 * size);
  return is_signed ? static_cast<double>(static_cast<int64_t>(u)) : static_cast<double>(u);
}

}  // namespace

Result<Hdf5File> Hdf5File::Open(const std::string& path) {
  auto format = DetectFileFormat(path);
  if (!format) return format.error();
  if (*format != FileFormat::kHdf5) {
    if (*format == FileFormat::kUnknown) return Error(fmt::format("{}: not an HDF5 file", path));
    return Error(fmt::format("{}: not an HDF5 file (it holds {})", path, FileFormatName(*format)));
  }
  SilenceHdf5Errors();
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) return Error(WithDetail(fmt::format("{}: cannot open HDF5 file", path)));
  return Hdf5File(id, path);
}

Result<Hdf5File> Hdf5File::OpenImage(std::string bytes, std::string display_name) {
  if (bytes.empty()) return Error(fmt::format("{}: file is empty", display_name));
  if (!IsHdf5Signature(bytes)) {
    return Error(fmt::format("{}: not an HDF5 file (no HDF5 signature)", display_name));
  }
  SilenceHdf5Errors();
  // Flags 0: read-only, and HDF5 keeps its own copy, so `bytes` may go away.
  hid_t id = H5LTopen_file_image(bytes.data(), bytes.size(), 0);
  if (id < 0) {
    return Error(WithDetail(fmt::format("{}: cannot open HDF5 file image", display_name)));
  }
  return Hdf5File(id, std::move(display_name));
}

Hdf5File::Hdf5File(Hdf5File&& other) noexcept
    : file_id_(std::exchange(other.file_id_, -1)), name_(std::move(other.name_)) {}

Hdf5File& Hdf5File::operator=(Hdf5File&& other) noexcept {
  if (this != &other) {
    Close();
    file_id_ = std::exchange(other.file_id_, -1);
    name_ = std::move(other.name_);
  }
  return *this;
}

Hdf5File::~Hdf5File() { Close(); }

void Hdf5File::Close() {
  if (file_id_ >= 0) H5Fclose(file_id_);
  file_id_ = -1;
}

bool Hdf5File::Exists(const std::string& path) const {
  if (file_id_ < 0) return false;
  std::string p = Normalize(path);
  if (p == "/") return true;
  // H5Lexists needs every parent to exist, so check each prefix in turn.
  for (size_t slash = p.find('/', 1);; slash = p.find('/', slash + 1)) {
    std::string prefix = p.substr(0, slash);
    if (H5Lexists(file_id_, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) break;
  }
  return H5Oexists_by_name(file_id_, p.c_str(), H5P_DEFAULT) > 0;
}

bool Hdf5File::IsGroup(const std::string& path) const {
  if (!Exists(path)) return false;
  ObjectHandle obj(H5Oopen(file_id_, Normalize(path).c_str(), H5P_DEFAULT));
  return obj.valid() && H5Iget_type(obj.get()) == H5I_GROUP;
}

bool Hdf5File::IsDataset(const std::string& path) const {
  if (!Exists(path)) return false;
  ObjectHandle obj(H5Oopen(file_id_, Normalize(path).c_str(), H5P_DEFAULT));
  return obj.valid() && H5Iget_type(obj.get()) == H5I_DATASET;
}

Result<std::vector<std::string>> Hdf5File::Children(const std::string& group_path) const {
  std::string p = Normalize(group_path);
  if (!Exists(p)) return Error(fmt::format("{}: no group '{}'", name_, p));
  if (!IsGroup(p)) return Error(fmt::format("{}: '{}' is not a group", name_, p));
  GroupHandle group(H5Gopen2(file_id_, p.c_str(), H5P_DEFAULT));
  if (!group.valid()) {
    return Error(WithDetail(fmt::format("{}: cannot open group '{}'", name_, p)));
  }
  H5_index_t index = H5_INDEX_NAME;
  PlistHandle gcpl(H5Gget_create_plist(group.get()));
  unsigned order_flags = 0;
  if (gcpl.valid() && H5Pget_link_creation_order(gcpl.get(), &order_flags) >= 0 &&
      (order_flags & H5P_CRT_ORDER_INDEXED) != 0) {
    index = H5_INDEX_CRT_ORDER;
  }
  H5G_info_t info;
  if (H5Gget_info(group.get(), &info) < 0) {
    return Error(WithDetail(fmt::format("{}: cannot list group '{}'", name_, p)));
  }
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t len =
        H5Lget_name_by_idx(group.get(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) {
      return Error(WithDetail(fmt::format("{}: cannot list group '{}'", name_, p)));
    }
    std::string name(static_cast<size_t>(len) + 1, '\0');
    if (H5Lget_name_by_idx(group.get(), ".", index, H5_ITER_INC, i, name.data(), name.size(),
                           H5P_DEFAULT) < 0) {
      return Error(WithDetail(fmt::format("{}: cannot list group '{}'", name_, p)));
    }
    name.resize(static_cast<size_t>(len));
    names.push_back(std::move(name));
  }
  return names;
}

bool Hdf5File::HasAttribute(const std::string& object_path, const std::string& attr_name) const {
  std::string p = Normalize(object_path);
  if (!Exists(p)) return false;
  return H5Aexists_by_name(file_id_, p.c_str(), attr_name.c_str(), H5P_DEFAULT) > 0;
}

Result<std::string> Hdf5File::ReadStringAttribute(const std::string& object_path,
                                                  const std::string& attr_name) const {
  std::string p = Normalize(object_path);
  std::string where = fmt::format("{}: attribute '{}' of '{}'", name_, attr_name, p);
  if (!Exists(p)) return Error(fmt::format("{}: no object '{}'", name_, p));
  if (!HasAttribute(p, attr_name)) {
    return Error(fmt::format("{}: '{}' has no attribute '{}'", name_, p, attr_name));
  }
  AttrHandle attr(
      H5Aopen_by_name(file_id_, p.c_str(), attr_name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid()) return Error(WithDetail(where + ": cannot open"));
  TypeHandle type(H5Aget_type(attr.get()));
  SpaceHandle space(H5Aget_space(attr.get()));
  if (!type.valid() || !space.valid()) return Error(WithDetail(where + ": cannot read"));
  auto count = SpaceElementCount(space.get());
  if (!count) return count.error().WithContext(where);

  H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class == H5T_STRING) {
    auto strings = ReadStrings(attr.get(), type.get(), *count);
    if (!strings) return strings.error().WithContext(where);
    if (strings->size() != 1) {
      return Error(fmt::format("{}: holds {} strings; expected one", where, strings->size()));
    }
    return std::move(strings->front());
  }
  if (type_class == H5T_INTEGER && H5Tget_size(type.get()) == 1) {
    if (*count > kMaxAttributeBytes) {
      return Error(fmt::format("{}: holds {} characters, more than the limit of {}", where, *count,
                               kMaxAttributeBytes));
    }
    std::string chars(*count, '\0');
    if (*count > 0 && H5Aread(attr.get(), H5T_NATIVE_UCHAR, chars.data()) < 0) {
      return Error(WithDetail(where + ": cannot read"));
    }
    chars.resize(std::strlen(chars.c_str()));
    return chars;
  }
  return Error(fmt::format("{}: not a string (the type is {})", where, TypeClassName(type_class)));
}

Result<std::vector<std::string>> Hdf5File::ReadStringListAttribute(
    const std::string& object_path, const std::string& attr_name) const {
  std::string p = Normalize(object_path);
  if (!Exists(p)) return Error(fmt::format("{}: no object '{}'", name_, p));

  auto read_one = [&](const std::string& attr_name) -> Result<std::vector<std::string>> {
    std::string where = fmt::format("{}: attribute '{}' of '{}'", name_, attr_name, p);
    AttrHandle attr(
        H5Aopen_by_name(file_id_, p.c_str(), attr_name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
    if (!attr.valid()) return Error(WithDetail(where + ": cannot open"));
    TypeHandle type(H5Aget_type(attr.get()));
    SpaceHandle space(H5Aget_space(attr.get()));
    if (!type.valid() || !space.valid()) return Error(WithDetail(where + ": cannot read"));
    auto count = SpaceElementCount(space.get());
    if (!count) return count.error().WithContext(where);
    H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class == H5T_STRING) {
      auto strings = ReadStrings(attr.get(), type.get(), *count);
      if (!strings) return strings.error().WithContext(where);
      return strings;
    }
    // h5py stores an empty Python list as an empty float64 array.
    if (*count == 0 && (type_class == H5T_FLOAT || type_class == H5T_INTEGER)) {
      return std::vector<std::string>{};
    }
    return Error(fmt::format("{}: not a list of strings (the type is {})", where,
                             TypeClassName(type_class)));
  };

  if (HasAttribute(p, attr_name)) return read_one(attr_name);
  // Keras splits lists too big for one object header into attr_name0, attr_name1, ...
  std::vector<std::string> joined;
  int chunk = 0;
  for (; HasAttribute(p, fmt::format("{}{}", attr_name, chunk)); ++chunk) {
    auto part = read_one(fmt::format("{}{}", attr_name, chunk));
    if (!part) return part.error();
    joined.insert(joined.end(), std::make_move_iterator(part->begin()),
                  std::make_move_iterator(part->end()));
  }
  if (chunk == 0) {
    return Error(fmt::format("{}: '{}' has no attribute '{}'", name_, p, attr_name));
  }
  return joined;
}

Result<Array> Hdf5File::ReadDataset(const std::string& path) const {
  std::string p = Normalize(path);
  std::string where = fmt::format("{}: dataset '{}'", name_, p);
  if (!Exists(p)) return Error(fmt::format("{}: no dataset '{}'", name_, p));
  if (!IsDataset(p)) return Error(fmt::format("{}: '{}' is not a dataset", name_, p));
  DatasetHandle dset(H5Dopen2(file_id_, p.c_str(), H5P_DEFAULT));
  if (!dset.valid()) return Error(WithDetail(where + ": cannot open"));
  TypeHandle type(H5Dget_type(dset.get()));
  SpaceHandle space(H5Dget_space(dset.get()));
  if (!type.valid() || !space.valid()) return Error(WithDetail(where + ": cannot read"));

  // Shape, with the element count checked before anything is allocated.
  Array array;
  H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
  if (space_class == H5S_NULL) {
    array.shape = {0};
    return array;
  }
  if (space_class == H5S_SIMPLE) {
    int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > H5S_MAX_RANK) return Error(WithDetail(where + ": cannot read shape"));
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    if (H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) {
      return Error(WithDetail(where + ": cannot read shape"));
    }
    uint64_t count = 1;
    for (hsize_t d : dims) {
      if (d > static_cast<uint64_t>(kMaxElements) ||
          (d != 0 && count > static_cast<uint64_t>(kMaxElements) / d)) {
        return Error(fmt::format("{}: shape ({}) has more than {} elements", where,
                                 fmt::join(dims, ", "), kMaxElements));
      }
      count *= d;
    }
    for (hsize_t d : dims) array.shape.push_back(static_cast<int64_t>(d));
  } else if (space_class != H5S_SCALAR) {
    return Error(WithDetail(where + ": cannot read shape"));
  }
  const auto count = static_cast<uint64_t>(NumElements(array.shape));

  H5T_class_t type_class = H5Tget_class(type.get());
  size_t type_size = H5Tget_size(type.get());
  bool is_float = type_class == H5T_FLOAT && (type_size == 2 || type_size == 4 || type_size == 8);
  bool is_int = type_class == H5T_INTEGER &&
                (type_size == 1 || type_size == 2 || type_size == 4 || type_size == 8);
  TypeHandle enum_base;
  if (type_class == H5T_ENUM) {
    enum_base = TypeHandle(H5Tget_super(type.get()));
    if (!enum_base.valid() || H5Tget_class(enum_base.get()) != H5T_INTEGER || type_size > 8) {
      return Error(fmt::format("{}: unsupported type (enum over a non-integer)", where));
    }
  } else if (!is_float && !is_int) {
    return Error(fmt::format("{}: unsupported type ({}, {} bytes)", where,
                             TypeClassName(type_class), type_size));
  }

  // Contiguous data lies in the file as is, so it cannot be larger than the file.
  PlistHandle dcpl(H5Dget_create_plist(dset.get()));
  hsize_t file_size = 0;
  if (dcpl.valid() && H5Pget_layout(dcpl.get()) == H5D_CONTIGUOUS &&
      H5Fget_filesize(file_id_, &file_size) >= 0 && count * type_size > file_size) {
    return Error(fmt::format("{}: shape {} needs {} bytes but the file has only {}", where,
                             ShapeToString(array.shape), count * type_size, file_size));
  }
  if (count == 0) return array;

  try {
    array.values.resize(count);
    if (type_class != H5T_ENUM) {
      // HDF5 converts every integer and float format (float16 included) to double.
      if (H5Dread(dset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                  array.values.data()) < 0) {
        return Error(WithDetail(where + ": cannot read data"));
      }
      return array;
    }
    // Enums (h5py's bool) are read as stored, without conversion, and decoded here.
    std::vector<unsigned char> raw(count * type_size);
    if (H5Dread(dset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) {
      return Error(WithDetail(where + ": cannot read data"));
    }
    bool big_endian = H5Tget_order(enum_base.get()) == H5T_ORDER_BE;
    bool is_signed = H5Tget_sign(enum_base.get()) == H5T_SGN_2;
    for (uint64_t i = 0; i < count; ++i) {
      array.values[i] = DecodeInteger(&raw[i * type_size], type_size, big_endian, is_signed);
    }
    return array;
  } catch (const std::bad_alloc&) {
    return Error(
        fmt::format("{}: cannot allocate memory for shape {}", where, ShapeToString(array.shape)));
  }
}

}  // namespace fixnn::io
