"""The ideal ODE/SDE reference: every model integrated (or sampled) exactly.

| name | role |
| --- | --- |
| `simulate` | spec → trace |
| `run_model` | model, start, run options → trace |
| `simulate_ensemble` | many starts at once with the fixed-step scheme |
| `gibbs_sample` | heat-bath sampling of a Boltzmann machine |
"""

from .simulate import NAME as NAME
from .simulate import gibbs_sample as gibbs_sample
from .simulate import run_model as run_model
from .simulate import simulate as simulate
from .simulate import simulate_ensemble as simulate_ensemble

KINDS = ("hopfield", "dense", "boltzmann", "kuramoto", "oim", "lca")


def unavailable() -> None:
    """The reference needs nothing beyond numpy and scipy."""
    return None
