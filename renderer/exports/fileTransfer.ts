/**
 * Browser mode's file transfers for exports and imports. Files do not travel over the API
 * WebSocket (a recording can be hundreds of megabytes): the backend answers with a URL on
 * the same server, behind the same access token, and these helpers download from or
 * upload to it with progress. The desktop never gets here — its backend reads and writes
 * the files through the system's file dialogs.
 */

/** 0–1, or null while the total is unknown. */
export type Progress = (fraction: number | null) => void;

/** The page's URL token: the cookie carries it too, the query string makes it explicit. */
function withToken(url: string): string {
  const token = new URLSearchParams(location.search).get('token');
  const target = new URL(url, location.href);
  if (token) target.searchParams.set('token', token);
  return target.href;
}

async function errorText(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  if (response.headers.get('content-type')?.includes('application/json')) {
    try {
      const body = JSON.parse(text) as { error?: unknown };
      if (typeof body.error === 'string') return body.error;
    } catch {
      // fall through to the text itself
    }
  }
  return text || `The server answered ${response.status}.`;
}

export async function downloadFile(
  url: string,
  fileName: string,
  progress: Progress,
): Promise<void> {
  const response = await fetch(withToken(url), { credentials: 'same-origin' });
  if (!response.ok) throw new Error(await errorText(response));
  const total = Number(response.headers.get('content-length')) || 0;
  const reader = response.body?.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  if (reader) {
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      received += value.byteLength;
      progress(total > 0 ? Math.min(1, received / total) : null);
    }
  } else {
    parts.push(new Uint8Array(await response.arrayBuffer()));
  }
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const href = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.click();
  // The click starts the download asynchronously; keep the blob alive a little longer.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

export interface UploadResult {
  sessionId: string;
  title: string;
}

/** Uploads a bundle to import; XMLHttpRequest because fetch reports no upload progress. */
export function uploadFile(url: string, file: Blob, progress: Progress): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', withToken(url));
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.onprogress = (e) => progress(e.lengthComputable ? e.loaded / e.total : null);
    request.onerror = () => reject(new Error('Lost the connection to Mockloop while uploading.'));
    request.onload = () => {
      let body: { sessionId?: string; title?: string; error?: string } = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // not JSON: reported below
      }
      if (request.status === 200 && body.sessionId) {
        resolve({ sessionId: body.sessionId, title: body.title ?? body.sessionId });
      } else {
        reject(
          new Error(body.error ?? (request.responseText || `Import failed (${request.status}).`)),
        );
      }
    };
    request.send(file);
  });
}

export function percent(fraction: number | null): string {
  return fraction === null ? '' : ` ${Math.round(fraction * 100)} %`;
}
