"""The Lava worker: runs in `.venv-lava` (Python 3.10, numpy 1.26, lava-nc 0.10).

It never imports `codesign`. `main.py` reads a compiled model from a folder, builds
the process graph from `lava_procs`, runs it and writes the trace back;
`fixed_point.py` is the integer arithmetic shared with the core's emulator.
"""
