import type { IncomingMessage } from 'node:http';
import type { FakeEndpoint } from './fakeOpenAIServer';

/**
 * What the fake OpenAI server received, parsed so tests can assert on it: JSON bodies as
 * objects, multipart uploads as form fields plus the file's bytes.
 */

export interface RecordedUpload {
  name: string;
  type: string;
  size: number;
  bytes: Uint8Array;
}

export interface RecordedRequest {
  method: string;
  path: string;
  endpoint: FakeEndpoint | null;
  headers: { authorization?: string; contentType?: string };
  /** Parsed JSON body, when the request sent JSON. */
  json?: Record<string, unknown>;
  /** Form fields and the uploaded file, when the request was multipart. */
  multipart?: { fields: Record<string, string>; file?: RecordedUpload };
}

/** Reads the whole body and keeps what tests assert on. */
export async function record(
  req: IncomingMessage,
  path: string,
  endpoint: FakeEndpoint | null,
): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'];
  const recorded: RecordedRequest = {
    method: req.method ?? 'GET',
    path,
    endpoint,
    headers: { authorization: req.headers.authorization, contentType },
  };
  if (contentType?.startsWith('application/json') && raw.length > 0) {
    recorded.json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } else if (contentType?.startsWith('multipart/form-data')) {
    recorded.multipart = await parseMultipart(raw, contentType);
  }
  return recorded;
}

/** Uses Node's own fetch Request to parse multipart, rather than a hand-rolled parser. */
async function parseMultipart(
  raw: Buffer,
  contentType: string,
): Promise<NonNullable<RecordedRequest['multipart']>> {
  const form = await new Request('http://fake/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(raw),
  }).formData();
  const fields: Record<string, string> = {};
  let file: RecordedUpload | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      fields[name] = value;
    } else {
      const bytes = new Uint8Array(await value.arrayBuffer());
      file = { name: value.name, type: value.type, size: bytes.length, bytes };
    }
  }
  return { fields, file };
}
