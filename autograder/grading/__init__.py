"""Grading a whole class: parallel, isolated, limited, and honest about what went wrong.

``python -m autograder grade ASSIGNMENT`` calls :func:`grade_class`. The modules, one job each:

- :mod:`~autograder.grading.limits`: the limits a submission runs under, parsed from text;
- :mod:`~autograder.grading.flags`: what the grader noticed about a submission;
- :mod:`~autograder.grading.locate`: finding and reading a submission's notebooks;
- :mod:`~autograder.grading.prepare`: restoring the instructor's cells, inserting guards;
- :mod:`~autograder.grading.kernel`: the sandboxed kernel launcher (limits, audit hook);
- :mod:`~autograder.grading.template`: warm kernels, forked from a template per worker;
- :mod:`~autograder.grading.execute`: running one submission in its own working copy;
- :mod:`~autograder.grading.runners`: local process pool or Dask cluster;
- :mod:`~autograder.grading.gradebook`: the single writer of nbgrader's gradebook;
- :mod:`~autograder.grading.grade`: the three phases, feedback and export.
"""

from autograder.grading.grade import grade_class

__all__ = ["grade_class"]
