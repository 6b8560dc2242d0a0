"""Widgets more than one panel uses: token chips, colour scales, labels, visibility."""
