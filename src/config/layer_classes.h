// How fixnn's nodes map onto hls4ml's layer classes, which hls4ml's LayerType keys and
// precision keys are written against.
//
// hls4ml matches HLSConfig.LayerType against its own layer class, not the framework's:
// "Dense" selects Dense, QDense, BinaryDense and TernaryDense; "Pooling2D" both
// MaxPooling2D and AveragePooling2D; "Softmax" an Activation('softmax'). Its
// config_from_keras_model, however, writes the Keras class ("QDense"). fixnn accepts both.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/hls_config.h"
#include "ir/graph.h"

namespace fixnn::config {

// hls4ml's layer class for `node`, from its op and attributes: "Input", "Dense", "Conv2D",
// "Pooling2D", "GlobalPooling1D", "Activation", "Softmax", "ParametrizedActivation",
// "HardActivation", "Merge", "Reshape", "Transpose", "Resize", "LSTM", ...
std::string Hls4mlClassName(const ir::Node& node);

// The hls4ml class a Keras, QKeras, HGQ or hls4ml class name stands for, ignoring case
// ("QDense" -> "Dense", "MaxPooling2D" -> "Pooling2D", "Add" -> "Merge", "Dense" -> "Dense").
// nullopt for a name neither knows.
std::optional<std::string_view> Hls4mlClassOf(std::string_view class_name);

// The LayerType keys that select `node`, most specific first (see Resolve): normally
// {source, hls4ml class}; {hls4ml class, source} when the source is a generic Activation
// refined by its function (softmax -> "Softmax"). One entry when both are the same.
std::vector<std::string> LayerTypeKeys(const ir::Node& node);

// The Precision key that sets the storage type of `node`'s weight `weight_name`, as hls4ml
// names it: Dense/Conv kernel -> "weight", SeparableConv depthwise_kernel -> "depthwise",
// recurrent_kernel -> "recurrent_weight", Embedding embeddings -> "embeddings", PReLU alpha
// -> "param", Bidirectional forward_kernel -> "forward_weight", ... Unknown names map to
// themselves.
std::string PrecisionKeyForWeight(const ir::Node& node, std::string_view weight_name);

// The entry hls4ml 1.3's config_from_keras_model writes for a layer of `hls4ml_class` with
// the Vivado/Vitis backend: Trace, Precision (auto, or the attribute's default type for
// tables), ReuseFactor and the class's other configurable settings at their defaults.
LayerConfig DefaultLayerEntry(std::string_view hls4ml_class, int64_t reuse_factor);

}  // namespace fixnn::config
