"""The embedding panel: the vocabulary map, neighbours, comparing two words."""
