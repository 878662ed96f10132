"""The ``mockls`` command: the language server (the default) and ``mockls check``.

``mockls`` with no subcommand serves the Language Server Protocol on stdio (what editors run;
``--stdio`` is accepted because vscode-languageclient passes it) or on ``--tcp HOST:PORT``.
``mockls check PATH...`` lints files and directories and prints the findings (``--verify``:
checked in the sandbox, and with what running the tests found); the facts of the last
``pytest --mockls`` run of a project overrule its findings. A plain check runs nothing of
the workspace: the environment's packages are read from its files, and an interpreter runs
only with ``--verify`` or one named by ``--python``. ``mockls merge-reports REPORT...``
prints one JSON report from several. Exit codes of ``check``: 0 clean, 1 findings, 2 usage
error or a path that cannot be read or decoded.
Everything but the report goes to stderr; the server never writes anything but the protocol
to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mockls import __version__
from mockls.analysis.snapshot import ModuleSnapshot
from mockls.check_processes import available_cores, map_in_processes
from mockls.config import (
    LoadedSettings,
    ProjectSettingsFinder,
    Settings,
    load_settings_file,
    parse_override,
    with_overrides,
)
from mockls.files import (
    PathExcluder,
    SourceError,
    decode_source,
    read_source_bytes,
    too_large,
    walk_python_files,
)
from mockls.findings import Finding
from mockls.fix_application import FileChangedError, fix_source, write_fixed
from mockls.layout import choose_interpreter
from mockls.linter import lint_module
from mockls.pytest_options import read_pytest_options
from mockls.report import (
    FORMATS,
    STATISTICS_FORMATS,
    CheckedFile,
    fix_summary_line,
    format_applied_fixes,
    format_diff,
    format_report,
    format_statistics,
    format_text,
    summary_line,
    terminal_safe,
)
from mockls.resolve.project import Project, ProjectFile
from mockls.rules import ALL_RULES, RULES_BY_CODE
from mockls.runtime.merging import ReportError, merge_reports
from mockls.sandbox import SandboxFault, SandboxPool, SuiteRun
from mockls.verification.batch import run_selected, with_run_after_claims
from mockls.verification.claims import verify_findings
from mockls.verification.runs import SelectedTest, run_lines, selected_tests
from mockls.workspace import Workspace

log = logging.getLogger(__name__)

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, --version, or a usage error argparse reported
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_ERROR
    try:
        if arguments.command == "check":
            return _check(arguments)
        if arguments.command == "merge-reports":
            return _merge_reports(arguments)
        return _serve(arguments)
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockls",
        description=(
            "Finds the unittest.mock mistakes that let tests pass while testing nothing. "
            "Without a subcommand, runs the language server on stdio."
        ),
    )
    parser.add_argument("--version", action="version", version=f"mockls {__version__}")
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument(
        "--stdio", action="store_true", help="serve on stdin/stdout (the default)"
    )
    transport.add_argument(
        "--tcp",
        metavar="HOST:PORT",
        type=_host_and_port,
        help="serve on a TCP socket instead (for debugging)",
    )
    parser.add_argument("--log-file", metavar="PATH", help="write the server's log here")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-v: info, -vv: debug)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="lint Python files and directories and print the findings",
        description=(
            "Lint Python files and directories (default: where `pytest` run here would look"
            " for tests: the `testpaths` of a pytest configuration in the current directory,"
            " else the current directory). Exit status: 0 no findings, 1 findings, 2 usage"
            " error or a file that cannot be read."
        ),
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories (default: pytest's testpaths when configured here, else .)",
    )
    check.add_argument(
        "--format",
        dest="output_format",
        choices=FORMATS,
        default="text",
        help="output format (default: text)",
    )
    check.add_argument(
        "--output-file", metavar="PATH", help="write the report to this file instead of stdout"
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print how many findings of each code instead of the findings (text or json)",
    )
    fixing = check.add_argument_group("fixes")
    fixing.add_argument(
        "--fix",
        action="store_true",
        help=(
            "apply the safe fixes (with --verify, also those the sandbox proved) and report what "
            "remains"
        ),
    )
    fixing.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff, apply every fix"
    )
    fixing.add_argument(
        "--diff",
        action="store_true",
        help="print the changes --fix would make as a unified diff, and change nothing",
    )
    fixing.add_argument(
        "--show-fixes",
        action="store_true",
        help="list the fixes applied (with --fix) or each finding's fixes (without)",
    )
    selection = check.add_argument_group("rule selection")
    selection.add_argument(
        "--select", metavar="CODES", help="comma-separated rule codes to run (replaces the config)"
    )
    selection.add_argument(
        "--ignore",
        metavar="CODES",
        help="comma-separated rule codes to skip (replaces the config)",
    )
    selection.add_argument(
        "--extend-select", metavar="CODES", help="rule codes to run besides the config's select"
    )
    selection.add_argument(
        "--extend-ignore", metavar="CODES", help="rule codes to skip besides the config's ignore"
    )
    selection.add_argument(
        "--per-file-ignores",
        metavar="GLOB:CODES",
        action="append",
        default=[],
        help="skip the comma-separated CODES in files matching GLOB (repeatable)",
    )
    check.add_argument(
        "--config",
        metavar="PATH | KEY=VALUE",
        action="append",
        default=[],
        help=(
            "read [tool.mockls] from this pyproject.toml instead of the nearest one of each "
            "file, or override one of its keys with a TOML line (repeatable)"
        ),
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument(
        "--verify",
        action="store_true",
        help=(
            "run code in the sandbox (where the sandbox setting allows it): check the findings "
            "that running a patch can confirm, and run the tests that patch once per project "
            "with mockls's pytest plugin, whose run has the last word"
        ),
    )
    check.add_argument(
        "--python",
        metavar="PATH",
        help=(
            "the Python whose packages patch targets may name, and that --verify runs (replaces"
            " the config); mockls may run it to ask. Without it (and without --verify) no"
            " interpreter runs: the environment is read from its files"
        ),
    )
    check.add_argument(
        "--jobs",
        metavar="N",
        type=_positive_count,
        default=available_cores(),
        help="lint in N processes (default: one per CPU; 1: in this process)",
    )
    check.add_argument(
        "-v",
        "--verbose",
        dest="check_verbose",
        action="count",
        default=0,
        help="log more, with tracebacks of internal errors",
    )

    merge = commands.add_parser(
        "merge-reports",
        help="merge the JSON reports of several runs (pytest --mockls-report, CI shards)",
        description=(
            "Print one JSON report with every finding of the given reports once "
            "(pytest --mockls-report files, or mockls check --format json outputs)."
        ),
    )
    merge.add_argument("reports", nargs="+", metavar="REPORT", help="JSON report files")
    merge.add_argument("-o", "--output", metavar="PATH", help="write it here instead of stdout")
    return parser


def _positive_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1, got {text!r}")
    return int(text)


def _merge_reports(arguments: argparse.Namespace) -> int:
    try:
        merged = merge_reports(Path(path) for path in arguments.reports)
    except ReportError as error:
        _error(str(error))
        return EXIT_ERROR
    text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    if arguments.output is None:
        _write_stdout(text)
    else:
        Path(arguments.output).write_text(text, encoding="utf-8")
    return EXIT_FINDINGS if merged else EXIT_CLEAN


def _host_and_port(text: str) -> tuple[str, int]:
    host, separator, port = text.rpartition(":")
    if not separator or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.removeprefix("[").removesuffix("]"), int(port)


# --- the language server ----------------------------------------------------------------------


def _serve(arguments: argparse.Namespace) -> int:
    handler: logging.Handler
    if arguments.log_file:
        try:
            handler = logging.FileHandler(arguments.log_file, encoding="utf-8")
        except OSError as error:
            _error(f"cannot open log file {arguments.log_file}: {error.strerror}")
            return EXIT_ERROR
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _configure_logging(handler, arguments.verbose)

    # Imported here so that `mockls check` does not pay for importing pygls.
    from mockls.lsp.server import serve_stdio, serve_tcp  # noqa: PLC0415

    if arguments.tcp is not None:
        host, port = arguments.tcp
        try:
            serve_tcp(host, port)
        except OSError as error:  # the address is taken or cannot be bound
            _error(f"cannot serve on {host}:{port}: {error.strerror or error}")
            return EXIT_ERROR
        return EXIT_CLEAN
    return serve_stdio()


# --- mockls check -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _SettingsOptions:
    """What the command line says about the settings, laid over each file's config.

    ``select``/``ignore`` replace the config's (``None``: keep them), the ``extend`` ones and
    ``per_file_ignores`` add to it, ``overrides`` are ``--config KEY=VALUE`` tables.
    """

    select: frozenset[str] | None = None
    ignore: frozenset[str] | None = None
    extend_select: frozenset[str] = frozenset()
    extend_ignore: frozenset[str] = frozenset()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    overrides: tuple[Mapping[str, object], ...] = ()

    def apply(self, settings: Settings) -> Settings:
        settings = with_overrides(settings, self.overrides, Path(os.path.abspath(".")))
        select = settings.select if self.select is None else self.select
        if select is not None and self.extend_select:
            select |= self.extend_select
        ignore = settings.ignore if self.ignore is None else self.ignore
        return replace(
            settings,
            select=select,
            ignore=ignore | self.extend_ignore,
            per_file_ignores=settings.per_file_ignores + self.per_file_ignores,
        )


def _check(arguments: argparse.Namespace) -> int:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            # A file name that is not valid UTF-8 must not crash the report.
            stream.reconfigure(errors="backslashreplace")
    handler = logging.StreamHandler(sys.stderr)
    verbosity = arguments.verbose + arguments.check_verbose
    handler.setFormatter(_CheckFormatter(show_tracebacks=verbosity > 0))
    _configure_logging(handler, verbosity)

    try:
        options, config_path = _settings_options(arguments)
        _check_option_combinations(arguments)
    except _UsageError as error:
        _error(str(error))
        return EXIT_ERROR

    finder: ProjectSettingsFinder | None = None
    settings_for: Callable[[Path], LoadedSettings]
    if config_path is None:
        finder = ProjectSettingsFinder()
        settings_for = finder.for_directory
    else:
        fixed = load_settings_file(config_path)
        for problem in fixed.problems:
            _warning(problem)

        def settings_for(_directory: Path) -> LoadedSettings:
            return fixed

    given_paths = arguments.paths or _default_paths()
    files, failed = _discover(given_paths, settings_for)
    if finder is not None:
        for problem in finder.problems:
            _warning(problem)
    if not files and not failed:
        _warning("no Python files found")

    run_interpreter, run_sandbox = check_may_run(arguments)
    workspace = Workspace(
        lambda root: _file_settings(options, settings_for(root), arguments.python),
        lambda _settings: run_interpreter,
        fallback_root=_common_parent(arguments.paths or ["."]),
        roots=finder.roots if finder is not None else None,
    )
    fixing = _fixing(arguments)
    checked = _lint_files(
        files,
        options,
        workspace,
        python=arguments.python,
        verify=run_sandbox,
        jobs=arguments.jobs,
        fixing=fixing,
    )
    failed = failed or len(checked) < len(files)

    problem_count = sum(len(file.findings) for file in checked)
    try:
        _write_report(arguments, checked)
    except OSError as error:
        _error(f"--output-file: cannot write {arguments.output_file}: {error.strerror or error}")
        return EXIT_ERROR
    if fixing is not None:
        repaired = sum(len(applied.findings) for file in checked for applied in file.applied)
        print(fix_summary_line(repaired, problem_count, dry_run=fixing.dry_run), file=sys.stderr)
    elif arguments.output_format == "text" and not arguments.statistics:
        files_with_problems = sum(1 for file in checked if file.findings)
        print(summary_line(problem_count, files_with_problems, len(checked)), file=sys.stderr)
    if failed:
        return EXIT_ERROR
    if arguments.exit_zero:
        return EXIT_CLEAN
    if fixing is not None and fixing.dry_run:
        # As ruff's --diff: 1 when there is something to apply.
        return EXIT_FINDINGS if any(file.applied for file in checked) else EXIT_CLEAN
    return EXIT_FINDINGS if problem_count else EXIT_CLEAN


def _write_report(arguments: argparse.Namespace, checked: list[CheckedFile]) -> None:
    """The report in the chosen format (the diffs, with ``--diff``), to stdout or the
    ``--output-file``."""
    output_format: str = arguments.output_format
    if arguments.diff:
        report = format_diff(checked)
    elif arguments.statistics:
        report = format_statistics(checked, output_format)
    else:
        base_directory = Path(os.path.abspath("."))
        if output_format == "text":
            report = format_text(checked, show_fixes=arguments.show_fixes and not arguments.fix)
        else:
            report = format_report(output_format, checked, ALL_RULES, __version__, base_directory)
        if arguments.fix and arguments.show_fixes and output_format == "text":
            report += format_applied_fixes(checked)
    if arguments.output_file is None:
        _write_stdout(report)
    else:
        Path(arguments.output_file).write_text(report, encoding="utf-8", errors="surrogateescape")


def check_may_run(arguments: argparse.Namespace) -> tuple[bool, bool]:
    """What ``mockls check`` with ``arguments`` may run: the user's interpreter (to read
    targets outside the workspace; else its environment is read from its files), and the
    sandbox (where the settings allow it). docs/sandbox.md's table says the same."""
    return arguments.verify or arguments.python is not None, arguments.verify


