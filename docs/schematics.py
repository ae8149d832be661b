"""Draw the schematics of the SPICE parts library and of how the networks are wired.

Run from the repository root with ``.venv/bin/python docs/schematics.py``: it writes
one SVG per picture into ``docs/schematics/``, which are committed and shown by
``docs/schematics.md``; ``tests/test_docs.py`` checks that they are current.

One picture per subcircuit of ``circuits/*.lib``, named after it, with the pins of
the file's header, and three pictures of networks (``hopfield_node``,
``hopfield_factored``, ``coupled_oscillators``). A triangle is a behavioural
amplifier (a B or E card): a small plot of its transfer curve, or its gain, is drawn
inside, and its law is written beside it. Coordinates are in schemdraw's drawing
units (a resistor is about one unit long).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import schemdraw
import schemdraw.elements as elm
import ziamath
from schemdraw import dsp, flow
from schemdraw.segments import Segment

OUT = Path(__file__).resolve().parent / "schematics"
FONT_SIZE = 11
SMALL = 10  # point size of the laws written under a picture
LINE = 1.2  # drawing units between the resistors of a fan
TEXT_LINE = 0.5  # drawing units between two lines of a note
MARGIN = 0.5  # white space round a picture, drawing units
ACCENT = "#1f5fa8"  # the alternative wiring for a negative coupling

GLYPH = rb'<symbol id="[^"]+"[^>]*?(?:/>|>.*?</symbol>)'  # one glyph, in path mode
Point = tuple[float, float]
Draw = Callable[[schemdraw.Drawing], None]
PICTURES: dict[str, Draw] = {}


def picture(name: str) -> Callable[[Draw], Draw]:
    """Register a drawing function as the picture `name` (``<name>.svg``)."""

    def register(draw: Draw) -> Draw:
        PICTURES[name] = draw
        return draw

    return register


def render(name: str) -> bytes:
    """The SVG text of picture `name`."""
    schemdraw.svgconfig.text = "path"  # glyphs as paths: exact sizes, any viewer
    ziamath.config.precision = 2  # decimals of the glyph paths, in points
    d = schemdraw.Drawing(canvas="svg", show=False)
    d.config(fontsize=FONT_SIZE, margin=MARGIN, lw=1.5)
    PICTURES[name](d)
    return unique_glyphs(d.get_imagedata("svg"))


def unique_glyphs(svg: bytes) -> bytes:
    """`svg` with each glyph defined once: every label carries its own copies.

    A later definition is dropped only when it repeats an earlier one exactly.
    """
    seen = set()

    def first(match: re.Match) -> bytes:
        if match[0] in seen:
            return b""
        seen.add(match[0])
        return match[0]

    return re.sub(GLYPH, first, svg, flags=re.S)


def write_all(folder: Path = OUT) -> list[Path]:
    """Write every picture into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in PICTURES:
        path = folder / f"{name}.svg"
        path.write_bytes(render(name))
        paths.append(path)
    return paths


# symbols and drawing helpers


class Amplifier(elm.Element):
    """A single-input amplifier triangle with a glyph or a short text inside.

    `curve` is a transfer curve as points in [-1, 1]², drawn small inside the
    triangle; `text` is written inside instead (a gain).
    """

    def __init__(
        self, curve: Sequence[Point] = (), text: str = "", size: float = 1.6, **kwargs
    ):
        super().__init__(**kwargs)
        half, length = size / 2, size * 0.95
        self.segments.append(
            Segment([(0, 0), (0, half), (length, 0), (0, -half), (0, 0)])
        )
        body = (length * 0.32, 0.0)
        if curve:
            scale = size * 0.19
            points = [(body[0] + scale * x, scale * y) for x, y in curve]
            self.segments.append(Segment(points, lw=1.1))
        self.anchors["in"] = (0, 0)
        self.anchors["out"] = (length, 0)
        self.anchors["body"] = body
        self.elmparams["drop"] = (length, 0)
        self.elmparams["theta"] = 0  # points right unless told otherwise
        if text:
            self.label(text, loc="body", halign="center", valign="center", fontsize=10)


