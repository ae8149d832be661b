"""How the reference realises ``[noise]``: one seeded, imperfect instance of a model.

A realisation keeps the nominal model's energy, readout and units (so comparisons
and energy audits speak of the landscape that was designed) and replaces its
vector field by the one the imperfect hardware integrates:

| field | where it acts in the reference |
| --- | --- |
| `weight_bits` | every coupling rounded to 2^(bits−1) − 1 levels of the largest |
| `stuck_open`, `stuck_short` | a fraction of couplings set to 0, or to ± the largest |
| `mismatch` | every coupling × max(1 + σ·N(0,1), 0), each direction its own |
| | device, so a symmetric W becomes asymmetric and the energy may stop descending |
| `capacitor_mismatch` | each unit's time constant × max(1 + σ·N(0,1), 0.01) |
| `drift` | couplings decay as e^(−drift·t) while the network settles |
| `offset` | each amplifier's input offset, σ·N(0,1) state units |
| `gain_error` | each amplifier's output × max(1 + σ·N(0,1), 0) |
| `frequency_spread` | oscillator i detuned by 2π·cycles_per_unit·(f_i − 1), |
| | f_i = max(1 + σ·N(0,1), 0.1) |
| `thermal` | white noise of σ = √(2kT/C₀)/V₀ per √(time unit) on RC nodes |

C₀, V₀ and cycles_per_unit are the ``[spice]`` values, so that the reference and
the circuit realise the same physics. Every draw comes from
``derive_rng(noise_seed(spec), "noise", FIELD, GROUP)``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._rng import derive_rng, derive_seed
from .._types import Array, State
from ..models import (
    AbstractModel,
    BoltzmannModel,
    DenseModel,
    HopfieldModel,
    KuramotoModel,
    LCAModel,
    OIMModel,
)

BOLTZMANN_K = 1.380649e-23  # J/K
SPICE_DEFAULTS = {"c_unit": 10e-9, "volts_per_unit": 1.0, "cycles_per_unit": 20.0}


def noise_seed(spec) -> int:
    """The seed of the spec's device draws: realisation k ≠ 0 draws anew."""
    k = spec.table("noise").get("realisation", 0)
    if not k:
        return spec.seed
    return int(derive_seed(spec.seed, "realisation", k).generate_state(1)[0])


def is_ideal(noise: Mapping[str, Any]) -> bool:
    return not any(v for k, v in noise.items() if k != "realisation")


# a relative deviation never takes a device past these multiples of its nominal
# value: a conductance or a gain at worst vanishes (it cannot change sign), a
# capacitor keeps 1 % and an oscillator 10 % of its frequency
FLOORS = {
    "mismatch": 0.0,
    "gain_error": 0.0,
    "capacitor_mismatch": 0.01,
    "frequency_spread": 0.1,
}


