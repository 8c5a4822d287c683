#!/usr/bin/python3
"""Small synthetic exports of the CLIP family, laid out exactly as the real ones are, with goldens made outside Java.

Writes src/test/resources/families/<name>/ for
  siglip-tiny       Hugging Face split export of SigLIP (Xenova / transformers.js layout), SentencePiece Unigram
                    tokenizer, a combined onnx/model.onnx that holds logit_scale and logit_bias
  siglip2-tiny      the same layout for SigLIP 2: Gemma-style SentencePiece BPE with byte fallback, pad <pad> = 0,
                    its two numbers in clip_hybrid.json
  immich-clip-tiny  OpenCLIP as Immich exports it: batch-of-one graphs, int32 `text`, the real CLIP tokenizer (the test
                    copies it from ../shared, it is too big to commit)
  immich-mclip-tiny Immich's multilingual CLIP: `input_ids` + `attention_mask` int32, an XLM-RoBERTa-style tokenizer
  immich-nllb-tiny  NLLB-SigLIP as Immich exports it: int32 `text`, an NLLB-style tokenizer whose FLORES-200 language
                    codes are added tokens and whose template puts the source language first, a tower that pools that
                    first position (open_clip's cls_pooler), so the language changes every vector
and families/images/ with the pictures the goldens are of.

SigLIP's Unigram tokenizer is trained on the Flickr8k test captions (../shared, read here, not copied), the others on
a word list of this script's own. The weights are random; the layouts, input and output names, shapes, dtypes, tokenizers and preprocessing are the
families' own. Goldens:
  token ids       the family's Python tokenizer logic over the sentencepiece library (SigLIP's canonicalize, XLM-R's
                  fairseq offset, Gemma's <bos>), checked against tokenizers.js reading our tokenizer.json when node and
                  @huggingface/tokenizers are found (npm install @huggingface/tokenizers into $TOKENIZERS_JS)
  pixel values    PIL resampling as transformers' SiglipImageProcessor does it (straight resize), and as Immich's
                  transforms do it (resize the shortest side, centre crop)
  embeddings      the torch modules themselves, not the exported graphs
  zero-shot       sigmoid(exp(logit_scale) * cos + logit_bias) per label, in numpy

Needs Debian's python3-torch, python3-onnx, python3-sentencepiece, python3-pil and numpy. Deterministic: run it again and
the files come out the same, except ONNX's producer strings if torch changes.
"""

import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import sentencepiece as spm
import torch
import torch.nn as nn
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1] / "resources" / "families"
SHARED = Path(__file__).resolve().parents[4] / "shared"
CLIP_TOKENIZER = SHARED / "models" / "clip-vit-base-patch32-tokenizer"
CAPTIONS = SHARED / "datasets" / "flickr8k-test1000-224" / "captions.tsv"
SPIECE = "\u2581"

TEXTS = [
    "A photo of a DOG, running on the beach!",
    "Zürich at night",
    "two  people   walking\ta brown dog.",
    "vorquazil harbour",
    "a red car 日本",
    " ".join(["a long caption about a little girl in a pink dress climbing the stairs of a wooden house"] * 4),
]
LABELS = ["a dog", "a red car", "the sea at night"]
# (text, FLORES-200 code) pairs for the NLLB fixture, beside TEXTS in its default language
LANGUAGE_TEXTS = [("ein Hund am Strand", "deu_Latn"), ("un chien sur la plage", "fra_Latn"),
                  ("a red car 日本", "jpn_Jpan"), ("A photo of a DOG, running on the beach!", "eng_Latn")]
FLORES = ["eng_Latn", "deu_Latn", "fra_Latn", "spa_Latn", "jpn_Jpan", "zho_Hans", "rus_Cyrl", "arb_Arab"]

CORPUS_WORDS = (
    "a an the of on in at with and to is are two three people man woman girl boy dog dogs cat car red blue green "
    "black white brown pink small little big running walking climbing sitting standing playing beach sea water night "
    "day city street house wooden stairs dress grass snow mountain harbour photo picture caption about long zürich "
    "über café naïve lake view window through reveals ball field park tree trees children child jumping over"
).split()


def corpus(path: Path, seed: int):
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as f:
        for _ in range(3000):
            n = int(rng.integers(3, 12))
            f.write(" ".join(rng.choice(CORPUS_WORDS, n)) + "\n")


def caption_corpus(path: Path):
    """The Flickr8k test captions from ../shared, canonicalised as SigLIP reads text: what its tokenizer is trained on. Only
    the 300-piece vocabulary this yields goes into the fixture, never the captions."""
    with CAPTIONS.open(encoding="utf-8") as f, path.open("w", encoding="utf-8") as out:
        next(f)
        for line in f:
            out.write(canonicalize(line.rstrip("\n").split("\t")[2]) + "\n")


