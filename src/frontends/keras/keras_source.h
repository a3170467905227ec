// Opens a Keras model in any of the formats Keras writes, found from the content (magic
// bytes), not the file name:
// - `.keras` archive (zip: config.json, metadata.json, model.weights.h5);
// - full-model HDF5 (`model_config` attribute, weights under /model_weights), Keras 2 and 3;
// - JSON architecture (`to_json()`) with a weights file: a legacy weights-only HDF5, a
//   Keras 3 `.weights.h5`, or a full-model HDF5.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "frontends/keras/weight_store.h"
#include "support/result.h"

namespace fixnn::frontends::keras {

struct KerasSource {
  nlohmann::json model;       // {"class_name": ..., "config": ...}
  std::string keras_version;  // "2.14.0", "3.15.1", or "" when the file does not say
  int keras_major = 2;
  std::unique_ptr<WeightStore> weights;
  std::string file_name;  // for messages
};

// `weights_path` is needed only with a JSON architecture; when empty, the files that Keras and
// hls4ml users put beside it are tried: <stem>_weights.h5, <stem>.weights.h5, model_weights.h5,
// model.weights.h5.
Result<KerasSource> OpenKerasSource(const std::string& path, const std::string& weights_path);

// The weights file beside a JSON architecture, by the names above; "" when there is none.
std::string FindWeightsBeside(const std::string& json_path);

}  // namespace fixnn::frontends::keras
