#!/usr/bin/python3
"""Make ONNX test models for the converter with Debian's PyTorch (random weights).

usage: /usr/bin/python3 make_models.py OUTDIR [--models a,b] [--size 64] [--seed 1]

For each model M: OUTDIR/M.onnx, OUTDIR/M.input_0.bin (float32, the model's
layout), OUTDIR/M.torch_out_0.bin (PyTorch's float32 output on that input),
and OUTDIR/manifest.json. Nothing is downloaded (weights=None).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

try:  # python3-torchvision: only the torchvision families need it
    import torchvision
except ImportError:
    torchvision = None


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.Tanh(),
                                 nn.Linear(64, 10))

    def forward(self, x):
        return torch.softmax(self.net(x), dim=1)


class SmallCNN(nn.Module):
    """Conv/BN/ReLU6, depthwise, residual, max+avg pool, flatten of [N,C,H,W], linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU6())
        self.dw = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.pw = nn.Sequential(nn.Conv2d(16, 32, 1), nn.LeakyReLU(0.1))
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.grouped = nn.Conv2d(32, 32, 3, padding=2, dilation=2, groups=4)
        self.bn = nn.BatchNorm2d(32)
        self.avg = nn.AvgPool2d(2)
        self.head = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = self.stem(x)
        x = x + self.dw(x)
        x = self.pool(self.pw(x))
        x = torch.sigmoid(self.bn(self.grouped(x))) * x
        x = self.avg(x)
        x = torch.cat([x[:, :16], x[:, 16:] * 0.5], dim=1)
        return self.head(torch.flatten(x, 1))


class LSTMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(16, 32)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.fc(y)


class LSTM2Net(nn.Module):
    """Two stacked batch-first LSTM layers, the last step's features into a linear head."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(16, 24, num_layers=2, batch_first=True)
        self.fc = nn.Linear(24, 3)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.fc(y[:, -1])


class BiLSTMNet(nn.Module):
    """Bidirectional LSTM; the output uses both Y and the final states Y_h."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(16, 20, bidirectional=True)

    def forward(self, x):
        y, (h, _) = self.lstm(x)
        return torch.cat([y[-1], h[0], h[1]], dim=1)


class GRUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(16, 32)

    def forward(self, x):
        y, _ = self.gru(x)
        return y


class RNNNet(nn.Module):
    """Plain tanh RNN: no TFLite mapping yet, the converter must reject it by name."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(16, 32)

    def forward(self, x):
        y, _ = self.rnn(x)
        return y


TV = {
    'mobilenet_v2': lambda: torchvision.models.mobilenet_v2(weights=None),
    'mobilenet_v3_small': lambda: torchvision.models.mobilenet_v3_small(weights=None),
    'mobilenet_v3_large': lambda: torchvision.models.mobilenet_v3_large(weights=None),
    'resnet18': lambda: torchvision.models.resnet18(weights=None),
    'resnet50': lambda: torchvision.models.resnet50(weights=None),
    'squeezenet1_1': lambda: torchvision.models.squeezenet1_1(weights=None),
    'shufflenet_v2_x0_5': lambda: torchvision.models.shufflenet_v2_x0_5(weights=None),
    'mnasnet0_5': lambda: torchvision.models.mnasnet0_5(weights=None),
    'efficientnet_b0': lambda: torchvision.models.efficientnet_b0(weights=None),
}


def build(name, size):
    """(model, input shape, opset) for `name`; `name@17` picks the opset."""
    base, _, op = name.partition('@')
    opset = int(op) if op else 13
    if base == 'mlp':
        return MLP(), (1, 64), opset
    if base == 'small_cnn':
        return SmallCNN(), (1, 3, 32, 32), opset
    if base == 'lstm':
        return LSTMNet(), (5, 1, 16), opset
    if base == 'lstm2':
        return LSTM2Net(), (2, 7, 16), opset
    if base == 'bilstm':
        return BiLSTMNet(), (6, 2, 16), opset
    if base == 'gru':
        return GRUNet(), (5, 1, 16), opset
    if base == 'rnn':
        return RNNNet(), (5, 1, 16), opset
    if base in TV:
        if torchvision is None:
            raise SystemExit('torchvision is missing (apt install python3-torchvision) for ' + name)
        return TV[base](), (1, 3, size, size), opset
    raise ValueError('unknown model ' + name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('outdir')
    ap.add_argument('--models', default='mlp,small_cnn,small_cnn@11,small_cnn@17,lstm,lstm2,bilstm,gru,rnn')
    ap.add_argument('--size', type=int, default=64, help='image size of the torchvision models')
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    manifest = {'torch': torch.__version__, 'torchvision': torchvision.__version__ if torchvision else None, 'models': []}
    for name in a.models.split(','):
        torch.manual_seed(a.seed)
        model, shape, opset = build(name, a.size)
        model.eval()
        with torch.no_grad():  # non-trivial BatchNorm statistics
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.1, 0.1)
                    m.running_var.uniform_(0.5, 1.5)
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.1, 0.1)
        rng = np.random.default_rng(a.seed)
        x = torch.from_numpy(rng.uniform(-1, 1, size=shape).astype(np.float32))
        with torch.no_grad():
            y = model(x)
        fname = name.replace('@', '_op')
        path = os.path.join(a.outdir, fname + '.onnx')
        t0 = time.perf_counter()
        torch.onnx.export(model, x, path, opset_version=opset, input_names=['input'], output_names=['output'],
                          do_constant_folding=True)
        x.numpy().astype('<f4').tofile(os.path.join(a.outdir, fname + '.input_0.bin'))
        y.numpy().astype('<f4').tofile(os.path.join(a.outdir, fname + '.torch_out_0.bin'))
        manifest['models'].append({'name': fname, 'onnx': fname + '.onnx', 'opset': opset, 'input_shape': list(shape),
                                   'output_shape': list(y.shape),
                                   'export_ms': round((time.perf_counter() - t0) * 1e3, 1)})
        print(f'{fname}: in {list(shape)} out {list(y.shape)} opset {opset}', flush=True)
    with open(os.path.join(a.outdir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)


if __name__ == '__main__':
    sys.exit(main())
