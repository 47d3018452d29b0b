// Files a person uploads, made here rather than kept in the repository: a
// PNG photo (built byte by byte: signature, IHDR, IDAT compressed with
// node:zlib, IEND, each chunk with its CRC-32) and agents lists as HR
// software exports them (Windows-1252, `;`, French column titles).

import zlib from 'node:zlib';

// --- PNG --------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as PNG uses it). */
export function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A valid truecolour PNG of `width` × `height` pixels: a diagonal gradient
 * (so that it is not a flat image a decoder might special-case).
 */
export function pngImage(width = 96, height = 96) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let i = 0;
  for (let y = 0; y < height; y++) {
    raw[i++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[i++] = Math.round((255 * x) / width);
      raw[i++] = Math.round((255 * y) / height);
      raw[i++] = 160;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- Windows-1252 CSV -------------------------------------------------------

// The code points Windows-1252 puts at 0x80–0x9F (elsewhere it is Latin-1).
const CP1252_HIGH = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/** Encodes `text` in Windows-1252; throws on a character it cannot hold. */
export function windows1252(text) {
  const out = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) out.push(cp);
    else if (CP1252_HIGH[cp] !== undefined) out.push(CP1252_HIGH[cp]);
    else throw new Error(`« ${ch} » (U+${cp.toString(16)}) has no Windows-1252 byte`);
  }
  return Buffer.from(out);
}

/**
 * An agents list as exported by HR software in France: French titles, `;`,
 * CRLF line ends, Windows-1252. `rows` are arrays of cells, in the order of
 * `headers`.
 */
export function agentsCsv(headers, rows) {
  const cell = (v) => (/[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [headers, ...rows].map((r) => r.map((v) => cell(String(v))).join(';'));
  return windows1252(`${lines.join('\r\n')}\r\n`);
}

export const AGENT_HEADERS = ['Nom', 'Prénom', 'Courriel', 'Intitulé du poste', 'Téléphone', 'Catégorie', 'Direction'];

// --- PDF --------------------------------------------------------------------

/**
 * A valid one-page PDF 1.4 showing `text` (ASCII) in Helvetica: catalog,
 * pages, page, content stream, font, and a cross-reference table whose
 * offsets are computed, so that readers open it without repair.
 */
export function pdfDocument(text = 'Rapport final') {
  const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 18 Tf 72 720 Td (${escaped}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
