"""Source text -> the model of mock usage that every rule reads. Pure: no I/O, no LSP."""
