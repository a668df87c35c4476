"""Training on several processes (machines) at once, data-parallel, on JAX's own engine.

Every process runs the same command with its own ``process_id``; ``initialize`` joins them through
``jax.distributed.initialize`` (Keras' ``keras.distribution.initialize``), after which
``jax.devices()`` lists every process's devices and the ``Trainer`` lays its weights out replicated
and each global batch split over all of them (``keras.distribution.DataParallel``). The gradients
are averaged across processes by the collectives XLA inserts: Gloo between CPU processes, NCCL
between GPUs, the interconnect on a TPU pod.

Every process draws the same global batch (the batch depends only on the seed and the step) and
feeds its own slice of it, so N processes train exactly as one process with the same global batch.
Only process 0 writes checkpoints, cards and the optimizer state; to resume, every process reads
them, so the checkpoint folder must be visible to all of them (one machine, or a shared file system).
"""

import jax
import numpy as np


def initialize(coordinator_address, num_processes, process_id):
    """Join a run of ``num_processes`` processes coordinated by process 0 at ``coordinator_address``
    (``HOST:PORT``). Call it before anything else uses JAX.

    Raises:
        ValueError: an address without a port, or a process id outside ``[0, num_processes)``.
    """
    import keras

    host, _, port = str(coordinator_address).rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"coordinator_address must be HOST:PORT, received coordinator_address={coordinator_address!r}")
    if isinstance(num_processes, bool) or not isinstance(num_processes, int) or num_processes < 1:
        raise ValueError(f"num_processes must be a positive int, received num_processes={num_processes!r}")
    if isinstance(process_id, bool) or not isinstance(process_id, int) or not 0 <= process_id < num_processes:
        raise ValueError(f"process_id must be an int in [0, {num_processes}), received process_id={process_id!r}")
    jax.config.update("jax_cpu_collectives_implementation", "gloo")  # CPU processes talk through Gloo
    keras.distribution.initialize(job_addresses=coordinator_address, num_processes=num_processes,
                                  process_id=process_id)


def is_main_process():
    """True on process 0 (and in a single-process run): the one that writes files."""
    return jax.process_index() == 0


def global_batch(values, layouts):
    """Global arrays of ``values`` (each the whole global batch, the same on every process) laid out by
    ``layouts``: each process hands over only its own slice of the batch."""
    count, index = jax.process_count(), jax.process_index()
    if count == 1:
        return [jax.device_put(v, layout) for v, layout in zip(values, layouts)]
    part = len(values[0]) // count
    return [jax.make_array_from_process_local_data(layout, np.asarray(v)[index * part:(index + 1) * part])
            for v, layout in zip(values, layouts)]


def replicated(values, layouts):
    """Global arrays holding ``values`` (the same on every process) on every device of ``layouts``."""
    if jax.process_count() == 1:
        return [jax.device_put(v, layout) for v, layout in zip(values, layouts)]
    out = []
    for value, layout in zip(values, layouts):
        host = np.asarray(value)
        out.append(jax.make_array_from_callback(host.shape, layout, lambda index, host=host: host[index]))
    return out


def local_value(array):
    """A replicated global array as an array of this process (what Keras variables hold between steps)."""
    if jax.process_count() == 1 or not isinstance(array, jax.Array) or array.is_fully_addressable:
        return array
    return array.addressable_data(0)
