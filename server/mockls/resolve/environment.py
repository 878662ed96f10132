"""Targets outside the workspace: the standard library and the site-packages of the user's
interpreter, read by jedi.

This is the only module that imports jedi (lazily: importing mockls never starts it), and all
jedi work is serialized by one lock, because jedi is not thread-safe. jedi finds where a
dotted name is defined (``goto``); what the definition is (a classmethod, a signature as
written) is then read from that file with the same :mod:`ast` summary the workspace index
uses, and only for compiled modules from jedi's own signatures. Every answer is cached: the
environment does not change while the server runs.

The interpreter is the configured one, else the workspace's ``.venv``/``venv``, else the
server's own. jedi *runs* it (to ask its ``sys.path`` and to inspect compiled modules) only
when the caller allows it (``run_interpreter``: a trusted workspace in the editor, ``mockls
check --verify`` or ``--python``); otherwise the environment is *read*: jedi runs the
server's own interpreter (its standard library stands in for the user's) with the
environment's ``site-packages`` and ``.pth`` directories (:func:`mockls.layout.site_directories`)
added as source only, so no compiled module of theirs is ever loaded. When the interpreter
cannot be used, every answer is ``None`` (cannot tell).
"""

from __future__ import annotations

import inspect
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from mockls.files import SourceError, read_source, too_large, too_large_file
from mockls.layout import find_interpreter, site_directories
from mockls.resolve.environment_cache import EnvironmentCache
from mockls.resolve.module_summary import ClassSummary, ModuleSummary, summarize_module
from mockls.resolve.resolution import (
    Completion,
    Location,
    Origin,
    ParameterKind,
    Resolution,
    Resolved,
    Signature,
    SignatureParameter,
    TargetKind,
    Unresolved,
)
from mockls.resolve.workspace_targets import closest_names
from mockls.spans import Span

log = logging.getLogger(__name__)

__all__ = ["EnvironmentResolver"]

Answer = TypeVar("Answer")

JediName = Any
"""A ``jedi.api.classes.Name`` (jedi ships no type information)."""

_JEDI_KINDS = {
    "module": TargetKind.MODULE,
    "class": TargetKind.CLASS,
    "function": TargetKind.FUNCTION,
    "instance": TargetKind.ATTRIBUTE,
    "statement": TargetKind.ATTRIBUTE,
    "param": TargetKind.ATTRIBUTE,
    "property": TargetKind.PROPERTY,
}

_PARAMETER_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: ParameterKind.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: ParameterKind.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.VAR_POSITIONAL: ParameterKind.VAR_POSITIONAL,
    inspect.Parameter.KEYWORD_ONLY: ParameterKind.KEYWORD_ONLY,
    inspect.Parameter.VAR_KEYWORD: ParameterKind.VAR_KEYWORD,
}

_SOURCE_SUFFIXES = (".py", ".pyi")

_JEDI_LOCK = threading.RLock()
"""All jedi work in the process, whatever the environment: jedi and parso keep caches of
their own for the whole process, and are not thread-safe. (One lock per environment let two
projects' lookups run at once, and a project made again for new settings beside the old one:
``dictionary changed size during iteration`` from inside jedi, seen in a sandbox hover.)"""

_OS_PATH = "ntpath" if sys.platform == "win32" else "posixpath"
"""The module ``os.path`` is on this platform (the user's interpreter runs here too)."""


