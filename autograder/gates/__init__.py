"""The quality gates: proofs that the grades are honest, run through the grading service's one
path (validate, mutants, alternatives, determinism, busy, load) and the benchmark."""
