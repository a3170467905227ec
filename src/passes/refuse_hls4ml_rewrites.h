// What hls4ml 1.3.0 turns into something other than the model, which fixnn refuses to
// reproduce (its rule: refuse, naming the layer, rather than compute what the model does not).
// ConfigureOptions::Hls4ml() runs this check; fixnn's own choices compute the model.
//
// - A Keras 2 Dense or convolution without a bias whose name contains "bias": hls4ml's Keras 2
//   reader finds a layer's weights by substring ("bias" in "<layer>/kernel:0"), so it takes the
//   kernel's first values as the bias.
// - RemoveTransposeBeforeFlatten (io_parallel): a Permute of a rank-2 or rank-3 tensor whose
//   Flatten feeds exactly one Dense is removed, the Dense's kernel permuted as if the Permute
//   were a channels-first to channels-last conversion (whatever its dims), and every other
//   reader of the Permute reads its input instead. The Dense then sums in another order (which
//   changes saturating sums) or uses the wrong kernel, and the other readers lose the Permute.
// - Recurrent layers (io_parallel nnet_recurrent.h): a SimpleRNN (no Vivado/Vitis template:
//   its output is left uninitialized), a GRU with reset_after=False (computed as
//   reset_after=True, with the bias misread), go_backwards outside a Bidirectional (read
//   forwards), return_state (refused by hls4ml's converters), a QKeras state_quantizer (its
//   type becomes accum_t; the state stays in the result type), a QKeras activation quantizer
//   in a cell (hard forms: hls4ml asserts; the others run as the plain activation, the
//   quantizer dropped), a cell activation other than sigmoid, tanh and relu (hls4ml's
//   templates do not compile it), a Bidirectional merge mode
//   other than concat (switched to concat, written past the output).
#pragma once

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// An error naming the layer when hls4ml would compute it as above.
Status RefuseHls4mlRewrites(const ir::Graph& graph);

}  // namespace fixnn::passes
