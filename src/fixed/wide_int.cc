#include "fixed/wide_int.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

namespace fixnn::fixed {
namespace {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

constexpr u64 kAllOnes = ~u64{0};

// Magnitude rounded to `bits` significant bits, ties to even: value ~= m * 2^shift.
struct Rounded {
  u64 m;
  int shift;
};

int HighestSetBit(const WideInt& v) {
  for (int i = WideInt::kLimbs - 1; i >= 0; --i) {
    if (v.Limb(i) != 0) return 64 * i + 63 - __builtin_clzll(v.Limb(i));
  }
  return -1;
}

Rounded RoundMagnitude(const WideInt& mag, int bits) {
  const int top = HighestSetBit(mag);
  if (top < bits) return {mag.Limb(0), 0};
  const int shift = top - bits + 1;
  u64 m = mag.ShiftRightFloor(shift).Limb(0);
  const bool half = mag.Bit(shift - 1);
  const bool sticky = mag.AnyBitsBelow(shift - 1);
  if (half && (sticky || (m & 1))) ++m;
  if (m >> bits) return {m >> 1, shift + 1};  // the carry made it bits+1 long
  return {m, shift};
}

// Divides the non-negative value in place by d, returning the remainder.
u64 DivSmall(std::vector<u64>& limbs, u64 d) {
  u128 rem = 0;
  for (auto it = limbs.rbegin(); it != limbs.rend(); ++it) {
    const u128 cur = (rem << 64) | *it;
    *it = static_cast<u64>(cur / d);
    rem = cur % d;
  }
  return static_cast<u64>(rem);
}

// Decimal digits as base-1e9 words, least significant first.
using Decimal = std::vector<std::uint32_t>;

void MulSmall(Decimal& d, std::uint32_t k) {
  u64 carry = 0;
  for (auto& w : d) {
    const u64 cur = static_cast<u64>(w) * k + carry;
    w = static_cast<std::uint32_t>(cur % 1000000000u);
    carry = cur / 1000000000u;
  }
  while (carry != 0) {
    d.push_back(static_cast<std::uint32_t>(carry % 1000000000u));
    carry /= 1000000000u;
  }
}

std::string DecimalDigits(const Decimal& d) {
  std::string s = std::to_string(d.back());
  for (int i = static_cast<int>(d.size()) - 2; i >= 0; --i) {
    std::string w = std::to_string(d[i]);
    s += std::string(9 - w.size(), '0') + w;
  }
  return s;
}

}  // namespace

WideInt::WideInt(std::int64_t v) {
  limbs_.fill(v < 0 ? kAllOnes : 0);
  limbs_[0] = static_cast<u64>(v);
}

WideInt WideInt::FromUnsigned(std::uint64_t v) {
  WideInt r;
  r.limbs_[0] = v;
  return r;
}

WideInt WideInt::FromInt128(__int128 v) {
  WideInt r(v < 0 ? -1 : 0);
  r.limbs_[0] = static_cast<u64>(v);
  r.limbs_[1] = static_cast<u64>(static_cast<u128>(v) >> 64);
  return r;
}

WideInt WideInt::PowerOfTwo(int n) {
  assert(n >= 0 && n < kBits - 1);
  WideInt r;
  r.limbs_[n / 64] = u64{1} << (n % 64);
  return r;
}

bool WideInt::IsZero() const {
  return std::all_of(limbs_.begin(), limbs_.end(), [](u64 l) { return l == 0; });
}

bool WideInt::Bit(int i) const {
  assert(i >= 0);
  if (i >= kBits) return IsNegative();
  return ((limbs_[i / 64] >> (i % 64)) & 1) != 0;
}

bool WideInt::AnyBitsBelow(int n) const {
  n = std::clamp(n, 0, kBits);
  const int full = n / 64;
  for (int i = 0; i < full; ++i) {
    if (limbs_[i] != 0) return true;
  }
  const int rest = n % 64;
  return rest != 0 && (limbs_[full] & ((u64{1} << rest) - 1)) != 0;
}

int WideInt::SignedBitLength() const {
  // The highest bit that differs from the sign bit, plus the sign bit itself; for negative v,
  // ~v = -v - 1 is non-negative and has the same significant bits.
  WideInt mag = *this;
  if (IsNegative()) {
    for (auto& l : mag.limbs_) l = ~l;
  }
  return HighestSetBit(mag) + 2;
}

WideInt WideInt::ShiftLeft(int n, bool* lost) const {
  assert(n >= 0);
  WideInt r;
  if (n < kBits) {
    const int limb_shift = n / 64, bit_shift = n % 64;
    for (int i = kLimbs - 1; i >= limb_shift; --i) {
      u64 v = limbs_[i - limb_shift] << bit_shift;
      if (bit_shift != 0 && i - limb_shift - 1 >= 0) {
        v |= limbs_[i - limb_shift - 1] >> (64 - bit_shift);
      }
      r.limbs_[i] = v;
    }
  }
  if (lost != nullptr) *lost = !(r.ShiftRightFloor(n) == *this);
  return r;
}

WideInt WideInt::ShiftRightFloor(int n) const {
  assert(n >= 0);
  const u64 fill = IsNegative() ? kAllOnes : 0;
  WideInt r;
  if (n >= kBits) {
    r.limbs_.fill(fill);
    return r;
  }
  const int limb_shift = n / 64, bit_shift = n % 64;
  for (int i = 0; i < kLimbs; ++i) {
    const int src = i + limb_shift;
    const u64 lo = src < kLimbs ? limbs_[src] : fill;
    const u64 hi = src + 1 < kLimbs ? limbs_[src + 1] : fill;
    r.limbs_[i] = bit_shift == 0 ? lo : (lo >> bit_shift) | (hi << (64 - bit_shift));
  }
  return r;
}

WideInt WideInt::WrapTo(int width, bool is_signed) const {
  assert(width >= 1);
  if (width >= kBits) return *this;
  const bool fill_ones = is_signed && Bit(width - 1);
  WideInt r = *this;
  for (int i = 0; i < kLimbs; ++i) {
    const int lo = 64 * i;
    if (lo >= width) {
      r.limbs_[i] = fill_ones ? kAllOnes : 0;
    } else if (lo + 64 > width) {
      const u64 keep = (u64{1} << (width - lo)) - 1;
      r.limbs_[i] = (r.limbs_[i] & keep) | (fill_ones ? ~keep : 0);
    }
  }
  return r;
}

void WideInt::SetBit(int i, bool b) {
  assert(i >= 0 && i < kBits);
  const u64 mask = u64{1} << (i % 64);
  limbs_[i / 64] = b ? (limbs_[i / 64] | mask) : (limbs_[i / 64] & ~mask);
}

int WideInt::Compare(const WideInt& o) const {
  const auto top = static_cast<std::int64_t>(limbs_[kLimbs - 1]);
  const auto otop = static_cast<std::int64_t>(o.limbs_[kLimbs - 1]);
  if (top != otop) return top < otop ? -1 : 1;
  for (int i = kLimbs - 2; i >= 0; --i) {
    if (limbs_[i] != o.limbs_[i]) return limbs_[i] < o.limbs_[i] ? -1 : 1;
  }
  return 0;
}

WideInt operator+(const WideInt& a, const WideInt& b) {
  WideInt r;
  u64 carry = 0;
  for (int i = 0; i < WideInt::kLimbs; ++i) {
    const u128 s = static_cast<u128>(a.limbs_[i]) + b.limbs_[i] + carry;
    r.limbs_[i] = static_cast<u64>(s);
    carry = static_cast<u64>(s >> 64);
  }
  return r;
}

WideInt WideInt::operator-() const {
  WideInt r;
  for (int i = 0; i < kLimbs; ++i) r.limbs_[i] = ~limbs_[i];
  return r + WideInt(1);
}

WideInt operator-(const WideInt& a, const WideInt& b) { return a + (-b); }

WideInt operator*(const WideInt& a, const WideInt& b) {
  // Schoolbook product modulo 2^kBits; two's complement makes it right for signed values too.
  WideInt r;
  for (int i = 0; i < WideInt::kLimbs; ++i) {
    u64 carry = 0;
    for (int j = 0; i + j < WideInt::kLimbs; ++j) {
      const u128 cur =
          static_cast<u128>(a.limbs_[i]) * b.limbs_[j] + r.limbs_[i + j] + carry;
      r.limbs_[i + j] = static_cast<u64>(cur);
      carry = static_cast<u64>(cur >> 64);
    }
  }
  return r;
}

bool WideInt::FitsInt64() const { return *this == WideInt(ToInt64()); }

double WideInt::ToDouble(int exp2) const {
  if (IsZero()) return 0.0;
  const bool neg = IsNegative();
  const Rounded r = RoundMagnitude(neg ? -*this : *this, 53);
  const double d = std::ldexp(static_cast<double>(r.m), r.shift + exp2);
  return neg ? -d : d;
}

float WideInt::ToFloat(int exp2) const {
  if (IsZero()) return 0.0f;
  const bool neg = IsNegative();
  const Rounded r = RoundMagnitude(neg ? -*this : *this, 24);
  const float f = std::ldexp(static_cast<float>(r.m), r.shift + exp2);
  return neg ? -f : f;
}

std::string WideInt::ToDecimalString(int exp2) const {
  const bool neg = IsNegative();
  const WideInt mag = neg ? -*this : *this;
  std::vector<u64> limbs(mag.limbs_.begin(), mag.limbs_.end());
  Decimal d;
  while (std::any_of(limbs.begin(), limbs.end(), [](u64 l) { return l != 0; })) {
    d.push_back(static_cast<std::uint32_t>(DivSmall(limbs, 1000000000u)));
  }
  if (d.empty()) return "0";
  // value * 2^exp2: multiply by 2 for positive exponents; for negative ones use
  // 2^-k = 5^k / 10^k and place the decimal point k digits from the right.
  const int k = exp2 < 0 ? -exp2 : 0;
  for (int i = 0; i < exp2; ++i) MulSmall(d, 2);
  for (int i = 0; i < k; ++i) MulSmall(d, 5);
  std::string digits = DecimalDigits(d);
  if (k > 0) {
    if (static_cast<int>(digits.size()) <= k) {
      digits = std::string(k - digits.size() + 1, '0') + digits;
    }
    digits.insert(digits.size() - k, ".");
    while (digits.back() == '0') digits.pop_back();
    if (digits.back() == '.') digits.pop_back();
  }
  return neg ? "-" + digits : digits;
}

std::string WideInt::ToHexString(int width) const {
  static constexpr char kHex[] = "0123456789abcdef";
  const int digits = std::max(1, (std::min(width, kBits) + 3) / 4);
  std::string s = "0x";
  for (int i = digits - 1; i >= 0; --i) {
    int nibble = 0;
    for (int b = 0; b < 4; ++b) {
      const int bit = 4 * i + b;
      if (bit < width && Bit(bit)) nibble |= 1 << b;
    }
    s += kHex[nibble];
  }
  return s;
}

}  // namespace fixnn::fixed
