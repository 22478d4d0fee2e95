"""Lab 08's length study over seeds (`make seq2seq-study`): the spread behind section 5's curves.

Instructor side (never in the student bundle).  Lab 08 trains, on one seed (8), an
encoder-decoder without attention (section 3) and the same with attention (section 5) on
reversing digit strings of lengths 5 to 30, and draws the exact match against the length.  This
command trains both, exactly as the master does, on ``SEEDS``:

* the data: ``rnnkit.dates.digit_task(6000, (5, 30), seed=1)``, the decoder's arrays made by
  teacher forcing (the study's own copy of the solution of n08_teacher_forcing, kept in step
  with the master by tests/test_seq2seq_study.py; it never goes into rnnkit);
* the models: ``seq2seq_model(11, 11, units=32, learning_rate=0.01)`` with and without
  ``attention=True``, ``keras.utils.set_random_seed(seed)`` just before each is built, 4 epochs
  of batches of 64, the mask as ``sample_weight``;
* the evaluation: ``rnnkit.seq2seq.length_curve`` (200 new strings per length, greedy).

It records, per seed and model, the exact match and the fraction of digits right at each
length and the training CPU seconds, then per length the minimum, mean and maximum over the
seeds, with the date, the Keras version, the thread count and the load average at the start
and the end; and writes them into ``rnnkit/seq2seq_study.json``, which the lab reads, and the
spread into bench/results.json's "seq2seq" (``make bench`` runs the study too; so the
notebook shows the spread without training it).  Then section 6's translator of dates
(bidirectional encoder, attention, u = 48) on the same seeds, its exact match on the 1,000 test
dates, and the narrower u = 32 it replaced.  One run: about 6 minutes on 2 cores.
"""
from __future__ import annotations

import json
import logging
import os
import statistics
import time
from pathlib import Path

log = logging.getLogger(__name__)

SEED = 8                            # the master's seed (its setup(seed=8))
SEEDS = (8, 0, 1, 2, 3)
STUDY = Path(__file__).resolve().parents[2] / "rnnkit" / "seq2seq_study.json"
# the master's recipe (sections 3 and 5)
LENGTHS = list(range(5, 31, 5))
UNITS, EPOCHS, BATCH_SIZE, LEARNING_RATE = 32, 4, 64, 0.01
TRAIN_SIZE, TRAIN_LENGTHS, DATA_SEED = 6000, (5, 30), 1
EVAL_SIZE, EVAL_SEED = 200, 1000
MODELS = {"without attention": False, "with attention": True}
# section 6's translator: bidirectional encoder, attention, cosine decay from LEARNING_RATE; its width
# u (DATES_UNITS[0]), and the narrower one it replaced (u = 32: below 0.99 on 2 seeds of 5)
DATES_EPOCHS, DATES_SPLITS, DATES_UNITS = 4, dict(train=10_000, validation=500, test=1000), (48, 32)


def teacher_forcing(targets, start_id, end_id):
    """Decoder inputs, targets and mask (the solution of n08_teacher_forcing, the study's copy)."""
    import numpy as np

    m = len(targets)
    T = max((len(y) for y in targets), default=0)
    decoder_in = np.zeros((m, T + 1), dtype=np.int32)
    decoder_out = np.zeros((m, T + 1), dtype=np.int32)
    mask = np.zeros((m, T + 1), dtype=np.float32)
    for k, y in enumerate(targets):
        n = len(y)
        decoder_in[k, 0] = start_id
        decoder_in[k, 1:n + 1] = y
        decoder_out[k, :n] = y
        decoder_out[k, n] = end_id
        mask[k, :n + 1] = 1.0
    return decoder_in, decoder_out, mask


def digit_data(n: int = TRAIN_SIZE, length=TRAIN_LENGTHS, seed: int = DATA_SEED):
    """The master's ``digit_data``: padded source ids, decoder_in, decoder_out and mask."""
    from rnnkit.dates import digit_task
    from rnnkit.seq2seq import END, START, build_vocab, encode, target_ids

    digits = build_vocab("0123456789")
    src, tgt = digit_task(n, length, seed=seed)
    return (encode(src, digits),) + tuple(teacher_forcing(target_ids(tgt, digits), START, END))


