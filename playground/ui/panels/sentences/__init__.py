"""The Sentences panel: sentence vectors compared."""
