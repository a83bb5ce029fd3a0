"""nbgrader configuration: maps nbgrader's directories onto the course layout.

Run nbgrader from the repository root:
    nbgrader generate_assignment week01_linear_regression   # solutions/ -> exercises/
    nbgrader autograde week01_linear_regression             # autograder/submitted/ -> autograded/
    nbgrader generate_feedback week01_linear_regression     # -> autograder/feedback/
    nbgrader export --to autograder/grades.csv
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = "autograder/submitted"
c.CourseDirectory.autograded_directory = "autograder/autograded"
c.CourseDirectory.feedback_directory = "autograder/feedback"
c.CourseDirectory.solution_directory = "autograder/released_solutions"
c.CourseDirectory.db_url = "sqlite:///autograder/gradebook.db"

# A student's notebook may run a little training; a stuck cell must not hang grading.
c.Execute.timeout = 120

# Feedback shows which hidden checks failed and their message, never their source.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# The same pages as nbconvert's HTML exporter writes, about twice as fast (see the class).
c.GenerateFeedback.exporter_class = "autograder.feedback.FeedbackExporter"
