#!/usr/bin/python3
"""Float64 oracles for the error budget (core's ErrorBudgetTest, docs/error-budget.md).

For every op of jcnn.core.Ops, on shapes chosen to stress float32 (long reductions, large logits, many classes,
awkward sizes), this writes one safetensors file per case into core/src/test/resources/float64/ holding:

  <input>        the float32 inputs (F32; targets as I64)
  f64.<output>   the exact answer to float64 precision: the same op run in float64 on the float32 inputs widened
                 exactly. Stored as I64 holding the float64 bit patterns (torch's .view(torch.int64)), because the
                 project's safetensors reader knows F32 and I64 only; Double.longBitsToDouble undoes it.
  f32.<output>   PyTorch's own float32 result on the same float32 inputs (F32)

and metadata: op, the op's settings, "outputs" (the comma-separated names stored), and how PyTorch was built.
The Java test then measures how far its own float32 result and PyTorch's are from the float64 answer. Tests never
run Python; rerun this only to change the cases, and commit the files it writes.

Goals: a handful of cases per op that show each reduction's error, in a few MB. Non-goals: covering PyTorch's
semantics (the reference set in ../shared/reference does that), GPU results.

Run from anywhere with Debian's PyTorch, which calls the system BLAS for its linear layers: the committed files were
made with OpenBLAS 0.3.21 (apt-get install python3-torch libopenblas0-pthread; without OpenBLAS, Debian falls back
to the reference BLAS, whose naive sums would make PyTorch's side of the budget far easier to meet):
    /usr/bin/python3 core/src/test/python/float64_oracles.py
"""

import json
import os
import pathlib
import struct

# One thread everywhere: PyTorch's float32 reductions split by thread count, and the files must not depend on it.
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SEED = 20261201
OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "float64"


def write_safetensors(path, tensors, metadata):
    """The safetensors layout, as the official writer does it: sorted by dtype size then name, header padded."""
    order = sorted(tensors, key=lambda k: (-tensors[k].dtype.itemsize, k))
    header, offset, blobs = {}, 0, []
    for name in order:
        a = np.ascontiguousarray(tensors[name])
        dtype = {np.dtype("<f4"): "F32", np.dtype("<i8"): "I64"}[a.dtype.newbyteorder("<")]
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    header["__metadata__"] = {k: str(v) for k, v in sorted(metadata.items())}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def randn(gen, *shape, scale=1.0, offset=0.0):
    return f32(torch.randn(*shape, generator=gen, dtype=torch.float64).numpy() * scale + offset)


# ---------------------------------------------------------------------------------------------------------------
# The ops, run in one dtype on float32 inputs widened to it. Each returns {output name: tensor}.

def leaves(inputs, dtype, grads):
    return {k: torch.tensor(v, dtype=dtype, requires_grad=k in grads) for k, v in inputs.items()}


def conv2d(inputs, meta, dtype):
    t = leaves({k: inputs[k] for k in ("x", "weight", "bias")}, dtype, {"x", "weight", "bias"})
    y = F.conv2d(t["x"], t["weight"], t["bias"], stride=meta["s"], padding=meta["p"])
    y.backward(torch.tensor(inputs["grad_y"], dtype=dtype))
    return {"y": y, "grad_x": t["x"].grad, "grad_weight": t["weight"].grad, "grad_bias": t["bias"].grad}


def linear(inputs, meta, dtype):
    t = leaves({k: inputs[k] for k in ("x", "weight", "bias")}, dtype, {"x", "weight", "bias"})
    y = F.linear(t["x"], t["weight"], t["bias"])
    y.backward(torch.tensor(inputs["grad_y"], dtype=dtype))
    return {"y": y, "grad_x": t["x"].grad, "grad_weight": t["weight"].grad, "grad_bias": t["bias"].grad}


def max_pool2d(inputs, meta, dtype):
    t = leaves({"x": inputs["x"]}, dtype, {"x"})
    y = F.max_pool2d(t["x"], meta["k"], meta["s"])
    y.backward(torch.tensor(inputs["grad_y"], dtype=dtype))
    return {"y": y, "grad_x": t["x"].grad}


def relu(inputs, meta, dtype):
    t = leaves({"x": inputs["x"]}, dtype, {"x"})
    y = F.relu(t["x"])
    y.backward(torch.tensor(inputs["grad_y"], dtype=dtype))
    return {"y": y, "grad_x": t["x"].grad}


def cross_entropy(inputs, meta, dtype):
    t = leaves({"logits": inputs["logits"]}, dtype, {"logits"})
    loss = F.cross_entropy(t["logits"], torch.tensor(inputs["target"], dtype=torch.int64))
    loss.backward()
    return {"loss": loss.reshape(1), "grad_logits": t["logits"].grad}


