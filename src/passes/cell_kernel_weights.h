// The kernels of a recurrent cell as the emulator and the HLS code store them. A QKeras alpha
// of one power of two per column (auto_po2) cannot leave the cell as a Dense's does
// (split_qkeras_alpha.h): the exact values s_c * Q(w / s_c) are stored instead, in Q's type
// widened by the scales' exponents e_min..e_max, ap_fixed<W + e_max - e_min, I + e_max> with
// Q's modes, which holds every one of them.
#pragma once

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// `w` itself when it has no scale (or every scale is 1); else a copy holding the exact scaled
// values, no quantizer and the widened type. An error (the reason, for the caller to name the
// layer) for scales that are not powers of two, per-element types, or a configured type other
// than the quantizer's.
Result<ir::Weight> CellKernelAsStored(const ir::Weight& w);

}  // namespace fixnn::passes