def _tanh_curve() -> list[Point]:
    return [(x / 10, math.tanh(2.5 * x / 10)) for x in range(-10, 11)]


TANH = _tanh_curve()
SOFT_THRESHOLD = [(-1, -0.6), (-0.35, 0), (0.35, 0), (1, 0.6)]
RELU = [(-1, 0), (0.35, 0), (1, 0.6)]
STEP = [(-1, -0.8), (-0.08, -0.8), (0.08, 0.8), (1, 0.8)]


def pin(d: schemdraw.Drawing, xy: Point, name: str, side: str = "left") -> None:
    """A subcircuit pin: an open terminal with its name."""
    d.add(elm.Dot(open=True).at(xy).label(name, loc=side, ofst=0.15))


def dot(d: schemdraw.Drawing, xy: Point) -> None:
    """A junction of wires."""
    d.add(elm.Dot().at(xy))


def wire(d: schemdraw.Drawing, *points: Point, **style) -> None:
    """Straight wire segments through `points`."""
    for a, b in zip(points, points[1:], strict=False):
        d.add(elm.Line(**style).endpoints(a, b))


def note(d: schemdraw.Drawing, xy: Point, lines: Sequence[str], **style) -> None:
    """Lines of text, the first one's top-left corner at `xy`."""
    style = {"halign": "left", "valign": "base", "fontsize": SMALL, "ofst": 0, **style}
    x, y = xy
    for k, line in enumerate(lines):
        baseline = y - TEXT_LINE * (k + 0.6)
        d.add(elm.Label().at((x, baseline)).label(line, **style))


def node_name(d: schemdraw.Drawing, xy: Point, label: str, halign="left") -> None:
    """A short name whose bottom edge sits at `xy` (a node's name above a wire)."""
    d.add(elm.Label().at(xy).label(label, halign=halign, valign="bottom", ofst=0))


def ground_rail(d: schemdraw.Drawing, x0: float, x1: float, y: float) -> None:
    """A ground line under shunt elements, with one ground symbol."""
    wire(d, (x0, y), (x1, y))
    d.add(elm.Ground().at(((x0 + x1) / 2, y)))


def shunt(
    d: schemdraw.Drawing,
    part: elm.Element2Term,
    x: float,
    top: float,
    bottom: float,
    label: str = "",
    up: bool = False,
) -> elm.Element2Term:
    """A two-terminal part from a rail at `top` to ground at `bottom`, labelled on
    its right; `up` turns it round (a source pointing into the rail)."""
    ends = ((x, bottom), (x, top)) if up else ((x, top), (x, bottom))
    part = part.endpoints(*ends)
    if label:
        part.label(label, loc="bottom", ofst=0.25)
    d.add(part)
    return part


def tag(d: schemdraw.Drawing, xy: Point, name: str, width: float = 1.1) -> None:
    """A net label ending at `xy`, pointing right into the circuit."""
    d.add(elm.Tag(width=width).at(xy).left().label(name, fontsize=SMALL))


def fan(
    d: schemdraw.Drawing, bus: Point, sources: Sequence[str], length: float = 2.2
) -> None:
    """Resistors from the nets `sources` (tags) into a vertical bus at `bus`; the
    middle source lines up with the bus point."""
    x, y = bus
    top = y + LINE * (len(sources) - 1) / 2
    rows = [top - LINE * k for k in range(len(sources))]
    for row, source in zip(rows, sources, strict=True):
        tag(d, (x - length, row), source)
        d.add(elm.Resistor().endpoints((x - length, row), (x, row)))
    wire(d, (x, rows[0]), (x, rows[-1]))


# the parts library, one picture per subcircuit


