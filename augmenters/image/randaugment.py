"""RandAugment: N sub-ops drawn uniformly, all at one shared magnitude M."""

from __future__ import annotations

from ..core.errors import SettingsError
from ..core.params import All, Check, Int, Items, Spec, passed_through
from ..core.registry import register
from ._policy_base import PolicyAugmenter
from ._policy_ops import geometry_params, geometry_rules, geometry_settings
from ._policy_space import RANDAUGMENT, draw_any, sub_op_rule


def _check_magnitude(settings: dict, where: str) -> None:
    """The one rule a spec cannot say: M must name one of the bins."""
    if settings["magnitude"] >= settings["num_magnitude_bins"]:
        raise SettingsError(
            f"{where}: 'magnitude' = {settings['magnitude']} must be below "
            f"'num_magnitude_bins' = {settings['num_magnitude_bins']}"
        )


@register("randaugment")
class RandAugment(PolicyAugmenter):
    description = (
        "RandAugment (Cubuk et al. 2020): apply N sub-ops picked uniformly (with repeats) from 14, "
        "all at magnitude bin M, each shear/translate/rotate/enhance sign drawn at random."
    )
    spec = Spec(
        Int("num_ops", default=2, min=0, max=10, help="N: how many sub-ops to apply in a row"),
        Int("magnitude", default=9, min=0, max=100, help="M: the magnitude bin, 0 to num_magnitude_bins - 1"),
        Int("num_magnitude_bins", default=31, min=2, max=101, help="How many bins span each sub-op's range"),
        *geometry_settings("nearest"),
    )

    def validate_settings(self, settings, where=None):
        out = super().validate_settings(settings, where)
        _check_magnitude(out, where or self.name)
        return out

    def sample(self, settings, data, rng):
        _check_magnitude(settings, self.name)  # settings may come from a caller that skipped validation
        size = self.size_of(data)
        bins, level = settings["num_magnitude_bins"], settings["magnitude"]
        ops = [draw_any(RANDAUGMENT, bins, size, rng, level=level) for _ in range(settings["num_ops"])]
        return {"magnitude": level, "num_magnitude_bins": bins, "ops": ops, **geometry_params(settings)}

    def param_rules(self, settings, data):
        bins, level, n = settings["num_magnitude_bins"], settings["magnitude"], settings["num_ops"]
        at_m = Check(lambda op: op.get("level", level) == level, f"at magnitude bin {level}")
        return {
            **passed_through(settings, "magnitude", "num_magnitude_bins"),
            "ops": Items(All(sub_op_rule(RANDAUGMENT, bins, self.size_of(data)), at_m), least=n, most=n),
            **geometry_rules(settings),
        }
