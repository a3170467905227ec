#include "estimate/hardware_model.h"

#include <algorithm>
#include <array>
#include <utility>

namespace fixnn::estimate {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Port-sized pieces of a `bits`-wide operand on a `port`-bit signed input: the top piece keeps
// the sign, the lower ones are unsigned and use port - 1 bits.
int64_t Pieces(int bits, int port) {
  if (bits <= port) return 1;
  return 1 + CeilDiv(bits - port, port - 1);
}

}  // namespace

DeviceModel DeviceFor(const std::string& part) {
  DeviceModel device;
  std::string lower = part;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.rfind("xc7", 0) == 0) device.dsp_a_bits = 25;
  return device;
}

int SignedBits(int width, bool is_signed) { return is_signed ? width : width + 1; }

bool IsLutProduct(int a_bits, int b_bits, const DeviceModel& device) {
  return (a_bits <= device.lut_both_bits && b_bits <= device.lut_both_bits) ||
         std::min(a_bits, b_bits) <= device.lut_one_bits;
}

int DspsPerProduct(int a_bits, int b_bits, const DeviceModel& device) {
  if (IsLutProduct(a_bits, b_bits, device)) return 0;
  const int64_t one_way = Pieces(a_bits, device.dsp_a_bits) * Pieces(b_bits, device.dsp_b_bits);
  const int64_t other_way = Pieces(b_bits, device.dsp_a_bits) * Pieces(a_bits, device.dsp_b_bits);
  return static_cast<int>(std::min(one_way, other_way));
}

int64_t LutsPerLutProduct(int a_bits, int b_bits) {
  return CeilDiv(static_cast<int64_t>(a_bits) * b_bits, 2);
}

int64_t Bram18kBlocks(int64_t depth, int64_t words, int word_bits, const DeviceModel& device) {
  if (depth <= 0 || words <= 0 || word_bits <= 0) return 0;
  // {port width, depth} shapes of one BRAM_18K.
  static constexpr std::array<std::pair<int, int64_t>, 6> kShapes = {
      {{36, 512}, {18, 1024}, {9, 2048}, {4, 4096}, {2, 8192}, {1, 16384}}};
  int64_t best = -1;
  for (const auto& [width, shape_depth] : kShapes) {
    if (width * shape_depth > device.bram_bits) continue;
    const int64_t across =
        word_bits > width ? words * CeilDiv(word_bits, width) : CeilDiv(words, width / word_bits);
    const int64_t blocks = across * CeilDiv(depth, shape_depth);
    if (best < 0 || blocks < best) best = blocks;
  }
  return best;
}

int64_t ProductLatency(int64_t reuse_factor, bool resource_strategy, const LatencyModel& model) {
  const int64_t l_mult = resource_strategy ? model.mult_latency_resource : model.mult_latency;
  return l_mult + (std::max<int64_t>(reuse_factor, 1) - 1) * model.mult_interval;
}

}  // namespace fixnn::estimate
