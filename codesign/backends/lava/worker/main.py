"""Run one compiled model on Lava's simulator: ``python main.py FOLDER``.

Protocol (version `PROTOCOL`): FOLDER holds ``model.json`` (scalars) and
``arrays.npz`` (arrays) written by the core; this script writes ``result.npz``
(``history``, ``counts``, ``timing``) beside them and exits 0, or prints the error
on standard error and exits 1. Nothing is pickled in either direction.

The graph is one neuron population and Lava `Dense` (or `Sparse`) processes
closing the loop (more than one when a weight is split into a high and a low part,
or when sources differ in scale):

    neuron.s_out ──▶ Dense | Sparse (weights_k) ──▶ neuron.a_in

The runtime is stopped in a ``finally``, whatever happens. The core kills the
worker's process group when a run ends, fails or times out; when the core itself
is killed outright (SIGKILL, or SIGTERM without a handler) a watchdog thread here
sees its parent go, removes FOLDER and kills the group, Lava's runtime processes
included, so that nothing runs on orphaned.
"""

import json
import os
import shutil
import signal
import sys
import threading
import time

PROTOCOL = 1
PARENT_VARIABLE = "CODESIGN_LAVA_PARENT"  # pid of the core that started us
WATCH_SECONDS = 0.1
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402


def build(spec, arrays, dump):
    """The neuron and Dense processes of a compiled model (`spec` from model.json).

    The neuron writes its history and counts to the file `dump` at the last tick.
    """
    from lava.proc.dense.process import Dense
    from lava.proc.sparse.process import Sparse
    from lava.utils.weightutils import SignMode
    from lava_procs.process import PhaseNeuron, RateNeuron, StochasticNeuron
    from scipy.sparse import csr_matrix

    # the neuron population
    rows = spec["rows"]
    params = dict(spec["neuron"], stride=spec["stride"], ticks=spec["ticks"], dump=dump)
    if spec["family"] == "rate":
        neuron = RateNeuron(
            v=arrays["v0"],
            bias=arrays["bias"],
            decay=arrays["decay"],
            fanout=arrays["fanout"],
            tables=arrays["tables"],
            rows=rows,
            **params,
        )
    elif spec["family"] == "stochastic":
        neuron = StochasticNeuron(
            s=arrays["s0"],
            bias=arrays["bias"],
            colors=arrays["colors"],
            uniforms=arrays["uniforms"],
            table=arrays["table"],
            fanout=arrays["fanout"],
            rows=rows,
            **params,
        )
    else:
        neuron = PhaseNeuron(
            p=arrays["p0"],
            omega=arrays["omega"],
            fanout=arrays["fanout"],
            cos=arrays["cos"],
            sin=arrays["sin"],
            noise=arrays["noise"],
            rows=rows,
            **params,
        )

    # the synapses (one Dense or Sparse, or more when a weight is split or
    # sources differ in scale); a_in sums them
    for k, synapse in enumerate(spec["dense"]):
        weights = arrays[f"weights_{k}"]
        process = Sparse if synapse.get("sparse") else Dense
        dense = process(
            weights=csr_matrix(weights) if synapse.get("sparse") else weights,
            num_message_bits=24,
            weight_exp=synapse["weight_exp"],
            num_weight_bits=synapse["weight_bits"],
            sign_mode=SignMode.MIXED,
        )
        neuron.s_out.connect(dense.s_in)
        dense.a_out.connect(neuron.a_in)
    return neuron


def run(folder):
    """Build, run and read back one compiled model; write result.npz."""
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg

    with open(os.path.join(folder, "model.json")) as stream:
        spec = json.load(stream)
    if spec.get("protocol") != PROTOCOL:
        raise RuntimeError(
            f"compiled model has protocol {spec.get('protocol')}, "
            f"this worker speaks {PROTOCOL}; rerun ./setup.sh"
        )
    with np.load(os.path.join(folder, "arrays.npz"), allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}

    # build, run, read back; stop the runtime whatever happens
    start = time.perf_counter()
    dump = os.path.join(folder, "trace.npz")
    neuron = build(spec, arrays, dump)
    tag = "fixed_pt" if spec["precision"] == "fixed" else "floating_pt"
    try:
        built = time.perf_counter()
        neuron.run(
            condition=RunSteps(num_steps=spec["ticks"]),
            run_cfg=Loihi2SimCfg(select_tag=tag),
        )
        ran = time.perf_counter()
    finally:
        neuron.stop()
    with np.load(dump, allow_pickle=False) as trace:
        history, counts = trace["history"], trace["counts"]
    timing = np.array([built - start, ran - built, time.perf_counter() - ran])

    # write the result atomically
    partial = os.path.join(folder, "result.part.npz")
    np.savez(partial, history=history, counts=counts, timing=timing)
    os.replace(partial, os.path.join(folder, "result.npz"))


def watch_parent(folder):
    """End this worker's process group once the core that started it is gone.

    Only when the core names itself in ``$CODESIGN_LAVA_PARENT`` (it starts the
    worker as the leader of a new session, so the group is the worker's own).
    """
    parent = os.environ.get(PARENT_VARIABLE)
    if not parent:
        return

    def watch():
        while os.getppid() == int(parent):
            time.sleep(WATCH_SECONDS)
        shutil.rmtree(folder, ignore_errors=True)
        os.killpg(os.getpgrp(), signal.SIGKILL)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: main.py FOLDER", file=sys.stderr)
        sys.exit(2)
    watch_parent(sys.argv[1])
    try:
        run(sys.argv[1])
    except Exception as error:  # reported to the core on stderr, last line first
        import traceback

        traceback.print_exc()
        print(f"worker error: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
