"""The week-8 explorers: word vectors seen in two dimensions, and analogies typed in.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
EmbeddingExplorer  a word picker and a neighbour-count slider; redraws the most frequent
                   words' vectors projected on their first two principal components, with the
                   picked word and its nearest neighbours (by cosine, in all dimensions)
                   highlighted and named
AnalogyExplorer    three text boxes for a : b :: c : ?; redraws the five best answers (the
                   words nearest by cosine to b - a + c of the unit vectors) with their cosines

Cosines, neighbours and the projection are the private ``dlcourse._core.embedding`` ones; the
graded ``nearest_neighbors`` and ``analogy`` are the students' to write.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from dlcourse._core.checks import check_int, check_text
from dlcourse._core.embedding import closest, unit_rows
from dlcourse._core.explorer import SLIDER_WIDTH, ExplorerDisplay
from dlcourse._core.style import PALETTE

__all__ = ["AnalogyExplorer", "EmbeddingExplorer"]

MAX_NEIGHBOURS = 20
_GREY = "#999999"


def _check_vectors(vectors: object, words: object) -> tuple[np.ndarray, list[str]]:
    """(vectors as float64 (V, d), words as a list of V distinct strings), or raise."""
    E = np.asarray(vectors, dtype=np.float64)
    if E.ndim != 2 or E.shape[0] < 4 or E.shape[1] < 2:
        raise ValueError(
            f"vectors must have shape (V, d) with V >= 4 words and d >= 2, got {E.shape}"
        )
    if not np.isfinite(E).all():
        raise ValueError("vectors hold nan or inf: training has probably diverged")
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
        raise TypeError("words must be a list of strings, word i naming row i of vectors")
    if len(words) != len(E) or len(set(words)) != len(words):
        raise ValueError(
            f"words must name the {len(E)} rows of vectors once each, got {len(words)} words"
            f" ({len(set(words))} distinct)"
        )
    return E, list(words)


class EmbeddingExplorer(ExplorerDisplay):
    """Pick a word and see where its nearest neighbours lie among the frequent words.

    The ``n_shown`` most frequent words (the first rows) are projected on the first two
    principal components of their vectors and drawn as grey dots. The picked word and its
    ``k`` nearest neighbours by cosine similarity, found among all words in all ``d``
    dimensions, are projected the same way and named. Two dimensions keep only part of the
    picture: a neighbour can look far away in the plot and still be close in ``d`` dimensions.

    Parameters
    ----------
    vectors : np.ndarray, shape (V, d)
        One word vector per row, most frequent word first.
    words : list of str
        ``words[i]`` names row i.
    word : str, optional
        The word picked first (default: the first of the shown words that is not among the
        50 most frequent, which are mostly "the", "of", ...).
    k : int, default 8
        Neighbours shown, 1..20 (and fewer than V).
    n_shown : int, default 300
        Words in the picker and in the background of the plot, >= 4 (at most all V).

    Attributes
    ----------
    word_dropdown : ipywidgets.Dropdown
    k_slider : ipywidgets.IntSlider
    neighbours : list of str
        The picked word's neighbours, nearest first.
    similarities : np.ndarray, shape (k,)
        Their cosine similarities with the picked word.
    projection : np.ndarray, shape (n_shown, 2)
        The shown words' coordinates in the plot.
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        vectors: np.ndarray,
        words: Sequence[str],
        *,
        word: str | None = None,
        k: int = 8,
        n_shown: int = 300,
    ) -> None:
        self._E, self._words = _check_vectors(vectors, words)
        self._index = {w: i for i, w in enumerate(self._words)}
        n_shown = min(check_int(n_shown, "n_shown", 4), len(self._words))
        k = check_int(k, "k", 1, min(MAX_NEIGHBOURS, len(self._words) - 1))
        shown = self._words[:n_shown]
        if word is None:
            word = shown[min(50, n_shown - 1)]
        word = check_text(word, "word")
        if word not in self._index:
            raise ValueError(f"word {word!r} has no vector; pick one of the vocabulary's words")
        if word not in shown:
            shown = [*shown, word]
        top = self._E[: len(self._words[:n_shown])]
        self._mean = top.mean(axis=0)
        _, _, vt = np.linalg.svd(top - self._mean, full_matrices=False)
        self._basis = vt[:2].T
        self.projection = (top - self._mean) @ self._basis

        self.word_dropdown = widgets.Dropdown(options=shown, value=word, description="word")
        self.k_slider = widgets.IntSlider(
            value=k,
            min=1,
            max=min(MAX_NEIGHBOURS, len(self._words) - 1),
            description="neighbours",
            continuous_update=False,
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [widgets.HBox([self.word_dropdown, self.k_slider]), self.status, self._output]
        )
        self.fig = Figure(figsize=(10, 6), layout="constrained")
        self._ax = self.fig.subplots()
        self._compute()
        self._redraw()
        for control in (self.word_dropdown, self.k_slider):
            control.observe(self._on_change, names="value")

    @property
    def word(self) -> str:
        """The picked word."""
        return str(self.word_dropdown.value)

    def _compute(self) -> None:
        i = self._index[self.word]
        ids = closest(self._E, self._E[i], int(self.k_slider.value), exclude=[i])
        unit = unit_rows(self._E[np.r_[i, ids]])
        self._ids = ids
        self.neighbours = [self._words[j] for j in ids]
        self.similarities = unit[1:] @ unit[0]

    def _redraw(self) -> None:
        ax = self._ax
        ax.clear()
        ax.scatter(*self.projection.T, s=8, color=_GREY, label="the most frequent words")
        i = self._index[self.word]
        near = (self._E[self._ids] - self._mean) @ self._basis
        at = (self._E[i] - self._mean) @ self._basis
        ax.scatter(*near.T, s=40, marker="D", color=PALETTE["blue"], label="nearest neighbours")
        ax.scatter(*at, s=160, marker="*", color=PALETTE["vermillion"], label=self.word)
        for name, (x, y) in zip(self.neighbours, near, strict=True):
            ax.annotate(name, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=9)
        ax.annotate(self.word, at, xytext=(5, 5), textcoords="offset points", weight="bold")
        ax.set(
            xlabel="first principal component",
            ylabel="second principal component",
            title=f"Word vectors in 2-D (PCA): {self.word} and its {len(self._ids)} neighbours",
        )
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        listed = ", ".join(
            f"{html.escape(w)} ({s:.2f})"
            for w, s in zip(self.neighbours, self.similarities, strict=True)
        )
        self.status.value = f"Nearest to <b>{html.escape(self.word)}</b> by cosine: {listed}"
        self._show_figure()