def run_one(seed: int, attention: bool, data) -> dict:
    """Trains one model as the master does and measures its length curve."""
    import keras

    from rnnkit.seq2seq import build_vocab, length_curve, seq2seq_model

    digits = build_vocab("0123456789")
    X, din, dout, mask = data
    keras.utils.set_random_seed(seed)
    model = seq2seq_model(len(digits), len(digits), units=UNITS, attention=attention, learning_rate=LEARNING_RATE)
    t0, c0 = time.perf_counter(), time.process_time()
    model.fit([X, din], dout, sample_weight=mask, batch_size=BATCH_SIZE, epochs=EPOCHS, verbose=0)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    exact, per_digit = length_curve(model, digits, LENGTHS, n=EVAL_SIZE, seed=EVAL_SEED)
    return {"seed": seed, "exact": [round(float(x), 4) for x in exact], "digits": [round(float(x), 4) for x in per_digit],
            "train_cpu_seconds": round(cpu, 1), "train_seconds": round(seconds, 1), "params": int(model.count_params())}


def run_dates(seed: int, splits, units: int = DATES_UNITS[0]) -> dict:
    """Section 6's translator (``units`` wide), trained as the master trains it (its data: the
    splits of the master's seed), with ``seed`` for the weights: exact match on the 1,000 test
    dates."""
    import keras
    import numpy as np

    from rnnkit import dates
    from rnnkit.seq2seq import (END, START, Decoder, build_vocab, decode, encode, exact_match, greedy_batch,
                                seq2seq_model, target_ids)

    src, tgt = build_vocab(dates.source_alphabet()), build_vocab("0123456789-")
    train, test = splits["train"], splits["test"]
    X = encode(train.source, src)
    din, dout, mask = teacher_forcing(target_ids(train.target, tgt), START, END)
    keras.utils.set_random_seed(seed)
    steps = DATES_EPOCHS * int(np.ceil(len(X) / BATCH_SIZE))
    model = seq2seq_model(len(src), len(tgt), units=units, attention=True, bidirectional=True,
                          learning_rate=keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps))
    t0, c0 = time.perf_counter(), time.process_time()
    model.fit([X, din], dout, sample_weight=mask, batch_size=BATCH_SIZE, epochs=DATES_EPOCHS, verbose=0)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = [decode(ids, tgt) for ids in greedy_batch(Decoder(model), encode(test.source, src), 11)]
    return {"seed": seed, "exact": round(float(exact_match(out, test.target)), 4),
            "train_cpu_seconds": round(cpu, 1), "train_seconds": round(seconds, 1), "params": int(model.count_params())}


def summarise(runs: list[dict]) -> dict:
    """One model's runs and, per length, the min, mean and max over the seeds."""
    from rnnkit.seq2seq import length_spread

    def rounded(spread):
        return {k: [round(x, 4) for x in v] for k, v in spread.items()}

    cpu = [r["train_cpu_seconds"] for r in runs]
    return {"exact": rounded(length_spread(runs, "exact")), "digits": rounded(length_spread(runs, "digits")),
            "train_cpu_seconds": {"min": min(cpu), "mean": round(statistics.fmean(cpu), 1), "max": max(cpu)},
            "params": runs[0]["params"], "runs": runs}


def _threads() -> int:
    """TensorFlow's intra-op thread count (0, its default, is one per core)."""
    import tensorflow as tf

    return tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count()


