/**
 * What one run of the desktop app under the stand-in Electron saw (written by
 * desktopDriver.ts inside that process, read by the tests in tests/desktop/). Plain JSON:
 * the driver only observes, the tests judge.
 */
export interface FetchSeen {
  path: string;
  status: number;
  contentType: string | null;
  csp: string | null;
  bytes: number;
  /** First bytes, for magic numbers (RIFF, \0asm, …), hex. */
  head: string;
  contentRange?: string | null;
}

export interface IpcSeen {
  ok: boolean;
  errorCode?: string;
  value?: unknown;
}

export interface DesktopReport {
  mode: 'development' | 'packaged';
  /** Absolute paths the stand-in was configured with. */
  appPath: string;
  resourcesPath: string;
  mainScript: string;
  /** `package.json` `main` of the app that was started. */
  packageMain: string;
  privilegedSchemes: {
    scheme: string;
    privileges: Record<string, boolean>;
    beforeReady: boolean;
  }[];
  windows: {
    webPreferences: Record<string, unknown>;
    icon: string | null;
    urls: string[];
  }[];
  /** What the renderer would fetch at start-up and later (index, its scripts, runtime assets). */
  pages: FetchSeen[];
  /** `Content-Security-Policy` set by onHeadersReceived for the main frame. */
  headerCsp: string | null;
  ipc: {
    appInfo: IpcSeen;
    roundsTrusted: IpcSeen;
    untrustedOrigin: IpcSeen;
    childFrame: IpcSeen;
  };
  permissions: Record<string, boolean>;
  navigation: { untrustedPrevented: boolean; trustedPrevented: boolean; windowOpen: string };
  voice: {
    /** Every utility process the app forked (the voice's, the speech recognition's). */
    forks: { modulePath: string; serviceName: string | null }[];
    speechEvents: number;
    speechBytes: number;
    notices: string[];
  };
  /** Local speech recognition, with a model the user already had imported first. */
  speech: {
    /** Settings' models after "Choose file…" (and the open dialogs the app showed). */
    modelImport: {
      engineAvailable: boolean;
      engineProblem: string | null;
      canChooseFile: boolean;
      inUse: string | null;
      dialogs: string[];
    } | null;
    /** The candidate's turns as the round reported them (text null: not transcribed). */
    candidateTurns: { text: string | null }[];
    /** session.json `providers.stt` of the round. */
    sessionStt: unknown;
  };
  recording: {
    sessionId: string | null;
    /** Where the replay screen is told to play it from. */
    audioUrl: string | null;
    range: FetchSeen | null;
    full: FetchSeen | null;
  };
  /** Every file the app (main process and utility process) opened, plus those Electron loads for it. */
  loadedFiles: string[];
  /** Set when the driver could not finish; the stack says where. */
  error?: string;
}
