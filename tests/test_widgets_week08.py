"""Week 8's explorers, driven without a browser, on made-up vectors whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import status_text

from dlcourse.widgets import AnalogyExplorer, EmbeddingExplorer

# ids: 0 man, 1 king, 2 woman, 3 queen, 4 apple, 5 pear, 6 plum
WORDS = ["man", "king", "woman", "queen", "apple", "pear", "plum"]
VECTORS = np.array(
    [
        [1.0, 0.0, 0.0, 0.1],
        [5.0, 0.0, 5.0, 0.2],
        [0.0, 1.0, 0.0, 0.1],
        [0.0, 2.0, 2.0, 0.0],
        [0.0, 0.0, -1.0, 3.0],
        [0.1, 0.0, -1.2, 2.5],
        [-0.2, 0.1, -1.0, 4.0],
    ]
)


def test_the_neighbours_are_the_largest_cosines_whatever_the_lengths():
    explorer = EmbeddingExplorer(VECTORS, WORDS, word="apple", k=3, n_shown=7)
    unit = VECTORS / np.linalg.norm(VECTORS, axis=1, keepdims=True)
    cos = unit @ unit[4]
    assert set(explorer.neighbours[:2]) == {"pear", "plum"}  # the fruit, by direction
    expected = [WORDS[i] for i in np.argsort(-cos) if i != 4][:3]
    assert explorer.neighbours == expected
    expected_cos = np.sort(cos[[WORDS.index(w) for w in expected]])[::-1]
    np.testing.assert_allclose(explorer.similarities, expected_cos)
    assert "Nearest to apple" in status_text(explorer) and expected[0] in status_text(explorer)


def test_moving_the_controls_recomputes():
    explorer = EmbeddingExplorer(VECTORS, WORDS, word="apple", k=2, n_shown=7)
    explorer.word_dropdown.value = "king"
    assert "king" not in explorer.neighbours and len(explorer.neighbours) == 2
    explorer.k_slider.value = 5
    assert len(explorer.neighbours) == 5 and len(explorer.similarities) == 5
    assert explorer.projection.shape == (7, 2)


def test_a_word_outside_the_shown_ones_is_added_to_the_picker():
    explorer = EmbeddingExplorer(VECTORS, WORDS, word="plum", n_shown=4, k=2)
    assert list(explorer.word_dropdown.options) == WORDS[:4] + ["plum"]


def test_the_analogy_uses_unit_vectors_and_leaves_the_question_out():
    explorer = AnalogyExplorer(VECTORS, WORDS, a="man", b="king", c="woman")
    assert explorer.answers[0] == "queen"
    assert not {"man", "king", "woman"} & set(explorer.answers)
    assert len(explorer.answers) == 4 and np.all(np.diff(explorer.similarities) <= 0)
    assert "is to <b>queen</b>" in explorer.status.value


def test_a_word_without_a_vector_is_named_not_answered():
    explorer = AnalogyExplorer(VECTORS, WORDS)
    explorer.c_text.value = "Unicorn"
    assert explorer.answers == [] and "unicorn" in status_text(explorer)
    explorer.c_text.value = " Woman "
    assert explorer.answers[0] == "queen"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((VECTORS[:3], WORDS[:3]), {}, ValueError, "V >= 4"),
        ((VECTORS, WORDS[:-1]), {}, ValueError, "once each"),
        ((VECTORS, "man king"), {}, TypeError, "list of strings"),
        ((VECTORS * np.nan, WORDS), {}, ValueError, "nan"),
        ((VECTORS, WORDS), {"word": "unicorn", "k": 2}, ValueError, "no vector"),
        ((VECTORS, WORDS), {"k": 0}, ValueError, "k"),
    ],
)
def test_the_explorer_rejects_bad_arguments(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        EmbeddingExplorer(*args, **kwargs)