def train_spm(prefix: Path, seed: int, captions=False, **options):
    text = prefix.with_suffix(".txt")
    if captions:
        caption_corpus(text)
    else:
        corpus(text, seed)
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(prefix),
        normalization_rule_name="identity",
        character_coverage=1.0,
        num_threads=1,
        shuffle_input_sentence=False,
        minloglevel=2,
        hard_vocab_limit=False,
        **options,
    )
    return spm.SentencePieceProcessor(model_file=str(prefix) + ".model")


# ---------------------------------------------------------------- tokenizers


def canonicalize(text: str) -> str:
    """transformers' SiglipTokenizer.canonicalize_text: ASCII punctuation out, whitespace collapsed, stripped, lower."""
    import string

    text = text.translate(str.maketrans("", "", string.punctuation))
    return " ".join(text.split()).strip().lower()


def added(id_, content, special=True):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": special}


def unigram_json(sp, unk_id, pieces, added_tokens, template, specials):
    """A tokenizer.json for a SentencePiece Unigram model, as transformers' converters write one."""
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens,
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": SPIECE, "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": template,
            "pair": template + [{"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [i], "tokens": [t]} for t, i in specials.items()},
        },
        "decoder": {"type": "Metaspace", "replacement": SPIECE, "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": unk_id, "vocab": pieces, "byte_fallback": False},
    }


def siglip_tokenizer(out: Path, work: Path):
    """SigLIP: T5-style ids (<pad> 0, </s> 1, <unk> 2), a dummy prefix, </s> at the end, padded with </s> to 64."""
    sp = train_spm(work / "siglip", 1, captions=True, model_type="unigram", vocab_size=300, pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
                   add_dummy_prefix=True, remove_extra_whitespaces=True)
    pieces = [[sp.id_to_piece(i), 0.0 if sp.is_control(i) or sp.is_unknown(i) else sp.get_score(i)]
              for i in range(sp.get_piece_size())]
    template = [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}]
    tok = unigram_json(sp, 2, pieces, [added(0, "<pad>"), added(1, "</s>"), added(2, "<unk>")], template, {"</s>": 1})
    write_json(out / "tokenizer.json", tok)
    write_json(out / "tokenizer_config.json", {"tokenizer_class": "SiglipTokenizer", "model_max_length": 64,
                                               "do_lower_case": True, "pad_token": "</s>", "eos_token": "</s>",
                                               "unk_token": "<unk>"})
    write_json(out / "special_tokens_map.json", {"eos_token": "</s>", "pad_token": "</s>", "unk_token": "<unk>"})

    def encode(text):
        ids = sp.encode(canonicalize(text))[:63] + [1]
        return ids + [1] * (64 - len(ids)), None, len(ids)

    return encode, sp.get_piece_size()


def bpe_merges(vocab: dict, scores: dict):
    """Merges for a SentencePiece BPE vocabulary: every split of a piece into two pieces, best scored piece first."""
    merges = []
    for piece, score in scores.items():
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in vocab and right in vocab:
                merges.append((score, vocab[left], vocab[right], left, right))
    merges.sort(key=lambda m: (-m[0], m[1], m[2]))
    return [m[3] + " " + m[4] for m in merges]


def siglip2_tokenizer(out: Path, work: Path):
    """SigLIP 2's Gemma tokenizer: BPE, byte fallback, <pad> 0 <eos> 1 <bos> 2 <unk> 3, <bos> first, padded with <pad>."""
    sp = train_spm(work / "gemma", 2, model_type="bpe", vocab_size=400, pad_id=0, eos_id=1, bos_id=2, unk_id=3,
                   byte_fallback=True, add_dummy_prefix=False, remove_extra_whitespaces=False,
                   split_by_whitespace=True, allow_whitespace_only_pieces=True)
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    scores = {sp.id_to_piece(i): sp.get_score(i) for i in range(sp.get_piece_size())
              if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i))}
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(0, "<pad>"), added(1, "<eos>"), added(2, "<bos>"), added(3, "<unk>")],
        "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": SPIECE},
        "pre_tokenizer": None,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<bos>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<bos>": {"id": "<bos>", "ids": [2], "tokens": ["<bos>"]}},
        },
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": SPIECE}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": bpe_merges(vocab, scores)},
    }
    write_json(out / "tokenizer.json", tok)
    write_json(out / "tokenizer_config.json", {"tokenizer_class": "GemmaTokenizer", "model_max_length": 64,
                                               "padding_side": "right", "add_bos_token": True,
                                               "add_eos_token": False, "pad_token": "<pad>", "bos_token": "<bos>",
                                               "eos_token": "<eos>", "unk_token": "<unk>"})

    def encode(text):
        ids = ([2] + sp.encode(canonicalize(text)))[:64]
        return ids + [0] * (64 - len(ids)), None, len(ids)

    return encode, sp.get_piece_size()