def amplifier_part(
    d: schemdraw.Drawing, laws: Sequence[str], *, curve=(), gain: str = ""
) -> None:
    """A one-input, one-output behavioural stage: in -> triangle -> out."""
    pin(d, (0, 0), "in")
    wire(d, (0, 0), (1.2, 0))
    amp = Amplifier(curve=curve, text=gain).at((1.2, 0))
    d.add(amp)
    wire(d, amp.out, (amp.out[0] + 1.2, 0))
    pin(d, (amp.out[0] + 1.2, 0), "out", side="right")
    note(d, (-0.4, -1.3), laws)


@picture("neuron")
def neuron(d: schemdraw.Drawing) -> None:
    amplifier_part(
        d, ["V(out) = amp·scale·tanh(gain·(V(in) + offset)/scale)"], curve=TANH
    )


@picture("inverter")
def inverter(d: schemdraw.Drawing) -> None:
    amplifier_part(d, ["V(out) = −gain·V(in)"], gain="−g")


@picture("buffer")
def buffer(d: schemdraw.Drawing) -> None:
    amplifier_part(d, ["V(out) = gain·V(in)"], gain="×g")


@picture("soft_threshold")
def soft_threshold(d: schemdraw.Drawing) -> None:
    amplifier_part(
        d,
        [
            "V(out) = amp·(relu(v − λ·scale) − relu(−v − λ·scale))",
            "v = V(in) + offset, λ = lam; B card with exact corners",
        ],
        curve=SOFT_THRESHOLD,
    )


@picture("rectifier")
def rectifier(d: schemdraw.Drawing) -> None:
    amplifier_part(
        d,
        [
            "V(out) = amp·relu(v − λ·scale)",
            "v = V(in) + offset, λ = lam; B card with an exact corner",
        ],
        curve=RELU,
    )


@picture("synapse")
def synapse(d: schemdraw.Drawing) -> None:
    pin(d, (0, 0), "a")
    resistor = elm.Resistor().endpoints((0, 0), (3, 0)).label("r")
    d.add(resistor)
    d.add(elm.CurrentLabel(top=False, ofst=0.3).at(resistor).label("i"))
    pin(d, (3, 0), "b", side="right")
    note(d, (-0.4, -1.2), ["i = (V(a) − V(b))/r"])


@picture("noisy_synapse")
def noisy_synapse(d: schemdraw.Drawing) -> None:
    pin(d, (0, 0), "a")
    wire(d, (0, 0), (1, 0))
    wire(d, (1, 1), (1, -1))
    d.add(elm.Resistor().endpoints((1, 1), (4, 1)).label("r"))
    noise = elm.SourceI().endpoints((1, -1), (4, -1))
    d.add(noise.label("TRNOISE(na, dt)", loc="bottom", ofst=0.15))
    wire(d, (4, 1), (4, -1))
    wire(d, (4, 0), (5, 0))
    dot(d, (1, 0))
    dot(d, (4, 0))
    pin(d, (5, 0), "b", side="right")
    note(
        d,
        (-0.4, -2.2),
        ["white noise beside r: na = √(2kT/(r·dt)) rms"],
    )


@picture("pbit")
def pbit(d: schemdraw.Drawing) -> None:
    pin(d, (0, 0), "in")
    wire(d, (0, 0), (1.5, 0))
    total = dsp.Sum().at((1.5, 0)).anchor("W")
    d.add(total)
    noise = elm.SourceV().endpoints((2, -3), total.S)
    d.add(noise.label("nz: TRNOISE(sigma, dt)", loc="bottom", ofst=0.3))
    d.add(elm.Ground().at((2, -3)))
    wire(d, total.E, (3.3, 0))
    amp = Amplifier(curve=STEP).at((3.3, 0))
    d.add(amp)
    wire(d, amp.out, (amp.out[0] + 1.2, 0))
    pin(d, (amp.out[0] + 1.2, 0), "out", side="right")
    note(
        d,
        (-0.4, -4.0),
        [
            "V(out) = scale·tanh(sharp·(V(in) + V(nz)))",
            "P(out > 0) = Φ(V(in)/sigma) ≈ logistic(1.7·V(in)/sigma)",
        ],
    )


