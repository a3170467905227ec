// io_stream plumbing: a tensor travels as packets of its last axis (a pixel's channels; the
// whole vector for a flat tensor), one packet per position, in row-major order. Helpers move
// a tensor between a stream and an array, copy a stream, or split it for several readers.
#ifndef FIXNN_STREAM_H_
#define FIXNN_STREAM_H_

#include "fixnn_common.h"
#include "hls_stream.h"

namespace fixnn {

// The values of one position (the last axis).
template <class T, unsigned N>
struct packet {
  typedef T value_type;
  static const unsigned size = N;
  T data[N];
  T& operator[](unsigned i) { return data[i]; }
  const T& operator[](unsigned i) const { return data[i]; }
};

// Reads a whole tensor of P packets into data[P * C].
template <class T, unsigned P, unsigned C>
void read_tensor(hls::stream<packet<T, C> >& in, T data[P * C]) {
ReadPackets:
  for (unsigned p = 0; p < P; p++) {
#pragma HLS PIPELINE
    const packet<T, C> pk = in.read();
  ReadValues:
    for (unsigned c = 0; c < C; c++) {
#pragma HLS UNROLL
      data[p * C + c] = pk[c];
    }
  }
}

// Writes data[P * C] as P packets.
template <class T, unsigned P, unsigned C>
void write_tensor(const T data[P * C], hls::stream<packet<T, C> >& out) {
WritePackets:
  for (unsigned p = 0; p < P; p++) {
#pragma HLS PIPELINE
    packet<T, C> pk;
  WriteValues:
    for (unsigned c = 0; c < C; c++) {
#pragma HLS UNROLL
      pk[c] = data[p * C + c];
    }
    out.write(pk);
  }
}

// Moves P packets from `in` to `out` (a graph output's port).
template <class T, unsigned P, unsigned C>
void copy_stream(hls::stream<packet<T, C> >& in, hls::stream<packet<T, C> >& out) {
CopyPackets:
  for (unsigned p = 0; p < P; p++) {
#pragma HLS PIPELINE
    out.write(in.read());
  }
}

// Writes each of P packets to both `a` and `b` (a tensor read by two layers).
template <class T, unsigned P, unsigned C>
void clone_stream(hls::stream<packet<T, C> >& in, hls::stream<packet<T, C> >& a,
                  hls::stream<packet<T, C> >& b) {
ClonePackets:
  for (unsigned p = 0; p < P; p++) {
#pragma HLS PIPELINE
    const packet<T, C> pk = in.read();
    a.write(pk);
    b.write(pk);
  }
}

// Reads and drops P packets (a tensor no layer reads).
template <class T, unsigned P, unsigned C>
void drain_stream(hls::stream<packet<T, C> >& in) {
DrainPackets:
  for (unsigned p = 0; p < P; p++) {
#pragma HLS PIPELINE
    in.read();
  }
}

}  // namespace fixnn

#endif  // FIXNN_STREAM_H_
