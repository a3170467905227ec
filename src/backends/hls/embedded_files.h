// Files the HLS project writer copies into every project: the layer templates
// (firmware/fixnn/) and fixnn's ap_types-compatible headers (firmware/ap_types/), embedded
// into the library at build time.
#pragma once

#include <string_view>
#include <vector>

namespace fixnn::backends::hls {

struct EmbeddedFile {
  std::string_view path;  // inside the project: "firmware/fixnn/fixnn_dense.h"
  std::string_view text;
};

const std::vector<EmbeddedFile>& EmbeddedFiles();

}  // namespace fixnn::backends::hls
