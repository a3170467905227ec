"""hls4ml's own predictions for fixnn's emulator interop test, cached.

For every model of the environment it runs in (Keras 3 models in the Keras 3 environment,
Keras 2 and QKeras models in the Keras 2 one) and every configuration that applies to it:
converts the model with hls4ml (Vitis backend, io_parallel), compiles it, predicts with trace on
seeded random inputs (float64, so predict runs the double entry point and returns to_double()
of the exact outputs) and keeps, per case <model>__<config>:

  inputs.npz      the inputs by hls4ml input name, [N, input shape...]
  outputs.npz     hls4ml's predictions by output layer name, [N, outputs...]
  trace.npz       every traced layer's output by layer name, [T, layer size], for the first T
                  samples (T = N unless the layers are large)
  hls_layers.json every layer hls4ml kept, with its attributes and types (its resolved 'auto'
                  types included); the manifest turns it into an HLSConfig naming every type
                  and setting, so that fixnn runs the same types
  hls4ml_input_config.json  the configuration given to hls4ml
  result.json     status ("ok" or "failed" with hls4ml's error in one line), N, T, names

Arrays are float32 where that holds every value exactly, else float64.

Models: every fixture in tests/data/keras (but the one that must fail to
load); for a fixture gathering many layers into one output Concatenate (hls4ml takes two
inputs), also '<fixture>.split', the same model with that Concatenate made a chain of
two-input ones; two probe models built here (Dense activations; Bidirectional LSTMs); and the third-party Keras / QKeras models in
../shared/models listed in SHARED_MODELS (when that folder exists). Inputs: normal values
whose scale varies per sample (0.25 to 48), rounded to float32; valid token ids for the inputs
a fixture's meta.json marks as integer. 10,000 samples, fewer for models whose inputs or
multiply-accumulates would make a case too large or slow (MAX_INPUT_VALUES, MAX_MACS: fine_tables
cases of models above 5,000 multiply-accumulates per sample).

Configurations: default (hls4ml's config_from_keras_model, granularity 'name': for QKeras
layers that is the quantizers' own types), rnd_sat (every result fixed<12,4,RND,SAT>),
softmax_stable / softmax_latency (models with a softmax: rnd_sat with that implementation and
512-entry tables), resource_sat_accum (models with a Dense or Conv: rnd_sat, those layers
Resource with the smallest reuse factor above 1 and accum fixed<10,3,RND,SAT>), fine_tables
(models with table activations: 48-bit tables of 1000 entries, 52-bit results), recurrent_sat
(models with recurrent layers: rnd_sat, their accum_t fixed<12,4,RND,SAT>, weights and biases
fixed<8,2,RND,SAT>, 512-entry tables in fixed<14,4,RND,SAT>) and recurrent_resource
(recurrent_sat, LSTM and GRU layers Resource with the smallest reuse factor above 1 valid for
both their products).

Cache: <cache>/<model>__<config>-<key>/, the key hashing the model files' bytes, the
configuration name, the samples, the seed, the versions of hls4ml, Keras and TensorFlow and
CACHE_VERSION (bump it when what this script generates changes). A model's list of
configurations is cached the same way (<cache>/<model>-<key>/info.json). hls4ml failures
(conversion, compilation, a crash, a time-out) are cached too. Each model runs in a worker
process (a crash or a hang costs only that case); --jobs workers run at once.

OUT/manifest.json lists the cases with the current paths of the model files and the cached
arrays; OUT/<case>/config.yml is the project configuration for fixnn (model files +
HLSConfig). Run:
  ~/.cache/fixnn/venv-keras3/bin/python hls4ml_predict.py --out DIR [--jobs 2] [--cases PAT,...]
"""

import argparse
import fnmatch
import hashlib
import importlib.metadata
import inspect
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')

import numpy as np  # noqa: E402

# Bump when the generated data would differ (inputs, configurations, what is stored); bump a
# configuration's entry when only its cases change.
CACHE_VERSION = 1
CONFIG_VERSIONS = {'fine_tables': 2, 'recurrent_resource': 2}
# Bump when build_split makes other models.
SPLIT_VERSION = 1

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
FIXTURES = os.path.join(REPO, 'tests', 'data', 'keras')
DEFAULT_SHARED = os.path.join(REPO, '..', 'shared', 'models')
RESULT_12_4 = 'fixed<12,4,RND,SAT>'
SOFTMAX_TABLE_SIZE = 512

# Bounds on what one case stores: the inputs of at most this many values (fewer samples for
# large inputs), and the trace of the first samples up to this many values.
MAX_INPUT_VALUES = 10_000_000
MAX_TRACE_VALUES = 10_000_000
MIN_TRACE_SAMPLES = 100
# hls4ml's predict takes a few ns per multiply-accumulate: fewer samples (at least
# MIN_SAMPLES) for models with more than MAX_MACS over all samples (a minute or so). fine_tables
# makes fixnn take its exact arithmetic, some hundred ns per multiply-accumulate: a smaller
# budget there keeps the interop test's run short.
MAX_MACS = {'fine_tables': 50_000_000}
DEFAULT_MAX_MACS = 10_000_000_000
MIN_SAMPLES = {'fine_tables': 10}
DEFAULT_MIN_SAMPLES = 100
# A case that runs longer than this (seconds) is stopped and recorded as failed.
CASE_TIMEOUT = int(os.environ.get('FIXNN_INTEROP_CASE_TIMEOUT', '3600'))

PROTOCOL = '@@interop '

# Models whose hls4ml compilation takes 15 to 50 minutes (a 224x224x3 input, 9 million
# multiply-accumulates per sample): only these configurations.
HEAVY_CONV1D = ['default', 'rnd_sat', 'softmax_stable', 'softmax_latency']
HEAVY_IMAGE = ['default']

