#!/usr/bin/python3
"""PyTorch reference outputs for the layers of the deeper models (issue 18): batch normalisation in training and in
evaluation mode, average pooling, global average pooling and dropout, plus the deep model's state_dict names.

Writes into core/src/test/resources/reference/ (beside the seed's references from ../shared/reference, which were
made elsewhere with PyTorch 2.11); core's LayerReferenceTest reads them on every kernel implementation:

  batchnorm2d_train_K   x (n,c,h,w), weight, bias (c), running_mean, running_var (c) before the call,
                        y = batch_norm(x, ..., training=True, momentum, eps), grad_y, grad_x, grad_weight, grad_bias,
                        new_running_mean, new_running_var (after the call)
  batchnorm2d_eval_K    the same inputs with given running statistics, training=False: y and the gradients
  avgpool2d_K           x, y = avg_pool2d(x, k, s), grad_y, grad_x                       metadata k, s
  global_avgpool_K      x, y = adaptive_avg_pool2d(x, 1), grad_y, grad_x
  dropout_K             x, mask (0 or 1 / (1 - p), drawn by PyTorch's own dropout from x = ones), y = mask * x
                        for another x, grad_y, grad_x                                       metadata p

and training/src/test/resources/deep_model_state.txt: the state_dict of the deep model (jcnn.training.nn.DeepCnn)
built with torch.nn, one "name shape dtype" line per entry in state_dict order, which training's DeepCnnTest
compares with the Java model's namedState().

Float32 everywhere, on the CPU, one thread, torch.manual_seed(SEED). Tests never run Python; rerun this only to
change the cases, and commit what it writes:
    /usr/bin/python3 core/src/test/python/layer_references.py
"""

import collections
import json
import os
import pathlib
import struct

os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SEED = 20261202
ROOT = pathlib.Path(__file__).resolve().parents[4]
OUT = ROOT / "core" / "src" / "test" / "resources" / "reference"
STATE_LIST = ROOT / "training" / "src" / "test" / "resources" / "deep_model_state.txt"


def write_safetensors(path, tensors, metadata):
    """The safetensors layout, as the official writer does it: sorted by dtype size then name, header padded."""
    order = sorted(tensors, key=lambda k: (-np.asarray(tensors[k]).dtype.itemsize, k))
    header, offset, blobs = {}, 0, []
    for name in order:
        a = np.ascontiguousarray(tensors[name])
        dtype = {np.dtype("<f4"): "F32", np.dtype("<i8"): "I64"}[a.dtype.newbyteorder("<")]
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    meta = {"torch": torch.__version__, "seed": str(SEED)}
    meta.update({k: str(v) for k, v in metadata.items()})
    header["__metadata__"] = dict(sorted(meta.items()))
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    print(path.relative_to(ROOT), ", ".join(f"{k}{list(np.asarray(tensors[k]).shape)}" for k in order))


def np32(t):
    return t.detach().numpy().astype(np.float32)


def batchnorm(name, n, c, h, w, training, momentum=0.1, eps=1e-5, scale=1.0, offset=0.0):
    x = (torch.randn(n, c, h, w) * scale + offset).requires_grad_(True)
    weight = (1 + 0.5 * torch.randn(c)).requires_grad_(True)
    bias = (0.5 * torch.randn(c)).requires_grad_(True)
    running_mean = 0.3 * torch.randn(c)
    running_var = 0.5 + torch.rand(c)
    rm, rv = running_mean.clone(), running_var.clone()
    y = F.batch_norm(x, rm, rv, weight, bias, training=training, momentum=momentum, eps=eps)
    grad_y = torch.randn_like(y)
    y.backward(grad_y)
    tensors = {"x": np32(x), "weight": np32(weight), "bias": np32(bias), "running_mean": np32(running_mean),
               "running_var": np32(running_var), "y": np32(y), "grad_y": np32(grad_y), "grad_x": np32(x.grad),
               "grad_weight": np32(weight.grad), "grad_bias": np32(bias.grad)}
    if training:
        tensors["new_running_mean"] = np32(rm)
        tensors["new_running_var"] = np32(rv)
    write_safetensors(OUT / f"{name}.safetensors", tensors,
                      {"op": "batch_norm", "training": str(training).lower(), "momentum": momentum, "eps": eps})


def avgpool(name, n, c, h, w, k, s):
    x = torch.randn(n, c, h, w, requires_grad=True)
    y = F.avg_pool2d(x, k, s)
    grad_y = torch.randn_like(y)
    y.backward(grad_y)
    write_safetensors(OUT / f"{name}.safetensors",
                      {"x": np32(x), "y": np32(y), "grad_y": np32(grad_y), "grad_x": np32(x.grad)},
                      {"op": "avg_pool2d", "k": k, "s": s})


