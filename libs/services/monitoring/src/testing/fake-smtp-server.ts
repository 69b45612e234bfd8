import net from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The DATA section as received, CRLF line endings, dot-stuffing undone, without the final `.` line. */
  data: string;
}

export interface FakeSmtpServerOptions {
  /** Recipients answered with 550. */
  rejectRecipients?: readonly string[];
  /** Answer EHLO with 502 so the client must fall back to HELO. */
  refuseEhlo?: boolean;
}

/**
 * A minimal SMTP server on loopback for tests: it speaks the server side of RFC 5321 closely enough for a real
 * client (greeting, multi-line EHLO reply, MAIL/RCPT/DATA/QUIT, dot-unstuffing) and records every command and mail.
 */
export class FakeSmtpServer {
  readonly commands: string[] = [];
  readonly mails: ReceivedMail[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async start(options: FakeSmtpServerOptions = {}): Promise<FakeSmtpServer> {
    const server = net.createServer();
    const instance = new FakeSmtpServer(server);
    server.on('connection', (socket) => instance.serve(socket, options));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: net.Socket, options: FakeSmtpServerOptions): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    const reply = (text: string) => socket.write(`${text}\r\n`);
    let buffer = '';
    let envelope: { from: string; to: string[] } = { from: '', to: [] };
    let data: string[] | undefined;
    reply('220 fake.local ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== undefined) {
          if (line === '.') {
            this.mails.push({ ...envelope, data: data.join('\r\n') });
            data = undefined;
            envelope = { from: '', to: [] };
            reply('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        this.commands.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          if (options.refuseEhlo === true) reply('502 5.5.1 EHLO refused: this server speaks HELO only');
          else socket.write(`250-fake.local greets ${line.slice(5)}\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n`);
        } else if (verb === 'HELO') {
          reply('250 fake.local');
        } else if (line.toUpperCase().startsWith('MAIL FROM:')) {
          envelope.from = line.slice(10).replace(/[<>]/g, '');
          reply('250 2.1.0 ok');
        } else if (line.toUpperCase().startsWith('RCPT TO:')) {
          const address = line.slice(8).replace(/[<>]/g, '');
          if (options.rejectRecipients?.includes(address)) {
            reply(`550 5.1.1 <${address}>: mailbox unavailable`);
          } else {
            envelope.to.push(address);
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          data = [];
          reply('354 end data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else {
          reply('500 5.5.2 command not recognized');
        }
      }
    });
  }
}
