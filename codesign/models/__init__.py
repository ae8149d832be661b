"""The abstract energy models: the intermediate representation every backend builds.

| name | role |
| --- | --- |
| `AbstractModel` | the interface: vector field, energy, readout, Jacobian |
| `HopfieldModel` | continuous-time Hopfield network (Hopfield 1984) |
| `DenseModel` | two-layer dense associative memory (Krotov & Hopfield 2021) |
| `BoltzmannModel`, `RBM` | Boltzmann machine on ±1 units; RBM trained by CD-k |
| `KuramotoModel` | Kuramoto phase oscillators (mean-field when all-to-all) |
| `OIMModel` | oscillator Ising machine with second-harmonic injection |
| `LCAModel` | locally competitive algorithm for sparse coding (LASSO) |
| `Graph`, `read_rudy` | Max-Cut instances in rudy/G-set format |
| `MODELS` | kind name → model class |
"""

from . import learning as learning
from ._base import MODELS as MODELS
from ._base import AbstractModel as AbstractModel
from .boltzmann import RBM as RBM
from .boltzmann import BoltzmannModel as BoltzmannModel
from .dense import DenseModel as DenseModel
from .hopfield import HopfieldModel as HopfieldModel
from .kuramoto import KuramotoModel as KuramotoModel
from .lca import LCAModel as LCAModel
from .maxcut import Graph as Graph
from .maxcut import read_rudy as read_rudy
from .oim import OIMModel as OIMModel
