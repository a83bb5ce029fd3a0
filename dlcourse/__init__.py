"""Helper library for the dlcourse deep-learning course.

Modules
-------
datasets   offline, seeded data sets (housing, planar 2-D sets, breast cancer, digits)
gradcheck  numerical gradients and a gradient checker with readable failures
plots      static figures (cost surface, contours, descent paths, cost curves)
widgets    interactive ipywidgets explorers used in the lectures
testing    assertion helpers the exercise tests use, with student-friendly messages
"""

__version__ = "0.1.0"
