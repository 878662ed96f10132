"""The syntax layer: Python source text as every other layer reads it, knowing nothing else.

``lines`` (line breaks, line starts and offsets, the byte-order mark), ``source_text``
(text sanitized for :mod:`ast`, node spans in code points), ``recovery`` (parsing that never
fails), ``tree`` (a parsed module with its lines, comments and statements). Positions and spans
themselves are :mod:`mockls.spans`. Nothing here imports another part of mockls.
"""
