"""Image augmenters: one plugin per module; modules starting with `_` hold shared kernels."""
