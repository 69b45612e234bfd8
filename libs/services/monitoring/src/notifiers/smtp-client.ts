import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { RrrError, ValidationError, withTimeout, type FieldProblem } from '@rrr/core';

export interface SmtpClientOptions {
  host: string;
  /** Default 25. */
  port?: number;
  /** For the whole conversation. Default 10,000 ms. */
  timeoutMs?: number;
  /** Our name in EHLO. Default `rrr-monitoring`. */
  heloName?: string;
}

export interface SmtpMail {
  from: string;
  to: readonly string[];
  subject: string;
  /** Plain text; line endings are normalised to CRLF. */
  text: string;
  /** Epoch ms for the Date header. */
  date: number;
  /** Without angle brackets; generated when omitted. */
  messageId?: string;
}

export interface SmtpReply {
  code: number;
  lines: string[];
}

const ADDRESS_PATTERN = /^[^\s<>()@,;:"\\[\]]+@[A-Za-z0-9.-]+$/;

function checkMail(mail: SmtpMail): void {
  const problems: FieldProblem[] = [];
  if (!ADDRESS_PATTERN.test(mail.from))
    problems.push({ field: 'from', message: 'must be an address like alerts@example.com', value: mail.from });
  if (mail.to.length === 0) problems.push({ field: 'to', message: 'must name at least one recipient' });
  mail.to.forEach((address, i) => {
    if (!ADDRESS_PATTERN.test(address))
      problems.push({ field: `to[${i}]`, message: 'must be an address like ops@example.com', value: address });
  });
  if (!Number.isSafeInteger(mail.date))
    problems.push({ field: 'date', message: 'must be epoch milliseconds', value: mail.date });
  if (problems.length > 0) throw new ValidationError('mail', problems);
}

/** RFC 5322 date in UTC, e.g. `Tue, 25 Nov 2026 10:00:00 +0000`. */
export function rfc5322Date(ts: number): string {
  return new Date(ts).toUTCString().replace(/GMT$/, '+0000');
}

function encodeHeaderText(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(oneLine) ? oneLine : `=?UTF-8?B?${Buffer.from(oneLine, 'utf8').toString('base64')}?=`;
}

/**
 * The message as sent after DATA, without the terminating `.` line: headers, a blank line, the body. ASCII text with
 * lines within SMTP's 998-octet limit goes as 7bit (dot-stuffed); anything else as base64, which every server takes.
 */
export function formatSmtpMessage(mail: SmtpMail, messageId: string): string {
  const body = mail.text.replace(/\r\n?|\n/g, '\n');
  const lines = body.split('\n');
  // eslint-disable-next-line no-control-regex
  const plain = /^[\x00-\x7f]*$/.test(body) && lines.every((l) => l.length <= 998);
  const headers = [
    `From: <${mail.from}>`,
    `To: ${mail.to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: ${encodeHeaderText(mail.subject)}`,
    `Date: ${rfc5322Date(mail.date)}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${plain ? '7bit' : 'base64'}`,
  ];
  const encoded = plain
    ? lines.map((l) => (l.startsWith('.') ? `.${l}` : l))
    : (Buffer.from(body.replace(/\n/g, '\r\n'), 'utf8')
        .toString('base64')
        .match(/.{1,76}/g) ?? []);
  return [...headers, '', ...encoded].join('\r\n');
}

/** Reads SMTP replies (`250-…` continuation lines up to the final `250 …`) off a socket, one at a time. */
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private readonly ready: SmtpReply[] = [];
  private waiting: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(socket: net.Socket, what: string) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.push(chunk));
    socket.on('error', (error) =>
      this.fail(new RrrError('SERVICE_UNAVAILABLE', `${what}: ${error.message}`, { cause: error })),
    );
    socket.on('close', () =>
      this.fail(new RrrError('SERVICE_UNAVAILABLE', `${what}: connection closed by the server`)),
    );
  }

  next(): Promise<SmtpReply> {
    const reply = this.ready.shift();
    if (reply !== undefined) return Promise.resolve(reply);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.lines.push(line.slice(4));
      if (line.charAt(3) !== '-') {
        this.deliver({ code: Number.parseInt(line.slice(0, 3), 10), lines: this.lines });
        this.lines = [];
      }
    }
  }

  private deliver(reply: SmtpReply): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) waiting.resolve(reply);
    else this.ready.push(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }
}

/**
 * Sends one plain-text mail over SMTP (RFC 5321): greeting, EHLO (HELO when refused), MAIL FROM, RCPT TO for each
 * recipient, DATA, QUIT. No STARTTLS and no AUTH: it is meant for a relay you trust on the host or the local network
 * (postfix, a smarthost), which then does the authenticated, encrypted hop. Any refusal fails the whole mail with
 * the server's reply in the message.
 */
export async function sendSmtpMail(options: SmtpClientOptions, mail: SmtpMail): Promise<void> {
  checkMail(mail);
  const port = options.port ?? 25;
  const where = `SMTP ${options.host}:${port}`;
  const messageId =
    mail.messageId ?? `${mail.date}.${randomBytes(8).toString('hex')}@${options.heloName ?? 'rrr-monitoring'}`;
  await withTimeout(
    async (signal) => {
      const socket = net.connect({ host: options.host, port });
      const onAbort = () => socket.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      const replies = new ReplyReader(socket, where);
      const expect = async (step: string, codes: readonly number[]): Promise<SmtpReply> => {
        const reply = await replies.next();
        if (!codes.includes(reply.code)) {
          throw new RrrError('SERVICE_FAILED', `${where} refused ${step}: ${reply.code} ${reply.lines.join(' ')}`, {
            details: { step, code: reply.code },
          });
        }
        return reply;
      };
      const send = (line: string) => socket.write(`${line}\r\n`);
      try {
        await expect('the connection', [220]);
        send(`EHLO ${options.heloName ?? 'rrr-monitoring'}`);
        const ehlo = await replies.next();
        if (ehlo.code !== 250) {
          send(`HELO ${options.heloName ?? 'rrr-monitoring'}`);
          await expect('HELO', [250]);
        }
        send(`MAIL FROM:<${mail.from}>`);
        await expect('MAIL FROM', [250]);
        for (const address of mail.to) {
          send(`RCPT TO:<${address}>`);
          await expect(`RCPT TO:<${address}>`, [250, 251]);
        }
        send('DATA');
        await expect('DATA', [354]);
        socket.write(`${formatSmtpMessage(mail, messageId)}\r\n.\r\n`);
        await expect('the message', [250]);
        send('QUIT');
        await replies.next().catch(() => undefined);
      } finally {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
      }
    },
    options.timeoutMs ?? 10_000,
    where,
  );
}