def _lint_files(
    files: list[tuple[Path, LoadedSettings]],
    options: _SettingsOptions,
    workspace: Workspace,
    *,
    python: str | None,
    verify: bool,
    jobs: int,
    fixing: Fixing | None = None,
) -> list[CheckedFile]:
    """The files that could be checked, with their findings (verified when asked), fixed
    first when asked; ``python`` replaces the interpreter the settings name.

    Only linted, the files are linted in ``jobs`` processes, forked once every project they
    need is indexed; verified or fixed, one after the other (each project has one sandbox
    pool, and fixes rewrite files). Verified, each project's selected tests then run once,
    and the run has the last word on the findings of its files.
    """
    if not verify and fixing is None:
        tasks = []
        for path, loaded in files:
            settings = _file_settings(options, loaded, python)
            tasks.append((path, loaded.root, settings, _project_file(workspace, path)))
        linted = map_in_processes(_lint_task, tasks, jobs)
        return [result for result in linted if result is not None]
    sandboxes = _Sandboxes(workspace) if verify else None
    checked: list[CheckedFile] = []
    try:
        for path, loaded in files:
            settings = _file_settings(options, loaded, python)
            project = _project_file(workspace, path)
            verifier = sandboxes.verifier(project, settings) if sandboxes else None
            result = _lint_file(
                path, loaded.root, settings, project, verify=verifier, fixing=fixing
            )
            if result is not None:
                checked.append(result)
        if sandboxes is not None:
            sandboxes.run_tests()
            checked = [sandboxes.with_run(file) for file in checked]
    finally:
        if sandboxes is not None:
            sandboxes.close()
    return checked


