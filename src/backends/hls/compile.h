// Builds a project written by WriteHlsProject with g++ into a shared library, loads it and
// runs inputs through its top function (via <project>_bridge.cpp): the C simulation of the
// project, in process, to hold it to the emulator.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "reference/reference_executor.h"
#include "support/result.h"

namespace fixnn::backends::hls {

struct CompileOptions {
  // The folder holding ap_fixed.h and ap_int.h (the vendor's, say). Empty: the project's own
  // firmware/ap_types (fixnn's headers, written with every project).
  std::filesystem::path ap_include_dir;
  // The C++ compiler. Empty: $CXX, else g++.
  std::string compiler;
  std::string std = "c++14";
  std::string optimization = "-O2";
  // Compile through ccache when it is on the PATH.
  bool use_ccache = true;
  std::vector<std::string> extra_flags;
};

// A loaded build of one project. Not for use from several threads at once.
class CompiledProject {
 public:
  // Compiles <dir>/firmware/<name>.cpp and <dir>/<name>_bridge.cpp into <dir>/build/ and loads
  // the library. Errors quote the compiler's first lines of output.
  static Result<CompiledProject> Build(const std::filesystem::path& project_dir,
                                       const std::string& project_name,
                                       const CompileOptions& options = {});

  // Runs every sample: one batch per top-function input, in order, [N, ...] with N * size
  // values each; returns one batch per output, [N, size].
  Result<std::vector<reference::Batch>> Predict(const std::vector<reference::Batch>& inputs) const;

  const std::vector<int64_t>& input_sizes() const;
  const std::vector<int64_t>& output_sizes() const;

 private:
  struct Impl;
  explicit CompiledProject(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace fixnn::backends::hls
