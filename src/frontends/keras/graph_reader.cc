// Walks a Keras model description (Sequential or functional, possibly nested) and calls the
// layer builders in dependency order.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "frontends/keras/keras_frontend.h"
#include "frontends/keras/keras_source.h"
#include "frontends/keras/layer_builder.h"
#include "frontends/keras/node_names.h"
#include "ir/shape_inference.h"

namespace fixnn::frontends::keras {
namespace {

using nlohmann::json;

// The string at `key`: `fallback` when absent or null, nullopt when it is another type.
std::optional<std::string> StringAt(const json& j, const char* key, const std::string& fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The object at `key`, or an empty object.
const json& ObjectAt(const json& j, const char* key) {
  static const json kEmpty = json::object();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

bool IsModelClass(const std::string& c) {
  return c == "Sequential" || c == "Functional" || c == "Model";
}

// Keras 3 object paths: each layer list names its members by snake-cased class name, with
// "_1", "_2", ... for repeats (see the comment in weight_store.h).
std::string SnakeCase(const std::string& name) {
  std::string clean;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') clean += c;
  }
  // "(.)([A-Z][a-z]+)" -> "\1_\2", then "([a-z])([A-Z])" -> "\1_\2", then lower case.
  std::string a;
  for (size_t i = 0; i < clean.size(); ++i) {
    if (i > 0 && std::isupper(static_cast<unsigned char>(clean[i])) && i + 1 < clean.size() &&
        std::islower(static_cast<unsigned char>(clean[i + 1]))) {
      a += '_';
    }
    a += clean[i];
  }
  std::string b;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && std::isupper(static_cast<unsigned char>(a[i])) &&
        std::islower(static_cast<unsigned char>(a[i - 1]))) {
      b += '_';
    }
    b += static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
  }
  return b;
}

class UniqueNames {
 public:
  std::string Next(const std::string& base) {
    auto it = used_.find(base);
    if (it == used_.end()) {
      used_[base] = 0;
      return base;
    }
    return fmt::format("{}_{}", base, ++it->second);
  }

 private:
  std::map<std::string, int> used_;
};

// A reference to a layer's output: (layer, call index, output index).
using TensorKey = std::tuple<std::string, int64_t, int64_t>;

class Reader {
 public:
  Reader(const KerasSource& source, ir::Graph& graph)
      : src_(source), graph_(graph), names_(source.keras_major) {}

  // Reads `model` ({"class_name", "config"}). Top level: `bound_inputs` is empty and the
  // model's inputs become graph inputs. Nested: the model's inputs are bound to the given
  // tensors. `prefix` locates nested layers in messages ("inner/"); node names have no prefix
  // (node_names.h). Returns the model's output tensors.
  Result<std::vector<std::string>> ReadModel(const json& model, const std::string& prefix,
                                             const std::string& object_path,
                                             const std::string& top_level,
                                             const std::vector<std::string>& bound_inputs) {
    std::optional<std::string> class_name = StringAt(model, "class_name", "");
    if (!class_name) return Fail(prefix, "the model's class_name is not a string");
    if (!model.contains("config")) return Fail(prefix, "a model without config");
    const json& config = model["config"];
    if (*class_name == "Sequential") {
      return ReadSequential(config, prefix, object_path, top_level, bound_inputs);
    }
    if (*class_name == "Functional" || *class_name == "Model") {
      return ReadFunctional(config, prefix, object_path, top_level, bound_inputs);
    }
    return Error(
        fmt::format("{}: model class '{}' is not supported (Sequential or functional "
                    "models only)",
                    src_.file_name, *class_name));
  }

 private:
  Error Fail(const std::string& layer, const std::string& message) const {
    if (layer.empty()) return Error(fmt::format("{}: {}", src_.file_name, message));
    return Error(fmt::format("{}: layer '{}': {}", src_.file_name, layer, message));
  }

