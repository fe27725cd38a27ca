#!/usr/bin/env python3
"""Re-creates the workflow example's models from scratch (needs Debian's
python3-torch and python3-onnx, and a built edgelite CLI):

  1. train a small CNN on the digits training split with PyTorch (CPU, seeded),
  2. export it to ONNX (opset 13),
  3. convert it with `edgelite convert` (channels-last I/O, like TFLite's models),
  4. quantize it with `edgelite quantize --mode int8`, calibrating on training images.

  /usr/bin/python3 examples/workflow/make_models.py --edgelite build/release/tools/edgelite

Writes examples/workflow/models/{digits.onnx, digits_float.tflite, digits_int8.tflite,
training.json}. run.py runs the committed files without PyTorch.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import digits_data  # noqa: E402


def build_model(torch):
    nn = torch.nn

    class DigitsCNN(nn.Module):
        """Input NCHW (N, 1, 8, 8) in [0, 1]; output class probabilities (N, 10)."""

        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                nn.MaxPool2d(2))  # -> (N, 32, 4, 4)
            self.classifier = nn.Sequential(
                nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))

        def forward(self, x):
            return self.classifier(self.features(x))

    return DigitsCNN()


def train(args):
    import torch

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)  # deterministic and reproducible on any machine
    x_train, y_train, x_test, y_test = digits_data.load_split()
    xt = torch.from_numpy(x_train.transpose(0, 3, 1, 2).copy())  # NHWC -> NCHW for PyTorch
    yt = torch.from_numpy(y_train)
    model = build_model(torch)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xt))
        total = 0.0
        for i in range(0, len(xt), args.batch):
            idx = perm[i:i + args.batch]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += float(loss) * len(idx)
        if (epoch + 1) % 5 == 0 or epoch == 0:
            print(f"  epoch {epoch + 1:3d}/{args.epochs}  loss {total / len(xt):.4f}", flush=True)
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(x_test.transpose(0, 3, 1, 2).copy()))
        acc = float((logits.argmax(1).numpy() == y_test).mean())
    print(f"trained in {time.time() - t0:.1f} s; PyTorch test accuracy {acc:.4f} "
          f"({len(y_test)} images)", flush=True)
    return model, acc



def export_onnx(torch, model, path):
    class Exported(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return torch.softmax(self.inner(x), dim=1)

    wrapped = Exported(model).eval()
    dummy = torch.zeros(1, 1, 8, 8)
    torch.onnx.export(wrapped, dummy, path, opset_version=13, input_names=["image"],
                      output_names=["probabilities"])


def run(cmd):
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--edgelite", default=os.path.join(HERE, "..", "..", "build", "release", "tools", "edgelite"),
                   help="the edgelite CLI (default: build/release/tools/edgelite)")
    p.add_argument("--out", default=os.path.join(HERE, "models"), help="output directory")
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--calibration-samples", type=int, default=300,
                   help="training images used to calibrate int8 activation ranges")
    args = p.parse_args()

    import torch

    os.makedirs(args.out, exist_ok=True)
    print("[1/4] training a CNN on the digits training split (PyTorch "
          f"{torch.__version__}, CPU)", flush=True)
    model, torch_acc = train(args)

    onnx_path = os.path.join(args.out, "digits.onnx")
    print(f"[2/4] exporting {onnx_path}", flush=True)
    export_onnx(torch, model, onnx_path)

    float_path = os.path.join(args.out, "digits_float.tflite")
    print(f"[3/4] converting to {float_path}", flush=True)
    run([args.edgelite, "convert", onnx_path, "-o", float_path, "--nhwc-io"])

    int8_path = os.path.join(args.out, "digits_int8.tflite")
    print(f"[4/4] quantizing to {int8_path} (int8, per-channel weights, "
          f"{args.calibration_samples} calibration images)", flush=True)
    x_train = digits_data.load_split()[0]
    with tempfile.TemporaryDirectory() as tmp:
        calib = os.path.join(tmp, "calibration.bin")  # samples one after another, float32 NHWC
        x_train[:args.calibration_samples].astype(np.float32).tofile(calib)
        run([args.edgelite, "quantize", float_path, "-o", int8_path, "--mode", "int8",
             "--calibration", calib])

    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump({"pytorch_version": torch.__version__, "epochs": args.epochs, "seed": args.seed,
                   "train_images": digits_data.NUM_TRAIN, "split_seed": digits_data.SPLIT_SEED,
                   "pytorch_test_accuracy": torch_acc,
                   "calibration_samples": args.calibration_samples}, f, indent=2)
        f.write("\n")
    print("done: " + ", ".join(sorted(os.listdir(args.out))))


if __name__ == "__main__":
    main()
