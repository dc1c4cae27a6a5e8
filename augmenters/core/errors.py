"""Exception types: every refusal in augplay is one of these, with a message a user can act on."""


class AugplayError(Exception):
    """Base of all augplay errors; its message is meant for humans."""


class SettingsError(AugplayError, ValueError):
    """A step's settings do not fit the augmenter's spec."""


class UnknownAugmenterError(AugplayError, KeyError):
    """A name that is not in the registry."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DuplicateAugmenterError(AugplayError):
    """Two augmenters tried to register under one name."""


class PipelineError(AugplayError, ValueError):
    """A pipeline or preset file that cannot be used as written."""


class ReplayError(AugplayError, ValueError):
    """A record that does not fit the data or the registry it is replayed on."""


class AugmenterUnavailableError(AugplayError, RuntimeError):
    """The augmenter exists but cannot run here (missing model, data or library)."""


class InputError(AugplayError, ValueError):
    """An input (image or text) that augplay refuses to take in."""


class UnsupportedFormatError(InputError):
    pass


class ImageTooLargeError(InputError):
    pass


class CorruptImageError(InputError):
    pass


class TextDecodeError(InputError):
    pass


class TextTooLargeError(InputError):
    pass


class EmptyInputError(InputError):
    pass