@picture("osc_cell")
def osc_cell(d: schemdraw.Drawing) -> None:
    top, bottom = 0.0, -3.0

    # the tank node: capacitor, loss, negative conductance, the gyrator's input
    pin(d, (0, top), "node")
    wire(d, (0, top), (8.6, top))
    shunt(d, elm.Capacitor(), 1.8, top, bottom, "c")
    shunt(d, elm.Resistor(), 3.6, top, bottom, "rp")
    shunt(d, elm.SourceControlledI(), 5.8, top, bottom, "−G")
    g1 = shunt(d, elm.SourceControlledI(), 8.6, top, bottom, "gm·V(q)")
    for x in (0.9, 1.8, 3.6, 5.8):
        dot(d, (x, top))

    # the quadrature node q: the gyrator's output, its capacitor and DC path
    g2 = shunt(d, elm.SourceControlledI(), 11.2, top, bottom, "gm·V(node)", up=True)
    c2 = shunt(d, elm.Capacitor(), 14.4, top, bottom, "c")
    r2 = shunt(d, elm.Resistor(), 16.0, top, bottom, "1 TΩ")
    wire(d, (11.2, top), (17.6, top))
    for x in (13.5, 14.4, 16.0):
        dot(d, (x, top))
    pin(d, (17.6, top), "q", side="right")
    wire(d, (1.8, bottom), (16.0, bottom))
    d.add(elm.Ground().at((1.8, bottom)))
    box = elm.EncircleBox([g1, g2, c2, r2], padx=0.3, pady=0.35).linestyle("--")
    d.add(box.label("gyrator-C inductor: L = c/gm² = l", loc="bottom", ofst=0.3))

    # the amplitude control: energy detector and PI loop, a behavioural block
    loop = flow.Box(w=13.6, h=1.2).at((0.4, 2.8)).anchor("W")
    d.add(loop.label("energy detector and PI loop: e, w from (V(node)² + V(q)²)/a²"))
    wire(d, (0.9, top), (0.9, 2.2))
    wire(d, (13.5, top), (13.5, 2.2))
    wire(d, (4.7, 2.2), (4.7, -1.5), ls="--")
    d.add(elm.Arrow(ls="--").endpoints((4.7, -1.5), (5.3, -1.5)))
    d.add(elm.Label().at((4.6, 1.1)).label("e, w", halign="right", fontsize=SMALL))
    note(
        d,
        (-0.4, -4.6),
        [
            "−G: I(node → 0) = −g·(1 + k·(1 − e) + w)·V(node)",
            "e: (V(node)² + V(q)²)/a² through a low-pass of time constant tf",
            "w = ∫(1 − e) dt/ti;  gm = √(c/l), so V(q) = √(l/c)·I(L)",
        ],
    )


@picture("phase_noise")
def phase_noise(d: schemdraw.Drawing) -> None:
    top, bottom = 1.5, -1.5
    pin(d, (0, 0.6), "q")
    pin(d, (0, -0.6), "z")
    mix = flow.Box(w=3.4, h=1.8).at((1.2, 0)).anchor("W")
    d.add(mix.label("−(2·gm/w)\n·V(z)·V(q)"))
    wire(d, (0, 0.6), (1.2, 0.6))
    wire(d, (0, -0.6), (1.2, -0.6))
    d.add(elm.Arrow(ls="--").endpoints(mix.E, (5.6, 0)))
    shunt(d, elm.SourceControlledI(), 6.1, top, bottom, "I", up=True)
    d.add(elm.Ground().at((6.1, bottom)))
    wire(d, (6.1, top), (8, top))
    pin(d, (8, top), "node", side="right")
    note(
        d,
        (-0.4, -2.7),
        [
            "I(0 → node) = −(2·gm/w)·V(z)·V(q), in quadrature with the tank:",
            "its phase turns at V(z) rad/s, its amplitude is untouched",
        ],
    )


