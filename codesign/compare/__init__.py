"""Comparing backends with the reference, in model units.

| name | role |
| --- | --- |
| `compare_backends`, `Comparison`, `BackendResult` | run and judge backends |
| `judge` | judge one trace against the reference's |
| `nrmse`, `readout_match`, `total_variation`, `kl_to_exact` | the metrics |
| `TOLERANCES` | default tolerances of each verdict |
"""

from ._compare import TOLERANCES as TOLERANCES
from ._compare import BackendResult as BackendResult
from ._compare import Comparison as Comparison
from ._compare import compare_backends as compare_backends
from ._compare import judge as judge
from .metrics import kl_to_exact as kl_to_exact
from .metrics import nrmse as nrmse
from .metrics import readout_match as readout_match
from .metrics import total_variation as total_variation
