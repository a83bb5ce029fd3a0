"""Helper library for the dlcourse deep-learning course.

Modules
-------
datasets   offline, seeded data sets (housing, planar 2-D sets, breast cancer, digits)
gradcheck  numerical gradients and a gradient checker with readable failures
plots      static figures (cost surface, contours, descent paths, cost curves)
boundaries 2-D classification sets and the decision boundaries of classifiers
graphs     small compute graphs drawn with their forward values and backward gradients
surfaces   2-D test functions for optimizers (ravine, Rosenbrock, saddle, two minima) and their
           contour plots with optimizer paths
live       a loss plot that redraws itself during a training loop (pairs with tqdm.auto)
optimizer_demo  (week 4) one small network trained on the digits by every optimizer, live,
                and by the update rules and batching a student wrote (train_digits_with)
batchnorm_demo  (week 5) one deep network trained on the digits with and without batch norm,
                side by side, live
regularization_demo  (week 6) a too-large network on a few digits, trained with your penalty,
                     dropout and augmentation; its training and validation curves
corpus     (week 8) text and word-similarity sets from gensim's test data (Wikipedia, Lee,
           WordSim-353, SimLex-999, analogies) and a synthetic corpus with known clusters
embedding_demo  (week 8) skip-gram with negative sampling trained live in NumPy (a student's
                loss plugs in), and the measures of word vectors
widgets    interactive ipywidgets explorers used in the lectures (one module per explorer)
testing    assertion helpers the exercise tests use, with student-friendly messages
accessibility  the rules every figure and widget of the course keeps (labels, colour maps,
               legends, keyboard use), as checks
"""

__version__ = "0.1.0"
