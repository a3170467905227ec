"""Where hls4ml 1.3.0 computes something other than the model, shown on hls4ml itself, and what
fixnn does instead (docs/differences.md has one section per case, with the same name).

Each case builds a small Keras 3 model, converts it with hls4ml (Vitis, io_parallel), runs its
predict, and checks the claim about hls4ml's output; then runs `fixnn predict` on the same
model and configuration and checks fixnn's behaviour (a refusal naming the layer, or the same
bits with the overflow counted). hls4ml's outputs are cached under
~/.cache/fixnn/differences/<case>-<CASE_VERSION>/ (compiling is the slow part).

    python hls4ml_differences.py --fixnn build/release/tools/fixnn/fixnn [--cases a,b]
Exit status 0 when every claim holds.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import traceback

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')

import numpy as np  # noqa: E402
import yaml  # noqa: E402

CASE_VERSION = 2
CACHE = os.path.join(os.environ.get('FIXNN_CACHE', os.path.expanduser('~/.cache/fixnn')),
                     'differences')
SAMPLES = 500


def keras():
    import keras as k

    return k


def name_config(model):
    import hls4ml

    return hls4ml.utils.config_from_keras_model(model, granularity='name', backend='Vitis')


def hls4ml_predict(case, model, config, x):
    """hls4ml's predict of x (float64), from the cache when present."""
    digest = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()
                            + x.tobytes()).hexdigest()[:16]
    cache_dir = os.path.join(CACHE, f'{case}-{CASE_VERSION}-{digest}')
    cached = os.path.join(cache_dir, 'y.npz')
    if os.path.exists(cached):
        ys = np.load(cached)
        return [ys[k] for k in sorted(ys.files)] if len(ys.files) > 1 else ys['y0']
    import hls4ml

    with tempfile.TemporaryDirectory() as tmp:
        hls_model = hls4ml.converters.convert_from_keras_model(
            model, hls_config=config, output_dir=os.path.join(tmp, 'prj'), backend='Vitis',
            io_type='io_parallel')
        hls_model.compile()
        y = hls_model.predict(np.ascontiguousarray(x, dtype=np.float64))
    ys = [np.asarray(v, np.float64) for v in y] if isinstance(y, list) else [np.asarray(y, np.float64)]
    os.makedirs(cache_dir, exist_ok=True)
    np.savez(cached, **{f'y{i}': v for i, v in enumerate(ys)})
    return ys if len(ys) > 1 else ys[0]


def hls4ml_crashes(case, model_path, config):
    """Whether hls4ml's predict kills the Python process (it is run in a child process)."""
    code = f'''
import os, sys, numpy as np, keras, hls4ml, yaml
os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'
model = keras.models.load_model({model_path!r})
config = yaml.safe_load({yaml.safe_dump(config)!r})
m = hls4ml.converters.convert_from_keras_model(model, hls_config=config,
    output_dir={os.path.dirname(model_path) + '/prj'!r}, backend='Vitis', io_type='io_parallel')
m.compile()
m.predict(np.zeros((1,) + model.input_shape[1:]))
print('predict returned')
'''
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    return r.returncode, (r.stdout + r.stderr)[-2000:]


class Fixnn:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work

    def predict(self, model_path, config, x, extra=(), outputs=1):
        """(exit status, stderr, outputs or None, stdout); a list when outputs > 1."""
        cfg = os.path.join(self.work, 'config.yml')
        with open(cfg, 'w') as f:
            yaml.safe_dump({'KerasModel': model_path, 'HLSConfig': config}, f)
        xin = os.path.join(self.work, 'x.npy')
        outs = [os.path.join(self.work, 'y.npy' if i == 0 else f'y{i}.npy') for i in range(outputs)]
        np.save(xin, x)
        for out in outs:
            if os.path.exists(out):
                os.remove(out)
        args = [a for out in outs for a in ('-o', out)]
        r = subprocess.run([self.binary, 'predict', cfg, '-i', xin, *args, *extra],
                           capture_output=True, text=True)
        y = None
        if r.returncode == 0:
            y = [np.load(out) for out in outs] if outputs > 1 else np.load(outs[0])
        return r.returncode, r.stderr, y, r.stdout


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def expect_refusal(fixnn, model_path, config, x, layer, reason, extra=()):
    rc, err, y, _ = fixnn.predict(model_path, config, x, extra)
    expect(rc == 1, f'fixnn predict should refuse (exit 1), got {rc}: {err}')
    expect(f"'{layer}'" in err and reason in err,
           f"fixnn's message should name layer '{layer}' and say '{reason}': {err.strip()}")
    expect(not os.path.exists(os.path.join(fixnn.work, 'y.npy')), 'an output file was written')
    return err.strip()


