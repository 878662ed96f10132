import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Coalesced } from "../../src/coalesce";

/** A task whose runs finish only when the test says so. */
function gatedTask() {
  const runs: (() => void)[] = [];
  const task = () =>
    new Promise<void>((resolve) => {
      runs.push(resolve);
    });
  return { runs, task };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("Coalesced", () => {
  it("runs once more, not once per call, when called while running", async () => {
    const { runs, task } = gatedTask();
    const coalesced = new Coalesced(task);
    const first = coalesced.run();
    await settle();
    assert.equal(runs.length, 1);

    const waiting = [coalesced.run(), coalesced.run(), coalesced.run()];
    assert.equal(waiting[0], waiting[1]);
    assert.equal(waiting[1], waiting[2]);
    await settle();
    assert.equal(runs.length, 1, "the next run waits for the current one");

    runs[0]?.();
    await first;
    await settle();
    assert.equal(runs.length, 2, "the three calls made while it ran made one run");
    runs[1]?.();
    await Promise.all(waiting);
    assert.equal(runs.length, 2);
  });

  it("runs again after a failed run", async () => {
    let calls = 0;
    const coalesced = new Coalesced(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error("no python")) : Promise.resolve();
    });
    await assert.rejects(coalesced.run(), /no python/);
    await coalesced.run();
    assert.equal(calls, 2);
  });
});
