// Text formatting of ap values. The layout (radix prefixes, the digit case,
// the extra leading zero, and the significant-digit trimming used by
// operator<<) reproduces the reference headers so printed results compare
// equal character for character.
#ifndef FIXNN_AP_FORMAT_H_
#define FIXNN_AP_FORMAT_H_

#include <algorithm>

#include "limbs.h"

namespace fixnn_ap {

inline const char* RadixPrefix(int radix) {
  return radix == 2 ? "0b" : radix == 8 ? "0o" : radix == 16 ? "0x" : "";
}

// Text of the BITS-wide integer in p (canonical for `is_signed`). With
// `want_signed` a negative value prints as "-magnitude", otherwise its bit
// pattern is printed. Widths above 64 use upper-case hex digits, print zero
// without a prefix and pad with a leading zero digit whenever the digits do
// not cover the width, as the reference headers do.
template <int BITS>
std::string IntToString(const Word* p, bool is_signed, int radix, bool want_signed) {
  enum { kWords = WordsFor(BITS) };
  const bool narrow = BITS <= 64;
  Word mag[kWords];
  Extend(mag, kWords, p, kWords, is_signed);
  std::string sign;
  if (want_signed && is_signed && GetBit(mag, kWords, BITS - 1)) {
    Negate(mag, kWords);
    sign = "-";
  }
  Wrap(mag, kWords, BITS, false);
  if (IsZero(mag, kWords)) {
    if (radix == 10 || !narrow) return "0";
    return std::string(RadixPrefix(radix)) + "0";
  }
  std::string digits;
  if (radix == 10) {
    while (!IsZero(mag, kWords)) digits += char('0' + DivSmall(mag, kWords, 10));
    std::reverse(digits.begin(), digits.end());
    return sign + digits;
  }
  const char* set = narrow ? "0123456789abcdef" : "0123456789ABCDEF";
  int step = radix == 16 ? 4 : radix == 8 ? 3 : 1;
  Word top = 0;
  while (!IsZero(mag, kWords)) {
    top = mag[0] & Word(radix - 1);
    digits += set[top];
    ShiftRight(mag, kWords, step, false);
  }
  bool pad =
      int(digits.size()) * step < BITS && sign.empty() && (!narrow || (top >> (step - 1)) == 1);
  if (pad) digits += '0';
  std::reverse(digits.begin(), digits.end());
  return sign + RadixPrefix(radix) + digits;
}

// Text of a fixed-point value with raw bits p (AW bits, AI integer bits).
template <int AW, int AI, bool AS>
std::string FixedToString(const Word* p, int radix, bool sign) {
  enum { kWide = WordsFor(AW + 1), kFrac = WordsFor(Max(AW - AI, 1) + 4) };
  const int frac_bits = AW - AI;
  if (radix == 2) sign = false;
  Word v[kWide];
  Extend(v, kWide, p, WordsFor(AW), AS);
  Wrap(v, kWide, AW + 1, true);
  std::string out;
  if (sign && AS && GetBit(v, kWide, AW - 1)) {
    Negate(v, kWide);
    out = "-";
  }
  if (AI > 0) {
    enum { kInt = WordsFor(Max(AI, 0) + 1) };
    Word ip[kInt];
    Word shifted[kWide];
    Extend(shifted, kWide, v, kWide, true);
    if (frac_bits >= 0) {
      ShiftRight(shifted, kWide, frac_bits, true);
      Extend(ip, kInt, shifted, kWide, true);
    } else {
      Extend(ip, kInt, shifted, kWide, true);
      ShiftLeft(ip, kInt, -frac_bits);
    }
    Wrap(ip, kInt, AI + 1, false);
    out += IntToString<Max(AI, 0) + 1>(ip, false, radix, false);
  } else {
    out += RadixPrefix(radix);
    out += '0';
  }
  if (frac_bits <= 0) return out;
  Word frac[kFrac];
  Extend(frac, kFrac, v, kWide, true);
  Wrap(frac, kFrac, frac_bits, false);
  if (IsZero(frac, kFrac)) return out;
  out += '.';
  if (radix == 10) {
    while (!IsZero(frac, kFrac)) {
      MulSmall(frac, kFrac, 10);
      Word shifted[kFrac];
      Extend(shifted, kFrac, frac, kFrac, false);
      ShiftRight(shifted, kFrac, frac_bits, false);
      out += char('0' + shifted[0]);
      Wrap(frac, kFrac, frac_bits, false);
    }
    return out;
  }
  int step = radix == 16 ? 4 : radix == 8 ? 3 : 1;
  for (int i = frac_bits - 1; i >= 0; i -= step) {
    int lo = Max(0, i - step + 1);
    int digit = 0;
    for (int b = i; b >= lo; --b) digit = 2 * digit + GetBit(frac, kFrac, b);
    digit <<= lo - (i - step + 1);
    out += "0123456789abcdef"[digit];
  }
  if (radix == 16) out += "p0";
  return out;
}

inline bool IsSignificantDigit(char c) { return c >= '1' && c <= '9'; }

// d.ddd followed by e+XX / e-XX for a plain decimal string.
inline std::string ScientificFormat(const std::string& in) {
  if (in.empty()) return in;
  int dot = int(in.find('.'));
  if (dot < 0) dot = int(in.size());
  int first = 0;
  while (!IsSignificantDigit(in[first])) ++first;
  int last = int(in.size()) - 1;
  while (last >= 0 && !IsSignificantDigit(in[last])) --last;
  int exp = first > dot ? dot - first : dot - first - 1;
  std::string out(1, in[first]);
  if (first != last) {
    out += '.';
    for (int i = first + 1; i <= last; ++i) {
      if (in[i] != '.') out += in[i];
    }
  }
  if (exp != 0) {
    out += exp < 0 ? "e-" : "e+";
    int mag = exp < 0 ? -exp : exp;
    if (mag < 10) out += '0';
    out += std::to_string(mag);
  }
  return out;
}

// Trims a decimal string to `precision` significant digits the way the
// reference operator<< does: the first dropped digit rounds half up (for
// numbers with a fraction and more than `precision` integer digits it looks
// one digit too far, which is kept), and very small or large results switch to
// scientific notation.
inline std::string ReducePrecision(const std::string& in, int precision) {
  if (in.find_first_not_of("0.") == std::string::npos) return "0";
  const bool neg = in[0] == '-';
  int len = int(in.size());
  int dot = int(in.find('.'));
  if (dot < 0) dot = len;
  int first = 0;
  while (!IsSignificantDigit(in[first])) ++first;
  int last = len - 1;
  while (!IsSignificantDigit(in[last])) --last;
  int cut;
  if (dot > last) {
    if (last - first + 1 <= precision) return in;
    cut = first + precision;
  } else if (dot < first) {
    if (last - first + 1 <= precision) {
      if (first - dot - 1 < 4) return in;
      return neg ? "-" + ScientificFormat(in.substr(1)) : ScientificFormat(in);
    }
    cut = first + precision;
  } else {
    if (last - first <= precision) return in;
    cut = first + precision + 1;
  }
  // A leading "0" absorbs a carry out of the top digit; indices into `d`
  // equal those into `in` once the sign is dropped.
  std::string d = "0" + (neg ? in.substr(1) : in);
  if (!neg) ++cut;
  if (d[cut] > '4') {
    for (int i = cut - 1; i >= 0; --i) {
      if (d[i] == '.') continue;
      if (d[i] != '9') {
        ++d[i];
        break;
      }
      d[i] = '0';
    }
  }
  int start = 0;
  if (d[0] != '1') {
    while (!IsSignificantDigit(d[start])) ++start;
  }
  int kept = 0;
  for (int i = start; i < int(d.size()); ++i) {
    if (d[i] != '.' && ++kept > precision) d[i] = '0';
  }
  int end = int(d.size());
  if (d.find('.') != std::string::npos) {
    for (end = int(d.size()) - 1; d[end] != '.'; --end) {
      if (d[end] != '0') {
        ++end;
        break;
      }
    }
  }
  d = d[0] == '1' ? d.substr(0, end) : d.substr(1, end - 1);
  std::string sign = neg ? "-" : "";
  size_t p = d.find('.');
  if (p != std::string::npos) {
    size_t i = p + 1;
    while (i < d.size() && d[i] == '0') ++i;
    return sign + (i - p - 1 < 4 ? d : ScientificFormat(d));
  }
  if (int(d.size()) <= precision) return sign + d;
  return sign + ScientificFormat(d);
}

}  // namespace fixnn_ap

#endif  // FIXNN_AP_FORMAT_H_
