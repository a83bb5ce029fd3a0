import matplotlib

# Tests never open windows: draw everything off-screen.
matplotlib.use("Agg")
