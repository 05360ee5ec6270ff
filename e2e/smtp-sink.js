// A local SMTP sink for the browser tests: accepts every message on 127.0.0.1:<port> and
// writes each one to <dir>/<n>.eml, so a test can read what Rehber sent. Plain SMTP only,
// no authentication; never for anything but tests.
// Usage: node smtp-sink.js <port> <dir>
'use strict';
const net = require('net');
const fs = require('fs');
const path = require('path');

const [port, dir] = process.argv.slice(2);
fs.mkdirSync(dir, { recursive: true });
let count = 0;

net.createServer((socket) => {
  let buffer = '';
  let inData = false;
  let message = '';
  const reply = (line) => socket.write(line + '\r\n');
  reply('220 rehber-e2e-sink ESMTP');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end < 0) return;
        message += buffer.slice(0, end);
        buffer = buffer.slice(end + 5);
        inData = false;
        count += 1;
        fs.writeFileSync(path.join(dir, `${count}.eml`), Buffer.from(message, 'latin1'));
        message = '';
        reply('250 OK queued');
        continue;
      }
      const at = buffer.indexOf('\r\n');
      if (at < 0) return;
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') { reply('250-rehber-e2e-sink'); reply('250-8BITMIME'); reply('250-SMTPUTF8'); reply('250 OK'); }
      else if (verb === 'HELO') reply('250 rehber-e2e-sink');
      else if (verb === 'DATA') { inData = true; reply('354 End data with <CR><LF>.<CR><LF>'); }
      else if (verb === 'QUIT') { reply('221 Bye'); socket.end(); return; }
      else reply('250 OK');
    }
  });
  socket.on('error', () => {});
}).listen(Number(port), '127.0.0.1');
