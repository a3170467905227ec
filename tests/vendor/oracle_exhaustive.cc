// One shard of the exhaustive casts (from two wider sources) and double conversions of the
// W <= 8 types; compiled once per shard, FIXNN_VENDOR_DIFF_SHARD being the shard number, so
// the instantiations spread over translation units.
#include "oracle.h"

namespace fixnn::vendor_diff {

template <>
void RunExhaustiveShard<FIXNN_VENDOR_DIFF_SHARD>(Output& out) {
  constexpr int kShard = FIXNN_VENDOR_DIFF_SHARD;
  constexpr int kShards = FIXNN_VENDOR_DIFF_EXHAUSTIVE_SHARDS;
  constexpr std::size_t begin = ShardBegin(kNumExhaustiveTypes, kShard, kShards);
  constexpr std::size_t end = ShardBegin(kNumExhaustiveTypes, kShard + 1, kShards);
  ForRange<begin, end>([&out]<std::size_t k>() {
    constexpr TypeSpec t = kExhaustiveTypes[k];
    constexpr TypeSpec from_signed = ExhaustiveSource(t, true);
    constexpr TypeSpec from_unsigned = ExhaustiveSource(t, false);
    CastBlock<from_signed, t>(out, Category::kCastExhaustive, 0, k,
                              AllPatternsCached(from_signed.w));
    CastBlock<from_unsigned, t>(out, Category::kCastExhaustive, 1, k,
                                AllPatternsCached(from_unsigned.w));
    DoubleBlock<t, false>(out, Category::kDoubleExhaustive, k, DoubleGrid(t));
  });
}

}  // namespace fixnn::vendor_diff
