"""The window: PySide6 + pyqtgraph. Panels read the Session and change it only via setters."""
