"""The gap between fixnn's firmware outputs and a reference, and a search over a model's
configuration for the cheapest one that closes it.

Knobs. Every type fixnn resolves for the datapath can move: each node's result (except a
quantizer's own output, which QKeras fixes), its internal types (recurrent accum, state and
table; Dense accum; the softmax tables ...) and, where no QKeras quantizer fixes them, its
weights. Each such type has a fractional-bits knob (level d: d more fractional bits, the
integer bits kept) and, except weights, an integer-bits knob (level d: d more integer bits,
the fractional bits kept); rounding and overflow modes are kept. Every layer that reads a
table (sigmoid / tanh / softmax, recurrent cells) has a TableSize knob (level e: 2^e times
the entries). Every knob is written explicitly into the configuration, so the types the
search does not touch do not move, and the cost of a configuration is exact: the sum of its
levels (bits of width added, one per doubling of a table; negative when narrower).

Search, per model:
 1. the default configuration (every level 0) and the floor (every knob at its wide level:
    +12 fractional bits, +8 integer bits, 16 times the table entries; a recurrent state that
    has a QKeras state quantizer stays at that quantizer's type, which is what QKeras
    computes with), each on all samples and on the screening samples;
 2. the target: decisions identical on every sample and max |d| <= TOL; where the floor
    does not reach it, the smallest reachable: mean |d| at most (1 + FLOOR_SLACK) x the
    floor's, and changed decisions at most (1 + FLOOR_SLACK) x the floor's + FLOOR_SAMPLES
    samples, on the same samples (mean and count, not the maximum, which one sample decides:
    where small differences can move a quantized state by a step, which sample ends worst is
    close to chance);
 3. descent from the floor: knob by knob (accumulators and types over 64 bits first, as
    they make the emulator slow, then the widest range first), the lowest level that still
    meets the target on the screening samples (the lowest level first, then bisection);
 4. the result is checked on all samples; where it misses the target there, every lowered
    knob goes one level back up (at most REPAIRS times, then the floor).
"""

import copy
import re
import time
from dataclasses import dataclass

import numpy as np

TOL = 2.0**-10  # the LSB of ap_fixed<16,6>, the output type of every default configuration
FLOOR_SLACK = 0.25  # the reachable target: 25 % above the floor's mean |d| and changes ...
FLOOR_SAMPLES = 2  # ... plus 2 changed decisions
WIDE_FRAC = 12
WIDE_INT = 8
WIDE_TABLE = 4  # x16
MIN_FRAC = -6
MIN_INT = -4
MIN_TABLE = -3  # /8
REPAIRS = 3

TYPE_RE = re.compile(r"^(ap_u?fixed)<(\d+),(-?\d+)((?:,[^>]*)?)>$")
TABLE_ACTIVATIONS = ("sigmoid", "tanh", "softmax", "softsign", "softplus", "elu", "selu")
WEIGHT_KEYS = {"kernel": "weight", "recurrent_kernel": "recurrent_weight", "bias": "bias"}


def gap(y, ref, classifier=True):
    """max |d|, mean |d| and the fraction of samples whose decision differs (0.5 threshold on a
    single output, argmax otherwise; None for a model that does not classify)."""
    if y.shape != ref.shape:
        raise ValueError(f"output shape {y.shape} against the reference's {ref.shape}")
    d = np.abs(y - ref)
    flips = None
    if classifier:
        if y.shape[1] == 1:
            flips = float(np.mean((y[:, 0] > 0.5) != (ref[:, 0] > 0.5)))
        else:
            flips = float(np.mean(np.argmax(y, axis=1) != np.argmax(ref, axis=1)))
    return {"max": float(d.max()), "mean": float(d.mean()), "flips": flips}


