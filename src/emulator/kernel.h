// What the emulator's node kernels share: the per-run workspace (every tensor as mantissas of
// its type, scratch buffers, overflow counters) and the context kernels are built in (tensor
// ids and types, cast sites, error messages).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulator/arith.h"
#include "emulator/mantissa_cast.h"
#include "emulator/overflow_report.h"
#include "fixed/fixed_type.h"
#include "fixed/quantize_array.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::emulator {

// Buffers for one sample at a time, allocated once per run.
template <class M>
struct Workspace {
  std::vector<std::vector<M>> tensors;  // by tensor id, mantissas of the tensor's type
  std::vector<std::vector<M>> scratch;  // by scratch id
  std::vector<int64_t> counters;        // two per run site: above, below

  SiteCounter Counter(int site) { return &counters[2 * static_cast<size_t>(site)]; }
};

// One node's computation for one sample.
template <class M>
class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual void Run(Workspace<M>& ws) const = 0;
};

struct TensorInfo {
  std::string name;
  ir::Shape shape;
  int64_t size = 0;
  fixed::FixedType type;
};

// A cast site counted during runs.
struct RunSite {
  size_t node = 0;  // index in the graph's nodes
  std::string site;
  fixed::FixedType type;
  int64_t casts_per_sample = 0;
  // Out-of-range values of casts of constants, the same every sample (a Dense bias into the
  // accumulator): added per sample instead of counted.
  int64_t constant_overflow = 0;
  int64_t constant_underflow = 0;
};

// Where the kernels of one graph are built. Kernels register their cast sites, scratch
// buffers and the types they compute in; the context remembers whether all of them allow the
// int64 path.
class BuildContext {
 public:
  BuildContext(const ir::Graph& graph, std::vector<TensorInfo> tensors,
               std::map<std::string, int> tensor_ids)
      : graph_(graph), tensors_(std::move(tensors)), tensor_ids_(std::move(tensor_ids)) {}

  const ir::Graph& graph() const { return graph_; }
  int TensorId(const std::string& name) const { return tensor_ids_.at(name); }
  const TensorInfo& Tensor(int id) const { return tensors_[static_cast<size_t>(id)]; }
  const TensorInfo& Tensor(const std::string& name) const { return Tensor(TensorId(name)); }

  // The node being built (set by the emulator before each node's builder runs).
  void SetNode(size_t index) { node_ = index; }
  const ir::Node& node() const { return graph_.nodes()[node_]; }

  // "layer 'dense' (Dense): <what>".
  Error Fail(const std::string& what) const;
  // "layer 'dense' (Dense): the emulator does not handle <what> yet".
  Error NotHandled(const std::string& what) const;

  // Fails unless the node reads one tensor, writes one and has no output quantizer.
  Status CheckOneInOneOut() const;

  // A cast plan from `from` into `to`; notes whether it allows the int64 path.
  CastPlan Plan(const fixed::FixedType& from, const fixed::FixedType& to);
  // Notes a type values are held in (weights, tables, scratch).
  void NoteType(const fixed::FixedType& t);
  // Whether every plan and type so far allows the int64 path.
  bool all_fast() const { return all_fast_; }

  // A run site of the current node; returns its index for Workspace::Counter.
  int AddRunSite(const std::string& site, const fixed::FixedType& type, int64_t casts_per_sample,
                 int64_t constant_overflow = 0, int64_t constant_underflow = 0);
  // A setup site of the current node (its counts are final).
  void AddSetupSite(const std::string& site, const fixed::FixedType& type, int64_t casts,
                    const fixed::OverflowCounts& counts);
  // A scratch buffer of `size` values; returns its id.
  int AddScratch(int64_t size);

  const std::vector<RunSite>& run_sites() const { return run_sites_; }
  const std::vector<int64_t>& scratch_sizes() const { return scratch_sizes_; }
  OverflowReport TakeSetupReport() { return std::move(setup_); }

 private:
  const ir::Graph& graph_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, int> tensor_ids_;
  size_t node_ = 0;
  bool all_fast_ = true;
  std::vector<RunSite> run_sites_;
  std::vector<int64_t> scratch_sizes_;
  OverflowReport setup_;
};

// The kernel of the context's current node, or an error naming the node and what it does not
// handle. One builder per op family, each in its own file.
template <class M>
using KernelResult = Result<std::unique_ptr<Kernel<M>>>;

template <class M>
KernelResult<M> MakeDenseKernel(BuildContext& ctx);
template <class M>
KernelResult<M> MakeElementwiseKernel(BuildContext& ctx);
template <class M>
KernelResult<M> MakeSoftmaxKernel(BuildContext& ctx);
// Conv, DepthwiseConv, SeparableConv (conv_kernel.cc).
template <class M>
KernelResult<M> MakeConvKernel(BuildContext& ctx);
// Pool, GlobalPool (pool_kernel.cc).
template <class M>
KernelResult<M> MakePoolKernel(BuildContext& ctx);
// BatchNorm, Scale (scale_kernel.cc).
template <class M>
KernelResult<M> MakeScaleKernel(BuildContext& ctx);
// Permute, ZeroPadding, Cropping, UpSampling (layout_kernel.cc).
template <class M>
KernelResult<M> MakeLayoutKernel(BuildContext& ctx);
// Merge, Concatenate, Dot (merge_kernel.cc).
template <class M>
KernelResult<M> MakeMergeKernel(BuildContext& ctx);
// Embedding (embedding_kernel.cc).
template <class M>
KernelResult<M> MakeEmbeddingKernel(BuildContext& ctx);

}  // namespace fixnn::emulator