class AnalogyExplorer(ExplorerDisplay):
    """Type a : b :: c and see the words nearest to b - a + c.

    The answer is the word whose vector has the largest cosine with b̂ - â + ĉ, the sum of the
    unit vectors (as gensim's ``most_similar(positive=[b, c], negative=[a])``), a, b and c
    left out. The bar chart shows the five best candidates and their cosines.

    Parameters
    ----------
    vectors : np.ndarray, shape (V, d)
    words : list of str
    a, b, c : str, default "man", "king", "woman"
        The question a : b :: c : ?.

    Attributes
    ----------
    a_text, b_text, c_text : ipywidgets.Text
    answers : list of str
        The five best answers, best first (empty when a word has no vector).
    similarities : np.ndarray, shape (5,) or (0,)
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    TOP = 5

    def __init__(
        self,
        vectors: np.ndarray,
        words: Sequence[str],
        *,
        a: str = "man",
        b: str = "king",
        c: str = "woman",
    ) -> None:
        E, self._words = _check_vectors(vectors, words)
        self._unit = unit_rows(E)
        self._index = {w: i for i, w in enumerate(self._words)}
        texts = [check_text(v, n) for v, n in ((a, "a"), (b, "b"), (c, "c"))]
        self.a_text, self.b_text, self.c_text = (
            widgets.Text(value=v, description=label, continuous_update=False)
            for v, label in zip(texts, ("a", "is to b", "as c"), strict=True)
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [widgets.HBox([self.a_text, self.b_text, self.c_text]), self.status, self._output]
        )
        self.fig = Figure(figsize=(7, 3.2), layout="constrained")
        self._ax = self.fig.subplots()
        self._compute()
        self._redraw()
        for control in (self.a_text, self.b_text, self.c_text):
            control.observe(self._on_change, names="value")

    def _question(self) -> list[str]:
        return [t.value.strip().lower() for t in (self.a_text, self.b_text, self.c_text)]

    def _compute(self) -> None:
        question = self._question()
        self._missing = [w for w in question if w not in self._index]
        if self._missing:
            self.answers, self.similarities = [], np.zeros(0)
            return
        a, b, c = (self._index[w] for w in question)
        query = unit_rows((self._unit[b] - self._unit[a] + self._unit[c])[None, :])[0]
        ids = closest(self._unit, query, self.TOP, exclude=[a, b, c])
        self.answers = [self._words[j] for j in ids]
        self.similarities = self._unit[ids] @ query

    def _redraw(self) -> None:
        ax = self._ax
        ax.clear()
        a, b, c = (html.escape(w) for w in self._question())
        if self._missing:
            ax.set_axis_off()
            ax.set_title("No answer: a word of the question has no vector")
            missing = ", ".join(html.escape(w or "(empty)") for w in self._missing)
            self.status.value = f"Not in the vocabulary: <b>{missing}</b>"
        else:
            rows = np.arange(len(self.answers))[::-1]
            ax.barh(rows, self.similarities, color=PALETTE["blue"])
            ax.set_yticks(rows, self.answers)
            ax.set(
                xlabel="cosine with b − a + c",
                ylabel="candidate",
                title=f"{a} : {b} :: {c} : ?",
                xlim=(min(0.0, float(self.similarities.min())), 1.0),
            )
            self.status.value = (
                f"{a} is to {b} as {c} is to <b>{html.escape(self.answers[0])}</b>"
                f" (cosine {self.similarities[0]:.2f})"
            )
        self._show_figure()
