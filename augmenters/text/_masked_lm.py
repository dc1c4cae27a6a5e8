"""Fill-mask with any masked LM, choosing words with OUR generator (top-k over the model's logits).

Candidates are whole words only: never special tokens, subword pieces (`##ing`),
punctuation, or the word being replaced. Each masked position is its own row in one
batched forward pass, with a window of context around it.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..models import cache, load_model, require
from ._tokens import is_word, tokenize

CONTEXT_TOKENS = 96  # tokens (words, spaces, punctuation) kept on each side of a mask
_BATCH = 32


def _whole_word(token: str, text: str) -> bool:
    if token.startswith("##"):  # WordPiece continuation
        return False
    return bool(text) and is_word(text) and tokenize(text) == [text]


def vocabulary(model_ref: str, quantize: bool) -> tuple[np.ndarray, list[str]]:
    """(allowed mask over the vocab, the word each id stands for); computed once per model."""
    tokenizer, _, _ = load_model(model_ref, "masked_lm", quantize=quantize)

    def build() -> tuple[np.ndarray, list[str]]:
        size = len(tokenizer)
        special = set(tokenizer.all_special_ids)
        tokens = tokenizer.convert_ids_to_tokens(list(range(size)))
        texts = [tokenizer.convert_tokens_to_string([t]).strip() if t is not None else "" for t in tokens]
        allowed = np.array(
            [i not in special and t is not None and _whole_word(t, w) for i, (t, w) in enumerate(zip(tokens, texts))]
        )
        return allowed, texts

    return cache.get((str(require(model_ref).resolve()), "fill_mask_vocabulary"), build)


def masked_context(tokens: Sequence[str], start: int, stop: int, mask: str) -> str:
    """The text with tokens[start:stop] replaced by `mask`, cut to a window around it."""
    left = tokens[max(0, start - CONTEXT_TOKENS) : start]
    right = tokens[stop : stop + CONTEXT_TOKENS]
    return "".join(left) + mask + "".join(right)


def mask_logits(model_ref: str, texts: Sequence[str], quantize: bool) -> list[np.ndarray | None]:
    """Logits at the (single) mask of each text; None where truncation cut the mask off."""
    import torch

    tokenizer, model, device = load_model(model_ref, "masked_lm", quantize=quantize)
    out: list[np.ndarray | None] = []
    for start in range(0, len(texts), _BATCH):
        chunk = list(texts[start : start + _BATCH])
        batch = tokenizer(chunk, return_tensors="pt", padding=True, truncation=True).to(device)
        with torch.inference_mode():
            logits = model(**batch).logits
        for row, ids in enumerate(batch["input_ids"]):
            where = (ids == tokenizer.mask_token_id).nonzero()
            out.append(logits[row, int(where[0, 0])].float().cpu().numpy() if len(where) else None)
    return out


def choose(
    logits: np.ndarray | None,
    vocab: tuple[np.ndarray, list[str]],
    avoid: str,
    top_k: int,
    temperature: float,
    rng: np.random.Generator,
) -> str | None:
    """Sample one whole word among the top-k allowed candidates; None when there is none."""
    if logits is None:
        return None
    allowed, words = vocab
    scores = np.where(allowed[: len(logits)], logits[: len(allowed)], -np.inf)
    order = np.argsort(-scores, kind="stable")
    avoid = avoid.lower()
    picked: list[int] = []
    for i in order:
        if not np.isfinite(scores[i]) or len(picked) == top_k:
            break
        if words[i].lower() != avoid and words[i] not in (words[j] for j in picked):
            picked.append(int(i))
    if not picked:
        return None
    z = scores[picked].astype(np.float64) / temperature
    probs = np.exp(z - z.max())
    return words[picked[int(rng.choice(len(picked), p=probs / probs.sum()))]]


def match_case(original: str, new: str) -> str:
    """Carry the original word's case over (uncased models answer in lower case)."""
    if original.isupper() and len(original) > 1:
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new
