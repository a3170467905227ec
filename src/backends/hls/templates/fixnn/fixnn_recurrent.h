// Recurrent layers (LSTM, GRU, SimpleRNN; the two directions of a Bidirectional) with fixnn's
// recurrent numerics (hls4ml's per-step casts). Types: data_T the input x, accum_t A, state_T S
// (the state h, c), res_T R (the result), table_t the activation tables, activation_t Pa and
// recurrent_activation_t Pr the types the activations' values are held in (A without QKeras
// activation quantizers; a SimpleRNN's activation: S). Every sample starts from h = c = S(0); per
// step t:
//   xw = dense(x_t, W, b)  and  hu = dense(h, U, b_r), both into A (fixnn_dense.h: each its own
//   strategy and reuse factor; no bias: zeros)
//   LSTM (gates i, f, c, o):  g = A(xw + hu);  i, f, o = ract(g) in Pr;  cc = act(g_c) in Pa
//                             c = S(cc * i + c * f);  h = S(o * act(c)), act(c) from S into Pa
//   GRU (gates z, r, h):      z, r = ract(A(xw + hu)) in Pr
//     reset_after:            hh = act(A(xw_h + A(r * hu_h))) in Pa
//     reset_before:           hh = act(A(xw_h + dense(A(r * h), U_h))) in Pa (no bias)
//                             h = S(hh * (1 - z) + h * z)
//   SimpleRNN:                h = S(act(A(xw + hu))), act in Pa
// With binary_state (a QKeras binary state quantizer), S is ap_fixed<2,2,AP_TRN,AP_SAT> and each
// S(...) above is then +1 where it is >= 0, else -1 (to_state); the state starts at S(0) = +1,
// as QKeras reads its zero initial state through the quantizer.
// Products and sums inside a cast are exact (ap_fixed arithmetic; 1 - z too). act / ract, from
// the input's type into the value type:
//   sigmoid, tanh   table[index(x)] cast (the index as fixnn_activation.h computes it, ranges 16
//                   and 8)
//   relu            x > 0 ? x : 0 cast;  linear: x cast
//   hard            v = slope * x + shift (exact), clipped to [0, 1] (tanh forms: 2v - 1), cast;
//                   slope and shift given by the activation's struct (derived from act_hard)
//
// A layer reads its steps forwards or backwards (backwards: x_{T-1-s} at step s) and writes
// h in S: one row per step (return_sequences) at the step's reading position, or at its time
// (the backward layer of a Bidirectional), or the last h. The results are then cast into R
// (recurrent_result) or merged (bidirectional_merge).
//
// Static state (hls4ml's Static: true): the cell keeps h and c in static arrays, zeroed at each
// sample's first step; otherwise the layer holds the state and passes it in and out of the
// cell. The numerics are the same.
#ifndef FIXNN_RECURRENT_H_
#define FIXNN_RECURRENT_H_

#include "fixnn_common.h"
#include "fixnn_dense.h"