def _file_settings(
    options: _SettingsOptions, loaded: LoadedSettings, python: str | None
) -> Settings:
    """A file's settings with the command line's options over its project's."""
    settings = options.apply(loaded.settings)
    return settings if python is None else replace(settings, python=python)


def _lint_task(task: tuple[Path, Path | None, Settings, ProjectFile | None]) -> CheckedFile | None:
    return _lint_file(*task)


class _UsageError(Exception):
    """A command line that cannot be run; the message says why."""


def _code_option(option: str, value: str | None) -> frozenset[str] | None:
    """The rule codes of a comma-separated option; ``None`` when it is absent or empty."""
    if value is None:
        return None
    codes = frozenset(code.strip() for code in value.split(",") if code.strip())
    unknown = sorted(codes - RULES_BY_CODE.keys())
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(RULES_BY_CODE), n=1)
        hint = (
            f" (did you mean {close[0]!r}?)" if close else f" (codes: {', '.join(RULES_BY_CODE)})"
        )
        noun = "code" if len(unknown) == 1 else "codes"
        listed = ", ".join(repr(code) for code in unknown)
        raise _UsageError(f"{option}: unknown rule {noun} {listed}{hint}")
    return codes or None


def _settings_options(arguments: argparse.Namespace) -> tuple[_SettingsOptions, Path | None]:
    """The settings the command line gives, and the one config file it names, if any."""
    per_file_ignores = []
    for entry in arguments.per_file_ignores:
        pattern, separator, codes = entry.rpartition(":")
        ignored = _code_option("--per-file-ignores", codes) if separator and pattern else None
        if ignored is None:
            raise _UsageError(f"--per-file-ignores: expected GLOB:CODES, got {entry!r}")
        per_file_ignores.append((pattern, ignored))
    config_path: Path | None = None
    overrides = []
    for value in arguments.config:
        if Path(value).is_file():
            if config_path is not None:
                raise _UsageError(f"--config: one config file only, got {config_path} and {value}")
            config_path = Path(value)
            continue
        if "=" not in value:
            raise _UsageError(f"--config: config file not found: {value}")
        table, problems = parse_override(value, Path(os.path.abspath(".")))
        if problems:
            raise _UsageError("; ".join(problems))
        overrides.append(table)
    options = _SettingsOptions(
        select=_code_option("--select", arguments.select),
        ignore=_code_option("--ignore", arguments.ignore),
        extend_select=_code_option("--extend-select", arguments.extend_select) or frozenset(),
        extend_ignore=_code_option("--extend-ignore", arguments.extend_ignore) or frozenset(),
        per_file_ignores=tuple(per_file_ignores),
        overrides=tuple(overrides),
    )
    return options, config_path


