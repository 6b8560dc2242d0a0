"""The lesson panel: the chosen lesson's text."""