# Third-party models under ../shared/models, by name: environment, model file, weights file
# (for a JSON architecture) and, for some, the only configurations run. Left out: BinaryDense /
# TernaryDense / GarNet models (custom layers of their authors' code: Keras cannot load them,
# fixnn refuses them), the HGQ proxy models (not Keras or QKeras layers), keras_3layer.h5 (the
# weights of KERAS_3layer again), recurrent models.
SHARED_MODELS = [
    ('KERAS_1layer', 'keras2', 'example-models/keras/KERAS_1layer.json',
     'example-models/keras/KERAS_1layer_weights.h5'),
    ('KERAS_3layer', 'keras2', 'example-models/keras/KERAS_3layer.json',
     'example-models/keras/KERAS_3layer_weights.h5'),
    ('KERAS_3layer_70pruned', 'keras2', 'example-models/keras/KERAS_3layer.json',
     'example-models/keras/KERAS_3layer_70pruned_retrained_weights.h5'),
    ('KERAS_3layer_95pruned', 'keras2', 'example-models/keras/KERAS_3layer.json',
     'example-models/keras/KERAS_3layer_95pruned_retrained_weights.h5'),
    ('KERAS_3layer_batch_norm', 'keras2', 'example-models/keras/KERAS_3layer_batch_norm.json',
     'example-models/keras/KERAS_3layer_batch_norm_weights.h5'),
    ('KERAS_conv1d', 'keras2', 'example-models/keras/KERAS_conv1d.json',
     'example-models/keras/KERAS_conv1d_weights.h5', HEAVY_CONV1D),
    ('KERAS_conv1d_small', 'keras2', 'example-models/keras/KERAS_conv1d_small.json',
     'example-models/keras/KERAS_conv1d_small_weights.h5'),
    ('KERAS_conv2d_model', 'keras2', 'example-models/keras/KERAS_conv2d_model.json',
     'example-models/keras/KERAS_conv2d_model_weights.h5'),
    ('KERAS_dense_16x100x5', 'keras2', 'example-models/keras/KERAS_dense_16x100x100x100x100x100x5.json',
     'example-models/keras/KERAS_dense_16x100x100x100x100x100x5_weights.h5'),
    ('KERAS_dense_16x200x5', 'keras2', 'example-models/keras/KERAS_dense_16x200x200x200x200x200x5.json',
     'example-models/keras/KERAS_dense_16x200x200x200x200x200x5_weights.h5'),
    ('jetTagger_Conv2D_Small', 'keras2', 'example-models/keras/jetTagger_Conv2D_Small.json',
     'example-models/keras/jetTagger_Conv2D_Small_weights.h5'),
    ('jetTagger_Conv2D_Small_NoBatchNorm', 'keras2',
     'example-models/keras/jetTagger_Conv2D_Small_NoBatchNorm.json',
     'example-models/keras/jetTagger_Conv2D_Small_NoBatchNorm_weights.h5'),
    ('qkeras_3layer', 'keras2', 'example-models/keras/qkeras_3layer.json',
     'example-models/keras/qkeras_3layer_weights.h5'),
    ('qkeras_mnist_cnn', 'keras2', 'example-models/keras/qkeras_mnist_cnn.json',
     'example-models/keras/qkeras_mnist_cnn_weights.h5'),
    ('qkeras_mnist_dense', 'keras2', 'example-models/keras/qkeras_mnist_dense.json',
     'example-models/keras/qkeras_mnist_dense_weights.h5'),
    ('qkeras_v3_3layer', 'keras3', 'example-models/keras/qkeras-v3_3layer.keras', None),
    ('QKERAS_3layer', 'keras2', 'hls4ml/example-models/keras/QKERAS_3layer.h5', None),
    ('FashionMNIST_qconv2d_bn', 'keras2', 'hls4ml/example-prjs/fashion/qkeras/FashionMNIST.h5', None,
     HEAVY_IMAGE),
    ('mlp_streaming', 'keras2', 'hls4ml/experiments/mlp_streaming/keras_model.keras', None),
] + [
    (f'prj_{d}', 'keras2', f'hls4ml/example-prjs/{d}/{f}.h5', None)
    for d, f in [
        ('binary_tanh', 'binary_tanh'), ('conv1d_1layer', 'conv1d_1layer'),
        ('conv2d_1layer', 'conv2d_1layer'), ('elu', 'elu'), ('hard_sigmoid', 'hard_sigmoid'),
        ('leaky_relu', 'leaky_relu'), ('linear', 'linear'), ('prelu', 'prelu'),
        ('prelu_no_stream', 'prelu'), ('relu', 'relu'), ('relu_no_stream', 'relu'),
        ('selu', 'selu'), ('sigmoid', 'sigmoid'), ('softmax', 'softmax'),
        ('softmax_latency', 'softmax'), ('softmax_legacy', 'softmax'), ('softplus', 'softplus'),
        ('softsign', 'softsign'), ('tanh', 'tanh'), ('ternary_tanh', 'ternary_tanh'),
        ('thresholded_relu', 'thresholded_relu'),
        ('thresholded_relu_no_stream', 'thresholded_relu'),
    ]
]


def say(message):
    """A progress line for the parent (workers) or the user."""
    sys.__stdout__.write(message + '\n')
    sys.__stdout__.flush()


def keras_env():
    return 'keras3' if int(importlib.metadata.version('keras').split('.')[0]) >= 3 else 'keras2'


def versions():
    out = {}
    for pkg in ('hls4ml', 'keras', 'tensorflow', 'tensorflow-cpu', 'qkeras', 'numpy'):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


# ----------------------------------------------------------------------------------------------
# Models


def build_probe(path):
    """A Dense-only chain through every activation the first emulator slice handled."""
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


def build_probe_bidirectional(path):
    """Bidirectional LSTMs (concat), with and without return_sequences: recurrent layers
    hls4ml computes that no fixture holds alone."""
    import keras

    keras.utils.set_random_seed(4321)
    x = keras.Input((6, 3), name='seq')
    h = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True), name='bi_seq')(x)
    y = keras.layers.Bidirectional(keras.layers.LSTM(2), name='bi_last')(h)
    model = keras.Model(x, y, name='probe_bidirectional')
    # Larger weights than the initializer's, so that sums leave narrow accumulators.
    for layer in model.layers:
        weights = layer.get_weights()
        if weights:
            layer.set_weights([w * 2.0 for w in weights])
    model.save(path)
    return path