def run_study(seeds=SEEDS, write: bool = True) -> dict:
    """Trains both models on every seed (one model at a time, in this process) and writes
    rnnkit/seq2seq_study.json (unless ``write`` is false)."""
    from rnnkit import setup

    setup(seed=SEED)
    import keras

    from . import load_average

    load0, t0 = load_average(), time.perf_counter()
    data = digit_data()
    runs: dict[str, list] = {name: [] for name in MODELS}
    total, count = len(seeds) * len(MODELS), 0
    for seed in seeds:
        for name, attention in MODELS.items():
            run = run_one(seed, attention, data)
            runs[name].append(run)
            count += 1
            log.info(f"  [{count}/{total}] seed {seed}, {name}: exact {' '.join(f'{x:.2f}' for x in run['exact'])}; "
                     f"{run['train_cpu_seconds']:.0f} CPU s; {time.perf_counter() - t0:.0f} s so far")
    splits = __import__("rnnkit.dates", fromlist=["date_splits"]).date_splits(**DATES_SPLITS, seed=SEED)
    date_runs: dict[int, list] = {u: [] for u in DATES_UNITS}
    for units in DATES_UNITS:
        for seed in seeds:
            date_runs[units].append(run_dates(seed, splits, units))
            log.info(f"  dates, u = {units}, seed {seed}: exact {date_runs[units][-1]['exact']:.3f}; "
                     f"{date_runs[units][-1]['train_cpu_seconds']:.0f} CPU s; {time.perf_counter() - t0:.0f} s so far")

    def dates_summary(units, runs):
        exact, cpu = [r["exact"] for r in runs], [r["train_cpu_seconds"] for r in runs]
        return {"recipe": f"date_splits(**{DATES_SPLITS}, seed={SEED}); bidirectional, attention, units {units}, "
                          f"{DATES_EPOCHS} epochs of {BATCH_SIZE}, cosine decay from {LEARNING_RATE}; greedy",
                "units": units, "params": runs[0]["params"],
                "exact": {"min": min(exact), "mean": round(statistics.fmean(exact), 4), "max": max(exact)},
                "train_cpu_seconds": {"min": min(cpu), "mean": round(statistics.fmean(cpu), 1), "max": max(cpu)},
                "runs": runs}
    study = {
        "date": time.strftime("%Y-%m-%d", time.gmtime()), "keras": keras.__version__,
        "cpus": os.cpu_count(), "threads": _threads(),
        "load_average_start": list(load0), "load_average_end": list(load_average()),
        "minutes": round((time.perf_counter() - t0) / 60, 1),
        "recipe": {"train": f"digit_task({TRAIN_SIZE}, {TRAIN_LENGTHS}, seed={DATA_SEED})", "units": UNITS,
                   "epochs": EPOCHS, "batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE,
                   "evaluation": f"{EVAL_SIZE} strings per length, digit_task({EVAL_SIZE}, L, seed={EVAL_SEED} + L), greedy"},
        "seeds": list(seeds), "lengths": LENGTHS,
        "models": {name: summarise(r) for name, r in runs.items()},
        "dates": dates_summary(DATES_UNITS[0], date_runs[DATES_UNITS[0]]),
        "dates_narrower": dates_summary(DATES_UNITS[1], date_runs[DATES_UNITS[1]]),
    }
    if write:
        STUDY.write_text(json.dumps(study, indent=1) + "\n")
    return study


def spread_table(study: dict, key: str = "exact") -> str:
    """The per-length spread as text (what the command prints)."""
    from rnnkit.plots import table
    from rnnkit.seq2seq import study_rows

    return table(study_rows(study, key))


def bench_figures(study: dict) -> dict:
    """The figures bench/results.json can keep under "seq2seq" (the spread over seeds)."""
    models = study["models"]
    dates = study.get("dates")          # (a study of the length task alone has none)
    return {"seeds": study["seeds"], "lengths": study["lengths"], "date": study["date"],
            **({"dates_exact_min": dates["exact"]["min"], "dates_exact_max": dates["exact"]["max"]} if dates else {}),
            **{name: {"exact_min": m["exact"]["min"], "exact_max": m["exact"]["max"],
                      "digits_min": m["digits"]["min"], "train_cpu_seconds_mean": m["train_cpu_seconds"]["mean"]}
               for name, m in models.items()}}


def merge_into_bench(study: dict) -> None:
    """The study's figures into bench/results.json, under "seq2seq" (the rest kept)."""
    from .bench import RESULTS

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["seq2seq"] = bench_figures(study)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def add_arguments(parser) -> None:
    parser.add_argument("--no-write", action="store_true", help="do not rewrite rnnkit/seq2seq_study.json")
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS),
                        help=f"the seeds (default: {' '.join(map(str, SEEDS))}; the master's is {SEED})")


def run(args) -> int:
    study = run_study(seeds=tuple(args.seeds), write=not args.no_write)
    if not args.no_write:
        merge_into_bench(study)
    print("exact match over the seeds", study["seeds"])
    print(spread_table(study, "exact"))
    print("fraction of digits right")
    print(spread_table(study, "digits"))
    for d in (study["dates"], study["dates_narrower"]):
        print(f"dates (section 6's translator, u = {d['units']}): exact match {d['exact']['min']:.3f} to "
              f"{d['exact']['max']:.3f} over the seeds; {d['train_cpu_seconds']['mean']:.0f} CPU s of training on average")
    print(f"{study['minutes']} min; load average {study['load_average_start'][0]:.2f} at the start, "
          f"{study['load_average_end'][0]:.2f} at the end; {study['cpus']} cores, {study['threads']} threads, "
          f"Keras {study['keras']}" + ("" if args.no_write else f"; wrote {STUDY.relative_to(STUDY.parents[1])} "
                                      "and its figures into bench/results.json"))
    return 0
