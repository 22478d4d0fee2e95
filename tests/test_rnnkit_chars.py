"""rnnkit.chars: lab 07's corpus, its model and its explorer (no notebook runs)."""
import hashlib
import re

import numpy as np

from rnnkit.chars import (END, NAMES_DIR, SOURCES, char_lstm, load_names, names_text, show_vocab,
                          split_generated, split_names, temperature_explorer)


def test_the_corpus_is_the_census_lists_its_readme_describes():
    readme = (NAMES_DIR / "README.md").read_text()
    for source in SOURCES:
        digest = hashlib.sha256((NAMES_DIR / source).read_bytes()).hexdigest()
        assert f"{digest}  {source}" in readme, f"{source} differs from the copy its README describes"
    assert "public domain" in readme and "names` 0.3.0" in readme
    names = load_names()
    assert len(names) == 5163 and names == sorted(set(names))
    assert all(re.fullmatch(r"[a-z]+", n) for n in names)
    assert {"mary", "james", "aaron"} <= set(names)


def test_the_split_is_fixed_and_disjoint():
    names = load_names()
    train, val = split_names(names)
    assert (len(train), len(val)) == (4647, 516)
    assert not set(train) & set(val) and set(train) | set(val) == set(names)
    assert split_names(names) == (train, val)
    assert split_names(names, seed=8)[1] != val


def test_names_text_ends_every_name_and_generated_text_splits_back():
    text = names_text(["ann", "bo"])
    assert text == "ann" + END + "bo" + END
    assert split_generated(text + "unfinish") == ["ann", "bo"]
    assert show_vocab([END, "a"]) == "⏎ a"


def test_the_model_outputs_logits_at_every_step():
    model = char_lstm(27, units=8, embed_dim=4)
    out = model(np.zeros((3, 11), dtype="int32"))
    assert tuple(out.shape) == (3, 11, 27)
    assert model.loss.get_config()["from_logits"] is True
    stateful = char_lstm(27, units=8, batch_size=4, stateful=True)
    assert stateful.layers[1].stateful and stateful.input_shape == (4, None)


def test_the_temperature_explorer_draws_with_the_sampler_it_is_given():
    calls = []

    def sampler(logits, temperature, rng):
        calls.append(temperature)
        return int(rng.integers(len(logits)))

    ex = temperature_explorer(sampler, np.zeros(5), list("\nabcd"), context="ma", draws=50)
    first = ex.png
    assert first[:4] == b"\x89PNG" and calls == [1.0] * 50
    ex.controls["temperature"].value = 0.5
    assert ex.png != first and calls[50:] == [0.5] * 50
