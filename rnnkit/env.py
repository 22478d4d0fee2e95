"""Notebook start-up: quiet TensorFlow, seed every generator, pin the thread count.

Every course notebook starts with::

    from rnnkit import setup
    setup(seed=0)

It must run before TensorFlow is imported anywhere else, because TensorFlow reads its
logging variables once, at import time.
"""
from __future__ import annotations

import logging
import os
import random
import warnings

# What the kernel environment needs so that TensorFlow stays silent on stderr.
# nbgrader scores a grade cell that writes to stderr as 0, so log noise must never
# reach a cell.  The autograder sets the same variables for its kernels.
QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",      # C++ INFO/WARNING/ERROR lines
    "TF_ENABLE_ONEDNN_OPTS": "0",     # the oneDNN banner, and bit-for-bit repeatable maths
    "ABSL_MIN_LOG_LEVEL": "3",        # absl's own "All log messages before InitializeLog" line
    "GRPC_VERBOSITY": "ERROR",
    "KERAS_BACKEND": "tensorflow",
}


def quiet_environment() -> None:
    """Set the TensorFlow logging variables (without overriding what the user set)."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


def setup(seed: int = 0, deterministic: bool = True, threads: int | None = None) -> int:
    """Quiet TensorFlow's logs, then seed Python, NumPy and TensorFlow with ``seed``.

    Parameters
    ----------
    seed : int
        Seed for ``random``, ``numpy.random`` and TensorFlow (via ``keras.utils.set_random_seed``).
    deterministic : bool
        Turn on TensorFlow's op determinism, so that training runs repeat exactly.
    threads : int or None
        Intra- and inter-op thread count.  None takes ``RNNKIT_THREADS`` from the
        environment when it is set (for a student who wants to pin it), else leaves
        TensorFlow's pools as they are: all cores, or what ``TF_NUM_INTRAOP_THREADS`` /
        ``TF_NUM_INTEROP_THREADS`` say.  The autograder sets those two (its share of the
        cores per kernel when it grades several submissions at once); TensorFlow reads them
        itself.

    Returns
    -------
    int
        The seed, so that a notebook can print what it used.
    """
    quiet_environment()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"keras(\.|$)")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:  # pragma: no cover - absl ships with TensorFlow
        pass

    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    if threads is None and os.environ.get("RNNKIT_THREADS", "").isdigit():
        threads = int(os.environ["RNNKIT_THREADS"])
    if threads:
        try:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        except RuntimeError:  # already initialised: keep what is there
            pass
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    return seed