def file_digest(paths, extra=''):
    h = hashlib.sha256(extra.encode())
    for p in paths:
        with open(p, 'rb') as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def discover_models(env, shared_dir, cache):
    """(models, skipped): the models of this environment, each a dict; skipped (name, why)."""
    models, skipped = [], []
    for name in sorted(os.listdir(FIXTURES)):
        meta_path = os.path.join(FIXTURES, name, 'meta.json')
        if not os.path.isfile(meta_path):
            continue
        with open(meta_path) as f:
            meta = json.load(f)
        model_env = 'keras3' if meta['framework'] == 'keras3' else 'keras2'
        if model_env != env:
            continue
        if meta.get('expect_error'):
            skipped.append((name, 'the fixture must fail to load'))
            continue
        path = os.path.join(FIXTURES, name, 'model.keras' if env == 'keras3' else 'model.h5')
        model = {
            'name': name, 'files': {'model': path}, 'digest': file_digest([path]),
            'integer_inputs': {int(k): v for k, v in meta.get('integer_inputs', {}).items()},
        }
        models.append(model)
        wide = wide_concat_outputs(os.path.join(FIXTURES, name, 'model.json'))
        if wide:
            models.append(split_variant(model, wide, cache, env))
    if env == 'keras3':
        source = inspect.getsource(build_probe)
        digest = file_digest([], source + importlib.metadata.version('keras'))
        path = os.path.join(cache, 'probe', digest[:20], 'probe_dense_acts.keras')
        models.append({'name': 'probe_dense_acts', 'files': {'model': path}, 'digest': digest,
                       'integer_inputs': {}, 'build_probe': True})
        source = inspect.getsource(build_probe_bidirectional)
        digest = file_digest([], source + importlib.metadata.version('keras'))
        path = os.path.join(cache, 'probe', digest[:20], 'probe_bidirectional.keras')
        models.append({'name': 'probe_bidirectional', 'files': {'model': path}, 'digest': digest,
                       'integer_inputs': {}, 'build_probe_bidirectional': True})
    if shared_dir and os.path.isdir(shared_dir):
        for name, model_env, arch, weights, *only in SHARED_MODELS:
            if model_env != env:
                continue
            arch_path = os.path.join(shared_dir, arch)
            files = {'model': arch_path}
            if weights:
                files['weights'] = os.path.join(shared_dir, weights)
            missing = [p for p in files.values() if not os.path.isfile(p)]
            if missing:
                skipped.append((name, 'missing ' + ', '.join(missing)))
                continue
            models.append({'name': name, 'files': files, 'digest': file_digest(list(files.values())),
                           'integer_inputs': {}, 'only': only[0] if only else None})
    elif shared_dir:
        skipped.append(('shared models', f'{shared_dir} not found'))
    return models, skipped


def wide_concat_outputs(json_path):
    """The model's output Concatenate layers with more than two inputs (hls4ml takes two)."""
    if not os.path.isfile(json_path):
        return []
    with open(json_path) as f:
        config = json.load(f).get('config', {})
    outputs = config.get('output_layers') or []
    if outputs and isinstance(outputs[0], str):
        outputs = [outputs]
    names = {o[0] for o in outputs}
    wide = []
    for layer in config.get('layers', []):
        name = layer.get('name') or layer.get('config', {}).get('name')
        nodes = layer.get('inbound_nodes') or []
        if name not in names or layer.get('class_name') != 'Concatenate' or not nodes:
            continue
        node = nodes[0]
        n = len(node['args'][0]) if isinstance(node, dict) else len(node)
        if n > 2:
            wide.append(name)
    return sorted(wide)


def build_split(source, path, concat_names):
    """The source model with each wide output Concatenate made a chain of two-input ones
    ('<name>_1', '<name>_2', ..., the last keeping the name)."""
    if keras_env() == 'keras3':
        import keras
    else:
        from tensorflow import keras
    model = load_model(source)
    taken = {layer.name for layer in all_layers(model)}
    outputs = []
    for t in model.outputs:
        layer = t._keras_history[0]
        if layer.name not in concat_names:
            outputs.append(t)
            continue
        parts = list(layer.input)
        y = parts[0]
        for k, x in enumerate(parts[1:], start=1):
            name = layer.name
            if k < len(parts) - 1:
                name = f'{layer.name}_{k}'
                while name in taken:  # a name the model already uses
                    name += '_'
                taken.add(name)
            y = keras.layers.Concatenate(axis=layer.axis, name=name)([y, x])
        outputs.append(y)
    keras.Model(model.inputs, outputs, name=model.name + '_split').save(path)


def split_variant(model, concat_names, cache, env):
    """A derived model '<name>.split' whose wide output Concatenates are chains of two-input
    ones: the fixtures that gather many layers into one Concatenate, which hls4ml cannot
    convert."""
    digest = file_digest([], f'{model["digest"]} split {SPLIT_VERSION} {",".join(concat_names)} '
                         + importlib.metadata.version('keras'))
    ext = '.keras' if env == 'keras3' else '.h5'
    path = os.path.join(cache, 'derived', digest[:20], model['name'] + '.split' + ext)
    return {'name': model['name'] + '.split', 'files': {'model': path}, 'digest': digest,
            'integer_inputs': model['integer_inputs'], 'derive': {'source': model, 'concat': concat_names}}


def qkeras_objects():
    from qkeras.utils import _add_supported_quantized_objects

    objects = {}
    _add_supported_quantized_objects(objects)
    return objects