def _check_option_combinations(arguments: argparse.Namespace) -> None:
    if arguments.statistics and arguments.output_format not in STATISTICS_FORMATS:
        allowed = " or ".join(STATISTICS_FORMATS)
        raise _UsageError(
            f"--statistics: works with --format {allowed}, not {arguments.output_format!r}"
        )
    if arguments.unsafe_fixes and not (arguments.fix or arguments.diff):
        raise _UsageError("--unsafe-fixes: applies only with --fix or --diff")
    if arguments.diff and arguments.statistics:
        raise _UsageError("--diff: prints the changes; it does not go with --statistics")


@dataclass(frozen=True, slots=True)
class Fixing:
    """``--fix`` (``dry_run`` false) or ``--diff`` (true), and whether unsafe fixes apply."""

    dry_run: bool
    unsafe: bool


def _fixing(arguments: argparse.Namespace) -> Fixing | None:
    if not (arguments.fix or arguments.diff):
        return None
    return Fixing(dry_run=arguments.diff, unsafe=arguments.unsafe_fixes)


def _discover(
    given_paths: Sequence[str], settings_for: Callable[[Path], LoadedSettings]
) -> tuple[list[tuple[Path, LoadedSettings]], bool]:
    """The files to check with their settings, sorted, and whether a given path was missing.

    Every settings file the check needs is read here, so its problems can be reported
    before any finding.
    """
    excluders: dict[Path | None, PathExcluder] = {}
    failed = False

    def excluded(path: Path, is_directory: bool) -> bool:
        loaded = settings_for(path.parent)
        excluder = excluders.get(loaded.root)
        if excluder is None:
            excluder = excluders[loaded.root] = PathExcluder(loaded.settings.exclude, loaded.root)
        return excluder.excludes_entry(path, is_directory)

    def unreadable_directory(path: Path, error: OSError) -> None:
        nonlocal failed
        failed = True
        _error(f"cannot read {_display(path)}: {error.strerror or error}")

    found: set[Path] = set()
    for given in given_paths:
        path = Path(os.path.abspath(given))
        if path.is_dir():
            found.update(walk_python_files(path, excluded, unreadable_directory))
        elif path.exists():
            found.add(path)  # a file named explicitly is always checked
        else:
            failed = True
            broken = " (a broken symbolic link)" if path.is_symlink() else ""
            _error(f"{given}: no such file or directory{broken}")
    files = sorted(found, key=lambda path: path.parts)
    return [(path, settings_for(path.parent)) for path in files], failed


