"""The quality gates: proofs that the grades are honest, run through the grading service's one
path (validate, mutants, alternatives, determinism, busy, load) and the benchmark."""

import os


def load_average() -> tuple[float, float, float]:
    """The machine's load averages over 1, 5 and 15 minutes, rounded: the one reader every gate
    reports its load with."""
    return tuple(round(x, 2) for x in os.getloadavg())
