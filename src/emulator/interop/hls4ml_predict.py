"""hls4ml's own predictions for fixnn's emulator interop test.

For each model and configuration: converts the model with hls4ml (Vitis backend, io_parallel),
compiles it, predicts on seeded random inputs (float64, so predict runs the double entry point
and returns to_double() of the exact outputs), and writes into OUT/<model>__<config>/:

  input.npy    the inputs, float64, [N, input shape...]
  output.npy   hls4ml's predictions, float64, [N, outputs...]
  trace.npz    every layer's output (hls4ml's trace), float64, [N, layer size] by layer name
  config.yml   a project configuration naming the model file and, per layer, every type and
               setting hls4ml used (its resolved 'auto' types included), so that fixnn runs
               the same types rather than inferring its own

and OUT/manifest.json listing the cases. Run with the Keras 3 environment (Keras 3 models) or
the Keras 2 one (QKeras models):
  ~/.cache/fixnn/venv-keras3/bin/python hls4ml_predict.py --out DIR [--samples N] [--cases a,b]
"""

import argparse
import json
import os
import shutil
import sys

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')

import numpy as np  # noqa: E402
import yaml  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
FIXTURES = os.path.join(REPO, 'tests', 'data', 'keras')
RESULT_12_4 = 'fixed<12,4,RND,SAT>'


def build_probe(path):
    """A Dense-only chain through every activation the emulator handles, saved to path."""
    import keras

    keras.utils.set_random_seed(1234)
    x = keras.Input((12,), name='x')
    h = keras.layers.Dense(16, activation='sigmoid', name='fc1')(x)
    h = keras.layers.Dense(12, name='fc2')(h)
    h = keras.layers.LeakyReLU(negative_slope=0.3, name='leaky')(h)
    h = keras.layers.Dense(10, activation='relu6', name='fc3')(h)
    h = keras.layers.Dense(8, activation='tanh', name='fc4')(h)
    h = keras.layers.Dense(8, name='fc5')(h)
    h = keras.layers.ReLU(name='relu')(h)
    h = keras.layers.Dense(6, name='fc6')(h)
    y = keras.layers.Softmax(name='softmax')(h)
    model = keras.Model(x, y, name='probe_dense_acts')
    # Larger weights than the initializer's, so that wide sums, saturation and the tables'
    # ends are reached.
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            kernel, bias = layer.get_weights()
            layer.set_weights([kernel * 2.0, np.random.default_rng(7).normal(0, 0.5, bias.shape)])
    # Weights that hls4ml's decimal text moves: just below a grid point (printed as the grid
    # point) and a tiny negative (printed as -0.0...).
    kernel, bias = model.get_layer('fc1').get_weights()
    kernel[0, 0] = np.float32(0.5) - np.float32(2.0**-25)
    kernel[1, 0] = np.float32(-1e-12)
    kernel[2, 1] = np.float32(0.25) - np.float32(2.0**-26)
    model.get_layer('fc1').set_weights([kernel, bias])
    model.save(path)
    return path


def keras_major():
    import keras

    return int(keras.__version__.split('.')[0])


def models(tmp):
    if keras_major() < 3:  # the Keras 2 environment: QKeras models
        return {
            'qk_jet_tagging_mlp': os.path.join(FIXTURES, 'qk_jet_tagging_mlp', 'model.h5'),
            'k2_seq_dense': os.path.join(FIXTURES, 'k2_seq_dense', 'model.h5'),
        }
    return {
        'k3_seq_dense': os.path.join(FIXTURES, 'k3_seq_dense', 'model.keras'),
        'k3_dense_no_bias': os.path.join(FIXTURES, 'k3_dense_no_bias', 'model.keras'),
        'probe_dense_acts': lambda: build_probe(os.path.join(tmp, 'probe_dense_acts.keras')),
    }


def load_model(path):
    if keras_major() < 3:
        from qkeras.utils import load_qmodel

        return load_qmodel(path, compile=False)
    import keras

    return keras.models.load_model(path)


def smallest_divisor(n):
    for d in range(2, n + 1):
        if n % d == 0:
            return d
    return 1


def configs(model):
    """The configurations compared, each a function of a fresh config_from_keras_model dict."""
    import hls4ml

    def base():
        return hls4ml.utils.config_from_keras_model(model, granularity='name', backend='Vitis')

    def rnd_sat():
        c = base()
        for layer in c['LayerName'].values():
            layer.setdefault('Precision', {})['result'] = RESULT_12_4
        return c

    def rnd_sat_latency_softmax():
        c = rnd_sat()
        for layer in c['LayerName'].values():
            if 'Implementation' in layer:
                layer['Implementation'] = 'latency'
        return c

    def resource_sat_accum():
        c = rnd_sat()
        for layer in model.layers:
            if layer.__class__.__name__ not in ('Dense', 'QDense'):
                continue
            n_in = layer.get_weights()[0].shape[0]
            entry = c['LayerName'][layer.name]
            entry['Strategy'] = 'Resource'
            entry['ReuseFactor'] = smallest_divisor(n_in)
            entry['Precision']['accum'] = 'fixed<10,3,RND,SAT>'
        return c

    def fine_tables():
        # Tables fine enough to tell float from double table arithmetic, a table size that is
        # not a power of two, and results so wide that the next Dense needs the exact path.
        c = rnd_sat()
        for layer in c['LayerName'].values():
            if 'table' in layer.get('Precision', {}) and 'Implementation' not in layer:
                layer['table_t'] = 'fixed<48,8,RND,SAT>'
                layer['TableSize'] = 1000
                layer['Precision']['result'] = 'fixed<52,4,RND,SAT>'
        return c

    return {
        'default': base,
        'rnd_sat': rnd_sat,
        'rnd_sat_latency_softmax': rnd_sat_latency_softmax,
        'resource_sat_accum': resource_sat_accum,
        'fine_tables': fine_tables,
    }