def _project_file(workspace: Workspace, path: Path) -> ProjectFile | None:
    """The project as seen from ``path`` (its root's project, scanned when first needed);
    ``None`` when it could not be built."""
    root = workspace.root_of(path)
    if root is None:
        return None
    project = workspace.project_at(root)
    if project is None:
        project = workspace.new_project(root)
        try:
            project.scan()
        except Exception as error:  # the other rules still run without the project
            log.debug("indexing %s failed", root, exc_info=True)
            _warning(
                f"cannot index the project at {_display(root)} ({type(error).__name__}: "
                f"{error}); patch targets are not checked"
            )
        else:
            _say_interpreter(root, project.interpreter[0], project.project)
    return project.file(path)


def _say_interpreter(root: Path, python: str | None, project: Project) -> None:
    """One line on stderr: which interpreter resolves the project's targets, a warning when it
    is mockls's own for want of any other (``-v`` adds the source roots)."""
    choice = choose_interpreter(root, python)
    where = f"the project at {_display(root)}"
    if choice.is_fallback:
        _warning(
            f"{where} has no `python` setting, .venv or venv: its targets are resolved with "
            f"mockls's own interpreter, {choice.path}"
        )
    else:
        _note(f"{where}: targets resolved with {choice.path} ({choice.reason})")
    log.info(
        "%s: source roots %s",
        where,
        ", ".join(_display(directory) for directory in project.index.roots),
    )