def load_model(spec):
    files = spec['files']
    probe = spec.get('build_probe') or spec.get('build_probe_bidirectional')
    if (probe or spec.get('derive')) and not os.path.exists(files['model']):
        os.makedirs(os.path.dirname(files['model']), exist_ok=True)
        tmp = files['model'] + f'.tmp{os.getpid()}' + os.path.splitext(files['model'])[1]
        if spec.get('build_probe'):
            build_probe(tmp)
        elif spec.get('build_probe_bidirectional'):
            build_probe_bidirectional(tmp)
        else:
            build_split(spec['derive']['source'], tmp, spec['derive']['concat'])
        os.replace(tmp, files['model'])
    if keras_env() == 'keras3':
        import keras

        if 'weights' in files:
            with open(files['model']) as f:
                model = keras.models.model_from_json(f.read())
            model.load_weights(files['weights'])
            return model
        return keras.models.load_model(files['model'], compile=False)
    import h5py
    from tensorflow import keras

    objects = qkeras_objects()
    if 'weights' in files:
        with open(files['model']) as f:
            model = keras.models.model_from_json(f.read(), custom_objects=objects)
        model.load_weights(files['weights'])
        return model
    with open(files['model'], 'rb') as f:
        hdf5 = f.read(4) == b'\x89HDF'
    try:
        if hdf5 and not files['model'].endswith('.h5'):  # an HDF5 file named .keras
            with h5py.File(files['model'], 'r') as f:
                return keras.models.load_model(f, custom_objects=objects, compile=False)
        return keras.models.load_model(files['model'], custom_objects=objects, compile=False)
    except (TypeError, ValueError):
        if not hdf5:
            raise
    # Initializers saved as the authors' own functions, which Keras cannot rebuild: they play no
    # part in inference, so the architecture is read with default ones and the weights loaded.
    with h5py.File(files['model'], 'r') as f:
        text = f.attrs['model_config']
    config = json.loads(text.decode() if isinstance(text, bytes) else text)
    model = keras.models.model_from_json(json.dumps(without_initializers(config)), custom_objects=objects)
    model.load_weights(files['model'])
    return model


