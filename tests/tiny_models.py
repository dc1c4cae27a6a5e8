"""Tiny models built in seconds, saved with `save_pretrained`, so model ops run in CI offline.

- A MarianMT with a tiny config and SentencePiece vocabularies trained on generated text,
  laid out as MarianTokenizer expects (source.spm, target.spm, vocab.json).
- A tiny BERT masked LM with a hand-written WordPiece vocab.
- A tiny BERT sentence encoder whose vocab also holds every Hangul syllable, standing in for
  the multilingual similarity scorer.
`install_default_models(root)` lays them out under the default model ids, the way a user
fills `$AUGPLAY_MODELS_DIR`, so the ops' default settings resolve to them.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np

WORDS = (
    "the a an and or but not is are was were be been has have had do does did this that these those "
    "quick brown fox jumps over lazy dog cat care day city good bad big small red blue green house car "
    "tree river road book table window door water fire light night morning evening people child man "
    "woman friend school work time year week month data model test small large fast slow happy sad "
    "runs walks reads writes sees makes takes gives finds goes comes sleeps eats drinks sings plays "
    "it he she they we you i my your his her our their in on at to from with by for of about under"
).split()


def _corpus(n_lines: int = 400, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    lines = []
    for _ in range(n_lines):
        k = int(rng.integers(4, 12))
        words = [WORDS[int(i)] for i in rng.integers(0, len(WORDS), size=k)]
        words[0] = words[0].capitalize()
        lines.append(" ".join(words) + str(rng.choice([".", "!", "?", ","])))
    return lines


def _train_spm(corpus_file: Path, prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        input=str(corpus_file),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )


def _seeded(seed: int):
    """Model init draws from torch's global RNG: fork it so nothing outside the fixture changes."""
    import torch

    state = torch.random.fork_rng()
    state.__enter__()
    torch.manual_seed(seed)
    return state


def pivot_text(line: str) -> str:
    """The tiny pivot "language": English with every letter shifted by 13, so its pieces differ."""
    return line.translate(str.maketrans(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "nopqrstuvwxyzabcdefghijklmNOPQRSTUVWXYZABCDEFGHIJKLM"
    ))


def korean_text(line: str) -> str:
    """A tiny "Korean": every Latin letter becomes its own Hangul syllable, so its pieces are Hangul."""
    return "".join(chr(0xAC00 + 400 * (ord(c.lower()) - 97)) if c.isascii() and c.isalpha() else c for c in line)


def build_tiny_marian(
    out_dir: Path,
    seed: int = 0,
    d_model: int = 32,
    eos_bias: float = 0.0,
    target_languages: tuple[str, ...] = (),
    into_english: bool = False,
    foreign=pivot_text,
) -> Path:
    """A MarianMT (random weights) with real SentencePiece vocabularies, saved to `out_dir`.

    The source side is trained on English, the target side on `pivot_text` of it (the other way
    round with `into_english`), so the two SentencePiece models differ as in a real pair;
    `foreign=korean_text` makes the other side Hangul, as for the ko <-> en pair.
    `target_languages` (e.g. ("deu", "fra")) adds `>>deu<<`-style tokens, as multi-target
    opus-mt models have. Random weights rarely emit end-of-sentence, so sampling runs to the
    length cap; an `eos_bias` on the output layer makes sampled outputs end after ~10 tokens
    (1.3 here), while greedy decoding then stops at once. Greedy tests use an unbiased model.
    """
    import sentencepiece as spm
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / "_spm"
    work.mkdir(exist_ok=True)
    lines = _corpus(seed=seed)
    vocab = {"</s>": 0, "<unk>": 1}
    english, pivot = lines, [foreign(line) for line in lines]
    size = 230 if foreign is pivot_text else 140  # tiny "Korean" has fewer distinct pieces to learn
    sides = (("source", pivot, size), ("target", english, 250)) if into_english else (("source", english, 250), ("target", pivot, size))
    target_pieces: set[str] = set()
    for side, text, size in sides:
        corpus = work / f"{side}.txt"
        corpus.write_text("\n".join(text) + "\n", encoding="utf-8")
        _train_spm(corpus, work / side, vocab_size=size)
        shutil.copy(work / f"{side}.model", out_dir / f"{side}.spm")
        processor = spm.SentencePieceProcessor(model_file=str(work / f"{side}.model"))
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        for piece in pieces:
            vocab.setdefault(piece, len(vocab))
        if side == "target":
            target_pieces = set(pieces) - {"<unk>"}
    for code in target_languages:
        vocab.setdefault(f">>{code}<<", len(vocab))
    vocab["<pad>"] = len(vocab)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(work)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*sacremoses.*")
        tokenizer = MarianTokenizer(
            source_spm=str(out_dir / "source.spm"),
            target_spm=str(out_dir / "target.spm"),
            vocab=str(out_dir / "vocab.json"),
            source_lang="en",
            target_lang="xx",
        )
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=2 * d_model,
        decoder_ffn_dim=2 * d_model,
        max_position_embeddings=512,  # as opus-mt: max_length may go up to 512
        pad_token_id=vocab["<pad>"],
        eos_token_id=0,
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=0,
    )
    state = _seeded(seed)
    try:
        model = MarianMTModel(config).eval()
    finally:
        state.__exit__(None, None, None)
    # As a trained model would, write only target-side pieces (and end-of-sentence).
    for piece, i in vocab.items():
        if piece not in target_pieces:
            model.final_logits_bias[0, i] = -1e4
    model.final_logits_bias[0, config.eos_token_id] = eos_bias
    model.generation_config.max_length = 64
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


