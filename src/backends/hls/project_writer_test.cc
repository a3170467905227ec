// The project writer on small hand-built graphs: the generated files against golden copies
// (tests/data/hls_golden, io_parallel and io_stream; FIXNN_UPDATE_GOLDEN=1 rewrites them), and
// the refusals: an existing folder without force, ops and settings not handled (in io_stream
// too), each leaving nothing behind.
#include "backends/hls/project_writer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backends/hls/embedded_files.h"
#include "backends/hls/hls_test_util.h"
#include "emulator/emulator_test_util.h"

namespace fixnn::backends::hls {
namespace {

namespace fs = std::filesystem;
using emulator::testing::ActivationNode;
using emulator::testing::ChainBuilder;
using emulator::testing::DenseNode;
using testing::ScratchDir;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// x[3] -> Dense(2) -> sigmoid (16-entry table) -> Dense(2, Resource RF 3, no bias) -> softmax.
ir::Graph TinyMlp() {
  ir::Node d1 = DenseNode("fc1", 3, 2, {0.5, -0.25, 1.0, 0.125, -1.5, 0.75}, {0.25, -0.5},
                          "fixed<8,3>", "fixed<8,3>", "fixed<18,8>");
  ir::ActivationAttrs sig;
  sig.fn = ir::ActivationFn::kSigmoid;
  ir::Node act = ActivationNode("sig", sig, {{"table", "fixed<10,2>"}});
  act.settings.table_size = 16;
  ir::Node d2 =
      DenseNode("fc2", 2, 2, {1.0, -1.0, 0.5, 0.375}, {}, "fixed<6,2>", "", "fixed<10,3,RND,SAT>");
  d2.settings.strategy = ir::Strategy::kResource;
  d2.settings.reuse_factor = 2;
  ir::ActivationAttrs sm;
  sm.fn = ir::ActivationFn::kSoftmax;
  ir::Node softmax = ActivationNode("sm", sm,
                                    {{"exp_table", "fixed<18,8,RND,SAT>"},
                                     {"inv_table", "fixed<18,8,RND,SAT>"},
                                     {"inv_inp", "fixed<18,8,RND,SAT>"},
                                     {"accum", "fixed<18,8,RND,SAT>"}});
  softmax.settings.table_size = 8;
  return ChainBuilder({3}, "fixed<10,4>")
      .Add(d1, "fixed<16,6>")
      .Add(act, "ufixed<8,0>")
      .Add(d2, "fixed<12,4>")
      .Add(softmax, "ufixed<10,0,RND,SAT>")
      .Finish();
}

config::ProjectConfig Project(const std::string& name = "tiny") {
  config::ProjectConfig p;
  p.project_name = name;
  p.part = "xc7z020clg400-1";
  p.clock_period = 10;
  return p;
}

// The folder's entries whose names start with `stem` (the project and any temporary sibling).
std::vector<std::string> Siblings(const fs::path& parent, const std::string& stem) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(parent)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(stem, 0) == 0) out.push_back(name);
  }
  return out;
}

// Writes TinyMlp() under `project` and compares every file that is not an embedded template
// with tests/data/hls_golden/<golden>; returns the folder written.
fs::path ExpectGoldenFiles(const config::ProjectConfig& project, const std::string& golden_name) {
  const fs::path dir = ScratchDir("golden") / "tiny";
  WriteOptions options;
  options.output_dir = dir;
  options.txt_threshold = 4;  // fc1's kernel (6 values) also gets a .txt file
  Status st = WriteHlsProject(TinyMlp(), project, options);
  EXPECT_TRUE(st.ok()) << st.error().message();
  if (!st.ok()) return dir;

  std::set<std::string> embedded;
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    embedded.insert(std::string(f.path));
    EXPECT_EQ(ReadFile(dir / f.path), f.text) << f.path;
  }
  const fs::path golden = fs::path(FIXNN_HLS_GOLDEN_DIR) / golden_name;
  const bool update = std::getenv("FIXNN_UPDATE_GOLDEN") != nullptr;
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), dir).string();
    if (embedded.count(rel) != 0) continue;
    const std::string text = ReadFile(e.path());
    if (update) {
      fs::create_directories((golden / rel).parent_path());
      std::ofstream(golden / rel, std::ios::binary) << text;
    }
    EXPECT_TRUE(fs::exists(golden / rel)) << rel << " has no golden copy";
    EXPECT_EQ(text, ReadFile(golden / rel)) << rel << " differs from its golden copy";
    ++compared;
  }
  // Top header and source, defines, parameters, 7 weight headers, 4 .txt files (the arrays of
  // more than 4 values), testbench, bridge, two scripts, README.
  EXPECT_EQ(compared, 20);
  for (const auto& e : fs::recursive_directory_iterator(golden)) {
    if (!e.is_regular_file()) continue;
    EXPECT_TRUE(fs::exists(dir / fs::relative(e.path(), golden)))
        << fs::relative(e.path(), golden) << ": a golden file the writer no longer writes";
  }
  return dir;
}

