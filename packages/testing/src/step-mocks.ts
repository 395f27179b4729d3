import type { StepOptions, TaskContext } from "@zart/core";

/** A replacement for a step body, made by `env.mockStep`. `calls` counts the times it ran. */
export interface StepMock<T = unknown> {
  readonly name: string;
  readonly fn: () => Promise<T> | T;
  readonly calls: number;
}

type Body<T> = () => Promise<T> | T;

class Mock<T> implements StepMock<T> {
  calls = 0;
  constructor(
    readonly name: string,
    readonly fn: Body<T>,
  ) {}
}

/**
 * Step bodies to run instead of the real ones, by step name. A body is swapped when a step is
 * recorded, so a mocked step's result is persisted and replayed like any other.
 */
export class StepMocks {
  readonly #mocks = new Map<string, Mock<unknown>>();

  add<T>(name: string, fn: Body<T>): StepMock<T> {
    const mock = new Mock(name, fn);
    this.#mocks.set(name, mock as Mock<unknown>);
    return mock;
  }

  /**
   * Routes `ctx`'s step methods through the mocks. The methods are shadowed on this one instance
   * (not wrapped in a proxy) because `defineStep` steps reach the same instance through the
   * execution's ambient scope, and so are mocked too.
   */
  install(ctx: TaskContext): void {
    const proto = Object.getPrototypeOf(ctx) as TaskContext;
    const pick = <T>(name: string, fn: Body<T>): Body<T> => {
      const mock = this.#mocks.get(name) as Mock<T> | undefined;
      if (!mock) return fn;
      return () => {
        mock.calls++;
        return mock.fn();
      };
    };
    Object.defineProperties(ctx, {
      step: {
        value: <T>(name: string, fn: Body<T>, options?: StepOptions) =>
          proto.step.call(ctx, name, pick(name, fn), options),
      },
      stepWithRetry: {
        value: <T>(name: string, retry: Parameters<TaskContext["stepWithRetry"]>[1], fn: Body<T>) =>
          proto.stepWithRetry.call(ctx, name, retry, pick(name, fn)),
      },
      scheduleStep: {
        value: <T>(name: string, fn: Body<T>, options?: StepOptions) =>
          proto.scheduleStep.call(ctx, name, pick(name, fn), options),
      },
    });
  }
}