# ---- the cases ---------------------------------------------------------------------------


def case_upsampling_bilinear(fixnn, work):
    """UpSampling2D(interpolation='bilinear') is computed as nearest-neighbour."""
    k = keras()
    k.utils.set_random_seed(1)
    inp = k.Input((4, 4, 2), name='x')
    out = k.layers.UpSampling2D(2, interpolation='bilinear', name='up')(inp)
    model = k.Model(inp, out)
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = np.random.default_rng(1).uniform(-4, 4, (SAMPLES, 4, 4, 2))
    config = name_config(model)
    y = hls4ml_predict('upsampling_bilinear', model, config, x).reshape(SAMPLES, 8, 8, 2)
    xq = np.floor(x * 1024) / 1024  # the input in fixed<16,6> (TRN)
    nearest = xq.repeat(2, axis=1).repeat(2, axis=2)
    expect(np.array_equal(y, nearest), 'hls4ml output is the nearest-neighbour upsampling')
    keras_y = np.asarray(model.predict(x, verbose=0), np.float64)
    gap = np.abs(y - keras_y).max()
    expect(gap > 0.5, f'hls4ml differs from Keras by {gap}')
    msg = expect_refusal(fixnn, path, config, x, 'up', 'bilinear')
    return f'hls4ml = nearest-neighbour on {y.size} values, max |hls4ml - Keras| = {gap:.3f}; fixnn: {msg}'


def case_prelu_shared_axes(fixnn, work):
    """PReLU(shared_axes) indexes the un-broadcast alpha array per element (past its end)."""
    k = keras()
    inp = k.Input((4, 4, 3), name='x')
    out = k.layers.PReLU(shared_axes=[1, 2], name='prelu')(inp)
    model = k.Model(inp, out)
    model.get_layer('prelu').set_weights([np.array([[[0.125, 0.25, 0.5]]], np.float32)])
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = -np.abs(np.random.default_rng(2).uniform(0.5, 4, (SAMPLES, 4, 4, 3)))
    config = name_config(model)
    y = hls4ml_predict('prelu_shared_axes', model, config, x)
    keras_y = np.asarray(model.predict(x, verbose=0), np.float64).reshape(SAMPLES, -1)
    y = y.reshape(SAMPLES, -1)
    head = np.abs(y[:, :3] - keras_y[:, :3]).max()
    tail = np.abs(y[:, 3:] - keras_y[:, 3:]).max()
    expect(head < 0.01, f'the first 3 elements (alpha in bounds) agree with Keras: {head}')
    expect(tail > 0.1, f'elements past the alpha array differ from Keras: {tail}')
    msg = expect_refusal(fixnn, path, config, x, 'prelu', 'shared')
    return f'first 3 elements agree (max |d| {head:.4f}), the other 45 differ up to {tail:.3f}; fixnn: {msg}'


def case_batchnorm_axis(fixnn, work):
    """BatchNormalization(axis=1) on a 2-D sample is applied along the last axis."""
    k = keras()
    inp = k.Input((4, 5), name='x')
    out = k.layers.BatchNormalization(axis=1, name='bn')(inp)
    model = k.Model(inp, out)
    model.get_layer('bn').set_weights([
        np.array([0.5, 1.0, 2.0, 4.0], np.float32), np.array([1.0, -1.0, 0.5, 0.0], np.float32),
        np.array([0.0, 0.5, -0.5, 1.0], np.float32), np.array([1.0, 4.0, 0.25, 1.0], np.float32)])
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = np.random.default_rng(3).uniform(-2, 2, (SAMPLES, 4, 5))
    config = name_config(model)
    y = hls4ml_predict('batchnorm_axis', model, config, x).reshape(SAMPLES, -1)
    keras_y = np.asarray(model.predict(x, verbose=0), np.float64).reshape(SAMPLES, -1)
    gap = np.abs(y - keras_y).max()
    expect(gap > 1.0, f'hls4ml differs from Keras by {gap}')
    msg = expect_refusal(fixnn, path, config, x, 'bn', 'axis')
    return f'max |hls4ml - Keras| = {gap:.3f}; fixnn: {msg}'