def global_avgpool(name, n, c, h, w):
    x = torch.randn(n, c, h, w, requires_grad=True)
    y = F.adaptive_avg_pool2d(x, 1)
    grad_y = torch.randn_like(y)
    y.backward(grad_y)
    write_safetensors(OUT / f"{name}.safetensors",
                      {"x": np32(x), "y": np32(y), "grad_y": np32(grad_y), "grad_x": np32(x.grad)},
                      {"op": "adaptive_avg_pool2d"})


def dropout(name, shape, p):
    # PyTorch's mask, read off by dropping out a tensor of ones: 0 where dropped, 1 / (1 - p) where kept.
    mask = F.dropout(torch.ones(*shape), p, training=True)
    x = torch.randn(*shape, requires_grad=True)
    y = x * mask   # what F.dropout does with that mask
    grad_y = torch.randn_like(y)
    y.backward(grad_y)
    write_safetensors(OUT / f"{name}.safetensors",
                      {"x": np32(x), "mask": np32(mask), "y": np32(y), "grad_y": np32(grad_y),
                       "grad_x": np32(x.grad)}, {"op": "dropout", "p": p})


def deep_model():
    """jcnn.training.nn.DeepCnn in torch.nn, layer for layer and name for name."""
    layers = collections.OrderedDict()
    def block(i, cin, cout):
        layers[f"conv{i}"] = nn.Conv2d(cin, cout, 3, padding=1)
        layers[f"bn{i}"] = nn.BatchNorm2d(cout)
        layers[f"relu{i}"] = nn.ReLU()
    block(1, 1, 16)
    block(2, 16, 16)
    layers["pool1"] = nn.MaxPool2d(2, 2)
    block(3, 16, 32)
    block(4, 32, 32)
    layers["pool2"] = nn.MaxPool2d(2, 2)
    layers["flatten"] = nn.Flatten()
    layers["drop1"] = nn.Dropout(0.3)
    layers["fc1"] = nn.Linear(32 * 7 * 7, 128)
    layers["relu5"] = nn.ReLU()
    layers["drop2"] = nn.Dropout(0.3)
    layers["fc2"] = nn.Linear(128, 10)
    return nn.Sequential(layers)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    # Training mode: the seed's conv2 activation shape; awkward sizes (a prime plane, one image); an offset input
    # whose variance is small against its mean (the two-pass variance's case).
    batchnorm("batchnorm2d_train_0", 8, 16, 14, 14, True)
    batchnorm("batchnorm2d_train_1", 3, 5, 7, 11, True, momentum=0.3, eps=1e-3)
    batchnorm("batchnorm2d_train_2", 1, 3, 5, 5, True)
    batchnorm("batchnorm2d_train_3", 4, 6, 9, 9, True, scale=0.01, offset=100.0)
    # Evaluation mode: running statistics normalise; they are constants for the gradient.
    batchnorm("batchnorm2d_eval_0", 8, 16, 14, 14, False)
    batchnorm("batchnorm2d_eval_1", 3, 5, 7, 11, False, eps=1e-3)
    avgpool("avgpool2d_0", 4, 16, 28, 28, 2, 2)
    avgpool("avgpool2d_1", 2, 3, 7, 9, 2, 2)
    avgpool("avgpool2d_2", 2, 3, 11, 13, 3, 2)
    avgpool("avgpool2d_3", 1, 2, 8, 8, 3, 1)
    global_avgpool("global_avgpool_0", 4, 64, 7, 7)
    global_avgpool("global_avgpool_1", 3, 5, 1, 1)
    global_avgpool("global_avgpool_2", 2, 7, 13, 11)
    dropout("dropout_0", (64, 128), 0.3)
    dropout("dropout_1", (3, 5, 7), 0.5)

    model = deep_model()
    lines = [f"# state_dict of the deep model (jcnn.training.nn.DeepCnn) in torch.nn, torch {torch.__version__}; "
             "written by core/src/test/python/layer_references.py",
             "# name shape dtype"]
    total = 0
    for name, t in model.state_dict().items():
        lines.append(f"{name} {'x'.join(map(str, t.shape)) or '()'} {str(t.dtype).replace('torch.', '')}")
    total = sum(p.numel() for p in model.parameters())
    lines.append(f"# trainable parameters: {total}")
    STATE_LIST.parent.mkdir(parents=True, exist_ok=True)
    STATE_LIST.write_text("\n".join(lines) + "\n")
    print(STATE_LIST.relative_to(ROOT), f"{len(model.state_dict())} entries, {total} parameters")


if __name__ == "__main__":
    main()
