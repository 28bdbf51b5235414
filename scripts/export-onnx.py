#!/usr/bin/python3
"""Writes the ONNX test models of tests/data/onnx/ (developer-run, not CI).

Needs Debian python3-torch and python3-onnx; run from the repository root with
the system Python: /usr/bin/python3 scripts/export-onnx.py

- One small hand-built model per op family (onnx.helper), with shapes and MACs
  the tests (tests/unit/test_import_onnx.cpp) check by hand.
- A small transformer layer exported by torch.onnx.export at opset 14, so
  LayerNorm, GELU and the linears come out decomposed the way torch writes them.
- Fashion-MNIST zoo networks mirrored from nn/zoo/ (same module names, so the
  same mappable layer names), exported with their weights as external data that
  is then deleted: the files hold shapes only, which the importer needs, and
  stay small (tests/unit/test_import_zoo.cpp compares them with `graph --model`).
- Bad inputs: a truncated model, a text file, an opset-18 model, a dynamic
  batch dimension; malformed constant subgraphs (bad_fold_*.onnx).
"""
import os

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
import numpy as np

OUT = "tests/data/onnx"


def save(model, name):
    onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    onnx.save(model, os.path.join(OUT, name))


def init(name, *dims, dtype=np.float32):
    return numpy_helper.from_array(np.zeros(dims, dtype=dtype), name)


def const_ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def vi(name, dims, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, dims)


def model(nodes, inputs, outputs, inits, opset=13, name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             producer_name="aimcsim-export-onnx")


def conv_family():
    # 1x8x16x16: grouped 3x3 conv with dilation 2 and asymmetric pads; depthwise
    # conv with auto_pad SAME_UPPER and stride 2; 1x1 conv with bias.
    n = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="/block/grouped/Conv", group=2,
                         dilations=[2, 2], pads=[1, 2, 3, 2], kernel_shape=[3, 3]),
        helper.make_node("Conv", ["c1", "w2"], ["c2"], name="/dw/Conv", group=16,
                         strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("Conv", ["c2", "w3", "b3"], ["y"], name="/pw/Conv"),
    ]
    inits = [init("w1", 16, 4, 3, 3), init("w2", 16, 1, 3, 3), init("w3", 32, 16, 1, 1),
             init("b3", 32)]
    save(model(n, [vi("x", [1, 8, 16, 16])], [vi("y", None)], inits), "conv_family.onnx")


def linear_family():
    # Gemm (transB) with bias, MatMul with a constant weight plus Add bias (fused),
    # MatMul of two activations (digital), MatMul const weight without bias.
    n = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["g"], name="/fc1/Gemm", transB=1),
        helper.make_node("Reshape", ["g", "shape"], ["r"], name="/Reshape"),
        helper.make_node("MatMul", ["r", "w2"], ["m"], name="/fc2/MatMul"),
        helper.make_node("Add", ["b2", "m"], ["a"], name="/fc2/Add"),
        helper.make_node("Transpose", ["a"], ["t"], name="/Transpose", perm=[0, 2, 1]),
        helper.make_node("MatMul", ["a", "t"], ["s"], name="/scores/MatMul"),
        helper.make_node("MatMul", ["s", "w3"], ["y"], name="/fc3/MatMul"),
    ]
    inits = [init("w1", 64, 32), init("b1", 64), const_ints("shape", [1, 4, 16]),
             init("w2", 16, 24), init("b2", 24), init("w3", 4, 5)]
    save(model(n, [vi("x", [1, 32])], [vi("y", None)], inits), "linear_family.onnx")


def pool_norm_family():
    n = [
        helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["bn"], name="/bn/BN"),
        helper.make_node("Relu", ["bn"], ["r"], name="/relu/Relu"),
        helper.make_node("MaxPool", ["r"], ["mp"], name="/pool/MaxPool", kernel_shape=[3, 3],
                         strides=[2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["mp"], ["ap"], name="/avg/AveragePool",
                         kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 1, 1]),
        helper.make_node("GlobalAveragePool", ["ap"], ["gap"], name="/gap/GAP"),
        helper.make_node("Flatten", ["gap"], ["f"], name="/flatten/Flatten"),
        helper.make_node("Softmax", ["f"], ["y"], name="/softmax/Softmax", axis=-1),
    ]
    inits = [init("s", 4), init("b", 4), init("m", 4), init("v", 4)]
    save(model(n, [vi("x", [1, 4, 10, 10])], [vi("y", None)], inits), "pool_norm_family.onnx")


