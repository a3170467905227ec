// A small HLS-style program touching every part of the ap_fixed / ap_int
// surface that generated layers use. It prints all its results; CMake builds
// it once against fixnn's headers and once against the vendor headers, and a
// test requires both outputs to be identical, which shows the code compiles
// unchanged against both and computes the same bits.
#include <ap_fixed.h>
#include <ap_int.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <iostream>

namespace {

typedef ap_fixed<16, 6> input_t;
typedef ap_fixed<12, 3, AP_RND_CONV, AP_SAT> weight_t;
typedef ap_fixed<10, 4, AP_RND, AP_SAT_SYM> bias_t;
typedef ap_fixed<32, 12> accum_t;
typedef ap_fixed<16, 6, AP_RND, AP_SAT> result_t;
typedef ap_ufixed<8, 0, AP_RND, AP_SAT> table_t;

const int kIn = 6;
const int kOut = 4;
const int kTableBits = 6;

unsigned long long DoubleBits(double d) {
  unsigned long long b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

unsigned FloatBits(float f) {
  unsigned b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

template <class T>
void Show(const char* tag, const T& x) {
  std::cout << tag << " = " << x << " bin " << x.to_string() << " hex " << x.to_string(16)
            << " oct " << x.to_string(8) << " dec " << x.to_string(10) << "\n";
}

// y = W x + b with full-precision products and an accumulator type, the way
// generated dense layers are written.
void Dense(const input_t in[kIn], const weight_t w[kOut][kIn], const bias_t b[kOut],
           result_t out[kOut]) {
  for (int o = 0; o < kOut; ++o) {
    accum_t acc = b[o];
    for (int i = 0; i < kIn; ++i) {
      acc += in[i] * w[o][i];
    }
    out[o] = acc;
    std::cout << "dense acc[" << o << "] = " << acc << " out " << out[o] << "\n";
  }
}

// Sigmoid through a table indexed by the top bits of the clamped input.
void SigmoidTable(const result_t in[kOut], table_t out[kOut]) {
  table_t table[1 << kTableBits];
  for (int i = 0; i < (1 << kTableBits); ++i) {
    double x = 16.0 * (i - (1 << (kTableBits - 1))) / (1 << kTableBits);
    table[i] = 1.0 / (1.0 + std::exp(-x));
  }
  for (int o = 0; o < kOut; ++o) {
    ap_fixed<16, 4, AP_TRN, AP_SAT> clamped = in[o];
    ap_uint<kTableBits> index = clamped.range(15, 16 - kTableBits);
    index[kTableBits - 1] = !index[kTableBits - 1];
    out[o] = table[index];
    std::cout << "sigmoid[" << o << "] index " << index << " -> " << out[o] << " raw "
              << out[o].range(7, 0).to_uint() << "\n";
  }
}

void Conversions() {
  const double values[] = {0.0,   1.5,   -1.5,   3.14159265358979, -2.71828, 100.0, -100.0, 1e-3,
                           -1e-3, 0.125, -0.375, 31.96875,         -32.0,    1e9,   -0.5};
  for (double v : values) {
    ap_fixed<8, 4> trn = v;
    ap_fixed<8, 4, AP_RND> rnd = v;
    ap_fixed<8, 4, AP_RND_ZERO, AP_SAT> rnd_zero = v;
    ap_fixed<8, 4, AP_RND_MIN_INF, AP_SAT_ZERO> rnd_min_inf = v;
    ap_fixed<8, 4, AP_RND_INF, AP_SAT_SYM> rnd_inf = v;
    ap_fixed<8, 4, AP_RND_CONV, AP_WRAP, 2> rnd_conv = v;
    ap_fixed<8, 4, AP_TRN_ZERO, AP_SAT> trn_zero = v;
    ap_ufixed<8, 4, AP_RND, AP_SAT> unsigned_sat = v;
    ap_int<12> as_int = v;
    ap_uint<12> as_uint = v;
    std::cout << "conv " << v << ": " << trn << " " << rnd << " " << rnd_zero << " " << rnd_min_inf
              << " " << rnd_inf << " " << rnd_conv << " " << trn_zero << " " << unsigned_sat << " "
              << as_int << " " << as_uint << " | " << trn.to_int() << " " << rnd.to_double() << " "
              << std::hex << DoubleBits(rnd_conv.to_double()) << " "
              << FloatBits(trn_zero.to_float()) << std::dec << "\n";
  }
  float f = -0.8125f;
  ap_fixed<10, 2, AP_RND> from_float = f;
  ap_fixed<6, 3> from_bool = true;
  ap_fixed<20, 10> from_chars = (signed char)-7;
  ap_ufixed<20, 18> from_ulong = 123456ul;
  ap_fixed<24, 12> from_int = -2047;
  ap_fixed<40, 40> from_ll = -123456789012ll;
  ap_fixed<9, 5, AP_RND, AP_SAT> narrowed = from_int;
  ap_fixed<12, 12> from_ap_int = ap_int<12>(-1000);
  ap_ufixed<12, 8, AP_TRN, AP_SAT> from_ap_uint = ap_uint<10>(1000);
  ap_int<7> int_from_fixed = ap_fixed<12, 8>(-37.75);
  ap_uint<6> uint_from_fixed = ap_fixed<12, 8>(37.75);
  Show("from_float", from_float);
  Show("from_bool", from_bool);
  Show("from_chars", from_chars);
  Show("from_ulong", from_ulong);
  Show("from_ll", from_ll);
  Show("narrowed", narrowed);
  Show("from_ap_int", from_ap_int);
  Show("from_ap_uint", from_ap_uint);
  Show("int_from_fixed", int_from_fixed);
  Show("uint_from_fixed", uint_from_fixed);
  int as_c_int = int_from_fixed;
  long long as_c_ll = ap_int<40>(-5000000000ll);
  double as_double = from_int;
  float as_float = from_float;
  std::cout << "c types " << as_c_int << " " << as_c_ll << " " << as_double << " " << as_float
            << " " << from_int.to_uint() << " " << from_int.to_int64() << " " << from_ll.to_uint64()
            << " " << from_int.is_neg() << " " << from_int.length() << "\n";
  std::cout << "static " << input_t::width << " " << input_t::iwidth << " " << weight_t::qmode
            << " " << weight_t::omode << " " << ap_uint<13>::width << "\n";
}

void Arithmetic() {
  ap_fixed<10, 4> a = -3.375;
  ap_ufixed<9, 5> b = 7.25;
  ap_int<9> i = -100;
  ap_uint<7> u = 90;
  Show("a+b", a + b);
  Show("a-b", a - b);
  Show("b-a", b - a);
  Show("a*b", a * b);
  Show("a/b", a / b);
  Show("b/a", b / a);
  Show("-a", -a);
  Show("-b", -b);
  Show("~a", ~a);
  Show("a+i", a + i);
  Show("u*a", u * a);
  Show("a/i", a / i);
  Show("a*3", a * 3);
  Show("5-b", 5 - b);
  Show("b/2u", b / 2u);
  Show("i+u", i + u);
  Show("i-u", i - u);
  Show("i*u", i * u);
  Show("i/u", i / u);
  Show("i%u", i % u);
  Show("i&u", i & u);
  Show("i|u", i | u);
  Show("i^u", i ^ u);
  Show("-i", -i);
  Show("~u", ~u);
  Show("i*7", i * 7);
  Show("1000-u", 1000 - u);
  std::cout << "int with double " << i * 0.5 << " " << 2.5 + u << "\n";
  std::cout << "not " << !a << " " << !ap_int<4>(0) << " +a " << +a << " +i " << +i << "\n";

  ap_fixed<12, 6, AP_RND, AP_SAT> c = 30.0;
  c += a;
  Show("c+=a", c);
  c *= b;
  Show("c*=b", c);
  c -= 100;
  Show("c-=100", c);
  c /= ap_int<4>(-3);
  Show("c/=int4", c);
  c++;
  ++c;
  Show("c++ ++c", c);
  c--;
  --c;
  Show("c-- --c", c);
  ap_fixed<6, 2> wrap = 1.75;
  ++wrap;
  Show("wrap++", wrap);
  ap_int<8> k = 120;
  k += 10;
  Show("k+=10", k);
  k *= u;
  Show("k*=u", k);
  k /= 3;
  Show("k/=3", k);
  k %= ap_int<5>(7);
  Show("k%=7", k);
  k -= a;
  Show("k-=a", k);
  k &= 0x3c;
  k |= ap_uint<3>(1);
  k ^= 0x55;
  Show("k bits", k);
  k++;
  --k;
  k--;
  Show("k inc/dec", k);
}

void Shifts() {
  ap_fixed<12, 4> a = -2.625;
  ap_ufixed<12, 4> b = 5.8125;
  ap_int<10> i = -77;
  ap_uint<10> u = 613;
  Show("a<<2", a << 2);
  Show("a>>3", a >> 3);
  Show("b<<-1", b << -1);
  Show("b>>uint", b >> ap_uint<3>(5));
  Show("a<<int", a << ap_int<4>(-2));
  Show("b<<2u", b << 2u);
  Show("i<<3", i << 3);
  Show("i>>2", i >> 2);
  Show("u>>-2", u >> -2);
  Show("u<<uint", u << ap_uint<4>(4));
  Show("i>>int", i >> ap_int<4>(-3));
  Show("u<<12", u << 12);
  a <<= 1;
  b >>= 2;
  i <<= ap_uint<2>(2);
  u >>= 3;
  Show("a<<=1", a);
  Show("b>>=2", b);
  Show("i<<=2", i);
  Show("u>>=3", u);
}

void Comparisons() {
  ap_fixed<10, 4> a = -1.25;
  ap_ufixed<9, 5> b = 3.5;
  ap_int<12> i = -3;
  ap_uint<6> u = 3;
  std::cout << "cmp fixed " << (a < b) << (a == b) << (b > a) << (a <= a) << (b >= b) << (a != b)
            << "\n";
  std::cout << "cmp mixed " << (a < i) << (b == u) << (u > a) << (i <= b) << (a != u) << "\n";
  std::cout << "cmp int " << (a < 0) << (b > 3) << (a == -1) << (3u <= b) << (0 > a) << "\n";
  std::cout << "cmp double " << (a < -1.0) << (b == 3.5) << (a >= -1.25) << (2.0 < b) << (-1.3 > a)
            << "\n";
  std::cout << "cmp ints " << (i < u) << (i == -3) << (u >= 3) << (i > -4ll) << (u != 2u)
            << (i < 0.5) << "\n";
}

void BitsAndRanges() {
  ap_uint<16> word = 0xBEEF;
  ap_int<16> sword = -2;
  ap_fixed<16, 8> f = -5.75;
  std::cout << "range " << word.range(15, 8) << " " << word(7, 4) << " " << word.range() << " "
            << word[0] << word[4] << " " << sword.range(3, 0) << " " << f.range(7, 0).to_uint()
            << " " << f(15, 8).to_int() << "\n";
  word.range(7, 0) = 0x12;
  word(15, 12) = ap_uint<4>(0xA);
  word[8] = 0;
  word[9] = true;
  Show("word", word);
  f.range(3, 0) = 9;
  f[15] = 0;
  Show("f bits", f);
  ap_fixed<16, 8> g;
  g.range(15, 0) = ap_uint<16>(0x1234);
  Show("g raw", g);
  g.range() = f.range();
  Show("g copy", g);
  ap_uint<8> from_range = word.range(11, 4);
  ap_uint<5> idx = f.range(4, 0);
  Show("from_range", from_range);
  Show("idx", idx);
  std::cout << "range math " << (word.range(3, 0) + 1) << " " << (word.range(7, 0) * 2) << " "
            << (word.range(7, 4) == 1) << " " << (from_range.range(3, 0) < 5) << " "
            << (word[15] == 1) << " " << word.range(7, 0).to_int() << " "
            << word.range(15, 8).to_uint64() << " " << word.range(3, 0).length() << "\n";
}

void WideValues() {
  ap_int<100> big = 1;
  big <<= 90;
  big -= 12345;
  ap_uint<80> ubig = 0;
  ubig.range(79, 48) = 0xDEADBEEFu;
  ubig.range(47, 16) = 0x01234567u;
  ap_fixed<96, 40> wide = -123456789.123456789;
  ap_fixed<128, 64> product = wide * wide;
  ap_fixed<130, 70, AP_RND, AP_SAT> sum = product + wide;
  std::cout << "big " << big << " " << big.to_string(16) << " ubig " << ubig << " "
            << ubig.to_string(16) << "\n";
  std::cout << "big ops " << big / ap_int<20>(-777) << " " << big % 1000 << " "
            << (big * ubig).to_string(16) << " " << (big > ubig) << " " << (big >> 70) << "\n";
  std::cout << std::setprecision(20) << "wide " << wide << " product " << product << " sum " << sum
            << std::setprecision(6) << "\n";
  Show("wide/3", wide / ap_int<3>(3));
  std::cout << "wide double " << std::hex << DoubleBits(wide.to_double()) << " "
            << DoubleBits(product.to_double()) << std::dec << "\n";
}

void Streams() {
  ap_fixed<20, 10> x = 123.4567;
  ap_int<12> i = -42;
  std::cout << "[" << std::setw(12) << x << "] [" << std::setw(8) << i << "] ["
            << std::setprecision(3) << x << "] " << std::setprecision(6) << "\n";
  std::cout << std::hex << i << " " << ap_uint<12>(42) << std::oct << " " << ap_uint<12>(42)
            << std::dec << "\n";
}

}  // namespace

int main() {
  input_t in[kIn] = {0.5, -1.25, 2.0, 3.75, -0.125, 1.0};
  weight_t w[kOut][kIn];
  bias_t b[kOut] = {0.25, -0.5, 1.0, -7.9};
  for (int o = 0; o < kOut; ++o) {
    for (int i = 0; i < kIn; ++i) {
      w[o][i] = 0.37 * (o + 1) - 0.21 * i + 0.013 * o * i;
    }
  }
  result_t dense_out[kOut];
  table_t act[kOut];
  Dense(in, w, b, dense_out);
  SigmoidTable(dense_out, act);
  Conversions();
  Arithmetic();
  Shifts();
  Comparisons();
  BitsAndRanges();
  WideValues();
  Streams();
  return 0;
}