def precision_text(p):
    return str(p)


def resolved_config(hls_model):
    """Every type and setting hls4ml used, per layer, as explicit configuration keys."""
    layers = {}
    for layer in hls_model.get_layers():
        entry = {'Precision': {'result': precision_text(layer.get_output_variable().type.precision)}}
        for key, weight in layer.weights.items():
            if key == 'bias' and str(weight.type.precision).startswith('uint<1>'):
                continue  # the zero bias hls4ml adds to a Dense without one
            entry['Precision'][key] = precision_text(weight.type.precision)
        for attr, value in layer.attributes.items():
            if not attr.endswith('_t') or not hasattr(value, 'precision'):
                continue
            key = attr[:-2]
            if key in ('result', 'weight', 'bias', 'index') or key in entry['Precision']:
                continue
            if key == 'accum':
                entry['Precision']['accum'] = precision_text(value.precision)
            else:
                entry[attr] = precision_text(value.precision)
        strategy = layer.get_attr('strategy')
        if strategy is not None:
            entry['Strategy'] = {'latency': 'Latency', 'resource': 'Resource'}.get(
                str(strategy).lower(), str(strategy)
            )
        if layer.get_attr('reuse_factor') is not None:
            entry['ReuseFactor'] = int(layer.get_attr('reuse_factor'))
        if layer.get_attr('table_size') is not None:
            entry['TableSize'] = int(layer.get_attr('table_size'))
        if layer.get_attr('implementation') is not None and layer.__class__.__name__.endswith('Softmax'):
            entry['Implementation'] = str(layer.get_attr('implementation'))
        layers[layer.name] = entry
    return {'Model': {'Precision': {'default': 'fixed<16,6>'}, 'ReuseFactor': 1, 'Strategy': 'Latency'},
            'LayerName': layers}


def random_inputs(shape, samples, seed):
    """Normal values whose scale varies per sample (0.25 to 48), some beyond the input type."""
    rng = np.random.default_rng(seed)
    scale = rng.choice([0.25, 1.0, 4.0, 16.0, 48.0], size=(samples,) + (1,) * len(shape))
    return rng.normal(0.0, 1.0, size=(samples,) + tuple(shape)) * scale


def run_case(name, model_path, model, config_name, make_config, out_dir, samples, seed):
    import hls4ml

    case_dir = os.path.join(out_dir, f'{name}__{config_name}')
    os.makedirs(case_dir, exist_ok=True)
    project_dir = os.path.join(case_dir, 'hls4ml_prj')
    config = make_config()
    for layer in config['LayerName'].values():
        layer['Trace'] = True
    hls_model = hls4ml.converters.convert_from_keras_model(
        model, hls_config=config, output_dir=project_dir, backend='Vitis', io_type='io_parallel'
    )
    x = random_inputs(model.input_shape[1:], samples, seed)
    # trace() compiles the model and runs predict's double entry point, keeping every layer's
    # output as well.
    y, trace = hls_model.trace(np.ascontiguousarray(x, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)
    np.save(os.path.join(case_dir, 'input.npy'), x)
    np.save(os.path.join(case_dir, 'output.npy'), y.reshape(samples, -1))
    np.savez(
        os.path.join(case_dir, 'trace.npz'),
        **{name: np.asarray(v, dtype=np.float64).reshape(samples, -1) for name, v in trace.items()},
    )
    project = {
        'KerasModel': model_path,
        'OutputDir': project_dir,
        'ProjectName': 'myproject',
        'Backend': 'Vitis',
        'IOType': 'io_parallel',
        'HLSConfig': resolved_config(hls_model),
    }
    with open(os.path.join(case_dir, 'config.yml'), 'w') as f:
        yaml.safe_dump(project, f, sort_keys=False)
    shutil.rmtree(project_dir, ignore_errors=True)
    return {
        'name': f'{name}__{config_name}',
        'model': name,
        'config': config_name,
        'model_path': model_path,
        'config_path': os.path.join(case_dir, 'config.yml'),
        'input': os.path.join(case_dir, 'input.npy'),
        'output': os.path.join(case_dir, 'output.npy'),
        'trace': os.path.join(case_dir, 'trace.npz'),
        'samples': samples,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True)
    parser.add_argument('--samples', type=int, default=10000)
    parser.add_argument('--cases', default='', help='comma-separated <model>__<config> filter')
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    wanted = set(filter(None, args.cases.split(',')))
    manifest = []
    for index, (name, path) in enumerate(models(args.out).items()):
        model_path = path() if callable(path) else path
        model = load_model(model_path)
        for c_index, (config_name, make_config) in enumerate(configs(model).items()):
            if wanted and f'{name}__{config_name}' not in wanted:
                continue
            seed = 1000 * index + c_index
            manifest.append(run_case(name, model_path, model, config_name, make_config, args.out, args.samples, seed))
            print(f'{name}__{config_name}: done', flush=True)
    with open(os.path.join(args.out, 'manifest.json'), 'w') as f:
        json.dump({'cases': manifest}, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
