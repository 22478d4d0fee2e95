"""rnnkit.chars: lab 07's corpus, its model and its explorer (no notebook runs)."""
import hashlib
import re

import numpy as np

from rnnkit.chars import (END, NAMES_DIR, SOURCES, CharNGram, char_lstm, load_names, names_text, novelty,
                          plot_free_running, plot_per_letter, plot_perplexities, plot_training, show_vocab,
                          split_generated, split_names, stateful_copy, temperature_explorer, top_k_filter,
                          top_p_filter)


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


def test_the_model_clips_the_global_norm_of_its_gradient():
    assert char_lstm(27, units=8).optimizer.global_clipnorm == 1.0
    assert char_lstm(27, units=8, clip=None).optimizer.global_clipnorm is None


def test_the_stateful_copy_carries_the_state_one_id_at_a_time():
    import keras

    keras.utils.set_random_seed(3)
    model = char_lstm(7, units=5, embed_dim=3)
    ids = np.random.default_rng(0).integers(0, 7, size=(2, 9)).astype("int32")
    whole = keras.ops.convert_to_numpy(model(ids))
    step = stateful_copy(model, batch_size=2)
    one_by_one = np.concatenate([keras.ops.convert_to_numpy(step(ids[:, t:t + 1])) for t in range(9)], axis=1)
    np.testing.assert_allclose(one_by_one, whole, atol=1e-5)
    step.layers[1].reset_states()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(step(ids[:, :4])), whole[:, :4], atol=1e-5)


def test_top_k_and_top_p_keep_the_favourites_and_nothing_else():
    z = np.log(np.array([0.1, 0.4, 0.05, 0.3, 0.15]))
    k2 = top_k_filter(z, 2)
    assert np.isfinite(k2).tolist() == [False, True, False, True, False] and np.allclose(k2[[1, 3]], z[[1, 3]])
    assert np.isfinite(top_k_filter(np.zeros(4), 2)).sum() == 2, "a tie keeps exactly k"
    assert np.isfinite(top_k_filter(z, 99)).all()
    assert np.isfinite(top_p_filter(z, 0.7)).tolist() == [False, True, False, True, False]   # 0.4 + 0.3 >= 0.7
    assert np.isfinite(top_p_filter(z, 0.71)).tolist() == [False, True, False, True, True]   # + 0.15
    assert np.isfinite(top_p_filter(z, 1e-9)).sum() == 1 and np.isfinite(top_p_filter(z, 1.0)).all()
    assert np.isfinite(top_p_filter(z + 500.0, 0.7)).sum() == 2, "large logits: no overflow"


def test_the_ngram_baselines_are_add_one_counts():
    ids = np.array([0, 1, 2, 1, 2, 0, 1, 1])
    V = 3
    uni = CharNGram(1, V).fit(ids)
    counts = np.bincount(ids[1:], minlength=V)
    np.testing.assert_allclose(uni.log_probs(ids), np.log((counts[ids[1:]] + 1) / (len(ids) - 1 + V)))
    bi = CharNGram(2, V).fit(ids)
    # after 1 come 2, 2, 1: q(2 | 1) = (2 + 1) / (3 + 3), q(0 | 1) = 1 / 6
    assert np.isclose(np.exp(bi.log_probs([1, 2])[0]), 3 / 6) and np.isclose(np.exp(bi.log_probs([1, 0])[0]), 1 / 6)
    tri = CharNGram(3, V, pad=0).fit(ids)
    for context in [(0, 0), (1, 2), (2, 2)]:
        q = [np.exp(tri.log_probs([context[0], context[1], x])[-1]) for x in range(V)]
        assert np.isclose(sum(q), 1.0), "each context's probabilities add up to 1"
    assert np.isclose(CharNGram(2, V).perplexity_of(ids), V), "no counts: uniform, perplexity V"
    # fit_each pads every sequence: the first id after the pad is counted in the context (pad, pad)
    each = CharNGram(3, V, pad=0).fit_each([[0, 1, 0], [0, 1, 0]])
    assert np.isclose(np.exp(each.log_probs([0, 1])[0]), (2 + 1) / (2 + 3))


def test_novelty_counts_new_and_distinct_names():
    out = novelty(["ann", "zed", "zed", "bo"], ["ann", "bo", "cy"])
    assert out == {"names": 4, "share new": 0.5, "share distinct": 0.75}
    assert novelty([], ["ann"])["names"] == 0


def test_the_plots_draw_what_they_are_given():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    plot_free_running(ax, np.array([0.4, 0.3]), np.array([0.4, 0.2]), letters=[2, 3])
    assert ax.lines[0].get_xdata().tolist() == [2, 3] and ax.get_ylim() == (0, 1)
    ax.clear()
    plot_per_letter(ax, {"a": [1.0, 2.0, 3.0]})
    assert ax.lines[0].get_xdata().tolist() == [1, 2, 3]
    ax.clear()
    plot_training(ax, {"loss": [3.0, 2.0], "val_loss": [3.1, 2.2]})
    assert len(ax.lines) == 2
    ax.clear()
    plot_perplexities(ax, [{"model": "T = 8", "validation perplexity": 7.5}],
                      {"uniform": 27.0, "unigram": 16.7, "bigram": 10.7, "trigram": 8.9})
    assert len(ax.lines) == 4
    plt.close(fig)


def test_the_temperature_explorer_draws_with_the_sampler_it_is_given():
    calls = []

    def sampler(logits, temperature, rng):
        calls.append(temperature)
        return int(rng.integers(len(logits)))

    ex = temperature_explorer(sampler, np.zeros(5), list("\nabcd"), context="ma", draws=50)
    assert ex.controls["temperature"].description == "temperature τ"
    first = ex.png
    assert first[:4] == b"\x89PNG" and calls == [1.0] * 50
    ex.controls["temperature"].value = 0.5
    assert ex.png != first and calls[50:] == [0.5] * 50
