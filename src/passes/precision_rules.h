// Result-type rules for "auto" precisions: the exact range of an integer interval, and the
// rules hls4ml 1.3's InferPrecisionTypes applies per layer class (merge, concatenate, dot,
// batch normalization, pooling, constants), written once here so the inference pass and its
// tests share them. New types use AP_TRN and AP_WRAP, as hls4ml's FixedPrecisionType does:
// except under a Model maximum, no value ever needs rounding or overflow handling.
#pragma once

#include <cstdint>
#include <optional>

#include "fixed/fixed_type.h"
#include "fixed/wide_int.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

using fixed::FixedType;

// The narrowest type with LSB 2^lsb holding every integer multiple m * 2^lsb, lo <= m <= hi
// (lo <= hi): signed exactly when lo < 0; [0, 0] gives a 1-bit unsigned type.
FixedType TypeForRange(const fixed::WideInt& lo, const fixed::WideInt& hi, int lsb);

// The one type of a tensor or weight: its type, or for per-element precision the narrowest
// type holding every element type's values (signed if any is). Error when unset.
Result<FixedType> CoveringType(const ir::Precision& precision);

// hls4ml's cap by HLSConfig.Model.Precision.maximum: width and integer bits each limited to
// the maximum's (the sign is kept). No maximum: t.
FixedType CapToMaximum(const FixedType& t, const std::optional<FixedType>& maximum);

// Merge add / subtract / average of a and b (hls4ml, capped):
//   I = max(Ia + (Sb && !Sa), Ib + (Sa && !Sb)) + 1, W = I + max(Fa, Fb),
//   signed = Sa || Sb || subtract.
FixedType AddType(const FixedType& a, const FixedType& b, bool subtract);
// Merge multiply (hls4ml, capped): W = Wa + Wb, I = Ia + Ib, signed = Sa || Sb.
FixedType MultiplyType(const FixedType& a, const FixedType& b);
// Merge maximum / minimum and Concatenate (hls4ml): a when a == b; otherwise each unsigned
// side gains a bit when the result is signed, I = max(I'a, I'b), W = I + max(Fa, Fb),
// signed = Sa || Sb. Concatenate (only) is capped and keeps the first non-default rounding,
// overflow and saturation bits of a, then b; maximum / minimum is not capped.
FixedType MaxMinType(const FixedType& a, const FixedType& b);
FixedType ConcatenateType(const FixedType& a, const FixedType& b);
// Dot over n products (hls4ml, capped): W = Wa + Wb + ceil(log2 n), I = Ia + Ib +
// ceil(log2 n), signed = Sa || Sb.
FixedType DotType(const FixedType& a, const FixedType& b, int64_t n);
// hls4ml's multiply-accumulate type over n products per output (_infer_common_precision):
// W = Wx + Ww + ceil(log2 n), I = Ix + Iw + ceil(log2 n), signed = Sx || Sw; then the bias
// as AddType adds it (I = max(I + (Sb && !S), Ib + (S && !Sb)) + 1, W = I + max(F, Fb)).
FixedType Hls4mlCommonType(const FixedType& input, const FixedType& weight, const FixedType& bias,
                           int64_t n);
// Batch normalization y = x * scale + bias (hls4ml, capped): x * scale has W = Wx + Ws,
// I = Ix + Is, signed = Sx || Ss; adding the bias follows AddType's integer rule and
// W = I + max(F, Fbias). Without a bias (a Scale op with use_bias false): x * scale.
FixedType BatchNormType(const FixedType& input, const FixedType& scale,
                        const std::optional<FixedType>& bias);
// Average pooling accumulator over `pool_size` elements (hls4ml, never capped): e =
// ceil(log2 pool_size), W = Wx + 2e, I = Ix + e, signed as the input.
FixedType AveragePoolAccumType(const FixedType& input, int64_t pool_size);
// hls4ml's type for a constant activation parameter (LeakyReLU / ELU alpha): the fewest
// fractional bits f in [-31, 32] that hold it exactly (32 when none does), integer bits
// ceil(log2(max(v + 2^-f, -v))), at most 8 bits besides the sign; 0 gives ap_ufixed<1,1>.
FixedType ConstantType(double value);
// ReLU (no negative slope, threshold >= 0) keeps the input's range without the negative
// half: a signed <W, I> becomes unsigned <W-1, I-1> (same LSB and maximum); unsigned stays.
FixedType ReLUType(const FixedType& input);

}  // namespace fixnn::passes
