"""imgaug 0.4.0 on NumPy 2: restore the removed aliases it uses, fix its `convertMaps` call, import it once.

imgaug is unmaintained; this is the one place that knows about its NumPy 2 breakage
(DESIGN §7). Plugins call `load_imgaug()` lazily and `imgaug_health()` for their status.
imgaug draws from its own global RNG, so every call goes through `run_seeded` under one lock.
"""

from __future__ import annotations

import threading
import types
from typing import Any, Callable

import numpy as np

from ..core.augmenter import Augmenter, Health

_LOCK = threading.Lock()  # imgaug's global RNG and our alias patching are process-wide
_state: dict[str, Any] = {}

# Aliases NumPy 2 removed that imgaug 0.4.0 still reads at import or call time.
_ALIASES = {"bool": bool, "int": int, "float": float, "complex": complex, "object": object, "str": str}
_SCTYPES = {
    "int": [np.int8, np.int16, np.int32, np.int64],
    "uint": [np.uint8, np.uint16, np.uint32, np.uint64],
    "float": [np.float16, np.float32, np.float64],
    "complex": [np.complex64, np.complex128],
    "others": [bool, object, bytes, str, np.void],
}


def _restore_numpy_aliases() -> None:
    for name, value in _ALIASES.items():
        if name not in np.__dict__:
            setattr(np, name, value)
    if "sctypes" not in np.__dict__:
        np.sctypes = _SCTYPES


def _float32_convert_maps(cv2_module: types.ModuleType) -> types.ModuleType:
    """A stand-in for cv2 inside imgaug.geometric: `convertMaps` needs float32 maps, imgaug passes float64."""
    proxy = types.ModuleType("cv2_imgaug_proxy")
    proxy.__dict__.update({k: v for k, v in vars(cv2_module).items() if not k.startswith("__")})

    def convert_maps(map1, map2, dstmap1type, *args, **kwargs):
        return cv2_module.convertMaps(
            np.asarray(map1, dtype=np.float32), np.asarray(map2, dtype=np.float32), dstmap1type, *args, **kwargs
        )

    proxy.convertMaps = convert_maps
    return proxy


def load_imgaug() -> Any:
    """`imgaug.augmenters`, importable on NumPy 2. Raises ImportError with the reason if not."""
    if "iaa" in _state:
        return _state["iaa"]
    if "error" in _state:
        raise ImportError(_state["error"])
    with _LOCK:
        if "iaa" not in _state and "error" not in _state:
            try:
                import cv2

                _restore_numpy_aliases()
                import imgaug.augmenters as iaa
                import imgaug.augmenters.geometric as geometric

                geometric.cv2 = _float32_convert_maps(cv2)
                _state["iaa"] = iaa
            except Exception as exc:  # any failure inside an unmaintained library disables its ops
                _state["error"] = f"imgaug cannot be imported here ({type(exc).__name__}: {exc})"
    return load_imgaug()


def imgaug_health() -> Health:
    """Cheap after the first call; imports imgaug (no models) to be sure it works."""
    try:
        load_imgaug()
    except ImportError as exc:
        return Health("disabled", str(exc))
    return Health()


def run_seeded(build: Callable[[Any], Any], image: np.ndarray, seed: int) -> np.ndarray:
    """Build an imgaug augmenter with `build(iaa)` and run it on `image` with its RNG seeded from `seed`.

    The lock makes the seeding and the call one step, so two threads with the same
    seeds get the same outputs.
    """
    iaa = load_imgaug()
    import imgaug.random as iarandom

    with _LOCK:
        # Building some augmenters (Rain, Snowflakes: their child layers) draws seeds from
        # imgaug's global RNG. Their output does not depend on it (seed_ reseeds every child),
        # but other imgaug users in the process would see it move: put it back as it was.
        global_rng = iarandom.get_global_rng()
        saved = global_rng.state
        try:
            augmenter = build(iaa)
            augmenter.seed_(int(seed))
            out = augmenter.augment_image(image)
        finally:
            global_rng.set_state_(saved)
    return np.ascontiguousarray(out)


def seed_param(rng: np.random.Generator) -> int:
    """The seed imgaug gets; recorded in params so replay is exact."""
    return int(rng.integers(2**31 - 1))



class ImgaugAugmenter(Augmenter):
    """Base of the plugins that run imgaug: their status is whether imgaug imports here."""

    backend = "imgaug"

    def check_health(self) -> Health:
        return imgaug_health()
