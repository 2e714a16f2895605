/** One chat message as the prompt builders write them (interviewer, workspace). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
