// + - * on every pair of values: of each W <= 8 type with itself, and of every ordered pair
// of the small mixed types.
#include "oracle.h"

namespace fixnn::vendor_diff {

void RunExhaustiveArith(Output& out) {
  ForRange<0, kNumExhaustiveArithTypes>([&out]<std::size_t k>() {
    constexpr TypeSpec t = kExhaustiveArithTypes[k];
    ArithBlocks<t, t>(out, Category::kArithExhaustive, k, AllPairs(t, t));
  });
  ForRange<0, kNumMixedSmallPairs>([&out]<std::size_t k>() {
    constexpr TypeSpec a = kMixedSmallTypes[k / kNumMixedSmallTypes];
    constexpr TypeSpec b = kMixedSmallTypes[k % kNumMixedSmallTypes];
    ArithBlocks<a, b>(out, Category::kArithMixedSmall, k, AllPairs(a, b));
  });
}

}  // namespace fixnn::vendor_diff
