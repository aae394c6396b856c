/** A configuration problem, with a message fit to print as is (it names the key, value and source). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
