// Writes a Vitis/Vivado HLS C++ project (io_parallel or io_stream) from a configured graph. The
// project's C++, compiled with g++, computes exactly what emulator::Emulator computes for the
// graph (see compile.h to build and run it), in either IO type.
//
// Layout (like hls4ml's): firmware/<project>.cpp and .h (the top function), firmware/
// defines.h (types), firmware/parameters.h (layer configs), firmware/weights/ (constants),
// firmware/fixnn/ (layer templates), firmware/ap_types/ (fixnn's ap_fixed.h, ap_int.h and
// hls_stream.h for g++ builds), <project>_test.cpp (testbench), <project>_bridge.cpp (C entry
// points for fixnn), build_prj.tcl, vivado_synth.tcl, README.md, tb_data/.
//
// Handled: Input; Dense, Conv1D/2D (Latency, Resource); DepthwiseConv1D/2D and SeparableConv1D/
// 2D (Latency); Pool and GlobalPool (max, average; 1D, 2D); BatchNorm and Scale (also a
// power-of-two scale); every activation the emulator handles, binary and ternary quantizers
// included; softmax (stable, latency, legacy, argmax); Merge, Concatenate and Dot of two inputs;
// Flatten, Reshape, Permute (rank <= 3), ZeroPadding, Cropping, UpSampling (nearest); Embedding;
// LSTM, GRU (reset_after true and false), SimpleRNN and Bidirectional (every merge mode, None
// giving two outputs) with return_sequences, go_backwards and return_state (several outputs),
// Latency and Resource (ReuseFactor for x W, RecurrentReuseFactor for h U), QKeras activation
// quantizers in the cells, and hls4ml's Static (LayerSettings::static_state: the state in static
// arrays of the cell, or passed in and out). QKeras quantized_po2 kernels multiply as the
// emulator says (LayerSettings::exponent_products: hls4ml's shifted product). A graph the
// emulator refuses is refused with the emulator's message; anything else the writer does not
// handle with an error naming the layer.
//
// io_stream: the top function takes hls::stream ports; every tensor is a stream of packets of
// its last axis (a pixel's channels; the whole vector of a flat tensor), one per position in
// row-major order. Each layer is a function of its own under DATAFLOW; a tensor read by several
// layers is cloned into one stream each (STREAM depth: the tensor's packet count). Dense runs
// per packet; Conv, DepthwiseConv, SeparableConv and Pool (1D, 2D) stream through a line buffer
// of filt_h rows (a 1-D layer is passed as a column); GlobalPool accumulates per channel;
// ZeroPadding, Cropping and UpSampling stream pixel by pixel (UpSampling keeps one input row);
// element-wise activations and quantizers, a Softmax layer over the last axis, BatchNorm over
// the last axis, same-shape merges and a Concatenate along the last axis run their io_parallel
// code per packet. The other layers (Flatten/Reshape repacking, Concatenate along another axis,
// Dot, Embedding, PReLU, Scale, a Softmax over other axes or the whole tensor, the recurrent
// layers: one packet per time step in, one per step or one out) read their whole input into an
// array, run the io_parallel code and write the output's packets (buffered: exact, but the whole
// tensor in registers). Permute is refused in io_stream ("layer 'p' (Permute):
// the HLS writer does not handle Permute in io_stream yet"). The numerics are the
// io_parallel ones: the same casts and summation orders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "config/project_config.h"
#include "ir/graph.h"
#include "reference/reference_executor.h"
#include "support/result.h"

namespace fixnn::backends::hls {

struct WriteOptions {
  // The project folder (created; its parent is created too). Empty: project.output_dir.
  std::filesystem::path output_dir;
  // Replace an existing folder.
  bool force = false;
  // Constant arrays with more values than this are also written as .txt files that C
  // simulation reads instead of compiling their initializers.
  int64_t txt_threshold = 4096;
  // Testbench data, written to tb_data/ when given: one batch per graph input (output), in
  // graph order, [N, shape...] each.
  std::vector<reference::Batch> tb_inputs;
  std::vector<reference::Batch> tb_outputs;
};

// Writes the project into a temporary sibling folder and renames it into place, so that a
// failure leaves nothing that looks like a project. The top function is named
// project.project_name; Part, ClockPeriod and ClockUncertainty go into build_prj.tcl.
// Errors: an existing folder without `force`, an I/O error (naming the path), io_serial, a graph
// the emulator refuses, or an op or setting the writer does not handle yet
// ("layer 'c1' (Conv): the HLS writer does not handle Conv yet").
Status WriteHlsProject(const ir::Graph& configured, const config::ProjectConfig& project,
                       const WriteOptions& options);

}  // namespace fixnn::backends::hls
