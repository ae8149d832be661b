"""codesign: co-design analog circuits and neuromorphic programs for energy models.

| name | role |
| --- | --- |
| `load_spec`, `spec_from_mapping`, `Spec` | read and check a model spec (TOML) |
| `simulate` | run a spec on a backend (``reference``, ``spice``, ``lava``) |
| `Trace` | what every backend returns, in model units |
| `models` | the six energy models and their learning rules |
| `analysis` | energy-descent audits, stability and contraction margins |
| `CodesignError`, `ValidationError`, `NumericalError`, `BackendUnavailable` | errors |
"""

import logging

from ._errors import BackendUnavailable as BackendUnavailable
from ._errors import CodesignError as CodesignError
from ._errors import CodesignWarning as CodesignWarning
from ._errors import NumericalError as NumericalError
from ._errors import ValidationError as ValidationError

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from . import analysis as analysis  # noqa: E402
from . import models as models  # noqa: E402
from .backends import simulate as simulate  # noqa: E402
from .spec import Spec as Spec  # noqa: E402
from .spec import load_spec as load_spec  # noqa: E402
from .spec import spec_from_mapping as spec_from_mapping  # noqa: E402
from .trace import Trace as Trace  # noqa: E402
