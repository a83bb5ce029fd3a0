"""Interactive ipywidgets explorers for the lectures.

Public API
----------
LearningRateExplorer        (week 1) sliders for the learning rate and number of iterations,
                            redrawing the gradient-descent path on the cost contours and the
                            cost curve
learning_rate_explorer      convenience function returning a LearningRateExplorer
DecisionBoundaryExplorer    (week 2) logistic / softmax regression on a 2-D toy set, with a
                            choice of data set, learning rate, iterations and features, redrawing
                            the decision boundary and the cost curve
SoftmaxTemperatureExplorer  (week 2) a temperature slider for softmax(z / T), redrawing the
                            class probabilities

Each explorer lives in its own module (``learning_rate``, ``decision_boundary``,
``softmax_temperature``). Everything is computed in Python, so the explorers can be driven
without a browser: set a control's ``.value`` and read the explorer's attributes, its
``status.value`` or the data drawn on its ``fig``. The maths the explorers need (training a
classifier, softmax) lives in private helpers: students write their own in the exercises.
"""

from dlcourse.widgets.decision_boundary import DecisionBoundaryExplorer
from dlcourse.widgets.learning_rate import LearningRateExplorer, learning_rate_explorer
from dlcourse.widgets.softmax_temperature import SoftmaxTemperatureExplorer

__all__ = [
    "DecisionBoundaryExplorer",
    "LearningRateExplorer",
    "SoftmaxTemperatureExplorer",
    "learning_rate_explorer",
]