  // Input shape without the batch axis, from an InputLayer or a first layer's config.
  Result<ir::Shape> InputShape(const json& config, const std::string& layer) const {
    const json* shape = nullptr;
    for (const char* key : {"batch_shape", "batch_input_shape"}) {
      if (config.contains(key) && !config[key].is_null()) shape = &config[key];
    }
    if (shape == nullptr || !shape->is_array() || shape->empty()) {
      return Fail(layer, "the input shape is not given (no batch_shape / batch_input_shape)");
    }
    ir::Shape out;
    for (size_t i = 1; i < shape->size(); ++i) {
      const json& d = (*shape)[i];
      if (!d.is_number_integer() || d.get<int64_t>() < 1) {
        return Fail(layer, fmt::format("input dimension {} is {}; fixnn needs every dimension "
                                       "of the input fixed",
                                       i, d.dump()));
      }
      out.push_back(d.get<int64_t>());
    }
    return out;
  }

  Status AddGraphInput(const std::string& name, const json& config) {
    if (!config.is_object()) return Fail(name, "the input layer has no config");
    Result<ir::Shape> shape = InputShape(config, name);
    if (!shape.ok()) return shape.error();
    // Keras 3 may write the dtype as a policy object; only a name can mark integer inputs.
    std::string dtype = "float32";
    if (config.contains("dtype") && !config["dtype"].is_null()) {
      if (config["dtype"].is_string()) {
        dtype = config["dtype"].get<std::string>();
      } else if (!config["dtype"].is_object()) {
        return Fail(name,
                    fmt::format("the input's dtype {} is not a type name", config["dtype"].dump()));
      }
    }
    bool integer = dtype.rfind("int", 0) == 0 || dtype.rfind("uint", 0) == 0;
    if (Status s = graph_.AddInput(name, *shape, integer); !s.ok()) {
      return Fail(name, s.error().message());
    }
    return Status::Ok();
  }

  static std::string LayerName(const json& layer) {
    if (layer.contains("config") && layer["config"].is_object() &&
        layer["config"].contains("name") && layer["config"]["name"].is_string()) {
      return layer["config"]["name"].get<std::string>();
    }
    if (layer.contains("name") && layer["name"].is_string())
      return layer["name"].get<std::string>();
    return "";
  }

  // One call of one layer (a nested model is read in place).
  Result<std::vector<std::string>> CallLayer(const json& layer, const std::string& prefix,
                                             const std::string& object_path,
                                             const std::string& top_level,
                                             const std::vector<std::string>& inputs) {
    std::string class_name = layer["class_name"].get<std::string>();
    std::string name = LayerName(layer);
    if (IsModelClass(class_name)) {
      std::vector<std::string>& containers = graph_.container_names;
      if (std::find(containers.begin(), containers.end(), name) == containers.end()) {
        containers.push_back(name);
      }
      return ReadModel(layer, prefix + name + "/", object_path,
                       top_level.empty() ? name : top_level, inputs);
    }
    // hls4ml's Keras 3 reader turns no-op layers into linear activations with the layer's name,
    // so they take their name too.
    const std::string node_name = names_.Claim(name);
    const std::string where = prefix + node_name;
    if (IsInferenceNoOp(class_name)) {
      if (inputs.size() != 1) return Fail(where, "takes one input");
      return inputs;
    }
    // HGQ2 (Keras 3) reuses QKeras' class names (QDense, QConv2D...) with other weights and
    // semantics; its module tells them apart.
    const std::string module = StringAt(layer, "module", "").value_or("");
    if (module.rfind("hgq", 0) == 0) {
      return Fail(where, fmt::format("HGQ2 layer '{}' ({}) is not supported", class_name, module));
    }
    const auto& builders = LayerBuilders();
    auto it = builders.find(class_name);
    if (it == builders.end()) {
      return Fail(where, fmt::format("layer class '{}' is not supported", class_name));
    }
    if (!layer.contains("config") || !layer["config"].is_object()) {
      return Fail(where, "the layer has no config");
    }
    LayerCall call{
        graph_,
        src_,
        class_name,
        layer["config"],
        ConfigFields(layer["config"], fmt::format("{}: layer '{}'", src_.file_name, where)),
        LayerRef{top_level.empty() ? name : top_level, name, object_path},
        node_name,
        names_,
        inputs};
    return it->second(call);
  }

