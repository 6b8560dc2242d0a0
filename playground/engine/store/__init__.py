"""Where models come from and live: the model store's folders, the catalog, fetching from PyPI."""
