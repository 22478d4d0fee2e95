"""The training budget of the design exercises (labs 04, 05, 06 and 08): what their locked cells use.

* ``CpuBudget``: a Keras callback that stops training once it has used its CPU seconds, on the
  kernel's own clock (``time.process_time()``): what a student sees while working.  The grader
  does not rely on it: it measures the CPU time of the whole locked cell again, from outside the
  kernel, where nothing a notebook does can change the count;
* ``fresh_start``: the model as the locked cell trains it, untrained.  An optimizer that has
  already taken a step is refused, and the weights are drawn again by the model's own
  initialisers after a fixed seed, so weights learnt before the locked cell (in the solution
  cell, in another cell, by another model) do not count.
"""
from __future__ import annotations

import time

import keras


class CpuBudget(keras.callbacks.Callback):
    """Stops training once it has used ``seconds`` CPU seconds of this process (counted from
    the start of training)."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = float(seconds)
        self.used = 0.0
        self._start = None

    def on_train_begin(self, logs=None):
        self._start = time.process_time()

    def on_train_batch_end(self, batch, logs=None):
        self.used = time.process_time() - self._start
        if self.used > self.seconds:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        self.used = time.process_time() - self._start


def fresh_start(model, seed: int):
    """``model`` with the weights its initialisers draw after ``keras.utils.set_random_seed(seed)``
    (for a ``Sequential`` model built right after the same seed: the weights it already had).

    Raises AssertionError, with the reason, for a model whose optimizer has already taken a
    training step: the locked cell trains the design, within its budget."""
    steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations)) if model.optimizer is not None else 0
    assert steps == 0, (f"the model has already been trained ({steps} steps): return it compiled but untrained; "
                        "the locked cell trains it, within the budget")
    keras.utils.set_random_seed(seed)
    model.set_weights(keras.models.clone_model(model).get_weights())
    return model