@picture("shil")
def shil(d: schemdraw.Drawing) -> None:
    top, bottom = 2.0, -1.0
    pin(d, (0, 0.5), "ref")
    square = flow.Box(w=3.0, h=1.2).at((1, 0.5)).anchor("W")
    d.add(square.label("2·V(ref)²/a² − 1"))
    wire(d, (0, 0.5), (1, 0.5))
    mix = dsp.Mixer().at((4.8, 0.5)).anchor("W")
    d.add(mix)
    wire(d, square.E, mix.W)
    ramp = flow.Box(w=3.0, h=1.2).at((6.6, 0.5)).anchor("W")
    d.add(ramp.label("g·min(t/ramp, 1)"))
    wire(d, mix.E, ramp.W)
    d.add(elm.Arrow(ls="--").endpoints(ramp.E, (10.2, 0.5)))
    shunt(d, elm.SourceControlledI(), 10.7, top, bottom, "I", up=True)
    d.add(elm.Ground().at((10.7, bottom)))
    wire(d, mix.N, (mix.N[0], top), (12.6, top))
    dot(d, (10.7, top))
    pin(d, (12.6, top), "node", side="right")
    note(
        d,
        (-0.4, -2.2),
        ["I(0 → node) = g·min(t/ramp, 1)·V(node)·(2·V(ref)²/a² − 1)"],
    )


# how the networks are wired


def bar(signal: str, index: int | str, inverted: bool = True) -> str:
    """A signal's name with its index as a subscript, overlined when inverted."""
    return f"$\\overline{{{signal}}}_{index}$" if inverted else f"${signal}_{index}$"


def feature_stage(d: schemdraw.Drawing, x: float, y: float, index: str) -> float:
    """A neuron amplifier at (x, y) and its inverter below; returns the right end."""
    amp = Amplifier(curve=TANH, size=1.2).at((x, y))
    d.add(amp)
    return outputs(d, amp.out, "u", index)


def outputs(d: schemdraw.Drawing, xy: Point, signal: str, index: str) -> float:
    """The output of a driver at `xy` and its inverted copy; returns the right end."""
    x, y = xy
    wire(d, xy, (x + 3.6, y))
    dot(d, (x + 0.8, y))
    wire(d, (x + 0.8, y), (x + 0.8, y - 1.6), (x + 1.1, y - 1.6))
    inv = Amplifier(text="−1", size=1.2).at((x + 1.1, y - 1.6))
    d.add(inv)
    wire(d, inv.out, (x + 3.6, y - 1.6))
    for row, inverted in ((y, False), (y - 1.6, True)):
        label = bar(signal, index, inverted)
        d.add(elm.Label().at((x + 3.8, row)).label(label, halign="left", ofst=0))
    return x + 3.6


@picture("hopfield_node")
def hopfield_node(d: schemdraw.Drawing) -> None:
    top, bottom = 0.0, -3.0

    # synapses from other amplifiers' outputs and from inverted copies
    fan(d, (4, top), ["$u_j$", bar("u", "k"), "⋯"], length=2.6)
    note(
        d,
        (0.2, 2.9),
        [
            "$|W_{ij}|/(a R_0)$ from $u_j$, or from",
            r"its inverted copy $\overline{u}_j$ when $W_{ij} < 0$",
        ],
    )

    # the node: capacitor, leak, bias
    wire(d, (4, top), (11, top))
    node_name(d, (4.2, 0.15), "$x_i$")
    shunt(d, elm.Capacitor(), 5.5, top, bottom, "$C_0$")
    shunt(d, elm.Resistor(), 7.4, top, bottom, "$R_{leak}$")
    shunt(d, elm.SourceI(), 9.6, top, bottom, "$I_i$", up=True)
    for x in (4, 5.5, 7.4, 9.6):
        dot(d, (x, top))
    ground_rail(d, 5.5, 9.6, bottom)

    # the neuron amplifier and its inverted copy, read by the other nodes
    amp = Amplifier(curve=TANH).at((11, top))
    d.add(amp)
    note(d, (11.2, -1.0), ["neuron"])
    outputs(d, amp.out, "u", "i")
    note(
        d,
        (0.2, -4.3),
        [
            (
                r"$C_0 \dot{v}_i = \Sigma_j G_{ij} ({\pm a \alpha s_j} - v_i)"
                r" - G_{leak} v_i + I_i$"
            ),
            r"$G_{ij} = |W_{ij}|/(a R_0)$,  $G_{leak} = 1/R_0 - \Sigma_j G_{ij}$,",
            r"$I_i = \alpha b_i/R_0$, so with $x_i = v_i/\alpha$ and $g$ = gain",
            r"$R_0 C_0 \dot{x}_i = {-x_i} + \Sigma_j W_{ij} \tanh(g x_j) + b_i$",
        ],
    )


