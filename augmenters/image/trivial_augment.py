"""TrivialAugment (Wide): one sub-op per image, at a magnitude bin drawn uniformly."""

from __future__ import annotations

from ..core.params import Int, Items, Spec, passed_through
from ..core.registry import register
from ._policy_base import PolicyAugmenter
from ._policy_ops import geometry_params, geometry_rules, geometry_settings
from ._policy_space import WIDE, draw_any, sub_op_rule


@register("trivial_augment")
class TrivialAugment(PolicyAugmenter):
    description = (
        "TrivialAugment Wide (Müller & Hutter 2021): one sub-op picked uniformly from 14, "
        "at a uniformly drawn magnitude bin of the wide ranges (rotate up to 135°, shear 0.99)."
    )
    spec = Spec(
        Int("num_magnitude_bins", default=31, min=2, max=101, help="How many bins span each sub-op's range"),
        *geometry_settings("nearest"),
    )

    def sample(self, settings, data, rng):
        bins = settings["num_magnitude_bins"]
        ops = [draw_any(WIDE, bins, self.size_of(data), rng)]
        return {"num_magnitude_bins": bins, "ops": ops, **geometry_params(settings)}

    def param_rules(self, settings, data):
        bins = settings["num_magnitude_bins"]
        return {
            **passed_through(settings, "num_magnitude_bins"),
            "ops": Items(sub_op_rule(WIDE, bins, self.size_of(data)), least=1, most=1),
            **geometry_rules(settings),
        }
