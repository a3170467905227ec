#include "io/hdf5_file.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "io/io_test_util.h"

namespace fixnn::io {
namespace {

using testing::TempDir;

// ---- Writing small HDF5 files with the C API, the way h5py lays them out. ----

void AttrVlenStrings(hid_t obj, const char* name, const std::vector<const char*>& values,
                     bool scalar) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  hsize_t n = values.size();
  hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
  hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(H5Awrite(attr, type, values.data()), 0);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
}

// Fixed-length strings of `size` bytes each (numpy 'S<size>' arrays are NULLPAD).
void AttrFixedStrings(hid_t obj, const char* name, const std::vector<std::string>& values,
                      size_t size, H5T_str_t pad, bool scalar) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, size);
  H5Tset_strpad(type, pad);
  std::string buffer(values.size() * size, pad == H5T_STR_SPACEPAD ? ' ' : '\0');
  for (size_t i = 0; i < values.size(); ++i) buffer.replace(i * size, values[i].size(), values[i]);
  hsize_t n = values.size();
  hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
  hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(H5Awrite(attr, type, buffer.data()), 0);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
}

void AttrNumeric(hid_t obj, const char* name, hid_t type, const void* data, hsize_t n) {
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (n > 0) {
    EXPECT_GE(H5Awrite(attr, type, data), 0);
  }
  H5Aclose(attr);
  H5Sclose(space);
}