  Result<std::vector<std::string>> ReadSequential(const json& config, const std::string& prefix,
                                                  const std::string& object_path,
                                                  const std::string& top_level,
                                                  const std::vector<std::string>& bound) {
    const json* layers = &config;
    if (config.is_object()) {
      if (!config.contains("layers")) return Fail(prefix, "a Sequential model without layers");
      layers = &config["layers"];
    }
    if (!layers->is_array() || layers->empty())
      return Fail(prefix, "a Sequential model with no layers");
    if (!StringAt(config, "name", "sequential")) {
      return Fail(prefix,
                  fmt::format("the model's name {} is not a string", config["name"].dump()));
    }
    std::vector<std::string> current = bound;
    if (bound.size() > 1) return Fail(prefix, "a Sequential model takes one input");
    UniqueNames object_names;
    for (size_t i = 0; i < layers->size(); ++i) {
      const json& layer = (*layers)[i];
      if (!layer.is_object() || !layer.contains("class_name") || !layer["class_name"].is_string()) {
        return Fail(prefix, fmt::format("layer {} of the Sequential model is not a layer", i));
      }
      std::string class_name = layer["class_name"].get<std::string>();
      std::string name = LayerName(layer);
      if (name.empty()) return Fail(prefix, fmt::format("layer {} has no name", i));
      std::string path = object_path + "layers/" + object_names.Next(SnakeCase(class_name));
      if (class_name == "InputLayer") {
        if (current.empty()) {
          std::string input_name = names_.Claim(name);
          if (Status s = AddGraphInput(input_name, ObjectAt(layer, "config")); !s.ok())
            return s.error();
          current = {input_name};
        }
        continue;
      }
      if (current.empty()) {
        // No InputLayer (Keras before 2.4): the first layer carries the input shape
        // (batch_input_shape); Keras 2 names the input it makes "<first layer>_input".
        std::string input_name = names_.Claim(name + "_input");
        if (Status s = AddGraphInput(input_name, ObjectAt(layer, "config")); !s.ok()) {
          return s.error();
        }
        current = {input_name};
      }
      Result<std::vector<std::string>> out = CallLayer(
          layer, prefix, IsModelClass(class_name) ? path + "/" : path, top_level, current);
      if (!out.ok()) return out.error();
      if (out->size() != 1) {
        return Fail(prefix + name, "a layer with several outputs inside a Sequential model");
      }
      current = std::move(out).value();
    }
    return current;
  }

  // Keras 2: [name, node, tensor(, kwargs)]; Keras 3: {"class_name": "__keras_tensor__",
  // "config": {"keras_history": [name, node, tensor]}}.
  static std::optional<TensorKey> ParseTensorRef(const json& ref) {
    const json* history = &ref;
    if (ref.is_object()) {
      if (!ref.contains("config") || !ref["config"].is_object() ||
          !ref["config"].contains("keras_history")) {
        return std::nullopt;
      }
      history = &ref["config"]["keras_history"];
    }
    if (!history->is_array() || history->size() < 3 || !(*history)[0].is_string() ||
        !(*history)[1].is_number_integer() || !(*history)[2].is_number_integer()) {
      return std::nullopt;
    }
    return TensorKey{(*history)[0].get<std::string>(), (*history)[1].get<int64_t>(),
                     (*history)[2].get<int64_t>()};
  }

  static bool IsTensorRef(const json& v) {
    return v.is_object() && StringAt(v, "class_name", "").value_or("") == "__keras_tensor__";
  }