XI = [[1, 1, -1], [1, -1, 1]]  # the example's two patterns over three features


def memory_row(d: schemdraw.Drawing, k: int, y: float) -> None:
    """m_k averages ±u_j passively; a unit buffer restores h_k."""
    fan(d, (3, y), [bar("u", j, s < 0) for j, s in enumerate(XI[k])])
    node_name(d, (3.2, y + 0.15), f"$m_{k}$")
    dot(d, (3, y))
    wire(d, (3, y), (4, y))
    buf = Amplifier(text="×1", size=1.2).at((4, y))
    d.add(buf)
    outputs(d, buf.out, "h", str(k))


def feature_row(d: schemdraw.Drawing, i: int, y: float) -> None:
    """x_i sums ±h_k and its own inverted output (the diagonal d_i < 0)."""
    x0, bottom = 15.5, y - 2.4
    sources = [bar("h", k, XI[k][i] < 0) for k in range(len(XI))]
    fan(d, (x0, y), [*sources, bar("u", i)])
    node_name(d, (x0 + 0.2, y + 0.15), f"$x_{i}$")
    wire(d, (x0, y), (x0 + 4.4, y))
    shunt(d, elm.Capacitor(), x0 + 1.4, y, bottom, "$C_0$")
    shunt(d, elm.Resistor(), x0 + 3, y, bottom)
    for x in (x0, x0 + 1.4, x0 + 3):
        dot(d, (x, y))
    ground_rail(d, x0 + 1.4, x0 + 3, bottom)
    feature_stage(d, x0 + 4.4, y, str(i))


@picture("hopfield_factored")
def hopfield_factored(d: schemdraw.Drawing) -> None:
    note(d, (-1.5, 3.0), ["memory layer (p = 2)"], fontsize=FONT_SIZE)
    note(d, (11.5, 3.0), ["feature layer (n = 3)"], fontsize=FONT_SIZE)
    for k in range(len(XI)):
        memory_row(d, k, -4.5 * k)
    for i in range(len(XI[0])):
        feature_row(d, i, -4.5 * i)
    note(
        d,
        (-1.5, -7.8),
        [
            r"patterns $\xi_0 = ({+1}, {+1}, {-1})$, $\xi_1 = ({+1}, {-1}, {+1})$:",
            r"$W = \Xi^T \Xi / n - (p/n) I$: $F = \Xi$, $s = 1/n$, $d = {-p/n}$",
            r"into $m_k$: $|F_{kj}|/R_0$ from $u_j$ or $\overline{u}_j$,",
            "a passive average that the buffer copies to $h_k$",
            r"into $x_i$: $|s_k F_{ki}|/(a_k R_0)$ from $h_k$ or $\overline{h}_k$,",
            r"and $|d_i|/(a R_0)$ from $\overline{u}_i$",
            "$2np + n = 15$ conductances (all-to-all: $n^2 = 9$;",
            r"the compiler factors W only when its rank is $\le n/4$)",
        ],
    )


def tank(d: schemdraw.Drawing, x: float) -> None:
    """One osc_cell as its tank: C, the gyrator-C L, and the loss with −G."""
    top, bottom = 0.0, -3.0
    parts = [
        shunt(d, elm.Capacitor(), x, top, bottom, "c"),
        shunt(d, elm.Inductor2(), x + 1.6, top, bottom, "l"),
        shunt(d, elm.RBox(), x + 3.2, top, bottom, "rp, −G"),
    ]
    wire(d, (x, top), (x + 3.2, top))
    wire(d, (x, bottom), (x + 3.2, bottom))
    ground = elm.Ground().at((x + 1.6, bottom))
    d.add(ground)

    box = elm.EncircleBox([*parts, ground], padx=0.3, pady=0.2).linestyle("--")
    d.add(box.label("osc_cell", loc="bottom", ofst=0.2))