def log_softmax(inputs, meta, dtype):
    t = leaves({"x": inputs["x"]}, dtype, {"x"})
    y = F.log_softmax(t["x"], dim=1)
    y.backward(torch.tensor(inputs["grad_y"], dtype=dtype))
    return {"y": y, "grad_x": t["x"].grad}


def add(inputs, meta, dtype):
    t = leaves({"a": inputs["a"], "b": inputs["b"]}, dtype, {"a", "b"})
    y = t["a"] + t["b"]
    y.backward(torch.tensor(inputs["grad_y"], dtype=dtype))
    return {"y": y, "grad_a": t["a"].grad, "grad_b": t["b"].grad}


def mul(inputs, meta, dtype):
    t = leaves({"a": inputs["a"], "b": inputs["b"]}, dtype, {"a", "b"})
    y = t["a"] * t["b"]
    y.backward(torch.tensor(inputs["grad_y"], dtype=dtype))
    return {"y": y, "grad_a": t["a"].grad, "grad_b": t["b"].grad}


def sum_(inputs, meta, dtype):
    x = torch.tensor(inputs["x"], dtype=dtype)
    return {"y": x.sum().reshape(1)}


OPS = {"conv2d": conv2d, "linear": linear, "max_pool2d": max_pool2d, "relu": relu,
       "cross_entropy": cross_entropy, "log_softmax": log_softmax, "add": add, "mul": mul, "sum": sum_}


# ---------------------------------------------------------------------------------------------------------------
# The cases. Inputs that feed a layer after a ReLU are non-negative (|randn|), as in the CNN: their products do not
# cancel on average, so a long float32 sum carries a real rounding error instead of a random walk around zero.

