import { indentWithTab } from '@codemirror/commands';
import { go } from '@codemirror/lang-go';
import { java } from '@codemirror/lang-java';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';
import type { CodeLanguage } from '../../src/core/workspace';

/**
 * CodeMirror 6 set up for the pad (editable) and the replay (read-only), with the
 * language switchable in place. Only the workspace chunk imports this, so CodeMirror
 * loads when a coding round or its replay opens, not with the app.
 */

export const LANGUAGE_LABELS: Record<CodeLanguage, string> = {
  python: 'Python',
  java: 'Java',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  go: 'Go',
};

export function languageSupport(language: CodeLanguage): Extension {
  switch (language) {
    case 'python':
      return python();
    case 'java':
      return java();
    case 'typescript':
      return javascript({ typescript: true });
    case 'javascript':
      return javascript();
    case 'go':
      return go();
  }
}

export interface CodeEditor {
  view: EditorView;
  setLanguage(language: CodeLanguage): void;
  /** Replaces the text (the replay moving to another snapshot). */
  setCode(code: string): void;
}

export function createCodeEditor(options: {
  parent: HTMLElement;
  doc: string;
  language: CodeLanguage;
  label: string;
  describedBy?: string;
  readOnly?: boolean;
  onChange?: (code: string) => void;
}): CodeEditor {
  const language = new Compartment();
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        basicSetup,
        // Tab indents, as in any editor; Escape then Tab leaves the editor (CodeMirror's
        // own escape hatch), so keyboard users are never trapped.
        keymap.of([indentWithTab]),
        language.of(languageSupport(options.language)),
        EditorView.contentAttributes.of({
          'aria-label': options.label,
          ...(options.describedBy ? { 'aria-describedby': options.describedBy } : {}),
        }),
        ...(options.readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : []),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange?.(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    setLanguage: (next) => view.dispatch({ effects: language.reconfigure(languageSupport(next)) }),
    setCode: (code) => {
      if (view.state.doc.toString() === code) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
  };
}
