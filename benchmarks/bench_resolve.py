"""How fast ``mockls.resolve`` indexes a large workspace and answers from it.

On a generated workspace of 5,000 modules (``write_workspace``: 50 packages of 100 modules,
each about 80 lines with absolute, relative and re-exporting imports, classes with every kind
of member, and a test file per package) it measures, in process:

- the first ``Project.scan()`` (budget: under 10 s) and the resident memory it leaves;
- ``Project.update_file`` of one module (incremental: budget, milliseconds);
- ``resolve_target`` for workspace targets, cold (first ask after a change) and warm
  (cached), and for standard-library targets through jedi, the very first one included;
- ``lookups`` (the where-to-patch facts) for the targets of a test file;
- ``complete`` inside a patch string, from the index and from jedi.

It prints a table and writes the numbers as JSON to ``benchmarks/results/``. Run it with
``.venv/bin/python benchmarks/bench_resolve.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench_diagnostics import machine, write_results  # the script's own directory is on sys.path

from mockls.resolve.project import Project

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCAN_BUDGET_SECONDS = 10.0
PACKAGE_SIZE = 100

MODULE = '''\
"""Generated module {package}.{module} for the mockls benchmarks."""

from __future__ import annotations

import logging

from {dep_package}.{dep_module} import helper_{dep}, Service{dep}
from {far_package} import {far_module}
from . import {sibling}

RATE_{n} = 0.{n}
NAME_{n} = "{module}"
log = logging.getLogger(__name__)


def helper_{n}(value, scale=1.0, *, strict=False):
    """Scale a value."""
    return helper_{dep}(value) * scale


def convert_{n}(value: int, /, unit: str = "m", **options) -> str:
    return f"{{value}}{{unit}}{{options}}"


async def fetch_{n}(*keys):
    return keys


class Service{n}(Service{dep}):
    """A service with members of every kind."""

    retries = 3
    endpoint: str = "https://example.invalid/{n}"

    def __init__(self, client, timeout=10):
        self.client = client
        self.timeout = timeout

    def run(self, job, *, dry_run=False):
        return {far_module}.helper_{far}(job), {sibling}.RATE_{sibling_n}

    @classmethod
    def create(cls, settings):
        return cls(settings["client"])

    @staticmethod
    def checksum(payload: bytes) -> int:
        return len(payload)

    @property
    def ready(self):
        return self.client is not None

    class Error(Exception):
        pass


def process_{n}(items):
    total = 0
    for item in items:
        total += helper_{n}(item)
    return total


def describe_{n}():
    return Service{n}(None).run("describe")
'''

ROOT_MODULE = '''\
"""The first module of the generated workspace: what every chain ends at."""


def helper_0(value):
    return value


class Service0:
    def run(self, job):
        return job
'''

TEST_MODULE = '''\
"""Generated tests of {package}."""

from unittest import mock

{imports}


{tests}
'''

TEST_FUNCTION = """\
@mock.patch("{target}")
def test_{n}(patched):
    assert patched is not None