def case_conv2d_resource_large_rf(fixnn, work):
    """Conv2D with Resource strategy and RF > kh*kw*C: filters >= 1 output only their bias."""
    k = keras()
    k.utils.set_random_seed(4)
    inp = k.Input((5, 5, 2), name='x')
    out = k.layers.Conv2D(3, (2, 2), name='conv')(inp)
    model = k.Model(inp, out)
    kernel, _ = model.get_layer('conv').get_weights()
    model.get_layer('conv').set_weights([kernel, np.array([0.5, -0.25, 0.75], np.float32)])
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = np.random.default_rng(4).uniform(-2, 2, (SAMPLES, 5, 5, 2))
    config = name_config(model)
    config['LayerName']['conv']['Strategy'] = 'Resource'
    config['LayerName']['conv']['ReuseFactor'] = 24  # accepted by hls4ml's RF check (8 * 3)
    y = hls4ml_predict('conv2d_resource_large_rf', model, config, x).reshape(SAMPLES, 4, 4, 3)
    expect(np.all(y[..., 1] == -0.25) and np.all(y[..., 2] == 0.75),
           'filters 1 and 2 are their bias everywhere')
    msg = expect_refusal(fixnn, path, config, x, 'conv', 'reuse factor')
    return f'filters 1 and 2 equal their bias on all {SAMPLES * 16} pixels; fixnn: {msg}'


def case_depthwise_multiplier(fixnn, work):
    """DepthwiseConv2D(depth_multiplier=2) aborts hls4ml's predict (and the Python process)."""
    k = keras()
    k.utils.set_random_seed(5)
    inp = k.Input((5, 5, 2), name='x')
    out = k.layers.DepthwiseConv2D((3, 3), depth_multiplier=2, name='dw')(inp)
    model = k.Model(inp, out)
    path = os.path.join(work, 'model.keras')
    model.save(path)
    config = name_config(model)
    cached = os.path.join(CACHE, f'depthwise_multiplier-{CASE_VERSION}', 'rc.json')
    if os.path.exists(cached):
        with open(cached) as f:
            rc, tail = json.load(f)
    else:
        rc, tail = hls4ml_crashes('depthwise_multiplier', path, config)
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        with open(cached, 'w') as f:
            json.dump([rc, tail], f)
    expect(rc < 0 or 'predict returned' not in tail, f'hls4ml predict should abort: rc {rc}: {tail}')
    x = np.random.default_rng(5).uniform(-2, 2, (SAMPLES, 5, 5, 2))
    msg = expect_refusal(fixnn, path, config, x, 'dw', 'depth_multiplier')
    return f'hls4ml predict killed the process (status {rc}); fixnn: {msg}'


def case_conv1d_dilation(fixnn, work):
    """Dilated causal Conv1D: io_parallel ignores the dilation."""
    k = keras()
    k.utils.set_random_seed(6)
    inp = k.Input((12, 2), name='x')
    out = k.layers.Conv1D(2, 2, dilation_rate=2, padding='causal', name='conv')(inp)
    model = k.Model(inp, out)
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = np.random.default_rng(6).uniform(-2, 2, (SAMPLES, 12, 2))
    config = name_config(model)
    y = hls4ml_predict('conv1d_dilation', model, config, x).reshape(SAMPLES, -1)
    keras_y = np.asarray(model.predict(x, verbose=0), np.float64).reshape(SAMPLES, -1)
    gap = np.abs(y - keras_y).max()
    expect(gap > 0.5, f'hls4ml differs from Keras by {gap}')
    msg = expect_refusal(fixnn, path, config, x, 'conv', 'dilation')
    return f'max |hls4ml - Keras| = {gap:.3f}; fixnn: {msg}'


def case_global_pooling_wraps(fixnn, work):
    """GlobalAveragePooling sums in the model default type (fixed<16,6>, WRAP): sums wrap."""
    k = keras()
    inp = k.Input((5, 5, 2), name='x')
    out = k.layers.GlobalAveragePooling2D(name='gap')(inp)
    model = k.Model(inp, out)
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = np.random.default_rng(7).uniform(0.5, 3, (SAMPLES, 5, 5, 2))
    config = name_config(model)
    y = hls4ml_predict('global_pooling_wraps', model, config, x).reshape(SAMPLES, -1)
    keras_y = np.asarray(model.predict(x, verbose=0), np.float64).reshape(SAMPLES, -1)
    wrong = int((np.abs(y - keras_y) > 0.01).sum())
    expect(wrong > 0, 'some hls4ml means wrapped')
    rc, err, fy, report = fixnn.predict(path, config, x, extra=('--overflow',))
    expect(rc == 0, f'fixnn predict failed: {err}')
    expect(np.array_equal(fy.reshape(SAMPLES, -1), y), 'fixnn computes the same bits as hls4ml')
    expect("gap accum" in report and 'above' in report,
           f"fixnn's overflow report names the wrapping sums: {report}")
    line = next(l for l in report.splitlines() if l.startswith('gap accum'))
    return (f'{wrong} of {y.size} hls4ml means are wrong (wrapped sums); fixnn: same bits, '
            f'and its report says "{line.strip()}"')