def _default_paths() -> list[str]:
    """Where ``pytest`` run here with no arguments looks for tests: the ``testpaths`` of the
    project whose pytest configuration is in this directory (relative to it), else here."""
    here = Path.cwd()
    testpaths = read_pytest_options(here).testpaths
    return [os.path.relpath(path, here) for path in testpaths] or ["."]


def _common_parent(given_paths: Sequence[str]) -> Path:
    """The deepest directory holding every given path (a file's directory for a file)."""
    directories = []
    for given in given_paths:
        path = Path(os.path.abspath(given))
        directories.append(str(path if path.is_dir() else path.parent))
    try:
        return Path(os.path.commonpath(directories))
    except ValueError:  # paths on different drives
        return Path(os.path.abspath("."))


Verifier = Callable[[ModuleSnapshot, list[Finding]], list[Finding]]
"""Checks the claims of a module's findings in the sandbox (``--verify``) and selects its
tests to run: the module and findings in, out the findings that stand."""


@dataclass(frozen=True)
class _VerifiedFile:
    """A file as ``--verify`` last saw it on disk: its tests that patch run in ``pool``."""

    path: Path
    source: str
    pool: SandboxPool
    tests: list[SelectedTest]
    static: tuple[Finding, ...]
    """Its findings before the sandbox checked their claims (the run judges these)."""


class _Sandboxes:
    """``--verify``: the workspace's sandbox pools, one per project, closed at the end; one
    pytest run in each over the checked files' tests that patch."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._refused: set[Path | None] = set()
        self._files: dict[str, _VerifiedFile] = {}
        self._runs: dict[SandboxPool, SuiteRun | SandboxFault] = {}

    def verifier(self, project: ProjectFile | None, settings: Settings) -> Verifier | None:
        """How to verify a file of ``project``; ``None`` when its settings keep the sandbox off
        (said once per project) or it has no project."""
        if project is None or project.path is None:
            return None
        root = project.project.root
        if not settings.sandbox:
            if root not in self._refused:
                self._refused.add(root)
                where = _display(root) if root is not None else "a file without a project"
                off = "the sandbox setting is off for the project in"
                _warning(f"--verify: {off} {where}: none of it runs")
            return None
        pool = self._workspace.sandbox_pool(project.project)
        if pool is None:
            return None
        path = project.path

        def verify(module: ModuleSnapshot, findings: list[Finding]) -> list[Finding]:
            tests = selected_tests(module, project)
            self._files[_display(path)] = _VerifiedFile(
                path, module.text, pool, tests, tuple(findings)
            )
            return list(asyncio.run(verify_findings(findings, pool, tests_run=True)))

        return verify

    def run_tests(self) -> None:
        """Run each project's selected tests, once."""
        selected: dict[SandboxPool, list[SelectedTest]] = {}
        for file in self._files.values():
            selected.setdefault(file.pool, []).extend(file.tests)
        for pool, tests in selected.items():
            if tests:
                self._runs[pool] = asyncio.run(run_selected(pool, tests))

    def with_run(self, checked: CheckedFile) -> CheckedFile:
        """``checked`` with its project's run's last word, and a line on stderr for each
        of its tests that ran: how it ended, or why it could not run."""
        file = self._files.get(checked.path)
        if file is None:
            return checked
        run = self._runs.get(file.pool)
        if run is not None:
            for line in run_lines(file.tests, run):
                _note(f"{checked.path}: {line}")
        if checked.source != file.source:  # not what is on disk (--diff): no run saw it
            return checked
        findings = with_run_after_claims(file.static, checked.findings, file.path, file.source, run)
        return replace(checked, findings=findings)

    def close(self) -> None:
        asyncio.run(self._workspace.sandboxes.close(for_good=True))


