"""Week 8: the course's NumPy skip-gram against gensim's Word2Vec, in one run.

    .venv/bin/python bench/word2vec_week08.py [--epochs 5] [--seed 0]

Both train skip-gram with negative sampling on the 106 Wikipedia articles of gensim's test data
(``dlcourse.datasets.wiki_articles``, 452,944 tokens) with the same settings: 100 dimensions,
window 5, 5 noise words, min_count 5 (9,002 words), the same number of epochs, one thread each
(gensim ``workers=1``; NumPy's BLAS limited to one thread). gensim: ``sg=1, negative=5``, its
default subsampling (``sample=1e-3``) and learning rate (0.025 falling to 1e-4). Ours:
``dlcourse._core.embedding.train_skipgram`` (batches of 1024 pairs, subsampling
min(1, sqrt(1e-3 / f)), the same learning rates).

Prints, for each, the Spearman correlation with WordSim-353 and SimLex-999 (pairs whose two
words have vectors), the accuracy on Google's analogy questions (questions whose four words
have vectors) and the speed in corpus words per CPU second (process time, so that other load on
the machine counts less than it would in wall time), then ours / gensim for each. Goals: at
least 0.95x gensim's WordSim-353 correlation and 0.25x its speed.

Numbers go in the README, never in tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlcourse._core.embedding import train_skipgram  # noqa: E402
from dlcourse.datasets import analogy_questions, simlex999, wiki_articles, wordsim353  # noqa: E402
from dlcourse.embedding_demo import analogy_score, similarity_score  # noqa: E402

SETTINGS = {"dim": 100, "window": 5, "negative": 5, "min_count": 5}


def measures(vectors, word_to_id) -> dict[str, float]:
    questions = [q for section in analogy_questions().values() for q in section]
    return {
        "WordSim-353": similarity_score(vectors, word_to_id, *wordsim353())[0],
        "SimLex-999": similarity_score(vectors, word_to_id, *simlex999())[0],
        "analogies": analogy_score(vectors, word_to_id, questions)[0],
    }


def run_gensim(articles, epochs: int, seed: int) -> tuple[dict[str, float], float]:
    from gensim.models import Word2Vec

    start = time.process_time()
    model = Word2Vec(
        articles,
        sg=1,
        negative=SETTINGS["negative"],
        window=SETTINGS["window"],
        vector_size=SETTINGS["dim"],
        min_count=SETTINGS["min_count"],
        epochs=epochs,
        workers=1,
        seed=seed,
    )
    seconds = time.process_time() - start
    words = sum(map(len, articles)) * epochs
    return measures(model.wv.vectors, model.wv.key_to_index), words / seconds


def run_ours(articles, epochs: int, seed: int) -> tuple[dict[str, float], float]:
    start = time.process_time()
    trained = train_skipgram(
        articles, epochs=epochs, sample=1e-3, batch_size=1024, seed=seed, **SETTINGS
    )
    seconds = time.process_time() - start
    return measures(trained.vectors, trained.vocab.index), trained.words_trained / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    articles = wiki_articles()
    print(f"{len(articles)} articles, {sum(map(len, articles)):,} tokens, {args.epochs} epochs")
    results = {
        "gensim": run_gensim(articles, args.epochs, args.seed),
        "ours": run_ours(articles, args.epochs, args.seed),
    }
    names = list(results["gensim"][0])
    print(f"{'':8}" + "".join(f"{n:>14}" for n in names) + f"{'words/CPU s':>14}")
    for who, (scores, speed) in results.items():
        print(f"{who:8}" + "".join(f"{scores[n]:14.3f}" for n in names) + f"{speed:14,.0f}")
    (ours, our_speed), (theirs, their_speed) = results["ours"], results["gensim"]
    ratios = [ours[n] / theirs[n] if theirs[n] else float("nan") for n in names]
    print(
        f"{'ratio':8}" + "".join(f"{r:14.2f}" for r in ratios) + f"{our_speed / their_speed:14.2f}"
    )


if __name__ == "__main__":
    main()