void Dataset(hid_t loc, const char* name, hid_t file_type, hid_t mem_type,
             const std::vector<hsize_t>& dims, const void* data, hid_t space = -1) {
  hid_t s =
      space >= 0 ? space : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t d = H5Dcreate2(loc, name, file_type, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(d, 0) << name;
  if (data != nullptr) {
    EXPECT_GE(H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0);
  }
  H5Dclose(d);
  H5Sclose(s);
}

hid_t Float16Type() {
  hid_t t = H5Tcopy(H5T_IEEE_F32LE);
  H5Tset_fields(t, 15, 10, 5, 0, 10);
  H5Tset_size(t, 2);
  H5Tset_ebias(t, 15);
  return t;
}

// A file exercising every reader path.
std::string WriteTestFile(const TempDir& dir) {
  std::string path = dir.Path("test.h5");
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(f, 0);

  // Root attributes: scalar strings of each kind and string lists.
  AttrVlenStrings(f, "model_config", {R"({"class_name": "Sequential"})"}, true);
  AttrFixedStrings(f, "keras_version", {"2.9.0"}, 6, H5T_STR_NULLTERM, true);
  AttrFixedStrings(f, "spaced", {"abc"}, 8, H5T_STR_SPACEPAD, true);
  AttrFixedStrings(f, "exact", {"full"}, 4, H5T_STR_NULLPAD, true);
  AttrFixedStrings(f, "layer_names", {"dense", "dense_1", "x"}, 7, H5T_STR_NULLPAD, false);
  AttrVlenStrings(f, "vlen_names", {"a", "", "ccc"}, false);
  const char chars[] = {'h', 'i', '\0', 'x'};
  AttrNumeric(f, "char_array", H5T_NATIVE_SCHAR, chars, 4);
  AttrNumeric(f, "empty_list", H5T_IEEE_F64LE, nullptr, 0);
  const double nums[] = {1.5, 2.5};
  AttrNumeric(f, "numbers", H5T_NATIVE_DOUBLE, nums, 2);
  AttrFixedStrings(f, "weight_names0", {"w0", "w1"}, 2, H5T_STR_NULLPAD, false);
  AttrFixedStrings(f, "weight_names1", {"w2"}, 2, H5T_STR_NULLPAD, false);
  AttrVlenStrings(f, "weight_names2", {"w3"}, false);

  // Groups listed in name order and in creation order.
  hid_t by_name = H5Gcreate2(f, "by_name", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (const char* n : {"b", "a", "c"}) {
    H5Gclose(H5Gcreate2(by_name, n, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  }
  H5Gclose(by_name);
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  hid_t by_creation = H5Gcreate2(f, "by_creation", H5P_DEFAULT, gcpl, H5P_DEFAULT);
  for (const char* n : {"b", "a", "c"}) {
    H5Gclose(H5Gcreate2(by_creation, n, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  }
  H5Gclose(by_creation);
  H5Pclose(gcpl);

  // Keras 2 layout: /model_weights/dense/dense/kernel:0.
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t dense = H5Gcreate2(f, "model_weights/dense/dense", lcpl, H5P_DEFAULT, H5P_DEFAULT);
  const float kernel[] = {1, 2, 3, -4, 0.5f, 6};
  Dataset(dense, "kernel:0", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {2, 3}, kernel);
  H5Gclose(dense);
  H5Pclose(lcpl);
  hid_t group = H5Gopen2(f, "model_weights/dense", H5P_DEFAULT);
  AttrFixedStrings(group, "weight_names", {"dense/kernel:0"}, 14, H5T_STR_NULLPAD, false);
  H5Gclose(group);

  // Every numeric type.
  hid_t f16 = Float16Type();
  const uint16_t halves[] = {0x3c00, 0xc000, 0x7bff, 0x0001, 0xfc00};
  Dataset(f, "f16", f16, f16, {5}, halves);
  H5Tclose(f16);
  const double doubles[] = {0.1, -1e300};
  Dataset(f, "f64be", H5T_IEEE_F64BE, H5T_NATIVE_DOUBLE, {2}, doubles);
  const int64_t i8[] = {-128, 127, 0};
  Dataset(f, "i8", H5T_STD_I8LE, H5T_NATIVE_LLONG, {3}, i8);
  const int64_t i16[] = {-32768, 32767, -1};
  Dataset(f, "i16be", H5T_STD_I16BE, H5T_NATIVE_LLONG, {3}, i16);
  const int64_t i32[] = {-2147483648LL, 2147483647, 5};
  Dataset(f, "i32", H5T_STD_I32LE, H5T_NATIVE_LLONG, {3}, i32);
  const int64_t i64[] = {std::numeric_limits<int64_t>::min(), int64_t{1} << 53, -7};
  Dataset(f, "i64be", H5T_STD_I64BE, H5T_NATIVE_LLONG, {3}, i64);
  const uint64_t u8[] = {0, 255, 7};
  Dataset(f, "u8", H5T_STD_U8LE, H5T_NATIVE_ULLONG, {3}, u8);
  const uint64_t u16[] = {0, 65535, 7};
  Dataset(f, "u16be", H5T_STD_U16BE, H5T_NATIVE_ULLONG, {3}, u16);
  const uint64_t u32[] = {0, 4294967295u, 7};
  Dataset(f, "u32", H5T_STD_U32LE, H5T_NATIVE_ULLONG, {3}, u32);
  const uint64_t u64[] = {0, uint64_t{1} << 63, 7};
  Dataset(f, "u64", H5T_STD_U64LE, H5T_NATIVE_ULLONG, {3}, u64);

  // h5py's bool: an enum over int8.
  hid_t boolean = H5Tenum_create(H5T_NATIVE_INT8);
  int8_t v = 0;
  H5Tenum_insert(boolean, "FALSE", &v);
  v = 1;
  H5Tenum_insert(boolean, "TRUE", &v);
  const int8_t bools[] = {1, 0, 1};
  Dataset(f, "bool", boolean, boolean, {3}, bools);
  H5Tclose(boolean);

  const double scalar = 2.5;
  Dataset(f, "scalar", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {}, &scalar, H5Screate(H5S_SCALAR));
  Dataset(f, "empty", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {0, 3}, nullptr);
  Dataset(f, "null", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {}, nullptr, H5Screate(H5S_NULL));

  hid_t str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, 5);
  Dataset(f, "text", str, str, {1}, "hello");
  H5Tclose(str);

  // Shapes that would need giant allocations: a huge chunked dataset with no chunks written,
  // and a 1 GiB contiguous dataset whose storage was never allocated.
  hsize_t huge_dims[] = {hsize_t{1} << 20, hsize_t{1} << 20, 4};
  hsize_t chunk[] = {1, 1, 4};
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 3, chunk);
  hid_t huge_space = H5Screate_simple(3, huge_dims, nullptr);
  H5Dclose(H5Dcreate2(f, "huge", H5T_IEEE_F32LE, huge_space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  H5Sclose(huge_space);
  H5Pclose(dcpl);
  hsize_t gig = hsize_t{1} << 28;
  hid_t gig_space = H5Screate_simple(1, &gig, nullptr);
  H5Dclose(H5Dcreate2(f, "gig", H5T_IEEE_F32LE, gig_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Sclose(gig_space);

  EXPECT_GE(H5Fclose(f), 0);
  return path;
}

std::vector<double> Values(const Hdf5File& file, const std::string& path) {
  auto a = file.ReadDataset(path);
  EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message());
  return a.ok() ? a->values : std::vector<double>{};
}

void ExpectError(const Result<std::string>& r, const std::string& message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), message);
}

class Hdf5FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = WriteTestFile(dir_);
    auto file = Hdf5File::Open(path_);
    ASSERT_TRUE(file.ok()) << file.error().message();
    file_.emplace(std::move(*file));
  }
  const Hdf5File& file() const { return *file_; }

  TempDir dir_;
  std::string path_;
  std::optional<Hdf5File> file_;
};

TEST_F(Hdf5FileTest, FindsObjects) {
  EXPECT_EQ(file().name(), path_);
  EXPECT_TRUE(file().Exists("/"));
  EXPECT_TRUE(file().Exists("/model_weights/dense/dense/kernel:0"));
  EXPECT_TRUE(file().Exists("model_weights/dense/"));
  EXPECT_FALSE(file().Exists("/model_weights/nope/kernel:0"));
  EXPECT_FALSE(file().Exists("/model_weights/dense/dense/kernel:0/below"));
  EXPECT_TRUE(file().IsGroup("/model_weights"));
  EXPECT_FALSE(file().IsGroup("/f16"));
  EXPECT_TRUE(file().IsDataset("f16"));
  EXPECT_FALSE(file().IsDataset("/model_weights"));
  EXPECT_FALSE(file().IsDataset("/missing"));
}

TEST_F(Hdf5FileTest, ListsChildrenInNameOrCreationOrder) {
  auto by_name = file().Children("/by_name");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(*by_name, (std::vector<std::string>{"a", "b", "c"}));
  auto by_creation = file().Children("by_creation");
  ASSERT_TRUE(by_creation.ok());
  EXPECT_EQ(*by_creation, (std::vector<std::string>{"b", "a", "c"}));
  auto weights = file().Children("/model_weights/dense/dense");
  ASSERT_TRUE(weights.ok());
  EXPECT_EQ(*weights, std::vector<std::string>{"kernel:0"});

  auto missing = file().Children("/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), path_ + ": no group '/nope'");
  auto dataset = file().Children("/f16");
  ASSERT_FALSE(dataset.ok());
  EXPECT_EQ(dataset.error().message(), path_ + ": '/f16' is not a group");
}

TEST_F(Hdf5FileTest, ReadsStringAttributes) {
  EXPECT_TRUE(file().HasAttribute("/", "model_config"));
  EXPECT_FALSE(file().HasAttribute("/", "nope"));
  EXPECT_FALSE(file().HasAttribute("/missing", "model_config"));
  auto config = file().ReadStringAttribute("/", "model_config");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(*config, R"({"class_name": "Sequential"})");
  EXPECT_EQ(*file().ReadStringAttribute("/", "keras_version"), "2.9.0");
  EXPECT_EQ(*file().ReadStringAttribute("/", "spaced"), "abc");
  EXPECT_EQ(*file().ReadStringAttribute("/", "exact"), "full");
  EXPECT_EQ(*file().ReadStringAttribute("/", "char_array"), "hi");

  ExpectError(file().ReadStringAttribute("/", "nope"), path_ + ": '/' has no attribute 'nope'");
  ExpectError(file().ReadStringAttribute("/missing", "x"), path_ + ": no object '/missing'");
  ExpectError(file().ReadStringAttribute("/", "numbers"),
              path_ + ": attribute 'numbers' of '/': not a string (the type is float)");
  ExpectError(file().ReadStringAttribute("/", "layer_names"),
              path_ + ": attribute 'layer_names' of '/': holds 3 strings; expected one");
}

TEST_F(Hdf5FileTest, ReadsStringListAttributes) {
  using Strings = std::vector<std::string>;
  auto names = file().ReadStringListAttribute("/", "layer_names");
  ASSERT_TRUE(names.ok()) << names.error().message();
  EXPECT_EQ(*names, (Strings{"dense", "dense_1", "x"}));
  EXPECT_EQ(*file().ReadStringListAttribute("/", "vlen_names"), (Strings{"a", "", "ccc"}));
  EXPECT_EQ(*file().ReadStringListAttribute("/", "empty_list"), Strings{});
  EXPECT_EQ(*file().ReadStringListAttribute("/", "model_config"),
            Strings{R"({"class_name": "Sequential"})"});
  EXPECT_EQ(*file().ReadStringListAttribute("/model_weights/dense", "weight_names"),
            Strings{"dense/kernel:0"});
  // Chunks weight_names0, weight_names1, weight_names2 are joined in order.
  auto chunked = file().ReadStringListAttribute("/", "weight_names");
  ASSERT_TRUE(chunked.ok()) << chunked.error().message();
  EXPECT_EQ(*chunked, (Strings{"w0", "w1", "w2", "w3"}));

  auto missing = file().ReadStringListAttribute("/", "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), path_ + ": '/' has no attribute 'nope'");
  auto numbers = file().ReadStringListAttribute("/", "numbers");
  ASSERT_FALSE(numbers.ok());
  EXPECT_EQ(numbers.error().message(),
            path_ + ": attribute 'numbers' of '/': not a list of strings (the type is float)");
}

TEST_F(Hdf5FileTest, ReadsFloatDatasets) {
  auto kernel = file().ReadDataset("/model_weights/dense/dense/kernel:0");
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(kernel->values, (std::vector<double>{1, 2, 3, -4, 0.5, 6}));
  EXPECT_EQ(Values(file(), "f16"), (std::vector<double>{1.0, -2.0, 65504.0, std::ldexp(1, -24),
                                                        -std::numeric_limits<double>::infinity()}));
  EXPECT_EQ(Values(file(), "f64be"), (std::vector<double>{0.1, -1e300}));
  auto scalar = file().ReadDataset("scalar");
  ASSERT_TRUE(scalar.ok());
  EXPECT_TRUE(scalar->shape.empty());
  EXPECT_EQ(scalar->values, std::vector<double>{2.5});
  auto empty = file().ReadDataset("empty");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->shape, (std::vector<int64_t>{0, 3}));
  EXPECT_TRUE(empty->values.empty());
  auto null = file().ReadDataset("null");
  ASSERT_TRUE(null.ok());
  EXPECT_EQ(null->shape, std::vector<int64_t>{0});
}

TEST_F(Hdf5FileTest, ReadsIntegerAndBoolDatasets) {
  EXPECT_EQ(Values(file(), "i8"), (std::vector<double>{-128, 127, 0}));
  EXPECT_EQ(Values(file(), "i16be"), (std::vector<double>{-32768, 32767, -1}));
  EXPECT_EQ(Values(file(), "i32"), (std::vector<double>{-2147483648.0, 2147483647, 5}));
  EXPECT_EQ(Values(file(), "i64be"),
            (std::vector<double>{-9223372036854775808.0, 9007199254740992.0, -7}));
  EXPECT_EQ(Values(file(), "u8"), (std::vector<double>{0, 255, 7}));
  EXPECT_EQ(Values(file(), "u16be"), (std::vector<double>{0, 65535, 7}));
  EXPECT_EQ(Values(file(), "u32"), (std::vector<double>{0, 4294967295.0, 7}));
  EXPECT_EQ(Values(file(), "u64"), (std::vector<double>{0, 9223372036854775808.0, 7}));
  EXPECT_EQ(Values(file(), "bool"), (std::vector<double>{1, 0, 1}));
}

TEST_F(Hdf5FileTest, RefusesUnsupportedAndGiantDatasets) {
  auto text = file().ReadDataset("/text");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message(),
            path_ + ": dataset '/text': unsupported type (string, 5 bytes)");
  auto huge = file().ReadDataset("/huge");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().message(), path_ +
                                        ": dataset '/huge': shape (1048576, 1048576, 4) has "
                                        "more than 2147483648 elements");
  auto gig = file().ReadDataset("/gig");
  ASSERT_FALSE(gig.ok());
  EXPECT_EQ(gig.error().message().rfind(
                path_ + ": dataset '/gig': shape (268435456,) needs 1073741824 bytes", 0),
            0u)
      << gig.error().message();
  auto missing = file().ReadDataset("/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), path_ + ": no dataset '/nope'");
  auto group = file().ReadDataset("/model_weights");
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().message(), path_ + ": '/model_weights' is not a dataset");
}

TEST_F(Hdf5FileTest, OpensInMemoryImage) {
  auto image = Hdf5File::OpenImage(testing::ReadAll(path_), "model.keras/model.weights.h5");
  ASSERT_TRUE(image.ok()) << image.error().message();
  EXPECT_EQ(image->name(), "model.keras/model.weights.h5");
  EXPECT_EQ(Values(*image, "f16"), Values(file(), "f16"));
  EXPECT_EQ(*image->ReadStringListAttribute("/", "layer_names"),
            *file().ReadStringListAttribute("/", "layer_names"));
  auto missing = image->ReadDataset("/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "model.keras/model.weights.h5: no dataset '/nope'");
}

TEST_F(Hdf5FileTest, MovesOwnership) {
  Hdf5File moved = std::move(*file_);
  EXPECT_TRUE(moved.IsDataset("f16"));
  EXPECT_FALSE(file_->Exists("f16"));  // NOLINT(bugprone-use-after-move): moved-from is empty
  auto other = Hdf5File::OpenImage(testing::ReadAll(path_), "copy.h5");
  ASSERT_TRUE(other.ok());
  moved = std::move(*other);
  EXPECT_EQ(moved.name(), "copy.h5");
  EXPECT_TRUE(moved.IsDataset("f16"));
}

void ExpectOpenError(const Result<Hdf5File>& r, const std::string& name) {
  ASSERT_FALSE(r.ok()) << "opened " << name;
  EXPECT_EQ(r.error().message().rfind(name + ": ", 0), 0u) << r.error().message();
}

TEST_F(Hdf5FileTest, DamagedFilesAreErrorsWithoutHdf5Output) {
  std::string good = testing::ReadAll(path_);
  ASSERT_GT(good.size(), 1000u);
  ::testing::internal::CaptureStderr();
  for (size_t n = 0; n < good.size(); n += good.size() / 40) {
    std::string cut = good.substr(0, n);
    ExpectOpenError(Hdf5File::Open(dir_.Write("cut.h5", cut)), dir_.Path("cut.h5"));
    ExpectOpenError(Hdf5File::OpenImage(cut, "cut image"), "cut image");
  }
  ExpectOpenError(Hdf5File::Open(dir_.Path("missing.h5")), dir_.Path("missing.h5"));
  ExpectOpenError(Hdf5File::Open(dir_.Write("text.h5", "{\"not\": \"hdf5\"}")),
                  dir_.Path("text.h5"));
  // The signature followed by pseudo-random bytes.
  std::string noise("\x89HDF\r\n\x1a\n", 8);
  uint32_t state = 99;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1103515245u + 12345u;
    noise.push_back(static_cast<char>(state >> 16));
  }
  ExpectOpenError(Hdf5File::Open(dir_.Write("noise.h5", noise)), dir_.Path("noise.h5"));
  ExpectOpenError(Hdf5File::OpenImage(noise, "noise image"), "noise image");
  ExpectOpenError(Hdf5File::OpenImage("", "empty image"), "empty image");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace fixnn::io