@dataclass
class Knob:
    node: str
    key: str  # a precision key ("result", "accum", ...), or "TableSize"
    kind: str  # "frac", "int" or "table"
    base: str  # the default resolved type, or the default table size
    lo: int
    hi: int

    @property
    def label(self):
        return f"{self.node}.{self.key}" + ("" if self.kind == "table" else f".{self.kind}")


def widen(base, frac, integer):
    """base with `frac` more fractional and `integer` more integer bits."""
    m = TYPE_RE.match(base)
    width, ibits = int(m.group(2)) + frac + integer, int(m.group(3)) + integer
    return f"{m.group(1)}<{width},{ibits}{m.group(4)}>"


def table_size(base, level):
    return int(base) << level if level >= 0 else int(base) >> -level


def type_knobs(node, key, t, with_int=True, frac_hi=WIDE_FRAC, int_hi=WIDE_INT):
    m = TYPE_RE.match(t or "")
    if not m:
        return []  # an integer, power-of-two or per-element type: not searched
    width, ibits = int(m.group(2)), int(m.group(3))
    frac = width - ibits
    out = [Knob(node, key, "frac", t, min(0, max(MIN_FRAC, -frac, 1 - width)), frac_hi)]
    if with_int:
        out.append(Knob(node, key, "int", t, min(0, max(MIN_INT, 2 - width)), int_hi))
    return out


def knobs_of(nodes, weights=True):
    """The knobs of a graph as `fixnn show -c` resolved it (rnn_fixnn.parse_show). weights:
    whether weight types are searched (not for a QKeras model, whose quantizers define them;
    `fixnn show` no longer names the quantizer of a kernel whose alpha became a Scale)."""
    out = []
    for n in nodes:
        act = n.detail.split()[0] if n.detail else ""
        uses_table = n.op == "Recurrent" or (n.op == "Activation" and act in TABLE_ACTIVATIONS)
        if n.op != "Quantize" and not n.output_quantizer:
            out += type_knobs(n.name, "result", n.result)
        for key, t in n.types.items():
            if key == "inp_norm":
                continue  # printed by `fixnn show`, but not a configuration key
            if "table" in key and not uses_table:
                continue  # a relu's or linear's table is never read
            if key == "recurrent_bias" and n.weights.get("bias", ("", False))[1]:
                continue  # fixed by the bias quantizer
            if key == "state" and n.op != "Recurrent":
                continue
            fixed_state = key == "state" and "state_q=" in n.detail
            # A table's values and a softmax's inverse-table input (whose top bits index the
            # table, as in hls4ml) only lose from more integer bits.
            table_like = "table" in key or key == "inv_inp"
            out += type_knobs(n.name, key, t,
                              frac_hi=0 if fixed_state else WIDE_FRAC,
                              int_hi=0 if fixed_state or table_like else WIDE_INT)
        if weights and n.op != "Scale":
            for wname, (t, quantized) in n.weights.items():
                if not quantized and wname in WEIGHT_KEYS:
                    out += type_knobs(n.name, WEIGHT_KEYS[wname], t, with_int=False)
        if uses_table:
            out.append(Knob(n.name, "TableSize", "table", "1024", MIN_TABLE, WIDE_TABLE))
    return out


def resolved(knobs, levels):
    """{(node, key): value} for every knob's type or table size at these levels."""
    moves = {}
    for k, lv in zip(knobs, levels):
        entry = moves.setdefault((k.node, k.key), {"base": k.base, "frac": 0, "int": 0,
                                                   "table": 0})
        entry[k.kind] += lv
    return {nk: table_size(e["base"], e["table"]) if nk[1] == "TableSize"
            else widen(e["base"], e["frac"], e["int"]) for nk, e in moves.items()}