def elementwise_family():
    # Activations and arithmetic, LayerNormalization (opset 17) and shape arithmetic
    # (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) that must fold away.
    n = [
        helper.make_node("Clip", ["x", "lo", "hi"], ["c"], name="/act/Clip"),
        helper.make_node("Sigmoid", ["c"], ["s"], name="/act/Sigmoid"),
        helper.make_node("HardSwish", ["s"], ["h"], name="/act/HardSwish"),
        helper.make_node("Mul", ["h", "scale"], ["m"], name="/scale/Mul"),
        helper.make_node("Add", ["m", "x"], ["a"], name="/res/Add"),
        helper.make_node("Sub", ["a", "x"], ["d"], name="/res/Sub"),
        helper.make_node("Div", ["d", "two"], ["q"], name="/res/Div"),
        helper.make_node("LayerNormalization", ["q", "g", "b"], ["ln"], name="/ln/LN", axis=-1),
        helper.make_node("Shape", ["ln"], ["shp"], name="/Shape"),
        helper.make_node("Gather", ["shp", "zero"], ["n0"], name="/Gather", axis=0),
        helper.make_node("Unsqueeze", ["n0", "ax0"], ["n0u"], name="/Unsqueeze"),
        helper.make_node("Concat", ["n0u", "minus1"], ["tgt"], name="/Concat", axis=0),
        helper.make_node("Reshape", ["ln", "tgt"], ["flat"], name="/Reshape"),
        helper.make_node("Unsqueeze", ["flat", "ax1"], ["u"], name="/Unsqueeze_1"),
        helper.make_node("Squeeze", ["u", "ax1"], ["sq"], name="/Squeeze"),
        helper.make_node("Slice", ["sq", "st", "en", "ax1", "step"], ["sl"], name="/Slice"),
        helper.make_node("Pad", ["sl", "pads"], ["p"], name="/Pad"),
        helper.make_node("Concat", ["p", "p"], ["y"], name="/cat/Concat", axis=1),
    ]
    inits = [numpy_helper.from_array(np.array(0, np.float32), "lo"),
             numpy_helper.from_array(np.array(6, np.float32), "hi"),
             init("scale", 8), numpy_helper.from_array(np.array(2, np.float32), "two"),
             init("g", 8), init("b", 8), const_ints("zero", 0), const_ints("ax0", [0]),
             const_ints("minus1", [-1]), const_ints("ax1", [1]), const_ints("st", [2]),
             const_ints("en", [30]), const_ints("step", [3]), const_ints("pads", [0, 1, 0, 2])]
    save(model(n, [vi("x", [2, 4, 8])], [vi("y", None)], inits, opset=17),
         "elementwise_family.onnx")


def qdq_model():
    # Quantised weight (int8 initializer -> DequantizeLinear) on conv1; conv2 float.
    n = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="/q/Quant"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="/q/Dequant"),
        helper.make_node("DequantizeLinear", ["w1q", "ws"], ["w1"], name="/conv1/DQ"),
        helper.make_node("Conv", ["xd", "w1"], ["c1"], name="/conv1/Conv", pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["c1", "w2"], ["y"], name="/conv2/Conv"),
    ]
    inits = [numpy_helper.from_array(np.array(0.1, np.float32), "xs"),
             numpy_helper.from_array(np.array(0, np.int8), "xz"),
             numpy_helper.from_array(np.zeros((8, 3, 3, 3), np.int8), "w1q"),
             numpy_helper.from_array(np.array(0.01, np.float32), "ws"), init("w2", 4, 8, 1, 1)]
    save(model(n, [vi("x", [1, 3, 8, 8])], [vi("y", None)], inits), "qdq.onnx")