TEST(HlsProjectWriter, TinyMlpMatchesGoldenFiles) {
  const fs::path dir = ExpectGoldenFiles(Project(), "tiny_mlp");
  // The layer and its numbers are where a reader looks for them.
  const std::string params = ReadFile(dir / "firmware/parameters.h");
  EXPECT_NE(params.find("static const unsigned reuse_factor = 2;"), std::string::npos);
  EXPECT_NE(params.find("static const unsigned strategy = fixnn::resource;"), std::string::npos);
  const std::string defines = ReadFile(dir / "firmware/defines.h");
  EXPECT_NE(defines.find("typedef ap_fixed<10,3,AP_RND,AP_SAT> layer4_accum_t;"),
            std::string::npos);
  EXPECT_NE(ReadFile(dir / "build_prj.tcl").find("xc7z020clg400-1"), std::string::npos);
  fs::remove_all(dir.parent_path());
}

// io_stream: hls::stream ports, DATAFLOW, one function per layer.
TEST(HlsProjectWriter, TinyMlpStreamMatchesGoldenFiles) {
  config::ProjectConfig project = Project();
  project.io_type = config::IOType::kStream;
  const fs::path dir = ExpectGoldenFiles(project, "tiny_mlp_stream");
  const std::string top = ReadFile(dir / "firmware/tiny.cpp");
  EXPECT_NE(top.find("#pragma HLS DATAFLOW"), std::string::npos);
  EXPECT_NE(top.find("void tiny(hls::stream<fixnn::packet<input1_t, 3> >& input1, "
                     "hls::stream<fixnn::packet<result1_t, 2> >& out1)"),
            std::string::npos)
      << top;
  EXPECT_NE(top.find("fixnn::dense_stream<"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "firmware/ap_types/hls_stream.h"));
  fs::remove_all(dir.parent_path());
}

TEST(HlsProjectWriter, RefusesAnExistingFolderWithoutForce) {
  const fs::path parent = ScratchDir("exists");
  const fs::path dir = parent / "prj";
  WriteOptions options;
  options.output_dir = dir;
  ASSERT_TRUE(WriteHlsProject(TinyMlp(), Project(), options).ok());
  std::ofstream(dir / "marker.txt") << "user file";

  Status again = WriteHlsProject(TinyMlp(), Project(), options);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message().find(dir.string()), std::string::npos)
      << again.error().message();
  EXPECT_NE(again.error().message().find("exists"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "marker.txt"));  // untouched

  options.force = true;
  Status forced = WriteHlsProject(TinyMlp(), Project(), options);
  ASSERT_TRUE(forced.ok()) << forced.error().message();
  EXPECT_FALSE(fs::exists(dir / "marker.txt"));  // replaced as a whole
  EXPECT_TRUE(fs::exists(dir / "firmware/tiny.cpp"));
  EXPECT_EQ(Siblings(parent, "prj"), std::vector<std::string>{"prj"});
  fs::remove_all(parent);
}