namespace fixnn {

// A cell's activation functions; `kind` picks the computation.
struct act_sigmoid {
  typedef act_sigmoid kind;
};
struct act_tanh {
  typedef act_tanh kind;
};
struct act_relu {
  typedef act_relu kind;
};
struct act_linear {
  typedef act_linear kind;
};
// A hard activation's struct derives from act_hard and gives slope_t, shift_t, slope(),
// shift() and tanh.
struct act_hard {
  typedef act_hard kind;
};

// One direction's settings. The products: input_dense (x . W + b: n_in -> gates * n_state),
// recurrent_dense (h . U + b_r: n_state -> the gates the state feeds), candidate_dense (a GRU
// with reset_before: (r * h) . U_h, n_state -> n_state, no bias).
struct recurrent_config {
  static const unsigned n_in = 1;     // features per step
  static const unsigned n_state = 1;  // units
  static const unsigned n_steps = 1;
  static const unsigned n_rows = 1;      // n_steps with return_sequences, else 1
  static const bool backwards = false;   // reads the steps from the last
  static const bool time_order = false;  // a step's row is its time, not its reading position
  static const bool static_state = true;
  static const bool binary_state = false;  // a QKeras binary state quantizer: see to_state
  static const unsigned table_size = 1024;
  typedef act_tanh activation;
  typedef act_sigmoid recurrent_activation;
  typedef ap_fixed<16, 6> accum_t;
  typedef ap_fixed<16, 6> activation_t;
  typedef ap_fixed<16, 6> recurrent_activation_t;
  typedef ap_fixed<18, 8> table_t;
  typedef dense_config input_dense;
  typedef dense_config recurrent_dense;
  typedef dense_config candidate_dense;
};

enum recurrent_merge { merge_concat, merge_sum, merge_mul, merge_ave };

// How a Bidirectional combines its directions' rows.
struct bidirectional_config {
  static const unsigned n_rows = 1;
  static const unsigned n_forward = 1;
  static const unsigned n_backward = 1;
  static const unsigned merge = merge_concat;
};

// The table index of x: int(x * N / R) + R / 2 * N / R, clamped to [0, N - 1].
template <unsigned N, int R, class data_T>
int recurrent_table_index(const data_T& x) {
#pragma HLS INLINE
  const int data_round = x * N / R;
  int index = data_round + (R / 2) * N / R;
  if (index < 0) index = 0;
  if (index > (int)N - 1) index = (int)N - 1;
  return index;
}

template <class out_T, typename CONFIG_T, class ACT, class in_T>
out_T activate(act_sigmoid, const in_T& x, const typename CONFIG_T::table_t table[]) {
#pragma HLS INLINE
  return (out_T)table[recurrent_table_index<CONFIG_T::table_size, 16>(x)];
}

template <class out_T, typename CONFIG_T, class ACT, class in_T>
out_T activate(act_tanh, const in_T& x, const typename CONFIG_T::table_t table[]) {
#pragma HLS INLINE
  return (out_T)table[recurrent_table_index<CONFIG_T::table_size, 8>(x)];
}

// relu, linear and the hard forms read no table.
template <class out_T, typename CONFIG_T, class ACT, class in_T>
out_T activate(act_relu, const in_T& x, const typename CONFIG_T::table_t[]) {
#pragma HLS INLINE
  if (x > 0) return (out_T)x;
  return 0;
}

template <class out_T, typename CONFIG_T, class ACT, class in_T>
out_T activate(act_linear, const in_T& x, const typename CONFIG_T::table_t[]) {
#pragma HLS INLINE
  return (out_T)x;
}

template <class out_T, typename CONFIG_T, class ACT, class in_T>
out_T activate(act_hard, const in_T& x, const typename CONFIG_T::table_t[]) {
#pragma HLS INLINE
  const typename ACT::slope_t slope = ACT::slope();
  const typename ACT::shift_t shift = ACT::shift();
  auto v = slope * x + shift;
  if (v > 1) {
    v = 1;
  } else if (v < 0) {
    v = 0;
  }
  if (ACT::tanh) return (out_T)(2 * v - 1);
  return (out_T)v;
}

// Activation ACT of x into out_T.
template <class out_T, typename CONFIG_T, class ACT, class in_T>
out_T cell_activation(const in_T& x, const typename CONFIG_T::table_t table[]) {
#pragma HLS INLINE
  return activate<out_T, CONFIG_T, ACT>(typename ACT::kind(), x, table);
}

// A value as the state holds it: cast into state_T, then (binary_state, state_T
// ap_fixed<2,2,AP_TRN,AP_SAT>, whose floor and saturation keep the sign) +1 where the cast value
// is >= 0, else -1.
template <class state_T, typename CONFIG_T, class T>
state_T to_state(const T& v) {
#pragma HLS INLINE
  const state_T s = (state_T)v;
  if (!CONFIG_T::binary_state) return s;
  return s < 0 ? (state_T)-1 : (state_T)1;
}

// One of a cell's products, by its strategy.
template <class data_T, class res_T, typename DENSE_T>
void cell_dense(const data_T data[DENSE_T::n_in], res_T res[DENSE_T::n_out],
                const typename DENSE_T::weight_t weights[DENSE_T::n_in * DENSE_T::n_out],
                const typename DENSE_T::bias_t biases[DENSE_T::n_out]) {
#pragma HLS INLINE
  if (DENSE_T::strategy == latency) {
    dense_latency<data_T, res_T, DENSE_T>(data, res, weights, biases);
  } else {
    dense_resource<data_T, res_T, DENSE_T>(data, res, weights, biases);
  }
}

// The same without a bias (the sum starts at 0).
template <class data_T, class res_T, typename DENSE_T>
void cell_dense_no_bias(const data_T data[DENSE_T::n_in], res_T res[DENSE_T::n_out],
                        const typename DENSE_T::weight_t weights[DENSE_T::n_in * DENSE_T::n_out]) {
#pragma HLS INLINE
  typename DENSE_T::bias_t zeros[DENSE_T::n_out];
#pragma HLS ARRAY_PARTITION variable = zeros complete
  for (unsigned j = 0; j < DENSE_T::n_out; j++) {
#pragma HLS UNROLL
    zeros[j] = 0;
  }
  cell_dense<data_T, res_T, DENSE_T>(data, res, weights, zeros);
}

// ---------------------------------------------------------------------------------------------
// Cells: one step, the state passed in and out.

template <class data_T, class state_T, typename CONFIG_T>
void lstm_cell(const data_T x[CONFIG_T::n_in], state_T h[CONFIG_T::n_state],
               state_T c[CONFIG_T::n_state], const typename CONFIG_T::input_dense::weight_t W[],
               const typename CONFIG_T::recurrent_dense::weight_t U[],
               const typename CONFIG_T::input_dense::bias_t b[],
               const typename CONFIG_T::table_t act_table[],
               const typename CONFIG_T::table_t ract_table[]) {
#pragma HLS INLINE
  static const unsigned n = CONFIG_T::n_state;
  typedef typename CONFIG_T::accum_t accum_t;
  typedef typename CONFIG_T::activation_t act_t;
  typedef typename CONFIG_T::recurrent_activation_t ract_t;
  typedef typename CONFIG_T::activation act;
  typedef typename CONFIG_T::recurrent_activation ract;
  accum_t xw[4 * n], hu[4 * n];
  ract_t gi[n], gf[n], go[n];
  act_t gc[n];
#pragma HLS ARRAY_PARTITION variable = xw complete
#pragma HLS ARRAY_PARTITION variable = hu complete
#pragma HLS ARRAY_PARTITION variable = gi complete
#pragma HLS ARRAY_PARTITION variable = gf complete
#pragma HLS ARRAY_PARTITION variable = go complete
#pragma HLS ARRAY_PARTITION variable = gc complete
  cell_dense<data_T, accum_t, typename CONFIG_T::input_dense>(x, xw, W, b);
  cell_dense_no_bias<state_T, accum_t, typename CONFIG_T::recurrent_dense>(h, hu, U);
Gates:
  for (unsigned j = 0; j < n; j++) {
#pragma HLS UNROLL
    const accum_t si = xw[j] + hu[j];
    const accum_t sf = xw[n + j] + hu[n + j];
    const accum_t sc = xw[2 * n + j] + hu[2 * n + j];
    const accum_t so = xw[3 * n + j] + hu[3 * n + j];
    gi[j] = cell_activation<ract_t, CONFIG_T, ract>(si, ract_table);
    gf[j] = cell_activation<ract_t, CONFIG_T, ract>(sf, ract_table);
    gc[j] = cell_activation<act_t, CONFIG_T, act>(sc, act_table);
    go[j] = cell_activation<ract_t, CONFIG_T, ract>(so, ract_table);
  }
State:
  for (unsigned j = 0; j < n; j++) {
#pragma HLS UNROLL
    c[j] = to_state<state_T, CONFIG_T>(gc[j] * gi[j] + c[j] * gf[j]);
    const act_t a = cell_activation<act_t, CONFIG_T, act>(c[j], act_table);
    h[j] = to_state<state_T, CONFIG_T>(go[j] * a);
  }
}

// GRU with reset_after (Keras' default): U [n, 3n], recurrent bias b_r [3n].
template <class data_T, class state_T, typename CONFIG_T>
void gru_cell(const data_T x[CONFIG_T::n_in], state_T h[CONFIG_T::n_state],
              const typename CONFIG_T::input_dense::weight_t W[],
              const typename CONFIG_T::recurrent_dense::weight_t U[],
              const typename CONFIG_T::input_dense::bias_t b[],
              const typename CONFIG_T::recurrent_dense::bias_t br[],
              const typename CONFIG_T::table_t act_table[],
              const typename CONFIG_T::table_t ract_table[]) {
#pragma HLS INLINE
  static const unsigned n = CONFIG_T::n_state;
  typedef typename CONFIG_T::accum_t accum_t;
  typedef typename CONFIG_T::activation_t act_t;
  typedef typename CONFIG_T::recurrent_activation_t ract_t;
  typedef typename CONFIG_T::activation act;
  typedef typename CONFIG_T::recurrent_activation ract;
  accum_t xw[3 * n], hu[3 * n];
  ract_t z[n], r[n];
#pragma HLS ARRAY_PARTITION variable = xw complete
#pragma HLS ARRAY_PARTITION variable = hu complete
#pragma HLS ARRAY_PARTITION variable = z complete
#pragma HLS ARRAY_PARTITION variable = r complete
  cell_dense<data_T, accum_t, typename CONFIG_T::input_dense>(x, xw, W, b);
  cell_dense<state_T, accum_t, typename CONFIG_T::recurrent_dense>(h, hu, U, br);
Gates:
  for (unsigned j = 0; j < n; j++) {
#pragma HLS UNROLL
    const accum_t sz = xw[j] + hu[j];
    const accum_t sr = xw[n + j] + hu[n + j];
    z[j] = cell_activation<ract_t, CONFIG_T, ract>(sz, ract_table);
    r[j] = cell_activation<ract_t, CONFIG_T, ract>(sr, ract_table);
  }
State:
  for (unsigned j = 0; j < n; j++) {
#pragma HLS UNROLL
    const accum_t rh = r[j] * hu[2 * n + j];
    const accum_t s = xw[2 * n + j] + rh;
    const act_t hh = cell_activation<act_t, CONFIG_T, act>(s, act_table);
    h[j] = to_state<state_T, CONFIG_T>(hh * (1 - z[j]) + h[j] * z[j]);
  }
}

// GRU with reset_before: Ur the z and r columns of U [n, 2n], Uh its h columns [n, n]; no
// recurrent bias.
template <class data_T, class state_T, typename CONFIG_T>
void gru_reset_before_cell(const data_T x[CONFIG_T::n_in], state_T h[CONFIG_T::n_state],
                           const typename CONFIG_T::input_dense::weight_t W[],
                           const typename CONFIG_T::recurrent_dense::weight_t Ur[],
                           const typename CONFIG_T::candidate_dense::weight_t Uh[],
                           const typename CONFIG_T::input_dense::bias_t b[],
                           const typename CONFIG_T::table_t act_table[],
                           const typename CONFIG_T::table_t ract_table[]) {
#pragma HLS INLINE
  static const unsigned n = CONFIG_T::n_state;
  typedef typename CONFIG_T::accum_t accum_t;
  typedef typename CONFIG_T::activation_t act_t;
  typedef typename CONFIG_T::recurrent_activation_t ract_t;
  typedef typename CONFIG_T::activation act;
  typedef typename CONFIG_T::recurrent_activation ract;
  accum_t xw[3 * n], hu[2 * n], rh[n], cand[n];
  ract_t z[n], r[n];
#pragma HLS ARRAY_PARTITION variable = xw complete
#pragma HLS ARRAY_PARTITION variable = hu complete
#pragma HLS ARRAY_PARTITION variable = rh complete
#pragma HLS ARRAY_PARTITION variable = cand complete
#pragma HLS ARRAY_PARTITION variable = z complete
#pragma HLS ARRAY_PARTITION variable = r complete
  cell_dense<data_T, accum_t, typename CONFIG_T::input_dense>(x, xw, W, b);
  cell_dense_no_bias<state_T, accum_t, typename CONFIG_T::recurrent_dense>(h, hu, Ur);
Gates:
  for (unsigned j = 0; j < n; j++) {
#pragma HLS UNROLL
    const accum_t sz = xw[j] + hu[j];
    const accum_t sr = xw[n + j] + hu[n + j];
    z[j] = cell_activation<ract_t, CONFIG_T, ract>(sz, ract_table);
    r[j] = cell_activation<ract_t, CONFIG_T, ract>(sr, ract_table);
    rh[j] = r[j] * h[j];
  }
  cell_dense_no_bias<accum_t, accum_t, typename CONFIG_T::candidate_dense>(rh, cand, Uh);
State:
  for (unsigned j = 0; j < n; j++) {
#pragma HLS UNROLL
    const accum_t s = xw[2 * n + j] + cand[j];
    const act_t hh = cell_activation<act_t, CONFIG_T, act>(s, act_table);
    h[j] = to_state<state_T, CONFIG_T>(hh * (1 - z[j]) + h[j] * z[j]);
  }
}

template <class data_T, class state_T, typename CONFIG_T>
void simple_rnn_cell(const data_T x[CONFIG_T::n_in], state_T h[CONFIG_T::n_state],
                     const typename CONFIG_T::input_dense::weight_t W[],
                     const typename CONFIG_T::recurrent_dense::weight_t U[],
                     const typename CONFIG_T::input_dense::bias_t b[],
                     const typename CONFIG_T::table_t act_table[]) {
#pragma HLS INLINE
  static const unsigned n = CONFIG_T::n_state;
  typedef typename CONFIG_T::accum_t accum_t;
  typedef typename CONFIG_T::activation_t act_t;
  accum_t xw[n], hu[n];
#pragma HLS ARRAY_PARTITION variable = xw complete
#pragma HLS ARRAY_PARTITION variable = hu complete
  cell_dense<data_T, accum_t, typename CONFIG_T::input_dense>(x, xw, W, b);
  cell_dense_no_bias<state_T, accum_t, typename CONFIG_T::recurrent_dense>(h, hu, U);
State:
  for (unsigned j = 0; j < n; j++) {
#pragma HLS UNROLL
    const accum_t s = xw[j] + hu[j];
    const act_t a = cell_activation<act_t, CONFIG_T, typename CONFIG_T::activation>(s, act_table);
    h[j] = to_state<state_T, CONFIG_T>(a);
  }
}

// ---------------------------------------------------------------------------------------------
// Static cells: the state kept inside, set to its initial value (initial_state) when `reset` (a
// sample's first step); the state after the step copied out.

template <class state_T, typename CONFIG_T, unsigned N>
void reset_or_keep(bool reset, state_T s[N]) {
#pragma HLS INLINE
  if (reset) {
    for (unsigned j = 0; j < N; j++) {
#pragma HLS UNROLL
      s[j] = to_state<state_T, CONFIG_T>(0);
    }
  }
}

template <class state_T, unsigned N>
void copy_state(const state_T from[N], state_T to[N]) {
#pragma HLS INLINE
  for (unsigned j = 0; j < N; j++) {
#pragma HLS UNROLL
    to[j] = from[j];
  }
}

template <class data_T, class state_T, typename CONFIG_T>
void lstm_cell_static(bool reset, const data_T x[CONFIG_T::n_in], state_T h_out[CONFIG_T::n_state],
                      state_T c_out[CONFIG_T::n_state],
                      const typename CONFIG_T::input_dense::weight_t W[],
                      const typename CONFIG_T::recurrent_dense::weight_t U[],
                      const typename CONFIG_T::input_dense::bias_t b[],
                      const typename CONFIG_T::table_t act_table[],
                      const typename CONFIG_T::table_t ract_table[]) {
#pragma HLS INLINE
  static state_T h[CONFIG_T::n_state];
  static state_T c[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
#pragma HLS ARRAY_PARTITION variable = c complete
  reset_or_keep<state_T, CONFIG_T, CONFIG_T::n_state>(reset, h);
  reset_or_keep<state_T, CONFIG_T, CONFIG_T::n_state>(reset, c);
  lstm_cell<data_T, state_T, CONFIG_T>(x, h, c, W, U, b, act_table, ract_table);
  copy_state<state_T, CONFIG_T::n_state>(h, h_out);
  copy_state<state_T, CONFIG_T::n_state>(c, c_out);
}

template <class data_T, class state_T, typename CONFIG_T>
void gru_cell_static(bool reset, const data_T x[CONFIG_T::n_in], state_T h_out[CONFIG_T::n_state],
                     const typename CONFIG_T::input_dense::weight_t W[],
                     const typename CONFIG_T::recurrent_dense::weight_t U[],
                     const typename CONFIG_T::input_dense::bias_t b[],
                     const typename CONFIG_T::recurrent_dense::bias_t br[],
                     const typename CONFIG_T::table_t act_table[],
                     const typename CONFIG_T::table_t ract_table[]) {
#pragma HLS INLINE
  static state_T h[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
  reset_or_keep<state_T, CONFIG_T, CONFIG_T::n_state>(reset, h);
  gru_cell<data_T, state_T, CONFIG_T>(x, h, W, U, b, br, act_table, ract_table);
  copy_state<state_T, CONFIG_T::n_state>(h, h_out);
}

template <class data_T, class state_T, typename CONFIG_T>
void gru_reset_before_cell_static(bool reset, const data_T x[CONFIG_T::n_in],
                                  state_T h_out[CONFIG_T::n_state],
                                  const typename CONFIG_T::input_dense::weight_t W[],
                                  const typename CONFIG_T::recurrent_dense::weight_t Ur[],
                                  const typename CONFIG_T::candidate_dense::weight_t Uh[],
                                  const typename CONFIG_T::input_dense::bias_t b[],
                                  const typename CONFIG_T::table_t act_table[],
                                  const typename CONFIG_T::table_t ract_table[]) {
#pragma HLS INLINE
  static state_T h[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
  reset_or_keep<state_T, CONFIG_T, CONFIG_T::n_state>(reset, h);
  gru_reset_before_cell<data_T, state_T, CONFIG_T>(x, h, W, Ur, Uh, b, act_table, ract_table);
  copy_state<state_T, CONFIG_T::n_state>(h, h_out);
}

template <class data_T, class state_T, typename CONFIG_T>
void simple_rnn_cell_static(bool reset, const data_T x[CONFIG_T::n_in],
                            state_T h_out[CONFIG_T::n_state],
                            const typename CONFIG_T::input_dense::weight_t W[],
                            const typename CONFIG_T::recurrent_dense::weight_t U[],
                            const typename CONFIG_T::input_dense::bias_t b[],
                            const typename CONFIG_T::table_t act_table[]) {
#pragma HLS INLINE
  static state_T h[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
  reset_or_keep<state_T, CONFIG_T, CONFIG_T::n_state>(reset, h);
  simple_rnn_cell<data_T, state_T, CONFIG_T>(x, h, W, U, b, act_table);
  copy_state<state_T, CONFIG_T::n_state>(h, h_out);
}

// ---------------------------------------------------------------------------------------------
// Layers: every step of one sample, the rows of h written in S.

// The time step read at reading position s.
template <typename CONFIG_T>
unsigned recurrent_time(unsigned s) {
#pragma HLS INLINE
  return CONFIG_T::backwards ? CONFIG_T::n_steps - 1 - s : s;
}

// x = data[step t].
template <class data_T, typename CONFIG_T>
void read_step(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in], unsigned t,
               data_T x[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    x[i] = data[t * CONFIG_T::n_in + i];
  }
}

// h after reading position s into its row: each step's (return_sequences), or the last one's.
template <class state_T, typename CONFIG_T>
void write_row(const state_T h[CONFIG_T::n_state], unsigned s,
               state_T rows[CONFIG_T::n_rows * CONFIG_T::n_state]) {
#pragma HLS INLINE
  if (CONFIG_T::n_rows == 1 && s != CONFIG_T::n_steps - 1) return;
  const unsigned row =
      CONFIG_T::n_rows == 1 ? 0 : (CONFIG_T::time_order ? recurrent_time<CONFIG_T>(s) : s);
  for (unsigned j = 0; j < CONFIG_T::n_state; j++) {
#pragma HLS UNROLL
    rows[row * CONFIG_T::n_state + j] = h[j];
  }
}

// The state before a sample's first step: S(0), which is 0, or +1 for a binary state.
template <class state_T, typename CONFIG_T, unsigned N>
void initial_state(state_T s[N]) {
#pragma HLS INLINE
  for (unsigned j = 0; j < N; j++) {
#pragma HLS UNROLL
    s[j] = to_state<state_T, CONFIG_T>(0);
  }
}

// c_last: the cell state after the last step.
template <class data_T, class state_T, typename CONFIG_T>
void lstm_layer(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in],
                state_T rows[CONFIG_T::n_rows * CONFIG_T::n_state],
                state_T c_last[CONFIG_T::n_state],
                const typename CONFIG_T::input_dense::weight_t W[],
                const typename CONFIG_T::recurrent_dense::weight_t U[],
                const typename CONFIG_T::input_dense::bias_t b[],
                const typename CONFIG_T::table_t act_table[],
                const typename CONFIG_T::table_t ract_table[]) {
  state_T h[CONFIG_T::n_state], c[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
#pragma HLS ARRAY_PARTITION variable = c complete
  initial_state<state_T, CONFIG_T, CONFIG_T::n_state>(h);
  initial_state<state_T, CONFIG_T, CONFIG_T::n_state>(c);
Steps:
  for (unsigned s = 0; s < CONFIG_T::n_steps; s++) {
    data_T x[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable = x complete
    read_step<data_T, CONFIG_T>(data, recurrent_time<CONFIG_T>(s), x);
    if (CONFIG_T::static_state) {
      lstm_cell_static<data_T, state_T, CONFIG_T>(s == 0, x, h, c, W, U, b, act_table, ract_table);
    } else {
      lstm_cell<data_T, state_T, CONFIG_T>(x, h, c, W, U, b, act_table, ract_table);
    }
    write_row<state_T, CONFIG_T>(h, s, rows);
  }
  copy_state<state_T, CONFIG_T::n_state>(c, c_last);
}

template <class data_T, class state_T, typename CONFIG_T>
void gru_layer(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in],
               state_T rows[CONFIG_T::n_rows * CONFIG_T::n_state],
               const typename CONFIG_T::input_dense::weight_t W[],
               const typename CONFIG_T::recurrent_dense::weight_t U[],
               const typename CONFIG_T::input_dense::bias_t b[],
               const typename CONFIG_T::recurrent_dense::bias_t br[],
               const typename CONFIG_T::table_t act_table[],
               const typename CONFIG_T::table_t ract_table[]) {
  state_T h[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
  initial_state<state_T, CONFIG_T, CONFIG_T::n_state>(h);
Steps:
  for (unsigned s = 0; s < CONFIG_T::n_steps; s++) {
    data_T x[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable = x complete
    read_step<data_T, CONFIG_T>(data, recurrent_time<CONFIG_T>(s), x);
    if (CONFIG_T::static_state) {
      gru_cell_static<data_T, state_T, CONFIG_T>(s == 0, x, h, W, U, b, br, act_table, ract_table);
    } else {
      gru_cell<data_T, state_T, CONFIG_T>(x, h, W, U, b, br, act_table, ract_table);
    }
    write_row<state_T, CONFIG_T>(h, s, rows);
  }
}

template <class data_T, class state_T, typename CONFIG_T>
void gru_reset_before_layer(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in],
                            state_T rows[CONFIG_T::n_rows * CONFIG_T::n_state],
                            const typename CONFIG_T::input_dense::weight_t W[],
                            const typename CONFIG_T::recurrent_dense::weight_t Ur[],
                            const typename CONFIG_T::candidate_dense::weight_t Uh[],
                            const typename CONFIG_T::input_dense::bias_t b[],
                            const typename CONFIG_T::table_t act_table[],
                            const typename CONFIG_T::table_t ract_table[]) {
  state_T h[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
  initial_state<state_T, CONFIG_T, CONFIG_T::n_state>(h);
Steps:
  for (unsigned s = 0; s < CONFIG_T::n_steps; s++) {
    data_T x[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable = x complete
    read_step<data_T, CONFIG_T>(data, recurrent_time<CONFIG_T>(s), x);
    if (CONFIG_T::static_state) {
      gru_reset_before_cell_static<data_T, state_T, CONFIG_T>(s == 0, x, h, W, Ur, Uh, b, act_table,
                                                              ract_table);
    } else {
      gru_reset_before_cell<data_T, state_T, CONFIG_T>(x, h, W, Ur, Uh, b, act_table, ract_table);
    }
    write_row<state_T, CONFIG_T>(h, s, rows);
  }
}

template <class data_T, class state_T, typename CONFIG_T>
void simple_rnn_layer(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in],
                      state_T rows[CONFIG_T::n_rows * CONFIG_T::n_state],
                      const typename CONFIG_T::input_dense::weight_t W[],
                      const typename CONFIG_T::recurrent_dense::weight_t U[],
                      const typename CONFIG_T::input_dense::bias_t b[],
                      const typename CONFIG_T::table_t act_table[]) {
  state_T h[CONFIG_T::n_state];
#pragma HLS ARRAY_PARTITION variable = h complete
  initial_state<state_T, CONFIG_T, CONFIG_T::n_state>(h);
Steps:
  for (unsigned s = 0; s < CONFIG_T::n_steps; s++) {
    data_T x[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable = x complete
    read_step<data_T, CONFIG_T>(data, recurrent_time<CONFIG_T>(s), x);
    if (CONFIG_T::static_state) {
      simple_rnn_cell_static<data_T, state_T, CONFIG_T>(s == 0, x, h, W, U, b, act_table);
    } else {
      simple_rnn_cell<data_T, state_T, CONFIG_T>(x, h, W, U, b, act_table);
    }
    write_row<state_T, CONFIG_T>(h, s, rows);
  }
}

// ---------------------------------------------------------------------------------------------
// Results.

// N values of S cast into R (the layer's output, or a state output).
template <class state_T, class res_T, unsigned N>
void recurrent_result(const state_T rows[N], res_T res[N]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < N; i++) {
#pragma HLS UNROLL
    res[i] = (res_T)rows[i];
  }
}

// A Bidirectional's rows, both in time order: concat [R(f), R(b)] per row; sum R(f + b);
// mul R(f * b); ave R((f + b) / 2), exact before the cast.
template <class state_T, class res_T, typename CONFIG_T>
void bidirectional_merge(const state_T f[CONFIG_T::n_rows * CONFIG_T::n_forward],
                         const state_T b[CONFIG_T::n_rows * CONFIG_T::n_backward], res_T res[]) {
#pragma HLS INLINE
  static const unsigned nf = CONFIG_T::n_forward, nb = CONFIG_T::n_backward;
  const ap_ufixed<1, 0> half = 0.5;
Rows:
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
#pragma HLS UNROLL
    if (CONFIG_T::merge == merge_concat) {
      for (unsigned j = 0; j < nf; j++) {
#pragma HLS UNROLL
        res[r * (nf + nb) + j] = (res_T)f[r * nf + j];
      }
      for (unsigned j = 0; j < nb; j++) {
#pragma HLS UNROLL
        res[r * (nf + nb) + nf + j] = (res_T)b[r * nb + j];
      }
    } else {
      for (unsigned j = 0; j < nf; j++) {
#pragma HLS UNROLL
        const unsigned i = r * nf + j;
        if (CONFIG_T::merge == merge_sum) {
          res[i] = (res_T)(f[i] + b[i]);
        } else if (CONFIG_T::merge == merge_mul) {
          res[i] = (res_T)(f[i] * b[i]);
        } else {
          res[i] = (res_T)((f[i] + b[i]) * half);
        }
      }
    }
  }
}

}  // namespace fixnn

#endif  // FIXNN_RECURRENT_H_