  // The tensors one inbound node reads.
  Result<std::vector<TensorKey>> ParseInboundNode(const json& node, const std::string& layer) {
    std::vector<TensorKey> keys;
    if (node.is_array()) {  // Keras 2
      for (const json& ref : node) {
        std::optional<TensorKey> key = ParseTensorRef(ref);
        if (!key) return Fail(layer, fmt::format("cannot read inbound node {}", ref.dump()));
        if (ref.size() >= 4 && ref[3].is_object()) {
          for (const auto& [k, v] : ref[3].items()) {
            if (v.is_array() || v.is_object()) {
              return Fail(layer,
                          fmt::format("call argument '{}' with tensors is not supported", k));
            }
          }
        }
        keys.push_back(*key);
      }
      return keys;
    }
    if (!node.is_object() || !node.contains("args") || !node["args"].is_array()) {
      return Fail(layer, fmt::format("cannot read inbound node {}", node.dump().substr(0, 200)));
    }
    for (const json& arg : node["args"]) {
      const json* list = &arg;
      json single = json::array();
      if (!arg.is_array()) {
        if (arg.is_object() && arg.contains("class_name") && !arg["class_name"].is_string()) {
          return Fail(layer, fmt::format("a call argument's class_name {} is not a string",
                                         arg["class_name"].dump()));
        }
        if (!IsTensorRef(arg)) continue;  // plain values (e.g. mask=None) are ignored
        single.push_back(arg);
        list = &single;
      }
      for (const json& ref : *list) {
        std::optional<TensorKey> key = ParseTensorRef(ref);
        if (!key) return Fail(layer, fmt::format("cannot read call argument {}", ref.dump()));
        keys.push_back(*key);
      }
    }
    if (node.contains("kwargs") && node["kwargs"].is_object()) {
      for (const auto& [k, v] : node["kwargs"].items()) {
        if (IsTensorRef(v) || (v.is_array() && !v.empty() && IsTensorRef(v[0]))) {
          return Fail(layer, fmt::format("call argument '{}' with tensors is not supported", k));
        }
      }
    }
    return keys;
  }

  // [[name, node, tensor], ...] or a single [name, node, tensor].
  Result<std::vector<TensorKey>> ParseEndpoints(const json& config, const std::string& key,
                                                const std::string& prefix) {
    std::vector<TensorKey> out;
    if (!config.contains(key) || !config[key].is_array()) {
      return Fail(prefix, fmt::format("a functional model without {}", key));
    }
    const json& list = config[key];
    if (!list.empty() && list[0].is_string()) {
      std::optional<TensorKey> k = ParseTensorRef(list);
      if (!k) return Fail(prefix, fmt::format("cannot read {} {}", key, list.dump()));
      out.push_back(*k);
      return out;
    }
    for (const json& e : list) {
      std::optional<TensorKey> k = ParseTensorRef(e);
      if (!k) return Fail(prefix, fmt::format("cannot read {} {}", key, e.dump()));
      out.push_back(*k);
    }
    return out;
  }

  // The error for calls that can never run: a missing producer when there is one, else a cycle.
  template <typename Pending>
  Error Stuck(const json& layers, const std::vector<Pending>& pending,
              const std::string& prefix) const {
    for (const Pending& stuck : pending) {
      for (const TensorKey& key : stuck.inputs) {
        const std::string& producer = std::get<0>(key);
        bool known = std::any_of(layers.begin(), layers.end(),
                                 [&](const json& l) { return LayerName(l) == producer; });
        if (!known) {
          return Fail(
              prefix + LayerName(layers[stuck.layer]),
              fmt::format("its input comes from layer '{}', which is not in the model", producer));
        }
      }
    }
    std::vector<std::string> waiting;
    for (const Pending& stuck : pending) waiting.push_back(LayerName(layers[stuck.layer]));
    return Fail(prefix + LayerName(layers[pending.front().layer]),
                fmt::format("the layers {} wait on each other's outputs (a cycle)",
                            fmt::join(waiting, ", ")));
  }

