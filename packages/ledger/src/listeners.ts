// A list of listeners told of each value, synchronously and in order: how
// the ledger tells whoever runs it (logs, metrics) of what happens inside.

export class Listeners<T> {
  readonly #listeners: ((value: T) => void)[] = [];

  on(listener: (value: T) => void): void {
    this.#listeners.push(listener);
  }

  emit(value: T): void {
    for (const listener of this.#listeners) listener(value);
  }
}