def xlmr_tokenizer(out: Path, work: Path):
    """XLM-RoBERTa: fairseq ids (<s> 0, <pad> 1, </s> 2, <unk> 3, then SentencePiece's pieces one up, <mask> last)."""
    sp = train_spm(work / "xlmr", 3, model_type="unigram", vocab_size=300, unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
                   add_dummy_prefix=True, remove_extra_whitespaces=True)
    pieces = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]
    pieces += [[sp.id_to_piece(i), sp.get_score(i)] for i in range(3, sp.get_piece_size())]
    mask = len(pieces)
    pieces.append(["<mask>", 0.0])
    template = [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}}]
    tok = unigram_json(sp, 3, pieces, [added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>"),
                                       added(mask, "<mask>")], template, {"<s>": 0, "</s>": 2})
    write_json(out / "textual" / "tokenizer.json", tok)
    write_json(out / "textual" / "tokenizer_config.json", {"tokenizer_class": "XLMRobertaTokenizer",
                                                           "model_max_length": 512, "bos_token": "<s>",
                                                           "eos_token": "</s>", "pad_token": "<pad>",
                                                           "unk_token": "<unk>", "mask_token": "<mask>"})
    write_json(out / "textual" / "special_tokens_map.json", {"bos_token": "<s>", "eos_token": "</s>",
                                                             "pad_token": "<pad>", "unk_token": "<unk>",
                                                             "mask_token": "<mask>"})

    def encode(text):
        # Immich's multilingual textual model: the text as given (clean_text collapses whitespace), 77 ids, pad <pad>
        body = [i + 1 if i >= 3 else 3 for i in sp.encode(" ".join(text.split()))]
        ids = [0] + body[:75] + [2]
        mask_ = [1] * len(ids) + [0] * (77 - len(ids))
        return ids + [1] * (77 - len(ids)), mask_, len(ids)

    return encode, len(pieces)


