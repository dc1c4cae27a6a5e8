"""AutoAugment: one of 25 learned two-step sub-policies per image (ImageNet, CIFAR-10 or SVHN)."""

from __future__ import annotations

from ..core.params import WHOLE, Check, Choice, Items, Spec, passed_through
from ..core.registry import register
from ._policy_base import PolicyAugmenter
from ._policy_ops import geometry_params, geometry_rules, geometry_settings
from ._policy_space import AUTOAUGMENT, draw, sub_op_rule
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

    def param_rules(self, settings, data):
        table = POLICIES[settings["policy"]]

        def from_table(sub_policy: dict) -> bool:
            index = sub_policy.get("index")
            return isinstance(index, int) and 0 <= index < len(table) and sub_policy == {
                "index": index,
                "table": [list(sub_op) for sub_op in table[index]],
            }

        def in_order(params: dict) -> bool:
            # The applied ops are the sub-policy's entries that fired, in its order.
            remaining = [(name, level) for name, _, level in table[params["sub_policy"]["index"]]]
            for op in params["ops"]:
                while remaining and remaining[0] != (op["op"], op.get("level")):
                    remaining.pop(0)
                if not remaining:
                    return False
                remaining.pop(0)
            return True

        return {
            **passed_through(settings, "policy"),
            "sub_policy": Check(from_table, f"one of the {len(table)} sub-policies of the {settings['policy']} table"),
            "ops": Items(sub_op_rule(AUTOAUGMENT, LEVELS, self.size_of(data)), most=2),
            WHOLE: Check(in_order, "the chosen sub-policy's ops that fired, in order"),
            **geometry_rules(settings),
        }