def case_hard_sigmoid_keras3(fixnn, work):
    """Keras 3's hard_sigmoid (relu6(x + 3) / 6) is computed with Keras 2's slope 0.2."""
    k = keras()
    inp = k.Input((8,), name='x')
    out = k.layers.Activation('hard_sigmoid', name='hs')(inp)
    model = k.Model(inp, out)
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = np.random.default_rng(8).uniform(-4, 4, (SAMPLES, 8))
    config = name_config(model)
    y = hls4ml_predict('hard_sigmoid_keras3', model, config, x)
    keras_y = np.asarray(model.predict(x, verbose=0), np.float64)
    xq = np.floor(x * 1024) / 1024
    slope02 = np.clip(xq * 13107 / 65536 + 0.5, 0, 1)
    expect(np.abs(y - slope02).max() < 2.0**-10 + 1e-12, 'hls4ml computes slope 0.2')
    gap = np.abs(y - keras_y).max()
    expect(gap > 0.05, f'hls4ml differs from Keras 3 by {gap}')
    rc, err, fy, _ = fixnn.predict(path, config, x)
    expect(rc == 0 and np.array_equal(fy, y), f'fixnn computes the same bits as hls4ml: {err}')
    return f'hls4ml = clip(0.2x + 0.5), max |hls4ml - Keras 3| = {gap:.3f}; fixnn: the same bits'


def case_transpose_before_flatten(fixnn, work):
    """A Permute before a Flatten feeding a Dense is removed (RemoveTransposeBeforeFlatten): the
    Dense's kernel is permuted instead, and the Permute's other readers lose it."""
    k = keras()
    k.utils.set_random_seed(3)
    inp = k.Input((2, 3, 4), name='x')
    # (hls4ml cannot compile a model whose output would become its input array itself.)
    act = k.layers.Activation('relu', name='act')(inp)
    perm = k.layers.Permute((3, 1, 2), name='perm')(act)
    head = k.layers.Dense(5, name='head')(k.layers.Flatten(name='flatten')(perm))
    side = k.layers.Reshape((24,), name='side')(perm)
    model = k.Model(inp, [head, side])
    path = os.path.join(work, 'model.keras')
    model.save(path)
    x = np.random.default_rng(3).uniform(-4, 4, (SAMPLES, 2, 3, 4))
    config = name_config(model)
    y_head, y_side = hls4ml_predict('transpose_before_flatten', model, config, x)
    xq = np.maximum(np.floor(x * 1024) / 1024, 0)  # relu of the input in fixed<16,6> (TRN)
    permuted = xq.transpose(0, 3, 1, 2).reshape(SAMPLES, 24)
    expect(np.array_equal(y_side.reshape(SAMPLES, 24), xq.reshape(SAMPLES, 24)),
           "hls4ml's second output is relu(x) without the Permute")
    expect(not np.array_equal(y_side.reshape(SAMPLES, 24), permuted), 'the model permutes it')
    msg = expect_refusal(fixnn, path, config, x, 'perm', 'hls4ml removes a Permute',
                         extra=('--hls4ml-compatible', '-o', os.path.join(work, 'y1.npy')))
    rc, err, ys, _ = fixnn.predict(path, config, x, outputs=2)
    expect(rc == 0, f'fixnn computes the model without --hls4ml-compatible: {err}')
    expect(np.array_equal(ys[1].reshape(SAMPLES, 24), permuted), "fixnn's second output is permuted")
    moved = int(np.sum(y_side.reshape(SAMPLES, 24) != permuted))
    return (f'hls4ml: {moved} of {permuted.size} values of the second output are not where the '
            f'Permute puts them (it is relu(x) unpermuted); fixnn --hls4ml-compatible: {msg}; '
            f'fixnn: the permuted input, exactly')


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith('case_')}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--fixnn', required=True)
    parser.add_argument('--cases', default='')
    args = parser.parse_args()
    wanted = set(filter(None, args.cases.split(',')))
    failed = 0
    for name, fn in CASES.items():
        if wanted and name not in wanted:
            continue
        with tempfile.TemporaryDirectory() as work:
            try:
                print(f'{name}: {fn(Fixnn(args.fixnn, work), work)}', flush=True)
            except Exception:  # noqa: BLE001 - every case reports, then the status says
                failed += 1
                print(f'{name}: FAILED\n{traceback.format_exc()}', flush=True)
    print(f'{len(wanted or CASES) - failed} of {len(wanted or CASES)} differences shown')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
