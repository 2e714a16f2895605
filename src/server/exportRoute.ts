import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChromiumMissingError } from '../backend/chromiumPdf';
import type { SessionExporter } from '../backend/exportBackend';
import { MAX_TOTAL_BYTES } from '../core/bundleFormat';
import { exportFormats, IMPORT_UPLOAD_PATH, type ExportFormat } from '../core/sessionExport';
import { isValidSessionId } from '../storage/sessionPaths';
import { BundleError } from '../storage/sessionBundle';
import { StorageError } from '../storage/storageError';

/**
 * Browser mode's file transfers (the API answers `sessions.export` / `sessions.import`
 * with these URLs; files are too big for API frames):
 * - `GET /export/sessions/<id>/<md|pdf|json|bundle>` — the export as a download;
 * - `POST /import/sessions` — a bundle's bytes, streamed straight into the importer.
 * The caller has already checked Host, Origin and the access token; an upload must also
 * come with our Origin (a browser always sends it on POST), so no other page can post one.
 */
const EXPORT_PATTERN = /^\/export\/sessions\/([^/]+)\/([a-z]+)$/;

export function isExportRequest(pathname: string): boolean {
  return EXPORT_PATTERN.test(pathname);
}

export function isImportRequest(pathname: string): boolean {
  return pathname === IMPORT_UPLOAD_PATH;
}

function statusOf(err: unknown): number {
  if (err instanceof StorageError) {
    if (err.code === 'not-found' || err.code === 'invalid-id') return 404;
    if (err.code === 'disk-full') return 507;
  }
  if (err instanceof BundleError) {
    return { exists: 409, busy: 409, 'too-large': 413, invalid: 400, unsafe: 400, changed: 409 }[
      err.code
    ];
  }
  if (err instanceof ChromiumMissingError) return 501;
  return 500;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : 'Unexpected error';
}

function attachment(fileName: string): string {
  // Our file names are ASCII (session ids are), so the plain form is enough.
  return `attachment; filename="${fileName.replace(/["\\]/g, '_')}"`;
}

export async function serveExport(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  exporter: SessionExporter,
): Promise<void> {
  const [, rawId = '', rawFormat = ''] = EXPORT_PATTERN.exec(pathname) ?? [];
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    id = '';
  }
  const format = rawFormat as ExportFormat;
  if (!isValidSessionId(id) || !exportFormats.includes(format)) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  try {
    if (format === 'bundle') {
      const bundle = await exporter.bundle(id);
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'application/x-tar',
        'Content-Length': String(bundle.bytes),
        'Content-Disposition': attachment(bundle.fileName),
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      // Headers are gone by now: a failure mid-way can only cut the download short,
      // which the browser reports as a failed download (the length will not match).
      await bundle.writeTo(res).catch(() => res.destroy());
      return;
    }
    const rendered = await exporter.render(id, format);
    res.writeHead(200, {
      ...headers,
      'Content-Type': rendered.contentType,
      'Content-Length': String(rendered.body.byteLength),
      'Content-Disposition': attachment(rendered.fileName),
    });
    res.end(req.method === 'HEAD' ? undefined : rendered.body);
  } catch (err) {
    if (res.headersSent) res.destroy();
    else
      res
        .writeHead(statusOf(err), { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(messageOf(err));
  }
}

export async function serveImport(
  req: IncomingMessage,
  res: ServerResponse,
  exporter: SessionExporter,
): Promise<void> {
  const reply = (status: number, body: unknown) =>
    res
      .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify(body));
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_TOTAL_BYTES) {
    reply(413, { error: 'This file is larger than any session bundle may be; it was refused.' });
    req.resume();
    return;
  }
  try {
    const { sessionId, record } = await exporter.import(req);
    reply(200, { sessionId, title: record.round.title });
  } catch (err) {
    reply(statusOf(err), { error: messageOf(err) });
    // Whatever the browser is still sending is not wanted: drop the connection after the answer.
    res.on('finish', () => req.destroy());
  }
}
