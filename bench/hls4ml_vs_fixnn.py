"""fixnn's emulator against hls4ml's own C++ simulation (predict), on the same model,
configuration and inputs.

(a) Throughput: hls4ml's predict on 100,000 inputs (the compiled C++ library, one call per
    sample from Python, as hls4ml runs it) against `fixnn predict` on the same inputs, with one
    thread and with one per core; fixnn's rate is the one it prints ("predicted N samples in S s
    (R samples/s, T threads)"), which times the emulation alone.
(b) From the model file to the first prediction: hls4ml's load + config_from_keras_model +
    convert + compile + predict(1 sample), timed inside an already started Python (imports
    excluded, which favours hls4ml), against the whole `fixnn predict` process on one sample
    (start, load, configure, emulate, write).

fixnn runs hls4ml's resolved configuration (every type hls4ml used, written by the interop
script's resolved_config) with --hls4ml-compatible (BatchNorm folding and linear-activation
removal as hls4ml does them), and its outputs are checked equal to hls4ml's bit for bit.

Models: the top-tagging GRU and LSTM (20 units over 20 steps; ../shared/models/HLS4ML_RNN, when
present), the 3-layer jet tagger (../shared/models, else the k3_seq_dense fixture), the
k3_cnn2d_classifier fixture (Conv2D) and the qk_jet_tagging_mlp fixture (QKeras, run in the
Keras 2 environment). Run with any Python; each model runs in the environment it needs:
  python3 bench/hls4ml_vs_fixnn.py [--fixnn build/release/tools/fixnn/fixnn] [--json out.json]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
SHARED = os.path.join(REPO, '..', 'shared', 'models')
FIXTURES = os.path.join(REPO, 'tests', 'data', 'keras')
VENVS = os.path.join(os.path.expanduser('~'), '.cache', 'fixnn')


def models():
    jet = os.path.join(SHARED, 'example-models', 'keras', 'keras_3layer.h5')
    if os.path.isfile(jet):
        jet_model = ('jet tagger 3-layer (keras_3layer.h5)', 'venv-keras3', jet)
    else:
        jet_model = ('k3_seq_dense (fixture; no jet tagger found)', 'venv-keras3',
                     os.path.join(FIXTURES, 'k3_seq_dense', 'model.keras'))
    rnn = os.path.join(SHARED, 'HLS4ML_RNN', 'src', 'python', 'hls4ml-rnn-toptag', 'qkeras')
    recurrent = [(f'top-tagging {name}(20) ({file})', 'venv-keras2', os.path.join(rnn, folder, file))
                 for name, folder, file in (('GRU', 'gru', 'model_gru.h5'),
                                            ('LSTM', 'lstm', 'model_toptag_lstm.h5'))
                 if os.path.isfile(os.path.join(rnn, folder, file))]
    return recurrent + [
        jet_model,
        ('k3_cnn2d_classifier (Conv2D)', 'venv-keras3',
         os.path.join(FIXTURES, 'k3_cnn2d_classifier', 'model.keras')),
        ('qk_jet_tagging_mlp (QKeras)', 'venv-keras2',
         os.path.join(FIXTURES, 'qk_jet_tagging_mlp', 'model.h5')),
    ]


PREDICTED = re.compile(r'predicted (\d+) samples in ([0-9.e+-]+) s \(([0-9.e+-]+) samples/s, (\d+) threads\)')


def run_fixnn(fixnn, config, x_path, y_path, threads):
    """Runs fixnn predict; returns (process wall seconds, the printed rate, threads, stderr)."""
    cmd = [fixnn, 'predict', config, '-i', x_path, '-o', y_path, '--force', '--hls4ml-compatible']
    if threads is not None:
        cmd += ['--threads', str(threads)]
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError(f'{" ".join(cmd)} failed ({p.returncode}): {p.stderr.strip()}')
    m = PREDICTED.search(p.stderr)
    if not m:
        raise RuntimeError(f'no "predicted ..." line in fixnn\'s output: {p.stderr.strip()}')
    return wall, float(m.group(3)), int(m.group(4)), p.stderr


def one_model(args):
    """Measures one model (run in its environment); prints one JSON line."""
    work = tempfile.mkdtemp(prefix='fixnn-bench-', dir=args.work)
    try:
        return measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(args, work):
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
    import numpy as np
    import yaml

    sys.path.insert(0, os.path.join(REPO, 'src', 'emulator', 'interop'))
    import hls4ml_predict as interop  # the interop test's loader and configuration writer

    import hls4ml

    spec = {'name': 'bench', 'files': {'model': args.model}, 'integer_inputs': {}}

    # (b) hls4ml: model file -> first prediction, in this process (imports already done).
    first = []
    x1 = None
    for r in range(args.repeats):
        out_dir = os.path.join(work, f'first{r}')
        start = time.perf_counter()
        model = interop.load_model(spec)
        config = hls4ml.utils.config_from_keras_model(model, granularity='name', backend='Vitis')
        hls_model = hls4ml.converters.convert_from_keras_model(
            model, hls_config=config, output_dir=out_dir, backend='Vitis', io_type='io_parallel')
        hls_model.compile()
        if x1 is None:
            shape = hls_model.get_input_variables()[0].shape
            x1 = interop.random_inputs(np.random.default_rng(1), shape, 1)
        y1 = np.asarray(hls_model.predict(np.ascontiguousarray(x1))).reshape(1, -1)
        first.append(time.perf_counter() - start)

    # fixnn's configuration: every type hls4ml used.
    project = {'KerasModel': args.model, 'OutputDir': os.path.join(work, 'prj'), 'ProjectName': 'myproject',
               'Backend': 'Vitis', 'IOType': 'io_parallel',
               'HLSConfig': interop.resolved_config(interop.layer_dump(hls_model))}
    config_path = os.path.join(work, 'config.yml')
    with open(config_path, 'w') as f:
        yaml.safe_dump(project, f, sort_keys=False)

    # (a) throughput on the same inputs.
    shape = hls_model.get_input_variables()[0].shape
    x = interop.random_inputs(np.random.default_rng(2), shape, args.samples)
    x = np.ascontiguousarray(x)
    start = time.perf_counter()
    y = np.asarray(hls_model.predict(x)).reshape(args.samples, -1)
    hls_rate = args.samples / (time.perf_counter() - start)

    x_path, y_path = os.path.join(work, 'x.npy'), os.path.join(work, 'y.npy')
    np.save(x_path, x)
    rates = {}
    exact = True
    mismatches = 0
    for threads in (1, 0):
        _, rate, used, _ = run_fixnn(args.fixnn, config_path, x_path, y_path, threads)
        rates[used] = rate
        got = np.load(y_path).reshape(args.samples, -1)
        exact = exact and np.array_equal(got, y)
        mismatches = max(mismatches, int(np.sum(got != y)))
    x1_path, y1_path = os.path.join(work, 'x1.npy'), os.path.join(work, 'y1.npy')
    np.save(x1_path, x1)
    fixnn_first = []
    for _ in range(args.repeats):
        wall, _, _, _ = run_fixnn(args.fixnn, config_path, x1_path, y1_path, 1)
        fixnn_first.append(wall)
        exact = exact and np.array_equal(np.load(y1_path).reshape(1, -1), y1)
    print(json.dumps({
        'model': args.label, 'samples': args.samples, 'hls4ml_rate': hls_rate, 'fixnn_rates': rates,
        'hls4ml_first_s': min(first), 'fixnn_first_s': min(fixnn_first), 'bit_exact': bool(exact),
        'mismatches': mismatches, 'versions': interop.versions(),
    }))
    return 0


def table(results):
    lines = [
        '| model | hls4ml predict | fixnn, 1 thread | ratio | fixnn, all cores | ratio '
        '| hls4ml to first prediction | fixnn | ratio | outputs equal |',
        '|---|---|---|---|---|---|---|---|---|---|',
    ]
    for r in results:
        if 'error' in r:
            lines.append(f'| {r["model"]} | failed: {r["error"]} |||||||||')
            continue
        one = r['fixnn_rates'].get('1') or r['fixnn_rates'].get(1)
        most_threads = max(int(t) for t in r['fixnn_rates'])
        many = r['fixnn_rates'].get(str(most_threads)) or r['fixnn_rates'].get(most_threads)
        lines.append(
            f'| {r["model"]} | {r["hls4ml_rate"]:,.0f} /s | {one:,.0f} /s | **{one / r["hls4ml_rate"]:.0f}x** '
            f'| {many:,.0f} /s ({most_threads} threads) | **{many / r["hls4ml_rate"]:.0f}x** '
            f'| {r["hls4ml_first_s"]:.2f} s | {r["fixnn_first_s"]:.3f} s '
            f'| **{r["hls4ml_first_s"] / r["fixnn_first_s"]:.0f}x** '
            f'| {"yes" if r["bit_exact"] else "NO (%d values differ)" % r["mismatches"]} |')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--fixnn', default=os.path.join(REPO, 'build', 'release', 'tools', 'fixnn', 'fixnn'))
    parser.add_argument('--samples', type=int, default=100_000)
    parser.add_argument('--repeats', type=int, default=3, help='first-prediction runs (the fastest counts)')
    parser.add_argument('--models', default='', help='comma-separated substrings of the model labels')
    parser.add_argument('--work', default=None, help='folder for temporary files')
    parser.add_argument('--json', help='also write the results here')
    parser.add_argument('--one', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--model', help=argparse.SUPPRESS)
    parser.add_argument('--label', help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.fixnn = os.path.abspath(args.fixnn)
    if args.one:
        return one_model(args)
    if not os.path.isfile(args.fixnn):
        parser.error(f'{args.fixnn}: no fixnn binary (build it: cmake --build --preset release --target fixnn)')
    results = []
    wanted = [w for w in args.models.split(',') if w]
    for label, venv, path in models():
        if wanted and not any(w in label for w in wanted):
            continue
        python = os.path.join(VENVS, venv, 'bin', 'python')
        if not os.path.isfile(python):
            results.append({'model': label, 'error': f'{python} not found'})
            continue
        cmd = [python, os.path.abspath(__file__), '--one', '--model', path, '--label', label,
               '--fixnn', args.fixnn, '--samples', str(args.samples), '--repeats', str(args.repeats)]
        if args.work:
            cmd += ['--work', args.work]
        print(f'{label} ...', file=sys.stderr, flush=True)
        p = subprocess.run(cmd, capture_output=True, text=True)
        lines = [l for l in p.stdout.splitlines() if l.startswith('{')]
        if p.returncode != 0 or not lines:
            tail = (p.stderr.strip().splitlines() or ['?'])[-1]
            results.append({'model': label, 'error': tail})
            continue
        results.append(json.loads(lines[-1]))
    print(table(results))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)
    return 0 if all('error' not in r and r['bit_exact'] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main())
