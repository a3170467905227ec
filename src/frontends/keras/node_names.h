// IR node names for a Keras model, as hls4ml 1.3.0 names its layers, so that an hls4ml
// configuration (HLSConfig.LayerName keys) applies to the same nodes in fixnn:
// - every node (input, layer call, split activation) asks for its name in the order the graph
//   is built; a name already given out becomes "<name>_0", "<name>_1", ... (the first free
//   one), as hls4ml's Keras 3 reader does. A layer called twice is "<layer>" then
//   "<layer>_0", its split activation "<layer>_relu" then "<layer>_relu_0";
// - layers of nested models keep their own names (no prefix), as hls4ml's Keras 2 reader
//   inlines them;
// - hls4ml's Keras 3 reader starts its set of used names from the letters of "input", so
//   from a Keras 3 model a layer named "i", "n", "p", "u" or "t" becomes "<name>_0".
#pragma once

#include <set>
#include <string>

namespace fixnn::frontends::keras {

class NodeNames {
 public:
  // `keras_major`: the Keras version that wrote the model (3 reserves the letters above).
  explicit NodeNames(int keras_major);

  // `wanted` when it is free, else the first free "<wanted>_<k>", k = 0, 1, ...; the result is
  // taken from then on.
  std::string Claim(const std::string& wanted);

 private:
  std::set<std::string> used_;
};

}  // namespace fixnn::frontends::keras
