"""The window: PySide6 + pyqtgraph. Panels read the Session and change it only via setters."""

import pyqtgraph as pg

# Images are (rows, columns) like numpy, so attention[query, key] draws queries as rows.
pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
