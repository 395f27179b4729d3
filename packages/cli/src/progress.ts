import pc from "picocolors";
import { type Colors, colorEnabled } from "./output.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Where the spinner draws (stderr by default). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A one-line spinner on stderr, drawn only when stderr is a TTY. */
export class Progress {
  readonly #stream: ProgressStream;
  readonly #enabled: boolean;
  readonly #colors: Colors;
  readonly #started = performance.now();
  #text = "";
  #frame = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(stream: ProgressStream = process.stderr) {
    this.#stream = stream;
    this.#enabled = stream.isTTY === true;
    this.#colors = pc.createColors(colorEnabled(stream));
  }

  /** Starts redrawing every 100 ms. */
  start(text: string): void {
    this.#text = text;
    if (!this.#enabled) return;
    this.#timer = setInterval(() => this.#draw(), 100);
    this.#timer.unref();
    this.#draw();
  }

  /** Changes the text shown after the spinner. */
  update(text: string): void {
    this.#text = text;
  }

  /** Erases the line and stops. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#enabled) this.#stream.write("\r\x1b[2K");
  }

  #draw(): void {
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    const seconds = Math.floor((performance.now() - this.#started) / 1000);
    this.#stream.write(
      `\r\x1b[2K${this.#colors.cyan(frame ?? "")} ${this.#text} ${this.#colors.dim(`${seconds}s`)}`,
    );
  }
}
