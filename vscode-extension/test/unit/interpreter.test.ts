import assert from "node:assert/strict";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import {
  type InterpreterSources,
  checkInterpreter,
  chooseInterpreter,
  expandPath,
  findOnPath,
  isSupported,
  parseProbe,
  runProbe,
} from "../../src/interpreter";

function sources(overrides: Partial<InterpreterSources> = {}): InterpreterSources {
  return {
    configured: "",
    workspaceFolder: "/ws",
    home: "/home/me",
    selected: () => Promise.resolve(undefined),
    onPath: () => Promise.resolve(undefined),
    ...overrides,
  };
}

describe("chooseInterpreter", () => {
  it("takes the mockls.interpreter setting first, expanded", async () => {
    const choice = await chooseInterpreter(
      sources({
        configured: "${workspaceFolder}/.venv/bin/python",
        selected: () => Promise.resolve("/selected/python"),
        onPath: () => Promise.resolve("/usr/bin/python3"),
      }),
    );
    assert.deepEqual(choice, { path: "/ws/.venv/bin/python", source: "setting" });
  });

  it("takes the Python extension's interpreter when there is no setting", async () => {
    const choice = await chooseInterpreter(
      sources({
        selected: () => Promise.resolve("/selected/python"),
        onPath: () => Promise.resolve("/usr/bin/python3"),
      }),
    );
    assert.deepEqual(choice, { path: "/selected/python", source: "python-extension" });
  });

  it("takes python3 on PATH last, then python", async () => {
    const asked: string[] = [];
    const onPath = (command: string) => {
      asked.push(command);
      return Promise.resolve(command === "python" ? "/usr/bin/python" : undefined);
    };
    const choice = await chooseInterpreter(sources({ onPath }), "linux");
    assert.deepEqual(choice, { path: "/usr/bin/python", source: "path" });
    assert.deepEqual(asked, ["python3", "python"]);
  });

  it("finds nothing when no source has one", async () => {
    assert.equal(await chooseInterpreter(sources()), undefined);
  });
});

describe("expandPath", () => {
  it("expands ~, ${userHome} and ${workspaceFolder}", () => {
    assert.equal(expandPath("~/py/bin/python", "/ws", "/home/me"), "/home/me/py/bin/python");
    assert.equal(expandPath("${userHome}/python", "/ws", "/home/me"), "/home/me/python");
    assert.equal(expandPath("${workspaceFolder}/python", "/ws", "/home/me"), "/ws/python");
    assert.equal(expandPath("/usr/bin/python3", "/ws", "/home/me"), "/usr/bin/python3");
    assert.equal(expandPath("a~b", "/ws", "/home/me"), "a~b");
  });

  it("leaves ${workspaceFolder} alone without a folder", () => {
    assert.equal(expandPath("${workspaceFolder}/python", undefined, "/h"), "${workspaceFolder}/python");
  });
});

describe("findOnPath", () => {
  it("finds the first executable of that name on PATH, skipping non-executables", async () => {
    const first = await mkdtemp(path.join(os.tmpdir(), "mockls-path-"));
    const second = await mkdtemp(path.join(os.tmpdir(), "mockls-path-"));
    await writeFile(path.join(first, "python3"), "not executable");
    await writeFile(path.join(second, "python3"), "#!/bin/sh\n");
    await chmod(path.join(second, "python3"), 0o755);
    const searchPath = ["", first, second].join(path.delimiter);
    assert.equal(await findOnPath("python3", searchPath, "linux"), path.join(second, "python3"));
    assert.equal(await findOnPath("python9", searchPath, "linux"), undefined);
  });
});

describe("parseProbe and isSupported", () => {
  it("reads the probe's JSON", () => {
    assert.deepEqual(parseProbe('{"version": [3, 12, 1], "executable": "/usr/bin/python3"}\n'), {
      version: [3, 12, 1],
      executable: "/usr/bin/python3",
    });
    assert.equal(parseProbe("Python 3.12.1"), undefined);
    assert.equal(parseProbe('{"version": [3, 12], "executable": "/p"}'), undefined);
    assert.equal(parseProbe("null"), undefined);
  });

  it("supports Python 3.10 and later", () => {
    assert.equal(isSupported([3, 9, 18]), false);
    assert.equal(isSupported([3, 10, 0]), true);
    assert.equal(isSupported([3, 13, 1]), true);
    assert.equal(isSupported([4, 0, 0]), true);
    assert.equal(isSupported([2, 7, 18]), false);
  });
});

describe("checkInterpreter", () => {
  const found = sources({ onPath: () => Promise.resolve("/usr/bin/python3") });

  it("accepts a new enough Python", async () => {
    const check = await checkInterpreter(found, () =>
      Promise.resolve('{"version": [3, 11, 7], "executable": "/usr/bin/python3.11"}'),
    );
    assert.deepEqual(check, {
      ok: true,
      choice: { path: "/usr/bin/python3", source: "path" },
      info: { version: [3, 11, 7], executable: "/usr/bin/python3.11" },
    });
  });

  it("says which interpreter is too old, where it came from, and what to do", async () => {
    const check = await checkInterpreter(found, () =>
      Promise.resolve('{"version": [3, 9, 18], "executable": "/usr/bin/python3.9"}'),
    );
    assert.deepEqual(check, {
      ok: false,
      problem:
        "mockls needs Python 3.10 or later to run; /usr/bin/python3 (from PATH) is Python 3.9.18. " +
        "Set `mockls.interpreter` to a Python 3.10 or later, or select one with the Python extension.",
    });
  });

  it("says when there is no Python at all", async () => {
    const check = await checkInterpreter(sources(), () => Promise.reject(new Error("not called")));
    assert.ok(!check.ok);
    assert.match(check.problem, /^mockls found no Python: no mockls\.interpreter setting/);
  });

  it("says when the interpreter cannot be run", async () => {
    const check = await checkInterpreter(sources({ configured: "/nowhere/python" }));
    assert.ok(!check.ok);
    assert.match(
      check.problem,
      /^mockls cannot run \/nowhere\/python \(from the mockls\.interpreter setting\): .*ENOENT/,
    );
  });
});

describe("runProbe", () => {
  it("gets the version and executable of a real interpreter", async () => {
    const python = await findOnPath("python3");
    assert.ok(python, "python3 must be on PATH for this test");
    const info = parseProbe(await runProbe(python));
    assert.ok(info);
    assert.ok(isSupported(info.version));
  });
});
