"""Device-noise models and how the reference realises them.

| name | role |
| --- | --- |
| `params.SCHEMA` | the ``[noise]`` table, shared by every backend |
| `realise` | one seeded realisation of a model (reference backend) |
| `noise_seed` | the seed of a spec's device draws (`noise.realisation` aware) |
| `is_ideal` | whether a ``[noise]`` table leaves the hardware ideal |
| `Devices` | seeded per-device deviations: couplings, offsets, relative errors |
| `check_realised`, `REALISED` | which backends realise each field, for which kinds |
"""

from .realise import Devices as Devices
from .realise import RealisedModel as RealisedModel
from .realise import is_ideal as is_ideal
from .realise import noise_seed as noise_seed
from .realise import realise as realise
from .support import REALISED as REALISED
from .support import check_realised as check_realised