def cases(gen):
    out = []

    def conv(name, why, n, c, h, w, o, k, s, p, outputs, relu_input=False, grad_offset=0.0):
        oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        x = randn(gen, n, c, h, w)
        inputs = {"x": np.abs(x) if relu_input else x,
                  "weight": randn(gen, o, c, k, k, scale=(c * k * k) ** -0.5),
                  "bias": randn(gen, o, scale=0.1),
                  "grad_y": randn(gen, n, o, oh, ow, scale=0.01, offset=grad_offset)}
        out.append((name, "conv2d", why, inputs, {"n": n, "c": c, "h": h, "w": w, "o": o, "k": k, "s": s, "p": p},
                    outputs))

    conv("conv2d_awkward", "primes and odd sizes, stride 2, padding 1", 3, 5, 11, 13, 7, 3, 2, 1,
         ["y", "grad_x", "grad_weight", "grad_bias"])
    conv("conv2d_c64", "64 channels: each output sums 576 products", 2, 64, 8, 8, 16, 3, 1, 1,
         ["y", "grad_x", "grad_weight", "grad_bias"], relu_input=True)
    conv("conv2d_k4140", "460 channels: each output sums 4140 products", 1, 460, 4, 4, 4, 3, 1, 1,
         ["y"], relu_input=True)
    conv("conv2d_dw8192", "weight and bias gradients sum over 8 images of 32x32 positions", 8, 1, 32, 32, 2, 3, 1,
         1, ["grad_weight", "grad_bias"], relu_input=True, grad_offset=0.005)

    def lin(name, why, n, i, o, outputs, relu_input=False, grad_offset=0.0):
        x = randn(gen, n, i)
        inputs = {"x": np.abs(x) if relu_input else x,
                  "weight": randn(gen, o, i, scale=i ** -0.5),
                  "bias": randn(gen, o, scale=0.1),
                  "grad_y": randn(gen, n, o, scale=0.01, offset=grad_offset)}
        out.append((name, "linear", why, inputs, {"n": n, "in": i, "out": o}, outputs))

    lin("linear_awkward", "primes", 3, 17, 5, ["y", "grad_x", "grad_weight", "grad_bias"])
    lin("linear_k4099", "each output sums 4099 products (a vector tail)", 6, 4099, 10, ["y"], relu_input=True)
    lin("linear_k4096_packed", "4096 products per output, enough rows and columns for the packed GEMM", 8, 4096,
        24, ["y"], relu_input=True)
    lin("linear_n4096", "weight and bias gradients sum over a batch of 4096", 4096, 3, 5,
        ["grad_weight", "grad_bias"], relu_input=True, grad_offset=0.005)
    lin("linear_dw_packed_k64", "weight gradient over a batch of 64, large enough for the packed GEMM", 64, 160,
        32, ["grad_weight", "grad_x"], relu_input=True)
    lin("linear_fc2", "the seed's fc2: 128 inputs, 10 classes, batch 64", 64, 128, 10,
        ["y", "grad_x", "grad_weight", "grad_bias"], relu_input=True)

    def pool(name, why, n, c, h, w, k, s):
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
        inputs = {"x": randn(gen, n, c, h, w), "grad_y": randn(gen, n, c, oh, ow)}
        out.append((name, "max_pool2d", why, inputs, {"k": k, "s": s}, ["y", "grad_x"]))

    pool("maxpool2d_awkward", "odd sizes, overlapping 3x3 windows, stride 2", 2, 3, 9, 7, 3, 2)
    pool("maxpool2d_2x2", "the seed's 2x2 stride 2", 4, 5, 8, 8, 2, 2)

    x = randn(gen, 1001)
    x[::7] = 0.0    # exact zeros: the gradient there is 0, as in PyTorch
    out.append(("relu_1001", "relu", "1001 values, every seventh exactly 0", {"x": x, "grad_y": randn(gen, 1001)},
                {}, ["y", "grad_x"]))

    def ce(name, why, n, k, scale):
        inputs = {"logits": randn(gen, n, k, scale=scale),
                  "target": torch.randint(0, k, (n,), generator=gen).numpy().astype(np.int64)}
        out.append((name, "cross_entropy", why, inputs, {"n": n, "k": k, "scale": scale},
                    ["loss", "grad_logits"]))

    ce("cross_entropy_seed", "the seed's batch: 64 rows, 10 classes, logits of scale 3", 64, 10, 3.0)
    ce("cross_entropy_batch100", "a batch of 100 (1/n not a power of two)", 100, 10, 3.0)
    ce("cross_entropy_scale80", "large logits, scale 80", 32, 10, 80.0)
    ce("cross_entropy_scale100_k1000", "logits of scale 100 over 1000 classes", 8, 1000, 100.0)
    ce("cross_entropy_k4099", "4099 classes: a long sum of exponentials", 3, 4099, 5.0)

    for name, why, n, k, scale in (("log_softmax_scale30_k1000", "scale 30, 1000 classes", 4, 1000, 30.0),
                                   ("log_softmax_scale1_k10", "scale 1, 10 classes", 16, 10, 1.0)):
        out.append((name, "log_softmax", why, {"x": randn(gen, n, k, scale=scale), "grad_y": randn(gen, n, k)},
                    {"n": n, "k": k, "scale": scale}, ["y", "grad_x"]))

    out.append(("add_1000", "add", "elementwise, one rounding", {"a": randn(gen, 1000), "b": randn(gen, 1000),
                                                                 "grad_y": randn(gen, 1000)}, {},
                ["y", "grad_a", "grad_b"]))
    out.append(("mul_1000", "mul", "elementwise, one rounding", {"a": randn(gen, 1000), "b": randn(gen, 1000),
                                                                 "grad_y": randn(gen, 1000)}, {},
                ["y", "grad_a", "grad_b"]))
    out.append(("sum_65536", "sum", "65536 non-negative values", {"x": np.abs(randn(gen, 65536))}, {}, ["y"]))
    return out


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    blas = torch.__config__.show()
    blas_line = next((l.strip() for l in blas.splitlines() if "BLAS_INFO" in l), "")
    build = "PyTorch %s, %s; system BLAS %s" % (
        torch.__version__, "oneDNN" if torch.backends.mkldnn.is_available() else "no oneDNN",
        os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"))
    total = 0
    for name, op, why, inputs, meta, outputs in cases(gen):
        ref = OPS[op](inputs, meta, torch.float64)
        ours32 = OPS[op](inputs, meta, torch.float32)
        tensors = dict(inputs)
        for o in outputs:
            tensors["f64." + o] = ref[o].detach().numpy().astype(np.float64).view(np.int64)
            tensors["f32." + o] = ours32[o].detach().numpy().astype(np.float32)
        metadata = dict(meta)
        metadata.update({"op": op, "why": why, "outputs": ",".join(outputs), "seed": SEED, "pytorch": build,
                         "f64_encoding": "f64.* are I64 tensors holding IEEE float64 bit patterns"})
        path = OUT / (name + ".safetensors")
        write_safetensors(path, tensors, metadata)
        total += path.stat().st_size
        print("%-32s %-14s %8d bytes  %s" % (name, op, path.stat().st_size, why))
    print("total %d bytes in %s (%s)" % (total, OUT, blas_line[:60]))


if __name__ == "__main__":
    main()
