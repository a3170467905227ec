#include "backends/hls/compile.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace fixnn::backends::hls {
namespace {

namespace fs = std::filesystem;

using SizesFn = const long* (*)(int*, int*);
using LoadFn = int (*)(const char*);
using PredictFn = int (*)(const double* const*, double* const*, long);

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command, returning its exit status and output (stdout and stderr).
int Run(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) output->append(buf.data(), n);
  return pclose(pipe);
}

std::string FirstLines(const std::string& text, int lines) {
  std::istringstream in(text);
  std::string line, out;
  for (int i = 0; i < lines && std::getline(in, line); ++i) out += "\n  " + line;
  return out;
}

bool OnPath(const std::string& program) {
  std::string ignored;
  return Run("command -v " + program + " >/dev/null", &ignored) == 0;
}

}  // namespace

struct CompiledProject::Impl {
  void* handle = nullptr;
  PredictFn predict = nullptr;
  std::vector<int64_t> in_sizes, out_sizes;
  ~Impl() {
    if (handle != nullptr) dlclose(handle);
  }
};

Result<CompiledProject> CompiledProject::Build(const fs::path& project_dir,
                                               const std::string& project_name,
                                               const CompileOptions& options) {
  const fs::path dir = fs::absolute(project_dir);
  const fs::path top = dir / "firmware" / (project_name + ".cpp");
  const fs::path bridge = dir / (project_name + "_bridge.cpp");
  for (const fs::path& f : {top, bridge}) {
    if (!fs::exists(f)) {
      return Error(fmt::format("{}: not found (is {} a project written by fixnn?)", f.string(),
                               dir.string()));
    }
  }
  const fs::path include =
      options.ap_include_dir.empty() ? dir / "firmware" / "ap_types" : options.ap_include_dir;
  if (!fs::exists(include / "ap_fixed.h")) {
    return Error(fmt::format("{}: no ap_fixed.h in the folder", include.string()));
  }
  std::string compiler = options.compiler;
  if (compiler.empty()) {
    const char* cxx = std::getenv("CXX");
    compiler = cxx != nullptr && *cxx != '\0' ? cxx : "g++";
  }
  const std::string launcher = options.use_ccache && OnPath("ccache") ? "ccache " : "";
  std::error_code ec;
  fs::create_directories(dir / "build", ec);
  if (ec)
    return Error(fmt::format("{}: cannot create ({})", (dir / "build").string(), ec.message()));

  // Paths relative to the project folder where possible, so that ccache finds earlier
  // builds of the same code in other folders.
  const std::string include_flag =
      options.ap_include_dir.empty() ? "firmware/ap_types" : include.string();
  std::string flags = fmt::format("-std={} {} -fPIC -Ifirmware -I{}", options.std,
                                  options.optimization, Quote(include_flag));
  for (const std::string& f : options.extra_flags) flags += fmt::format(" {}", Quote(f));
  static std::atomic<int> counter{0};
  const std::string stem = fmt::format("{}-{}-{}", project_name, ::getpid(), counter++);
  const fs::path top_o = dir / "build" / (stem + ".o");
  const fs::path bridge_o = dir / "build" / (stem + "_bridge.o");
  const fs::path lib = dir / "build" / fmt::format("lib{}.so", stem);
  struct Step {
    std::string command, what;
  };
  const Step steps[] = {
      {fmt::format("cd {} && {}{} {} -c {} -o {}", Quote(dir.string()), launcher, compiler, flags,
                   Quote("firmware/" + project_name + ".cpp"), Quote(top_o.string())),
       top.string()},
      {fmt::format("cd {} && {}{} {} -c {} -o {}", Quote(dir.string()), launcher, compiler, flags,
                   Quote(project_name + "_bridge.cpp"), Quote(bridge_o.string())),
       bridge.string()},
      {fmt::format("{} -shared {} {} -o {}", compiler, Quote(top_o.string()),
                   Quote(bridge_o.string()), Quote(lib.string())),
       lib.string()},
  };
  for (const Step& step : steps) {
    std::string output;
    const int status = Run(step.command, &output);
    if (status != 0) {
      return Error(fmt::format("{}: {} failed (status {}):{}", step.what, compiler, status,
                               FirstLines(output, 20)));
    }
  }

  auto impl = std::make_shared<Impl>();
  impl->handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (impl->handle == nullptr) {
    return Error(fmt::format("{}: cannot load ({})", lib.string(), dlerror()));
  }
  auto sizes = reinterpret_cast<SizesFn>(dlsym(impl->handle, (project_name + "_io_sizes").c_str()));
  auto load = reinterpret_cast<LoadFn>(dlsym(impl->handle, (project_name + "_load").c_str()));
  impl->predict =
      reinterpret_cast<PredictFn>(dlsym(impl->handle, (project_name + "_predict").c_str()));
  if (sizes == nullptr || load == nullptr || impl->predict == nullptr) {
    return Error(
        fmt::format("{}: the bridge functions {}_io_sizes, {}_load, {}_predict are missing",
                    lib.string(), project_name, project_name, project_name));
  }
  int n_in = 0, n_out = 0;
  const long* s = sizes(&n_in, &n_out);
  impl->in_sizes.assign(s, s + n_in);
  impl->out_sizes.assign(s + n_in, s + n_in + n_out);
  const std::string weights = (dir / "firmware" / "weights").string();
  if (load(weights.c_str()) != 0) {
    return Error(fmt::format("{}: cannot read the weights' .txt files", weights));
  }
  return CompiledProject(std::move(impl));
}

Result<std::vector<reference::Batch>> CompiledProject::Predict(
    const std::vector<reference::Batch>& inputs) const {
  if (inputs.size() != impl_->in_sizes.size()) {
    return Error(
        fmt::format("{} input batches for {} inputs", inputs.size(), impl_->in_sizes.size()));
  }
  int64_t n = -1;
  std::vector<const double*> in;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const reference::Batch& b = inputs[k];
    const int64_t samples = b.shape.empty() ? 0 : b.shape[0];
    if (static_cast<int64_t>(b.values.size()) != samples * impl_->in_sizes[k] ||
        (n >= 0 && samples != n)) {
      return Error(fmt::format("input {}: expected [N, {}] values, N the same for every input", k,
                               impl_->in_sizes[k]));
    }
    n = samples;
    in.push_back(b.values.data());
  }
  std::vector<reference::Batch> out(impl_->out_sizes.size());
  std::vector<double*> out_ptrs;
  for (size_t k = 0; k < out.size(); ++k) {
    out[k].shape = {n, impl_->out_sizes[k]};
    out[k].values.resize(static_cast<size_t>(n * impl_->out_sizes[k]));
    out_ptrs.push_back(out[k].values.data());
  }
  if (impl_->predict(in.data(), out_ptrs.data(), static_cast<long>(n)) != 0) {
    return Error("the project's predict failed (its weights could not be read)");
  }
  return out;
}

const std::vector<int64_t>& CompiledProject::input_sizes() const { return impl_->in_sizes; }
const std::vector<int64_t>& CompiledProject::output_sizes() const { return impl_->out_sizes; }

}  // namespace fixnn::backends::hls
