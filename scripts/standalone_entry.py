"""Entry point of the standalone build: no arguments opens the window, as a double-click
does; the same binary also answers the command line (`llm-playground predict ...`)."""

import multiprocessing

from playground.commands.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
