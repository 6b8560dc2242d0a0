"""Background work: the model runs off the GUI thread, results come back as signals."""
