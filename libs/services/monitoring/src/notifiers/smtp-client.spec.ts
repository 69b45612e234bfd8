import net from 'node:net';
import { FakeSmtpServer } from '../testing/fake-smtp-server';
import { formatSmtpMessage, rfc5322Date, sendSmtpMail } from './smtp-client';

describe('sendSmtpMail', () => {
  let server: FakeSmtpServer;

  afterEach(async () => {
    await server?.close();
  });

  const mail = {
    from: 'alerts@rrr.local',
    to: ['ops@example.com', 'quant@example.com'],
    subject: '[RRR] CRITICAL drawdown',
    text: 'portfolio drawdown: 0.16 > 0.15\n.hidden line starts with a dot\nend',
    date: Date.UTC(2026, 10, 25, 10, 30, 0),
    messageId: 'test-1@rrr-monitoring',
  };

  it('speaks SMTP to a real server: EHLO, envelope, a dot-stuffed 7bit message, QUIT', async () => {
    server = await FakeSmtpServer.start();
    await sendSmtpMail({ host: '127.0.0.1', port: server.port, heloName: 'rrr-test' }, mail);
    expect(server.commands).toEqual([
      'EHLO rrr-test',
      'MAIL FROM:<alerts@rrr.local>',
      'RCPT TO:<ops@example.com>',
      'RCPT TO:<quant@example.com>',
      'DATA',
      'QUIT',
    ]);
    expect(server.mails).toHaveLength(1);
    const received = server.mails[0];
    expect(received.from).toBe('alerts@rrr.local');
    expect(received.to).toEqual(['ops@example.com', 'quant@example.com']);
    expect(received.data.split('\r\n')).toEqual([
      'From: <alerts@rrr.local>',
      'To: <ops@example.com>, <quant@example.com>',
      'Subject: [RRR] CRITICAL drawdown',
      'Date: Wed, 25 Nov 2026 10:30:00 +0000',
      'Message-ID: <test-1@rrr-monitoring>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 7bit',
      '',
      'portfolio drawdown: 0.16 > 0.15',
      '.hidden line starts with a dot',
      'end',
    ]);
  });

  it('sends non-ASCII text as base64 and encodes the subject, falling back to HELO when EHLO is refused', async () => {
    server = await FakeSmtpServer.start({ refuseEhlo: true });
    await sendSmtpMail(
      { host: '127.0.0.1', port: server.port },
      { ...mail, subject: 'Drawdown ≥ 15 %', text: 'Verlust über Limit: −16 %' },
    );
    expect(server.commands.slice(0, 2)).toEqual(['EHLO rrr-monitoring', 'HELO rrr-monitoring']);
    const [head, body] = server.mails[0].data.split('\r\n\r\n');
    expect(head).toContain(`Subject: =?UTF-8?B?${Buffer.from('Drawdown ≥ 15 %').toString('base64')}?=`);
    expect(head).toContain('Content-Transfer-Encoding: base64');
    expect(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe('Verlust über Limit: −16 %');
  });

  it('fails with the server reply when a recipient is refused, and sends nothing', async () => {
    server = await FakeSmtpServer.start({ rejectRecipients: ['quant@example.com'] });
    await expect(sendSmtpMail({ host: '127.0.0.1', port: server.port }, mail)).rejects.toThrow(
      `SMTP 127.0.0.1:${server.port} refused RCPT TO:<quant@example.com>: 550 5.1.1 <quant@example.com>: mailbox unavailable`,
    );
    expect(server.mails).toEqual([]);
  });

  it('fails when nothing listens and validates addresses before connecting', async () => {
    server = await FakeSmtpServer.start();
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(sendSmtpMail({ host: '127.0.0.1', port }, mail)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    await expect(
      sendSmtpMail({ host: '127.0.0.1', port: server.port }, { ...mail, to: ['ops@example.com\r\nRCPT TO:<x@y>'] }),
    ).rejects.toThrow('mail: to[0]: must be an address like ops@example.com');
    expect(server.commands).toEqual([]);
  });

  it('formats dates as RFC 5322 and wraps base64 at 76 characters', () => {
    expect(rfc5322Date(0)).toBe('Thu, 01 Jan 1970 00:00:00 +0000');
    const long = formatSmtpMessage({ ...mail, text: 'é'.repeat(200) }, 'id@x');
    const body = long.split('\r\n\r\n')[1].split('\r\n');
    expect(body.every((line) => line.length <= 76)).toBe(true);
    expect(Buffer.from(body.join(''), 'base64').toString('utf8')).toBe('é'.repeat(200));
  });
});