BERT_VOCAB = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + list(".,!?;:'\"-()")
    + WORDS
    + ["##s", "##ing", "##ed", "##ly", "##er"]
    + [str(d) for d in range(10)]
)


def _build_bert(out_dir: Path, tokens: list[str], head: str, do_lower_case: bool, seed: int) -> Path:
    """A one-layer BERT (random weights) over WordPiece `tokens`; `head` is the transformers class."""
    import transformers
    from transformers import BertConfig, BertTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    tokenizer = BertTokenizer(vocab=vocab, do_lower_case=do_lower_case)  # transformers 5 takes the mapping itself
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
    )
    state = _seeded(seed)
    try:
        model = getattr(transformers, head)(config).eval()
    finally:
        state.__exit__(None, None, None)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def build_tiny_bert(out_dir: Path, seed: int = 0) -> Path:
    """A BertForMaskedLM (random weights) over a hand-written WordPiece vocab, saved to `out_dir`."""
    return _build_bert(out_dir, BERT_VOCAB, "BertForMaskedLM", do_lower_case=True, seed=seed)


def build_tiny_sentence_encoder(out_dir: Path, seed: int = 0) -> Path:
    """A BertModel (random weights) whose vocab holds the English words and every Hangul syllable
    (alone and as a `##` continuation), saved as the multilingual scorer would be."""
    hangul = [chr(c) for c in range(0xAC00, 0xD7A4)]
    # No lower-casing: BERT's accent stripping would decompose Hangul syllables into jamo.
    return _build_bert(out_dir, BERT_VOCAB + hangul + ["##" + h for h in hangul], "BertModel", do_lower_case=False, seed=seed)


DEFAULT_TRANSLATORS = ("Helsinki-NLP/opus-mt-en-de", "Helsinki-NLP/opus-mt-de-en")
KOREAN_TRANSLATORS = ("Helsinki-NLP/opus-mt-ko-en", "Helsinki-NLP/opus-mt-tc-big-en-ko")
DEFAULT_MASKED_LM = "bert-base-uncased"
MULTILINGUAL_SCORER = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"


def install_default_models(root: Path) -> Path:
    """Fill a models directory the way a user would, with tiny stand-ins under the default ids.

    The multilingual scorer is left out: with it, Korean text gets scored, and the tests of
    unscored text need it absent (tests/test_text_models_ko.py adds it where it wants it).
    """
    root = Path(root)
    for seed, model_id in enumerate(DEFAULT_TRANSLATORS):
        build_tiny_marian(root / model_id.replace("/", "--"), seed=seed, eos_bias=1.3, into_english=seed == 1)
    for seed, model_id in enumerate(KOREAN_TRANSLATORS, start=2):  # ko -> en, then en -> ko
        build_tiny_marian(root / model_id.replace("/", "--"), seed=seed, eos_bias=1.3, into_english=seed == 2, foreign=korean_text)
    build_tiny_bert(root / DEFAULT_MASKED_LM)
    return root
