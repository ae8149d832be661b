"""Names for the array shapes used across the package.

``State`` is ``(..., d)`` with a leading batch axis allowed everywhere; ``Weights`` is
``(n, n)``; ``Times`` is ``(T,)`` in units of the model's time constant.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

Array: TypeAlias = NDArray[np.float64]
State: TypeAlias = NDArray[np.float64]  # (..., d)
Weights: TypeAlias = NDArray[np.float64]  # (n, n)
Times: TypeAlias = NDArray[np.float64]  # (T,)
Spins: TypeAlias = NDArray[np.int8]  # (..., n), entries -1 or +1
