"""The neuron processes of the codesign worker: Vars and ports only.

Weights live in Lava's own `Dense` process; these neurons integrate what it sends
(`a_in`) and answer with graded spikes (`s_out`). Each keeps a `history` of its
state every `stride` steps and `counts` = (spikes sent, synaptic operations caused),
and writes both to the file named by the ``dump`` parameter at tick ``ticks`` (a
`get()` would send them one element per message).
"""

import numpy as np
from lava.magma.core.process.ports.ports import InPort, OutPort
from lava.magma.core.process.process import AbstractProcess
from lava.magma.core.process.variable import Var


class RateNeuron(AbstractProcess):
    """A leaky graded neuron: τ ẋ = −x + a_in/dt + b, spiking s = g(x) every step.

    Euler form, one Lava step per dt (tick 1 only presents g(x0)):

        v[t] = v[t−1]·(1 − decay) + a_in[t] + dt·b,   s_out[t] = g(v[t]),

    where a_in[t] = dt·W s_out[t−1] comes from a `Dense` process and decay = dt/τ
    per neuron. g is given per segment of neurons: tanh(gain·v), the rectified
    polynomial and the softmax (look-up tables in fixed point), the soft threshold
    sign(v)·max(|v| − λ, 0) or relu(v − λ). In fixed point v has F fractional bits
    and each decay is a 12-bit `dv`, as in Loihi's LIF.

    Parameters
    ----------
    v : array (n,)
        Initial state (int in fixed point).
    bias : array (n,)
        dt·b in state units.
    decay : array (n,)
        dt/τ per neuron (float), or dv = round(2^12·dt/τ) (fixed point).
    fanout : array (n,)
        Synapses leaving each neuron (non-zero weights in its column).
    tables : array (k, rows)
        Activation tables (fixed point), else a dummy.
    rows : int
        Recorded samples (history rows).
    **params
        Read by the process models: ``stride`` and ``segments`` (a list of dicts:
        ``stop``, ``act`` and its constants).
    """

    def __init__(self, *, v, bias, decay, fanout, tables, rows, **params):
        super().__init__(
            v=v,
            bias=bias,
            decay=decay,
            fanout=fanout,
            tables=tables,
            rows=rows,
            **params,
        )
        shape = (len(v),)
        self.a_in = InPort(shape=shape)
        self.s_out = OutPort(shape=shape)
        self.v = Var(shape=shape, init=v)
        self.bias = Var(shape=shape, init=bias)
        self.decay = Var(shape=shape, init=decay)
        self.fanout = Var(shape=shape, init=fanout)
        self.tables = Var(shape=tables.shape, init=tables)
        self.history = Var(shape=(rows, len(v)), init=np.zeros((rows, len(v)), v.dtype))
        self.counts = Var(shape=(2,), init=np.zeros(2, np.int64))


class PhaseNeuron(AbstractProcess):
    """A phase oscillator that spikes (cos φ, sin φ) every step.

    Euler–Maruyama form, one Lava step per dt (tick 1 only presents φ0):

        φ[t] = φ[t−1] + dt·ω + cos φ·y_sin − sin φ·y_cos − dt·K_s(t) sin 2φ
               + noise[t],

    where (y_cos, y_sin) = dt·A (cos φ, sin φ) arrive on `a_in` (2n) from a
    `Dense` process and `s_out` (2n) sends (cos φ, sin φ). K_s ramps up over the
    first `anneal_steps` steps; `noise` holds the kicks σ(t)√dt z of the first
    steps (a seeded noise source, drawn by the compiler). In fixed point φ has 24
    fractional bits per turn and the trigonometric functions are tables of
    2^`table_bits` rows.

    Parameters
    ----------
    p : array (n,)
        Initial phases (int in fixed point), unwrapped.
    omega : array (n,)
        dt·ω in phase units.
    fanout : array (2n,)
        Synapses leaving each output.
    cos, sin : array
        Tables (fixed point), else dummies.
    noise : array (steps, n)
        Noise kicks of the first steps, in phase units.
    rows : int
        Recorded samples.
    **params
        Scalars: ``stride``, ``shil``, ``anneal_steps``, ``table_bits``,
        ``amplitude_bits``.
    """

    def __init__(self, *, p, omega, fanout, cos, sin, noise, rows, **params):
        super().__init__(
            p=p,
            omega=omega,
            fanout=fanout,
            cos=cos,
            sin=sin,
            noise=noise,
            rows=rows,
            **params,
        )
        n = len(p)
        self.a_in = InPort(shape=(2 * n,))
        self.s_out = OutPort(shape=(2 * n,))
        self.p = Var(shape=(n,), init=p)
        self.omega = Var(shape=(n,), init=omega)
        self.fanout = Var(shape=(2 * n,), init=fanout)
        self.cos = Var(shape=(len(cos),), init=cos)
        self.sin = Var(shape=(len(sin),), init=sin)
        self.noise = Var(shape=noise.shape, init=noise)
        self.history = Var(shape=(rows, n), init=np.zeros((rows, n), p.dtype))
        self.counts = Var(shape=(2,), init=np.zeros(2, np.int64))


class StochasticNeuron(AbstractProcess):
    """A ±1 Glauber unit for Gibbs sampling, one colour class per step.

    The neuron integrates its field without decay and sends only changes:

        u[t] = u[t−1] + a_in[t],   s ← +1 if uniform < σ(2(u + b)/T) else −1,
        s_out[t] = s[t] − s[t−1],

    for the units of colour (t − 2) mod `n_colors` (no two coupled units share a
    colour, so each step is an exact heat-bath step); the others keep their spin.
    a_in = W·s_out from a `Dense` process, so u tracks W s. Tick 1 sends s(0).

    Parameters
    ----------
    s : array (n,)
        Initial spins.
    bias : array (n,)
        b in field units.
    colors : array (n,)
        The colour class of each unit.
    uniforms : array (steps, n)
        16-bit uniform integers, one per unit and step (drawn by the compiler).
    table : array
        σ(2h/T)·2^16 by field bins (fixed point), else a dummy.
    rows : int
        Recorded samples.
    **params
        ``stride`` (= n_colors), ``skip`` (burn-in sweeps + 1), ``n_colors``,
        ``temperature`` (float) or ``shift`` (fixed point).
    """

    def __init__(self, *, s, bias, colors, uniforms, table, fanout, rows, **params):
        super().__init__(
            s=s,
            bias=bias,
            colors=colors,
            uniforms=uniforms,
            table=table,
            fanout=fanout,
            rows=rows,
            **params,
        )
        shape = (len(s),)
        self.a_in = InPort(shape=shape)
        self.s_out = OutPort(shape=shape)
        self.s = Var(shape=shape, init=s)
        self.u = Var(shape=shape, init=np.zeros(shape, s.dtype))
        self.bias = Var(shape=shape, init=bias)
        self.colors = Var(shape=shape, init=colors)
        self.uniforms = Var(shape=uniforms.shape, init=uniforms)
        self.table = Var(shape=table.shape, init=table)
        self.fanout = Var(shape=shape, init=fanout)
        self.history = Var(shape=(rows, len(s)), init=np.zeros((rows, len(s)), s.dtype))
        self.counts = Var(shape=(2,), init=np.zeros(2, np.int64))
