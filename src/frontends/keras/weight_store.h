// Where a Keras file keeps a layer's weights. Two layouts exist:
// - legacy HDF5 (Keras 2 and Keras 3 `.h5`, full models and save_weights files): one group per
//   top-level layer, whose `weight_names` attribute lists dataset paths such as
//   "dense/kernel:0" or "inner_model/conv/kernel" in the layer's weight order;
// - Keras 3 (`.keras` archives and `.weights.h5`): datasets `<object path>/vars/<i>`, where the
//   object path comes from the class names of the model's layers (see keras_object_path.h), and
//   the names of the variables are not stored (their order is the layer's creation order).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/array.h"
#include "io/hdf5_file.h"
#include "support/result.h"

namespace fixnn::frontends::keras {

// Identifies one layer for weight lookup.
struct LayerRef {
  std::string top_level_name;  // name of the enclosing top-level layer (itself if not nested)
  std::string name;            // the layer's own name
  std::string object_path;     // Keras 3 object path, e.g. "layers/sequential/layers/conv2d"
};

// A layer's weights in file order. `names` are the base names ("kernel", "bias", ...) when the
// layout stores them, and `paths` the part of the stored name before the base name
// ("forward_lstm/lstm_cell" for a Bidirectional's forward kernel).
struct StoredWeights {
  bool named = false;
  std::vector<std::string> names;
  std::vector<std::string> paths;
  std::vector<io::Array> arrays;
};

class WeightStore {
 public:
  virtual ~WeightStore() = default;
  // `sub` selects a part of a composite layer: "cell", "forward_layer/cell",
  // "backward_layer/cell" (Keras 3 object paths; the legacy layout filters by the stored path).
  virtual Result<StoredWeights> Get(const LayerRef& layer, const std::string& sub) const = 0;
  virtual const std::string& file_name() const = 0;
};

// `prefix` is "model_weights" for a full-model file and "" for a weights-only file.
std::unique_ptr<WeightStore> MakeLegacyStore(io::Hdf5File file, std::string prefix,
                                             std::string file_name);
std::unique_ptr<WeightStore> MakeVarsStore(io::Hdf5File file, std::string file_name);

}  // namespace fixnn::frontends::keras
