export type { ExpectedEntry, HistoryEntry } from "./history.js";
export type { StepMock } from "./step-mocks.js";
export { createTestEnv, TestEnv, type TestEnvOptions, type TestStartOptions } from "./test-env.js";
