import type { ApiLogger } from '../http/api-logger';

export interface CapturedLogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: object;
  message: string | undefined;
}

/** An ApiLogger that keeps every line, for tests asserting what was (and was not) logged. */
export class CapturingApiLogger implements ApiLogger {
  readonly lines: CapturedLogLine[] = [];

  debug(fields: object, message?: string): void {
    this.lines.push({ level: 'debug', fields, message });
  }

  info(fields: object, message?: string): void {
    this.lines.push({ level: 'info', fields, message });
  }

  warn(fields: object, message?: string): void {
    this.lines.push({ level: 'warn', fields, message });
  }

  error(fields: object, message?: string): void {
    this.lines.push({ level: 'error', fields, message });
  }

  /** Every line serialized, to search for a string that must never be logged. */
  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }

  at(level: CapturedLogLine['level']): CapturedLogLine[] {
    return this.lines.filter((line) => line.level === level);
  }
}