def without_initializers(node):
    if isinstance(node, dict):
        return {k: 'zeros' if k.endswith('_initializer') else without_initializers(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [without_initializers(v) for v in node]
    return node


# ----------------------------------------------------------------------------------------------
# Configurations


def smallest_divisor(n):
    for d in range(2, n + 1):
        if n % d == 0:
            return d
    return 1


MAC_CLASSES = ('Dense', 'QDense', 'Conv1D', 'Conv2D', 'QConv1D', 'QConv2D')
RECURRENT_CLASSES = ('LSTM', 'GRU', 'SimpleRNN', 'QLSTM', 'QGRU', 'QSimpleRNN', 'Bidirectional')


def config_makers(model, integer_inputs):
    """Every configuration, name -> function returning a fresh HLSConfig dict."""
    import hls4ml

    def base():
        return hls4ml.utils.config_from_keras_model(model, granularity='name', backend='Vitis')

    integer_names = {n for i, n in enumerate(input_names(model)) if i in integer_inputs}

    def rnd_sat():
        c = base()
        for name, layer in c['LayerName'].items():
            if name in integer_names:
                continue  # token ids stay in the input type
            layer.setdefault('Precision', {})['result'] = RESULT_12_4
        return c

    def softmax(implementation):
        def make():
            c = rnd_sat()
            for layer in c['LayerName'].values():
                if 'Implementation' in layer:
                    layer['Implementation'] = implementation
                    layer['TableSize'] = SOFTMAX_TABLE_SIZE
            return c

        return make

    def resource_sat_accum():
        c = rnd_sat()
        for layer in model.layers:
            if layer.__class__.__name__ not in MAC_CLASSES or layer.name not in c['LayerName']:
                continue
            kernel = layer.get_weights()[0]
            n_in = int(np.prod(kernel.shape[:-1]))
            entry = c['LayerName'][layer.name]
            entry['Strategy'] = 'Resource'
            entry['ReuseFactor'] = smallest_divisor(n_in)
            entry.setdefault('Precision', {})['accum'] = 'fixed<10,3,RND,SAT>'
        return c

    def fine_tables():
        # Tables fine enough to tell float from double table arithmetic, a table size that is
        # not a power of two, and results so wide that the next layer needs the exact path.
        c = rnd_sat()
        for layer in c['LayerName'].values():
            if 'table' in layer.get('Precision', {}) and 'Implementation' not in layer:
                layer['table_t'] = 'fixed<48,8,RND,SAT>'
                layer['TableSize'] = 1000
                layer['Precision']['result'] = 'fixed<52,4,RND,SAT>'
        return c

    def recurrent_sat():
        # Narrow saturating types inside the recurrent layers, accum_t the result type (hls4ml's
        # LSTM compiles only when its input, result and accumulator types are one type).
        c = rnd_sat()
        for layer in all_layers(model):
            if layer.__class__.__name__ not in RECURRENT_CLASSES or layer.name not in c['LayerName']:
                continue
            entry = c['LayerName'][layer.name]
            precision = entry.setdefault('Precision', {})
            precision['accum'] = RESULT_12_4
            for key in ('weight', 'bias', 'recurrent_weight', 'recurrent_bias'):
                if key in precision:
                    precision[key] = 'fixed<8,2,RND,SAT>'
            entry['table_t'] = 'fixed<14,4,RND,SAT>'
            entry['TableSize'] = 512
        return c

    def recurrent_resource():
        # recurrent_sat with the LSTM / GRU layers on the Resource strategy, their reuse factor
        # the smallest above 1 valid for both products (hls4ml gives the recurrent product the
        # layer's ReuseFactor); layers without one stay Latency.
        from hls4ml.backends import get_backend

        backend = get_backend('Vitis')
        c = recurrent_sat()
        for layer in all_layers(model):
            gates = {'LSTM': 4, 'QLSTM': 4, 'GRU': 3, 'QGRU': 3}.get(layer.__class__.__name__)
            if gates is None or layer.name not in c['LayerName']:
                continue
            n_in, units = int(layer.input.shape[-1]), int(layer.units)
            valid = [set(backend.get_valid_reuse_factors(a, gates * units)) for a in (n_in, units)]
            common = sorted((valid[0] & valid[1]) - {1})
            if common:
                c['LayerName'][layer.name]['Strategy'] = 'Resource'
                c['LayerName'][layer.name]['ReuseFactor'] = common[0]
        return c

    makers = {'default': base, 'rnd_sat': rnd_sat}
    entries = base()['LayerName'].values()
    if any('Implementation' in e for e in entries):
        makers['softmax_stable'] = softmax('stable')
        makers['softmax_latency'] = softmax('latency')
    if any(layer.__class__.__name__ in MAC_CLASSES for layer in all_layers(model)):
        makers['resource_sat_accum'] = resource_sat_accum
    if any('table' in e.get('Precision', {}) and 'Implementation' not in e for e in entries):
        makers['fine_tables'] = fine_tables
    if any(layer.__class__.__name__ in RECURRENT_CLASSES for layer in all_layers(model)):
        makers['recurrent_sat'] = recurrent_sat
        makers['recurrent_resource'] = recurrent_resource
    return makers


def all_layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, 'layers'):
            yield from all_layers(layer)


def input_names(model):
    """The model's input layer names, in order."""
    return [t._keras_history[0].name for t in model.inputs]


def plain(value):
    """An attribute value as JSON: a type as {'type': text}, numbers and text as they are."""
    if hasattr(value, 'precision'):
        return {'type': str(value.precision)}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return None


def layer_dump(hls_model):
    """Every layer hls4ml kept, with its attributes, weight types and output type."""
    layers = []
    for layer in hls_model.get_layers():
        attributes = {}
        for attr, value in layer.attributes.items():
            v = plain(value)
            if v is not None:
                attributes[attr] = v
        layers.append({
            'name': layer.name,
            'class': layer.__class__.__name__,
            'inputs': list(layer.inputs),
            'outputs': list(layer.outputs),
            'result': str(layer.get_output_variable().type.precision),
            'shape': [int(d) for d in layer.get_output_variable().shape],
            'weights': {k: str(w.type.precision) for k, w in layer.weights.items()},
            'attributes': attributes,
        })
    return layers


def resolved_config(layers):
    """Every type and setting hls4ml used (from layer_dump), per layer, as explicit keys."""
    out = {}
    for layer in layers:
        entry = {'Precision': {'result': layer['result']}}
        for key, precision in layer['weights'].items():
            if key == 'bias' and precision.startswith('uint<1>'):
                continue  # the zero bias hls4ml adds to a Dense without one
            entry['Precision'][key] = precision
        attributes = layer['attributes']
        for attr, value in attributes.items():
            if not attr.endswith('_t') or not isinstance(value, dict) or 'type' not in value:
                continue
            key = attr[:-2]
            if key in ('result', 'weight', 'bias', 'index') or key in entry['Precision']:
                continue
            if key == 'accum':
                entry['Precision']['accum'] = value['type']
            else:
                entry[attr] = value['type']
        strategy = attributes.get('strategy')
        if strategy is not None:
            entry['Strategy'] = {'latency': 'Latency', 'resource': 'Resource'}.get(
                str(strategy).lower(), str(strategy))
        if attributes.get('reuse_factor') is not None:
            entry['ReuseFactor'] = int(attributes['reuse_factor'])
        for attr, key in (('recurrent_reuse_factor', 'RecurrentReuseFactor'),
                          ('forward_reuse_factor', 'ForwardReuseFactor'),
                          ('backward_reuse_factor', 'BackwardReuseFactor'),
                          ('forward_recurrent_reuse_factor', 'ForwardRecurrentReuseFactor'),
                          ('backward_recurrent_reuse_factor', 'BackwardRecurrentReuseFactor')):
            if attributes.get(attr) is not None:
                entry[key] = int(attributes[attr])
        if attributes.get('table_size') is not None:
            entry['TableSize'] = int(attributes['table_size'])
        if attributes.get('implementation') is not None and layer['class'].endswith('Softmax'):
            entry['Implementation'] = str(attributes['implementation'])
        out[layer['name']] = entry
    return {'Model': {'Precision': {'default': 'fixed<16,6>'}, 'ReuseFactor': 1, 'Strategy': 'Latency'},
            'LayerName': out}


# ----------------------------------------------------------------------------------------------
# One case


def macs_per_sample(hls_model):
    """Multiply-accumulates per sample: each weight entry once per output position."""
    total = 0
    for layer in hls_model.get_layers():
        shape = layer.get_output_variable().shape
        positions = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
        for key, weight in layer.weights.items():
            if key != 'bias' and getattr(weight, 'data', None) is not None:
                total += int(np.size(weight.data)) * positions
    return total


def random_inputs(rng, shape, samples, integer_range=None):
    """Normal values whose scale varies per sample (0.25 to 48), some beyond the input type,
    rounded to float32 (exact in float64, half the storage); or valid token ids."""
    if integer_range is not None:
        lo, hi = integer_range
        return rng.integers(lo, hi, size=(samples,) + tuple(shape)).astype(np.float64)
    scale = rng.choice([0.25, 1.0, 4.0, 16.0, 48.0], size=(samples,) + (1,) * len(shape))
    x = rng.normal(0.0, 1.0, size=(samples,) + tuple(shape)) * scale
    return x.astype(np.float32).astype(np.float64)


def compact(a):
    """float32 when that holds every value exactly."""
    a = np.asarray(a, dtype=np.float64)
    a32 = a.astype(np.float32)
    return a32 if np.array_equal(a32.astype(np.float64), a) else a


def one_line(text, limit=400):
    text = ' '.join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + '...'


def error_text(exc, captured):
    """hls4ml's error in one line: the exception, and the compiler's first error if any."""
    message = str(exc).strip()
    if message:
        line = f'{type(exc).__name__}: {message.splitlines()[0]}'
    else:  # a bare assert: where it is
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = frame.filename.split('site-packages' + os.sep)[-1]
        line = f'{type(exc).__name__} at {where}:{frame.lineno}: {frame.line}'
    errors = [l for l in captured.splitlines() if 'error:' in l]
    if errors:
        line += ' [' + errors[0].strip() + ']'
    return one_line(line)


def write_result(case_dir, files, result, result_name='result.json'):
    """Writes the case atomically: a temporary folder renamed into place."""
    tmp = f'{case_dir}.tmp{os.getpid()}'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for name, (kind, data) in files.items():
        path = os.path.join(tmp, name)
        if kind == 'npz':
            np.savez_compressed(path, **data)
        else:
            with open(path, 'w') as f:
                json.dump(data, f, indent=1, default=str)
    with open(os.path.join(tmp, result_name), 'w') as f:
        json.dump(result, f, indent=1)
    shutil.rmtree(case_dir, ignore_errors=True)
    os.replace(tmp, case_dir)


def project_dir_of(case):
    """hls4ml's project folder for the case (a fixed path, so that ccache finds its objects)."""
    return os.path.join(tempfile.gettempdir(), 'fixnn-interop-prj', os.path.basename(case['dir']))


def run_case(spec, model, make_config, case):
    import io
    from contextlib import redirect_stdout

    import hls4ml

    start = time.time()
    captured = io.StringIO()
    project_dir = project_dir_of(case)
    result = {'name': case['name'], 'status': 'failed'}
    files = {}
    try:
        with redirect_stdout(captured):
            config = make_config()
            for layer in config['LayerName'].values():
                layer['Trace'] = True
            shutil.rmtree(project_dir, ignore_errors=True)
            hls_model = hls4ml.converters.convert_from_keras_model(
                model, hls_config=config, output_dir=project_dir, backend='Vitis', io_type='io_parallel'
            )
            in_vars = hls_model.get_input_variables()
            out_names = list(hls_model.outputs)
            in_names = list(hls_model.inputs)
            per_sample_in = sum(int(np.prod(v.shape)) for v in in_vars)
            traced = [l for l in hls_model.get_layers()
                      if l.get_attr('function_cpp', None) and l.get_attr('trace', False)]
            per_sample_trace = sum(int(np.prod(l.get_output_variable().shape)) for l in traced)
            budget = MAX_MACS.get(case['config'], DEFAULT_MAX_MACS) // max(1, macs_per_sample(hls_model))
            samples = max(1, min(case['samples'], MAX_INPUT_VALUES // max(1, per_sample_in),
                                 max(MIN_SAMPLES.get(case['config'], DEFAULT_MIN_SAMPLES), budget)))
            n_trace = min(samples, max(MIN_TRACE_SAMPLES, MAX_TRACE_VALUES // max(1, per_sample_trace)))
            rng = np.random.default_rng([case['seed'], zlib.crc32(spec['name'].encode()),
                                         zlib.crc32(case['config'].encode())])
            keras_inputs = input_names(model)
            xs = []
            for name, var in zip(in_names, in_vars):
                index = keras_inputs.index(name) if name in keras_inputs else len(xs)
                xs.append(np.ascontiguousarray(random_inputs(
                    rng, var.shape, samples, spec['integer_inputs'].get(index))))
            head = [x[:n_trace] for x in xs]
            y, trace = hls_model.trace(head[0] if len(xs) == 1 else head)
            ys = [y] if len(out_names) == 1 else list(y)
            if n_trace < samples:
                tail = [x[n_trace:] for x in xs]
                y2 = hls_model.predict(tail[0] if len(xs) == 1 else tail)
                y2s = [y2] if len(out_names) == 1 else list(y2)
                ys = [np.concatenate([a.reshape(n_trace, -1), b.reshape(samples - n_trace, -1)])
                      for a, b in zip(ys, y2s)]
        files['inputs.npz'] = ('npz', {n: compact(x) for n, x in zip(in_names, xs)})
        files['outputs.npz'] = ('npz', {n: compact(np.asarray(v).reshape(samples, -1))
                                        for n, v in zip(out_names, ys)})
        files['trace.npz'] = ('npz', {n: compact(np.asarray(v).reshape(n_trace, -1)) for n, v in trace.items()})
        files['hls_layers.json'] = ('json', layer_dump(hls_model))
        files['hls4ml_input_config.json'] = ('json', config)
        result.update({
            'status': 'ok', 'samples': samples, 'traced_samples': n_trace, 'inputs': in_names,
            'outputs': out_names, 'layers': [[l.name, l.__class__.__name__] for l in hls_model.get_layers()],
        })
    except Exception as exc:  # hls4ml's failure is the case's result
        result['error'] = error_text(exc, captured.getvalue())
        result['traceback'] = traceback.format_exc()[-3000:]
    result['seconds'] = round(time.time() - start, 1)
    result['log_tail'] = captured.getvalue()[-3000:]
    write_result(case['dir'], files, result)
    shutil.rmtree(project_dir, ignore_errors=True)
    return result


def worker(job_path):
    """Runs one model's missing cases (and its configuration list when not cached)."""
    with open(job_path) as f:
        job = json.load(f)
    spec = job['model']
    spec['integer_inputs'] = {int(k): v for k, v in spec['integer_inputs'].items()}  # JSON keys
    try:
        model = load_model(spec)
        makers = config_makers(model, spec['integer_inputs'])
        info = {'configs': list(makers)}
    except Exception as exc:
        model, makers = None, {}
        info = {'configs': ['default'], 'error': error_text(exc, '')}
    if not os.path.exists(os.path.join(job['info_dir'], 'info.json')):
        write_result(job['info_dir'], {}, info, 'info.json')
    say(PROTOCOL + json.dumps({'info': info}))
    for case in job['cases']:
        if case['config'] not in info['configs']:
            continue
        if case['config'] not in makers:  # the model itself failed to load or configure
            write_result(case['dir'], {}, {'name': case['name'], 'status': 'failed', 'error': info['error']})
            say(PROTOCOL + json.dumps({'done': case['name'], 'status': 'failed'}))
            continue
        say(PROTOCOL + json.dumps({'start': case['name']}))
        r = run_case(spec, model, makers[case['config']], case)
        say(PROTOCOL + json.dumps({'done': case['name'], 'status': r['status'], 'seconds': r['seconds']}))
    return 0


# ----------------------------------------------------------------------------------------------
# Planning and running


def key_of(*parts):
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def model_configs(model, info):
    """The configurations run for the model: those that apply (info), or every one not known yet
    (None), less those a heavy model leaves out."""
    configs = info['configs'] if info else ALL_CONFIGS
    return [c for c in configs if not model.get('only') or c in model['only']]


def wanted(patterns, case_name, model_name):
    if not patterns:
        return True
    return any(fnmatch.fnmatchcase(case_name, p) or fnmatch.fnmatchcase(model_name, p) for p in patterns)


class Runner:
    def __init__(self, args, env_versions):
        self.args = args
        self.versions = env_versions
        self.lock = threading.Lock()
        self.done = 0
        self.total_started = 0
        self.start = time.time()

    def case_dir(self, model, config):
        parts = [CACHE_VERSION, model['digest'], config, self.args.samples, self.args.seed, self.versions]
        if config in CONFIG_VERSIONS:
            parts.append(CONFIG_VERSIONS[config])
        key = key_of(*parts)
        return os.path.join(self.args.cache, f'{model["name"]}__{config}-{key}')

    def info_dir(self, model):
        key = key_of(CACHE_VERSION, model['digest'], 'info', self.versions)
        return os.path.join(self.args.cache, f'{model["name"]}-{key}')

    def log(self, message):
        with self.lock:
            say(f'[{time.time() - self.start:7.1f}s] {message}')

    def run_model(self, model, patterns):
        """Runs the worker until every wanted case of the model is cached."""
        attempts = 0
        while True:
            info = read_json(os.path.join(self.info_dir(model), 'info.json'))
            cases = []
            for config in model_configs(model, info) if info else []:
                name = f'{model["name"]}__{config}'
                d = self.case_dir(model, config)
                if wanted(patterns, name, model['name']) and read_json(os.path.join(d, 'result.json')) is None:
                    cases.append({'name': name, 'config': config, 'dir': d, 'samples': self.args.samples,
                                  'seed': self.args.seed})
            if info is not None and not cases:
                return
            if info is None:  # not known yet: the worker lists them and runs the wanted ones
                cases = [{'name': f'{model["name"]}__{c}', 'config': c, 'dir': self.case_dir(model, c),
                          'samples': self.args.samples, 'seed': self.args.seed}
                         for c in model_configs(model, None)
                         if wanted(patterns, f'{model["name"]}__{c}', model['name'])]
            attempts += 1
            if attempts > 20:
                self.log(f'{model["name"]}: giving up after {attempts - 1} worker runs')
                return
            self.run_worker(model, cases)

    def run_worker(self, model, cases):
        os.makedirs(self.args.cache, exist_ok=True)
        job = {'model': model, 'info_dir': self.info_dir(model), 'cases': cases}
        fd, job_path = tempfile.mkstemp(prefix='fixnn-interop-job-', suffix='.json')
        with os.fdopen(fd, 'w') as f:
            json.dump(job, f)
        log_path = os.path.join(self.args.cache, 'logs', f'{model["name"]}.log')
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        env = dict(os.environ)
        ccache_bin = os.path.join(self.args.cache, 'ccache-bin')
        if shutil.which('ccache') and not os.path.exists(os.path.join(ccache_bin, 'g++')):
            os.makedirs(ccache_bin, exist_ok=True)
            try:
                os.symlink(shutil.which('ccache'), os.path.join(ccache_bin, 'g++'))
            except FileExistsError:
                pass
        if os.path.exists(os.path.join(ccache_bin, 'g++')):
            env['PATH'] = ccache_bin + os.pathsep + env.get('PATH', '')
        current = None
        lines = queue.Queue()
        with open(log_path, 'a') as log:
            proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), '--worker', job_path],
                                    stdout=subprocess.PIPE, stderr=log, text=True, env=env,
                                    start_new_session=True)

            def pump():
                for line in proc.stdout:
                    lines.put(line)
                lines.put(None)

            threading.Thread(target=pump, daemon=True).start()
            deadline = time.time() + CASE_TIMEOUT
            timed_out = False
            while True:
                try:
                    line = lines.get(timeout=max(1.0, deadline - time.time()))
                except queue.Empty:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)
                    break
                if line is None:
                    break
                if not line.startswith(PROTOCOL):
                    log.write(line)
                    continue
                msg = json.loads(line[len(PROTOCOL):])
                if 'start' in msg:
                    current = msg['start']
                    deadline = time.time() + CASE_TIMEOUT
                elif 'done' in msg:
                    with self.lock:
                        self.done += 1
                    extra = f' ({msg["seconds"]} s)' if 'seconds' in msg else ''
                    self.log(f'{msg["done"]}: {msg["status"]}{extra} [{self.done} generated]')
                    current = None
                    deadline = time.time() + CASE_TIMEOUT
                elif 'info' in msg and 'error' in msg['info']:
                    self.log(f'{model["name"]}: hls4ml failed: {msg["info"]["error"]}')
            rc = proc.wait()
        os.unlink(job_path)
        if current is not None:  # the worker died or hung inside this case
            case = next(c for c in cases if c['name'] == current)
            why = f'timed out after {CASE_TIMEOUT} s' if timed_out else f'the process ended ({describe_rc(rc)})'
            write_result(case['dir'], {}, {'name': current, 'status': 'failed',
                                            'error': f'hls4ml predict {why}'})
            shutil.rmtree(project_dir_of(case), ignore_errors=True)
            self.log(f'{current}: failed: {why}')
        elif rc != 0:
            self.log(f'{model["name"]}: worker failed ({describe_rc(rc)}); see {log_path}')
            info_dir = self.info_dir(model)
            if read_json(os.path.join(info_dir, 'info.json')) is None:
                write_result(info_dir, {}, {'configs': ['default'],
                                            'error': f'loading the model ended the process ({describe_rc(rc)})'},
                             'info.json')


