import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  contentSecurityPolicyFor,
  pagePath,
  sandboxContentSecurityPolicy,
} from '../../../src/core/contentSecurityPolicy';

const directives = (policy: string) =>
  new Map(
    policy.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );

describe('the code pad sandbox page policy', () => {
  const sandbox = directives(sandboxContentSecurityPolicy());

  it('lets candidate code reach nothing: no fetch, connection, script URL or eval', () => {
    expect(sandbox.get('default-src')).toEqual(["'none'"]);
    // connect-src, font-src, img-src… fall back to default-src 'none'.
    expect(sandbox.has('connect-src')).toBe(false);
    // WebAssembly for Python (Pyodide); JavaScript eval stays refused.
    expect(sandbox.get('script-src')).toEqual(["'unsafe-inline'", "'wasm-unsafe-eval'"]);
    expect(sandbox.get('worker-src')).toEqual(['blob:']);
    expect(sandboxContentSecurityPolicy()).not.toMatch(/'unsafe-eval'|\*|https?:/);
  });

  it('may be framed only by the app itself', () => {
    expect(sandbox.get('frame-ancestors')).toEqual(["'self'"]);
    expect(directives(contentSecurityPolicy()).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('applies to the sandbox folder only', () => {
    expect(contentSecurityPolicyFor('/sandbox/runner.html')).toBe(sandboxContentSecurityPolicy());
    expect(contentSecurityPolicyFor('/index.html', ['ws://x'])).toBe(
      contentSecurityPolicy(['ws://x']),
    );
    expect(contentSecurityPolicyFor('/sandboxes/x.html')).toBe(contentSecurityPolicy());
    expect(pagePath('mockloop://app/sandbox/runner.html')).toBe('/sandbox/runner.html');
    expect(pagePath('not a url')).toBe('/');
  });
});
