"""The generation panel: step-by-step generation with branches."""
