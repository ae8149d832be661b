"""Netlist text: the parts library, an element builder and the electrical-rules check.

A `Netlist` collects elements whose names and nodes the compiler derives from
indices (``x3``, ``u3``, ``RL3``), never from user text. `Netlist.render` checks the
circuit (`check_rules`) and writes text that plain ``ngspice -b`` runs: a title, a
generated-by header, the library subcircuits it uses (inlined, so the file stands
alone), the elements, ``.tran``, ``.save`` and ``.print`` of the state nodes, ``.end``.

The parts live in ``circuits/*.lib``; each part's header states its pins,
parameters and units, and two machine-read lines say how it conducts at DC:
``* dc-ground: PINS`` (pins driven against ground; ``dc-ground(PART):`` for one
part of the file) and ``* dc-link: A B`` (pins joined by a resistance). The
electrical-rules check reads them.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..._errors import CodesignError

# the source tree's circuits/, or where a wheel installs it (data-files)
LIBRARY_PLACES = (
    Path(__file__).resolve().parents[3] / "circuits",
    Path(sys.prefix) / "share" / "codesign" / "circuits",
)
GROUND = "0"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TITLE_SAFE = re.compile(r"[^A-Za-z0-9 _+=,-]")


class NetlistError(CodesignError, ValueError):
    """A netlist broke an electrical rule, or asked for a part that does not exist."""


@dataclass(frozen=True)
class Part:
    """One subcircuit of the library: its pins, parameters and DC behaviour."""

    name: str
    pins: tuple[str, ...]
    params: tuple[str, ...]
    dc_ground: tuple[str, ...]
    dc_links: tuple[tuple[str, str], ...]
    text: str


@functools.cache
def library() -> dict[str, Part]:
    """Every part of ``circuits/*.lib``, by name."""
    folder = next((p for p in LIBRARY_PLACES if p.is_dir()), None)
    if folder is None:
        raise NetlistError(
            "`circuits/`: the SPICE parts library must be installed (got no folder "
            f"at {' or '.join(map(str, LIBRARY_PLACES))}); reinstall codesign"
        )
    parts = {}
    for path in sorted(folder.glob("*.lib")):
        parts.update(_parse_library(path.read_text(encoding="utf-8")))
    return parts


def _parse_library(text: str) -> dict[str, Part]:
    # dc lines name pins of every part in the file, or of one: "dc-ground(part):"
    dc_ground: dict[str | None, tuple[str, ...]] = {}
    dc_links: list[tuple[str, str]] = []
    for match in re.finditer(r"^\* dc-ground(?:\((\w+)\))?:(.*)$", text, re.M):
        dc_ground[match[1]] = tuple(match[2].split())
    for match in re.finditer(r"^\* dc-link:(.*)$", text, re.M):
        a, b = match[1].split()
        dc_links.append((a, b))

    # one part per .subckt ... .ends block
    parts = {}
    blocks = re.findall(r"^\.subckt .*?^\.ends[^\n]*$", text, re.M | re.S)
    for block in blocks:
        head = block.splitlines()[0].split()
        name = head[1]
        split = head.index("params:") if "params:" in head else len(head)
        pins = tuple(head[2:split])
        params = tuple(p.split("=")[0] for p in head[split + 1 :])
        grounded = dc_ground.get(name, dc_ground.get(None, ()))
        links = tuple((a, b) for a, b in dc_links if a in pins and b in pins)
        parts[name] = Part(
            name, pins, params, tuple(p for p in grounded if p in pins), links, block
        )
    return parts


@dataclass(frozen=True)
class Element:
    """One card: a name, its nodes and the rest of the card after the nodes.

    `links` are the node pairs it joins at DC; `part` names its subcircuit, if any;
    `senses` the nodes a behavioural expression reads (they count as connected).
    """

    name: str
    nodes: tuple[str, ...]
    value: str
    links: tuple[tuple[str, str], ...] = ()
    part: str | None = None
    senses: tuple[str, ...] = ()

    def card(self) -> str:
        return " ".join((self.name, *self.nodes, self.value))


@dataclass
class Netlist:
    """A circuit under construction, and its analysis.

    `text` is the complete netlist once `render` has run.
    """

    title: str
    header: list[str] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    tran: tuple[float, float] = (1e-6, 1e-3)
    probes: list[str] = field(default_factory=list)
    saves: list[str] = field(default_factory=list)
    text: str = ""

    # element builders --------------------------------------------------------------
    def resistor(self, name: str, a: str, b: str, ohms: float) -> None:
        """``Rname a b ohms``."""
        self.add(Element(f"r{name}", (a, b), f"{ohms:.9g}", ((a, b),)))

    def capacitor(
        self, name: str, a: str, b: str, farads: float, initial: float | None = None
    ) -> None:
        """``Cname a b farads [IC=volts]``."""
        value = f"{farads:.9g}" + (f" IC={initial:.9g}" if initial is not None else "")
        self.add(Element(f"c{name}", (a, b), value))

    def current(self, name: str, a: str, b: str, value: str) -> None:
        """``Iname a b value``: the current flows from `a` through the source to `b`."""
        self.add(Element(f"i{name}", (a, b), value))

    def instance(
        self, name: str, part: str, nodes: tuple[str, ...], **params: float
    ) -> None:
        """``Xname nodes part k=v ...``, a subcircuit of the library."""
        spec = library().get(part)
        if spec is None:
            raise NetlistError(
                f"`{part}`: must be a part of the circuits library "
                f"(got an unknown part; have {', '.join(library())})"
            )
        if len(nodes) != len(spec.pins):
            raise NetlistError(
                f"`x{name}`: part {part} needs {len(spec.pins)} pins "
                f"({' '.join(spec.pins)}) (got {len(nodes)})"
            )
        pin = dict(zip(spec.pins, nodes, strict=True))
        links = [(pin[p], GROUND) for p in spec.dc_ground]
        links += [(pin[a], pin[b]) for a, b in spec.dc_links]
        values = " ".join(f"{k}={v:.9g}" for k, v in params.items())
        self.add(
            Element(f"x{name}", nodes, f"{part} {values}".strip(), tuple(links), part)
        )

    def add_raw(
        self,
        name: str,
        nodes: tuple[str, ...],
        value: str,
        links: tuple[tuple[str, str], ...] = (),
        senses: tuple[str, ...] = (),
    ) -> None:
        """Any other card, e.g. ``Vname a b PWL(...)``; `links` are its DC paths,
        `senses` the nodes its expression reads."""
        self.add(Element(name, nodes, value, links, senses=senses))

    def add(self, element: Element) -> None:
        names = (element.name, *(n for n in element.nodes if n != GROUND))
        if not all(_NAME.match(name) for name in names):
            raise NetlistError(
                f"`{element.name}`: element and node names must be "
                "lower-case letters, digits and _ (got "
                f"{element.card()[:60]!r})"
            )
        self.elements.append(element)

    # output -------------------------------------------------------------------------
    def render(self) -> str:
        """Check the circuit and write its text; also stored in `text`."""
        check_rules(self)
        used = sorted({e.part for e in self.elements if e.part})
        lines = [self.title, *(f"* {line}" for line in self.header), ""]
        lines += ["* parts from the codesign circuits library (circuits/*.lib)"]
        lines += [library()[name].text for name in used]
        lines += ["", *(e.card() for e in self.elements), ""]
        if self.options:
            lines.append(
                ".options " + " ".join(f"{k}={v}" for k, v in self.options.items())
            )
        step, stop = self.tran
        lines.append(f".tran {step:.9g} {stop:.9g} 0 {step:.9g} UIC")
        probes = " ".join(f"v({node})" for node in self.probes)
        saves = " ".join(f"v({node})" for node in self.saves if node not in self.probes)
        lines += [
            f".save {probes} {saves}".rstrip(),
            f".print tran {probes}",
            ".end",
            "",
        ]
        self.text = "\n".join(lines)
        return self.text


def safe_comment(text: str, limit: int = 60) -> str:
    """User text reduced to letters, digits and ` _+=,-` for a comment line.

    No dot survives, so no SPICE control word (`.control`, `.include`) can appear.
    """
    return _TITLE_SAFE.sub("", " ".join(str(text).split()))[:limit]


def check_rules(netlist: Netlist) -> None:
    """The electrical-rules check; raise `NetlistError` listing every problem.

    - duplicate element names (SPICE names are case-insensitive);
    - floating nodes: a node that only one element terminal touches (an output
      that a part drives against ground may stay unused);
    - nodes with no DC path to ground (through resistors, inductors, voltage
      sources and the parts' declared DC paths).
    """
    problems = []

    # duplicate names
    seen: set[str] = set()
    for element in netlist.elements:
        if element.name in seen:
            problems.append(
                f"`{element.name}`: element names must be unique (got a "
                "second element of that name)"
            )
        seen.add(element.name)

    # terminals per node, and DC components by union-find
    touches: dict[str, int] = {}
    driven: set[str] = set()
    parent: dict[str, str] = {GROUND: GROUND}
    for element in netlist.elements:
        driven.update(a for a, b in element.links if b == GROUND and element.part)
        for node in (*element.nodes, *element.senses):
            touches[node] = touches.get(node, 0) + 1
            parent.setdefault(node, node)
        for a, b in element.links:
            parent.setdefault(a, a)
            parent.setdefault(b, b)
            parent[_root(parent, a)] = _root(parent, b)
    grounded = _root(parent, GROUND)

    for node in sorted(touches):
        if node == GROUND:
            continue
        if touches[node] < 2 and node not in driven:
            problems.append(
                f"`node {node}`: must connect to two or more terminals "
                "(got one: a floating node)"
            )
        if _root(parent, node) != grounded:
            problems.append(
                f"`node {node}`: must have a DC path to ground (got only "
                "capacitors, current sources or sensing inputs)"
            )
    if problems:
        shown = "; ".join(problems[:5])
        raise NetlistError(
            f"electrical-rules check failed with {len(problems)} problem(s): {shown}"
        )


def _root(parent: dict[str, str], node: str) -> str:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node
