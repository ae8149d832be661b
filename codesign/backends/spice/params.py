"""The ``[spice]`` table: the analog hardware a model is compiled to.

Model units map to circuit units through three scales: a time unit τ_s = R₀·C₀
seconds (relaxation networks) or `cycles_per_unit` oscillator periods (oscillator
networks), `volts_per_unit` volts per unit of state, and the unit conductance 1/R₀
per unit of weight. Every device is ideal unless ``[noise]`` says otherwise.
"""

from ..._params import Param, Schema

SCHEMA = Schema(
    "spice",
    (
        Param(
            "r_unit",
            "float",
            100e3,
            "unit resistance R₀: a weight of 1 is a conductance 1/R₀",
            "ohm",
            low=0,
            low_open=True,
        ),
        Param(
            "c_unit",
            "float",
            10e-9,
            "neuron capacitance C₀; τ = R₀·C₀",
            "F",
            low=0,
            low_open=True,
        ),
        Param(
            "volts_per_unit",
            "float",
            1.0,
            "node voltage of one unit of state",
            "V",
            low=0,
            low_open=True,
        ),
        Param(
            "supply",
            "float",
            5.0,
            "amplifier supply rail (power is drawn from ±supply)",
            "V",
            low=0,
            low_open=True,
        ),
        Param(
            "leak_margin",
            "float",
            0.1,
            "share of each node's conductance left to "
            "its own leak resistor (the rest is synapses)",
            low=0,
            high=1,
            low_open=True,
            high_open=True,
        ),
        Param(
            "open_loop_gain",
            "float",
            0.0,
            "amplifier open-loop gain A₀ (0 = "
            "ideal, infinite); buffers then reach A₀/(1+A₀) of their target",
            low=0,
        ),
        Param(
            "topology",
            "choice",
            "auto",
            "hopfield wiring: all-to-all, factored "
            "through a memory layer (low-rank W), or chosen automatically",
            choices=("auto", "all_to_all", "factored"),
        ),
        Param(
            "osc_frequency",
            "float",
            1e6,
            "oscillator natural frequency f₀",
            "Hz",
            low=0,
            low_open=True,
        ),
        Param(
            "osc_capacitance",
            "float",
            100e-12,
            "oscillator tank capacitance",
            "F",
            low=0,
            low_open=True,
        ),
        Param(
            "tank_q",
            "float",
            10.0,
            "quality factor of each oscillator's tank at "
            "rest; a low Q holds the amplitude firmly",
            low=1,
        ),
        Param(
            "cycles_per_unit",
            "float",
            20.0,
            "oscillator periods per model time unit "
            "(phase dynamics are averaged over cycles)",
            low=2,
        ),
        Param(
            "steps_per_cycle",
            "int",
            20,
            "largest transient step, as a fraction of an oscillator period",
            low=8,
        ),
        Param(
            "max_step",
            "float",
            0.05,
            "largest transient step of relaxation networks, in model time units",
            low=0,
            low_open=True,
        ),
        Param(
            "reltol",
            "float",
            1e-4,
            "ngspice relative tolerance RELTOL",
            low=0,
            low_open=True,
            high=0.1,
        ),
        Param(
            "method",
            "choice",
            "trap",
            "ngspice integration method",
            choices=("trap", "gear"),
        ),
        Param(
            "timeout",
            "float",
            3600.0,
            "seconds before a transient run is halted and reported",
            "s",
            low=0,
            low_open=True,
        ),
    ),
    "The analog circuit: scales, amplifiers, oscillators and solver control.",
)
