"""Where an export's rows run: `local` (this machine's processes); `ray` lives beside it, imported lazily."""
