import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';

export interface Mail {
  /** RFC 5322 Message-ID, e.g. "<outbox-id@host>": a retry carries the same one. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Where e-mail goes. SMTP in production; .eml files under MAIL_DIR by default. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close?(): void;
}

/**
 * The recipient goes in as an address object so nodemailer never re-parses it: a string such
 * as "a,b@x.example" would otherwise be read as a list and the mail sent to "b@x.example".
 */
function toNodemailer(from: string, mail: Mail) {
  return { from, ...mail, to: { name: '', address: mail.to } };
}

export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'mailDir'>): Mailer {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    return {
      send: async (mail) => {
        await transport.sendMail(toNodemailer(config.MAIL_FROM, mail));
      },
      close: () => transport.close(),
    };
  }
  return fileMailer(config.mailDir, config.MAIL_FROM);
}

/** Renders each message with nodemailer and writes it as an .eml file: readable, and testable. */
export function fileMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const info = await transport.sendMail(toNodemailer(from, mail));
      mkdirSync(dir, { recursive: true });
      const safeId = mail.messageId.replace(/[^A-Za-z0-9.-]/g, '_');
      writeFileSync(path.join(dir, `${Date.now()}-${safeId}.eml`), info.message as Buffer);
    },
  };
}
