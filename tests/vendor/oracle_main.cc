// The oracle executable: writes the whole result stream of the plan to stdout, or to the
// file named by its only argument.
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "oracle.h"

namespace fixnn::vendor_diff {

std::uint8_t* Output::Begin(Category c, std::uint8_t sub, std::uint32_t index, int result_w,
                            int result_i, bool result_s, std::size_t record_bytes,
                            std::size_t count) {
  header_ = BlockHeader{};
  header_.category = c;
  header_.sub = sub;
  header_.index = index;
  header_.result_w = result_w;
  header_.result_i = result_i;
  header_.result_s = result_s ? 1 : 0;
  header_.record_bytes = static_cast<std::uint32_t>(record_bytes);
  header_.count = count;
  payload_.assign(record_bytes * count, 0);
  return payload_.data();
}

void Output::End() {
  Write(&header_, sizeof header_);
  Write(payload_.data(), payload_.size());
}

void Output::WriteStreamHeader() {
  StreamHeader h;
  h.plan = PlanFingerprint();
  Write(&h, sizeof h);
}

void Output::Write(const void* data, std::size_t size) {
  if (size > 0 && std::fwrite(data, 1, size, file_) != size) {
    std::perror("vendor_diff oracle: write");
    std::exit(2);
  }
}

template <int... shards>
void RunExhaustive(Output& out, std::integer_sequence<int, shards...>) {
  (RunExhaustiveShard<shards>(out), ...);
}

template <int... shards>
void RunRandom(Output& out, std::integer_sequence<int, shards...>) {
  (RunRandomShard<shards>(out), ...);
}

}  // namespace fixnn::vendor_diff

int main(int argc, char** argv) {
  using namespace fixnn::vendor_diff;
  if (argc > 2) {
    std::fprintf(stderr, "usage: %s [output-file]\n", argv[0]);
    return 2;
  }
  std::FILE* file = argc == 2 ? std::fopen(argv[1], "wb") : stdout;
  if (file == nullptr) {
    std::perror(argv[1]);
    return 2;
  }
  static char buffer[1 << 20];
  std::setvbuf(file, buffer, _IOFBF, sizeof buffer);
  Output out(file);
  out.WriteStreamHeader();
  RunExhaustive(out, std::make_integer_sequence<int, FIXNN_VENDOR_DIFF_EXHAUSTIVE_SHARDS>());
  RunExhaustiveArith(out);
  RunRandom(out, std::make_integer_sequence<int, FIXNN_VENDOR_DIFF_RANDOM_SHARDS>());
  out.Begin(Category::kEnd, 0, 0, 0, 0, false, 0, 0);
  out.End();
  if (std::fflush(file) != 0 || std::ferror(file)) {
    std::perror("vendor_diff oracle: write");
    return 2;
  }
  return 0;
}
