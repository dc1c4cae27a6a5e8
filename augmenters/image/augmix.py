"""AugMix: a convex mix of the image with a few short chains of random sub-ops."""

from __future__ import annotations

import numpy as np

from ..core.params import WHOLE, Check, Fields, Flag, Float, Int, Items, Spec, Within, passed_through
from ..core.registry import register
from ._policy_base import PolicyAugmenter
from ._policy_ops import geometry_params, geometry_rules, geometry_settings, run_ops
from ..core.summary import number
from ._policy_space import AUGMIX_ALL, AUGMIX_LEVELS, AUGMIX_PARTIAL, draw_any, short_forms, sub_op_rule

_DIGITS = 4


def mixing_weights(rng: np.random.Generator, alpha: float, width: int) -> tuple[float, list[float]]:
    """(original's weight, each chain's weight): Beta(α, α) between the original and the mix of
    chains, Dirichlet(α, …) among chains. Rounded for the record; the largest weight takes the
    rounding remainder so the record's weights sum to 1."""
    split = rng.dirichlet([alpha, alpha])
    shares = rng.dirichlet([alpha] * width) * split[1]
    weights = [round(float(w), _DIGITS) for w in (split[0], *shares)]
    largest = int(np.argmax(weights))
    weights[largest] = round(1.0 - sum(w for i, w in enumerate(weights) if i != largest), _DIGITS)
    return weights[0], weights[1:]


@register("augmix")
class AugMix(PolicyAugmenter):
    description = (
        "AugMix (Hendrycks et al. 2020): run `mixture_width` chains of 1-3 random sub-ops on copies "
        "of the image, then blend the original and the chains with Beta/Dirichlet weights."
    )
    spec = Spec(
        Int("severity", default=3, min=1, max=10, help="Magnitude bins drawn from: the first `severity` of 10"),
        Int("mixture_width", default=3, min=1, max=10, help="How many augmented chains are blended"),
        Int("chain_depth", default=-1, min=-1, max=10, help="Sub-ops per chain; -1 (or 0) draws 1 to 3 per chain"),
        Float("alpha", default=1.0, min=0.05, max=10.0, help="Concentration of the Beta and Dirichlet weights"),
        Flag("all_ops", default=True, help="Also use brightness, colour, contrast and sharpness"),
        *geometry_settings("bilinear"),
    )

    def sample(self, settings, data, rng):
        space = AUGMIX_ALL if settings["all_ops"] else AUGMIX_PARTIAL
        size = self.size_of(data)
        original, chain_weights = mixing_weights(rng, settings["alpha"], settings["mixture_width"])
        chains = []
        for weight in chain_weights:
            depth = settings["chain_depth"] if settings["chain_depth"] > 0 else int(rng.integers(1, 4))
            ops = [draw_any(space, AUGMIX_LEVELS, size, rng, levels=settings["severity"]) for _ in range(depth)]
            chains.append({"weight": weight, "ops": ops})
        return {"severity": settings["severity"], "original_weight": original, "chains": chains, **geometry_params(settings)}

    def param_rules(self, settings, data):
        space = AUGMIX_ALL if settings["all_ops"] else AUGMIX_PARTIAL
        depth = (settings["chain_depth"],) * 2 if settings["chain_depth"] > 0 else (1, 3)
        sub_op = sub_op_rule(space, AUGMIX_LEVELS, self.size_of(data), levels=settings["severity"])
        chain = Fields({"weight": Within(0.0, 1.0), "ops": Items(sub_op, least=depth[0], most=depth[1])})
        width = settings["mixture_width"]

        def convex(params: dict) -> bool:
            return abs(params["original_weight"] + sum(c["weight"] for c in params["chains"]) - 1.0) < 1e-9

        return {
            **passed_through(settings, "severity"),
            "original_weight": Within(0.0, 1.0),
            "chains": Items(chain, least=width, most=width),
            WHOLE: Check(convex, "weights that sum to 1"),
            **geometry_rules(settings),
        }

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        # Accumulate in float32 and truncate, as torchvision's AugMix does.
        mix = np.multiply(data, np.float32(params["original_weight"]), dtype=np.float32)
        for chain in params["chains"]:
            mix += np.float32(chain["weight"]) * run_ops(data, chain["ops"], params).astype(np.float32)
        return np.clip(mix, 0, 255).astype(np.uint8)

    def summarize(self, params: dict, settings: dict | None = None) -> str:
        """`original 0.7767 + 0.2049 × (TranslateY 4 px) + …`: each chain's weight and sub-ops."""
        chains = [f"{number(c['weight'])} × ({short_forms(c['ops'])})" for c in params.get("chains", [])]
        return " + ".join([f"original {number(params.get('original_weight', 0.0))}", *chains])
