"""Token pieces: their bytes, how they print, how they group into characters."""
