"""Runtime checks: what ``pytest --mockls`` records of a test run, and what it makes of it.

``plugin`` is the pytest plugin (entry point ``pytest11``, inert without ``--mockls``);
``recording`` watches the run through ``mockengine.instrumentation``; ``facts`` is what it
keeps (plain data, JSON, content digests); ``judgement`` turns facts into findings in the
existing codes and lets the run overrule static findings; ``store`` keeps the facts in
pytest's cache, where ``mockls check`` and the server read them.
"""
