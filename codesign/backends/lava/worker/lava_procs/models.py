"""Process models of the worker's neurons: floating point and bit-accurate fixed point.

The fixed-point models call `fixed_point` (the arithmetic the core's emulator also
calls), so the emulator reproduces them bit for bit. Tags follow Lava: a run with
``select_tag="fixed_pt"`` picks these together with Lava's bit-accurate `Dense`.
"""

import os

import fixed_point as fp
import numpy as np
from lava.magma.core.decorator import implements, requires, tag
from lava.magma.core.model.py.model import PyLoihiProcessModel
from lava.magma.core.model.py.ports import PyInPort, PyOutPort
from lava.magma.core.model.py.type import LavaPyType
from lava.magma.core.resources import CPU
from lava.magma.core.sync.protocols.loihi_protocol import LoihiProtocol
from lava_procs.process import PhaseNeuron, RateNeuron, StochasticNeuron


class _Recorder(PyLoihiProcessModel):
    """Bookkeeping shared by every neuron model: history rows and message counts."""

    def _record(self, state, spikes):
        # tick 1 holds the start; then one row every `stride` steps (after `skip`)
        params = self.proc_params
        row = fp.record_row(self.time_step, params["stride"], params.get("skip", 0))
        if 0 <= row < len(self.history):
            self.history[row] = state
        active = spikes != 0
        self.counts[0] += int(np.count_nonzero(active))
        self.counts[1] += int(self.fanout[active].sum())
        if self.time_step == params["ticks"]:
            self._dump(params["dump"])

    def _dump(self, path):
        # Lava's Var.get() sends an array one element per message (about 30 µs
        # each), so the trace leaves through a file at the last tick instead
        partial = path + ".part.npz"
        np.savez(partial, history=self.history, counts=self.counts)
        os.replace(partial, path)


class _RateModel(_Recorder):
    def run_spk(self):
        a_in = self.a_in.recv()
        if self.time_step > 1:
            self.v[:] = self._step(a_in)
        spikes = self._activate()
        self._record(self.v, spikes)
        self.s_out.send(spikes)


@implements(proc=RateNeuron, protocol=LoihiProtocol)
@requires(CPU)
@tag("floating_pt")
class PyRateNeuronFloat(_RateModel):
    """v ← v(1 − decay) + a_in + bias; s = g(v) in float64."""

    a_in: PyInPort = LavaPyType(PyInPort.VEC_DENSE, float)
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, float)
    v: np.ndarray = LavaPyType(np.ndarray, float)
    bias: np.ndarray = LavaPyType(np.ndarray, float)
    decay: np.ndarray = LavaPyType(np.ndarray, float)
    fanout: np.ndarray = LavaPyType(np.ndarray, np.int64)
    tables: np.ndarray = LavaPyType(np.ndarray, float)
    history: np.ndarray = LavaPyType(np.ndarray, float)
    counts: np.ndarray = LavaPyType(np.ndarray, np.int64)

    def _step(self, a_in):
        return self.v * (1.0 - self.decay) + a_in + self.bias

    def _activate(self):
        return fp.activate_float(self.v, self.proc_params["segments"])


@implements(proc=RateNeuron, protocol=LoihiProtocol)
@requires(CPU)
@tag("fixed_pt", "bit_accurate_loihi")
class PyRateNeuronFixed(_RateModel):
    """v ← decay(v, dv) + a_in + bias in int64; s = table look-up or S_λ(v)."""

    a_in: PyInPort = LavaPyType(PyInPort.VEC_DENSE, np.int32, precision=24)
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, np.int32, precision=24)
    v: np.ndarray = LavaPyType(np.ndarray, np.int64, precision=24)
    bias: np.ndarray = LavaPyType(np.ndarray, np.int64, precision=24)
    decay: np.ndarray = LavaPyType(np.ndarray, np.int64, precision=12)
    fanout: np.ndarray = LavaPyType(np.ndarray, np.int64)
    tables: np.ndarray = LavaPyType(np.ndarray, np.int64)
    history: np.ndarray = LavaPyType(np.ndarray, np.int64)
    counts: np.ndarray = LavaPyType(np.ndarray, np.int64)

    def _step(self, a_in):
        return fp.rate_step(self.v, a_in.astype(np.int64), self.bias, self.decay)

    def _activate(self):
        spikes = fp.activate(self.v, self.proc_params["segments"], self.tables)
        return spikes.astype(np.int32)


class _PhaseModel(_Recorder):
    def run_spk(self):
        a_in = self.a_in.recv()
        n = len(self.p)
        if self.time_step > 1:
            self.p[:] = self._step(a_in[:n], a_in[n:], self.time_step - 2)
        spikes = self._trig()
        self._record(self.p, spikes)
        self.s_out.send(spikes)


@implements(proc=PhaseNeuron, protocol=LoihiProtocol)
@requires(CPU)
@tag("floating_pt")
class PyPhaseNeuronFloat(_PhaseModel):
    """φ ← φ + dt·ω + cos φ·y_sin − sin φ·y_cos − dt·K_s sin 2φ + kick, float64."""

    a_in: PyInPort = LavaPyType(PyInPort.VEC_DENSE, float)
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, float)
    p: np.ndarray = LavaPyType(np.ndarray, float)
    omega: np.ndarray = LavaPyType(np.ndarray, float)
    fanout: np.ndarray = LavaPyType(np.ndarray, np.int64)
    cos: np.ndarray = LavaPyType(np.ndarray, float)
    sin: np.ndarray = LavaPyType(np.ndarray, float)
    noise: np.ndarray = LavaPyType(np.ndarray, float)
    history: np.ndarray = LavaPyType(np.ndarray, float)
    counts: np.ndarray = LavaPyType(np.ndarray, np.int64)

    def _step(self, y_cos, y_sin, k):
        params, p = self.proc_params, self.p
        steps = params["anneal_steps"]
        done = min(k / steps, 1.0) if steps > 0 else 1.0
        kick = self.noise[k] if k < len(self.noise) else 0.0
        return (
            p
            + self.omega
            + np.cos(p) * y_sin
            - np.sin(p) * y_cos
            - params["shil"] * done * np.sin(2 * p)
            + kick
        )

    def _trig(self):
        return np.concatenate([np.cos(self.p), np.sin(self.p)])


