// Placeholder until this op family is written: refuses every node.
#include <string>

#include "emulator/kernel.h"

namespace fixnn::emulator {

template <class M>
KernelResult<M> MakeConvKernel(BuildContext& ctx) {
  return ctx.NotHandled(std::string(ir::OpName(ctx.node().kind())));
}

template KernelResult<std::int64_t> MakeConvKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeConvKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
