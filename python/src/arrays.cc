#include "arrays.h"

#include <fmt/format.h>

#include <cmath>

#include "errors.h"

namespace fixnn::python {

OutArray ToNumpy(std::vector<double>&& values, const std::vector<int64_t>& shape) {
  auto* owned = new std::vector<double>(std::move(values));
  nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<double>*>(p); });
  std::vector<size_t> dims(shape.begin(), shape.end());
  return OutArray(owned->data(), dims.size(), dims.data(), owner);
}

std::vector<reference::Batch> ToBatches(const std::vector<InArray>& arrays, const ir::Graph& graph,
                                        bool* single_sample) {
  const std::vector<std::string>& names = graph.inputs();
  if (arrays.size() != names.size()) {
    Raise(Error(fmt::format("the model has {} input(s) ({}); give one array for each, in order",
                            names.size(), fmt::join(names, ", "))));
  }
  *single_sample = false;
  std::vector<reference::Batch> batches;
  for (size_t i = 0; i < arrays.size(); ++i) {
    const InArray& a = arrays[i];
    const std::string what = arrays.size() == 1 ? "X" : fmt::format("X[{}]", i);
    const ir::Shape& shape = graph.FindTensor(names[i])->shape;
    reference::Batch b;
    for (size_t d = 0; d < a.ndim(); ++d) b.shape.push_back(static_cast<int64_t>(a.shape(d)));
    const ir::Shape given = b.shape;
    if (b.shape == shape) {  // one sample
      b.shape.insert(b.shape.begin(), 1);
      *single_sample = true;
    }
    const ir::Shape per_sample(b.shape.begin() + (b.shape.empty() ? 0 : 1), b.shape.end());
    if (b.shape.empty() || per_sample != shape) {
      Raise(Error(fmt::format("{}: shape {} does not hold samples of input '{}', shape {}", what,
                              ir::ToString(given), names[i], ir::ToString(shape))));
    }
    const int64_t per = ir::NumElements(shape);
    const double* data = a.data();
    const size_t size = a.size();
    for (size_t k = 0; k < size; ++k) {
      if (!std::isfinite(data[k])) {
        Raise(Error(fmt::format("{}: sample {}, element {}: {} is not a number fixnn can convert",
                                what, static_cast<int64_t>(k) / per, static_cast<int64_t>(k) % per,
                                data[k])));
      }
    }
    b.values.assign(data, data + size);
    batches.push_back(std::move(b));
  }
  return batches;
}

nb::list ToNumpyList(std::vector<reference::Batch>&& batches, bool single_sample) {
  nb::list out;
  for (reference::Batch& b : batches) {
    std::vector<int64_t> shape = b.shape;
    if (single_sample && !shape.empty()) shape.erase(shape.begin());
    out.append(ToNumpy(std::move(b.values), shape));
  }
  return out;
}

}  // namespace fixnn::python
