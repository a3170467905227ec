// Testbench of 'tiny': runs every line of tb_data/tb_input_features.dat (one sample per
// line: the inputs' values in order, separated by spaces or commas) and writes the
// outputs to tb_data/csim_results.log, one line per sample (%.17g, exact for every
// double). When tb_data/tb_output_predictions.dat exists, compares with it exactly and
// fails on a difference.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "firmware/tiny.h"

namespace {

bool ParseLine(std::string line, std::vector<double>& values) {
  for (size_t i = 0; i < line.size(); i++) {
    if (line[i] == ',') line[i] = ' ';
  }
  std::istringstream in(line);
  values.clear();
  std::string token;
  while (in >> token) {
    char* end = NULL;
    values.push_back(std::strtod(token.c_str(), &end));
    if (*end != '\0') return false;
  }
  return true;
}

}  // namespace

int main() {
#ifndef __SYNTHESIS__
  if (!tiny_load_weights(NULL)) return 1;
#endif
  std::ifstream fin("tb_data/tb_input_features.dat");
  std::ifstream fexpected("tb_data/tb_output_predictions.dat");
  std::ofstream fout("tb_data/csim_results.log");
  if (!fin) {
    std::fprintf(stderr, "tb_data/tb_input_features.dat not found\n");
    return 1;
  }
  std::string line;
  std::vector<double> x, expected;
  long samples = 0, mismatches = 0;
  while (std::getline(fin, line)) {
    if (!ParseLine(line, x)) {
      std::fprintf(stderr, "sample %ld: not a list of numbers\n", samples);
      return 1;
    }
    if (x.empty()) continue;
    if (x.size() != 3) {
      std::fprintf(stderr, "sample %ld: %zu values, expected 3\n", samples, x.size());
      return 1;
    }
    input1_t input1[N_INPUT1];
    for (int i = 0; i < N_INPUT1; i++) input1[i] = input1_t(x[0 + i]);
    result1_t out1[N_OUTPUT1];
    hls::stream<fixnn::packet<input1_t, 3> > input1_stream("input1");
    fixnn::write_tensor<input1_t, 1, 3>(input1, input1_stream);
    hls::stream<fixnn::packet<result1_t, 2> > out1_stream("out1");
    tiny(input1_stream, out1_stream);
    fixnn::read_tensor<result1_t, 1, 2>(out1_stream, out1);
    std::vector<double> y;
    for (int i = 0; i < N_OUTPUT1; i++) y.push_back(out1[i].to_double());
    for (size_t i = 0; i < y.size(); i++) {
      char text[40];
      std::snprintf(text, sizeof text, "%.17g", y[i]);
      fout << text << (i + 1 < y.size() ? " " : "\n");
    }
    if (fexpected && std::getline(fexpected, line) && ParseLine(line, expected)) {
      if (expected.size() != y.size()) {
        mismatches += 2;
      } else {
        for (size_t i = 0; i < y.size(); i++) mismatches += y[i] != expected[i];
      }
    }
    samples++;
  }
  std::printf("%ld samples", samples);
  if (fexpected) std::printf(", %ld values differ from tb_output_predictions.dat", mismatches);
  std::printf("\n");
  return mismatches == 0 ? 0 : 2;
}
