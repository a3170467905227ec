#include "frontends/keras/node_names.h"

#include <fmt/format.h>

namespace fixnn::frontends::keras {

NodeNames::NodeNames(int keras_major) {
  // hls4ml 1.3.0 (keras_v3_to_hls.UniqueName) means to reserve "input" but writes
  // set('input'), which holds its letters.
  if (keras_major >= 3) used_ = {"i", "n", "p", "u", "t"};
}

std::string NodeNames::Claim(const std::string& wanted) {
  if (used_.insert(wanted).second) return wanted;
  for (int k = 0;; ++k) {
    std::string candidate = fmt::format("{}_{}", wanted, k);
    if (used_.insert(candidate).second) return candidate;
  }
}

}  // namespace fixnn::frontends::keras
