"""Lyapunov, stability and contraction checks.

| name | role |
| --- | --- |
| `audit_descent`, `DescentAudit` | does a trace's energy rise, where, by how much |
| `find_equilibrium`, `classify`, `Equilibrium` | equilibria and Jacobian spectra |
| `log_norm`, `weighted_log_norm` | logarithmic norms μ₁, μ₂, μ∞ |
| `contraction_margin`, `ContractionMargin` | rate bounds of MODELS.md §4 C2–C6 |
| `measured_log_norm` | largest μ(Df) over sampled states |
| `twisted_state`, `ring_coupling` | ring-of-oscillators helpers (C8) |

The OIM binary-state threshold (C7) is `OIMModel.binary_threshold`.
"""

from .contraction import ContractionMargin as ContractionMargin
from .contraction import contraction_margin as contraction_margin
from .contraction import log_norm as log_norm
from .contraction import measured_log_norm as measured_log_norm
from .contraction import weighted_log_norm as weighted_log_norm
from .energy import DescentAudit as DescentAudit
from .energy import audit_descent as audit_descent
from .stability import Equilibrium as Equilibrium
from .stability import classify as classify
from .stability import find_equilibrium as find_equilibrium
from .stability import ring_coupling as ring_coupling
from .stability import twisted_state as twisted_state
