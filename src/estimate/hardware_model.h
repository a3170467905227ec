// The cost rules behind the estimates: how a product maps onto DSPs or LUTs, how a weight
// memory maps onto BRAM_18K blocks, and the pipeline depths of the latency model. Each rule
// says where it comes from; the numbers are estimates, never synthesis results.
#pragma once

#include <cstdint>
#include <string>

namespace fixnn::estimate {

// What the target FPGA offers, from the part name.
struct DeviceModel {
  // DSP multiplier inputs (signed): DSP48E2 (UltraScale, UltraScale+) 27 x 18, DSP48E1
  // (7-series) 25 x 18 (Xilinx UG579 and UG479; the hls4ml tutorial quotes 27 x 18).
  int dsp_a_bits = 27;
  int dsp_b_bits = 18;
  // Narrow products go to LUTs: both operands at most lut_both_bits wide, or one at most
  // lut_one_bits wide. hls4ml's paper (Duarte et al., JINST 13 P07027, 2018, the precision
  // scans) shows Vivado HLS moving products to LUTs below about 10 bits; a product with a
  // 1-4 bit operand is a few additions of shifted copies.
  int lut_both_bits = 10;
  int lut_one_bits = 4;
  // BRAM_18K: 18 Kbit, ports 36 x 512, 18 x 1K, 9 x 2K, 4 x 4K, 2 x 8K, 1 x 16K (UG573).
  int64_t bram_bits = 18 * 1024;
};

// DSP48E1 for 7-series parts ("xc7..."), DSP48E2 otherwise (and for an empty part).
DeviceModel DeviceFor(const std::string& part);

// Bits an operand needs on a signed multiplier port: an unsigned type needs one more.
int SignedBits(int width, bool is_signed);

// True when a product of a_bits x b_bits (signed port bits) is built from LUTs.
bool IsLutProduct(int a_bits, int b_bits, const DeviceModel& device);

// DSPs for one product: 0 for a LUT product, 1 when the operands fit the ports (either way
// round), else the partial products of splitting each operand into port-sized pieces (the
// lower pieces are unsigned, one bit less per piece), the cheaper orientation.
int DspsPerProduct(int a_bits, int b_bits, const DeviceModel& device);

// LUTs of a LUT product: one LUT6 per two partial-product bits, ceil(a * b / 2) (array
// multiplier on the carry chains).
int64_t LutsPerLutProduct(int a_bits, int b_bits);

// BRAM_18K blocks for a memory of `depth` rows, each row `words` words of `word_bits` bits,
// the cheapest port shape (a word is not split across blocks unless it is wider than the
// port). 0 when depth or words is 0.
int64_t Bram18kBlocks(int64_t depth, int64_t words, int word_bits, const DeviceModel& device);

// Pipeline depths in clock cycles (the tutorial's L_mult, II_mult, L_activ), calibrated on
// the seed reports: the tutorial's MNIST MLP (Resource strategy, 518..522 cycles) and the
// top-tagging GRU/LSTM report (Latency strategy, the Dense-ReLU-Dense-sigmoid tail takes 6
// cycles; a GRU step 7 and an LSTM step 8).
struct LatencyModel {
  int mult_latency = 2;           // L_mult, Latency strategy: multiply, then the adder tree
  int mult_latency_resource = 5;  // L_mult, Resource strategy: weight read, DSP pipeline, add
  int mult_interval = 1;          // II_mult
  int activation_latency = 1;     // ReLU, table lookups (sigmoid, tanh, ...), Quantize
  int softmax_latency = 4;        // max/exp table, sum, inverse table, multiply
  int elementwise_latency = 1;    // BatchNorm, Scale, Merge: one multiply or add
  // Recurrent cells: the elementwise multiply/add stages on a step's critical path after the
  // gate activations (GRU: r*(U h), z-mix multiply, add; LSTM: f*c and i*g, add, state
  // update, o*tanh(c); SimpleRNN: the bias/state add).
  int gru_elementwise_stages = 3;
  int lstm_elementwise_stages = 4;
  int simple_rnn_elementwise_stages = 1;
};

// The tutorial's layer latency: L_mult + (R - 1) * II_mult (L_activ is the activation's own).
int64_t ProductLatency(int64_t reuse_factor, bool resource_strategy, const LatencyModel& model);

}  // namespace fixnn::estimate
