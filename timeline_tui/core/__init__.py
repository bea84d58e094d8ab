"""The pure core: model, dates, loading, validation, search, store, export. Never imports textual."""