// Writes `graph` into a fresh folder, expects an error containing `message`, and checks that
// nothing was left behind.
void ExpectRefused(const ir::Graph& graph, const config::ProjectConfig& project,
                   const std::string& message) {
  const fs::path parent = ScratchDir("refused");
  WriteOptions options;
  options.output_dir = parent / "prj";
  Status st = WriteHlsProject(graph, project, options);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find(message), std::string::npos) << st.error().message();
  EXPECT_TRUE(fs::is_empty(parent)) << "left behind: " << fs::directory_iterator(parent)->path();
  fs::remove_all(parent);
}

TEST(HlsProjectWriter, RefusesWhatItDoesNotHandleNamingTheLayer) {
  // The emulator permutes any rank; the writer's transpose takes rank 3 at most.
  ir::Node perm;
  perm.name = "swap";
  perm.attrs = ir::PermuteAttrs{{4, 3, 2, 1}};
  ir::Graph g = ChainBuilder({2, 3, 2, 2}, "fixed<8,3>").Add(perm, "fixed<8,3>").Finish();
  ExpectRefused(g, Project(),
                "layer 'swap' (Permute): the HLS writer does not handle Permute of a rank-4 "
                "tensor yet");
}

TEST(HlsProjectWriter, RefusesWithTheEmulatorsMessageFirst) {
  // A depth multiplier hls4ml aborts on: the emulator's refusal, word for word.
  ir::Node dw;
  dw.name = "dw";
  ir::DepthwiseConvAttrs a;
  a.depth_multiplier = 2;
  a.kernel = {3};
  a.strides = {1};
  a.use_bias = false;
  dw.attrs = a;
  dw.weights.push_back(emulator::testing::TypedWeight("depthwise_kernel", {3, 2, 2},
                                                      std::vector<double>(12, 0.5), "fixed<8,3>"));
  dw.types["accum"] = *fixed::ParseFixedType("fixed<16,6>");
  ir::Graph g = ChainBuilder({6, 2}, "fixed<8,3>").Add(dw, "fixed<16,6>").Finish();
  ExpectRefused(g, Project(),
                "layer 'dw' (DepthwiseConv): depth_multiplier 2 is refused: hls4ml's predict "
                "aborts on a depth multiplier above 1");
}

TEST(HlsProjectWriter, RefusesWhatTheEmulatorRefuses) {
  // No accumulator type: not configured.
  ir::Node d = DenseNode("fc", 2, 1, {1, 1}, {0}, "fixed<8,3>", "fixed<8,3>", "fixed<16,6>");
  d.types.clear();
  ir::Graph g = ChainBuilder({2}, "fixed<8,3>").Add(d, "fixed<16,6>").Finish();
  ExpectRefused(g, Project(), "layer 'fc' (Dense): no 'accum' type");
}

TEST(HlsProjectWriter, RefusesInIoStreamWhatItDoesNotStreamNamingTheLayer) {
  ir::Node perm;
  perm.name = "swap";
  perm.attrs = ir::PermuteAttrs{{2, 1}};
  ir::Graph g = ChainBuilder({2, 3}, "fixed<8,3>").Add(perm, "fixed<8,3>").Finish();
  config::ProjectConfig stream = Project();
  stream.io_type = config::IOType::kStream;
  ExpectRefused(g, stream,
                "layer 'swap' (Permute): the HLS writer does not handle Permute in io_stream yet");
  // The same graph in io_parallel is written.
  const fs::path dir = ScratchDir("permute") / "prj";
  WriteOptions options;
  options.output_dir = dir;
  EXPECT_TRUE(WriteHlsProject(g, Project(), options).ok());
  fs::remove_all(dir.parent_path());
}

TEST(HlsProjectWriter, RefusesIoSerialAndBadProjectNames) {
  config::ProjectConfig serial = Project();
  serial.io_type = config::IOType::kSerial;
  ExpectRefused(TinyMlp(), serial,
                "IOType io_serial: the HLS writer writes io_parallel and io_stream projects");
  ExpectRefused(TinyMlp(), Project("my-project"), "ProjectName 'my-project' is not a C identifier");
  ExpectRefused(TinyMlp(), Project("int"), "ProjectName 'int' is not a C identifier");
}

}  // namespace
}  // namespace fixnn::backends::hls
