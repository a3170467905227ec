"""Writing and compiling the HLS project: fixnn against hls4ml, on the same model and
configuration (hls4ml's config_from_keras_model with granularity 'name').

(a) Generation: hls4ml's convert_from_keras_model + write(), timed inside an already started
    Python with the model loaded (imports and model loading excluded, which favours hls4ml),
    against the whole `fixnn convert` process (start, load, configure, write the project).
(b) Compilation: hls4ml's compile() (its build_lib.sh: g++ on the generated C++ into a shared
    library) against fixnn's build of its project with g++ (`fixnn convert --check` prints the
    build time; ccache disabled so that nothing is reused).

Each is the best of --repeat runs. Models: the 3-layer jet tagger (../shared/models, else the
k3_seq_dense fixture) and the qk_jet_tagging_mlp fixture (QKeras, Keras 2 environment).
  python3 bench/hls_project_vs_hls4ml.py [--fixnn build/release/tools/fixnn/fixnn] [--json out.json]
"""

import argparse
import json
import os
import re
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
        first = ('jet tagger 3-layer (keras_3layer.h5)', 'venv-keras3', jet)
    else:
        first = ('k3_seq_dense (fixture; no jet tagger found)', 'venv-keras3',
                 os.path.join(FIXTURES, 'k3_seq_dense', 'model.keras'))
    return [first, ('qk_jet_tagging_mlp (QKeras)', 'venv-keras2',
                    os.path.join(FIXTURES, 'qk_jet_tagging_mlp', 'model.h5'))]


HLS4ML_TIMER = r'''
import json, os, sys, time, shutil
os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'
model_path, out, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
import hls4ml
if model_path.endswith('.keras'):
    import keras
    model = keras.models.load_model(model_path)
else:
    import tensorflow as tf
    co = {}
    try:  # QKeras (Keras 2 environment)
        from qkeras.utils import _add_supported_quantized_objects
        _add_supported_quantized_objects(co)
    except ImportError:
        pass
    model = tf.keras.models.load_model(model_path, custom_objects=co, compile=False)
config = hls4ml.utils.config_from_keras_model(model, granularity='name', backend='Vitis')
best_write = best_compile = None
for i in range(repeat):
    d = os.path.join(out, f'hls4ml_{i}')
    t0 = time.perf_counter()
    m = hls4ml.converters.convert_from_keras_model(model, hls_config=config, output_dir=d,
                                                   backend='Vitis', io_type='io_parallel')
    m.write()
    t1 = time.perf_counter()
    m.compile()
    t2 = time.perf_counter()
    best_write = min(best_write or 1e9, t1 - t0)
    best_compile = min(best_compile or 1e9, t2 - t1)
    shutil.rmtree(d, ignore_errors=True)
print(json.dumps({'write': best_write, 'compile': best_compile, 'config': config}, default=str))
'''

BUILT = re.compile(r'built with g\+\+ \(([0-9.]+) s\)')


def time_fixnn(fixnn, model_path, config_path, out, repeat):
    best_write = best_compile = None
    env = dict(os.environ, CCACHE_DISABLE='1')
    for i in range(repeat):
        d = os.path.join(out, f'fixnn_{i}')
        t0 = time.perf_counter()
        r = subprocess.run([fixnn, 'convert', model_path, '-c', config_path, '-o', d],
                           capture_output=True, text=True, env=env)
        t1 = time.perf_counter()
        if r.returncode != 0:
            raise RuntimeError(f'fixnn convert failed: {r.stderr}')
        best_write = min(best_write or 1e9, t1 - t0)
        r = subprocess.run([fixnn, 'convert', model_path, '-c', config_path, '-o', d, '--force',
                            '--check', '--check-samples', '100'],
                           capture_output=True, text=True, env=env)
        m = BUILT.search(r.stderr)
        if r.returncode != 0 or not m:
            raise RuntimeError(f'fixnn convert --check failed: {r.stderr}')
        best_compile = min(best_compile or 1e9, float(m.group(1)))
    return best_write, best_compile


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--fixnn', default=os.path.join(REPO, 'build', 'release', 'tools', 'fixnn',
                                                        'fixnn'))
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--json', default='')
    args = parser.parse_args()
    results = []
    for name, venv, path in models():
        python = os.path.join(VENVS, venv, 'bin', 'python')
        if not os.path.exists(python):
            print(f'{name}: skipped (no {python}; run scripts/setup.sh)')
            continue
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([python, '-c', HLS4ML_TIMER, path, out, str(args.repeat)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f'{name}: hls4ml failed: {r.stderr[-800:]}')
                continue
            h = json.loads(r.stdout.strip().splitlines()[-1])
            config_path = os.path.join(out, 'config.yml')
            with open(config_path, 'w') as f:
                json.dump({'HLSConfig': h['config']}, f)  # JSON is YAML
            fw, fc = time_fixnn(args.fixnn, path, config_path, out, args.repeat)
        row = {'model': name, 'hls4ml_write_s': h['write'], 'fixnn_write_s': fw,
               'write_ratio': h['write'] / fw, 'hls4ml_compile_s': h['compile'],
               'fixnn_compile_s': fc, 'compile_ratio': h['compile'] / fc}
        results.append(row)
        print(f"{name}: generation hls4ml {h['write']:.3f} s, fixnn {fw:.3f} s "
              f"({row['write_ratio']:.1f}x); g++ build hls4ml {h['compile']:.2f} s, "
              f"fixnn {fc:.2f} s ({row['compile_ratio']:.2f}x)", flush=True)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)
    return 0 if results else 1


if __name__ == '__main__':
    sys.exit(main())