"""


def module_name(index: int) -> tuple[str, str]:
    """The package and module names of the module numbered ``index``."""
    return f"pkg{index // PACKAGE_SIZE:02d}", f"mod{index % PACKAGE_SIZE:03d}"


def write_workspace(root: Path, count: int = 5000, seed: int = 3) -> list[Path]:
    """Write a workspace of ``count`` modules under ``root``; return the test files."""
    chooser = random.Random(seed)
    packages = (count + PACKAGE_SIZE - 1) // PACKAGE_SIZE
    for package_index in range(packages):
        package = root / f"pkg{package_index:02d}"
        package.mkdir(parents=True, exist_ok=True)
        first = package_index * PACKAGE_SIZE
        reexports = "\n".join(
            f"from .mod{i % PACKAGE_SIZE:03d} import helper_{i}"
            for i in range(first + 1, min(first + 4, count))
        )
        (package / "__init__.py").write_text(f'"""Package {package.name}."""\n\n{reexports}\n')
    for index in range(count):
        package, module = module_name(index)
        path = root / package / f"{module}.py"
        if index == 0:
            path.write_text(ROOT_MODULE)
            continue
        dep = chooser.randrange(index)
        far = chooser.randrange(count)
        sibling_index = (index // PACKAGE_SIZE) * PACKAGE_SIZE + chooser.randrange(PACKAGE_SIZE)
        sibling_index = min(sibling_index, count - 1)
        dep_package, dep_module = module_name(dep)
        far_package, far_module = module_name(far)
        path.write_text(
            MODULE.format(
                package=package,
                module=module,
                n=index,
                dep=dep,
                dep_package=dep_package,
                dep_module=dep_module,
                far=far,
                far_package=far_package,
                far_module=far_module,
                sibling=module_name(sibling_index)[1],
                sibling_n=sibling_index,
            )
        )
    tests_dir = root / "tests"
    tests_dir.mkdir(exist_ok=True)
    test_files = []
    for package_index in range(packages):
        first = package_index * PACKAGE_SIZE
        members = [i for i in range(first, min(first + PACKAGE_SIZE, count)) if i]
        chosen = chooser.sample(members, min(10, len(members)))
        imports = "\n".join(
            f"from {module_name(i)[0]} import {module_name(i)[1]}" for i in sorted(chosen)
        )
        tests = "\n\n".join(
            TEST_FUNCTION.format(target=target, n=number)
            for number, target in enumerate(
                target for i in chosen for target in workspace_targets(i)[:3]
            )
        )
        path = tests_dir / f"test_pkg{package_index:02d}.py"
        path.write_text(
            TEST_MODULE.format(package=f"pkg{package_index:02d}", imports=imports, tests=tests)
        )
        test_files.append(path)
    return test_files


def workspace_targets(index: int) -> list[str]:
    """Targets naming things of module ``index``, of every kind, a missing one last."""
    package, module = module_name(index)
    base = f"{package}.{module}"
    return [
        f"{base}.helper_{index}",
        f"{base}.Service{index}.run",
        f"{base}.RATE_{index}",
        f"{base}.Service{index}.create",
        f"{base}.Service{index}.ready",
        f"{base}.Service{index}.client",
        f"{base}.helper_{index}x",
    ]


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def summary(samples: Sequence[float]) -> dict[str, float]:
    """Milliseconds: median, p95, max, and the count."""
    return {
        "count": len(samples),
        "p50_ms": statistics.median(samples) * 1000,
        "p95_ms": percentile(samples, 0.95) * 1000,
        "max_ms": max(samples) * 1000,
    }


def resident_mib() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def measure(root: Path, test_files: list[Path], count: int, repeat: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    chooser = random.Random(11)
    before = resident_mib()
    project = Project(root, python=sys.executable)
    results["scan_seconds"] = timed(project.scan)
    after = resident_mib()
    results["modules_indexed"] = len(project.index.snapshot().modules)
    results["rss_after_scan_mib"] = after
    results["rss_for_the_index_mib"] = after - before if after and before else None
    rescans = [timed(Project(root, python=sys.executable).scan) for _ in range(2)]
    results["rescan_seconds"] = rescans

    targets = [
        target
        for i in chooser.sample(range(1, count), min(300, count - 1))
        for target in workspace_targets(i)
    ]
    cold = [timed(lambda target=target: project.resolve_target(target)) for target in targets]
    warm = [
        timed(lambda target=target: project.resolve_target(target))
        for _ in range(repeat)
        for target in targets
    ]
    results["resolve_workspace_cold"] = summary(cold)
    results["resolve_workspace_warm"] = summary(warm)

    updates = []
    for i in chooser.sample(range(1, count), min(200, count - 1)):
        package, module = module_name(i)
        path = root / package / f"{module}.py"
        text = path.read_text() + f"\n\ndef added_{i}():\n    return {i}\n"
        updates.append(timed(lambda path=path, text=text: project.update_file(path, text)))
    results["update_file"] = summary(updates)
    after_update = [
        timed(lambda target=target: project.resolve_target(target)) for target in targets[:200]
    ]
    results["resolve_workspace_after_update"] = summary(after_update)

    lookups = []
    for test_file in test_files[:20]:
        text = test_file.read_text()
        patched = [line.split('"')[1] for line in text.splitlines() if "mock.patch(" in line]
        for target in patched:
            lookups.append(timed(lambda t=target, f=test_file: project.lookups(t, f)))
    results["lookups"] = summary(lookups)

    stdlib = ["os.path.join", "os.environ", "datetime.datetime.now", "json.loads", "subprocess.run"]
    first = timed(lambda: project.resolve_target("os.getcwd"))
    results["resolve_stdlib_first_seconds"] = first
    results["resolve_stdlib_cold"] = summary(
        [timed(lambda t=target: project.resolve_target(t)) for target in stdlib]
    )
    results["resolve_stdlib_warm"] = summary(
        [
            timed(lambda t=target: project.resolve_target(t))
            for _ in range(repeat)
            for target in stdlib
        ]
    )

    prefixes = [f"pkg{chooser.randrange(count // PACKAGE_SIZE):02d}.mod0" for _ in range(50)]
    prefixes += [f"{t.rsplit('.', 1)[0]}." for t in targets[:50]]
    results["complete_workspace"] = summary(
        [timed(lambda p=prefix: project.complete(p)) for _ in range(repeat) for prefix in prefixes]
    )
    environment_prefixes = ["os.pa", "json.", "datetime.datetime.", "collections.Ord"]
    results["complete_environment_first"] = summary(
        [timed(lambda p=prefix: project.complete(p)) for prefix in environment_prefixes]
    )
    results["complete_environment_warm"] = summary(
        [
            timed(lambda p=prefix: project.complete(p))
            for _ in range(repeat)
            for prefix in environment_prefixes
        ]
    )
    results["rss_at_end_mib"] = resident_mib()
    return results


def report(results: dict[str, Any]) -> None:
    print(f"modules indexed:        {results['modules_indexed']}")
    verdict = "within" if results["scan_seconds"] < SCAN_BUDGET_SECONDS else "OVER"
    print(
        f"first scan:             {results['scan_seconds']:.2f} s ({verdict} the"
        f" {SCAN_BUDGET_SECONDS:.0f} s budget); rescans "
        + ", ".join(f"{s:.2f} s" for s in results["rescan_seconds"])
    )
    print(
        f"resident memory:        {results['rss_after_scan_mib']:.0f} MiB after the scan"
        f" ({results['rss_for_the_index_mib']:.0f} MiB for the index),"
        f" {results['rss_at_end_mib']:.0f} MiB at the end (jedi warm)"
    )
    print(f"first jedi resolution:  {results['resolve_stdlib_first_seconds'] * 1000:.0f} ms")
    print(f"{'':24}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for key, value in results.items():
        if isinstance(value, dict) and "count" in value:
            print(
                f"{key:24}{value['count']:>7}{value['p50_ms']:>10.3f}"
                f"{value['p95_ms']:>10.3f}{value['max_ms']:>10.3f}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--modules", type=int, default=5000, help="modules in the workspace")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of warm requests")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="directory for JSON")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mockls-bench-resolve-") as directory:
        root = Path(directory)
        started = time.perf_counter()
        test_files = write_workspace(root, options.modules)
        print(f"generated {options.modules} modules in {time.perf_counter() - started:.1f} s")
        results = measure(root, test_files, options.modules, options.repeat)
    results["machine"] = machine()
    report(results)
    write_results(results, options.output, "resolve")
    return 0 if results["scan_seconds"] < SCAN_BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