  // Moves the graph inputs to the front, in the model's input order (they were added in the
  // order their names were given).
  Status PutInputsFirst(const std::vector<std::string>& order) {
    const std::vector<ir::Node>& nodes = graph_.nodes();
    bool in_place = graph_.inputs() == order && nodes.size() >= order.size();
    for (size_t i = 0; in_place && i < order.size(); ++i) in_place = nodes[i].name == order[i];
    if (in_place) return Status::Ok();
    ir::Graph sorted;
    sorted.name = graph_.name;
    sorted.container_names = graph_.container_names;
    sorted.framework = graph_.framework;
    auto copy_node = [&](const ir::Node& node) {
      *sorted.FindNode(node.name) = node;
      for (const std::string& out : node.outputs) *sorted.FindTensor(out) = *graph_.FindTensor(out);
    };
    for (const std::string& input : order) {
      if (Status s = sorted.AddInput(input, {}); !s.ok()) return Fail(input, s.error().message());
      copy_node(*graph_.FindNode(input));
    }
    for (const ir::Node& node : nodes) {
      if (std::find(order.begin(), order.end(), node.name) != order.end()) continue;
      if (Status s = sorted.AddNode(node); !s.ok()) return Fail(node.name, s.error().message());
      copy_node(node);
    }
    graph_ = std::move(sorted);
    return Status::Ok();
  }

  Result<std::vector<std::string>> ReadFunctional(const json& config, const std::string& prefix,
                                                  const std::string& object_path,
                                                  const std::string& top_level,
                                                  const std::vector<std::string>& bound) {
    if (!config.is_object() || !config.contains("layers") || !config["layers"].is_array()) {
      return Fail(prefix, "a functional model without layers");
    }
    const json& layers = config["layers"];
    Result<std::vector<TensorKey>> input_keys = ParseEndpoints(config, "input_layers", prefix);
    if (!input_keys.ok()) return input_keys.error();
    Result<std::vector<TensorKey>> output_keys = ParseEndpoints(config, "output_layers", prefix);
    if (!output_keys.ok()) return output_keys.error();
    if (!bound.empty() && bound.size() != input_keys->size()) {
      return Fail(prefix, fmt::format("the nested model takes {} inputs, it is given {}",
                                      input_keys->size(), bound.size()));
    }
    std::map<TensorKey, std::string> tensors;
    // Inputs: a nested model's are bound to the caller's tensors; a top-level model's become
    // graph inputs when their InputLayer's turn comes below (that order names them).
    std::map<std::string, size_t> input_position;
    for (size_t i = 0; i < input_keys->size(); ++i) {
      const std::string& input_layer = std::get<0>((*input_keys)[i]);
      if (!bound.empty()) {
        tensors[{input_layer, 0, 0}] = bound[i];
        continue;
      }
      auto it = std::find_if(layers.begin(), layers.end(),
                             [&](const json& l) { return LayerName(l) == input_layer; });
      if (it == layers.end()) {
        return Fail(prefix, fmt::format("input layer '{}' is not in the model", input_layer));
      }
      if (StringAt(*it, "class_name", "").value_or("") != "InputLayer") {
        return Fail(prefix, fmt::format("model input '{}' is not an InputLayer", input_layer));
      }
      if (!input_position.emplace(input_layer, i).second) {
        return Fail(prefix, fmt::format("input layer '{}' is listed twice", input_layer));
      }
    }
    // Every call of every layer (and every graph input).
    struct PendingCall {
      size_t layer;
      int64_t call;
      std::vector<TensorKey> inputs;
      std::string path;
      bool graph_input = false;
    };
    std::vector<PendingCall> pending;
    std::set<std::string> scheduled_inputs;
    UniqueNames object_names;
    for (size_t i = 0; i < layers.size(); ++i) {
      const json& layer = layers[i];
      if (!layer.is_object() || !layer.contains("class_name") || !layer["class_name"].is_string()) {
        return Fail(prefix, fmt::format("layer {} is not a layer", i));
      }
      std::string class_name = layer["class_name"].get<std::string>();
      std::string name = LayerName(layer);
      if (name.empty()) return Fail(prefix, fmt::format("layer {} has no name", i));
      std::string path = object_path + "layers/" + object_names.Next(SnakeCase(class_name));
      if (IsModelClass(class_name)) path += "/";
      if (class_name == "InputLayer") {
        // One graph input per listed input layer, even if a name is used twice.
        if (input_position.count(name) != 0 && scheduled_inputs.insert(name).second) {
          pending.push_back({i, 0, {}, path, true});
        }
        continue;
      }
      const json& inbound = layer.contains("inbound_nodes") ? layer["inbound_nodes"] : json();
      if (!inbound.is_array()) return Fail(prefix + name, "no inbound_nodes");
      for (size_t k = 0; k < inbound.size(); ++k) {
        Result<std::vector<TensorKey>> keys = ParseInboundNode(inbound[k], prefix + name);
        if (!keys.ok()) return keys.error();
        pending.push_back({i, static_cast<int64_t>(k), std::move(keys).value(), path});
      }
    }
    // The calls in the order hls4ml's Keras 3 reader takes them, which decides the names a
    // shared layer's calls get: each time, the first listed call whose inputs all exist.
    std::vector<std::string> graph_inputs(input_keys->size());
    while (!pending.empty()) {
      std::vector<std::string> inputs;
      auto it = std::find_if(pending.begin(), pending.end(), [&](const PendingCall& c) {
        inputs.clear();
        for (const TensorKey& key : c.inputs) {
          auto t = tensors.find(key);
          if (t == tensors.end()) return false;
          inputs.push_back(t->second);
        }
        return true;
      });
      if (it == pending.end()) return Stuck(layers, pending, prefix);
      const json& layer = layers[it->layer];
      std::string name = LayerName(layer);
      if (it->graph_input) {
        std::string input_name = names_.Claim(name);
        if (Status s = AddGraphInput(input_name, ObjectAt(layer, "config")); !s.ok()) {
          return s.error();
        }
        tensors[{name, 0, 0}] = input_name;
        graph_inputs[input_position[name]] = input_name;
      } else {
        Result<std::vector<std::string>> out =
            CallLayer(layer, prefix, it->path, top_level, inputs);
        if (!out.ok()) return out.error();
        for (size_t j = 0; j < out->size(); ++j) {
          tensors[{name, it->call, static_cast<int64_t>(j)}] = (*out)[j];
        }
      }
      pending.erase(it);
    }
    if (bound.empty()) {
      if (Status s = PutInputsFirst(graph_inputs); !s.ok()) return s.error();
    }
    std::vector<std::string> outputs;
    for (const TensorKey& key : *output_keys) {
      auto t = tensors.find(key);
      if (t == tensors.end()) {
        return Fail(prefix, fmt::format("model output '{}' (call {}, output {}) is not produced",
                                        std::get<0>(key), std::get<1>(key), std::get<2>(key)));
      }
      outputs.push_back(t->second);
    }
    return outputs;
  }

