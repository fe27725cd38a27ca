#!/bin/bash
# ctest converter_models: make small models with Debian's PyTorch into OUTDIR
# (never committed), convert them with `edgelite convert` and compare edgelite,
# ONNX Runtime, TFLite (WebAssembly) and PyTorch (tests/converter/check_models.py).
# Models: an MLP, a small CNN at opsets 11/13/17, an LSTM, a 2-layer batch-first LSTM, a
# bidirectional LSTM (Y and Y_h), a GRU, an RNN
# (must be rejected naming the op), and - when python3-torchvision is installed - the
# torchvision families at 64x64 (MobileNet v2/v3, ResNet18, SqueezeNet,
# ShuffleNet v2, MNASNet, EfficientNet-B0). Exit 77 (skip) without torch.
set -euo pipefail
cli=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if ! $py -c 'import torch, onnx, numpy' 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 lacks torch/onnx/numpy (python3-torch, python3-onnx)"
  exit 77
fi
models=mlp,small_cnn,small_cnn@11,small_cnn@17,lstm,lstm2,bilstm,gru,rnn
if $py -c 'import torchvision' 2>/dev/null; then
  models=$models,mobilenet_v2,mobilenet_v3_small,mobilenet_v3_small@17,resnet18,squeezenet1_1,shufflenet_v2_x0_5,mnasnet0_5,efficientnet_b0
else
  echo "note: python3-torchvision missing: torchvision families not tested"
fi
rm -rf "$out"
$py "$here/make_models.py" "$out" --models "$models" --size 64 2>&1 | grep -v -i -e warn -e '_C\._jit' || true
$py "$here/check_models.py" "$cli" "$out"
$py "$here/check_models.py" "$cli" "$out" --nhwc-io
