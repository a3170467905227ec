// The C entry points fixnn loads to run this project's C++ (built with g++, not for
// synthesis): doubles in, doubles out, each value converted as the top function's
// ports convert it.
#include "firmware/tiny.h"

extern "C" {

// Elements per sample of every input, then of every output.
const long* tiny_io_sizes(int* n_inputs, int* n_outputs) {
  static const long sizes[] = {N_INPUT1, N_OUTPUT1, };
  *n_inputs = 1;
  *n_outputs = 1;
  return sizes;
}

// Reads the weights kept in .txt files from `weights_dir` (NULL: the default). 0: done.
int tiny_load(const char* weights_dir) { return tiny_load_weights(weights_dir) ? 0 : 1; }

// Runs n samples: inputs[k] holds n * (size of input k) doubles, outputs[k] receives n *
// (size of output k). 0: done.
int tiny_predict(const double* const* inputs, double* const* outputs, long n) {
  if (!tiny_load_weights(NULL)) return 1;
  for (long s = 0; s < n; s++) {
    input1_t input1[N_INPUT1];
    for (long i = 0; i < N_INPUT1; i++) input1[i] = input1_t(inputs[0][s * N_INPUT1 + i]);
    result1_t out1[N_OUTPUT1];
    hls::stream<fixnn::packet<input1_t, 3> > input1_stream("input1");
    fixnn::write_tensor<input1_t, 1, 3>(input1, input1_stream);
    hls::stream<fixnn::packet<result1_t, 2> > out1_stream("out1");
    tiny(input1_stream, out1_stream);
    fixnn::read_tensor<result1_t, 1, 2>(out1_stream, out1);
    for (long i = 0; i < N_OUTPUT1; i++) outputs[0][s * N_OUTPUT1 + i] = out1[i].to_double();
  }
  return 0;
}

}  // extern "C"