  const KerasSource& src_;
  ir::Graph& graph_;
  NodeNames names_;
};

}  // namespace

Result<ir::Graph> LoadKerasModel(const std::string& path, const KerasLoadOptions& options) {
  Result<KerasSource> source = OpenKerasSource(path, options.weights_path);
  if (!source.ok()) return source.error();
  ir::Graph graph;
  const json& model = source->model;
  graph.name = std::filesystem::path(path).stem().string();
  if (model.contains("config") && model["config"].is_object() && model["config"].contains("name") &&
      model["config"]["name"].is_string()) {
    graph.name = model["config"]["name"].get<std::string>();
  }
  graph.framework = source->keras_major >= 3 ? "keras3" : "keras2";
  Reader reader(*source, graph);
  Result<std::vector<std::string>> outputs = reader.ReadModel(model, "", "", "", {});
  if (!outputs.ok()) return outputs.error();
  for (const std::string& out : *outputs) {
    if (Status s = graph.MarkOutput(out); !s.ok()) {
      return Error(fmt::format("{}: {}", path, s.error().message()));
    }
  }
  if (Status s = ir::InferShapes(graph); !s.ok()) {
    return Error(fmt::format("{}: {}", path, s.error().message()));
  }
  if (Status s = graph.Validate(); !s.ok()) {
    return Error(fmt::format("{}: {}", path, s.error().message()));
  }
  return graph;
}

std::vector<std::string> SupportedKerasLayers() {
  std::vector<std::string> names;
  for (const auto& [name, builder] : LayerBuilders()) names.push_back(name);
  for (const std::string& noop : InferenceNoOps()) names.push_back(noop);
  for (const char* structural : {"InputLayer", "Sequential", "Functional", "Model"}) {
    names.push_back(structural);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace fixnn::frontends::keras
