"""Work arrays reused by a thread's later calls, for kernels that make many large temporaries.

On this VM a fresh array of a few hundred kB costs more in page faults than the arithmetic on
it (glibc hands big blocks back to the system and maps them again on the next call). A
scratch array is never returned to a caller: outputs stay new arrays.
"""

from __future__ import annotations

import math
import threading

import numpy as np

_LOCAL = threading.local()
_KEEP_AT_MOST = 1 << 24  # elements; a larger request gets a fresh array that is not kept


def scratch(slot: str, shape: tuple, dtype=np.float32) -> np.ndarray:
    """This thread's C-contiguous work array for `slot`, of this shape and dtype (contents undefined).

    One buffer a (slot, dtype), grown as needed, so varying shapes reuse it too."""
    size = math.prod(shape)  # not np.prod: this runs ~20 times a call, and np.prod costs 20 us
    if size > _KEEP_AT_MOST:
        return np.empty(shape, dtype=dtype)
    buffers = _LOCAL.__dict__.setdefault("buffers", {})
    key = (slot, dtype)
    buffer = buffers.get(key)
    if buffer is None or buffer.size < size:
        buffer = buffers[key] = np.empty(max(size, int(1.25 * (0 if buffer is None else buffer.size))), dtype=dtype)
    return buffer[:size].reshape(shape)
