"""Monte Carlo and parameter sweeps, on local processes or a Dask cluster.

| name | role |
| --- | --- |
| `run_sweep`, `SweepResult` | success rate per grid point, Wilson intervals, margin |
| `parse_vary` | ``KEY=V1,V2`` → (key, values) |
| `LocalExecutor`, `DaskExecutor`, `InlineExecutor` | where the samples run |
| `LoopbackCluster` | a Dask scheduler and workers on this machine, stopped after |
| `wilson_interval` | the 95 % score interval of a success count |
"""

from ._sweep import SweepResult as SweepResult
from ._sweep import parse_vary as parse_vary
from ._sweep import run_sweep as run_sweep
from .executors import DaskExecutor as DaskExecutor
from .executors import InlineExecutor as InlineExecutor
from .executors import LocalExecutor as LocalExecutor
from .executors import LoopbackCluster as LoopbackCluster
from .stats import wilson_interval as wilson_interval
