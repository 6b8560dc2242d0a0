"""The main window and what acts on all of it: export, lessons, session files, loading."""