class Devices:
    """Seeded deviations of the devices of one realisation.

    Every backend draws through this class, so a device family (`group`) that two
    backends share gets the same deviations in both: the reference, an all-to-all
    SPICE circuit and a Lava program realise the same Hopfield or LCA hardware.
    """

    def __init__(self, noise: Mapping[str, Any], seed: int):
        self.noise = dict(noise)
        self.seed = seed

    def normal(self, field: str, group: str, shape) -> Array:
        return derive_rng(self.seed, "noise", field, group).standard_normal(shape)

    def relative(self, field: str, group: str, shape) -> Array:
        """max(1 + σ·N(0,1), floor) per device for the relative level `field`
        (ones if 0); the floor is the field's entry in `FLOORS`."""
        sigma = self.noise.get(field, 0.0)
        if not sigma:
            return np.ones(shape)
        return np.maximum(1.0 + sigma * self.normal(field, group, shape), FLOORS[field])

    def couplings(self, values: Array, group: str) -> Array:
        """Couplings after quantisation, stuck faults and mismatch, per entry."""
        w = np.array(values, dtype=float)
        largest = float(np.max(np.abs(w))) if w.size else 0.0
        if not largest:
            return w
        bits = self.noise.get("weight_bits", 0)
        if bits:
            levels = max(2 ** (bits - 1) - 1, 1)
            w = np.round(w / largest * levels) / levels * largest
        present = w != 0
        for field, value in (("stuck_open", 0.0), ("stuck_short", largest)):
            fraction = self.noise.get(field, 0.0)
            if fraction:
                hit = derive_rng(self.seed, "noise", field, group).random(w.shape)
                hit = (hit < fraction) & present
                w[hit] = np.sign(w[hit]) * value
        return w * self.relative("mismatch", group, w.shape)

    def rates(self, group: str, size: int) -> Array:
        """1/τ of each unit, relative to nominal: its capacitor's mismatch."""
        return 1.0 / self.relative("capacitor_mismatch", group, size)

    def amplitudes(self, group: str, size: int) -> Array:
        """Each amplifier's output scale (its gain error), 1 when ideal."""
        return self.relative("gain_error", group, size)

    def offsets(self, group: str, size: int) -> Array:
        """Each amplifier's input offset, in model state units."""
        sigma = self.noise.get("offset", 0.0)
        return sigma * self.normal("offset", group, size) if sigma else np.zeros(size)

    def frequencies(self, group: str, size: int) -> Array:
        """Each oscillator's natural frequency, relative to nominal."""
        return self.relative("frequency_spread", group, size)


class RealisedModel(AbstractModel):
    """A nominal model whose vector field is that of one imperfect realisation."""

    def __init__(
        self,
        nominal: AbstractModel,
        field: Callable[[float, State], State],
        sigma: float = 0.0,
    ):
        self.nominal = nominal
        self.kind = nominal.kind
        self.schema = nominal.schema
        self.n = nominal.n
        self._field = field
        self._sigma = sigma

    @classmethod
    def from_params(cls, params, seed):  # pragma: no cover - built by `realise`
        raise TypeError("a realisation is built by codesign.noise.realise")

    @property
    def state_size(self) -> int:
        return self.nominal.state_size

    @property
    def time_unit(self) -> float:
        return self.nominal.time_unit

    @property
    def patterns(self):
        return self.nominal.patterns

    def vector_field(self, t, x: State) -> State:
        return self._field(t, x)

    def energy(self, x: State) -> Array:
        return self.nominal.energy(x)

    def readout(self, x: State) -> np.ndarray:
        return self.nominal.readout(x)

    def noise_amplitude(self, t: float) -> float:
        return float(np.hypot(self.nominal.noise_amplitude(t), self._sigma))

    def settle_time(self, t_end: float) -> float:
        return self.nominal.settle_time(t_end)

    def __getattr__(self, name):
        # cut values, order parameters, graphs... come from the nominal model
        if name == "nominal":
            raise AttributeError(name)
        return getattr(self.nominal, name)


def realise(
    model: AbstractModel,
    noise: Mapping[str, Any],
    seed: int,
    spice: Mapping[str, Any] | None = None,
) -> AbstractModel:
    """One seeded realisation of `model` under `noise` (the model itself if ideal)."""
    if is_ideal(noise):
        return model
    devices = Devices(noise, seed)
    hardware = {**SPICE_DEFAULTS, **(spice or {})}
    for cls, build in _BUILDERS.items():
        if isinstance(model, cls):
            return build(model, devices, hardware)
    raise TypeError(f"no realisation for {type(model).__name__}")


def _drift(noise: Mapping[str, Any]) -> Callable[[float], float]:
    rate = noise.get("drift", 0.0)
    return (lambda t: np.exp(-rate * t)) if rate else (lambda t: 1.0)


def _thermal_sigma(noise: Mapping[str, Any], hardware: Mapping[str, Any]) -> float:
    temperature = noise.get("thermal", 0.0)
    if not temperature:
        return 0.0
    return (
        np.sqrt(2 * BOLTZMANN_K * temperature / hardware["c_unit"])
        / hardware["volts_per_unit"]
    )


def _detuning(devices: Devices, n: int, hardware) -> Array:
    relative = devices.frequencies("tank", n)
    return 2 * np.pi * hardware["cycles_per_unit"] * (relative - 1.0)


