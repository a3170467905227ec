// Single include point for the whole implementation; both public headers
// include it because HLS code expects either one to provide every type. The
// internal headers include each other by bare file name so the include folder
// can be copied into a generated project and work without extra -I flags.
#ifndef FIXNN_AP_ALL_H_
#define FIXNN_AP_ALL_H_

#include "ref_ops.h"

#undef FIXNN_AP_FX_PARAMS
#undef FIXNN_AP_FX_OTHER
#undef FIXNN_AP_FX_SELF
#undef FIXNN_AP_FX_RESULT
#undef FIXNN_AP_FX_TPARAMS
#undef FIXNN_AP_FX_T
#undef FIXNN_AP_INT_RTYPE
#undef FIXNN_AP_AS_AP
#undef FIXNN_AP_CW
#undef FIXNN_AP_CS
#undef FIXNN_AP_FOR_EACH_CINT

#endif  // FIXNN_AP_ALL_H_
