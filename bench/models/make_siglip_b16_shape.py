#!/usr/bin/python3
"""SigLIP base (google/siglip-base-patch16-224) shaped ONNX split export with constant weights, for speed only.

Writes target/models/siglip-b16-shape/ (git-ignored): onnx/text_model.onnx (input_ids [B, 64] -> last_hidden_state,
pooler_output [B, 768]) and onnx/vision_model.onnx (pixel_values [B, 3, 224, 224] -> last_hidden_state [B, 196, 768],
pooler_output [B, 768]), config.json (model_type siglip), preprocessor_config.json (SiglipImageProcessor, 224 x 224,
bicubic, mean = std = 0.5), and the tokenizer files of the test fixture src/test/resources/families/siglip-tiny (a
small SentencePiece vocabulary, padded to 64 like SigLIP's: its ids all fall inside the 32,000 rows, and speed depends
only on the 64 positions). Every initializer of 4,096 or more elements becomes a ConstantOfShape node (0.02), as in
../shared/models/clip-vit-b32-shape: a few hundred KB per file, and ONNX Runtime folds them back into full weight
tensors when it loads the session, so it does the real model's work. The vectors mean nothing.

The towers are written here in plain torch ops after transformers' SiglipTextTransformer / SiglipVisionTransformer
(transformers is not needed): pre-LayerNorm encoder layers with separate q/k/v/out projections and tanh-GELU MLPs; the
vision tower's post-LayerNorm and attention-pooling head (a learned probe attending over the 196 tokens, then
LayerNorm + MLP, added to the attention output); the text tower's final LayerNorm, the last position pooled, then a
768 -> 768 linear head.

  --real-weights DIR   also write the same graphs with their random weights kept (about 800 MB) to DIR, for the
                       speed check against the constant file (bench/ingest --only ort, bench/latency's bare tower)

Needs Debian's python3-torch (1.13) and python3-onnx. Deterministic.
"""

import argparse
import io
import json
import math
import shutil
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "src" / "test" / "resources" / "families" / "siglip-tiny"
OUT = ROOT / "target" / "models" / "siglip-b16-shape"

# google/siglip-base-patch16-224
WIDTH, LAYERS, HEADS, MLP = 768, 12, 12, 3072
IMAGE, PATCH = 224, 16
VOCAB, LENGTH = 32000, 64
EPS = 1e-6


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.out = (nn.Linear(WIDTH, WIDTH) for _ in range(4))

    def forward(self, query, keys):
        b, n, _ = query.shape
        m = keys.shape[1]
        h = WIDTH // HEADS
        q = self.q(query).reshape(b, n, HEADS, h).transpose(1, 2)
        k = self.k(keys).reshape(b, m, HEADS, h).transpose(1, 2)
        v = self.v(keys).reshape(b, m, HEADS, h).transpose(1, 2)
        weights = (q @ k.transpose(-1, -2) * (1 / math.sqrt(h))).softmax(-1)
        return self.out((weights @ v).transpose(1, 2).reshape(b, n, WIDTH))


class Mlp(nn.Sequential):
    def __init__(self):
        super().__init__(nn.Linear(WIDTH, MLP), nn.GELU(approximate="tanh"), nn.Linear(MLP, WIDTH))


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(WIDTH, eps=EPS), nn.LayerNorm(WIDTH, eps=EPS)
        self.attn, self.mlp = Attention(), Mlp()

    def forward(self, x):
        y = self.ln1(x)
        x = x + self.attn(y, y)
        return x + self.mlp(self.ln2(x))


class Text(nn.Module):
    """SigLIP's text tower: no attention mask, the last position pooled (so every text is padded to 64)."""

    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, WIDTH)
        self.positions = nn.Parameter(torch.randn(LENGTH, WIDTH) * 0.02)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.ln = nn.LayerNorm(WIDTH, eps=EPS)
        self.head = nn.Linear(WIDTH, WIDTH)

    def forward(self, input_ids):
        x = self.tokens(input_ids) + self.positions[: input_ids.shape[1]]
        for layer in self.layers:
            x = layer(x)
        x = self.ln(x)
        return x, self.head(x[:, -1, :])


