"""The Lava backend: a model as Loihi-style neurons on Lava's simulator.

lava-nc lives in its own environment (`.venv-lava`, Python 3.10); only this package
knows it, through a worker process that receives arrays and JSON and returns a
trace (`runner`). The numpy `emulator` runs the same fixed-point arithmetic bit for
bit in the core, for sweeps.

| name | role |
| --- | --- |
| `KINDS` | the model kinds this backend builds |
| `unavailable` | why the worker cannot run here, or None |
| `simulate` | spec → trace (``[lava] engine`` = lava or emulator) |
| `compile`, `Compiled` | spec → arrays and scalars for the worker |
| `emulate` | run a compiled model in numpy (bit-exact in fixed point) |
| `run_worker` | run a compiled model in the worker process |
"""

from .compile import Compiled as Compiled
from .compile import compile as compile
from .emulator import emulate as emulate
from .runner import run_worker as run_worker
from .runner import unavailable as unavailable
from .simulate import simulate as simulate

KINDS = ("hopfield", "lca", "oim", "kuramoto", "dense", "boltzmann")
