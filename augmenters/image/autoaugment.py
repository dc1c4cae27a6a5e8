"""AutoAugment: one of 25 learned two-step sub-policies per image (ImageNet, CIFAR-10 or SVHN)."""

from __future__ import annotations

from ..core.params import Choice, Spec
from ..core.registry import register
from ._policy_base import PolicyAugmenter
from ._policy_ops import geometry_params, geometry_settings
from ._policy_space import AUTOAUGMENT, draw
from ._policy_tables import LEVELS, POLICIES


@register("autoaugment")
class AutoAugment(PolicyAugmenter):
    description = (
        "AutoAugment (Cubuk et al. 2019): pick one of the policy's 25 sub-policies; "
        "each of its two sub-ops fires with its own probability at its learned magnitude."
    )
    spec = Spec(
        Choice("policy", default="imagenet", choices=tuple(POLICIES), help="Which published policy table to draw from"),
        *geometry_settings("nearest"),
    )

    def sample(self, settings, data, rng):
        table = POLICIES[settings["policy"]]
        index = int(rng.integers(len(table)))
        size = self.size_of(data)
        ops = []
        for name, probability, level in table[index]:
            if rng.random() <= probability:
                ops.append(draw(AUTOAUGMENT, name, level, LEVELS, size, rng))
        return {
            "policy": settings["policy"],
            "sub_policy": {"index": index, "table": [list(sub_op) for sub_op in table[index]]},
            "ops": ops,
            **geometry_params(settings),
        }
