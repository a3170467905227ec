// The int64 path against the exact WideInt path on random chains: Dense (both strategies)
// and every elementwise kind and softmax, with random types over all rounding and overflow
// modes. Emulate() fails the test when the two paths differ in any bit or count.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ActivationNode;
using testing::ChainBuilder;
using testing::DenseNode;

const char* const kRounding[] = {"TRN",         "TRN_ZERO", "RND",     "RND_ZERO",
                                 "RND_MIN_INF", "RND_INF",  "RND_CONV"};
const char* const kOverflow[] = {"WRAP", "SAT", "SAT_ZERO", "SAT_SYM"};

class Random {
 public:
  explicit Random(unsigned seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double Real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  // A signed type of 2..max_width bits, with random modes (saturation bits now and then).
  std::string Type(int max_width) {
    const int w = Int(2, max_width);
    const int i = Int(-2, w + 2);
    const char* o = kOverflow[Int(0, 3)];
    const int n = std::string(o) == "WRAP" && Int(0, 3) == 0 ? Int(1, w) : 0;
    return fmt::format("fixed<{},{},{},{},{}>", w, i, kRounding[Int(0, 6)], o, n);
  }

 private:
  std::mt19937 rng_;
};

TEST(EmulatorPaths, Int64AndExactAgreeOnRandomChains) {
  Random r(77);
  int ran = 0;
  for (int trial = 0; trial < 150; ++trial) {
    const int n_in = r.Int(1, 8), n_out = r.Int(1, 6);
    std::vector<double> kernel(static_cast<size_t>(n_in * n_out)), bias(n_out);
    for (double& k : kernel) k = r.Real(-3, 3);
    for (double& b : bias) b = r.Real(-2, 2);
    ir::Node dense = DenseNode("d", n_in, n_out, kernel, bias, r.Type(16), r.Type(16), r.Type(30));
    if (r.Int(0, 1) == 1) {
      dense.settings.strategy = ir::Strategy::kResource;
      std::vector<int> divisors;
      for (int d = 1; d <= n_in; ++d) {
        if (n_in % d == 0) divisors.push_back(d);
      }
      dense.settings.reuse_factor =
          divisors[static_cast<size_t>(r.Int(0, static_cast<int>(divisors.size()) - 1))];
    }
    ChainBuilder chain({n_in}, r.Type(16));
    chain.Add(dense, r.Type(20));
    ir::ActivationAttrs a;
    std::map<std::string, std::string> types;
    switch (r.Int(0, 6)) {
      case 0:
        a.fn = ir::ActivationFn::kReLU;
        break;
      case 1:
        a.fn = ir::ActivationFn::kReLU;
        a.max_value = 6.0;
        break;
      case 2:
        a.fn = ir::ActivationFn::kLeakyReLU;
        a.alpha = 0.3;
        types["param"] = "ufixed<8,-1>";
        break;
      case 3:
        a.fn = ir::ActivationFn::kSigmoid;
        types["table"] = r.Type(24);
        break;
      case 4:
        a.fn = ir::ActivationFn::kTanh;
        types["table"] = r.Type(24);
        break;
      case 5:
        a.fn = ir::ActivationFn::kReLU;
        a.threshold = 0.5;
        break;
      default:
        a.fn = ir::ActivationFn::kSoftmax;
        types = {{"exp_table", r.Type(18)},
                 {"inv_table", r.Type(18)},
                 {"inv_inp", r.Type(18)},
                 {"accum", r.Type(20)}};
        break;
    }
    ir::Node act = ActivationNode("a", a, types);
    if (a.fn == ir::ActivationFn::kSoftmax) {
      act.settings.table_size = 1 << r.Int(1, 10);
      act.settings.softmax_implementation = r.Int(0, 1) == 0 ? ir::SoftmaxImplementation::kStable
                                                             : ir::SoftmaxImplementation::kLatency;
    }
    chain.Add(act, r.Type(20));
    const ir::Graph g = chain.Finish();
    if (!testing::CreateError(g).empty()) continue;  // e.g. a softmax index wider than its type
    std::vector<double> x(static_cast<size_t>(n_in * 50));
    for (double& v : x) v = r.Real(-40, 40);
    testing::Emulate(g, x);
    ++ran;
    if (HasFailure()) {
      ADD_FAILURE() << "trial " << trial;
      return;
    }
  }
  EXPECT_GT(ran, 120);
}

}  // namespace
}  // namespace fixnn::emulator