def unknown_op_model():
    n = [helper.make_node("Relu", ["x"], ["r"], name="/relu/Relu"),
         helper.make_node("CumSum", ["r", "axis"], ["c"], name="/cumsum/CumSum"),
         helper.make_node("Relu", ["c"], ["y"], name="/out/Relu")]
    save(model(n, [vi("x", [1, 6, 5])], [vi("y", None)], [const_ints("axis", 1)]),
         "unknown_op.onnx")


def bad_models():
    good = os.path.join(OUT, "conv_family.onnx")
    with open(good, "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "bad_truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(OUT, "bad_not_onnx.onnx"), "w") as f:
        f.write("this is a text file, not a protobuf\n")
    n = [helper.make_node("Relu", ["x"], ["y"], name="/relu/Relu")]
    m = model(n, [vi("x", [1, 4])], [vi("y", [1, 4])], [], opset=18)
    onnx.save(m, os.path.join(OUT, "bad_opset18.onnx"))  # the checker of 1.12 refuses it
    n = [helper.make_node("Conv", ["x", "w"], ["y"], name="/conv/Conv")]
    save(model(n, [vi("x", ["N", 3, 8, 8])], [vi("y", None)], [init("w", 4, 3, 3, 3)]),
         "dynamic_batch.onnx")


def bad_fold_models():
    # Malformed constant subgraphs that constant folding must reject with an error
    # naming the node (they read out of bounds, looped or crashed before): each
    # folded value feeds a Reshape or Add of the input x (1x4).
    def c(name, values, dtype=np.int64):
        return numpy_helper.from_array(np.array(values, dtype=dtype), name)

    def use(kind, value):
        return helper.make_node(kind, ["x", value], ["y"], name="/use/" + kind)

    cases = {
        "slice_axis": ([helper.make_node("Slice", ["t", "s", "e", "a"], ["g"], name="/s/Slice"),
                        use("Reshape", "g")],
                       [c("t", [1, 4]), c("s", [0]), c("e", [2]), c("a", [7])]),
        "gather_index": ([helper.make_node("Gather", ["t", "i"], ["g"], name="/g/Gather",
                                           axis=1), use("Reshape", "g")],
                         [c("t", [[1, 4]]), c("i", [100000, 1])]),
        "range_zero": ([helper.make_node("Range", ["s", "e", "d"], ["g"], name="/r/Range"),
                        use("Reshape", "g")],
                       [c("s", 4), c("e", 0), c("d", 0)]),
        "broadcast": ([helper.make_node("Add", ["a", "b"], ["g"], name="/c/Add"),
                       use("Reshape", "g")],
                      [c("a", [1, 2, 3]), c("b", [1, 2, 3, 4])]),
        "transpose_perm": ([helper.make_node("Transpose", ["t"], ["g"], name="/t/Transpose",
                                             perm=[0, 0]), use("Add", "g")],
                           [c("t", [[1.0, 2, 3, 4]], np.float32)]),
    }
    for name, (nodes, inits) in cases.items():
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
        m = model(nodes, [vi("x", [1, 4])], [y], inits)
        onnx.save(m, os.path.join(OUT, "bad_fold_%s.onnx" % name))  # strict inference refuses them