def nllb_tokenizer(out: Path, work: Path):
    """NLLB-200: fairseq ids as XLM-R's, then one added token per FLORES-200 code, then <mask>. transformers' template
    (not the legacy one) puts the source language first, [eng_Latn] text </s>; open_clip's HFTokenizer.set_language
    (set_src_lang_special_tokens) swaps that first token for the language asked for."""
    sp = train_spm(work / "nllb", 4, model_type="unigram", vocab_size=300, unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
                   add_dummy_prefix=True, remove_extra_whitespaces=True)
    pieces = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]
    pieces += [[sp.id_to_piece(i), sp.get_score(i)] for i in range(3, sp.get_piece_size())]
    codes = {code: len(pieces) + k for k, code in enumerate(FLORES)}
    pieces += [[code, 0.0] for code in FLORES]
    mask = len(pieces)
    pieces.append(["<mask>", 0.0])
    template = [{"SpecialToken": {"id": "eng_Latn", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}}]
    tokens = [added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>")]
    tokens += [added(i, code) for code, i in codes.items()] + [added(mask, "<mask>")]
    write_json(out / "textual" / "tokenizer.json",
               unigram_json(sp, 3, pieces, tokens, template, {"eng_Latn": codes["eng_Latn"], "</s>": 2}))
    write_json(out / "textual" / "tokenizer_config.json", {"tokenizer_class": "NllbTokenizer", "src_lang": "eng_Latn",
                                                           "tgt_lang": None, "legacy_behaviour": False,
                                                           "model_max_length": 1024, "bos_token": "<s>",
                                                           "eos_token": "</s>", "pad_token": "<pad>",
                                                           "unk_token": "<unk>", "mask_token": "<mask>",
                                                           "additional_special_tokens": FLORES})
    write_json(out / "textual" / "special_tokens_map.json", {"bos_token": "<s>", "eos_token": "</s>",
                                                             "pad_token": "<pad>", "unk_token": "<unk>",
                                                             "mask_token": "<mask>",
                                                             "additional_special_tokens": FLORES})

    def encode(text, language=None):
        body = [i + 1 if i >= 3 else 3 for i in sp.encode(" ".join(text.split()))]
        ids = [codes[language or "eng_Latn"]] + body[:75] + [2]
        return ids + [1] * (77 - len(ids)), None, len(ids)

    return encode, len(pieces)


def clip_tokenizer(out: Path):
    """The real CLIP BPE through tokenizers.js; Immich pads every text with <|endoftext|> to 77."""
    write_json(out / "textual" / "tokenizer_config.json", {"tokenizer_class": "CLIPTokenizer", "model_max_length": 77,
                                                           "pad_token": "<|endoftext|>",
                                                           "bos_token": "<|startoftext|>",
                                                           "eos_token": "<|endoftext|>",
                                                           "unk_token": "<|endoftext|>"})
    ids = js_tokenize(CLIP_TOKENIZER / "tokenizer.json", CLIP_TOKENIZER / "tokenizer_config.json", [
        " ".join(t.split()) for t in TEXTS])
    if ids is None:
        sys.exit("immich-clip-tiny needs tokenizers.js for the real CLIP tokenizer's ids: set TOKENIZERS_JS")
    table = {}
    for text, one in zip(TEXTS, ids):
        one = one[:76] + [49407] if len(one) > 77 else one
        table[text] = one + [49407] * (77 - len(one))
    return lambda text: (table[text], None, 77)


def js_tokenize(tokenizer_json: Path, tokenizer_config: Path, texts):
    """tokenizers.js, an independent implementation of tokenizer.json, or None when it is not installed."""
    where = os.environ.get("TOKENIZERS_JS", "/tmp/tjs")
    if shutil.which("node") is None or not (Path(where) / "node_modules/@huggingface/tokenizers").is_dir():
        return None
    script = """
const { Tokenizer } = require('@huggingface/tokenizers');
const fs = require('fs');
const [tj, tc, texts] = JSON.parse(fs.readFileSync(0, 'utf8'));
const t = new Tokenizer(JSON.parse(fs.readFileSync(tj)), JSON.parse(fs.readFileSync(tc)));
console.log(JSON.stringify(texts.map(x => t.encode(x).ids)));
"""
    result = subprocess.run(["node", "-e", script], input=json.dumps([str(tokenizer_json), str(tokenizer_config), texts]),
                            capture_output=True, text=True, cwd=where, check=True)
    return json.loads(result.stdout)


# ---------------------------------------------------------------- towers


class Attention(nn.Module):
    def __init__(self, d, heads, causal):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, key_mask=None):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        if self.causal:
            scores = scores + torch.triu(torch.full((n, n), -1e4), diagonal=1)
        if key_mask is not None:
            scores = scores + (1.0 - key_mask[:, None, None, :].float()) * -1e4
        return self.out((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, d, heads=2, causal=False):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = Attention(d, heads, causal)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x, key_mask=None):
        x = x + self.attn(self.ln1(x), key_mask)
        return x + self.mlp(self.ln2(x))