def describe_rc(rc):
    if rc < 0:
        try:
            return f'signal {signal.Signals(-rc).name}'
        except ValueError:
            return f'signal {-rc}'
    return f'exit status {rc}'


ALL_CONFIGS = ['default', 'rnd_sat', 'softmax_stable', 'softmax_latency', 'resource_sat_accum', 'fine_tables',
               'recurrent_sat', 'recurrent_resource']


def yaml_dump(data):
    import yaml

    return yaml.safe_dump(data, sort_keys=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', help='folder for manifest.json and the cases\' config.yml')
    parser.add_argument('--cache', default=os.environ.get(
        'FIXNN_INTEROP_CACHE', os.path.join(os.path.expanduser('~'), '.cache', 'fixnn', 'interop')))
    parser.add_argument('--shared-models', default=DEFAULT_SHARED)
    parser.add_argument('--samples', type=int, default=10000)
    parser.add_argument('--seed', type=int, default=20260)
    parser.add_argument('--cases', default='', help='comma-separated patterns: <model>__<config> or <model>')
    parser.add_argument('--jobs', type=int, default=int(os.environ.get('FIXNN_INTEROP_JOBS', '0')) or
                        min(2, os.cpu_count() or 1))
    parser.add_argument('--prune', action='store_true',
                        help="remove this environment's cached cases that no longer match (old keys)")
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    if not args.out:
        parser.error('--out is required')
    args.cache = os.path.abspath(args.cache)

    env = keras_env()
    env_versions = versions()
    patterns = [p for p in args.cases.split(',') if p]
    models, skipped = discover_models(env, args.shared_models, args.cache)
    models = [m for m in models if not patterns or any(
        fnmatch.fnmatchcase(m['name'], p.split('__')[0]) for p in patterns)]
    runner = Runner(args, env_versions)
    if args.prune:
        prune(runner, models)
    say(f'{env}: {len(models)} models, cache {args.cache}, {args.jobs} job(s)')

    pending = [m for m in models if runner_needs(runner, m, patterns)]
    if pending:
        say(f'{env}: {len(pending)} models have cases to generate (hls4ml compiles each case: '
            'minutes per model)')
    threads = []
    work = queue.Queue()
    for m in pending:
        work.put(m)

    def serve():
        while True:
            try:
                m = work.get_nowait()
            except queue.Empty:
                return
            runner.run_model(m, patterns)

    for _ in range(max(1, args.jobs)):
        t = threading.Thread(target=serve)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()

    manifest = {'environment': env, 'versions': env_versions, 'cache': args.cache,
                'skipped': [{'model': n, 'reason': r} for n, r in skipped], 'cases': []}
    os.makedirs(args.out, exist_ok=True)
    for m in models:
        info = read_json(os.path.join(runner.info_dir(m), 'info.json'))
        if info is None:
            manifest['skipped'].append({'model': m['name'], 'reason': 'not generated'})
            continue
        for config in model_configs(m, info):
            name = f'{m["name"]}__{config}'
            if not wanted(patterns, name, m['name']):
                continue
            d = runner.case_dir(m, config)
            r = read_json(os.path.join(d, 'result.json'))
            case = {'name': name, 'model': m['name'], 'config': config}
            if r is None:
                case.update({'status': 'failed', 'error': 'not generated'})
            elif r['status'] != 'ok':
                case.update({'status': 'failed', 'error': r.get('error', '?')})
            else:
                out_dir = os.path.join(args.out, name)
                os.makedirs(out_dir, exist_ok=True)
                project = {'OutputDir': os.path.join(out_dir, 'hls4ml_prj'), 'ProjectName': 'myproject',
                           'Backend': 'Vitis', 'IOType': 'io_parallel'}
                if 'weights' in m['files']:
                    project['KerasJson'] = m['files']['model']
                    project['KerasH5'] = m['files']['weights']
                else:
                    project['KerasModel'] = m['files']['model']
                if os.environ.get('FIXNN_INTEROP_CONFIG', 'given') == 'resolved':
                    project['HLSConfig'] = resolved_config(read_json(os.path.join(d, 'hls_layers.json')))
                else:
                    project['HLSConfig'] = read_json(os.path.join(d, 'hls4ml_input_config.json'))
                config_path = os.path.join(out_dir, 'config.yml')
                with open(config_path, 'w') as f:
                    f.write(yaml_dump(project))
                case.update({
                    'status': 'ok', 'config_path': config_path, 'model_files': m['files'],
                    'inputs_npz': os.path.join(d, 'inputs.npz'), 'outputs_npz': os.path.join(d, 'outputs.npz'),
                    'trace_npz': os.path.join(d, 'trace.npz'), 'inputs': r['inputs'], 'outputs': r['outputs'],
                    'samples': r['samples'], 'traced_samples': r['traced_samples'],
                })
            manifest['cases'].append(case)
    with open(os.path.join(args.out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    ok = sum(c['status'] == 'ok' for c in manifest['cases'])
    say(f'{env}: {len(manifest["cases"])} cases ({ok} predicted by hls4ml, '
        f'{len(manifest["cases"]) - ok} failed in hls4ml), {len(manifest["skipped"])} models skipped; '
        f'{runner.done} generated now, {time.time() - runner.start:.1f} s')
    return 0


def prune(runner, models):
    """Removes the cached cases and configuration lists of these models whose key is not the
    current one (left by an earlier CACHE_VERSION, hls4ml version or model file)."""
    current = {}
    for m in models:
        current[m['name']] = {os.path.basename(runner.info_dir(m))} | {
            os.path.basename(runner.case_dir(m, c)) for c in ALL_CONFIGS}
    removed = 0
    for entry in sorted(os.listdir(runner.args.cache)):
        name, _, key = entry.rpartition('-')
        model = name.split('__', 1)[0]
        if model in current and entry not in current[model] and all(ch in '0123456789abcdef' for ch in key):
            shutil.rmtree(os.path.join(runner.args.cache, entry), ignore_errors=True)
            removed += 1
    say(f'pruned {removed} stale cache entries')


def runner_needs(runner, model, patterns):
    info = read_json(os.path.join(runner.info_dir(model), 'info.json'))
    if info is None:
        return True
    for config in model_configs(model, info):
        name = f'{model["name"]}__{config}'
        if wanted(patterns, name, model['name']) and \
                read_json(os.path.join(runner.case_dir(model, config), 'result.json')) is None:
            return True
    return False


if __name__ == '__main__':
    sys.exit(main())