def _lint_file(
    path: Path,
    root: Path | None,
    settings: Settings,
    project: ProjectFile | None = None,
    *,
    verify: Verifier | None = None,
    fixing: Fixing | None = None,
) -> CheckedFile | None:
    """The findings of one file (fixed first when asked), or ``None`` after reporting why it
    could not be checked."""
    display = _display(path)
    try:
        original = read_source_bytes(path)
        source = decode_source(original)
    except SourceError as error:
        _error(error.describe(display))
        return None
    refusal = too_large(source)
    if refusal is not None:
        _error(f"{display}: {refusal}")
        return None
    on_disk = source

    def lint(text: str) -> list[Finding]:
        module = ModuleSnapshot(text, project)
        findings = lint_module(module, _project_path(path, root), settings, project)
        # The sandbox runs what is on disk: a text fixed in memory is linted statically.
        if verify is not None and text == on_disk:
            findings = verify(module, findings)
        return findings

    try:
        if fixing is None:
            return CheckedFile(display, lint(source), source)
        fixed = fix_source(source, lint, unsafe=fixing.unsafe)
        if not fixed.applied:
            return CheckedFile(display, fixed.remaining, source)
        if fixing.dry_run:
            return CheckedFile(display, fixed.remaining, fixed.text, fixed.applied, source)
        try:
            write_fixed(path, original, fixed.text)
        except FileChangedError:
            _warning(f"{display} changed while mockls was fixing it; left as it is")
            return CheckedFile(display, lint(source), source)
        except SourceError as error:
            _error(f"cannot write the fixes to {display}: {error.reason}")
            return None
        on_disk = fixed.text
        remaining = lint(fixed.text) if verify is not None else fixed.remaining
        return CheckedFile(display, remaining, fixed.text, fixed.applied, source)
    except Exception as error:  # a bug in mockls must not hide the other files' findings
        log.debug("checking %s failed", display, exc_info=True)
        _error(f"internal error while checking {display}: {type(error).__name__}: {error}")
        return None


def _display(path: Path) -> str:
    """``path`` relative to the working directory when it is below it, else absolute."""
    try:
        return str(path.relative_to(Path(os.path.abspath("."))))
    except ValueError:
        return str(path)


def _project_path(path: Path, root: Path | None) -> str:
    """The posix path ``per-file-ignores`` globs are matched against."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return Path(_display(path)).as_posix()


class _CheckFormatter(logging.Formatter):
    """``mockls: <level>: message``, with tracebacks only when asked for (``-v``)."""

    def __init__(self, *, show_tracebacks: bool) -> None:
        super().__init__()
        self._show_tracebacks = show_tracebacks

    def format(self, record: logging.LogRecord) -> str:
        text = f"mockls: {record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and self._show_tracebacks:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _configure_logging(handler: logging.Handler, verbosity: int) -> None:
    """``-v`` shows mockls's own INFO; pygls's per-message chatter needs ``-vv``."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("pygls").setLevel(logging.WARNING if verbosity <= 1 else logging.DEBUG)


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`mockls check | head`): stop writing, without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _error(message: str) -> None:
    print(f"mockls: error: {terminal_safe(message)}", file=sys.stderr)


def _note(message: str) -> None:
    print(f"mockls: {terminal_safe(message)}", file=sys.stderr)


def _warning(message: str) -> None:
    print(f"mockls: warning: {terminal_safe(message)}", file=sys.stderr)
