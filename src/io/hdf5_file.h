// Hdf5File: read-only access to an HDF5 file (Keras .h5 models and weight files) through the
// HDF5 C library. Every failure, including a corrupt or truncated file, is an Error naming the
// file and the object; HDF5's own error printing is switched off. The HDF5 library is not
// thread-safe in the serial build: use Hdf5File objects from one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/array.h"
#include "support/result.h"

namespace fixnn::io {

class Hdf5File {
 public:
  // Datasets larger than this many elements are refused, so a corrupt header cannot ask for a
  // giant allocation.
  static constexpr int64_t kMaxElements = int64_t{1} << 31;

  static Result<Hdf5File> Open(const std::string& path);
  // An HDF5 file held in memory (model.weights.h5 inside a .keras archive). display_name
  // starts every error message ("model.keras/model.weights.h5: ...").
  static Result<Hdf5File> OpenImage(std::string bytes, std::string display_name);

  Hdf5File(Hdf5File&& other) noexcept;
  Hdf5File& operator=(Hdf5File&& other) noexcept;
  Hdf5File(const Hdf5File&) = delete;
  Hdf5File& operator=(const Hdf5File&) = delete;
  ~Hdf5File();

  // The path or display name given when opening; error messages start with it.
  const std::string& name() const { return name_; }

  // Object paths are absolute or relative to the root: "/model_weights/dense" and
  // "model_weights/dense" are the same object. "/" is the root group.
  bool Exists(const std::string& path) const;
  bool IsGroup(const std::string& path) const;
  bool IsDataset(const std::string& path) const;

  // Names (not paths) of the group's members, in creation order when the group tracks it, else
  // in HDF5's name order (byte-wise ascending, so "10" comes before "2").
  Result<std::vector<std::string>> Children(const std::string& group_path) const;

  bool HasAttribute(const std::string& object_path, const std::string& attr_name) const;
  // One string: a fixed-length or variable-length string attribute (scalar or one element), or
  // an array of 1-byte integers holding characters. Padding and a trailing NUL are removed.
  Result<std::string> ReadStringAttribute(const std::string& object_path,
                                          const std::string& attr_name) const;
  // A list of strings (Keras 2 layer_names, weight_names): a fixed- or variable-length string
  // array of any rank, flattened. When attr_name is absent but Keras split the list into
  // attr_name0, attr_name1, ..., the chunks are joined. An empty numeric array (how h5py
  // stores an empty Python list) gives an empty list.
  Result<std::vector<std::string>> ReadStringListAttribute(const std::string& object_path,
                                                           const std::string& attr_name) const;

  // A numeric dataset: float16/32/64, signed or unsigned 8..64-bit integers, or enums over
  // integers (h5py's bool). A scalar dataset gives an empty shape and one value.
  Result<Array> ReadDataset(const std::string& path) const;

 private:
  Hdf5File(int64_t file_id, std::string name) : file_id_(file_id), name_(std::move(name)) {}
  void Close();

  int64_t file_id_ = -1;  // an hid_t
  std::string name_;
};

}  // namespace fixnn::io
