/** Which test a line is in, from the "Verify patches" code lenses the server puts on each test. */

/** A "Verify patches" lens: the line its test starts on, and the command's arguments. */
export interface TestLens {
  readonly line: number;
  readonly arguments: readonly unknown[];
}

/** The arguments of the lens of the test `cursorLine` is in: the last one starting at or above it. */
export function testAtLine(lenses: readonly TestLens[], cursorLine: number): readonly unknown[] | undefined {
  let found: TestLens | undefined;
  for (const lens of lenses) {
    if (lens.line <= cursorLine && (found === undefined || lens.line >= found.line)) {
      found = lens;
    }
  }
  return found?.arguments;
}
