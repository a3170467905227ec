#include "tools/fixnn/fixed_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "tools/fixnn/exit_codes.h"

namespace fixnn::cli {
namespace {

using fixed::FixedType;
using fixed::FixedValue;

struct TypeOptions {
  std::string type;
};

struct QuantizeOptions {
  std::vector<std::string> types;
  std::vector<std::string> values;
  std::string input;
};

int Fail(const std::string& message) {
  std::cerr << "fixnn: error: " << message << "\n";
  return kExitUserError;
}

int RunType(const TypeOptions& o) {
  Result<FixedType> t = fixed::ParseFixedType(o.type);
  if (!t) return Fail(t.error().message());
  const FixedValue lo = FixedValue::FromMantissa(*t, fixed::MinMantissa(*t));
  const FixedValue hi = FixedValue::FromMantissa(*t, fixed::MaxMantissa(*t));
  const FixedValue lsb = FixedValue::FromMantissa(*t, fixed::WideInt(1));
  fmt::print("type        {}\n", t->ToString());
  fmt::print("hls4ml      {}\n", t->ToHls4mlString());
  fmt::print("signed      {}\n", t->is_signed ? "yes" : "no");
  fmt::print("bits        W={} I={} F={}\n", t->width, t->integer, t->frac_bits());
  fmt::print("rounding    {}\n", fixed::RoundingName(t->rounding));
  fmt::print("overflow    {}{}\n", fixed::OverflowName(t->overflow),
             t->sat_bits > 0 ? fmt::format(" (N={} saturation bits)", t->sat_bits) : "");
  fmt::print("lsb         {} (2^{})\n", lsb.ToString(), t->lsb_exponent());
  fmt::print("min         {}\n", lo.ToString());
  fmt::print("max         {}\n", hi.ToString());
  return kExitOk;
}

// Reads numbers separated by commas, spaces or newlines; '#' starts a comment.
Result<std::vector<double>> ReadNumbers(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(fmt::format("{}: cannot open file", path));
  std::vector<double> xs;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    line = line.substr(0, line.find('#'));
    for (char& c : line) {
      if (c == ',' || c == ';' || c == '\t') c = ' ';
    }
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      char* end = nullptr;
      errno = 0;
      const double x = std::strtod(word.c_str(), &end);
      if (end == word.c_str() || *end != '\0' || errno == ERANGE) {
        return Error(fmt::format("{}:{}: '{}' is not a number", path, line_no, word));
      }
      xs.push_back(x);
    }
  }
  return xs;
}

std::string Marker(const fixed::CastEvents& ev) {
  if (ev.overflow) return " ^";
  if (ev.underflow) return " v";
  return "";
}

int RunQuantize(const QuantizeOptions& o) {
  std::vector<FixedType> types;
  for (const std::string& s : o.types) {
    Result<FixedType> t = fixed::ParseFixedType(s);
    if (!t) return Fail(t.error().message());
    types.push_back(*t);
  }
  std::vector<double> xs;
  for (const std::string& s : o.values) {
    char* end = nullptr;
    const double x = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') return Fail(fmt::format("'{}' is not a number", s));
    xs.push_back(x);
  }
  if (!o.input.empty()) {
    Result<std::vector<double>> more = ReadNumbers(o.input);
    if (!more) return Fail(more.error().message());
    xs.insert(xs.end(), more->begin(), more->end());
  }
  if (xs.empty()) return Fail("no values: give them as arguments or with --input FILE");
  for (size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i])) {
      return Fail(
          fmt::format("value {} is {}: only finite numbers can be quantized", i + 1, xs[i]));
    }
  }

  constexpr int kCol = 14;
  std::vector<int> widths;
  fmt::print("{:>{}}", "value", kCol);
  for (const FixedType& t : types) {
    widths.push_back(std::max<int>(kCol, static_cast<int>(t.ToString().size())) + 3);
    fmt::print("{:>{}}", t.ToString(), widths.back());
  }
  fmt::print("\n");
  std::vector<long> out_of_range(types.size(), 0);
  for (size_t i = 0; i < xs.size(); ++i) {
    fmt::print("{:>{}}", fmt::format("{}", xs[i]), kCol);
    for (size_t k = 0; k < types.size(); ++k) {
      fixed::CastEvents ev;
      Result<FixedValue> v = fixed::Quantize(xs[i], types[k], &ev);
      if (!v) return Fail(v.error().WithContext(fmt::format("value {}", i + 1)).message());
      out_of_range[k] += ev.out_of_range();
      fmt::print("{:>{}}", v->ToString() + Marker(ev), widths[k]);
    }
    fmt::print("\n");
  }
  fmt::print("{:>{}}", "out of range", kCol);
  for (size_t k = 0; k < types.size(); ++k) fmt::print("{:>{}}", out_of_range[k], widths[k]);
  fmt::print("\n(^ overflowed above the maximum, v below the minimum; values are exact)\n");
  return kExitOk;
}

}  // namespace

void AddFixedCommands(CLI::App& app, int& exit_code) {
  auto type_opts = std::make_shared<TypeOptions>();
  CLI::App* type = app.add_subcommand("type", "Describe a fixed-point type: range, LSB, modes");
  type->add_option("TYPE", type_opts->type, "e.g. 'ap_fixed<16,6,AP_RND,AP_SAT>' or 'fixed<8,3>'")
      ->required();
  type->callback([type_opts, &exit_code] { exit_code = RunType(*type_opts); });

  auto q_opts = std::make_shared<QuantizeOptions>();
  CLI::App* q = app.add_subcommand(
      "quantize", "Show what values become in one or more fixed-point types, bit-exact");
  q->add_option("-t,--type", q_opts->types, "target type (repeat for a side-by-side table)")
      ->required()
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  q->add_option("-i,--input", q_opts->input, "file of numbers (comma/space/newline separated)")
      ->check(CLI::ExistingFile);
  q->add_option("VALUES", q_opts->values, "numbers to quantize");
  q->callback([q_opts, &exit_code] { exit_code = RunQuantize(*q_opts); });
}

}  // namespace fixnn::cli
