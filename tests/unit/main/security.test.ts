import { describe, expect, it } from 'vitest';
import {
  allowPermission,
  APP_ORIGIN,
  isTrustedSender,
  isTrustedUrl,
  trustedOrigins,
} from '../../../src/main/security';

describe('main process security decisions', () => {
  const origins = trustedOrigins(undefined);
  const dev = trustedOrigins('http://localhost:5173/');

  it('accepts API calls only from our own page’s main frame', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: null }, origins)).toBe(true);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: {} }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'file:///etc/passwd', parent: null }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'mockloop://other/index.html', parent: null }, origins)).toBe(
      false,
    );
    expect(isTrustedSender({ url: 'not a url', parent: null }, origins)).toBe(false);
    expect(isTrustedSender(null, origins)).toBe(false);
  });

  it('trusts the dev server only when one is configured', () => {
    expect(isTrustedUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedUrl('http://localhost:5173/index.html', origins)).toBe(false);
    expect(isTrustedUrl('http://localhost:5174/', dev)).toBe(false);
  });

  it('grants only the microphone, only to our page', () => {
    expect(allowPermission('media', `${APP_ORIGIN}/`, ['audio'], origins)).toBe(true);
    expect(allowPermission('media', `${APP_ORIGIN}/`, ['audio', 'video'], origins)).toBe(false);
    expect(allowPermission('media', 'https://evil.example/', ['audio'], origins)).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(allowPermission(p, `${APP_ORIGIN}/`, undefined, origins)).toBe(false);
    }
  });
});
