"""The dataset export engine, and the one sample path every preview and export goes through.

- `sources`: where items come from (image folder, ZIP sandbox, CSV/JSONL/TXT, one file).
- `render`: one item → its variants' bytes and records (`render_variants`), used by
  `augplay preview`, the app, `augplay export` and `augplay replay` alike.
- `plan`: rows, variant counts (balancing), output names.
- `journal`: lock, resume, refusal of a mixed-up folder.
- `worker` + `engines/`: where rows run; `writers`: the final files; `run`: all of it.
"""

from .journal import DiskFullError, ExportBusyError
from .plan import ExportOptions
from .render import Encoding, Failed, Rendered, render_item, render_variants
from .run import ExportResult, estimate, export_dataset, replay_row, write_replay
from .sources import ImageFilesSource, ImageFolderSource, Item, Source, SourceLimits, TextLinesSource, TextSampleSource, TextTableSource, open_source

__all__ = [
    "DiskFullError",
    "Encoding",
    "ExportBusyError",
    "ExportOptions",
    "ExportResult",
    "Failed",
    "ImageFilesSource",
    "ImageFolderSource",
    "Item",
    "Rendered",
    "Source",
    "SourceLimits",
    "TextLinesSource",
    "TextSampleSource",
    "TextTableSource",
    "estimate",
    "export_dataset",
    "open_source",
    "render_item",
    "render_variants",
    "replay_row",
    "write_replay",
]
