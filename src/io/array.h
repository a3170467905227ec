// Array: a dense n-dimensional array of numbers as read from a weight or data file. Values are
// held as doubles (exact for every float16/float32 value and every integer up to 2^53) in
// row-major (C) order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fixnn::io {

struct Array {
  std::vector<int64_t> shape;  // empty for a scalar
  std::vector<double> values;  // row-major; size is the product of shape
};

// Product of the dimensions (1 for a scalar shape).
int64_t NumElements(const std::vector<int64_t>& shape);

// "(64, 10)", "(3,)", "()" like numpy prints shapes.
std::string ShapeToString(const std::vector<int64_t>& shape);

}  // namespace fixnn::io
