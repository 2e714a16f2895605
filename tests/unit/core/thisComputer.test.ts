import { describe, expect, it } from 'vitest';
import { isOnThisComputer } from '../../../src/core/thisComputer';

describe('isOnThisComputer', () => {
  it('knows the loopback names of this computer', () => {
    for (const url of [
      'http://127.0.0.1:11434/v1',
      'http://localhost:1234/v1',
      'http://[::1]:8080/v1',
    ]) {
      expect(isOnThisComputer(url)).toBe(true);
    }
  });

  it('treats every other host, and no or a broken address, as elsewhere', () => {
    for (const url of [
      'https://api.openai.com/v1',
      'http://192.168.1.20:11434/v1',
      '',
      'not a url',
    ]) {
      expect(isOnThisComputer(url)).toBe(false);
    }
    expect(isOnThisComputer(undefined)).toBe(false);
  });
});
