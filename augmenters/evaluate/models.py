"""The small models both arms train: a CPU CNN from scratch (images), TF-IDF + logistic regression (text).

Determinism: every random draw (initial weights, batch order) comes from a `torch.Generator`
seeded from (run seed, stream), never torch's global RNG; the weights are created on the
`meta` device so building the net draws nothing either. Training runs on a fixed number of
threads. On one machine and torch build the numbers are then bit-exact; across CPUs, oneDNN's
convolution kernels pick instruction-set-specific code whose sums round differently in the last
bits, which can flip a borderline prediction. The text model is convex and deterministic.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

IMAGE_SIZE = 32  # every image is squeezed to this square: enough for a small CNN, cheap on a CPU
BATCH = 32
LEARNING_RATE = 2e-3
INIT_STREAM, ORDER_STREAM = 1, 2
Tick = Callable[[], None]


def stream_seed(seed: int, run: int, stream: int) -> int:
    return int(np.random.SeedSequence([seed, run, stream]).generate_state(1, dtype=np.uint64)[0] >> 1)


def image_features(size: int = IMAGE_SIZE) -> Callable[[np.ndarray], np.ndarray]:
    """An image (any size, L/RGB/RGBA) -> uint8 (3, size, size): what the CNN takes, small enough to keep in memory."""
    from ..loader import to_pil

    def features(image: np.ndarray) -> np.ndarray:
        from PIL import Image

        pil = to_pil(image).convert("RGB").resize((size, size), Image.Resampling.BILINEAR)
        return np.ascontiguousarray(np.asarray(pil, dtype=np.uint8).transpose(2, 0, 1))

    return features


def text_features(text: str) -> str:
    return text


@contextmanager
def fixed_threads(threads: int):
    """Training on a set number of threads (the sums' order, hence the last bits, depend on it)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def build_cnn(classes: int, size: int, generator):
    """conv-relu-pool x2, then a linear layer; weights drawn from `generator` only (He-uniform, as torch's default)."""
    import torch
    from torch import nn

    net = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, device="meta"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, device="meta"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * (size // 4) ** 2, classes, device="meta"),
    ).to_empty(device="cpu")
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
                bound = 1 / math.sqrt(layer.weight[0].numel())
                layer.bias.copy_((torch.rand(layer.bias.shape, generator=generator) * 2 - 1) * bound)
    return net


def targets(labels: Sequence[str | dict], classes: Sequence[str]) -> np.ndarray:
    """(N, C) class weights: one-hot for a class, the soft label's weights for a mixed sample."""
    index = {name: i for i, name in enumerate(classes)}
    out = np.zeros((len(labels), len(classes)), dtype=np.float32)
    for row, label in enumerate(labels):
        for name, weight in (label.items() if isinstance(label, dict) else ((label, 1.0),)):
            out[row, index[name]] += weight
    return out


def _normalised(x: np.ndarray):
    import torch

    return (torch.from_numpy(x).float() / 255.0 - 0.5) / 0.25


@dataclass
class ImageRun:
    predictions: np.ndarray
    steps: int
    final_loss: float


def train_cnn(
    x: np.ndarray, y: np.ndarray, test_x: np.ndarray, *, steps: int, seed: int, run: int, batch: int = BATCH, tick: Tick | None = None
) -> ImageRun:
    """Exactly `steps` Adam steps on batches drawn without replacement (a fresh order each pass), then predict."""
    import torch
    import torch.nn.functional as F

    init = torch.Generator().manual_seed(stream_seed(seed, run, INIT_STREAM))
    order_gen = torch.Generator().manual_seed(stream_seed(seed, run, ORDER_STREAM))
    net = build_cnn(y.shape[1], x.shape[-1], init)
    inputs, labels = _normalised(x), torch.from_numpy(y)
    batch = min(batch, len(inputs))
    optimiser = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    order, position, loss = torch.empty(0, dtype=torch.long), 0, torch.tensor(0.0)
    net.train()
    for _ in range(steps):
        if position + batch > len(order):  # a new pass; the short tail of the last one is dropped
            order, position = torch.randperm(len(inputs), generator=order_gen), 0
        chosen = order[position : position + batch]
        position += batch
        loss = F.cross_entropy(net(inputs[chosen]), labels[chosen])
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        if tick:
            tick()
    # The optimiser's own step counter: what both arms are compared on, not the loop's intent.
    taken = int(optimiser.state[next(net.parameters())]["step"]) if steps else 0
    return ImageRun(predict_cnn(net, test_x), taken, float(loss.detach()))


def predict_cnn(net, x: np.ndarray) -> np.ndarray:
    import torch

    net.eval()
    with torch.no_grad():
        return np.concatenate([net(_normalised(x[i : i + 256])).argmax(1).numpy() for i in range(0, len(x), 256)])


def time_cnn_step(classes: int, size: int = IMAGE_SIZE, batch: int = BATCH, repeats: int = 3) -> float:
    """Seconds per optimisation step here, measured on a blank batch (for the estimate)."""
    import time

    x = np.zeros((batch, 3, size, size), dtype=np.uint8)
    y = np.eye(classes, dtype=np.float32)[np.arange(batch) % classes]
    train_cnn(x, y, x[:1], steps=1, seed=0, run=0, batch=batch)  # warm-up: first calls allocate
    started = time.perf_counter()
    train_cnn(x, y, x[:1], steps=repeats, seed=0, run=0, batch=batch)
    return (time.perf_counter() - started) / repeats


@dataclass
class TextRun:
    predictions: np.ndarray
    iterations: int


def train_text(texts: Sequence[str], labels: Sequence[str], test_texts: Sequence[str], classes: Sequence[str]) -> TextRun:
    """TF-IDF (words and word pairs) + logistic regression, fitted to convergence (a convex problem)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    model = LogisticRegression(max_iter=2000)
    model.fit(vectoriser.fit_transform(texts), list(labels))
    index = {name: i for i, name in enumerate(classes)}
    predicted = model.predict(vectoriser.transform(test_texts))
    return TextRun(np.array([index[p] for p in predicted]), int(np.max(model.n_iter_)))


def stack(features: Sequence[Any]) -> np.ndarray:
    return np.stack(features) if len(features) else np.zeros((0, 3, IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
