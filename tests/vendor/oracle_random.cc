// One shard of the random tables: conversions from double and back, casts and arithmetic;
// compiled once per shard, FIXNN_VENDOR_DIFF_SHARD being the shard number.
#include "oracle.h"

namespace fixnn::vendor_diff {

template <>
void RunRandomShard<FIXNN_VENDOR_DIFF_SHARD>(Output& out) {
  constexpr int kShard = FIXNN_VENDOR_DIFF_SHARD;
  constexpr int kShards = FIXNN_VENDOR_DIFF_RANDOM_SHARDS;
  ForRange<ShardBegin(kNumRandomTypes, kShard, kShards),
           ShardBegin(kNumRandomTypes, kShard + 1, kShards)>([&out]<std::size_t k>() {
    constexpr TypeSpec t = kRandomTypes[k];
    DoubleBlock<t, true>(out, Category::kDoubleRandom, k, RandomDoubles(k, t));
    ToFloatingBlock<t, false>(out, Category::kToDoubleRandom, k,
                              RandomPatterns(Category::kToDoubleRandom, k, t, kRandomToFpCases));
    if constexpr (InFloatRange(t)) {
      ToFloatingBlock<t, true>(out, Category::kToFloatRandom, k,
                               RandomPatterns(Category::kToFloatRandom, k, t, kRandomToFpCases));
    }
  });
  ForRange<ShardBegin(kNumRandomCasts, kShard, kShards),
           ShardBegin(kNumRandomCasts, kShard + 1, kShards)>([&out]<std::size_t k>() {
    constexpr TypePair p = kRandomCasts[k];
    CastBlock<p.a, p.b>(out, Category::kCastRandom, 0, k,
                        RandomPatterns(Category::kCastRandom, k, p.a, kRandomCastCases));
  });
  ForRange<ShardBegin(kNumRandomArith, kShard, kShards),
           ShardBegin(kNumRandomArith, kShard + 1, kShards)>([&out]<std::size_t k>() {
    constexpr TypePair p = kRandomArith[k];
    ArithBlocks<p.a, p.b>(out, Category::kArithRandom, k, RandomPairs(k, p.a, p.b));
  });
}

}  // namespace fixnn::vendor_diff
