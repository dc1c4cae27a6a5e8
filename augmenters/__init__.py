"""augplay's library: the augmenter registry, seeded pipelines with records, and safe input loading.

Importing this package is fast and offline: plugins are discovered on first registry use
and load their heavy libraries (torch, imgaug, models) only when they run.
"""

from .core.augmenter import Augmenter, Health, Partner
from .core.errors import AugplayError, InputError, PipelineError, ReplayError, SettingsError
from .core.params import Choice, Flag, Float, FloatRange, Int, IntRange, MultiChoice, Spec, Text, TextList
from .core.registry import register, registry
from .loader import image_mode, load_image, load_text, to_pil
from .pipeline import Group, PartnerList, Pipeline, Step, replay_record

__all__ = [
    "Augmenter",
    "AugplayError",
    "Choice",
    "Flag",
    "Float",
    "FloatRange",
    "Group",
    "Health",
    "InputError",
    "Int",
    "IntRange",
    "MultiChoice",
    "Partner",
    "PartnerList",
    "Pipeline",
    "PipelineError",
    "ReplayError",
    "SettingsError",
    "Spec",
    "Step",
    "Text",
    "TextList",
    "image_mode",
    "load_image",
    "load_text",
    "register",
    "registry",
    "replay_record",
    "to_pil",
]
