"""Comparing backends with the reference, in model units.

| name | role |
| --- | --- |
| `compare_backends`, `Comparison`, `BackendResult` | run and judge backends |
| `judge` | judge one trace against the reference's |
| `nrmse`, `readout_match`, `kl_to_exact` | the metrics |
| `pairwise_distance`, `total_variation`, `moment_nrmse` | metrics of samplers |
| `TOLERANCES`, `SCHEMA` | default tolerances; the ``[compare]`` table |
| `settling_time`, `spec_without_noise` | helpers of the verdicts |
| `write_report` | a Markdown report with plots |
"""

from ._compare import SCHEMA as SCHEMA
from ._compare import TOLERANCES as TOLERANCES
from ._compare import BackendResult as BackendResult
from ._compare import Comparison as Comparison
from ._compare import compare_backends as compare_backends
from ._compare import judge as judge
from ._compare import spec_without_noise as spec_without_noise
from .metrics import kl_to_exact as kl_to_exact
from .metrics import moment_nrmse as moment_nrmse
from .metrics import nrmse as nrmse
from .metrics import pairwise_distance as pairwise_distance
from .metrics import readout_match as readout_match
from .metrics import settling_time as settling_time
from .metrics import total_variation as total_variation
from .report import write_report as write_report
