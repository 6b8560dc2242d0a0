"""The command line, `playground COMMAND ...`: the parser and entry points (cli.py), one
module per family of commands, and the benchmark (bench/). Commands use the engine, and
the window only to render a screenshot."""
