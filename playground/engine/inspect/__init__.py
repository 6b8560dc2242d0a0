"""Views of a run: attention statistics, the logit lens, embedding space, a whole analysis."""