class EnvironmentResolver:
    """Resolves dotted targets in the user's Python environment, with jedi."""

    def __init__(
        self, root: Path | None, python: str | None, *, run_interpreter: bool = False
    ) -> None:
        self.root = root
        self.interpreter = find_interpreter(root, python)
        self.run_interpreter = run_interpreter
        """Whether jedi may start :attr:`interpreter`; else its packages are only read."""
        self._read_directories = () if run_interpreter else site_directories(self.interpreter)
        self._lock = _JEDI_LOCK
        self._session: tuple[Any, Any] | None = None
        self._unavailable = False
        self._resolutions: dict[str, Resolution] = {}
        self._completions: dict[str, list[Completion]] = {}
        self._top_level: list[str] | None = None
        self._summaries: dict[str, ModuleSummary | None] = {}
        self._disk = EnvironmentCache(self.interpreter, root, runs_interpreter=run_interpreter)
        self._sys_path: list[str] = []
        self._files_read: list[str] = []
        """The source files the answer being worked out was read from."""

    # -- public -----------------------------------------------------------------------

    def resolve(self, target: str) -> Resolution:
        """What ``target`` names in the environment; ``None`` when it cannot be told."""
        with self._lock:
            if target not in self._resolutions:
                self._resolutions[target] = self._kept_or_worked_out(
                    ("resolve", target), lambda: self._resolve(target), None
                )
            return self._resolutions[target]

    def top_level_modules(self) -> list[str]:
        """The names of the environment's top-level modules (standard library included)."""
        with self._lock:
            if self._top_level is None:
                no_names: list[str] = []
                self._top_level = self._kept_or_worked_out(
                    ("top-level", ""), self._top_level_modules, no_names
                )
            return self._top_level

    def completions(self, base: str) -> list[Completion]:
        """The names that can follow ``base.`` (``''``: the top-level modules)."""
        if not base:
            return [Completion(name, TargetKind.MODULE, name) for name in self.top_level_modules()]
        with self._lock:
            if base not in self._completions:
                nothing: list[Completion] = []
                self._completions[base] = self._kept_or_worked_out(
                    ("complete", base), lambda: self._complete(base), nothing
                )
            return list(self._completions[base])

    def _kept_or_worked_out(
        self, key: tuple[str, str], work_out: Callable[[], Answer], failed: Answer
    ) -> Answer:
        """The answer kept on disk, else worked out with jedi (and kept); ``failed`` when
        jedi fails, as it does in many ways on odd code."""
        found, answer = self._disk.get(key)
        if found:
            return cast(Answer, answer)  # kept under this key by this method
        self._files_read = []
        try:
            worked_out = work_out()
        except Exception:
            log.exception("jedi failed on %s %r", *key)
            return failed
        if self._session is not None:
            self._disk.put(key, worked_out, self._files_read, self._sys_path)
        return worked_out

    # -- jedi -------------------------------------------------------------------------

    def _script(self, code: str) -> Any | None:
        session = self._open()
        if session is None:
            return None
        # import cycle: none; jedi is imported lazily because it is slow to import and to warm
        import jedi  # noqa: PLC0415

        environment, project = session
        return jedi.Script(code=code, project=project, environment=environment)

    def _open(self) -> tuple[Any, Any] | None:
        if self._session is not None or self._unavailable:
            return self._session
        import jedi  # noqa: PLC0415 (jedi is slow to import: only when first needed)

        runs = self.interpreter if self.run_interpreter else sys.executable
        try:
            environment = jedi.create_environment(runs, safe=False)
            # fails now, not on every request, when it is broken
            self._sys_path = [
                *environment.get_sys_path(),
                *(str(directory) for directory in self._read_directories),
            ]
        except Exception as error:
            log.warning(
                "cannot use the Python environment of %s (%s): targets outside the workspace"
                " are not checked",
                runs,
                error,
            )
            self._unavailable = True
            return None
        project = jedi.Project(
            self.root or Path.cwd(),
            environment_path=runs,
            added_sys_path=[str(directory) for directory in self._read_directories],
            smart_sys_path=False,
        )
        self._session = (environment, project)
        return self._session

    def _resolve(self, target: str) -> Resolution:
        segments = target.split(".")
        if not all(segment.isidentifier() for segment in segments):
            return None
        written = target
        shift = 0
        if target == "os.path" or target.startswith("os.path."):
            # jedi reads os.py's platform branches in order and lands in ntpath everywhere.
            target = _OS_PATH + target[len("os.path") :]
            segments = [_OS_PATH, *segments[2:]]
            shift = 1
        script = self._script(f"import {segments[0]}\n{target}")
        if script is None:
            return None
        found = script.goto(2, len(target), follow_imports=True)
        if found:
            return self._resolved(written, found[0])
        parent: JediName | None = None
        for index in range(len(segments)):
            prefix = ".".join(segments[: index + 1])
            found = script.goto(2, len(prefix), follow_imports=True)
            if found:
                parent = found[0]
                if parent.type == "module" and (parent.line or 0) > 1:
                    # an ``import x as name`` statement: the module itself is what it binds
                    parent = next(iter(script.infer(2, len(prefix))), parent)
                continue
            if index == 0:
                return Unresolved(written, 0, "")
            if not self._lists_all_attributes(parent):
                return None
            names = [completion.label for completion in self._complete(".".join(segments[:index]))]
            if segments[index] in names:
                return None  # listed but not followable (a star import from a compiled module)
            failing = index + shift
            return Unresolved(
                written,
                failing,
                ".".join(written.split(".")[:failing]),
                closest_names(segments[index], names),
            )
        return None  # every prefix resolves but not the whole: jedi cannot tell

    def _resolved(self, target: str, name: JediName) -> Resolved:
        path = Path(name.module_path) if name.module_path is not None else None
        if path is not None:
            self._files_read.append(str(path))
        origin = self._origin(path)
        kind = _JEDI_KINDS.get(name.type, TargetKind.UNKNOWN)
        signature: Signature | None = None
        location: Location | None = None
        if path is not None:
            if name.type == "module":
                location = Location(str(path), Span.of(0, 0, 0, 0))
            elif name.line is not None:
                line, column = name.line - 1, name.column or 0
                location = Location(str(path), Span.of(line, column, line, column + len(name.name)))
        definition = self._definition(name)
        if definition is not None:
            kind, signature = definition
            if kind is TargetKind.CLASS:  # its constructor, along its bases
                signature = self._jedi_signature(name)
        else:
            if kind is TargetKind.FUNCTION:
                parent = name.parent()
                if parent is not None and parent.type == "class":
                    kind = TargetKind.METHOD
            signature = self._jedi_signature(name) if kind in _CALLABLE else None
        return Resolved(target, kind, name.full_name or target, origin, location, signature)

    def _definition(self, name: JediName) -> tuple[TargetKind, Signature | None] | None:
        """The kind and signature of the definition jedi found, read from its source file."""
        if name.type == "module" or name.line is None:
            return None
        summary = self._summary(name.module_path)
        if summary is None:
            return None
        line = name.line - 1
        for binding in summary.bindings.values():
            if binding.name == name.name and binding.span.start.line == line:
                return binding.target_kind, binding.signature
            if binding.class_summary is not None:
                found = _member_at(binding.class_summary, name.name, line)
                if found is not None:
                    return found
        return None

    def _lists_all_attributes(self, container: JediName | None) -> bool:
        """Whether a name missing from ``container`` is really missing: a module whose source
        is readable and has no module ``__getattr__``, or a standard library class."""
        if container is None or container.module_path is None:
            return False
        summary = self._summary(container.module_path)
        if summary is None or summary.dynamic or summary.partial:
            return False
        if container.type == "module":
            return True
        if (
            container.type != "class"
            or self._origin(Path(container.module_path)) is not Origin.STDLIB
        ):
            return False
        klass = _class_at(summary, container.name, (container.line or 0) - 1)
        return klass is not None and not klass.dynamic

    def _summary(self, module_path: Any) -> ModuleSummary | None:
        if module_path is None:
            return None
        path = str(module_path)
        if not path.endswith(_SOURCE_SUFFIXES):
            return None
        self._files_read.append(path)
        if path not in self._summaries:
            self._summaries[path] = _read_summary(Path(path))
        return self._summaries[path]

    def _origin(self, path: Path | None) -> Origin:
        if path is None:
            return Origin.STDLIB  # built into the interpreter
        parts = path.parts
        if "typeshed" in parts:
            return (
                Origin.STDLIB
                if "stdlib" in parts[parts.index("typeshed") :]
                else Origin.ENVIRONMENT
            )
        if "site-packages" in parts or "dist-packages" in parts:
            return Origin.ENVIRONMENT
        if any(path.is_relative_to(directory) for directory in self._read_directories):
            return Origin.ENVIRONMENT
        if self.root is not None and path.is_relative_to(self.root):
            return Origin.WORKSPACE
        return Origin.STDLIB

    def _jedi_signature(self, name: JediName) -> Signature | None:
        signatures = name.get_signatures()
        if len(signatures) != 1:
            return None  # overloads (or none): which one applies cannot be told
        parameters = []
        for parameter in signatures[0].params:
            kind = _PARAMETER_KINDS.get(parameter.kind)
            if kind is None:
                return None
            annotation, default = _split_parameter(parameter.to_string())
            parameters.append(
                SignatureParameter(
                    parameter.name,
                    kind,
                    has_default=default is not None,
                    annotation=annotation,
                    default=default,
                )
            )
        return Signature(tuple(parameters))

    def _complete(self, base: str) -> list[Completion]:
        segments = base.split(".")
        if not all(segment.isidentifier() for segment in segments):
            return []
        script = self._script(f"import {segments[0]}\n{base}.")
        if script is None:
            return []
        owner = script.goto(2, len(base), follow_imports=True)
        in_class = bool(owner) and owner[0].type == "class"
        completions = []
        for completion in script.complete(2, len(base) + 1):
            kind = _JEDI_KINDS.get(completion.type, TargetKind.UNKNOWN)
            if kind is TargetKind.FUNCTION and in_class:
                kind = TargetKind.METHOD
            completions.append(
                Completion(completion.name, kind, completion.full_name or completion.name)
            )
        return completions

    def _top_level_modules(self) -> list[str]:
        script = self._script("import ")
        if script is None:
            return []
        return sorted(
            {
                completion.name
                for completion in script.complete(1, len("import "))
                if completion.name.isidentifier()
            }
        )


