"""What the public modules of dlcourse share, kept private (not an API, not for students).

Modules
-------
checks      argument checks with the messages the library raises (``check_int``, ``check_real``,
            ``check_choice``, ``check_text``, ``check_bool``, ``as_float_array``, ...)
style       the colour-blind-safe palette, line and marker styles, class colours
drawing     Axes helpers and the drawn gradient-descent path of the week-1 figures
regression  one-feature linear-regression maths (cost, least-squares line, descent path)
classifiers the week-2 explorers' feature maps and linear classifier
network     activations, softmax, initializers (and the week-5 schemes) and a fully connected
            network
normalization  batch normalization (PyTorch's BatchNorm1d) as a layer of that network
regularization  the week-6 regularizers (L2 penalty, inverted dropout, shifts of the digits,
            early stopping on a validation curve) and the check of a student's augmentation
optim       the reference update rules (PyTorch's) and runs on a 2-D surface
training    the one training loop every digits network and explorer uses
hooks       a student's functions passed to the training loop, checked as they are called
explorer    what every ipywidgets explorer shares (sliders, display, planar data)

Students write their own versions of much of this in the exercises, so none of it is public
API: ``tests/test_no_answers.py`` checks that no name here is an exercise's graded name, and
``tests/test_private_imports.py`` that public modules share private code only through here.
"""
