// The oracle: runs every case of the plan (spec.h) through an ap_fixed.h implementation
// and writes the result bits to a binary stream. The same sources are compiled twice, once
// against the vendor's headers and once against fixnn's (runtime/include); which one is
// decided by the include path alone, so both executables do exactly the same operations.
//
// Only the public ap_fixed API is used: construction from double and from another ap_fixed,
// range() to set and read raw bits, + - *, to_double(), to_float().
#pragma once

#include <ap_fixed.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "cases.h"
#include "spec.h"

namespace fixnn::vendor_diff {

inline constexpr ap_q_mode kApRounding[kNumRoundings] = {
    AP_TRN, AP_TRN_ZERO, AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV};
inline constexpr ap_o_mode kApOverflow[kNumOverflows] = {AP_WRAP, AP_SAT, AP_SAT_ZERO, AP_SAT_SYM};

template <TypeSpec T>
using Ap = std::conditional_t<T.s, ap_fixed<T.w, T.i, kApRounding[T.q], kApOverflow[T.o], T.n>,
                              ap_ufixed<T.w, T.i, kApRounding[T.q], kApOverflow[T.o], T.n>>;

// W, I and signedness of an ap type, read from its template arguments, e.g. of the type an
// operator returns.
template <class X>
struct ApTraits;
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ApTraits<ap_fixed<W, I, Q, O, N>> {
  static constexpr int w = W;
  static constexpr int i = I;
  static constexpr bool s = true;
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ApTraits<ap_ufixed<W, I, Q, O, N>> {
  static constexpr int w = W;
  static constexpr int i = I;
  static constexpr bool s = false;
};

// Raw bit access through range(), which copies bits without quantization or overflow.
template <class X>
void SetBits(X& x, const Bits& b) {
  constexpr int w = ApTraits<X>::w;
  for (int lo = 0; lo < w; lo += 64) {
    x.range(std::min(w - 1, lo + 63), lo) = static_cast<unsigned long long>(b.limb[lo / 64]);
  }
}

template <class X>
void StoreValue(const X& x, std::uint8_t* out) {
  constexpr int w = ApTraits<X>::w;
  Bits b;
  for (int lo = 0; lo < w; lo += 64) {
    b.limb[lo / 64] = x.range(std::min(w - 1, lo + 63), lo).to_uint64();
  }
  StoreBits(b, w, out);
}

// Collects one block and writes it to the stream.
class Output {
 public:
  explicit Output(std::FILE* file) : file_(file) {}

  // Returns the buffer for `count` records of `record_bytes` each.
  std::uint8_t* Begin(Category c, std::uint8_t sub, std::uint32_t index, int result_w, int result_i,
                      bool result_s, std::size_t record_bytes, std::size_t count);
  void End();
  void WriteStreamHeader();

 private:
  void Write(const void* data, std::size_t size);

  std::FILE* file_;
  BlockHeader header_;
  std::vector<std::uint8_t> payload_;
};

template <TypeSpec Src, TypeSpec Dst>
void CastBlock(Output& out, Category c, std::uint8_t sub, std::uint32_t index,
               const std::vector<Bits>& in) {
  constexpr int bytes = BitsBytes(Dst.w);
  std::uint8_t* rec = out.Begin(c, sub, index, Dst.w, Dst.i, Dst.s, bytes, in.size());
  for (const Bits& x : in) {
    Ap<Src> src;
    SetBits(src, x);
    const Ap<Dst> dst(src);
    StoreValue(dst, rec);
    rec += bytes;
  }
  out.End();
}

// Records are the result bits, followed by to_double() of the result when with_to_double.
template <TypeSpec Dst, bool with_to_double>
void DoubleBlock(Output& out, Category c, std::uint32_t index, const std::vector<double>& in) {
  constexpr int bytes = BitsBytes(Dst.w) + (with_to_double ? 8 : 0);
  std::uint8_t* rec = out.Begin(c, 0, index, Dst.w, Dst.i, Dst.s, bytes, in.size());
  for (double d : in) {
    const Ap<Dst> dst(d);
    StoreValue(dst, rec);
    if constexpr (with_to_double) {
      const double back = dst.to_double();
      std::memcpy(rec + BitsBytes(Dst.w), &back, 8);
    }
    rec += bytes;
  }
  out.End();
}

template <TypeSpec T, bool to_float>
void ToFloatingBlock(Output& out, Category c, std::uint32_t index, const std::vector<Bits>& in) {
  constexpr int bytes = to_float ? 4 : 8;
  std::uint8_t* rec = out.Begin(c, 0, index, T.w, T.i, T.s, bytes, in.size());
  for (const Bits& x : in) {
    Ap<T> v;
    SetBits(v, x);
    if constexpr (to_float) {
      const float f = v.to_float();
      std::memcpy(rec, &f, 4);
    } else {
      const double d = v.to_double();
      std::memcpy(rec, &d, 8);
    }
    rec += bytes;
  }
  out.End();
}

template <int op, class X, class Y>
auto Apply(const X& x, const Y& y) {
  if constexpr (op == kAdd) {
    return x + y;
  } else if constexpr (op == kSub) {
    return x - y;
  } else {
    return x * y;
  }
}

template <TypeSpec A, TypeSpec B, int op>
void ArithBlock(Output& out, Category c, std::uint32_t index, const PairCases& in) {
  using R = std::remove_cvref_t<decltype(Apply<op>(std::declval<const Ap<A>&>(),
                                                   std::declval<const Ap<B>&>()))>;
  using RT = ApTraits<R>;
  constexpr int bytes = BitsBytes(RT::w);
  std::uint8_t* rec = out.Begin(c, op, index, RT::w, RT::i, RT::s, bytes, in.a.size());
  for (std::size_t k = 0; k < in.a.size(); ++k) {
    Ap<A> x;
    Ap<B> y;
    SetBits(x, in.a[k]);
    SetBits(y, in.b[k]);
    const R r = Apply<op>(x, y);
    StoreValue(r, rec);
    rec += bytes;
  }
  out.End();
}

template <TypeSpec A, TypeSpec B>
void ArithBlocks(Output& out, Category c, std::uint32_t index, const PairCases& in) {
  ArithBlock<A, B, kAdd>(out, c, index, in);
  ArithBlock<A, B, kSub>(out, c, index, in);
  ArithBlock<A, B, kMul>(out, c, index, in);
}

// Calls f.template operator()<K>() for K in [begin, end), in order.
template <std::size_t begin, class F, std::size_t... ks>
void ForRange(F&& f, std::index_sequence<ks...>) {
  (f.template operator()<begin + ks>(), ...);
}
template <std::size_t begin, std::size_t end, class F>
void ForRange(F&& f) {
  ForRange<begin>(f, std::make_index_sequence<end - begin>());
}

constexpr std::size_t ShardBegin(std::size_t size, int shard, int shards) {
  return size * static_cast<std::size_t>(shard) / static_cast<std::size_t>(shards);
}

// The parts of the stream, in stream order; each shard is its own translation unit.
template <int shard>
void RunExhaustiveShard(Output& out);  // kCastExhaustive, kDoubleExhaustive
void RunExhaustiveArith(Output& out);  // kArithExhaustive, kArithMixedSmall
template <int shard>
void RunRandomShard(Output& out);  // the random categories

}  // namespace fixnn::vendor_diff
