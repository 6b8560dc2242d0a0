"""`playground bench`: speed and memory measured on this machine, with peers measured in
the same run (suite.py), and its parts: timing helpers, the experiments, retrieval."""
