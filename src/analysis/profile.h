// Numerical profile of a configured model on data: for every layer output and every weight,
// the values the model computes (in floating point, and in fixed point as the chip does)
// against the range of the type they are stored in, and how many fixed-point values wrapped or
// saturated. What `fixnn profile`, the HTML report and fixnn.profiling show.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/emulator.h"
#include "fixed/fixed_type.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::analysis {

// Quartiles and extremes of |x| over the nonzero values (for box plots on a log2 axis, as
// hls4ml's numerical profiling draws them).
struct AbsBox {
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
  int64_t nonzero = 0;
};

struct ValueStats {
  int64_t count = 0;
  double min = 0, max = 0;
  AbsBox abs;
};

// The integer bits a signed (or, for non-negative values, unsigned) type needs so that every
// value in [min, max] is inside its range: ap_fixed<W, I> holds [-2^(I-1), 2^(I-1)).
int IntegerBitsNeeded(double min, double max, bool is_signed);

struct TensorProfile {
  std::string layer;                     // the node's name
  std::string tensor;                    // the tensor (or weight) name
  std::string kind;                      // "output" or "weight"
  std::optional<fixed::FixedType> type;  // nullopt: per-element types or none configured
  double type_min = 0, type_max = 0;     // the type's range (when type is set)
  ValueStats float_values;               // floating point (reference executor); weights: values
  ValueStats fixed_values;               // the emulator's values (outputs only)
  int integer_bits_needed = 0;           // for float_values
  int64_t out_of_range = 0;              // fixed-point values that wrapped or saturated at the
                                         // node's casts (outputs: run; weights: storing)
  bool fits() const;                     // the float range is inside the type's range
};

struct ModelProfile {
  int64_t samples = 0;
  std::vector<TensorProfile> tensors;  // graph order: a node's weights, then its outputs
  // The model's outputs from the two runs (graph.outputs() order), so that a caller comparing
  // them need not run the model again.
  std::vector<emulator::Batch> fixed_outputs;
  std::vector<emulator::Batch> float_outputs;
};

struct ProfileOptions {
  // Values kept per tensor for the quartiles (the first ones met); extremes use every value.
  int64_t max_kept_values = 200000;
};

// Runs the model on `inputs` in floating point and in fixed point. Errors: those of
// emulator::Emulator (an op not handled) and of the inputs (shape, NaN).
Result<ModelProfile> ProfileModel(const ir::Graph& configured,
                                  const std::vector<emulator::Batch>& inputs,
                                  const ProfileOptions& options = {});

// A text table, one row per tensor: type, its range, float and fixed ranges, integer bits
// needed, out-of-range counts, and a mark where the float range leaves the type's.
std::string FormatProfile(const ModelProfile& profile);

}  // namespace fixnn::analysis
