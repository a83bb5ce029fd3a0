"""Grading tools for the course, built on nbgrader.

course       where things live, and running nbgrader's own commands on a course directory
notebooks    reading answer cells and building filled-in submissions from the release
catalogue    known-wrong (and known-correct) implementations of every graded function
feedback     an nbgrader preprocessor that keeps hidden tests out of student feedback
report       per-question scores from the gradebook, as a table and a CSV
samples      the four sample submissions every assignment ships under autograder/submitted/
misbehaving  hostile week-1 submissions the class grader must survive, grade and flag
__main__     the command line: `python -m autograder release|grade|samples ...`
"""

import sys

# jsonschema (under nbformat and nbgrader) imports rfc3987_syntax, when installed, to check
# the "iri" string format, which no notebook or nbgrader schema uses; building that parser
# costs every process about 3 CPU s at import, and grading starts dozens of processes
# (workers, nbgrader commands). Without it jsonschema simply does not check that format.
sys.modules.setdefault("rfc3987_syntax", None)