class TinyEncoderLayer(nn.Module):
    """A BERT-style layer (hidden 32, 2 heads, FFN 64) on 8 tokens of a 50-word vocabulary."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(50, 32)
        self.emb_norm = nn.LayerNorm(32)
        self.query, self.key, self.value = nn.Linear(32, 32), nn.Linear(32, 32), nn.Linear(32, 32)
        self.attn_out = nn.Linear(32, 32)
        self.norm1 = nn.LayerNorm(32)
        self.ffn_in, self.ffn_out = nn.Linear(32, 64), nn.Linear(64, 32)
        self.act = nn.GELU()
        self.norm2 = nn.LayerNorm(32)

    def forward(self, ids):
        x = self.emb_norm(self.embed(ids))
        b, t, d = x.shape
        q = self.query(x).view(b, t, 2, 16).transpose(1, 2)
        k = self.key(x).view(b, t, 2, 16).transpose(1, 2)
        v = self.value(x).view(b, t, 2, 16).transpose(1, 2)
        a = torch.softmax(q @ k.transpose(-1, -2) / 4.0, dim=-1) @ v
        a = a.transpose(1, 2).reshape(b, t, d)
        x = self.norm1(x + self.attn_out(a))
        return self.norm2(x + self.ffn_out(self.act(self.ffn_in(x))))


def export_torch(module, example, name, opset=14, strip_weights=False):
    path = os.path.join(OUT, name)
    torch.onnx.export(module.eval(), example, path, opset_version=opset,
                      input_names=["input"], output_names=["output"])
    if strip_weights:
        m = onnx.load(path)
        onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=name + ".weights", size_threshold=1024)
        os.remove(os.path.join(OUT, name + ".weights"))  # shapes suffice


# ---- the zoo (nn/zoo/), mirrored with the same module names

class ConvBn(nn.Module):  # nn/zoo/blocks.h: children `conv` (no bias) and `bn`
    def __init__(self, cin, cout, k, stride=1, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x))


class BasicBlock(nn.Module):  # nn/zoo/resnet.cpp, option-A shortcut
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride, self.pad = stride, cout - cin
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = x
        if self.stride != 1 or self.pad != 0:
            s = x[:, :, ::self.stride, ::self.stride]
            lo = self.pad // 2
            s = F.pad(s, (0, 0, 0, 0, lo, self.pad - lo))
        return F.relu(y + s)


class CifarResNet(nn.Module):  # nn/zoo/resnet.cpp: stem, layer1..3, head
    def __init__(self, blocks):
        super().__init__()
        self.stem = ConvBn(1, 16, 3)
        cin = 16
        for s, w in enumerate([16, 32, 64]):
            stage = []
            for b in range(blocks):
                stage.append(BasicBlock(cin, w, 2 if s > 0 and b == 0 else 1))
                cin = w
            setattr(self, "layer%d" % (s + 1), nn.ModuleList(stage))
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        y = F.relu(self.stem(x))
        for stage in (self.layer1, self.layer2, self.layer3):
            for block in stage:
                y = block(y)
        return self.head(y.mean((2, 3)))


class VggSmall(nn.Module):  # nn/zoo/vgg.cpp: block1..6, fc, head
    def __init__(self):
        super().__init__()
        widths, cin = [32, 32, 64, 64, 128, 128], 1
        for i, w in enumerate(widths):
            setattr(self, "block%d" % (i + 1), ConvBn(cin, w, 3))
            cin = w
        self.fc = nn.Linear(128 * 3 * 3, 256)
        self.head = nn.Linear(256, 10)

    def forward(self, x):
        y = x
        for i in range(6):
            y = F.relu(getattr(self, "block%d" % (i + 1))(y))
            if i % 2 == 1:
                y = F.max_pool2d(y, 2)
        return self.head(F.relu(self.fc(y.flatten(1))))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    conv_family()
    linear_family()
    pool_norm_family()
    elementwise_family()
    qdq_model()
    unknown_op_model()
    bad_models()
    bad_fold_models()
    ids = torch.zeros(1, 8, dtype=torch.long)
    export_torch(TinyEncoderLayer(), ids, "tiny_encoder.onnx")  # opset 14: decomposed LayerNorm
    export_torch(TinyEncoderLayer(), ids, "tiny_encoder_opset11.onnx", opset=11)
    export_torch(TinyEncoderLayer(), ids, "tiny_encoder_opset17.onnx", opset=17)  # LayerNormalization
    image = torch.zeros(1, 1, 28, 28)
    export_torch(CifarResNet(1), image, "fmnist_resnet8.onnx", strip_weights=True)
    export_torch(VggSmall(), image, "fmnist_vgg_small.onnx", strip_weights=True)
    export_torch(CifarResNet(3), image, "fmnist_resnet20_opset11.onnx", opset=11, strip_weights=True)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("wrote %s: %d files, %d bytes" % (OUT, len(os.listdir(OUT)), total))


if __name__ == "__main__":
    main()
