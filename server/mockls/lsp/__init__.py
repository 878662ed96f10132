"""The only code that knows pygls and lsprotocol: the server object, handlers, converters."""