@implements(proc=PhaseNeuron, protocol=LoihiProtocol)
@requires(CPU)
@tag("fixed_pt", "bit_accurate_loihi")
class PyPhaseNeuronFixed(_PhaseModel):
    """The same step on 24-bit phases with table trigonometry, in int64."""

    a_in: PyInPort = LavaPyType(PyInPort.VEC_DENSE, np.int32, precision=24)
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, np.int32, precision=24)
    p: np.ndarray = LavaPyType(np.ndarray, np.int64)
    omega: np.ndarray = LavaPyType(np.ndarray, np.int64, precision=24)
    fanout: np.ndarray = LavaPyType(np.ndarray, np.int64)
    cos: np.ndarray = LavaPyType(np.ndarray, np.int64)
    sin: np.ndarray = LavaPyType(np.ndarray, np.int64)
    noise: np.ndarray = LavaPyType(np.ndarray, np.int64)
    history: np.ndarray = LavaPyType(np.ndarray, np.int64)
    counts: np.ndarray = LavaPyType(np.ndarray, np.int64)

    def _step(self, y_cos, y_sin, k):
        params, p = self.proc_params, self.p
        bits = params["table_bits"]
        row, row2 = fp.phase_index(p, bits), fp.phase_index(2 * p, bits)
        steps = params["anneal_steps"]
        shil = fp.ramp(params["shil"], k, steps)
        kick = self.noise[k] if k < len(self.noise) else 0
        return fp.phase_step(
            p,
            y_cos.astype(np.int64),
            y_sin.astype(np.int64),
            self.cos[row],
            self.sin[row],
            self.sin[row2],
            self.omega,
            shil,
            kick,
            params["amplitude_bits"],
        )

    def _trig(self):
        row = fp.phase_index(self.p, self.proc_params["table_bits"])
        return np.concatenate([self.cos[row], self.sin[row]]).astype(np.int32)


class _StochasticModel(_Recorder):
    def run_spk(self):
        self.u[:] = self.u + self.a_in.recv()
        if self.time_step > 1:
            k = self.time_step - 2
            active = self.colors == k % self.proc_params["n_colors"]
            new = self._update(active, self.uniforms[k])
            spikes = new - self.s
            self.s[:] = new
        else:
            spikes = self.s.copy()
        self._record(self.s, spikes)
        self.s_out.send(spikes.astype(self.spike_type))


@implements(proc=StochasticNeuron, protocol=LoihiProtocol)
@requires(CPU)
@tag("floating_pt")
class PyStochasticNeuronFloat(_StochasticModel):
    """Heat-bath update with P(+1) = σ(2(u + b)/T) in float64."""

    spike_type = float

    a_in: PyInPort = LavaPyType(PyInPort.VEC_DENSE, float)
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, float)
    s: np.ndarray = LavaPyType(np.ndarray, float)
    u: np.ndarray = LavaPyType(np.ndarray, float)
    bias: np.ndarray = LavaPyType(np.ndarray, float)
    colors: np.ndarray = LavaPyType(np.ndarray, np.int64)
    uniforms: np.ndarray = LavaPyType(np.ndarray, np.int64)
    table: np.ndarray = LavaPyType(np.ndarray, float)
    fanout: np.ndarray = LavaPyType(np.ndarray, np.int64)
    history: np.ndarray = LavaPyType(np.ndarray, float)
    counts: np.ndarray = LavaPyType(np.ndarray, np.int64)

    def _update(self, active, uniform):
        return fp.heat_bath_float(
            self.s, self.u + self.bias, active, uniform, self.proc_params["temperature"]
        )


@implements(proc=StochasticNeuron, protocol=LoihiProtocol)
@requires(CPU)
@tag("fixed_pt", "bit_accurate_loihi")
class PyStochasticNeuronFixed(_StochasticModel):
    """Heat-bath update with a 16-bit probability table on the integer field."""

    spike_type = np.int32

    a_in: PyInPort = LavaPyType(PyInPort.VEC_DENSE, np.int32, precision=24)
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, np.int32, precision=24)
    s: np.ndarray = LavaPyType(np.ndarray, np.int64)
    u: np.ndarray = LavaPyType(np.ndarray, np.int64, precision=24)
    bias: np.ndarray = LavaPyType(np.ndarray, np.int64, precision=24)
    colors: np.ndarray = LavaPyType(np.ndarray, np.int64)
    uniforms: np.ndarray = LavaPyType(np.ndarray, np.int64)
    table: np.ndarray = LavaPyType(np.ndarray, np.int64)
    fanout: np.ndarray = LavaPyType(np.ndarray, np.int64)
    history: np.ndarray = LavaPyType(np.ndarray, np.int64)
    counts: np.ndarray = LavaPyType(np.ndarray, np.int64)

    def _update(self, active, uniform):
        return fp.heat_bath(
            self.s,
            self.u + self.bias,
            active,
            uniform,
            self.table,
            self.proc_params["shift"],
        )