def apply_levels(default_config, knobs, levels, followers=None):
    """The default configuration with every knob written at its level. followers: {layer:
    node} for the linear activations fixnn removes (as hls4ml does) only while their result
    type equals their input's: each is given its input node's result type, so that writing
    that type explicitly does not keep them in the graph."""
    config = copy.deepcopy(default_config)
    layers = config["HLSConfig"].setdefault("LayerName", {})
    values = resolved(knobs, levels)
    for (node, key), v in values.items():
        entry = layers.setdefault(node, {})
        if key == "TableSize":
            entry["TableSize"] = v
        else:
            entry.setdefault("Precision", {})[key] = v
    for layer, node in (followers or {}).items():
        layers.setdefault(layer, {}).setdefault("Precision", {})["result"] = \
            values[(node, "result")]
    return config


def extend_for_pinning(known_nodes, pinned_nodes, knobs, followers, weights=True):
    """Writing a type that was "auto" can change the graph: a QKeras alpha folded into its
    Dense stays a Scale node of its own, and a linear activation is kept unless its result
    type equals its input's. New Scale (or other) nodes get knobs of their own, starting from
    the type they have; new linear activations become followers of their input. Returns
    whether anything was new."""
    names = {n.name for n in known_nodes}
    new = [n for n in pinned_nodes if n.name not in names]
    linear = [n for n in new if n.op == "Activation" and n.detail == "linear" and n.inputs]
    others = [n for n in new if n not in linear]
    knobs += knobs_of(others, weights)
    known_nodes += others
    with_result = {k.node for k in knobs if k.key == "result"}
    for n in linear:
        if n.inputs[0] not in with_result:
            raise RuntimeError(f"writing the types explicitly keeps the linear activation "
                               f"{n.name} after {n.inputs[0]}, which has no result knob")
        followers[n.name] = n.inputs[0]
        known_nodes.append(n)
    return bool(new)


def graph_bits(nodes):
    """The total width of every type of a resolved graph: each node's result, its internal
    types and its weights (one per tensor, not per element)."""
    total = 0
    for n in nodes:
        for t in [n.result] + list(n.types.values()) + [t for t, _ in n.weights.values()]:
            m = re.match(r"^ap_u?(?:fixed|int)<(\d+)", t or "")
            total += int(m.group(1)) if m else 0
    return total


def describe(knobs, levels):
    """Each type or table size away from the default: 'layer1.accum ap_fixed<22,8> (+2 int,
    +4 frac)', 'layer1.TableSize 4096'."""
    parts = {}
    base = resolved(knobs, [0] * len(knobs))
    now = resolved(knobs, levels)
    for k, lv in zip(knobs, levels):
        if lv:
            entry = parts.setdefault((k.node, k.key), [])
            if k.kind != "table":
                entry.append(f"{lv:+d} {k.kind}")
    out = []
    for (node, key), moves in parts.items():
        if key == "TableSize":
            out.append(f"{node}.TableSize {base[(node, key)]} -> {now[(node, key)]}")
        else:
            out.append(f"{node}.{key} {now[(node, key)]} ({', '.join(moves)})")
    return out


def fmt_flips(f):
    return "n/a" if f is None else f"{f:.4f}"


