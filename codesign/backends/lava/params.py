"""The ``[lava]`` table: how a model is mapped onto Loihi-style neurons.

With the defaults a run is floating point on Lava's simulator; ``precision =
"fixed"`` runs the bit-accurate process models, whose scaling is chosen from the
model's ranges and dt (docs/fixed-point.md) unless the bit widths are overridden
here. ``engine = "emulator"`` runs the same arithmetic in numpy instead of Lava.
"""

from ..._params import Param, Schema

SCHEMA = Schema(
    "lava",
    (
        Param(
            "precision",
            "choice",
            "float",
            "arithmetic of the process models",
            choices=("float", "fixed"),
        ),
        Param(
            "engine",
            "choice",
            "lava",
            "lava: Lava's simulator in .venv-lava; "
            "emulator: the bit-exact numpy emulator in the core",
            choices=("lava", "emulator"),
        ),
        Param(
            "dt",
            "float",
            0.01,
            "largest time step; shortened so that samples fall on the step grid, "
            "and where a float dry run needs it (stable and, in float, accurate "
            "Euler steps)",
            "model time units",
            low=0,
            low_open=True,
            high=0.5,
        ),
        Param(
            "synapses",
            "choice",
            "auto",
            "Lava process of the weights: auto picks Sparse below 25 % non-zero",
            choices=("auto", "dense", "sparse"),
        ),
        Param(
            "weight_bits",
            "int",
            0,
            "signed bits of each weight mantissa, 2–14 (above 8, split over two "
            "8-bit Dense synapses); 0: 8, or 14 where 8-bit weights change the "
            "readout of the float dry run",
            low=0,
            high=14,
        ),
        Param(
            "state_bits",
            "int",
            24,
            "signed bits of a rate neuron's state v",
            low=8,
            high=32,
        ),
        Param(
            "activation_bits",
            "int",
            0,
            "signed bits of a graded spike, 2–24; 0: the most, up to 16, that "
            "keep the Dense sums below 2^31",
            low=0,
            high=24,
        ),
        Param(
            "table_bits",
            "int",
            12,
            "log2 of the rows of each activation table",
            low=4,
            high=16,
        ),
        Param(
            "margin",
            "float",
            2.0,
            "headroom of the fixed-point ranges over the ranges of a float dry run",
            low=1,
        ),
        Param(
            "timeout",
            "float",
            600.0,
            "seconds before the Lava worker is stopped; a program of more "
            "steps than 3,000 a second allows is refused before it starts",
            "s",
            low=0,
            low_open=True,
        ),
    ),
    "The neuromorphic mapping (Lava, Loihi-style fixed point).",
)
