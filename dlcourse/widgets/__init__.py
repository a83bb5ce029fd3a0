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
ComputeGraphExplorer        (week 3) sliders for x, y, z and a forward / forward + backward
                            toggle, redrawing the compute graph of f = (x + y) · z with every
                            node's value and gradient
ActivationExplorer          (week 3) menus for the activation and the 2-D toy set, redrawing the
                            activation with its derivative and the decision boundary a small
                            two-layer network learns with it
OptimizerRaceExplorer       (week 4) SGD, momentum, Nesterov, AdaGrad, RMSProp, Adadelta and Adam
                            racing on a 2-D surface (ravine, Rosenbrock, saddle, two minima),
                            with a surface menu, learning-rate and β sliders and a play button
                            that animates the paths step by step (``OptimizerRace``, its former
                            name, still works)
EWAExplorer                 (week 4) a β slider and a bias-correction checkbox, redrawing noisy
                            samples with their exponentially weighted average
DepthExplorer               (week 5) menus for the activation and the initialization and a
                            scale slider, redrawing a 10-layer network's histograms of
                            activations and weight gradients per layer, their spread and the
                            fraction of dead ReLUs
OverfittingExplorer         (week 6) sliders for the training-set size, the L2 strength and the
                            dropout probability, redrawing a too-large network's training and
                            validation curves per epoch with the epoch early stopping keeps
                            (module ``overfitting``)
SearchExplorer              (week 6) a trials slider and a seed slider, redrawing grid search
                            against random search on a map where one hyperparameter matters
                            (module ``search``)
CodeSizeExplorer            (week 7) a code-size slider, redrawing test digits reconstructed by
                            an autoencoder with a d-unit code and by PCA with d components, and
                            both errors against d
DenoisingExplorer           (week 7) a corruption menu and a level slider, redrawing corrupted
                            digits, a denoising and a plain autoencoder's reconstructions and the
                            originals
SparseFeaturesExplorer      (week 7) a slider for the sparsity target ρ, redrawing the code
                            units' weights of an overcomplete autoencoder as 8×8 images and the
                            units' mean activations
EmbeddingExplorer           (week 8) a word picker and a neighbour-count slider, redrawing word
                            vectors projected by PCA with the word's nearest neighbours named
AnalogyExplorer             (week 8) three text boxes a : b :: c, redrawing the five words
                            nearest to b - a + c with their cosines

Each explorer lives in its own module (``learning_rate``, ``decision_boundary``,
``softmax_temperature``, ``compute_graph``, ``activation``, ``optimizer_race``,
``weighted_average``, ``depth``, ``embedding``). Everything is computed in Python, so the
explorers can be driven without a browser: set a control's ``.value`` and read the explorer's
attributes, its ``status.value`` or the data drawn on its ``fig``. Every explorer recomputes in
``_compute()`` and draws in ``_redraw()``. The maths the explorers need (training a classifier
or a small network, softmax, activations and their derivatives, the optimizers' update rules, the
weighted average) lives in the private ``dlcourse._core``: students write their own in the
exercises.
"""

from dlcourse.widgets.activation import ActivationExplorer
from dlcourse.widgets.code_size import CodeSizeExplorer
from dlcourse.widgets.compute_graph import ComputeGraphExplorer
from dlcourse.widgets.decision_boundary import DecisionBoundaryExplorer
from dlcourse.widgets.denoising import DenoisingExplorer
from dlcourse.widgets.depth import DepthExplorer
from dlcourse.widgets.embedding import AnalogyExplorer, EmbeddingExplorer
from dlcourse.widgets.learning_rate import LearningRateExplorer, learning_rate_explorer
from dlcourse.widgets.optimizer_race import OptimizerRace, OptimizerRaceExplorer
from dlcourse.widgets.overfitting import OverfittingExplorer
from dlcourse.widgets.search import SearchExplorer
from dlcourse.widgets.softmax_temperature import SoftmaxTemperatureExplorer
from dlcourse.widgets.sparse_features import SparseFeaturesExplorer
from dlcourse.widgets.weighted_average import EWAExplorer

__all__ = [
    "ActivationExplorer",
    "ComputeGraphExplorer",
    "DecisionBoundaryExplorer",
    "DepthExplorer",
    "EWAExplorer",
    "LearningRateExplorer",
    "OptimizerRace",
    "OptimizerRaceExplorer",
    "OverfittingExplorer",
    "SearchExplorer",
    "SoftmaxTemperatureExplorer",
    "learning_rate_explorer",
    "CodeSizeExplorer",
    "DenoisingExplorer",
    "SparseFeaturesExplorer",
    # week 8
    "AnalogyExplorer",
    "EmbeddingExplorer",
]
