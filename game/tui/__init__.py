"""The Textual game. Knows the engine and the store, never TOML."""
