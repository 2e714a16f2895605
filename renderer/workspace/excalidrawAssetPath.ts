/**
 * Points Excalidraw at the fonts the app serves itself (copied next to the page by
 * vite.renderer.config.ts) instead of its CDN. Excalidraw reads this while its module
 * initialises, and a bundler may evaluate its chunk before any module that imports it, so
 * this runs before the whiteboard's chunk is even requested (WorkspacePanel's lazy()).
 */
export function setLocalExcalidrawAssets(): void {
  (window as unknown as { EXCALIDRAW_ASSET_PATH?: string }).EXCALIDRAW_ASSET_PATH = new URL(
    './excalidraw/',
    document.baseURI,
  ).href;
}