class SiglipText(nn.Module):
    """SigLIP's text tower: no attention mask; it pools the last position, so every text is padded to the length."""

    def __init__(self, vocab, d, length, dim):
        super().__init__()
        self.tokens, self.positions = nn.Embedding(vocab, d), nn.Parameter(torch.randn(length, d) * 0.1)
        self.blocks = nn.ModuleList([Block(d), Block(d)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, dim)

    def forward(self, input_ids):
        x = self.tokens(input_ids) + self.positions[: input_ids.shape[1]]
        for block in self.blocks:
            x = block(x)
        x = self.ln(x)
        return x, self.head(x[:, -1, :])


class SiglipVision(nn.Module):
    def __init__(self, size, patch, d, dim):
        super().__init__()
        self.patches = nn.Conv2d(3, d, patch, patch)
        self.positions = nn.Parameter(torch.randn((size // patch) ** 2, d) * 0.1)
        self.blocks = nn.ModuleList([Block(d)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, dim)

    def forward(self, pixel_values):
        x = self.patches(pixel_values).flatten(2).transpose(1, 2) + self.positions
        for block in self.blocks:
            x = block(x)
        x = self.ln(x)
        return x, self.head(x.mean(1))


class SiglipCombined(nn.Module):
    """The combined graph of a SigLIP export, committed only for its logit_scale and logit_bias initializers."""

    def __init__(self, text, vision, logit_scale, logit_bias):
        super().__init__()
        self.text, self.vision = text, vision
        self.logit_scale = nn.Parameter(torch.tensor([logit_scale]))
        self.logit_bias = nn.Parameter(torch.tensor([logit_bias]))

    def forward(self, input_ids, pixel_values):
        t = nn.functional.normalize(self.text(input_ids)[1], dim=-1)
        i = nn.functional.normalize(self.vision(pixel_values)[1], dim=-1)
        logits = t @ i.T * self.logit_scale.exp() + self.logit_bias
        return logits.T, logits, t, i


class OpenClipText(nn.Module):
    """open_clip's encode_text(normalize=True) shape: causal blocks, pooled at the end token (the largest id)."""

    def __init__(self, rows, d, length, dim):
        super().__init__()
        self.rows = rows
        self.tokens, self.positions = nn.Embedding(rows, d), nn.Parameter(torch.randn(length, d) * 0.1)
        self.blocks = nn.ModuleList([Block(d, causal=True)])
        self.ln = nn.LayerNorm(d)
        self.proj = nn.Linear(d, dim, bias=False)

    def forward(self, text):
        ids = text.long()
        # a folded embedding table keeps the fixture small; CLIP's vocabulary has 49,408 rows
        x = self.tokens(torch.remainder(ids, self.rows)) + self.positions
        for block in self.blocks:
            x = block(x)
        x = self.ln(x)
        pooled = x[torch.arange(x.shape[0]), ids.argmax(dim=-1)]
        return nn.functional.normalize(self.proj(pooled), dim=-1)


class MultilingualText(nn.Module):
    """Immich's M-CLIP textual model: a bidirectional encoder, attention-masked mean pooling, a linear map, L2 norm."""

    def __init__(self, vocab, d, length, dim):
        super().__init__()
        self.tokens, self.positions = nn.Embedding(vocab, d), nn.Parameter(torch.randn(length, d) * 0.1)
        self.blocks = nn.ModuleList([Block(d)])
        self.proj = nn.Linear(d, dim)

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.long()
        x = self.tokens(input_ids.long()) + self.positions
        for block in self.blocks:
            x = block(x, mask)
        m = mask.unsqueeze(-1).float()
        pooled = (x * m).sum(1) / m.sum(1)
        return nn.functional.normalize(self.proj(pooled), dim=-1)


class NllbText(nn.Module):
    """open_clip's HFTextEncoder over NLLB as Immich exports it: only `text`, the mask where it is not <pad> (1), a
    bidirectional encoder, the first position pooled (cls_pooler: the language token's), a linear map, L2 norm."""

    def __init__(self, vocab, d, length, dim):
        super().__init__()
        self.tokens, self.positions = nn.Embedding(vocab, d), nn.Parameter(torch.randn(length, d) * 0.1)
        self.blocks = nn.ModuleList([Block(d)])
        self.proj = nn.Linear(d, dim)

    def forward(self, text):
        ids = text.long()
        mask = (ids != 1).long()
        x = self.tokens(ids) + self.positions
        for block in self.blocks:
            x = block(x, mask)
        return nn.functional.normalize(self.proj(x[:, 0]), dim=-1)


class OpenClipVision(nn.Module):
    def __init__(self, size, patch, d, dim):
        super().__init__()
        self.inner = SiglipVision(size, patch, d, dim)

    def forward(self, image):
        return nn.functional.normalize(self.inner(image)[1], dim=-1)


def export(module, args, path: Path, inputs, outputs, dynamic=True, folding=True):
    path.parent.mkdir(parents=True, exist_ok=True)
    axes = None
    if dynamic:
        axes = {name: {0: "batch_size", 1: "sequence_length"} if name == "input_ids" else {0: "batch_size"}
                for name in inputs}
        axes.update({name: {0: "batch_size"} for name in outputs})
    buffer = io.BytesIO()
    torch.onnx.export(module, args, buffer, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                      opset_version=17, do_constant_folding=folding)
    import onnx

    model = onnx.load_from_string(buffer.getvalue())
    model.producer_name, model.producer_version = "clip-hybrid-search fixtures", "1"
    onnx.checker.check_model(model)
    path.write_bytes(model.SerializeToString())
    return model


# ---------------------------------------------------------------- images


def images():
    """Pictures drawn here, in the formats and shapes the decoders meet: a wide PNG, a tall PNG, a JPEG."""
    out = ROOT / "images"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    wide = np.zeros((64, 96, 3), np.uint8)
    wide[..., 0] = np.linspace(0, 255, 96)[None, :]
    wide[..., 1] = np.linspace(255, 0, 64)[:, None]
    wide[..., 2] = 90
    img = Image.fromarray(wide)
    draw = ImageDraw.Draw(img)
    draw.ellipse((20, 10, 60, 50), fill=(250, 240, 20))
    draw.rectangle((65, 30, 90, 60), fill=(10, 20, 200))
    img.save(out / "wide.png")
    tall = (rng.random((80, 45, 3)) * 255).astype(np.uint8)
    tall[20:60, 10:35] = (200, 30, 40)
    Image.fromarray(tall).save(out / "tall.png")
    photo = np.clip(np.add.outer(np.arange(75), np.arange(100))[..., None] * [1.2, 0.8, 0.5] +
                    rng.normal(0, 12, (75, 100, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(photo).save(out / "photo.jpg", quality=92, subsampling=0)
    return ["wide.png", "tall.png", "photo.jpg"]


def rgb(name):
    with Image.open(ROOT / "images" / name) as img:
        img.load()
        return img.convert("RGB")


def siglip_pixels(name, size, resample):
    """transformers' SiglipImageProcessor: straight resize to size x size, rescale 1/255, mean = std = 0.5."""
    img = rgb(name).resize((size, size), resample=resample)
    x = np.asarray(img, dtype=np.float32) / 255.0
    return ((x - 0.5) / 0.5).transpose(2, 0, 1)


def immich_pixels(name, size, mean, std):
    """Immich's transforms: resize the shortest side to size (bicubic), centre crop, to [0, 1], normalise."""
    img = rgb(name)
    if img.width < img.height:
        img = img.resize((size, int((img.height / img.width) * size)), resample=Image.BICUBIC)
    else:
        img = img.resize((int((img.width / img.height) * size), size), resample=Image.BICUBIC)
    left, upper = int(img.size[0] / 2 - size / 2), int(img.size[1] / 2 - size / 2)
    img = img.crop((left, upper, left + size, upper + size))
    x = np.asarray(img, dtype=np.float32) / 255.0
    return ((x - np.array(mean, np.float32)) / np.array(std, np.float32)).transpose(2, 0, 1)


# ---------------------------------------------------------------- goldens


def rounded(values):
    return [float("%.7g" % v) for v in np.asarray(values, dtype=np.float64).ravel()]


def unit(v):
    v = np.asarray(v, np.float64)
    return v / np.linalg.norm(v)


def golden(out, dimension, encode, text_fn, image_fn, pictures, pixel_fn, score=None, languages=()):
    texts = []
    for text, language in [(t, None) for t in TEXTS] + list(languages):
        ids, mask, _ = encode(text, language) if language else encode(text)
        entry = {"text": text, "input_ids": ids}
        if language:
            entry["language"] = language
        if mask is not None:
            entry["attention_mask"] = mask
        entry["embedding"] = rounded(unit(text_fn(ids, mask)))
        texts.append(entry)
    shots = []
    entries = []
    for name in pictures:
        pixels = pixel_fn(name)
        vector = unit(image_fn(pixels))
        entries.append({"file": "../images/" + name, "pixel_values": rounded(pixels), "embedding": rounded(vector)})
        if score is not None:
            labels = np.stack([unit(text_fn(*encode(label)[:2])) for label in LABELS])
            cos = labels @ vector
            p = 1 / (1 + np.exp(-(math.exp(score[0]) * cos + score[1])))
            shots.append({"file": "../images/" + name, "labels": LABELS, "probabilities": rounded(p)})
    data = {"dimension": dimension, "texts": texts, "images": entries}
    if shots:
        data["zero_shot"] = shots
    write_json(out / "golden.json", data, indent=None)


def siglip_goldens(out, dimension, encode, text, vision, pictures, size, resample, score):
    """A SigLIP split export's preprocessor_config.json (PIL's resample code) and its goldens."""
    write_json(out / "preprocessor_config.json", {"image_processor_type": "SiglipImageProcessor", "do_resize": True,
                                                  "size": {"height": size, "width": size}, "resample": int(resample),
                                                  "do_rescale": True, "rescale_factor": 1 / 255,
                                                  "do_normalize": True, "image_mean": [0.5, 0.5, 0.5],
                                                  "image_std": [0.5, 0.5, 0.5], "processor_class": "SiglipProcessor"})
    golden(out, dimension, encode,
           lambda ids, m: numpy_out(text, torch.tensor([ids]))[1][0].numpy(),
           lambda px: numpy_out(vision, torch.tensor(px[None]))[1][0].numpy(),
           pictures, lambda n: siglip_pixels(n, size, resample), score)


def write_json(path: Path, value, indent=1):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def check_with_js(name, tokenizer_dir, encode, cleaning):
    ids = js_tokenize(tokenizer_dir / "tokenizer.json", tokenizer_dir / "tokenizer_config.json",
                      [cleaning(t) for t in TEXTS])
    if ids is None:
        print(f"{name}: tokenizers.js not found, tokenizer.json not cross-checked")
        return
    for text, js in zip(TEXTS, ids):
        ours, _, real = encode(text)
        # a truncated text keeps its end token; tokenizer.json here does not truncate, so compare what comes before it
        same = js == ours[:real] if len(js) <= real else js[: real - 1] == ours[: real - 1]
        if not same:
            sys.exit(f"{name}: tokenizer.json reads [{text}] as {js}, the Python tokenizer as {ours[:real]}")
    print(f"{name}: tokenizers.js reads tokenizer.json as the Python tokenizer does")


def numpy_out(module, *args):
    with torch.no_grad():
        return module(*args)


def main():
    torch.manual_seed(0)
    pictures = images()
    work = Path(tempfile.mkdtemp())

    # SigLIP: 48 px, patch 16, bicubic, 64 ids, 24-d
    out = ROOT / "siglip-tiny"
    shutil.rmtree(out, ignore_errors=True)
    encode, vocab = siglip_tokenizer(out, work)
    text, vision = SiglipText(vocab, 32, 64, 24).eval(), SiglipVision(48, 16, 32, 24).eval()
    export(text, (torch.ones(2, 64, dtype=torch.long),), out / "onnx" / "text_model.onnx", ["input_ids"],
           ["last_hidden_state", "pooler_output"])
    export(vision, (torch.zeros(2, 3, 48, 48),), out / "onnx" / "vision_model.onnx", ["pixel_values"],
           ["last_hidden_state", "pooler_output"])
    logit_scale, logit_bias = math.log(60.0), -3.0
    combined = export(SiglipCombined(text, vision, logit_scale, logit_bias).eval(),
                      (torch.ones(2, 64, dtype=torch.long), torch.zeros(2, 3, 48, 48)), out / "onnx" / "model.onnx",
                      ["input_ids", "pixel_values"], ["logits_per_image", "logits_per_text", "text_embeds",
                                                      "image_embeds"], folding=False)
    names = {i.name for i in combined.graph.initializer}
    assert {"logit_scale", "logit_bias"} <= names, names
    write_json(out / "config.json", {"model_type": "siglip", "architectures": ["SiglipModel"],
                                     "text_config": {"model_type": "siglip_text_model", "vocab_size": vocab,
                                                     "hidden_size": 32, "max_position_embeddings": 64,
                                                     "projection_size": 24},
                                     "vision_config": {"model_type": "siglip_vision_model", "image_size": 48,
                                                       "patch_size": 16, "hidden_size": 32}})
    siglip_goldens(out, 24, encode, text, vision, pictures, 48, Image.BICUBIC, (logit_scale, logit_bias))
    check_with_js("siglip-tiny", out, encode, canonicalize)

    # SigLIP 2: 32 px, patch 8, bilinear, Gemma-style ids, its numbers in clip_hybrid.json
    out = ROOT / "siglip2-tiny"
    shutil.rmtree(out, ignore_errors=True)
    encode, vocab = siglip2_tokenizer(out, work)
    text, vision = SiglipText(vocab, 32, 64, 16).eval(), SiglipVision(32, 8, 32, 16).eval()
    export(text, (torch.ones(2, 64, dtype=torch.long),), out / "onnx" / "text_model.onnx", ["input_ids"],
           ["last_hidden_state", "pooler_output"])
    export(vision, (torch.zeros(2, 3, 32, 32),), out / "onnx" / "vision_model.onnx", ["pixel_values"],
           ["last_hidden_state", "pooler_output"])
    logit_scale, logit_bias = math.log(40.0), -1.0
    write_json(out / "clip_hybrid.json", {"logit_scale": logit_scale, "logit_bias": logit_bias})
    write_json(out / "config.json", {"model_type": "siglip", "architectures": ["SiglipModel"],
                                     "text_config": {"model_type": "siglip_text_model", "vocab_size": vocab},
                                     "vision_config": {"model_type": "siglip_vision_model", "image_size": 32}})
    siglip_goldens(out, 16, encode, text, vision, pictures, 32, Image.BILINEAR, (logit_scale, logit_bias))
    check_with_js("siglip2-tiny", out, encode, canonicalize)

    clip_mean, clip_std = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]
    preprocess = {"size": [40, 40], "mode": "RGB", "mean": clip_mean, "std": clip_std, "interpolation": "bicubic",
                  "resize_mode": "shortest", "fill_color": 0}

    # Immich's OpenCLIP CLIP: batch of one, int32 text [1, 77], the real CLIP tokenizer
    out = ROOT / "immich-clip-tiny"
    shutil.rmtree(out, ignore_errors=True)
    encode = clip_tokenizer(out)
    text, vision = OpenClipText(512, 32, 77, 20).eval(), OpenClipVision(40, 8, 32, 20).eval()
    export(text, (torch.ones(1, 77, dtype=torch.int32),), out / "textual" / "model.onnx", ["text"], ["embedding"],
           dynamic=False)
    export(vision, (torch.zeros(1, 3, 40, 40),), out / "visual" / "model.onnx", ["image"], ["embedding"],
           dynamic=False)
    write_json(out / "config.json", {"embed_dim": 20, "vision_cfg": {"image_size": 40, "layers": 1, "width": 32,
                                                                      "patch_size": 8},
                                     "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32,
                                                  "heads": 2, "layers": 1}})
    write_json(out / "visual" / "preprocess_cfg.json", preprocess)
    golden(out, 20, encode,
           lambda ids, m: numpy_out(text, torch.tensor([ids], dtype=torch.int32))[0].numpy(),
           lambda px: numpy_out(vision, torch.tensor(px[None]))[0].numpy(),
           pictures, lambda n: immich_pixels(n, 40, clip_mean, clip_std))

    # Immich's multilingual CLIP: input_ids + attention_mask int32 [1, 77], XLM-RoBERTa ids
    out = ROOT / "immich-mclip-tiny"
    shutil.rmtree(out, ignore_errors=True)
    encode, vocab = xlmr_tokenizer(out, work)
    text, vision = MultilingualText(vocab, 32, 77, 20).eval(), OpenClipVision(40, 8, 32, 20).eval()
    export(text, (torch.ones(1, 77, dtype=torch.int32), torch.ones(1, 77, dtype=torch.int32)),
           out / "textual" / "model.onnx", ["input_ids", "attention_mask"], ["embedding"], dynamic=False)
    export(vision, (torch.zeros(1, 3, 40, 40),), out / "visual" / "model.onnx", ["image"], ["embedding"],
           dynamic=False)
    write_json(out / "config.json", {"embed_dim": 20, "vision_cfg": {"image_size": 40, "layers": 1, "width": 32,
                                                                      "patch_size": 8},
                                     "text_cfg": {"hf_model_name": "xlm-roberta-tiny", "hf_tokenizer_name":
                                                  "xlm-roberta-tiny", "context_length": 77}})
    write_json(out / "visual" / "preprocess_cfg.json", preprocess)
    golden(out, 20, encode,
           lambda ids, m: numpy_out(text, torch.tensor([ids], dtype=torch.int32),
                                    torch.tensor([m], dtype=torch.int32))[0].numpy(),
           lambda px: numpy_out(vision, torch.tensor(px[None]))[0].numpy(),
           pictures, lambda n: immich_pixels(n, 40, clip_mean, clip_std))
    check_with_js("immich-mclip-tiny", out / "textual", encode, lambda t: " ".join(t.split()))

    # NLLB-SigLIP as Immich exports it: int32 text [1, 77] alone, FLORES-200 codes, the first position pooled
    out = ROOT / "immich-nllb-tiny"
    shutil.rmtree(out, ignore_errors=True)
    encode, vocab = nllb_tokenizer(out, work)
    text, vision = NllbText(vocab, 32, 77, 20).eval(), OpenClipVision(40, 8, 32, 20).eval()
    export(text, (torch.ones(1, 77, dtype=torch.int32),), out / "textual" / "model.onnx", ["text"], ["embedding"],
           dynamic=False)
    export(vision, (torch.zeros(1, 3, 40, 40),), out / "visual" / "model.onnx", ["image"], ["embedding"],
           dynamic=False)
    # nllb-clip-base-siglip's own text_cfg (no context_length: open_clip's 77), as in ../shared's open_clip configs
    write_json(out / "config.json", {"embed_dim": 20, "custom_text": True, "init_logit_bias": -10,
                                     "vision_cfg": {"image_size": 40, "layers": 1, "width": 32, "patch_size": 8},
                                     "text_cfg": {"hf_model_name": "facebook/nllb-200-distilled-600M",
                                                  "hf_tokenizer_name": "facebook/nllb-200-distilled-600M",
                                                  "hf_proj_type": "linear", "hf_pooler_type": "cls_pooler"}})
    write_json(out / "visual" / "preprocess_cfg.json", preprocess)
    golden(out, 20, encode,
           lambda ids, m: numpy_out(text, torch.tensor([ids], dtype=torch.int32))[0].numpy(),
           lambda px: numpy_out(vision, torch.tensor(px[None]))[0].numpy(),
           pictures, lambda n: immich_pixels(n, 40, clip_mean, clip_std), languages=LANGUAGE_TEXTS)
    check_with_js("immich-nllb-tiny", out / "textual", encode, lambda t: " ".join(t.split()))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