def negative_coupling(d: schemdraw.Drawing) -> None:
    """For k₁₂ < 0: each tank fed from the other's inverted copy."""
    blue = {"color": ACCENT}
    wire(d, (12.2, 0), (12.2, 2.4), **blue)
    d.add(Amplifier(text="−1", size=1.1, **blue).at((12.2, 2.4)).left())
    d.add(elm.Resistor(**blue).endpoints((11.15, 2.4), (4.0, 2.4)))
    wire(d, (4.0, 2.4), (4.0, 0), **blue)
    wire(d, (0.8, 0), (0.8, 4.4), **blue)
    d.add(Amplifier(text="−1", size=1.1, **blue).at((0.8, 4.4)))
    resistor = elm.Resistor(**blue).endpoints((1.85, 4.4), (14.2, 4.4))
    label = "$k_{12} < 0$, instead: $2C |k_{12}|/T_m$ from each inverted copy"
    d.add(resistor.label(label, ofst=0.35))
    wire(d, (14.2, 4.4), (14.2, 0), **blue)
    for x in (0.8, 4.0, 12.2, 14.2):
        dot(d, (x, 0))


def pumps(d: schemdraw.Drawing) -> None:
    """A shil pump on each tank, both squaring the reference tank."""
    top, bottom = 0.0, -3.0
    ref = flow.Box(w=8.6, h=1.0).at((7.6, -5)).anchor("center")
    d.add(ref.label("ref: an uncoupled osc_cell at $f_0$", fontsize=SMALL))
    for x, inward, end in ((-2.2, 1, ref.W), (17.4, -1, ref.E)):
        shunt(d, elm.SourceControlledI(), x, top, bottom, "", up=True)
        d.add(elm.Ground().at((x, bottom)))
        d.add(
            elm.Label()
            .at((x - 0.7 * inward, -1.5))
            .label("shil", halign="right" if inward > 0 else "left", ofst=0)
        )
        edge, turn = x + 0.5 * inward, x + 1.2 * inward
        wire(d, end, (turn, -5), (turn, -1.5), ls="--")
        d.add(elm.Arrow(ls="--").endpoints((turn, -1.5), (edge, -1.5)))
    wire(d, (-2.2, top), (0, top))
    wire(d, (14.2, top), (17.4, top))


@picture("coupled_oscillators")
def coupled_oscillators(d: schemdraw.Drawing) -> None:
    tank(d, 0)
    tank(d, 11)
    node_name(d, (-1.1, 0.15), "$o_1$", halign="center")
    node_name(d, (15.8, 0.15), "$o_2$", halign="center")

    # k > 0: one resistor between the tanks
    coupling = elm.Resistor().endpoints((5.2, 0), (9.6, 0))
    d.add(coupling.label("$k_{12} > 0$: $2C k_{12}/T_m$", ofst=0.3))
    wire(d, (3.2, 0), (5.2, 0))
    wire(d, (9.6, 0), (11, 0))
    negative_coupling(d)
    pumps(d)
    note(
        d,
        (-2.9, -6.2),
        [
            (
                r"a conductance $G$ from tank $j$ turns the phase of tank $i$ at"
                r" $(G/2C) \sin(\phi_j - \phi_i)$"
            ),
            (
                r"shil: $I(0 \to o_i) = g_s (2 V_{ref}^2/a^2 - 1) V(o_i)$,"
                r" $g_s = 4 C K_s/T_m$"
            ),
            "one model time unit: $T_m$ = cycles_per_unit/$f_0$",
        ],
    )


if __name__ == "__main__":
    for path in write_all():
        print(path)