class Search:
    """evaluate(levels, full) -> gap dict, or None where fixnn refused that configuration."""

    def __init__(self, knobs, evaluate, samples, log=print):
        self.knobs = knobs
        self.samples = samples  # (all, screening)
        self.evaluate = evaluate
        self.log = log
        self.cache = {}
        self.evals = {"screen": 0, "full": 0}

    def gap(self, levels, full):
        key = (tuple(levels), full)
        if key not in self.cache:
            self.evals["full" if full else "screen"] += 1
            self.cache[key] = self.evaluate(list(levels), full)
        return self.cache[key]

    @staticmethod
    def meets(g, target):
        if g is None:
            return False
        if g["flips"] is not None and g["flips"] > target["flips"]:
            return False
        return all(g[k] <= target[k] for k in ("max", "mean") if k in target)

    @staticmethod
    def reachable(floor, samples):
        flips = floor["flips"] if floor["flips"] is not None else 0.0
        return {"flips": flips * (1 + FLOOR_SLACK) + FLOOR_SAMPLES / samples,
                "mean": floor["mean"] * (1 + FLOOR_SLACK)}

    def run(self):
        start = time.time()
        n = len(self.knobs)
        zero = [0] * n
        default = self.gap(zero, True)
        floor_levels = [k.hi for k in self.knobs]
        floor, floor_screen = self.gap(floor_levels, True), self.gap(floor_levels, False)
        if floor is None or floor_screen is None or floor["mean"] > default["mean"]:
            floor_levels, floor, floor_screen = zero, default, self.gap(zero, False)
        strict = {"flips": 0.0, "max": TOL}
        if self.meets(floor, strict):
            kind, target, target_screen = "strict", strict, strict
        else:
            kind = "reachable"
            target = self.reachable(floor, self.samples[0])
            target_screen = self.reachable(floor_screen, self.samples[1])
        self.log(f"    {n} knobs; default max|d| {default['max']:.3g} flips "
                 f"{fmt_flips(default['flips'])}; floor max|d| {floor['max']:.3g} flips "
                 f"{fmt_flips(floor['flips'])}; target {kind}")
        levels = list(floor_levels)
        # Accumulators and types wider than 64 bits first: while one is wide, the emulator
        # runs on wide integers (a GRU's (1 - z) * hh product passes 64 bits once its accum
        # has 13 fractional bits), some 30 times slower.
        widths = {nk: int(TYPE_RE.match(v).group(2)) for nk, v in
                  resolved(self.knobs, levels).items() if isinstance(v, str)}

        def slow(k):
            return k.kind != "table" and (k.key == "accum" or widths[(k.node, k.key)] > 64)

        order = sorted(range(n), key=lambda i: (slow(self.knobs[i]),
                                                levels[i] - self.knobs[i].lo), reverse=True)
        for step, i in enumerate(order):
            before = levels[i]
            levels[i] = self.lowest(levels, i, target_screen)
            if (step + 1) % 5 == 0 or step + 1 == n:
                self.log(f"      [{step + 1}/{n}] {self.knobs[i].label}: {before:+d} -> "
                         f"{levels[i]:+d}; level sum {sum(levels):+d}, "
                         f"{sum(self.evals.values())} evaluations")
        repairs = 0
        while not self.meets(self.gap(levels, True), target):
            if repairs == REPAIRS:
                levels = list(floor_levels)
                break
            repairs += 1
            levels = [min(lv + 1, f) for lv, f in zip(levels, floor_levels)]
        final = self.gap(levels, True)
        self.log(f"    closed ({kind}): level sum {sum(levels):+d}, max|d| {final['max']:.3g} "
                 f"flips {fmt_flips(final['flips'])}, {repairs} repairs "
                 f"({self.evals['screen']} screening + {self.evals['full']} full "
                 f"evaluations, {time.time() - start:.0f} s)")
        return {
            "default": default,
            "floor": floor,
            "floor_levels": floor_levels,
            "floor_bits": sum(floor_levels),
            "target_kind": kind,
            "target": target,
            "levels": levels,
            "closed": final,
            "extra_bits": sum(levels),
            "meets_target": self.meets(final, target),
            "repairs": repairs,
            "evaluations": dict(self.evals),
            "seconds": time.time() - start,
        }

    def lowest(self, levels, i, target):
        """The lowest level of knob i (the others fixed) that meets target on the screening
        samples, by bisection; levels[i] is taken to meet it."""
        lo, hi = self.knobs[i].lo, levels[i]
        trial = list(levels)
        if lo < hi:  # many knobs go all the way down: try that first
            trial[i] = lo
            if self.meets(self.gap(trial, False), target):
                return lo
            lo += 1
        while lo < hi:
            mid = (lo + hi) // 2
            trial[i] = mid
            if self.meets(self.gap(trial, False), target):
                hi = mid
            else:
                lo = mid + 1
        return hi