class Vision(nn.Module):
    """SigLIP's vision tower: 16 px patches without a class token, post-LayerNorm, the MAP attention-pooling head."""

    def __init__(self):
        super().__init__()
        self.patches = nn.Conv2d(3, WIDTH, PATCH, PATCH)
        self.positions = nn.Parameter(torch.randn((IMAGE // PATCH) ** 2, WIDTH) * 0.02)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.ln = nn.LayerNorm(WIDTH, eps=EPS)
        self.probe = nn.Parameter(torch.randn(1, 1, WIDTH))
        self.pool = Attention()
        self.pool_ln = nn.LayerNorm(WIDTH, eps=EPS)
        self.pool_mlp = Mlp()

    def forward(self, pixel_values):
        x = self.patches(pixel_values).flatten(2).transpose(1, 2) + self.positions
        for layer in self.layers:
            x = layer(x)
        x = self.ln(x)
        p = self.pool(self.probe.expand(x.shape[0], -1, -1), x)
        p = p + self.pool_mlp(self.pool_ln(p))
        return x, p[:, 0]


def export(module, example, input_name):
    axes = {input_name: {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}, "pooler_output": {0: "batch_size"}}
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(module, (example,), buffer, input_names=[input_name],
                          output_names=["last_hidden_state", "pooler_output"], dynamic_axes=axes, opset_version=17)
    model = onnx.load_from_string(buffer.getvalue())
    model.producer_name, model.producer_version = "clip-hybrid-search bench/models", "1"
    return model


def constant_weights(model, min_numel=4096):
    """Every large float initializer as a ConstantOfShape node: the shape stays, the stored numbers go."""
    g = model.graph
    keep, nodes = [], []
    for init in g.initializer:
        if int(np.prod(init.dims)) >= min_numel and init.data_type == TensorProto.FLOAT:
            shape = numpy_helper.from_array(np.array(init.dims, dtype=np.int64), init.name + "__shape")
            keep.append(shape)
            nodes.append(helper.make_node("ConstantOfShape", [shape.name], [init.name],
                                          value=numpy_helper.from_array(np.array([0.02], dtype=np.float32))))
        else:
            keep.append(init)
    out = onnx.ModelProto()
    out.CopyFrom(model)
    del out.graph.initializer[:]
    out.graph.initializer.extend(keep)
    del out.graph.node[:]
    out.graph.node.extend(nodes + list(g.node))
    onnx.checker.check_model(out)
    return out, len(nodes)


def multiply_adds(module, example):
    """MACs of one forward pass at batch 1 as torch's profiler counts them on the executed matrix products and
    convolutions (half its FLOPs): a count of what the module does, independent of the formula below."""
    with torch.no_grad(), torch.profiler.profile(with_flops=True) as prof:
        module(example)
    return sum(e.flops for e in prof.key_averages() if e.flops) // 2


def analytic_macs():
    """The same count from SigLIP base's configuration, batch 1."""
    layer = lambda n: n * (4 * WIDTH * WIDTH + 2 * WIDTH * MLP) + 2 * n * n * WIDTH
    tokens = (IMAGE // PATCH) ** 2
    # the probe's query, the keys and values of 196 tokens, its scores and weighted sum, out projection, MLP of one token
    head = 2 * WIDTH * WIDTH + 2 * tokens * WIDTH * WIDTH + 2 * tokens * WIDTH + 2 * WIDTH * MLP
    vision = tokens * 3 * PATCH * PATCH * WIDTH + LAYERS * layer(tokens) + head
    text = LAYERS * layer(LENGTH) + WIDTH * WIDTH
    return text, vision


def write_json(path, value):
    path.write_text(json.dumps(value, indent=1) + "\n", encoding="utf-8")


def write_folder(out, text, vision):
    shutil.rmtree(out, ignore_errors=True)
    (out / "onnx").mkdir(parents=True)
    onnx.save(text, str(out / "onnx" / "text_model.onnx"))
    onnx.save(vision, str(out / "onnx" / "vision_model.onnx"))
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(FIXTURE / name, out / name)
    write_json(out / "config.json", {
        "model_type": "siglip", "architectures": ["SiglipModel"],
        "text_config": {"model_type": "siglip_text_model", "vocab_size": VOCAB, "hidden_size": WIDTH,
                        "intermediate_size": MLP, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
                        "max_position_embeddings": LENGTH, "projection_size": WIDTH},
        "vision_config": {"model_type": "siglip_vision_model", "image_size": IMAGE, "patch_size": PATCH,
                          "hidden_size": WIDTH, "intermediate_size": MLP, "num_hidden_layers": LAYERS,
                          "num_attention_heads": HEADS}})
    write_json(out / "preprocessor_config.json", {
        "image_processor_type": "SiglipImageProcessor", "do_resize": True, "size": {"height": IMAGE, "width": IMAGE},
        "resample": 3, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "processor_class": "SiglipProcessor"})


CARD = """# siglip-b16-shape: SigLIP base (ViT-B/16, 224 px)'s compute, without its weights

**For speed and memory measurements only. Its vectors mean nothing.** Made by `bench/models/make_siglip_b16_shape.py`
(see its header); rebuild with `/usr/bin/python3 bench/models/make_siglip_b16_shape.py`.

The Hugging Face split layout of `google/siglip-base-patch16-224` (as Xenova's transformers.js exports hold it):
`onnx/text_model.onnx` (`input_ids` [B, 64] -> `last_hidden_state` [B, 64, 768], `pooler_output` [B, 768]) and
`onnx/vision_model.onnx` (`pixel_values` [B, 3, 224, 224] -> `last_hidden_state` [B, 196, 768], `pooler_output`
[B, 768]), opset 17, dynamic batch. Both towers: width 768, 12 layers, 12 heads, MLP 3072, tanh GELU. Vision: 196
patches of 16 px, no class token, post-LayerNorm, the attention-pooling (MAP) head. Text: vocabulary 32,000, 64
positions, final LayerNorm, the last position pooled, then a 768 -> 768 linear head. Every initializer of 4,096+
elements is a `ConstantOfShape` node (0.02), as in `../shared/models/clip-vit-b32-shape`: ONNX Runtime folds them into
ordinary weight tensors when it loads a session, so it does the real model's work. The tokenizer files are the test
fixture `siglip-tiny`'s (a small SentencePiece vocabulary; every text padded to 64 ids, as SigLIP's), so token ids
stay far below 32,000.

Files: text_model.onnx {text_kb} KB, vision_model.onnx {vision_kb} KB ({replaced} initializers replaced).

Multiply-adds per text / per image (batch 1), as torch's profiler counts them on the modules' matrix products: text {text_macs:.2f} G,
vision {vision_macs:.2f} G; from SigLIP base's configuration: text {text_ref:.2f} G, vision {vision_ref:.2f} G (ViT-B/16
at 196 tokens; CLIP ViT-B/32 for comparison: about 4.4 G per image at 50 tokens, 2.9 G per text at 77 tokens of
width 512).

## Speed check (2026-12-03, ONNX Runtime 1.21.1 through the onnxruntime jar, 2 cores shared with another benchmark)
Against the same graphs with their random weights kept (`--real-weights DIR`, 441 + 372 MB):
vision tower (`bench/ingest --only ort --models siglip-b16-shape,siglip-b16-random --limit 16 --sweep-images 8`)
518.1 CPU ms per image for this file, 523.1 for the real weights, 1.2 img/s each (load 6.4-8.9); text tower, one text
of 64 ids at a time (`bench/java/OrtTextBench.java`, 40 texts per run, alternated), p50 of three runs each: this file
572, 347, 336 ms, real weights 471, 597, 406 ms (load 10-17, too busy for better than "the same within the noise").
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--real-weights", type=Path)
    args = p.parse_args()
    torch.manual_seed(0)
    text, vision = Text().eval(), Vision().eval()
    text_macs = multiply_adds(text, torch.ones(1, LENGTH, dtype=torch.long))
    vision_macs = multiply_adds(vision, torch.zeros(1, 3, IMAGE, IMAGE))
    text_model = export(text, torch.ones(2, LENGTH, dtype=torch.long), "input_ids")
    vision_model = export(vision, torch.zeros(2, 3, IMAGE, IMAGE), "pixel_values")
    if args.real_weights:
        write_folder(args.real_weights, text_model, vision_model)
        print(f"real weights: {args.real_weights}")
    text_shape, r1 = constant_weights(text_model)
    vision_shape, r2 = constant_weights(vision_model)
    write_folder(args.out, text_shape, vision_shape)
    text_ref, vision_ref = analytic_macs()
    kb = lambda n: (args.out / "onnx" / n).stat().st_size // 1024
    card = CARD.format(text_kb=kb("text_model.onnx"), vision_kb=kb("vision_model.onnx"), replaced=r1 + r2,
                       text_macs=text_macs / 1e9, vision_macs=vision_macs / 1e9,
                       text_ref=text_ref / 1e9, vision_ref=vision_ref / 1e9)
    (args.out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(card)


if __name__ == "__main__":
    main()
