// One activation inside a recurrent cell (recurrent_kernel.cc holds the cell's formulas and
// the rule): from its input type into the type its value is held in afterwards, `out`.
//   sigmoid, tanh     out(table_t(table[index(x)])), the feed-forward tables and index
//   relu              x > 0 ? out(x) : 0
//   linear            out(x)
//   hard forms        v = slope * x + shift exactly, clipped to [0, 1]; tanh forms 2v - 1;
//                     then out(v). Keras' hard_sigmoid: the model's slope (Keras 2 0.2, Keras 3
//                     1/6, QKeras 0.5) in ap_ufixed<16,0> (TRN), shift 0.5 in ap_ufixed<2,0>, as
//                     the feed-forward hard_sigmoid stores them; hard_tanh and QKeras' hard
//                     quantized_tanh / quantized_sigmoid: slope and shift 0.5 in ap_ufixed<2,0>.
// A QKeras activation quantizer q replaces the activation and makes out q's type (with its
// rounding and overflow): smooth quantized_tanh / quantized_sigmoid (use_real_*) by the table,
// the hard ones (QKeras' default) by the hard form, quantized_relu by relu, quantized_bits by
// linear. Without one, out is the plain output type the cell gives (accum_t, or the state for
// SimpleRNN).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/hls4ml_tables.h"
#include "emulator/kernel.h"

namespace fixnn::emulator {

enum class CellActKind { kTable, kReLU, kCast, kHard };

struct CellActSpec {
  CellActKind kind = CellActKind::kReLU;
  fixed::FixedType out;  // the type of the activation's values
  // kTable: index from the input (LSB exponent lsb), entries out(table_t(entry)).
  int64_t table_size = 0;
  int range = 16;
  int lsb = 0;
  std::vector<WideInt> table;
  std::vector<uint8_t> table_out;  // 1: above out's range, 2: below
  // kReLU, kCast: input -> out; kHard: the clipped v (or 2v - 1) -> out.
  CastPlan cast;
  // kHard: slope (pre-shifted so that slope * x lands on the sum's LSB), shift and 1, at the
  // exact sum's LSB.
  WideInt slope, shift, one;
  bool hard_tanh = false;
  int site = 0;
};

// The activation `a`, or the quantizer `q` (nullptr: none) that replaces it, from `in` into
// `plain_out` (q's type when q is given). `site` names its run site, counted `casts` times per
// sample; `which` ("activation", "recurrent_activation") names it in errors.
Result<CellActSpec> MakeCellActivation(BuildContext& ctx, const ir::ActivationAttrs& a,
                                       const ir::Quantizer* q, const FixedType& in,
                                       const FixedType& plain_out, const FixedType& table_t,
                                       const std::string& site, int64_t casts,
                                       const std::string& which);

// A CellActSpec's constants in the representation M.
template <class M>
class CellActivation {
 public:
  using A = Arith<M>;

  CellActivation() = default;
  explicit CellActivation(const CellActSpec& s)
      : kind_(s.kind),
        table_size_(s.table_size),
        range_(s.range),
        lsb_(s.lsb),
        table_out_(s.table_out),
        cast_(s.cast),
        slope_(A::FromWideInt(s.slope)),
        shift_(A::FromWideInt(s.shift)),
        one_(A::FromWideInt(s.one)),
        zero_(A::FromWideInt(WideInt(0))),
        hard_tanh_(s.hard_tanh),
        site_(s.site) {
    for (const WideInt& v : s.table) table_.push_back(A::FromWideInt(v));
  }

  M operator()(const M& x, Workspace<M>& ws) const {
    const SiteCounter c = ws.Counter(site_);
    switch (kind_) {
      case CellActKind::kReLU:
        return x > zero_ ? A::Cast(A::Widen(x), cast_, c) : zero_;
      case CellActKind::kCast:
        return A::Cast(A::Widen(x), cast_, c);
      case CellActKind::kHard: {
        auto v = A::Mul(slope_, x) + A::Widen(shift_);
        if (v > A::Widen(one_)) {
          v = A::Widen(one_);
        } else if (v < A::Widen(zero_)) {
          v = A::Widen(zero_);
        }
        if (hard_tanh_) v = v + v - A::Widen(one_);
        return A::Cast(v, cast_, c);
      }
      case CellActKind::kTable:
        break;
    }
    const auto k =
        static_cast<size_t>(ActivationTableIndex(A::Widen(x), lsb_, table_size_, range_));
    if (table_out_[k] != 0) ++c[table_out_[k] - 1];
    return table_[k];
  }

 private:
  CellActKind kind_ = CellActKind::kReLU;
  int64_t table_size_ = 0;
  int range_ = 16;
  int lsb_ = 0;
  std::vector<M> table_;
  std::vector<uint8_t> table_out_;
  CastPlan cast_;
  M slope_{}, shift_{}, one_{}, zero_{};
  bool hard_tanh_ = false;
  int site_ = 0;
};

}  // namespace fixnn::emulator
