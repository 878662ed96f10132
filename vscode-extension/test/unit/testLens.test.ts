import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { testAtLine } from "../../src/testLens";

describe("testAtLine", () => {
  const lenses = [
    { line: 20, arguments: ["file:///t.py", "Tests.test_b"] },
    { line: 4, arguments: ["file:///t.py", "test_a"] },
    { line: 40, arguments: ["file:///t.py", "Tests.test_c"] },
  ];

  it("is the test whose lens starts at or above the cursor, the nearest one", () => {
    assert.deepEqual(testAtLine(lenses, 4), ["file:///t.py", "test_a"]);
    assert.deepEqual(testAtLine(lenses, 19), ["file:///t.py", "test_a"]);
    assert.deepEqual(testAtLine(lenses, 25), ["file:///t.py", "Tests.test_b"]);
    assert.deepEqual(testAtLine(lenses, 400), ["file:///t.py", "Tests.test_c"]);
  });

  it("is none above the first test, or without lenses", () => {
    assert.equal(testAtLine(lenses, 3), undefined);
    assert.equal(testAtLine([], 10), undefined);
  });
});