def _hopfield(model: HopfieldModel, devices: Devices, hardware) -> RealisedModel:
    weights_t = devices.couplings(model.weights, "synapse").T
    amplitude = devices.amplitudes("neuron", model.n)
    offset = devices.offsets("neuron", model.n)
    rates = devices.rates("neuron", model.n)
    decay = _drift(devices.noise)

    def field(t, x):
        coupled = (amplitude * np.tanh(model.gain * (x + offset))) @ weights_t
        return rates * (-x + decay(t) * coupled + model.bias)

    return RealisedModel(model, field, _thermal_sigma(devices.noise, hardware))


def _dense(model: DenseModel, devices: Devices, hardware) -> RealisedModel:
    to_memory_t = devices.couplings(model.xi, "memory_synapse").T
    to_feature = devices.couplings(model.xi, "feature_synapse")
    amplitude = devices.amplitudes("neuron", model.n)
    offset = devices.offsets("neuron", model.n)
    rates = devices.rates("neuron", model.state_size)
    ratio = model.tau_f / model.tau_h
    decay = _drift(devices.noise)

    def field(t, z):
        x, h = model.split(z)
        outputs = amplitude * np.tanh(model.gain * (x + offset))
        dx = -x + decay(t) * model.separation_function(h) @ to_feature
        dh = ratio * (-h + decay(t) * outputs @ to_memory_t)
        return rates * np.concatenate([dx, dh], axis=-1)

    return RealisedModel(model, field, _thermal_sigma(devices.noise, hardware))


def _lca(model: LCAModel, devices: Devices, hardware) -> RealisedModel:
    lateral_t = devices.couplings(model.gram - np.eye(model.n), "synapse").T
    drive = model.drive * devices.relative("mismatch", "input", model.n)
    amplitude = devices.amplitudes("neuron", model.n)
    offset = devices.offsets("neuron", model.n)
    rates = devices.rates("neuron", model.n)
    decay = _drift(devices.noise)

    def field(t, u):
        a = amplitude * model.threshold(u + offset)
        return rates * (drive - u - decay(t) * a @ lateral_t)

    return RealisedModel(model, field, _thermal_sigma(devices.noise, hardware))


def _kuramoto(model: KuramotoModel, devices: Devices, hardware) -> RealisedModel:
    coupling_t = devices.couplings(model.coupling_matrix(), "coupler").T
    omega = model.omega + _detuning(devices, model.n, hardware)
    decay = _drift(devices.noise)

    def field(t, theta):
        cos, sin = np.cos(theta), np.sin(theta)
        pull = cos * (sin @ coupling_t) - sin * (cos @ coupling_t)
        return omega + decay(t) * pull

    return RealisedModel(model, field)


def _oim(model: OIMModel, devices: Devices, hardware) -> RealisedModel:
    couplings = sp.csr_array(devices.couplings(model.couplings.toarray(), "coupler"))
    detuning = _detuning(devices, model.n, hardware)
    decay = _drift(devices.noise)

    def couple(a):
        flat = a.reshape(-1, model.n)
        return (couplings @ flat.T).T.reshape(a.shape)

    def field(t, phi):
        cos, sin = np.cos(phi), np.sin(phi)
        torque = sin * couple(cos) - cos * couple(sin)
        shil = model.shil_at(t) * np.sin(2 * phi)
        return detuning - decay(t) * model.k * torque - shil

    return RealisedModel(model, field)


def _boltzmann(model: BoltzmannModel, devices: Devices, hardware) -> BoltzmannModel:
    realised = copy.copy(model)
    realised.weights = devices.couplings(model.weights, "synapse")
    realised.bias = model.bias + devices.offsets("neuron", model.n)
    return realised


_BUILDERS = {
    HopfieldModel: _hopfield,
    DenseModel: _dense,
    LCAModel: _lca,
    KuramotoModel: _kuramoto,
    OIMModel: _oim,
    BoltzmannModel: _boltzmann,
}
