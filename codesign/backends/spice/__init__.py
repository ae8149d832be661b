"""The SPICE backend: models compiled to analog circuits and simulated in ngspice.

| name | role |
| --- | --- |
| `KINDS` | the model kinds it builds |
| `unavailable` | why ngspice cannot run here, or None |
| `compile` | spec → `Netlist` (`.text` runs in plain ``ngspice -b``) |
| `simulate` | spec → trace in model units, with supply power and energy |
| `Netlist`, `NetlistError` | the netlist builder and its electrical-rules error |

One module per model it builds (`hopfield`, `lca`, `oim`, `kuramoto`, `dense`,
`boltzmann`), shared
`network` (relaxation networks), `oscillators` (coupled LC tanks), `netlist`
(elements, library, electrical rules), `realise` ([noise] on devices), `runner`
(PySpice shared mode) and `params` (the ``[spice]`` table).
"""

from __future__ import annotations

from ...spec import Spec
from . import boltzmann, dense, hopfield, kuramoto, lca, oim  # noqa: F401  (builders)
from .compiler import build
from .compiler import simulate as simulate
from .netlist import Netlist as Netlist
from .netlist import NetlistError as NetlistError
from .runner import unavailable as unavailable

KINDS: tuple[str, ...] = ("hopfield", "lca", "oim", "kuramoto", "dense", "boltzmann")


def compile(spec: Spec) -> Netlist:
    """The netlist of `spec`, checked by the electrical rules and rendered.

    Parameters
    ----------
    spec
        A checked spec; its ``[spice]`` and ``[noise]`` tables set the hardware.

    Returns
    -------
    Netlist
        `Netlist.text` is a complete netlist (title, generated-by header, the
        library subcircuits it uses, elements, ``.tran``, ``.save``/``.print`` of
        the state nodes, ``.end``) that plain ``ngspice -b`` runs from any folder.

    Raises
    ------
    NetlistError
        When the circuit breaks an electrical rule (a compiler bug, reported).
    ValidationError
        When the ``[spice]`` values cannot build this model (e.g. a factored
        topology for full-rank weights).
    """
    netlist = build(spec).netlist
    netlist.render()
    return netlist
