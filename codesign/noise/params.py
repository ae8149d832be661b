"""The ``[noise]`` table: device non-idealities, one spec for every backend.

Every level is 0 (ideal) by default. Relative levels are standard deviations of a
multiplicative deviation (0.1 = 10 %). Each backend lowers the same fields to its own
devices; the deviations are drawn per device from the spec's seed, so one realisation
is the same on every backend that shares the device (a conductance is a weight).
"""

from .._params import Param, Schema

SCHEMA = Schema(
    "noise",
    (
        Param(
            "mismatch", "float", 0.0, "relative σ of every conductance (weight)", low=0
        ),
        Param(
            "capacitor_mismatch",
            "float",
            0.0,
            "relative σ of every capacitor (time constant)",
            low=0,
        ),
        Param(
            "weight_bits",
            "int",
            0,
            "conductance levels: signed bits per weight (0 = continuous)",
            low=0,
            high=16,
        ),
        Param(
            "stuck_open",
            "float",
            0.0,
            "fraction of conductances stuck open (w = 0)",
            low=0,
            high=1,
        ),
        Param(
            "stuck_short",
            "float",
            0.0,
            "fraction of conductances stuck at the largest conductance",
            low=0,
            high=1,
        ),
        Param(
            "drift",
            "float",
            0.0,
            "relative conductance decay per model time unit",
            low=0,
        ),
        Param(
            "offset",
            "float",
            0.0,
            "σ of amplifier input offsets, in model state units",
            low=0,
        ),
        Param("gain_error", "float", 0.0, "relative σ of amplifier gains", low=0),
        Param(
            "frequency_spread",
            "float",
            0.0,
            "relative σ of oscillator natural frequencies",
            low=0,
        ),
        Param(
            "thermal",
            "float",
            0.0,
            "temperature of resistor thermal noise (4kTR), in kelvin (0 = off)",
            "K",
            low=0,
        ),
        Param(
            "realisation",
            "int",
            0,
            "which seeded draw of the devices (a sweep varies it)",
            low=0,
        ),
    ),
    "Device noise; ideal hardware when absent.",
)