_CALLABLE = (
    TargetKind.CLASS,
    TargetKind.FUNCTION,
    TargetKind.METHOD,
    TargetKind.CLASSMETHOD,
    TargetKind.STATICMETHOD,
)


def _read_summary(path: Path) -> ModuleSummary | None:
    """The summary of the module file at ``path``; ``None`` when it cannot be read or is over
    the size limit (what it binds is then unknown, never a finding)."""
    refusal = too_large_file(path)
    if refusal is None:
        try:
            text = read_source(path)
        except SourceError:
            return None
        refusal = too_large(text)
        if refusal is None:
            return summarize_module(path.stem, str(path), text, path.stem == "__init__")
    log.info("not reading %s: %s", path, refusal)
    return None


def _member_at(
    klass: ClassSummary, name: str, line: int
) -> tuple[TargetKind, Signature | None] | None:
    for member in klass.members.values():
        if member.name == name and member.span.start.line == line:
            return member.kind, member.signature
        if member.nested is not None:
            found = _member_at(member.nested, name, line)
            if found is not None:
                return found
    return None


def _class_at(summary: ModuleSummary, name: str, line: int) -> ClassSummary | None:
    """The class ``name`` defined on 0-based ``line`` of a module, nested ones included."""
    pending: list[tuple[str, int, ClassSummary | None]] = [
        (binding.name, binding.span.start.line, binding.class_summary)
        for binding in summary.bindings.values()
    ]
    while pending:
        found_name, found_line, klass = pending.pop()
        if klass is None:
            continue
        if found_name == name and found_line == line:
            return klass
        pending.extend(
            (member.name, member.span.start.line, member.nested)
            for member in klass.members.values()
        )
    return None


def _split_parameter(text: str) -> tuple[str | None, str | None]:
    """The annotation and default of a parameter jedi renders as ``name: annotation=default``."""
    text = text.lstrip("*")
    depth = 0
    quote = ""
    colon = equals = -1
    for index, character in enumerate(text):
        if quote:
            if character == quote:
                quote = ""
        elif character in "'\"":
            quote = character
        elif character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
        elif depth == 0 and character == ":" and colon < 0 and equals < 0:
            colon = index
        elif depth == 0 and character == "=" and equals < 0:
            equals = index
    end = equals if equals >= 0 else len(text)
    annotation = text[colon + 1 : end].strip() if colon >= 0 else None
    default = text[equals + 1 :].strip() if equals >= 0 else None
    return annotation or None, default or None
