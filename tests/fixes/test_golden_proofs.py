"""Golden cases proved by execution, as the server proves a refactoring: each test it names
runs in a real sandbox on the file and on the changed text, and the runs must agree (outcome,
patches, calls on their mocks, originals run). One case per kind of refactoring: a proof that
wrongly told a correct refactoring apart would take the action away from the user.

(Every runnable golden case is also run with plain pytest before and after, in
``test_refactoring_runs.py``.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import refactorings
from mockls.resolve.project import Project, ProjectFile
from mockls.sandbox import SandboxFault, SandboxOptions, SandboxPool, TestRun
from mockls.verification import ProofVerdict, prove_refactoring

if TYPE_CHECKING:
    from conftest import GoldenCase

ONE_OF_EACH_KIND = (
    "nested-three-patches",  # flatten into addCleanup patchers
    "pytest-mocker",  # flatten into mocker.patch calls
    "pytest-merge-into-one-with",
    "pytest-exit-stack",
    "class-setup-with-super",  # the with blocks into setUp
    "decorators-on-async-tests",  # the @patch decorators into setUp
    "autospec-for-a-class",
)


def test_one_case_of_each_kind_is_proved(golden_cases: list[GoldenCase], tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    project = Project(tmp_path)
    project.scan()
    chosen = [case for case in golden_cases if case.name in ONE_OF_EACH_KIND]
    assert len(chosen) == len(ONE_OF_EACH_KIND)
    options = SandboxOptions(deadline=120.0, start_deadline=120.0)
    with SandboxPool(tmp_path, None, options) as pool:

        async def prove(case: GoldenCase) -> tuple[str, ProofVerdict, str]:
            path = tmp_path / "tests" / f"{case.module_name}.py"
            path.write_bytes(case.source.encode("utf-8"))
            project.update_file(path, case.source)
            module = ParsedModule.of(case.source, ProjectFile(project, path))
            assert module is not None
            (offered,) = [
                found
                for found in refactorings(module, case.selection)
                if found.refactoring.title == case.apply
            ]
            name = f"tests.{case.module_name}"

            async def before(test: str) -> TestRun | SandboxFault:
                return await pool.run_test_async(path, test, name)

            async def after(test: str) -> TestRun | SandboxFault:
                return await pool.run_test_async(path, test, name, offered.fixed_source)

            proof = await prove_refactoring(offered.refactoring.tests, before, after)
            return case.name, proof.verdict, proof.evidence

        async def prove_all() -> list[tuple[str, ProofVerdict, str]]:
            return list(await asyncio.gather(*(prove(case) for case in chosen)))

        proved = asyncio.run(prove_all())
    assert [(name, verdict) for name, verdict, _ in proved] == [
        (case.name, ProofVerdict.KEPT) for case in chosen
    ], proved
