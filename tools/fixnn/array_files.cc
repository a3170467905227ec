#include "tools/fixnn/array_files.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/npy.h"
#include "tools/fixnn/model_loading.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;

std::string Extension(const std::string& path) { return fs::path(path).extension().string(); }

// One sample per row; a first line that is not numbers is a header.
Result<io::Array> ReadCsv(const std::string& path, int64_t per_sample) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(fmt::format("{}: cannot open the file", path));
  io::Array a;
  std::string line;
  int64_t line_no = 0, rows = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::vector<double> row;
    bool numeric = true;
    std::string_view rest = line;
    while (true) {
      const size_t comma = rest.find(',');
      std::string_view cell = rest.substr(0, comma);
      while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
      while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
      double v = 0;
      auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (cell.empty() || ec != std::errc() || end != cell.data() + cell.size()) {
        numeric = false;
        break;
      }
      row.push_back(v);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (!numeric) {
      if (rows == 0 && a.values.empty() && line_no == 1) continue;  // a header
      return Error(fmt::format("{}:{}: not a row of numbers", path, line_no));
    }
    if (static_cast<int64_t>(row.size()) != per_sample) {
      return Error(fmt::format("{}:{}: {} values; a sample of this input has {}", path, line_no,
                               row.size(), per_sample));
    }
    a.values.insert(a.values.end(), row.begin(), row.end());
    ++rows;
  }
  if (rows == 0) return Error(fmt::format("{}: no samples in the file", path));
  a.shape = {rows, per_sample};
  return a;
}

// Shapes a read array as [N, shape...] of the input, checking its values.
Result<emulator::Batch> AsBatch(io::Array a, const std::string& file, const std::string& input,
                                const ir::Shape& shape, bool flat_rows) {
  emulator::Batch b;
  b.shape = a.shape;
  const int64_t per = ir::NumElements(shape);
  if (flat_rows) {
    b.shape = shape;
    b.shape.insert(b.shape.begin(), a.shape.at(0));
  } else if (b.shape == shape) {
    b.shape.insert(b.shape.begin(), 1);  // a single sample
  }
  const ir::Shape per_sample(b.shape.begin() + (b.shape.empty() ? 0 : 1), b.shape.end());
  if (b.shape.empty() || per_sample != shape) {
    return Error(fmt::format("{}: shape {} does not hold samples of input '{}', shape {}", file,
                             io::ShapeToString(a.shape), input, ir::ToString(shape)));
  }
  for (size_t k = 0; k < a.values.size(); ++k) {
    if (!std::isfinite(a.values[k])) {
      return Error(fmt::format("{}: sample {}, element {}: {} is not a number fixnn can convert",
                               file, static_cast<int64_t>(k) / per, static_cast<int64_t>(k) % per,
                               a.values[k]));
    }
  }
  b.values = std::move(a.values);
  return b;
}

}  // namespace

Result<std::vector<emulator::Batch>> ReadModelInputs(const std::vector<std::string>& files,
                                                     const ir::Graph& g) {
  const std::vector<std::string>& names = g.inputs();
  std::vector<emulator::Batch> batches;
  if (files.size() == 1 && Extension(files[0]) == ".npz") {
    Result<std::map<std::string, io::Array>> z = io::ReadNpz(files[0]);
    if (!z.ok()) return z.error();
    if (z->size() != names.size()) {
      return Error(fmt::format("{}: {} arrays; the model has {} input(s) ({})", files[0], z->size(),
                               names.size(), fmt::join(names, ", ")));
    }
    bool by_name = true;
    for (const std::string& n : names) by_name = by_name && z->count(n) > 0;
    auto next = z->begin();
    for (const std::string& n : names) {
      io::Array a = by_name ? (*z)[n] : (next++)->second;
      Result<emulator::Batch> b = AsBatch(std::move(a), files[0], n, g.FindTensor(n)->shape, false);
      if (!b.ok()) return b.error();
      batches.push_back(std::move(b).value());
    }
  } else {
    if (files.size() != names.size()) {
      return Error(fmt::format(
          "the model has {} input(s) ({}); give one -i file for each, in order, or one .npz",
          names.size(), fmt::join(names, ", ")));
    }
    for (size_t i = 0; i < files.size(); ++i) {
      const ir::Shape& shape = g.FindTensor(names[i])->shape;
      const bool csv = Extension(files[i]) == ".csv";
      Result<io::Array> a = csv ? ReadCsv(files[i], ir::NumElements(shape)) : io::ReadNpy(files[i]);
      if (!a.ok()) return a.error();
      Result<emulator::Batch> b = AsBatch(std::move(a).value(), files[i], names[i], shape, csv);
      if (!b.ok()) return b.error();
      batches.push_back(std::move(b).value());
    }
  }
  for (size_t i = 1; i < batches.size(); ++i) {
    if (batches[i].shape[0] != batches[0].shape[0]) {
      return Error(fmt::format("input '{}' has {} samples, input '{}' {}", names[i],
                               batches[i].shape[0], names[0], batches[0].shape[0]));
    }
  }
  return batches;
}

Status WriteBatchFile(const std::string& path, const emulator::Batch& batch, bool force) {
  if (Extension(path) == ".csv") {
    const int64_t rows = batch.shape.empty() ? 1 : batch.shape[0];
    const int64_t per = rows > 0 ? static_cast<int64_t>(batch.values.size()) / rows : 0;
    std::string text;
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t k = 0; k < per; ++k) {
        if (k > 0) text += ',';
        text += fmt::format("{:.17g}", batch.values[static_cast<size_t>(r * per + k)]);
      }
      text += '\n';
    }
    return WriteFileAtomically(path, text, force);
  }
  Result<std::string> bytes =
      io::EncodeNpy(io::Array{batch.shape, batch.values}, io::NpyDtype::kFloat64);
  if (!bytes.ok()) return bytes.error();
  return WriteFileAtomically(path, *bytes, force);
}

}  // namespace fixnn::cli
