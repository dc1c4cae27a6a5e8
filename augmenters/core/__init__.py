"""The augmenter contract: specs, base class, registry and errors."""
